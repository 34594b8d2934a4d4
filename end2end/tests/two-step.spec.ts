import { test, expect, type Page } from "@playwright/test";
import { expectAccessible, texts, type Lang } from "./a11y";
import { invitedOrder, linkIn, next, open, setClock, totp, unique } from "./helpers";
import { freshPage, partnerWithAdministrator, PASSWORD } from "./flows";

// Issue 24, contract section 13: two-step sign-in turned on from the page
// (the secret read off the page, the code computed here), then a code and a
// recovery code after the password; an administrator requiring it of a
// member. Every state is held to axe, in English and in Czech. The server's
// clock is frozen, so the codes are computed for its instant.

function address(tag: string) {
  return `${tag}-${unique("t").toLowerCase()}@partner.example`;
}

/**
 * Instants a minute apart in `hour` of the frozen server clock: each code is
 * of a step of its own. Each walk takes an hour of its own, later than the
 * walk before: sign-ins from this one address are counted per 15 minutes of
 * the server's clock, and the two-step walks sign in often.
 */
function clockAt(hour: number) {
  return (n: number) => `2026-12-01T${String(hour).padStart(2, "0")}:${String(n).padStart(2, "0")}:00Z`;
}

function helpers(page: Page, lang: Lang) {
  const t = texts(lang);
  return {
    t,
    check: async (where: string) => {
      await expect(page.locator("html")).toHaveAttribute("lang", lang);
      await expectAccessible(page, `${where} [${lang}]`);
    },
    button: (key: string) => page.getByRole("button", { name: t(key), exact: true }),
    code: () => page.getByRole("textbox", { name: t("two_step.code"), exact: true }),
    signIn: async (email: string) => {
      await open(page, "/hub");
      await page.getByRole("textbox", { name: t("hub.email") }).fill(email);
      await page.getByLabel(t("hub.password"), { exact: true }).fill(PASSWORD);
      await page.getByRole("button", { name: t("hub.sign_in"), exact: true }).click();
    },
    signOut: async () => {
      await open(page, "/hub");
      await page.getByRole("button", { name: t("hub.sign_out") }).click();
      await expect(page.getByRole("heading", { level: 2, name: t("hub.sign_in_title") })).toBeVisible();
    },
  };
}

/** On /account: turns two-step sign-in on at `now`; the recovery codes. */
async function turnOn(page: Page, lang: Lang, now: string, check: (where: string) => Promise<void>) {
  const other = now.replace(/:\d\d:00Z$/, ":59:00Z");
  const t = texts(lang);
  await expect(page.getByRole("heading", { level: 2, name: t("two_step.title") })).toBeVisible();
  await check("account, two-step sign-in off");
  await page.getByRole("button", { name: t("two_step.turn_on") }).click();
  await expect(page.getByRole("img", { name: t("two_step.qr_alt") })).toBeVisible();
  const secret = await page.getByRole("textbox", { name: t("two_step.secret_key") }).inputValue();
  expect(secret).toMatch(/^[A-Z2-7]{32}$/);
  await check("account, turning two-step sign-in on");
  const code = page.getByRole("textbox", { name: t("two_step.code"), exact: true });
  await code.fill(totp(secret, other) === totp(secret, now) ? "000000" : totp(secret, other));
  await page.getByRole("button", { name: t("two_step.confirm") }).click();
  await expect(page.getByRole("alert")).toHaveText(t("two_step.wrong_code"));
  await check("account, a wrong first code");
  await code.fill(totp(secret, now));
  await page.getByRole("button", { name: t("two_step.confirm") }).click();
  const list = page.getByRole("list", { name: t("two_step.recovery_title") });
  await expect(list.getByRole("listitem")).toHaveCount(10);
  await check("account, recovery codes");
  return { secret, recovery: await list.getByRole("listitem").allInnerTexts() };
}

