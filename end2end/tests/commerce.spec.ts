import { test, expect } from "@playwright/test";
import { open, runSchedulerOn, setUpNowLink, START, unique } from "./helpers";

test("an order placed on the commerce page is checked in the browser and listed", async ({ page, request }) => {
  const number = unique("WEB");
  const contact = `contact-${number.toLowerCase()}@partner.example`;
  await open(page, "/commerce");
  await page.getByRole("textbox", { name: "Order number" }).fill(number);
  await page.getByRole("textbox", { name: "Subscription ID" }).fill(`Sub-${number}`);
  await page.getByLabel("Requested start date").fill(START);
  await page.getByRole("textbox", { name: "Provisioning contact email" }).fill("not-an-address");
  await page.getByRole("textbox", { name: "Account representative email" }).fill("rep@cisco.example");
  await page.getByRole("textbox", { name: "Party ID" }).fill(`P-${number}`);
  await page.getByRole("textbox", { name: "Partner name" }).fill("Web Partner s.r.o.");
  await page.getByRole("textbox", { name: "Partner country" }).fill("CZ");
  await page.getByRole("textbox", { name: "Customer name" }).fill("Web Zakaznik a.s.");
  await page.getByRole("textbox", { name: "Customer country" }).fill("CZ");
  await page.getByRole("textbox", { name: "Customer address" }).fill("Vinohradska 2, Praha");
  await page.getByRole("textbox", { name: "SKU 1" }).fill("A-WX-MTG-ENT");
  await page.getByRole("spinbutton", { name: "Quantity 1" }).fill("25");
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "valid email address" })).toBeVisible();
  await expect(page.getByRole("cell", { name: number })).toHaveCount(0);

  await page.getByRole("textbox", { name: "Provisioning contact email" }).fill(contact);
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page.getByText(`Order ${number} was placed.`)).toBeVisible();
  const row = page.getByRole("row", { name: new RegExp(number) });
  await expect(row.getByText("Awaiting Provisioning Details")).toBeVisible();

  // Changing the provisioning contact after the invitation kills the old link.
  await runSchedulerOn(request, `${START}T09:00:00Z`);
  const oldLink = await setUpNowLink(request, contact);
  const newContact = `new-${number.toLowerCase()}@partner.example`;
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  await page.getByRole("textbox", { name: `New provisioning contact ${number}` }).fill(newContact);
  await page.getByRole("row", { name: new RegExp(number) }).getByRole("button", { name: "Change contact" }).click();
  await expect(page.getByText("A new invitation was sent")).toBeVisible();
  const newLink = await setUpNowLink(request, newContact);
  expect(newLink).not.toBe(oldLink);
  expect((await page.request.get(oldLink)).status()).toBe(410);
  expect((await page.request.get(newLink)).status()).toBe(200);
});
