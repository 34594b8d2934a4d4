import { test, expect, type Page, type APIRequestContext } from "@playwright/test";
import { invitedOrder, mailbox, next, open, placeOrder, runSchedulerOn, setUpNowLink, START, unique } from "./helpers";
import { chooseSelfSetup, createPassword, customerSetupByPartner, selfSetup } from "./flows";

/** Sets up an order of partner `partyId` so that the partner organization exists. */
async function existingPartner(request: APIRequestContext, page: Page, partyId: string) {
  const first = await invitedOrder(request, { partyId });
  await selfSetup(page, first.link, `admin-${unique("a").toLowerCase()}@customer.example`);
  return first;
}

test("self setup of a first order creates the partner organization and its password", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  await selfSetup(page, link, `admin-${unique("self").toLowerCase()}@customer.example`);
  await createPassword(page);
});

test("step 2 appears from a module fetched while step 1 was used, without waiting on the network", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  const modules: string[] = [];
  const arrived: string[] = [];
  const wasm = (url: string) => new URL(url).pathname.endsWith(".wasm");
  page.on("request", (r) => { if (wasm(r.url())) modules.push(new URL(r.url()).pathname); });
  page.on("requestfinished", (r) => { if (wasm(r.url())) arrived.push(new URL(r.url()).pathname); });
  await open(page, link);
  await page.waitForLoadState("networkidle");
  // While the page loads only its own module comes: compiling the later
  // steps' would lengthen the load.
  expect(modules.filter((m) => !m.endsWith("/setup-now.wasm"))).toEqual([]);
  const loaded = modules.length;
  // Once step 1 is used the later steps' module is fetched unasked.
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await expect.poll(() => arrived.length > loaded && arrived.length === modules.length).toBe(true);
  await page.waitForLoadState("networkidle");
  const fetched = modules.length;
  await next(page);
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  await expect(page.getByRole("radio", { name: "Yes, I'll do the setup" })).toBeVisible();
  expect(modules.slice(fetched)).toEqual([]);
});

test("a partner organization that exists is shown for review", async ({ page, request }) => {
  const partyId = unique("P");
  await existingPartner(request, page, partyId);
  const second = await invitedOrder(request, { partyId });
  await open(page, second.link);
  await chooseSelfSetup(page);
  await expect(page.getByText("Your partner organization already exists")).toBeVisible();
  await expect(page.getByText("Partner s.r.o.")).toBeVisible();
  await expect(page.getByRole("textbox", { name: "Organization name" })).toHaveCount(0);
  await next(page);
  await page.getByRole("textbox", { name: "Customer administrator email" }).fill(`admin-${unique("ex").toLowerCase()}@customer.example`);
  await next(page);
  await next(page);
  await next(page);
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  // This order's contact is a new user of the existing organization.
  await createPassword(page);
});

test("an organization the partner does not recognize stops the wizard", async ({ page, request }) => {
  const partyId = unique("P");
  await existingPartner(request, page, partyId);
  const second = await invitedOrder(request, { partyId });
  await open(page, second.link);
  await chooseSelfSetup(page);
  await page.getByRole("checkbox", { name: "I don't recognize this organization" }).check();
  await expect(page.getByText("Contact your Cisco representative")).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
});

test("someone else in the company gets a new link and the first one dies", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  const colleague = `colleague-${unique("d").toLowerCase()}@partner.example`;
  await open(page, link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await page.getByRole("radio", { name: "Someone else in my company will do the setup" }).check();
  await page.getByRole("textbox", { name: "Email address" }).fill(colleague);
  await next(page);
  await expect(page.getByRole("heading", { name: "The setup was handed over" })).toBeVisible();
  await expect(page.getByText(colleague)).toBeVisible();

  const dead = await page.goto(link);
  expect(dead?.status()).toBe(410);
  await expect(page.getByRole("heading", { name: /not valid/ })).toBeVisible();

  const colleagueLink = await setUpNowLink(request, colleague);
  expect(colleagueLink).not.toBe(link);
  await selfSetup(page, colleagueLink, `admin-${unique("d").toLowerCase()}@customer.example`);
  await createPassword(page);
});