for (const lang of ["en", "cs"] as const) {
  test(`two-step sign-in is turned on, then asks for a code or a recovery code [${lang}]`, async ({ browser, baseURL, request }) => {
    const minute = clockAt(lang === "en" ? 10 : 12);
    const admin = address("admin");
    await partnerWithAdministrator(browser, baseURL, request, unique("P"), admin);
    const { context, page } = await freshPage(browser, baseURL, lang);
    const { t, check, button, code, signIn, signOut } = helpers(page, lang);
    await setClock(request, minute(0));
    await signIn(admin);
    await expect(page.getByText(t("hub.signed_in_as"))).toBeVisible();
    await page.getByRole("link", { name: t("hub.account"), exact: true }).click();
    await expect(page).toHaveURL(/\/account$/);
    const { secret, recovery } = await turnOn(page, lang, minute(0), check);

    // The password, then the code.
    await signOut();
    await setClock(request, minute(1));
    await signIn(admin);
    await expect(code()).toBeFocused();
    await check("sign-in, code asked for");
    await code().fill("000000" === totp(secret, minute(1)) ? "111111" : "000000");
    await button("two_step.verify").click();
    await expect(page.getByRole("alert")).toHaveText(t("two_step.wrong_code"));
    await check("sign-in, wrong code");
    await code().fill(totp(secret, minute(1)));
    await button("two_step.verify").click();
    await expect(page.getByText(t("hub.signed_in_as"))).toBeVisible();

    // A recovery code in place of a code, once.
    await signOut();
    await signIn(admin);
    await code().fill(recovery[0]);
    await button("two_step.verify").click();
    await expect(page.getByText(t("hub.signed_in_as"))).toBeVisible();
    await signOut();
    await signIn(admin);
    await code().fill(recovery[0]);
    await button("two_step.verify").click();
    await expect(page.getByRole("alert")).toHaveText(t("two_step.wrong_code"));

    // On /account it shows on, and "Sign out everywhere" ends this session too.
    await code().fill(recovery[1]);
    await button("two_step.verify").click();
    await expect(page.getByText(t("hub.signed_in_as"))).toBeVisible();
    await open(page, "/account");
    await expect(page.getByText(t("two_step.on_text"))).toBeVisible();
    await check("account, two-step sign-in on");
    await button("two_step.sign_out_everywhere").click();
    await expect(page).toHaveURL(/\/hub$/);
    await expect(page.getByRole("heading", { level: 2, name: t("hub.sign_in_title") })).toBeVisible();
    await context.close();
  });

  test(`an administrator requires two-step sign-in and a member turns it on before anything else [${lang}]`, async ({ browser, baseURL, request }) => {
    const minute = clockAt(lang === "en" ? 11 : 13);
    const admin = address("admin");
    await partnerWithAdministrator(browser, baseURL, request, unique("P"), admin);
    await setClock(request, minute(10));
    const hub = await freshPage(browser, baseURL, lang);
    const a = helpers(hub.page, lang);
    await a.signIn(admin);
    await hub.page.getByRole("link", { name: a.t("hub.account"), exact: true }).click();
    await turnOn(hub.page, lang, minute(10), a.check);

    // A colleague joins as a Member.
    await open(hub.page, "/hub/people");
    const colleague = address("colleague");
    const invite = hub.page.getByRole("form", { name: a.t("people.invite") });
    await invite.getByRole("textbox", { name: a.t("people.email") }).fill(colleague);
    await invite.getByRole("combobox", { name: a.t("people.role") }).selectOption({ label: a.t("people.role_member") });
    await invite.getByRole("button", { name: a.t("people.send_invitation") }).click();
    await expect(hub.page.getByRole("status")).toContainText(colleague);
    const member = await freshPage(browser, baseURL, lang);
    const m = helpers(member.page, lang);
    await open(member.page, await linkIn(request, colleague, lang === "cs" ? "Připojit se" : "Join"));
    await member.page.getByLabel(m.t("wizard.password"), { exact: true }).fill(PASSWORD);
    await member.page.getByLabel(m.t("wizard.confirm_password")).fill(PASSWORD);
    await m.button("wizard.create_password").click();
    await expect(member.page).toHaveURL(/\/hub$/);

    // The administrator requires it.
    const required = hub.page.getByRole("checkbox", { name: a.t("two_step.require") });
    await expect(required).not.toBeChecked();
    await required.check();
    await expect(hub.page.getByRole("status")).toHaveText(a.t("people.saved"));
    await a.check("people, two-step sign-in required");
    await hub.page.reload();
    await expect(hub.page.getByRole("checkbox", { name: a.t("two_step.require") })).toBeChecked();

    // The member is taken to /account, whatever they open, until it is on.
    await open(member.page, "/hub");
    await expect(member.page).toHaveURL(/\/account$/);
    await expect(member.page.getByText(m.t("two_step.required_text"))).toBeVisible();
    await m.check("account, two-step sign-in required");
    await open(member.page, "/hub/people");
    await expect(member.page).toHaveURL(/\/account$/);
    await setClock(request, minute(11));
    await turnOn(member.page, lang, minute(11), m.check);
    await open(member.page, "/hub");
    await expect(member.page.getByText(m.t("hub.signed_in_as"))).toBeVisible();
    await hub.context.close();
    await member.context.close();
  });
}

test("on step 2 of the setup wizard, a user with two-step sign-in on gives a code after the password", async ({ browser, baseURL, request }) => {
  const minute = clockAt(14);
  const partyId = unique("P");
  const contact = address("admin");
  await partnerWithAdministrator(browser, baseURL, request, partyId, contact);
  const hub = await freshPage(browser, baseURL, "en");
  const h = helpers(hub.page, "en");
  await setClock(request, minute(20));
  await h.signIn(contact);
  await hub.page.getByRole("link", { name: "Account", exact: true }).click();
  const { secret } = await turnOn(hub.page, "en", minute(20), h.check);
  await hub.context.close();

  const second = await invitedOrder(request, { partyId, contact });
  const { context, page } = await freshPage(browser, baseURL, "en");
  await setClock(request, minute(21));
  await open(page, second.link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await page.getByRole("radio", { name: "Yes, I'll do the setup" }).check();
  await next(page);
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  const code = page.getByRole("textbox", { name: "Code", exact: true });
  await expect(code).toBeFocused();
  await code.fill(totp(secret, minute(21)));
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Confirmed" })).toBeVisible();
  await next(page);
  await expect(page.getByText("Your partner organization already exists")).toBeVisible();
  await context.close();
});
