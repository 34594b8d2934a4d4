import { test, expect } from "@playwright/test";
import { readFile } from "node:fs/promises";
import { expectAccessible, texts } from "./a11y";
import { open, unique } from "./helpers";
import { freshPage, partnerWithAdministrator, PASSWORD } from "./flows";

// Issue 25, contract section 14: /hub/customers lists the partner's
// customer organizations with their orders, and "Download CSV" gives them as
// a file; axe-clean in English and Czech.

for (const lang of ["en", "cs"] as const) {
  test(`a partner's customers, with their orders, and their CSV [${lang}]`, async ({ browser, baseURL, request }) => {
    const t = texts(lang);
    const admin = `admin-${unique("c").toLowerCase()}@partner.example`;
    const first = await partnerWithAdministrator(browser, baseURL, request, unique("P"), admin);
    const { context, page } = await freshPage(browser, baseURL, lang);
    await open(page, "/hub");
    await page.getByRole("textbox", { name: t("hub.email") }).fill(admin);
    await page.getByLabel(t("hub.password"), { exact: true }).fill(PASSWORD);
    await page.getByRole("button", { name: t("hub.sign_in"), exact: true }).click();
    await page.getByRole("link", { name: t("hub.customers"), exact: true }).click();
    await expect(page).toHaveURL(/\/hub\/customers$/);
    await expect(page.getByRole("heading", { level: 1, name: t("customers.title") })).toBeVisible();
    const row = page.getByRole("row", { name: new RegExp(first.order.order_number) });
    await expect(row).toBeVisible();
    await expect(row).toContainText(first.order.subscription_id);
    await expectAccessible(page, `customers [${lang}]`);

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("link", { name: t("customers.download") }).click(),
    ]);
    const csv = await readFile((await download.path())!, "utf8");
    const lines = csv.split("\r\n").filter((l) => l.length > 0);
    expect(lines[0]).toBe(
      "\ufeff" +
        [t("customers.organization"), t("customers.country"), t("hub.order"), t("customers.subscription"), t("hub.start"), t("hub.status"), t("customers.services")].join(","),
    );
    expect(lines.some((l) => l.includes(first.order.order_number))).toBeTruthy();
    await context.close();
  });
}
