import { expect, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { invitedOrder, next, open, unique } from "./helpers";

export const PASSWORD = "correct horse battery staple";

export async function chooseSelfSetup(page: Page) {
  await expect(page.getByRole("heading", { name: "Your role" })).toBeVisible();
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  await page.getByRole("radio", { name: "Yes, I'll do the setup" }).check();
  await next(page);
}

/** Whoever sets up names the customer administrator and goes through to the success page. */
export async function adminThroughReview(page: Page, admin: string) {
  await expect(page.getByRole("heading", { name: "Customer administrator" })).toBeVisible();
  await page.getByRole("textbox", { name: "Customer administrator email" }).fill(admin);
  await next(page);
  await expect(page.getByRole("heading", { name: "Customer organization" })).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: "Review" })).toBeVisible();
  await next(page);
}

/** Walks a new partner's self setup up to the success page. */
export async function selfSetup(page: Page, link: string, admin: string) {
  await open(page, link);
  await chooseSelfSetup(page);
  await expect(page.getByRole("heading", { name: "Partner organization" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Organization name" })).toHaveValue("Partner s.r.o.");
  await expect(page.getByRole("textbox", { name: "Country" })).toHaveValue("CZ");
  await next(page);
  await page.getByRole("textbox", { name: "Customer administrator email" }).fill(admin);
  await next(page);
  await expect(page.getByRole("heading", { name: "Customer organization" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Customer organization name" })).toHaveValue("Zakaznik a.s.");
  await next(page);
  await expect(page.getByRole("heading", { name: "Review" })).toBeVisible();
  await expect(page.getByText(admin)).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
}

/** The partner chooses "Customer setup" and commits with `admin` as the customer administrator. */
export async function customerSetupByPartner(page: Page, link: string, admin: string) {
  await open(page, link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await page.getByRole("radio", { name: "Customer setup" }).check();
  await next(page);
  await next(page);
  await page.getByRole("textbox", { name: "Customer administrator email" }).fill(admin);
  await next(page);
  await next(page);
  await next(page);
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
}

/** Step 7; the service setup follows (or the hub, for whoever may not manage the order). */
export async function createPassword(page: Page, then: RegExp = /\/service\//) {
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create password" }).click();
  await expect(page).toHaveURL(then);
}

export async function callingStep(page: Page) {
  await expect(page.getByRole("heading", { name: "Calling settings" })).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Address" })).toHaveValue("Vinohradska 1, 120 00 Praha");
  await expect(page.getByRole("textbox", { name: "Country" })).toHaveValue("CZ");
  await page.getByRole("textbox", { name: "Location name" }).fill("Praha HQ");
  await page.getByRole("combobox", { name: "Time zone" }).selectOption("Europe/Prague");
  await page.getByRole("combobox", { name: "Announcement language" }).selectOption("cs_CZ");
  await page.getByRole("radio", { name: "Cisco PSTN" }).check();
  await next(page);
}

export async function meetingStep(page: Page, subdomain: string) {
  await expect(page.getByRole("heading", { name: "Meeting settings" })).toBeVisible();
  await page.getByRole("textbox", { name: "Subdomain" }).fill(subdomain);
  await page.getByRole("button", { name: "Check availability" }).click();
  await expect(page.getByText("is available")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("status").filter({ hasText: `https://${subdomain.toLowerCase()}.webex.com` })).toBeVisible();
  await next(page);
}

/** From "Subscription details" of an order with calling and meetings to "Billing started". */
export async function serviceToBilling(page: Page) {
  await expect(page.getByRole("heading", { name: "Subscription details" })).toBeVisible();
  await next(page);
  await callingStep(page);
  await meetingStep(page, `site-${Date.now().toString(36)}`);
  await expect(page.getByRole("heading", { name: "Provision and start billing" })).toBeVisible();
  await page.getByRole("button", { name: "Provision subscription" }).click();
  await expect(page.getByText(/Billing started on \d{4}-\d{2}-\d{2}/)).toBeVisible();
}

/** Signs in on /hub in a page of its own context. */
export async function signInToHub(page: Page, email: string) {
  await open(page, "/hub");
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Signed in as")).toBeVisible();
}

/** A browser context of its own (nobody signed in), speaking `lang` when given. */
export async function freshPage(browser: Browser, baseURL: string | undefined, lang?: "en" | "cs") {
  const context = await browser.newContext({ baseURL });
  if (lang) await context.addCookies([{ name: "i18n_pref_locale", value: lang, url: baseURL! }]);
  return { context, page: await context.newPage() };
}

/** Partner `partyId`'s first order set up by `contact`, who creates a password. */
export async function partnerWithAdministrator(browser: Browser, baseURL: string | undefined, request: APIRequestContext, partyId: string, contact: string) {
  const { context, page } = await freshPage(browser, baseURL);
  const first = await invitedOrder(request, { partyId, contact });
  await selfSetup(page, first.link, `admin-${unique("p").toLowerCase()}@customer.example`);
  await createPassword(page);
  await context.close();
  return first;
}
