import { test, expect } from "@playwright/test";
import { expectAccessible, texts } from "./a11y";
import { COMMERCE_TOKEN, invitedOrder, mailbox, open, setClock, unique } from "./helpers";
import { createPassword, freshPage, PASSWORD, selfSetup, serviceToBilling } from "./flows";

// Issue 25, contract section 14: an add-on to a provisioned subscription is a
// change order. Its "Set Up Now" link asks only for sign-in and lands in the
// service setup wizard, listing this order's services, where the customer's
// saved calling location is offered and its meeting site is already set up.
// Axe-clean in English and Czech.

for (const lang of ["en", "cs"] as const) {
  test(`a change order's link leads, after sign-in, to the service wizard with the customer's settings [${lang}]`, async ({ browser, baseURL, request }) => {
    const t = texts(lang);
    const contact = `contact-${unique("chg").toLowerCase()}@partner.example`;
    const partyId = unique("P");

    // The subscription's first order, set up and provisioned.
    const firstPage = await freshPage(browser, baseURL);
    const first = await invitedOrder(request, { partyId, contact });
    await selfSetup(firstPage.page, first.link, `admin-${unique("a").toLowerCase()}@customer.example`);
    await createPassword(firstPage.page);
    await serviceToBilling(firstPage.page);
    await firstPage.context.close();

    // An add-on to it: calling for another site, and webinars.
    const change = await invitedOrder(request, {
      partyId,
      contact,
      subscriptionId: first.order.subscription_id,
      services: [
        { kind: "calling", sku: "A-WX-CALL-STD", quantity: 10 },
        { kind: "webinars", sku: "A-WX-WEB", quantity: 5 },
      ],
    });
    const record = await request.get(`/api/orders/${change.order.order_number}`, {
      headers: { Authorization: `Bearer ${COMMERCE_TOKEN}` },
    });
    expect((await record.json()).kind).toBe("change");
    const mails = (await mailbox(request, contact)).filter((m) => m.kind === "change_invitation");
    expect(mails).toHaveLength(1);
    expect(mails[0].subject).toMatch(/Provision subscription updates|Zřízení aktualizací předplatného/);

    // Nobody is signed in in this browser: the link asks for it, nothing else.
    // Sign-ins from the one test address are counted per 15 minutes of the
    // server's clock: this walk signs in at an hour of its own.
    await setClock(request, `2026-12-01T${lang === "en" ? 15 : 16}:00:00Z`);
    const { context, page } = await freshPage(browser, baseURL, lang);
    await open(page, change.link);
    await expect(page.getByRole("heading", { level: 1, name: new RegExp(t("change.title")) })).toBeVisible();
    await expect(page.getByRole("textbox", { name: t("hub.email") })).toHaveValue(contact);
    await expectAccessible(page, `change order link [${lang}]`);
    await page.getByLabel(t("hub.password"), { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: t("hub.sign_in"), exact: true }).click();
    await expect(page).toHaveURL(/\/service\//);

    await expect(page.getByRole("heading", { name: t("service.step_subscription") })).toBeVisible();
    await expect(page.getByRole("cell", { name: "A-WX-WEB", exact: true })).toBeVisible();
    await expect(page.getByRole("cell", { name: "A-WX-MTG-ENT", exact: true })).toHaveCount(0);
    await page.getByRole("button", { name: t("service.next"), exact: true }).click();

    // The customer's saved location is offered, and chosen.
    await expect(page.getByRole("heading", { name: t("service.step_calling") })).toBeVisible();
    const location = page.getByRole("combobox", { name: t("service.location"), exact: true });
    await expect(location.locator("option:checked")).toHaveText("Praha HQ");
    await expect(location.locator("option", { hasText: t("service.new_location") })).toHaveCount(1);
    await expect(page.getByRole("textbox", { name: t("service.location_name") })).toBeHidden();
    await expectAccessible(page, `calling with a saved location [${lang}]`);
    await page.getByRole("button", { name: t("service.next"), exact: true }).click();

    // The site reserved by the first order serves this one.
    await expect(page.getByRole("heading", { name: t("service.step_meetings") })).toBeVisible();
    await expect(page.getByText(lang === "en" ? /already set up/ : /již nastaven/)).toBeVisible();
    await expect(page.getByRole("textbox", { name: t("service.subdomain") })).toHaveCount(0);
    await expectAccessible(page, `meeting site already set up [${lang}]`);
    await page.getByRole("button", { name: t("service.next"), exact: true }).click();

    await expect(page.getByRole("heading", { name: t("service.step_provision") })).toBeVisible();
    await page.getByRole("button", { name: t("service.provision"), exact: true }).click();
    await expect(page.getByRole("button", { name: t("service.provision"), exact: true })).toHaveCount(0);
    await expect(page.getByText(/\d{4}-\d{2}-\d{2}/)).toBeVisible();
    await context.close();
  });
}
