import { test, expect, type Browser, type Page } from "@playwright/test";
import { codeIn, invitedOrder, linkIn, mailbox, next, open, setUpNowLink, unique } from "./helpers";
import {
  adminThroughReview,
  chooseSelfSetup,
  createPassword,
  PASSWORD,
  selfSetup,
  serviceToBilling,
  signInToHub,
} from "./flows";

function address(tag: string, domain = "customer.example") {
  return `${tag}-${unique("o").toLowerCase()}@${domain}`;
}

/** A page in a browser context of its own: no cookies, no earlier session. */
async function freshPage(browser: Browser, baseURL: string | undefined) {
  const context = await browser.newContext({ baseURL });
  return { context, page: await context.newPage() };
}

/** Partner `partyId` sets up a first order with `admin` as customer administrator. */
async function managedCustomer(page: Page, request: Parameters<typeof mailbox>[0], partyId: string, admin: string) {
  const first = await invitedOrder(request, { partyId });
  await selfSetup(page, first.link, admin);
  return first;
}

test("a new colleague at an existing partner organization becomes a user and goes on to billing", async ({ page, request, browser, baseURL }) => {
  const partyId = unique("P");
  await managedCustomer(page, request, partyId, address("first"));
  const second = await invitedOrder(request, { partyId });

  const fresh = await freshPage(browser, baseURL);
  await open(fresh.page, second.link);
  await chooseSelfSetup(fresh.page);
  await expect(fresh.page.getByText("Your partner organization already exists")).toBeVisible();
  await next(fresh.page);
  await adminThroughReview(fresh.page, address("second"));
  await expect(fresh.page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await createPassword(fresh.page);
  await serviceToBilling(fresh.page);
  await fresh.context.close();

  // The colleague can come back: sign in on a new device.
  const again = await freshPage(browser, baseURL);
  await signInToHub(again.page, second.order.provisioning_contact_email);
  await expect(again.page.getByRole("row", { name: new RegExp(second.order.order_number) }).getByText("Provisioned")).toBeVisible();
  await again.context.close();
});

test("someone on a shared alias proves their own address with the emailed code, a wrong one refused, and goes on to billing", async ({ page, request, browser, baseURL }) => {
  const alias = address("provisioning", "partner.example");
  const person = address("jana", "partner.example");
  const { link } = await invitedOrder(request, { contact: alias });
  await open(page, link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await page.getByRole("radio", { name: "Yes, I'll do the setup" }).check();
  const yours = page.getByRole("textbox", { name: "Your email address" });
  await expect(yours).toHaveValue(alias);
  await yours.fill(person);
  await next(page);
  // "Next" stays on the step: a code goes to the address.
  const code = page.getByRole("textbox", { name: "Verification code" });
  await expect(code).toBeVisible();
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  const right = await codeIn(request, person);
  await code.fill(right === "000000" ? "111111" : "000000");
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "not right" })).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  await code.fill(right);
  await page.getByRole("button", { name: "Verify" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Confirmed" })).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: "Partner organization" })).toBeVisible();
  await next(page);
  await adminThroughReview(page, address("alias"));
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await expect(page.getByText(person)).toBeVisible();
  await createPassword(page);
  await serviceToBilling(page);
  const later = await freshPage(browser, baseURL);
  await signInToHub(later.page, person);
  await later.context.close();
});

test("another partner's customer is asked, and approving opens the order to its partner", async ({ page, request, browser, baseURL }) => {
  const admin = address("approver");
  await managedCustomer(page, request, unique("P"), admin);
  // The customer administrator gets a password through "Forgot password?" later; here: a second partner.
  const other = await invitedOrder(request);
  const partner = await freshPage(browser, baseURL);
  await open(partner.page, other.link);
  await chooseSelfSetup(partner.page);
  await next(partner.page);
  await partner.page.getByRole("textbox", { name: "Customer administrator email" }).fill(admin);
  await expect(partner.page.getByText("its administrator will be asked to approve")).toBeVisible();
  await next(partner.page);
  await expect(partner.page.getByRole("heading", { name: "Customer organization" })).toBeVisible();
  await expect(partner.page.getByText("nothing about the organization is shown")).toBeVisible();
  await expect(partner.page.getByText("Zakaznik a.s.")).toHaveCount(0);
  await next(partner.page);
  await expect(partner.page.getByRole("heading", { name: "Review" })).toBeVisible();
  await next(partner.page);
  await expect(partner.page.getByRole("heading", { name: /waits for the customer administrator's approval/ })).toBeVisible();
  await createPassword(partner.page, /\/hub$/);
  const row = partner.page.getByRole("row", { name: new RegExp(other.order.order_number) });
  await expect(row.getByText("Awaiting customer approval")).toBeVisible();

  const customer = await freshPage(browser, baseURL);
  await open(customer.page, await linkIn(request, admin, "Review request"));
  await expect(customer.page.getByText(other.order.partner.name)).toBeVisible();
  await expect(customer.page.getByText("A-WX-MTG-ENT")).toBeVisible();
  await customer.page.getByRole("button", { name: "Approve" }).click();
  await expect(customer.page.getByRole("heading", { name: "Approved" })).toBeVisible();
  await customer.context.close();

  await partner.page.reload();
  await expect(partner.page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await expect(row.getByText("Set up")).toBeVisible();
  await row.getByRole("link", { name: "Open service setup" }).click();
  await serviceToBilling(partner.page);
  await partner.context.close();
});

test("declining sends the provisioning contact a new link and the answer cannot be given twice", async ({ page, request, browser, baseURL }) => {
  const admin = address("decliner");
  await managedCustomer(page, request, unique("P"), admin);
  const other = await invitedOrder(request);
  const partner = await freshPage(browser, baseURL);
  await open(partner.page, other.link);
  await chooseSelfSetup(partner.page);
  await next(partner.page);
  await adminThroughReview(partner.page, admin);
  await expect(partner.page.getByRole("heading", { name: /waits for the customer administrator's approval/ })).toBeVisible();
  await partner.context.close();

  const review = await linkIn(request, admin, "Review request");
  const customer = await freshPage(browser, baseURL);
  await open(customer.page, review);
  await customer.page.getByRole("button", { name: "Decline" }).click();
  await expect(customer.page.getByRole("heading", { name: "Declined" })).toBeVisible();
  const used = await customer.page.goto(review);
  expect(used?.status()).toBe(410);
  await expect(customer.page.getByRole("heading", { name: /not valid/ })).toBeVisible();
  await expect(customer.page.getByText(other.order.order_number)).toHaveCount(0);
  await customer.context.close();

  const fresh = await setUpNowLink(request, other.order.provisioning_contact_email);
  expect(fresh).not.toBe(other.link);
  await open(page, fresh);
  await expect(page.getByRole("heading", { name: "Your role" })).toBeVisible();
});

test("the finder fills the administrator of an organization the partner manages, by keyboard", async ({ page, request }) => {
  const partyId = unique("P");
  const admin = address("found");
  const first = await managedCustomer(page, request, partyId, admin);
  // The partner's administrator gets its next order: the finder is theirs.
  const second = await invitedOrder(request, { partyId, contact: first.order.provisioning_contact_email });
  await open(page, second.link);
  await chooseSelfSetup(page);
  await next(page);
  await page.getByRole("button", { name: "Find an existing organization" }).click();
  const finder = page.getByRole("combobox", { name: "Organization" });
  await expect(finder).toBeFocused();
  await finder.fill("Zakaz");
  const option = page.getByRole("option", { name: new RegExp(admin) });
  await expect(option).toBeVisible();
  await finder.press("ArrowDown");
  await expect(finder).toHaveAttribute("aria-activedescendant", /org-option-/);
  await finder.press("Enter");
  await expect(page.getByRole("textbox", { name: "Customer administrator email" })).toHaveValue(admin);
  await expect(page.getByText("belongs to the customer organization Zakaznik a.s.")).toBeVisible();
  await next(page);
  await expect(page.getByRole("heading", { name: "Customer organization" })).toBeVisible();
  await expect(page.getByText("Zakaznik a.s.")).toBeVisible();
  await page.getByRole("checkbox", { name: "I don't recognize this organization" }).check();
  await expect(page.getByText("Contact your Cisco representative")).toBeVisible();
  await expect(page.getByRole("button", { name: "Next" })).toBeDisabled();
  await page.getByRole("checkbox", { name: "I don't recognize this organization" }).uncheck();
  await next(page);
  await next(page);
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
});

test("forgot password: a reset link by email sets a new password and signs in", async ({ page, request, browser, baseURL }) => {
  const first = await invitedOrder(request);
  await selfSetup(page, first.link, address("reset"));
  const email = first.order.provisioning_contact_email;
  const fresh = await freshPage(browser, baseURL);
  await open(fresh.page, "/hub");
  await fresh.page.getByRole("link", { name: "Forgot password?" }).click();
  await fresh.page.getByRole("textbox", { name: "Email address" }).fill(email);
  await fresh.page.getByRole("button", { name: "Send reset link" }).click();
  await expect(fresh.page.getByRole("status")).toContainText("If this address belongs to an account");
  await open(fresh.page, await linkIn(request, email, "Reset password"));
  await fresh.page.getByLabel("New password").fill(PASSWORD);
  await fresh.page.getByLabel("Confirm password").fill(PASSWORD);
  await fresh.page.getByRole("button", { name: "Set password" }).click();
  await expect(fresh.page).toHaveURL(/\/hub$/);
  await expect(fresh.page.getByText("Signed in as")).toBeVisible();
  await fresh.context.close();
});

test("a provisioning contact who administers a customer organization verifies it on the customer path", async ({ page, request, browser, baseURL }) => {
  const admin = address("it");
  await managedCustomer(page, request, unique("P"), admin);
  const own = await invitedOrder(request, { contact: admin });
  const customer = await freshPage(browser, baseURL);
  await open(customer.page, own.link);
  await customer.page.getByRole("radio", { name: "I am a customer" }).check();
  await next(customer.page);
  await expect(customer.page.getByRole("heading", { name: "Customer organization" })).toBeVisible();
  await expect(customer.page.getByText("Zakaznik a.s.")).toBeVisible();
  await expect(customer.page.getByRole("textbox", { name: "Customer organization name" })).toHaveCount(0);
  await expect(customer.page.getByRole("checkbox", { name: "I don't recognize this organization" })).not.toBeChecked();
  await next(customer.page);
  await expect(customer.page.getByRole("heading", { name: "Review" })).toBeVisible();
  await next(customer.page);
  await expect(customer.page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await createPassword(customer.page);
  await expect(customer.page.getByRole("heading", { name: "Subscription details" })).toBeVisible();
  await customer.context.close();
});
