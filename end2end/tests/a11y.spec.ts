import { test, expect, type APIRequestContext, type Browser, type Locator, type Page } from "@playwright/test";
import { expectAccessible, texts, type Lang } from "./a11y";
import { codeIn, invitedOrder, linkIn, mailbox, open, unique } from "./helpers";
import { createPassword, PASSWORD, selfSetup } from "./flows";

// Issue 14, accessibility:
// - every page and every step of both wizards, in English and in Czech, held
//   to WCAG 2.2 AA by axe and by our own contrast check (a11y.ts);
// - a keyboard-only walk from the email to billing: where focus lands, how
//   errors are announced and linked, the step indicator; and the skip link;
// - a Czech browser's walk from the email to billing, in Czech.
// The assertions marked "needs src/..." hold only with the Rust changes made
// for issue 14 (src/app.rs, src/components.rs, src/service/page.rs).

function address(tag: string, domain = "customer.example") {
  return `${tag}-${unique("a").toLowerCase()}@${domain}`;
}

/** A browser context that speaks `lang`: the cookie the language switch sets. */
async function contextIn(browser: Browser, baseURL: string | undefined, lang: Lang) {
  const context = await browser.newContext({ baseURL });
  await context.addCookies([{ name: "i18n_pref_locale", value: lang, url: baseURL! }]);
  return context;
}

/** Done in English in a context of its own: partner `partyId`'s first order, set up with `admin` managed, and a password. */
async function managedCustomer(browser: Browser, baseURL: string | undefined, request: APIRequestContext, o: { partyId: string; contact: string; admin: string }) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  const first = await invitedOrder(request, { partyId: o.partyId, contact: o.contact });
  await selfSetup(page, first.link, o.admin);
  await createPassword(page);
  await context.close();
}

/** What every walk below needs: the texts of `lang`, and the check. */
function walk(page: Page, lang: Lang) {
  const t = texts(lang);
  const fill = (key: string, value: string) => t(key).replace(/\{\{ \w+ \}\}/, value);
  return {
    t,
    fill,
    /** Asserts the page is in `lang` and accessible as it stands. */
    check: async (where: string) => {
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expectAccessible(page, `${where} [${lang}]`);
    },
    next: () => page.getByRole("button", { name: t("wizard.next"), exact: true }).click(),
    /** Waits for the step heading of `key`. */
    step: (key: string) => expect(page.getByRole("heading", { level: 2, name: t(key), exact: true })).toBeVisible(),
    radio: (key: string) => page.getByRole("radio", { name: t(key), exact: true }),
    textbox: (key: string) => page.getByRole("textbox", { name: t(key), exact: true }),
    button: (key: string) => page.getByRole("button", { name: t(key), exact: true }),
  };
}

