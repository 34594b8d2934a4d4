import { test, expect, type Page, type Browser } from "@playwright/test";
import { invitedOrder, mailbox, next, open, setUpNowLink, unique } from "./helpers";
import { callingStep, createPassword, customerSetupByPartner, meetingStep, PASSWORD, selfSetup } from "./flows";

function admin(tag: string) {
  return `admin-${unique(tag).toLowerCase()}@customer.example`;
}

/** From a fresh order to the first step of its service setup, signed in. */
async function toServiceWizard(page: Page, request: Parameters<typeof invitedOrder>[0]) {
  const invited = await invitedOrder(request);
  await selfSetup(page, invited.link, admin("svc"));
  await createPassword(page);
  await expect(page.getByRole("heading", { name: "Subscription details" })).toBeVisible();
  return invited.order;
}

async function signIn(browser: Browser, baseURL: string | undefined, email: string) {
  const context = await browser.newContext({ baseURL });
  const page = await context.newPage();
  await open(page, "/hub");
  await page.getByRole("textbox", { name: "Email" }).fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText("Signed in as")).toBeVisible();
  return { context, page };
}

test("after a self setup the service wizard runs through billing, once", async ({ page, request, browser, baseURL }) => {
  const order = await toServiceWizard(page, request);
  await expect(page.getByText(order.subscription_id)).toBeVisible();
  await expect(page.getByRole("cell", { name: "A-WX-MTG-ENT" })).toBeVisible();
  await next(page);
  await callingStep(page);
  await meetingStep(page, `Site-${Date.now().toString(36)}`);
  await expect(page.getByRole("heading", { name: "Provision and start billing" })).toBeVisible();
  await page.getByRole("button", { name: "Provision subscription" }).dblclick();
  await expect(page.getByText(/Billing started on \d{4}-\d{2}-\d{2}/)).toBeVisible();
  await expect
    .poll(async () => (await mailbox(request, order.provisioning_contact_email)).filter((m) => m.kind === "billing_started").length)
    .toBe(1);

  // The hub shows the order as provisioned.
  const hub = await signIn(browser, baseURL, order.provisioning_contact_email);
  const row = hub.page.getByRole("row", { name: new RegExp(order.order_number) });
  await expect(row.getByText("provisioned")).toBeVisible();
  await hub.context.close();
});

test("reopened, the service wizard resumes at the first step not done, and works there", async ({ page, request }) => {
  await toServiceWizard(page, request);
  await next(page);
  await callingStep(page);
  await expect(page.getByRole("heading", { name: "Meeting settings" })).toBeVisible();

  // The server renders the meeting step and the browser takes it over: one
  // step, not two, and its buttons answer.
  await open(page, new URL(page.url()).pathname);
  await expect(page.getByRole("heading", { level: 2 })).toHaveText(["Meeting settings"]);
  await expect(page.getByRole("textbox", { name: "Subdomain" })).toHaveCount(1);
  await meetingStep(page, `resumed-${Date.now().toString(36)}`);
  await expect(page.getByRole("heading", { name: "Provision and start billing" })).toBeVisible();
});

test("a reserved and a taken subdomain are not available", async ({ page, request }) => {
  await toServiceWizard(page, request);
  await next(page);
  await callingStep(page);
  const taken = `taken-${Date.now().toString(36)}`;
  await meetingStep(page, taken);

  await toServiceWizard(page, request);
  await next(page);
  await callingStep(page);
  const subdomain = page.getByRole("textbox", { name: "Subdomain" });
  await subdomain.fill("www");
  await page.getByRole("button", { name: "Check availability" }).click();
  await expect(page.getByText("is not available")).toBeVisible();
  await subdomain.fill(taken.toUpperCase());
  await page.getByRole("button", { name: "Check availability" }).click();
  await expect(page.getByText("is not available")).toBeVisible();
  await page.getByRole("button", { name: "Save" }).click();
  await expect(page.getByText("This subdomain is taken")).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
});

test("an organization the customer set up is managed by the customer, also for the server", async ({ page, request, browser, baseURL }) => {
  const { order, link } = await invitedOrder(request);
  const customerAdmin = admin("mbc");
  await customerSetupByPartner(page, link, customerAdmin);
  // The partner's person gets an account, but no access to the order: the hub.
  await createPassword(page, /\/hub$/);

  // The customer administrator finishes and runs the service setup.
  const customer = await browser.newContext({ baseURL });
  const customerPage = await customer.newPage();
  await open(customerPage, await setUpNowLink(request, customerAdmin));
  await next(customerPage);
  await next(customerPage);
  await next(customerPage);
  await expect(customerPage.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await createPassword(customerPage);
  const serviceUrl = customerPage.url();
  await expect(customerPage.getByRole("heading", { name: "Subscription details" })).toBeVisible();
  await next(customerPage);
  await callingStep(customerPage);
  await meetingStep(customerPage, `cust-${Date.now().toString(36)}`);
  await customerPage.getByRole("button", { name: "Provision subscription" }).click();
  await expect(customerPage.getByText("Billing started")).toBeVisible();
  await customer.close();

  // The partner sees it as managed by the customer, with no action, and the
  // server refuses its settings.
  const partner = await signIn(browser, baseURL, order.provisioning_contact_email);
  const org = partner.page.getByRole("region", { name: "Zakaznik a.s." }).filter({ hasText: "Managed by customer" });
  await expect(org).toBeVisible();
  await expect(org.getByRole("link", { name: "Open service setup" })).toHaveCount(0);
  await open(partner.page, new URL(serviceUrl).pathname);
  await expect(partner.page.getByRole("alert")).toContainText("managed by the customer");
  await expect(partner.page.getByRole("heading", { name: "Subscription details" })).toHaveCount(0);
  await partner.context.close();
});

test("a wrong password is refused without saying whether the account exists", async ({ page }) => {
  await open(page, "/hub");
  await page.getByRole("textbox", { name: "Email" }).fill("nobody@partner.example");
  await page.getByLabel("Password").fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toHaveText("The email address or password is not correct.");
});
