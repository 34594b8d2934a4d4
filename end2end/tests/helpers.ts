import { createHmac } from "node:crypto";
import { expect, type APIRequestContext, type Page } from "@playwright/test";

export const COMMERCE_TOKEN = "dev-commerce-token";
export const START = "2026-12-01";

let counter = 0;
/** A suffix that keeps every test's orders and addresses apart. */
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${Date.now().toString(36)}-${counter}`.toUpperCase();
}

export interface OrderOptions {
  number?: string;
  contact?: string;
  partyId?: string;
  /** The subscription (a change order names a provisioned one). */
  subscriptionId?: string;
  services?: { kind: string; sku: string; quantity: number }[];
}

export function orderBody(o: OrderOptions = {}) {
  const number = o.number ?? unique("CCW");
  return {
    order_number: number,
    offer: "A-WX",
    subscription_id: o.subscriptionId ?? `Sub-${number}`,
    requested_start_date: START,
    provisioning_contact_email: o.contact ?? `contact-${number.toLowerCase()}@partner.example`,
    account_rep_email: "rep@cisco.example",
    partner: { party_id: o.partyId ?? `P-${number}`, name: "Partner s.r.o.", country: "CZ" },
    customer: { name: "Zakaznik a.s.", country: "CZ", address: "Vinohradska 1, 120 00 Praha" },
    services: o.services ?? [
      { kind: "meetings", sku: "A-WX-MTG-ENT", quantity: 250 },
      { kind: "calling", sku: "A-WX-CALL-PRO", quantity: 100 },
    ],
  };
}

export async function placeOrder(request: APIRequestContext, o: OrderOptions = {}) {
  const body = orderBody(o);
  const response = await request.post("/api/orders", {
    headers: { Authorization: `Bearer ${COMMERCE_TOKEN}` },
    data: body,
  });
  expect(response.status()).toBe(201);
  return body;
}

export async function runSchedulerOn(request: APIRequestContext, now: string) {
  expect((await request.post("/api/dev/clock", { data: { now } })).ok()).toBeTruthy();
  const response = await request.post("/api/dev/scheduler/run");
  expect(response.ok()).toBeTruthy();
  return (await response.json()) as { invitations: number; escalations: number };
}

export interface Mail {
  id: number;
  /** `invitation`, `reminder`, `billing_started`, ... */
  kind: string;
  to: string;
  subject: string;
  text: string;
  links: { text: string; href: string }[];
  /** The HTML part's body. */
  html: string | null;
  created_at: string;
}

export async function mailbox(request: APIRequestContext, to: string): Promise<Mail[]> {
  const response = await request.get(`/api/dev/mailbox?to=${encodeURIComponent(to)}`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** The newest link with `text` sent to `to`, waiting for it to arrive. */
export async function linkIn(request: APIRequestContext, to: string, text: string): Promise<string> {
  let href: string | undefined;
  await expect
    .poll(async () => {
      href = (await mailbox(request, to))
        .flatMap((m) => m.links)
        .filter((l) => l.text === text)
        .map((l) => l.href)
        .pop();
      return href;
    })
    .toBeTruthy();
  return href!;
}

/** The newest "Set Up Now" link sent to `to`, waiting for it to arrive. */
export async function setUpNowLink(request: APIRequestContext, to: string): Promise<string> {
  return linkIn(request, to, "Set Up Now");
}

/** An order placed and invited; returns its body and the contact's link. */
export async function invitedOrder(request: APIRequestContext, o: OrderOptions = {}) {
  const order = await placeOrder(request, o);
  await runSchedulerOn(request, `${START}T09:00:00Z`);
  const link = await setUpNowLink(request, order.provisioning_contact_email);
  return { order, link };
}

/** Opens a page and waits until the client has hydrated. */
export async function open(page: Page, url: string) {
  const response = await page.goto(url);
  await expect(page.locator("html")).toHaveAttribute("data-hydrated", "true");
  return response;
}

export async function next(page: Page) {
  await page.getByRole("button", { name: "Next" }).click();
}

/** The six digits of the newest verification code sent to `to`, waiting for it. */
export async function codeIn(request: APIRequestContext, to: string): Promise<string> {
  let code: string | undefined;
  await expect
    .poll(async () => {
      const codes = (await mailbox(request, to))
        .filter((m) => /Verification code|Ověřovací kód/.test(m.subject))
        .map((m) => m.text.match(/\b\d{6}\b/)?.[0]);
      code = codes.pop();
      return code;
    })
    .toBeTruthy();
  return code!;
}

/**
 * The RFC 6238 code (HMAC-SHA1, 6 digits, 30-second steps) of a base32
 * secret at instant `at`: what an authenticator app would show, computed here
 * independently of the server's implementation.
 */
export function totp(secretBase32: string, at: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  const bits = [...secretBase32.replace(/=+$/, "").toUpperCase()]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, "0"))
    .join("");
  const key = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < key.length; i++) key[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(Date.parse(at) / 1000 / 30)));
  const mac = createHmac("sha1", key).update(counter).digest();
  const offset = mac[mac.length - 1] & 15;
  const value = (mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000;
  return value.toString().padStart(6, "0");
}

/** Freezes the server's development clock at `now`. */
export async function setClock(request: APIRequestContext, now: string) {
  expect((await request.post("/api/dev/clock", { data: { now } })).ok()).toBeTruthy();
}
