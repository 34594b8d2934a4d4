// Opens a Set Up Now link in headless Chromium, waits until the page is
// hydrated (interactive), and prints every response it needed with the bytes
// that crossed the wire (as the server compressed them) and the same bytes
// compressed with brotli at quality 11. Usage: node first-step.cjs <url>
// [--no-interaction] (for a page without the wizard's radio buttons: the bare
// app, measured the same way). wasm modules other than the first (the ones
// the page fetches once step 1 is interactive, for the steps after it) are
// held back until the first step has been used, so they cannot count towards
// it, and are listed after it.
const { chromium } = require("@playwright/test");
const zlib = require("zlib");

(async () => {
  const url = process.argv[2];
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run"],
  });
  const page = await (await browser.newContext()).newPage();
  let mainModule = null;
  let interactive = false;
  let release;
  const used = new Promise((resolve) => { release = resolve; });
  await page.route(/\.wasm$/, async (route) => {
    const path = new URL(route.request().url()).pathname;
    mainModule ??= path;
    if (path !== mainModule) await used;
    await route.continue();
  });
  const seen = [], later = [];
  // Requests not yet answered: the later modules are fetched once step 1 is
  // used, and are listed once they are all in.
  let pending = 0, settled = () => {};
  page.on("request", () => { pending += 1; });
  const done = () => { pending -= 1; if (pending === 0) settled(); };
  page.on("requestfinished", done);
  page.on("requestfailed", done);
  page.on("response", async (response) => {
    (interactive ? later : seen).push((async () => {
      const body = await response.body().catch(() => Buffer.alloc(0));
      const sizes = await response.request().sizes().catch(() => ({ responseBodySize: 0 }));
      return {
        name: new URL(response.url()).pathname.replace(/^\/setup\/.*/, "/setup/{token}"),
        encoding: (await response.headerValue("content-encoding")) ?? "identity",
        raw: body.length,
        wire: sizes.responseBodySize,
        br11: zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
      };
    })());
  });
  await page.goto(url);
  await page.locator('html[data-hydrated="true"]').waitFor({ timeout: 30_000 });
  if (!process.argv.includes("--no-interaction")) await page.getByRole("radio").first().check();
  interactive = true;
  const rows = await Promise.all(seen);
  release();
  const total = { raw: 0, wire: 0, br11: 0 };
  for (const r of rows) {
    total.raw += r.raw; total.wire += r.wire; total.br11 += r.br11;
    console.log(`${r.name.padEnd(44)} raw ${String(r.raw).padStart(9)}  wire ${String(r.wire).padStart(8)} (${r.encoding})  brotli-11 ${String(r.br11).padStart(8)}`);
  }
  console.log(`${"total before the first step is interactive".padEnd(44)} raw ${String(total.raw).padStart(9)}  wire ${String(total.wire).padStart(8)}  brotli-11 ${String(total.br11).padStart(8)}  (${(total.wire / 1024).toFixed(1)} KiB on the wire; budget 200 KB)`);
  if (pending > 0) await new Promise((resolve) => { settled = resolve; });
  for (const r of await Promise.all(later)) {
    console.log(`after: ${r.name.padEnd(37)} raw ${String(r.raw).padStart(9)}  wire ${String(r.wire).padStart(8)} (${r.encoding})  brotli-11 ${String(r.br11).padStart(8)}`);
  }
  await browser.close();
})().catch((e) => { console.error(e); process.exit(1); });
