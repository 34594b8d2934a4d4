// Renders the "Set Up Now" invitation's HTML part in headless Chromium, once
// in English (a partner in GB) and once in Czech (a partner in CZ), and saves
// them as docs/invitation-email-{en,cs}.png. Needs a server in development
// mode (its dev mailbox and clock): scripts/email-screenshots.sh starts one.
// Usage: node email-screenshots.cjs <base url> <output folder>
const { chromium } = require("@playwright/test");
const { join } = require("path");

const TOKEN = "dev-commerce-token";
const START = "2026-12-01";

async function call(base, method, path, body, auth = false) {
  const headers = { "content-type": "application/json" };
  if (auth) headers.authorization = `Bearer ${TOKEN}`;
  const response = await fetch(base + path, { method, headers, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

(async () => {
  const [base, out] = process.argv.slice(2);
  const orders = {
    en: { number: "CCW-100231", country: "GB", partner: "Northwind Partners Ltd", customer: "Contoso Retail plc", address: "1 King Street, London EC2V 8AU" },
    cs: { number: "CCW-100232", country: "CZ", partner: "Partner s.r.o.", customer: "Zákazník a.s.", address: "Vinohradská 1, 120 00 Praha" },
  };
  for (const o of Object.values(orders)) {
    await call(base, "POST", "/api/orders", {
      order_number: o.number,
      offer: "A-WX",
      subscription_id: `Sub-${o.number}`,
      requested_start_date: START,
      provisioning_contact_email: `provisioning@${o.country.toLowerCase()}.partner.example`,
      account_rep_email: "rep@cisco.example",
      partner: { party_id: `P-${o.number}`, name: o.partner, country: o.country },
      customer: { name: o.customer, country: o.country, address: o.address },
      services: [
        { kind: "meetings", sku: "A-WX-MTG-ENT", quantity: 250 },
        { kind: "calling", sku: "A-WX-CALL-PRO", quantity: 100 },
      ],
    }, true);
  }
  await call(base, "POST", "/api/dev/clock", { now: `${START}T09:00:00Z` });
  await call(base, "POST", "/api/dev/scheduler/run");

  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--hide-scrollbars"],
  });
  const page = await browser.newPage({ viewport: { width: 720, height: 600 }, deviceScaleFactor: 1 });
  for (const [lang, o] of Object.entries(orders)) {
    const to = `provisioning@${o.country.toLowerCase()}.partner.example`;
    const mails = await call(base, "GET", `/api/dev/mailbox?to=${encodeURIComponent(to)}`);
    const invitation = mails.find((m) => m.kind === "invitation");
    if (!invitation) throw new Error(`no invitation to ${to}`);
    await page.goto(`${base}/api/dev/mailbox/${invitation.id}`);
    const actual = await page.locator("html").getAttribute("lang");
    if (actual !== lang) throw new Error(`the ${lang} invitation came out in ${actual}`);
    const file = join(out, `invitation-email-${lang}.png`);
    await page.screenshot({ path: file, fullPage: true });
    console.log(`${file}: ${invitation.subject}`);
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