for (const lang of ["en", "cs"] as const) {
  test.describe(`accessibility [${lang}]`, () => {
    test.beforeEach(async ({ context, baseURL }) => {
      await context.addCookies([{ name: "i18n_pref_locale", value: lang, url: baseURL! }]);
    });

    test("pages outside the wizards: start, commerce, mailbox, hub signed out, forgot password, not found", async ({ page, request }) => {
      const { t, check, textbox, button } = walk(page, lang);
      await open(page, "/");
      await expect(page.getByRole("heading", { level: 1, name: t("app.title") })).toBeVisible();
      await check("start page");

      await open(page, "/commerce");
      await expect(page.getByRole("heading", { level: 1, name: t("commerce.title") })).toBeVisible();
      await check("commerce");
      await page.getByRole("button", { name: t("commerce.place") }).click();
      await expect(page.getByRole("alert").first()).toBeVisible();
      await check("commerce, an empty order refused");

      const { order } = await invitedOrder(request);
      await open(page, "/mailbox");
      const mail = page.getByRole("article", { name: new RegExp(order.order_number) });
      await expect(mail).toBeVisible();
      await check("mailbox");
      // The email's HTML part, as its own page (the mailbox shows it in a frame).
      const html = await mail.getByRole("link", { name: t("mailbox.html_version") }).getAttribute("href");
      await page.goto(html!);
      await expect(page.getByRole("link", { name: "Set Up Now" })).toBeVisible();
      // In the recipient's language (the partner is in CZ), whatever the browser's.
      await expect(page.locator("html")).toHaveAttribute("lang", "cs");
      await expectAccessible(page, `invitation email (HTML) [${lang}]`);

      await open(page, "/hub");
      await expect(page.getByRole("heading", { level: 2, name: t("hub.sign_in_title") })).toBeVisible();
      await check("hub, signed out");
      await textbox("hub.email").fill("nobody@partner.example");
      await page.getByLabel(t("hub.password"), { exact: true }).fill("not the password at all");
      await button("hub.sign_in").click();
      await expect(page.getByRole("alert")).toHaveText(t("hub.wrong"));
      await check("hub, sign-in refused");

      await open(page, "/hub/forgot");
      await expect(page.getByRole("heading", { level: 1, name: t("account.forgot_title") })).toBeVisible();
      await check("forgot password");
      await textbox("account.email_address").fill("not an address");
      await button("account.send_reset").click();
      await expect(page.getByRole("alert")).toHaveText(t("err.email_invalid"));
      await check("forgot password, invalid address");
      await textbox("account.email_address").fill("nobody@partner.example");
      await button("account.send_reset").click();
      await expect(page.getByRole("status")).toHaveText(t("account.forgot_sent"));
      await check("forgot password, sent");

      expect((await page.goto("/no/such/page"))?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: t("app.not_found_title") })).toBeVisible();
      await check("unknown page (404)");

      expect((await page.goto("/setup/this-is-not-a-token"))?.status()).toBe(404);
      await expect(page.getByRole("heading", { level: 1, name: t("wizard.invalid_title") })).toBeVisible();
      await check("unknown setup link (404)");
    });

    test("a first order: every setup step, the service wizard to billing, the hub and the activity", async ({ page, request }) => {
      const { t, fill, check, next, step, radio, textbox, button } = walk(page, lang);
      const { order, link } = await invitedOrder(request);
      await open(page, link);
      await step("wizard.step_role");
      await check("setup: role");
      await next();
      await expect(page.getByRole("alert")).toHaveText(t("err.required"));
      await check("setup: role, none chosen");
      await radio("wizard.role_partner").check();
      await next();

      await step("wizard.step_who");
      await check("setup: who sets up, none chosen");
      await radio("wizard.who_myself").check();
      await expect(textbox("wizard.setter_email")).toHaveValue(order.provisioning_contact_email);
      await check("setup: who sets up, myself");
      await radio("wizard.who_colleague").check();
      await expect(textbox("wizard.colleague_email")).toBeVisible();
      await check("setup: who sets up, a colleague");
      await radio("wizard.who_customer").check();
      await check("setup: who sets up, the customer");
      await radio("wizard.who_myself").check();
      await next();

      await step("wizard.step_partner");
      await check("setup: new partner organization");
      await textbox("wizard.org_name").fill("");
      await next();
      await expect(page.getByRole("alert")).toBeVisible();
      await check("setup: new partner organization, name missing");
      await textbox("wizard.org_name").fill("Partner s.r.o.");
      await next();

      await step("wizard.step_admin");
      await check("setup: customer administrator");
      await textbox("wizard.admin_email").fill("not an address");
      await next();
      await expect(page.getByRole("alert")).toHaveText(t("err.email_invalid"));
      await check("setup: customer administrator, invalid address");
      await textbox("wizard.admin_email").fill(address("admin"));
      await expect(page.getByText(t("wizard.admin_new"))).toBeVisible();
      // Nobody is a member of an organization not made yet: no finder.
      await expect(button("wizard.finder_open")).toHaveCount(0);
      await check("setup: customer administrator, a new address");
      await next();

      await step("wizard.step_customer");
      await check("setup: new customer organization");
      await next();
      await step("wizard.step_review");
      await check("setup: review");
      await next();

      await expect(page.getByRole("heading", { name: t("wizard.success_title") })).toBeVisible();
      await check("setup: set up, first password");
      await page.getByLabel(t("wizard.password"), { exact: true }).fill("short");
      await button("wizard.create_password").click();
      await expect(page.getByRole("alert").first()).toBeVisible();
      await check("setup: first password refused");
      await page.getByLabel(t("wizard.password"), { exact: true }).fill(PASSWORD);
      await page.getByLabel(t("wizard.confirm_password")).fill(PASSWORD);
      await button("wizard.create_password").click();
      await expect(page).toHaveURL(/\/service\//);
      const orderId = new URL(page.url()).pathname.split("/").pop()!;

      await step("service.step_subscription");
      await check("service: subscription details");
      await next();
      await step("service.step_calling");
      await check("service: calling settings");
      await textbox("service.location_name").fill("");
      await next();
      await expect(page.getByRole("alert").first()).toBeVisible();
      await check("service: calling settings refused");
      await textbox("service.location_name").fill("Praha HQ");
      await page.getByRole("combobox", { name: t("service.time_zone") }).selectOption("Europe/Prague");
      await radio("service.pstn_cisco").check();
      await next();

      await step("service.step_meetings");
      await check("service: meeting settings");
      await textbox("service.subdomain").fill("www");
      await expect(page.getByRole("alert")).toContainText(fill("service.not_available", "www"));
      await check("service: meeting settings, subdomain not available");
      const subdomain = `a11y-${Date.now().toString(36)}`;
      await textbox("service.subdomain").fill(subdomain);
      await expect(page.getByText(fill("service.available", subdomain))).toBeVisible();
      await check("service: meeting settings, subdomain available");
      await button("service.save").click();
      await expect(page.getByRole("status")).toContainText(`https://${subdomain}.webex.com`);
      await check("service: meeting settings, saved");
      await next();

      await step("service.step_provision");
      await check("service: provision");
      await button("service.provision").click();
      await expect(page.getByRole("status")).toContainText(/\d{4}-\d{2}-\d{2}/);
      await check("service: billing started");

      await open(page, "/hub");
      await expect(page.getByText(t("hub.signed_in_as"))).toBeVisible();
      await check("hub, signed in");
      await open(page, `/activity/${orderId}`);
      await expect(page.getByRole("heading", { level: 1, name: t("activity.title") })).toBeVisible();
      await expect(page.getByRole("link", { name: t("activity.download") })).toBeVisible();
      await check("activity");
    });

    test("an existing partner: its organization, the finder, a managed customer, sign-in; delegation and a spent link", async ({ page, request, browser, baseURL }) => {
      const { t, fill, check, next, step, radio, textbox, button } = walk(page, lang);
      const partyId = unique("P");
      const contact = address("partner", "partner.example");
      const managed = address("managed");
      await managedCustomer(browser, baseURL, request, { partyId, contact, admin: managed });

      const second = await invitedOrder(request, { partyId, contact });
      await open(page, second.link);
      await radio("wizard.role_partner").check();
      await next();
      await radio("wizard.who_myself").check();
      await next();
      // The address has an account: its owner signs in on this step.
      const password = page.getByLabel(t("hub.password"), { exact: true });
      await expect(password).toBeVisible();
      await check("setup: who sets up, sign in to confirm the address");
      await password.fill("not the password at all");
      await button("hub.sign_in").click();
      await expect(page.getByRole("alert")).toHaveText(t("hub.wrong"));
      await check("setup: who sets up, sign-in refused");
      await password.fill(PASSWORD);
      await button("hub.sign_in").click();
      await expect(page.getByRole("status")).toBeVisible();
      await check("setup: who sets up, signed in");
      await next();
      await step("wizard.step_partner");
      await check("setup: existing partner organization");
      await page.getByRole("checkbox", { name: t("wizard.not_recognized") }).check();
      await expect(page.getByRole("alert")).toHaveText(t("wizard.not_recognized_advice"));
      await expect(page.getByRole("button", { name: t("wizard.next"), exact: true })).toBeDisabled();
      await check("setup: existing partner organization not recognized");
      await page.getByRole("checkbox", { name: t("wizard.not_recognized") }).uncheck();
      await next();

      await step("wizard.step_admin");
      await textbox("wizard.admin_email").fill(contact);
      await expect(page.getByRole("alert")).toHaveText(t("err.email_belongs_to_partner"));
      await check("setup: customer administrator who belongs to a partner");
      await button("wizard.finder_open").click();
      const finder = page.getByRole("combobox", { name: t("wizard.finder_label") });
      await finder.fill("Nothing like it");
      await expect(page.getByText(t("wizard.finder_none"))).toBeVisible();
      await check("setup: customer administrator, finder without a match");
      await finder.fill("Zakaz");
      await expect(page.getByRole("option", { name: new RegExp(managed) })).toBeVisible();
      await finder.press("ArrowDown");
      await expect(page.getByRole("option", { name: new RegExp(managed) })).toHaveAttribute("aria-selected", "true");
      await check("setup: finder with an option");
      await finder.press("Enter");
      await expect(textbox("wizard.admin_email")).toHaveValue(managed);
      await expect(page.getByText(fill("wizard.admin_existing", "Zakaznik a.s."))).toBeVisible();
      await check("setup: administrator of a managed organization");
      await next();

      await step("wizard.step_customer");
      await check("setup: managed customer organization to verify");
      await page.getByRole("checkbox", { name: t("wizard.not_recognized") }).check();
      await expect(page.getByRole("alert")).toHaveText(t("wizard.not_recognized_advice"));
      await check("setup: managed customer organization not recognized");
      await page.getByRole("checkbox", { name: t("wizard.not_recognized") }).uncheck();
      await next();
      await step("wizard.step_review");
      await check("setup: review, existing organizations");
      await next();
      await expect(page.getByRole("heading", { name: t("wizard.success_title") })).toBeVisible();
      await expect(page.getByRole("link", { name: t("wizard.success_continue") })).toBeVisible();
      await check("setup: set up, signed in on step 2");

      // Someone else in the company: the handover, and the first link dies.
      const third = await invitedOrder(request);
      await open(page, third.link);
      await radio("wizard.role_partner").check();
      await next();
      await radio("wizard.who_colleague").check();
      await textbox("wizard.colleague_email").fill(address("colleague", "partner.example"));
      await next();
      await expect(page.getByRole("heading", { name: t("wizard.delegated_title") })).toBeVisible();
      await check("setup: handed over");
      expect((await page.goto(third.link))?.status()).toBe(410);
      await expect(page.getByRole("heading", { level: 1, name: t("wizard.gone_title") })).toBeVisible();
      await check("spent setup link (410)");
    });

    test("people: a code on step 2, a join request, the people page, an invitation and the join page", async ({ page, request, browser, baseURL }) => {
      const { t, check, next, step, radio, textbox, button } = walk(page, lang);
      const partyId = unique("P");
      const admin = address("admin", "partner.example");
      await managedCustomer(browser, baseURL, request, { partyId, contact: admin, admin: address("managed") });
      // A newcomer on the partner's shared alias proves their own address.
      const alias = address("team", "partner.example");
      const person = address("jana", "partner.example");
      const second = await invitedOrder(request, { partyId, contact: alias });
      await open(page, second.link);
      await radio("wizard.role_partner").check();
      await next();
      await radio("wizard.who_myself").check();
      await textbox("wizard.setter_email").fill(person);
      await next();
      await expect(textbox("wizard.code")).toBeVisible();
      await check("setup: who sets up, a code to enter");
      await textbox("wizard.code").fill("12");
      await button("wizard.verify").click();
      await expect(page.getByRole("alert")).toHaveText(t("err.code_invalid"));
      await check("setup: who sets up, a code refused");
      await textbox("wizard.code").fill(await codeIn(request, person));
      await button("wizard.verify").click();
      await expect(page.getByRole("status")).toBeVisible();
      await check("setup: who sets up, the address confirmed");
      await next();
      await step("wizard.step_partner");
      await next();
      await textbox("wizard.admin_email").fill(address("new"));
      await next();
      await step("wizard.step_customer");
      await next();
      await step("wizard.step_review");
      await next();
      await expect(page.getByRole("heading", { name: t("wizard.success_title") })).toBeVisible();

      // The administrator's review of the join request.
      const reviewer = await contextIn(browser, baseURL, lang);
      const reviewPage = await reviewer.newPage();
      await open(reviewPage, await linkIn(request, admin, "Review request"));
      await expect(reviewPage.getByText(person)).toBeVisible();
      await walk(reviewPage, lang).check("join request");

      // The people page.
      await open(reviewPage, "/hub");
      await reviewPage.getByRole("textbox", { name: t("hub.email"), exact: true }).fill(admin);
      await reviewPage.getByLabel(t("hub.password"), { exact: true }).fill(PASSWORD);
      await reviewPage.getByRole("button", { name: t("hub.sign_in"), exact: true }).click();
      await reviewPage.getByRole("link", { name: t("hub.people"), exact: true }).click();
      await expect(reviewPage.getByRole("heading", { level: 1, name: t("people.title") })).toBeVisible();
      await expect(reviewPage.getByText(person).first()).toBeVisible();
      const r = walk(reviewPage, lang);
      await r.check("people page with a join request");
      const invite = reviewPage.getByRole("form", { name: t("people.invite") });
      await invite.getByRole("button", { name: t("people.send_invitation") }).click();
      await expect(invite.getByRole("alert").first()).toBeVisible();
      await r.check("people: an invitation without an address");
      const invited = address("nova", "partner.example");
      await invite.getByRole("textbox", { name: t("account.email_address") }).fill(invited);
      await invite.getByRole("button", { name: t("people.send_invitation") }).click();
      await expect(reviewPage.getByRole("status")).toBeVisible();
      await r.check("people: invitation sent");
      const guest = reviewPage.getByRole("table", { name: t("people.people_heading") }).getByRole("row", { name: new RegExp(person) });
      await guest.getByRole("button", { name: t("people.remove") }).click();
      await expect(guest.getByRole("button", { name: t("people.remove_yes") })).toBeVisible();
      await r.check("people: a removal to confirm");
      await reviewer.close();

      // The invited person's page.
      const joiner = await contextIn(browser, baseURL, lang);
      const joinPage = await joiner.newPage();
      await open(joinPage, await linkIn(request, invited, "Join"));
      await expect(joinPage.getByRole("button", { name: t("wizard.create_password") })).toBeVisible();
      await walk(joinPage, lang).check("join page");
      await joiner.close();
    });

    test("customer setup, the customer's own walk, approval by another partner's customer, password reset", async ({ page, request, browser, baseURL }) => {
      const { t, check, next, step, radio, textbox, button } = walk(page, lang);
      // The partner hands the setup to the customer.
      const { link } = await invitedOrder(request);
      const customerAdmin = address("customer");
      await open(page, link);
      await radio("wizard.role_partner").check();
      await next();
      await radio("wizard.who_customer").check();
      await next();
      await step("wizard.step_partner");
      await next();
      await textbox("wizard.admin_email").fill(customerAdmin);
      await next();
      await step("wizard.step_customer");
      await next();
      await step("wizard.step_review");
      await check("setup: review of a customer setup");
      await next();
      await expect(page.getByRole("heading", { name: t("wizard.success_title") })).toBeVisible();
      await check("setup: set up for the customer");

      // The customer administrator's own link.
      const customer = await contextIn(browser, baseURL, lang);
      const customerPage = await customer.newPage();
      const c = walk(customerPage, lang);
      await open(customerPage, await linkIn(request, customerAdmin, "Set Up Now"));
      await c.step("wizard.step_role");
      await expect(c.radio("wizard.role_customer")).toBeChecked();
      await c.check("customer setup: role");
      await c.next();
      await c.step("wizard.step_customer");
      await c.check("customer setup: confirm the organization");
      await c.next();
      await c.step("wizard.step_review");
      await c.check("customer setup: review");
      await c.next();
      await expect(customerPage.getByRole("heading", { name: t("wizard.success_title") })).toBeVisible();
      await c.check("customer setup: set up, first password");
      await customer.close();

      // A partner names the administrator of an organization another partner manages.
      const otherContact = address("other", "partner.example");
      const approver = address("approver");
      await managedCustomer(browser, baseURL, request, { partyId: unique("P"), contact: otherContact, admin: approver });
      const asking = await invitedOrder(request);
      await open(page, asking.link);
      await radio("wizard.role_partner").check();
      await next();
      await radio("wizard.who_myself").check();
      await next();
      await step("wizard.step_partner");
      await next();
      await textbox("wizard.admin_email").fill(approver);
      await expect(page.getByText(t("wizard.admin_approval"))).toBeVisible();
      await check("setup: administrator of another partner's customer");
      await next();
      await step("wizard.step_customer");
      await check("setup: customer organization awaiting approval");
      await next();
      await step("wizard.step_review");
      await check("setup: review awaiting approval");
      await next();
      await expect(page.getByRole("heading", { name: t("wizard.approval_title") })).toBeVisible();
      await check("setup: awaiting approval");

      const reviewer = await contextIn(browser, baseURL, lang);
      const reviewerPage = await reviewer.newPage();
      const r = walk(reviewerPage, lang);
      const review = await linkIn(request, approver, "Review request");
      await open(reviewerPage, review);
      await expect(reviewerPage.getByRole("heading", { level: 1, name: t("approval.title") })).toBeVisible();
      await r.check("approval request");
      await r.button("approval.approve").click();
      await expect(reviewerPage.getByRole("heading", { name: t("approval.approved_title") })).toBeVisible();
      await r.check("approval request, approved");
      expect((await reviewerPage.goto(review))?.status()).toBe(410);
      await expect(reviewerPage.getByRole("heading", { level: 1, name: t("account.link_gone_title") })).toBeVisible();
      await r.check("answered approval link (410)");

      // "Forgot password?" and the reset link.
      await open(reviewerPage, "/hub/forgot");
      await r.textbox("account.email_address").fill(otherContact);
      await r.button("account.send_reset").click();
      await expect(reviewerPage.getByRole("status")).toBeVisible();
      const reset = await linkIn(request, otherContact, "Reset password");
      await open(reviewerPage, reset);
      await expect(reviewerPage.getByRole("heading", { level: 1, name: t("account.reset_title") })).toBeVisible();
      await r.check("reset password");
      await reviewerPage.getByLabel(t("account.new_password")).fill("short");
      await r.button("account.set_password").click();
      await expect(reviewerPage.getByRole("alert").first()).toBeVisible();
      await r.check("reset password refused");
      await reviewerPage.getByLabel(t("account.new_password")).fill(PASSWORD);
      await reviewerPage.getByLabel(t("wizard.confirm_password")).fill(PASSWORD);
      await r.button("account.set_password").click();
      await expect(reviewerPage).toHaveURL(/\/hub$/);
      expect((await reviewerPage.goto(reset))?.status()).toBe(410);
      await expect(reviewerPage.getByRole("heading", { level: 1, name: t("account.link_gone_title") })).toBeVisible();
      await r.check("spent reset link (410)");
      await reviewer.close();
    });
  });
}

