import { test, expect, type Browser, type Page } from "@playwright/test";
import { invitedOrder, linkIn, next, open, unique } from "./helpers";
import { adminThroughReview, chooseSelfSetup, createPassword, freshPage, partnerWithAdministrator, PASSWORD, selfSetup, serviceToBilling, signInToHub } from "./flows";

// Issue 22: a link is not an identity. Every walk starts in fresh browser
// contexts: nobody is signed in unless the walk signs in.

function address(tag: string, domain = "partner.example") {
  return `${tag}-${unique("p").toLowerCase()}@${domain}`;
}

/** The row of the hub that names `orderNumber`. */
function orderRow(page: Page, orderNumber: string) {
  return page.getByRole("row", { name: new RegExp(orderNumber) });
}

test("an existing user signs in on step 2, before any organization is shown, and goes straight on", async ({ browser, baseURL, request }) => {
  const partyId = unique("P");
  const contact = address("admin");
  await partnerWithAdministrator(browser, baseURL, request, partyId, contact);
  const second = await invitedOrder(request, { partyId, contact });
  const { context, page } = await freshPage(browser, baseURL);
  await open(page, second.link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await page.getByRole("radio", { name: "Yes, I'll do the setup" }).check();
  await next(page);
  const password = page.getByLabel("Password", { exact: true });
  await expect(password).toBeVisible();
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  await expect(page.getByText("Partner s.r.o.")).toHaveCount(0);
  await password.fill("not the password at all");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await password.fill(PASSWORD);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Confirmed" })).toBeVisible();
  await next(page);
  await expect(page.getByText("Your partner organization already exists")).toBeVisible();
  await next(page);
  // A member is offered the partner's customers.
  await expect(page.getByRole("button", { name: "Find an existing organization" })).toBeVisible();
  await adminThroughReview(page, address("second", "customer.example"));
  await expect(page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await expect(page.getByLabel("Confirm password")).toHaveCount(0);
  await page.getByRole("link", { name: "Continue" }).click();
  await serviceToBilling(page);
  await context.close();
});

test("a newcomer at an existing partner sees only their order until an administrator approves, then everything", async ({ browser, baseURL, request }) => {
  const partyId = unique("P");
  const admin = address("admin");
  const first = await partnerWithAdministrator(browser, baseURL, request, partyId, admin);
  const second = await invitedOrder(request, { partyId });
  const newcomer = await freshPage(browser, baseURL);
  await open(newcomer.page, second.link);
  await chooseSelfSetup(newcomer.page);
  await expect(newcomer.page.getByText("Your partner organization already exists")).toBeVisible();
  await next(newcomer.page);
  // Not a member: the partner's customers are not offered.
  await expect(newcomer.page.getByRole("heading", { name: "Customer administrator" })).toBeVisible();
  await expect(newcomer.page.getByRole("button", { name: "Find an existing organization" })).toHaveCount(0);
  await adminThroughReview(newcomer.page, address("new", "customer.example"));
  await expect(newcomer.page.getByRole("heading", { name: /successfully set up/ })).toBeVisible();
  await createPassword(newcomer.page);
  await open(newcomer.page, "/hub");
  await expect(orderRow(newcomer.page, second.order.order_number)).toBeVisible();
  await expect(orderRow(newcomer.page, first.order.order_number)).toHaveCount(0);

  // The administrator lets them in.
  const reviewer = await freshPage(browser, baseURL);
  await open(reviewer.page, await linkIn(request, admin, "Review request"));
  await expect(reviewer.page.getByText(second.order.provisioning_contact_email)).toBeVisible();
  await reviewer.page.getByRole("button", { name: "Approve" }).click();
  await expect(reviewer.page.getByRole("heading", { name: "Approved" })).toBeVisible();
  await reviewer.context.close();

  await open(newcomer.page, "/hub");
  await expect(orderRow(newcomer.page, first.order.order_number)).toBeVisible();
  await expect(orderRow(newcomer.page, second.order.order_number)).toBeVisible();
  await newcomer.context.close();
});

test("an administrator invites, demotes and removes people, and keeps the last administrator", async ({ browser, baseURL, request }) => {
  const partyId = unique("P");
  const admin = address("admin");
  await partnerWithAdministrator(browser, baseURL, request, partyId, admin);
  const hub = await freshPage(browser, baseURL);
  await signInToHub(hub.page, admin);
  await hub.page.getByRole("link", { name: "People" }).click();
  await expect(hub.page.getByRole("heading", { level: 1, name: "People" })).toBeVisible();
  await expect(hub.page).toHaveURL(/\/hub\/people$/);

  // Invite a colleague as a Member.
  const colleague = address("colleague");
  const invite = hub.page.getByRole("form", { name: "Invite" });
  await invite.getByRole("textbox", { name: "Email address" }).fill(colleague);
  await invite.getByRole("combobox", { name: "Role" }).selectOption({ label: "Member" });
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(hub.page.getByRole("status")).toContainText(colleague);

  const joined = await freshPage(browser, baseURL);
  await open(joined.page, await linkIn(request, colleague, "Join"));
  await joined.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await joined.page.getByLabel("Confirm password").fill(PASSWORD);
  await joined.page.getByRole("button", { name: "Create password" }).click();
  await expect(joined.page).toHaveURL(/\/hub$/);
  await expect(joined.page.getByText("Signed in as")).toBeVisible();

  // Demote them: in effect at once.
  await hub.page.reload();
  await expect(hub.page.locator("html")).toHaveAttribute("data-hydrated", "true");
  const people = hub.page.getByRole("table", { name: "People and roles" });
  const row = people.getByRole("row", { name: new RegExp(colleague) });
  await row.getByRole("combobox", { name: "Role" }).selectOption({ label: "Read-only" });
  await expect(hub.page.getByRole("status")).toContainText(colleague);
  await expect(row.getByRole("combobox", { name: "Role" })).toHaveValue("read_only");

  // The last administrator stays one.
  const me = people.getByRole("row", { name: new RegExp(admin) });
  await me.getByRole("combobox", { name: "Role" }).selectOption({ label: "Member" });
  await expect(hub.page.getByRole("alert").filter({ hasText: "at least one administrator" })).toBeVisible();
  await expect(me.getByRole("combobox", { name: "Role" })).toHaveValue("admin");

  // Remove the colleague: confirmed in the page; their session ends.
  await row.getByRole("button", { name: "Remove" }).click();
  await row.getByRole("button", { name: "Remove" }).click();
  await expect(people.getByRole("row", { name: new RegExp(colleague) })).toHaveCount(0);
  await joined.page.reload();
  await expect(joined.page.getByRole("button", { name: "Sign in" })).toBeVisible();
  await joined.context.close();
  await hub.context.close();
});

test("a Read-only user is offered no action, and the server refuses them too", async ({ browser, baseURL, request }) => {
  const partyId = unique("P");
  const admin = address("admin");
  await partnerWithAdministrator(browser, baseURL, request, partyId, admin);
  const open_order = await invitedOrder(request, { partyId, contact: address("someone") });
  const hub = await freshPage(browser, baseURL);
  await signInToHub(hub.page, admin);
  await open(hub.page, "/hub/people");
  const viewer = address("viewer");
  const invite = hub.page.getByRole("form", { name: "Invite" });
  await invite.getByRole("textbox", { name: "Email address" }).fill(viewer);
  await invite.getByRole("combobox", { name: "Role" }).selectOption({ label: "Read-only" });
  await invite.getByRole("button", { name: "Send invitation" }).click();
  await expect(hub.page.getByRole("status")).toContainText(viewer);
  await hub.context.close();

  const reader = await freshPage(browser, baseURL);
  await open(reader.page, await linkIn(request, viewer, "Join"));
  await reader.page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await reader.page.getByLabel("Confirm password").fill(PASSWORD);
  await reader.page.getByRole("button", { name: "Create password" }).click();
  await expect(reader.page).toHaveURL(/\/hub$/);
  const provisioned = orderRow(reader.page, open_order.order.order_number);
  await expect(provisioned).toBeVisible();
  for (const action of ["Manage", "Open service setup", "Resend invitation", "Provision subscription"]) {
    await expect(reader.page.getByRole("button", { name: action })).toHaveCount(0);
    await expect(reader.page.getByRole("link", { name: action })).toHaveCount(0);
  }
  await expect(reader.page.getByRole("link", { name: "People" })).toHaveCount(0);
  await expect(provisioned.getByRole("link", { name: "Activity" })).toBeVisible();
  // What the page does not offer, the server refuses.
  const orderId = (await (await request.get(`/api/orders/${open_order.order.order_number}`, { headers: { Authorization: "Bearer dev-commerce-token" } })).json()).order_id;
  for (const [endpoint, form] of [
    ["/api/hub/resend", { order_id: orderId }],
    ["/api/service/provision", { order_id: orderId }],
    ["/api/people/load", {}],
  ] as const) {
    const refused = await reader.page.request.post(endpoint, { form });
    expect(refused.status(), endpoint).toBe(403);
  }
  expect((await reader.page.goto("/hub/people"))?.status()).toBe(403);
  await reader.context.close();
});
