import { expect, type Page } from "@playwright/test";
import { next, open } from "./helpers";

export const PASSWORD = "correct horse battery staple";

export async function chooseSelfSetup(page: Page) {
  await expect(page.getByRole("heading", { name: "Your role" })).toBeVisible();
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await next(page);
  await expect(page.getByRole("heading", { name: "Who does the setup" })).toBeVisible();
  await page.getByRole("radio", { name: "Yes, I'll do the setup" }).check();
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

export async function createPassword(page: Page) {
  await page.getByLabel("Password", { exact: true }).fill(PASSWORD);
  await page.getByLabel("Confirm password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create password" }).click();
  await expect(page).toHaveURL(/\/service\//);
}