/** Presses Tab until `target` has focus; fails after `max` presses. */
async function tabTo(page: Page, target: Locator, max = 30) {
  await expect(target).toBeVisible();
  for (let i = 0; i <= max; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return;
    await page.keyboard.press("Tab");
  }
  throw new Error(`${target} did not get focus in ${max} presses of Tab`);
}

/** Clears the focused text field and types `text`, by keyboard. */
async function retype(page: Page, text: string) {
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.press("Backspace");
  if (text) await page.keyboard.type(text);
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/**
 * A step change: the new step's heading has focus (so keyboard and screen
 * reader users start there), and the step indicator marks it as current.
 */
async function expectStep(page: Page, title: string) {
  const heading = page.getByRole("heading", { level: 2, name: title, exact: true });
  await expect(heading).toBeVisible();
  await expect.soft(heading, `focus on the heading "${title}"`).toBeFocused();
  const current = page.getByRole("navigation", { name: "Progress" }).locator('[aria-current="step"]');
  await expect(current).toHaveCount(1);
  await expect(current).toContainText(title);
}

/**
 * An error is linked to `field` (it is the field's accessible description, by
 * aria-describedby), announced (the describing element is, or holds, a
 * role=alert or aria-live region), and a single field is marked aria-invalid.
 */
async function expectFieldError(page: Page, field: Locator, message: string, { invalid = true } = {}) {
  await expect(field).toHaveAccessibleDescription(new RegExp(escape(message)));
  const ids = ((await field.getAttribute("aria-describedby")) ?? "").split(/\s+/).filter(Boolean);
  const described = page.locator(ids.map((id) => `[id="${id}"]`).join(", ")).filter({ hasText: message });
  await expect(described).toBeVisible();
  const live = '[role="alert"], [aria-live="polite"], [aria-live="assertive"]';
  expect(await described.evaluate((el, live) => !!el.closest(live) || !!el.querySelector(live), live), `"${message}" is announced`).toBe(true);
  if (invalid) await expect.soft(field, `aria-invalid on the field of "${message}"`).toHaveAttribute("aria-invalid", "true");
}

test("keyboard only: from the Set Up Now email through both wizards to billing", async ({ page, request }) => {
  // The contact's email as its HTML part shows it; from here on only keys are pressed.
  const { order } = await invitedOrder(request);
  const invitation = (await mailbox(request, order.provisioning_contact_email)).find((m) => m.kind === "invitation")!;
  await page.goto(`/api/dev/mailbox/${invitation.id}`);
  await tabTo(page, page.getByRole("link", { name: "Set Up Now", exact: true }));
  await page.keyboard.press("Enter");
  await expect(page).toHaveURL(/\/setup\//);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");

  // 1. Role. Enter on the radio submits the step: nothing chosen yet.
  await expect(page.getByRole("navigation", { name: "Progress" }).locator('[aria-current="step"]')).toContainText("Your role");
  const partner = page.getByRole("radio", { name: "I am a partner" });
  await tabTo(page, partner);
  await page.keyboard.press("Enter");
  await expectFieldError(page, page.getByRole("group", { name: "Choose your role" }), "This field is required.", { invalid: false });
  await expect(partner).toBeFocused();
  await page.keyboard.press("Space");
  await expect(partner).toBeChecked();
  await page.keyboard.press("Enter");

  // 2. Who sets up: the arrow keys move through the radio group.
  await expectStep(page, "Who does the setup");
  const myself = page.getByRole("radio", { name: "Yes, I'll do the setup" });
  await tabTo(page, myself);
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "Someone else in my company will do the setup" })).toBeChecked();
  await expect(page.getByRole("textbox", { name: "Email address", exact: true })).toBeVisible();
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "Customer setup" })).toBeChecked();
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowUp");
  await expect(myself).toBeChecked();
  await expect(myself).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByRole("textbox", { name: "Your email address" })).toBeFocused();
  await page.keyboard.press("Enter");

  // 3. Partner organization: an empty name is refused where it is typed.
  await expectStep(page, "Partner organization");
  const name = page.getByRole("textbox", { name: "Organization name" });
  await page.keyboard.press("Tab");
  await expect(name).toBeFocused();
  await retype(page, "");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 2, name: "Partner organization" })).toBeVisible();
  const nameError = (await page.locator("#partner_name-error").textContent())!;
  await expectFieldError(page, name, nameError);
  await expect(name).toBeFocused();
  await page.keyboard.type("Partner s.r.o.");
  await expect(name).toHaveAttribute("aria-invalid", "false");
  await page.keyboard.press("Enter");

  // 4. Customer administrator.
  await expectStep(page, "Customer administrator");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("textbox", { name: "Customer administrator email" })).toBeFocused();
  await page.keyboard.type(address("keys"));
  await expect(page.getByText("belongs to no organization yet")).toBeVisible();
  await page.keyboard.press("Enter");

  // 5. Customer organization; Space on "Next".
  await expectStep(page, "Customer organization");
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Space");

  // 6. Review; "Back" returns to step 5 with focus on its heading.
  await expectStep(page, "Review");
  await tabTo(page, page.getByRole("button", { name: "Back" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "Customer organization");
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Enter");
  await expectStep(page, "Review");
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Enter");

  // 7. Set up: focus on the news; the password, once mistyped.
  await expect.soft(page.getByRole("heading", { level: 2, name: /successfully set up/ })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(page.getByLabel("Password", { exact: true })).toBeFocused();
  await page.keyboard.type(PASSWORD);
  await page.keyboard.press("Tab");
  const confirmation = page.getByLabel("Confirm password");
  await expect(confirmation).toBeFocused();
  await page.keyboard.type("not the same password");
  await page.keyboard.press("Enter");
  await expectFieldError(page, confirmation, "The passwords do not match.");
  await expect(confirmation).toBeFocused();
  await retype(page, PASSWORD);
  await page.keyboard.press("Enter");

  // The service setup wizard: focus must not be left on the vanished form.
  // Needs src/service/page.rs of issue 14 (focus the step heading when focus is lost).
  await expect(page).toHaveURL(/\/service\//);
  await expectStep(page, "Subscription details");
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Enter");

  // Calling settings: Enter on an empty form; errors linked to their fields.
  await expectStep(page, "Calling settings");
  const location = page.getByRole("textbox", { name: "Location name" });
  await page.keyboard.press("Tab");
  await expect(location).toBeFocused();
  await page.keyboard.press("Enter");
  // aria-invalid here needs src/service/page.rs of issue 14.
  await expectFieldError(page, location, "This field is required.");
  await expect(page.getByRole("group", { name: "PSTN connection" })).toHaveAccessibleDescription("This field is required.");
  await page.keyboard.type("Praha HQ");
  const timeZone = page.getByRole("combobox", { name: "Time zone" });
  await tabTo(page, timeZone);
  await page.keyboard.type("Europe/Prague");
  await expect(timeZone).toHaveValue("Europe/Prague");
  const language = page.getByRole("combobox", { name: "Announcement language" });
  await page.keyboard.press("Tab");
  await expect(language).toBeFocused();
  await expect(language).toHaveValue("cs_CZ");
  await page.keyboard.press("ArrowDown");
  await expect(language).toHaveValue("de_DE");
  await page.keyboard.press("ArrowUp");
  await expect(language).toHaveValue("cs_CZ");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("radio", { name: "Cisco PSTN" })).toBeFocused();
  await page.keyboard.press("Space");
  await page.keyboard.press("ArrowDown");
  await expect(page.getByRole("radio", { name: "Cloud connected PSTN" })).toBeChecked();
  await page.keyboard.press("ArrowUp");
  await expect(page.getByRole("radio", { name: "Cisco PSTN" })).toBeChecked();
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Enter");

  // Meeting settings: a name that is not available, then one that is.
  await expectStep(page, "Meeting settings");
  const subdomain = page.getByRole("textbox", { name: "Subdomain" });
  await page.keyboard.press("Tab");
  await expect(subdomain).toBeFocused();
  await page.keyboard.type("www");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("button", { name: "Check availability" })).toBeFocused();
  await page.keyboard.press("Enter");
  // aria-invalid here needs src/service/page.rs of issue 14.
  await expectFieldError(page, subdomain, "www is not available");
  await page.keyboard.press("Shift+Tab");
  await expect(subdomain).toBeFocused();
  const site = `keys-${Date.now().toString(36)}`;
  await retype(page, site);
  await expect(page.getByText(`${site} is available`)).toBeVisible();
  await expect(subdomain).not.toHaveAttribute("aria-invalid", "true");
  const save = page.getByRole("button", { name: "Save" });
  await tabTo(page, save);
  await page.keyboard.press("Enter");
  await expect(page.getByRole("status")).toContainText(`https://${site}.webex.com`);
  await expect(save).toBeFocused();
  await tabTo(page, page.getByRole("button", { name: "Next" }));
  await page.keyboard.press("Enter");

  // Provision: the pressed button goes away; focus goes to the news.
  await expectStep(page, "Provision and start billing");
  await tabTo(page, page.getByRole("button", { name: "Provision subscription" }));
  await page.keyboard.press("Enter");
  const billing = page.getByRole("status").filter({ hasText: /Billing started on \d{4}-\d{2}-\d{2}/ });
  await expect(billing).toBeVisible();
  // Needs src/service/page.rs of issue 14; before it, focus fell to <body>.
  await expect.soft(billing, "focus on the billing news").toBeFocused();
});