test("customer setup invites the customer administrator, who finishes it", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  const admin = `admin-${unique("cs").toLowerCase()}@customer.example`;
  await customerSetupByPartner(page, link, admin);
  await expect(page.getByText(`We sent a Set Up Now email to ${admin}`)).toBeVisible();
  await expect(page.getByText("no management access")).toBeVisible();

  const customerLink = await setUpNowLink(request, admin);
  await open(page, customerLink);
  await expect(page.getByRole("radio", { name: "I am a customer" })).toBeChecked();
  await expect(page.getByRole("radio", { name: "I am a partner" })).toHaveCount(0);
  await next(page);
  await expect(page.getByRole("textbox", { name: "Customer organization name" })).toHaveValue("Zakaznik a.s.");
  await next(page);
  await expect(page.getByRole("heading", { name: "Review" })).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await createPassword(page);
});

test("an address of a partner organization is refused as customer administrator", async ({ page, request }) => {
  // The first order's provisioning contact becomes a partner user.
  const first = await invitedOrder(request);
  await selfSetup(page, first.link, `admin-${unique("pa").toLowerCase()}@customer.example`);
  const partnerUser = first.order.provisioning_contact_email;

  const second = await invitedOrder(request);
  await open(page, second.link);
  await chooseSelfSetup(page);
  await next(page);
  await page.getByRole("textbox", { name: "Customer administrator email" }).fill(partnerUser);
  await expect(page.getByRole("alert").filter({ hasText: "already belongs" })).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: "Customer administrator" })).toBeVisible();
  await expect(page.getByRole("alert").filter({ hasText: "already belongs" })).toBeVisible();
});

test("exit setup stores nothing and the link starts again at step 1", async ({ page, request }) => {
  const { order, link } = await invitedOrder(request);
  await open(page, link);
  await chooseSelfSetup(page);
  await page.getByRole("textbox", { name: "Organization name" }).fill("Changed s.r.o.");
  await page.getByRole("button", { name: "Exit setup" }).click();
  await expect(page).toHaveURL(/\/$/);
  await open(page, link);
  await expect(page.getByRole("heading", { name: "Your role" })).toBeVisible();
  await chooseSelfSetup(page);
  await expect(page.getByRole("textbox", { name: "Organization name" })).toHaveValue("Partner s.r.o.");
  expect(await mailbox(request, order.provisioning_contact_email)).toHaveLength(1);
});

test("a spent link shows a page without order data and 410", async ({ page, request }) => {
  const { order, link } = await invitedOrder(request);
  await selfSetup(page, link, `admin-${unique("sp").toLowerCase()}@customer.example`);
  const response = await page.goto(link);
  expect(response?.status()).toBe(410);
  await expect(page.getByRole("heading", { name: /not valid/ })).toBeVisible();
  await expect(page.getByText(order.order_number)).toHaveCount(0);
});

test("an unknown link answers 404", async ({ page }) => {
  const response = await page.goto("/setup/this-is-not-a-token");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "This link is not valid" })).toBeVisible();
});

test("the browser's back button returns to the previous step with the draft kept", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  await open(page, link);
  await chooseSelfSetup(page);
  await page.getByRole("textbox", { name: "Organization name" }).fill("Kept s.r.o.");
  await next(page);
  await expect(page.getByRole("heading", { name: "Customer administrator" })).toBeVisible();
  await page.goBack();
  await expect(page.getByRole("textbox", { name: "Organization name" })).toHaveValue("Kept s.r.o.");
});

test("an order placed through the API reaches the mailbox as Set Up Now on its start date", async ({ page, request }) => {
  const order = await placeOrder(request);
  await runSchedulerOn(request, `${START}T00:00:05Z`);
  const link = await setUpNowLink(request, order.provisioning_contact_email);
  expect(link).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/setup\/[A-Za-z0-9_-]{43}$/);
  await open(page, "/mailbox");
  const mail = page.getByRole("article", { name: new RegExp(order.order_number) });
  await expect(mail.getByRole("link", { name: "Set Up Now" })).toHaveAttribute("href", link);
  // The HTML part as the contact's mail program shows it: the partner is in
  // CZ, so the button is Czech, with the English link beside it.
  const shown = mail.frameLocator("iframe");
  await expect(shown.getByRole("link", { name: "Nastavit nyní" })).toHaveAttribute("href", link);
  await mail.getByRole("link", { name: "As the email looks (HTML)" }).click();
  await expect(page.locator("html")).toHaveAttribute("lang", "cs");
  await expect(page.getByRole("link", { name: "Nastavit nyní" })).toHaveAttribute("href", link);
  await expect(page.getByRole("link", { name: "Set Up Now" })).toHaveAttribute("href", link);
});
