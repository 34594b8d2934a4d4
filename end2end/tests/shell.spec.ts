import { test, expect } from "@playwright/test";
import { invitedOrder, open } from "./helpers";

test("the start page is served, hydrates and links to every area", async ({ page }) => {
  const response = await open(page, "/");
  expect(response?.status()).toBe(200);
  await expect(page.getByRole("heading", { level: 1, name: "Set Up Now" })).toBeVisible();
  await expect(page.getByRole("link", { name: /commerce/i }).first()).toBeVisible();
});

test("the header marks the page shown as current, and follows the router's navigation", async ({ page }) => {
  await open(page, "/");
  const nav = page.getByRole("navigation", { name: "Set Up Now" });
  const commerce = nav.getByRole("link", { name: /commerce/i });
  await expect(page.getByRole("link", { name: "Set Up Now" })).toHaveAttribute("aria-current", "page");
  await expect(commerce).not.toHaveAttribute("aria-current", /./);
  await commerce.click();
  await expect(page).toHaveURL(/\/commerce$/);
  await expect(commerce).toHaveAttribute("aria-current", "page");
  await expect(page.getByRole("link", { name: "Set Up Now" })).not.toHaveAttribute("aria-current", /./);
});

test("an unknown address answers 404 with a page that says so", async ({ page }) => {
  const response = await page.goto("/no/such/page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("the language switches to Czech and stays after a reload", async ({ page }) => {
  await open(page, "/");
  await page.getByRole("button", { name: "Čeština" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Nastavit nyní" })).toBeVisible();
  await page.reload();
  await expect(page.getByRole("heading", { level: 1, name: "Nastavit nyní" })).toBeVisible();
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Set Up Now" })).toBeVisible();
});

test("a Czech browser gets Czech pages", async ({ browser, baseURL }) => {
  const context = await browser.newContext({ locale: "cs-CZ", baseURL });
  const page = await context.newPage();
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "cs");
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  // Still Czech once the client has taken over.
  await expect(page.getByRole("heading", { level: 1, name: "Nastavit nyní" })).toBeVisible();
  await context.close();
});

test("health answers once the database and scheduler run", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
});

test("the setup wizard loads only the main module and its own later steps; other pages load their split code when visited", async ({ page, request }) => {
  const { link } = await invitedOrder(request);
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(new URL(r.url()).pathname);
  });
  await open(page, link);
  await page.getByRole("radio", { name: "I am a partner" }).check();
  await expect(page.getByRole("radio", { name: "I am a partner" })).toBeChecked();
  // Only the wizard's own later steps come before a visit (fetched once
  // step 1 is used); no other page's code.
  expect(wasm.filter((p) => p.includes("_route_view_"))).toEqual([]);

  // A client-side navigation to a split-off page fetches its module and the page works.
  await page.getByRole("link", { name: "Commerce", exact: true }).click();
  await expect(page.getByRole("textbox", { name: "Order number" })).toBeVisible();
  expect(wasm.some((p) => p.includes("commerce_route"))).toBe(true);
  await page.getByRole("button", { name: "Place order" }).click();
  await expect(page.getByRole("alert").first()).toBeVisible();
});