test("keyboard only: the skip link moves focus into the page content", async ({ page }) => {
  // Needs src/app.rs of issue 14 (rel="external", main tabindex=-1): before
  // it the router took the click, scrolled, and focus stayed in the header.
  await open(page, "/hub");
  const skip = page.getByRole("link", { name: "Skip to content" });
  await page.keyboard.press("Tab");
  await expect(skip).toBeFocused();
  await expect(skip).toBeInViewport();
  await page.keyboard.press("Enter");
  await page.keyboard.press("Tab");
  await expect(page.getByRole("textbox", { name: "Email" })).toBeFocused();
});

test("a Czech browser: from the Nastavit nyní email through both wizards to billing, all in Czech", async ({ browser, baseURL, request }) => {
  // No cookie: the browser's language (Accept-Language: cs-CZ) decides. Texts as locales/cs.json has them.
  const context = await browser.newContext({ baseURL, locale: "cs-CZ" });
  const page = await context.newPage();
  const { order } = await invitedOrder(request);
  const invitation = (await mailbox(request, order.provisioning_contact_email)).find((m) => m.kind === "invitation")!;
  await page.goto(`/api/dev/mailbox/${invitation.id}`);
  await page.getByRole("link", { name: "Nastavit nyní", exact: true }).click();
  await expect(page).toHaveURL(/\/setup\//);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(page.locator("html")).toHaveAttribute("lang", "cs");
  await expect(page).toHaveTitle("Nastavit nyní");
  await expect(page.getByRole("button", { name: "Čeština" })).toHaveAttribute("aria-pressed", "true");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Nastavení objednávky · Objednávka ${order.order_number}`);

  const next = page.getByRole("button", { name: "Další", exact: true });
  const back = page.getByRole("button", { name: "Zpět", exact: true });
  const step = async (title: string, { last = false } = {}) => {
    await expect(page.getByRole("heading", { level: 2, name: title, exact: true })).toBeVisible();
    await expect(page.getByRole("navigation", { name: "Postup" }).locator('[aria-current="step"]')).toContainText(title);
    await expect(next).toHaveCount(last ? 0 : 1);
  };

  await step("Vaše role");
  await expect(page.getByRole("group", { name: "Vyberte svou roli" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Ukončit nastavení" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toHaveCount(0);
  await next.click();
  await expect(page.getByRole("alert")).toHaveText("Toto pole je povinné.");
  await expect(page.getByRole("radio", { name: "Jsem zákazníkem", exact: true })).toBeVisible();
  await page.getByRole("radio", { name: "Jsem partnerem", exact: true }).check();
  await next.click();

  await step("Kdo provede nastavení");
  await expect(back).toBeVisible();
  await expect(page.getByRole("radio", { name: "Jiná osoba v mé společnosti provede nastavení" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Zákazník provede nastavení" })).toBeVisible();
  await page.getByRole("radio", { name: "Ano, provedu nastavení" }).check();
  await expect(page.getByRole("textbox", { name: "Vaše e-mailová adresa" })).toHaveValue(order.provisioning_contact_email);
  await next.click();

  await step("Partnerská organizace");
  await expect(page.getByText("Toto je vaše první objednávka")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Název organizace", exact: true })).toHaveValue("Partner s.r.o.");
  await expect(page.getByRole("textbox", { name: "Země" })).toHaveValue("CZ");
  await next.click();

  await step("Správce zákazníka");
  await expect(page.getByRole("button", { name: "Najít stávající organizaci" })).toHaveCount(0);
  await page.getByRole("textbox", { name: "E-mailová adresa správce zákazníka" }).fill(address("cesky"));
  await expect(page.getByText("Tato adresa zatím nepatří žádné organizaci: vytvoří se nová organizace zákazníka.")).toBeVisible();
  await next.click();

  await step("Organizace zákazníka");
  await expect(page.getByRole("textbox", { name: "Název organizace zákazníka" })).toHaveValue("Zakaznik a.s.");
  await expect(page.getByRole("textbox", { name: "Adresa" })).toHaveValue("Vinohradska 1, 120 00 Praha");
  await next.click();

  await step("Kontrola");
  await expect(page.getByRole("heading", { level: 3, name: "Partnerská organizace" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Organizace zákazníka" })).toBeVisible();
  await expect(page.getByText("nová", { exact: true }).first()).toBeVisible();
  await next.click();

  await expect(page.getByRole("heading", { level: 2, name: "Vaše objednávka byla úspěšně nastavena" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "Vytvořte heslo" })).toBeVisible();
  await expect(page.getByText("Dále se spustí průvodce nastavením služby.")).toBeVisible();
  await page.getByLabel("Heslo", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Potvrzení hesla").fill(PASSWORD);
  await page.getByRole("button", { name: "Vytvořit heslo" }).click();

  await expect(page).toHaveURL(/\/service\//);
  await expect(page.getByRole("heading", { level: 1, name: "Nastavení služby" })).toBeVisible();
  await step("Podrobnosti předplatného");
  await expect(page.getByRole("columnheader", { name: "Množství" })).toBeVisible();
  await expect(page.getByText("ID předplatného")).toBeVisible();
  await next.click();

  await step("Nastavení volání");
  await expect(back).toBeVisible();
  await page.getByRole("textbox", { name: "Název lokality" }).fill("Praha HQ");
  await expect(page.getByRole("textbox", { name: "Adresa" })).toHaveValue("Vinohradska 1, 120 00 Praha");
  await page.getByRole("combobox", { name: "Časové pásmo" }).selectOption("Europe/Prague");
  await expect(page.getByRole("combobox", { name: "Jazyk hlášení" })).toHaveValue("cs_CZ");
  await page.getByRole("group", { name: "Připojení PSTN" }).getByRole("radio", { name: "Cisco PSTN" }).check();
  await next.click();

  await step("Nastavení schůzek");
  const site = `cesky-${Date.now().toString(36)}`;
  await page.getByRole("textbox", { name: "Subdoména" }).fill(site);
  await page.getByRole("button", { name: "Zkontrolovat dostupnost" }).click();
  await expect(page.getByText(`Subdoména ${site} je dostupná`)).toBeVisible();
  await page.getByRole("button", { name: "Uložit", exact: true }).click();
  await expect(page.getByRole("status")).toHaveText(`Uloženo. Web schůzek bude https://${site}.webex.com`);
  await next.click();

  await step("Zřídit a zahájit fakturaci", { last: true });
  await expect(back).toBeVisible();
  await page.getByRole("button", { name: "Zřídit předplatné" }).click();
  await expect(page.getByRole("status")).toHaveText(/^Fakturace zahájena dne \d{4}-\d{2}-\d{2}$/);
  await expect(page.getByText("Billing started")).toHaveCount(0);
  await context.close();
});
