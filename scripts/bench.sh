#!/usr/bin/env bash
# Prints setup-now's performance figures against its budgets, beside a bare
# Leptos 0.8 app (../shared/bench/leptos-baseline, built here in release the
# way the project is built) measured in the same run with the same settings.
# Measures, never fails on a number: download sizes of the first wizard step
# and of every module, server-rendered pages and the live availability check
# a second (wrk, one thread, 64 connections, 10 s, loopback: how many the
# server can serve), latency at a fixed offered load (oha, open loop, 1,000
# requests a second over 64 connections, with latency correction), Lighthouse
# on the first step and on the bare app's page, the server's resident memory
# before and after 100,000 requests, and one scheduler pass over 10k due orders
# among 1M on both engines. Ends with one table: each figure beside its budget.
# `scripts/bench.sh --pages` stops after the pages a second; `--lighthouse`
# runs only the sizes, the first step and Lighthouse, with the longest tasks.
set -euo pipefail
cd "$(dirname "$0")/.."
# PostgreSQL figures need a server: the whole bench runs under with-postgres.sh
# (the local one, or a throwaway cluster).
if [ -z "${SETUP_NOW_BENCH_UNDER_POSTGRES:-}" ]; then
  exec env SETUP_NOW_BENCH_UNDER_POSTGRES=1 scripts/with-postgres.sh "$0" "$@"
fi
SITE="${LEPTOS_SITE_ROOT:-target/site}"
BIN="${CARGO_TARGET_DIR:-target}/release/setup-now"

need() { # command, Debian package
  command -v "$1" >/dev/null && return
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get install -y -qq "$2" >/dev/null || { apt-get update -qq && apt-get install -y -qq "$2" >/dev/null; }
  else
    echo "bench: $1 is missing (apt-get install $2)" >&2; exit 1
  fi
}
need wrk wrk
need psql postgresql-client
# oha, an open-loop load generator, for latency at a fixed offered load (wrk's
# closed loop measures throughput: its latency is connections / throughput).
# Pinned; without TLS from rustls (loopback http only), so no cmake is needed.
OHA_VERSION=1.4.5
if ! oha --version 2>/dev/null | grep -q " ${OHA_VERSION}$"; then
  echo "== Installing oha ${OHA_VERSION} (once; a few minutes)"
  cargo install oha --locked --version "$OHA_VERSION" --no-default-features --features native-tls
fi

# Figures for the closing table, as "key value" lines.
FIGURES=$(mktemp)
fig() { echo "$1 $2" >>"$FIGURES"; }
get() { awk -v k="$1" '$1 == k { v = $2 } END { print (v == "" ? "n/a" : v) }' "$FIGURES"; }
# wrk, one thread, 64 connections, 10 s; prints its summary and records
# <key>_rps and <key>_p99 (ms). Extra arguments go to wrk (-s script.lua).
bench_wrk() { # key, url, wrk args...
  local key=$1 url=$2 out
  shift 2
  out=$(wrk -t1 -c64 -d10s --latency "$@" "$url")
  echo "$out" | grep -E "requests in|Requests/sec|50%|99%|Non-2xx|Socket errors" || true
  fig "${key}_rps" "$(echo "$out" | awk '/Requests\/sec/ { printf "%.0f", $2 }')"
  fig "${key}_p99" "$(echo "$out" | awk '$1 == "99%" { v = $2; m = 1;
    if (v ~ /us$/) m = 0.001; else if (v ~ /ms$/) m = 1; else if (v ~ /s$/) m = 1000;
    sub(/[a-z]+$/, "", v); printf "%.2f", v * m }')"
  fig "${key}_requests" "$(echo "$out" | awk '/requests in/ { print $1 }')"
}
# oha at 1,000 requests a second over 64 connections for 10 s, open loop
# with latency correction; prints and records <key>_lat_p50, <key>_lat_p99
# (ms) and <key>_ok (the share of 2xx answers). Extra arguments go to oha.
bench_oha() { # key, url, oha args...
  local key=$1 url=$2
  shift 2
  oha -z 10s -c 64 -q 1000 --latency-correction --no-tui -j "$@" "$url" >"$WORK/oha-$key.json"
  node - "$WORK/oha-$key.json" "$key" "$FIGURES" <<'JS'
const fs = require("fs");
const [file, key, figures] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, "utf8"));
const ms = (s) => (s * 1000).toFixed(2);
const codes = r.statusCodeDistribution || {};
const all = Object.values(codes).reduce((a, b) => a + b, 0);
const ok = Object.entries(codes).filter(([c]) => c.startsWith("2")).reduce((a, [, n]) => a + n, 0);
const p = r.latencyPercentiles;
console.log(`offered 1000/s: answered ${r.summary.requestsPerSec.toFixed(0)}/s, p50 ${ms(p.p50)} ms, p99 ${ms(p.p99)} ms, 2xx ${ok} of ${all}`);
fs.appendFileSync(figures, `${key}_lat_p50 ${ms(p.p50)}\n${key}_lat_p99 ${ms(p.p99)}\n${key}_ok ${all ? (ok / all).toFixed(3) : 0}\n`);
JS
}
rss_kib() { awk '/^VmRSS/ { print $2 }' "/proc/$1/status"; }

WORK=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE="http://127.0.0.1:${PORT}"
SERVER_PID=""
BASE_PID=""
cleanup() {
  for pid in "$SERVER_PID" "$BASE_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  wait 2>/dev/null; rm -rf "$WORK" "$FIGURES"
}
trap cleanup EXIT

# The bare app, from a copy outside this repository (our .cargo/config.toml
# must not apply to it) with a target dir of its own; cargo skips the build
# when nothing changed.
BASELINE_SRC="$(cd .. && pwd)/shared/bench/leptos-baseline"
BASELINE="${SETUP_NOW_BASELINE_DIR:-$HOME/.cache/setup-now/baseline}"
echo "== Building the bare Leptos app (${BASELINE_SRC}) in release"
mkdir -p "$BASELINE"
cp -r --no-preserve=mode "$BASELINE_SRC/." "$BASELINE/app"
(cd "$BASELINE/app" && CARGO_TARGET_DIR="$BASELINE/target" LEPTOS_SITE_ROOT="$BASELINE/site" \
  cargo leptos build --release --precompress 2>&1 | tail -n 2)
BASE_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BARE="http://127.0.0.1:${BASE_PORT}"
(cd "$BASELINE/app" && LEPTOS_SITE_ADDR="127.0.0.1:${BASE_PORT}" LEPTOS_SITE_ROOT="$BASELINE/site" \
  LEPTOS_OUTPUT_NAME=spike LEPTOS_ENV=PROD exec "$BASELINE/target/release/spike" >"$WORK/bare.log" 2>&1) &
BASE_PID=$!
# The data is set up in development mode (its hooks hand out the emailed
# links and run the scheduler); every figure is then taken in production mode
# on the same database, where the clock is not read from the database on
# every request as the development clock is.
SECRET_KEY=$(head -c 32 /dev/urandom | base64)
serve() { # mode, database URL, log
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true; fi
  local public="$BASE"; [ "$1" = production ] && public="https://setup-now.bench.invalid"
  SETUP_NOW_MODE="$1" SETUP_NOW_ADDR="127.0.0.1:${PORT}" SETUP_NOW_PUBLIC_URL="$public" \
  SETUP_NOW_DATABASE_URL="$2" SETUP_NOW_DEMO_DATA=0 SETUP_NOW_SMTP_URL=none RUST_LOG=error \
  SETUP_NOW_COMMERCE_TOKEN=dev-commerce-token SETUP_NOW_SECRET_KEY="$SECRET_KEY" \
  LEPTOS_SITE_ROOT="$SITE" "$BIN" >>"$3" 2>&1 &
  SERVER_PID=$!
  for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
  curl -fsS "$BASE/healthz" >/dev/null || { echo "bench: the server does not answer" >&2; cat "$3" >&2; exit 1; }
}
serve development "sqlite://${WORK}/bench.db" "$WORK/server.log"
for _ in $(seq 1 100); do curl -fsS "$BARE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
curl -fsS "$BARE/healthz" >/dev/null || { echo "bench: the bare app does not answer" >&2; cat "$WORK/bare.log" >&2; exit 1; }

# Everything on the real clock, starting today: the production server that
# is measured next reads that clock, and a session or a commit's password
# window made at a frozen instant a day away has lapsed by then.
TODAY=$(date -u +%F)
order() { # order number, provisioning contact
  curl -fsS -X POST "$BASE/api/orders" -H "Authorization: Bearer dev-commerce-token" -H 'content-type: application/json' -d '{
   "order_number":"'"$1"'","offer":"A-WX","subscription_id":"Sub-'"$1"'","requested_start_date":"'"$TODAY"'",
   "provisioning_contact_email":"'"$2"'","account_rep_email":"rep@cisco.example",
   "partner":{"party_id":"P-'"$1"'","name":"Partner","country":"CZ"},
   "customer":{"name":"Customer","country":"CZ","address":"Street 1"},
   "services":[{"kind":"meetings","sku":"A-WX-MTG","quantity":5}]}' >/dev/null
}
link_for() { # the Set Up Now link sent to an address
  curl -fsS "$BASE/api/dev/mailbox?to=$1" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const m=JSON.parse(s);console.log(m[0].links[0].href)})'
}
order "BENCH-1" "bench@partner.example"
curl -fsS -X POST "$BASE/api/dev/scheduler/run" >/dev/null
LINK=$(link_for "bench@partner.example")
# The check answers signed-in users only: set up a second order through the
# wizard's server functions and create its password to get a session.
order "BENCH-2" "bench2@partner.example"
curl -fsS -X POST "$BASE/api/dev/scheduler/run" >/dev/null
TOKEN2=$(link_for "bench2@partner.example"); TOKEN2=${TOKEN2##*/}
curl -fsS -c "$WORK/jar" "$BASE/api/setup/commit" --data-urlencode "token=$TOKEN2" \
  --data-urlencode "draft[role]=Partner" --data-urlencode "draft[who]=Myself" \
  --data-urlencode "draft[setter_email]=bench2@partner.example" --data-urlencode "draft[partner_name]=Bench Partner" \
  --data-urlencode "draft[partner_country]=CZ" --data-urlencode "draft[not_recognized]=false" \
  --data-urlencode "draft[admin_email]=admin@bench-customer.example" \
  --data-urlencode "draft[customer_name]=Bench Customer" --data-urlencode "draft[customer_country]=CZ" \
  --data-urlencode "draft[customer_address]=Street 1" >/dev/null
curl -fsS -b "$WORK/jar" -c "$WORK/jar" "$BASE/api/setup/password" --data-urlencode "token=$TOKEN2" \
  --data-urlencode "password=bench-password-2026" --data-urlencode "confirmation=bench-password-2026" >/dev/null
SESSION=$(awk '$6 == "setup_now_session" { print $7 }' "$WORK/jar")
[ -n "$SESSION" ] || { echo "bench: no session cookie" >&2; exit 1; }
# Made in development (plain http); the production server measured below
# reads the __Host- cookie (https): send it under both names.
COOKIE="setup_now_session=$SESSION; __Host-setup_now_session=$SESSION"
# The hub's figure: 2,000 more orders of that partner (party P-BENCH-2).
node - "$BASE" <<'JS'
const [base] = process.argv.slice(2);
const post = (i) => fetch(`${base}/api/orders`, {
  method: "POST",
  headers: { authorization: "Bearer dev-commerce-token", "content-type": "application/json" },
  body: JSON.stringify({
    order_number: `HUB-${String(i).padStart(5, "0")}`, offer: "A-WX", subscription_id: `Sub-HUB-${i}`,
    requested_start_date: "2026-12-20", provisioning_contact_email: "bench2@partner.example",
    account_rep_email: "rep@cisco.example", partner: { party_id: "P-BENCH-2", name: "Partner", country: "CZ" },
    customer: { name: `Zákazník ${i % 400} a.s.`, country: "CZ", address: "Street 1" },
    services: [{ kind: "meetings", sku: "A-WX-MTG", quantity: 5 }],
  }),
}).then((r) => { if (r.status !== 201) throw new Error(`order ${i}: ${r.status}`); });
(async () => {
  for (let i = 0; i < 2000; i += 20) await Promise.all(Array.from({ length: 20 }, (_, k) => post(i + k)));
})().catch((e) => { console.error(e); process.exit(1); });
JS
serve production "sqlite://${WORK}/bench.db" "$WORK/server.log"
fig rss_start "$(rss_kib "$SERVER_PID")"

# Lighthouse, desktop and mobile, on the first step and the bare app's page.
lighthouse() {
echo "== Lighthouse 12.2.3 on the first wizard step and on the bare app's page, headless Chromium (budget: mobile performance within 2 points of the bare app's, TBT <= 100 ms, accessibility 100)"
LH=end2end/lighthouse
if [ ! -x "$LH/node_modules/.bin/lighthouse" ] || [ "$LH/package-lock.json" -nt "$LH/node_modules/.package-lock.json" ]; then
  (cd "$LH" && npm ci --no-audit --no-fund --loglevel=error)
fi
for page in app bare; do
for preset in desktop mobile; do
  # The mobile figures are Lighthouse's default (a mid-range phone on slow 4G, simulated).
  flags=(); [ "$preset" = desktop ] && flags=(--preset=desktop)
  url="$LINK"; [ "$page" = bare ] && url="$BARE/"
  CHROME_PATH="${CHROMIUM:-/usr/bin/chromium}" "$LH/node_modules/.bin/lighthouse" "$url" "${flags[@]}" \
    --only-categories=performance,accessibility --output=json --output-path="$WORK/lh-$page-$preset.json" \
    --chrome-flags="--headless=new --no-sandbox --disable-gpu" --quiet \
    || echo "bench: lighthouse ($page, $preset) failed" >&2
  node - "$WORK/lh-$page-$preset.json" "$page" "$preset" "$FIGURES" <<'JS' || true
const fs = require("fs");
const [file, page, preset, figures] = process.argv.slice(2);
const r = JSON.parse(fs.readFileSync(file, "utf8"));
const perf = Math.round(r.categories.performance.score * 100);
const a11y = Math.round(r.categories.accessibility.score * 100);
const lcp = r.audits["largest-contentful-paint"].numericValue;
const tbt = r.audits["total-blocking-time"].numericValue;
console.log(`${page} ${preset}: performance ${perf}, accessibility ${a11y}, LCP ${lcp.toFixed(0)} ms, TBT ${tbt.toFixed(0)} ms`);
const k = `lh_${page}_${preset}`;
fs.appendFileSync(figures, `${k}_perf ${perf}\n${k}_a11y ${a11y}\n${k}_lcp ${lcp.toFixed(0)}\n${k}_tbt ${tbt.toFixed(0)}\n`);
JS
  if [ "$page" = app ] && [ "$preset" = mobile ] && [ -n "${LH_DETAIL:-}" ]; then
    # The quick check prints where the main thread went: the longest tasks
    # (what TBT adds up) and the busiest scripts.
    node - "$WORK/lh-$page-$preset.json" <<'JS' || true
const r = JSON.parse(require("fs").readFileSync(process.argv[2], "utf8"));
const short = (u) => String(u || "").replace(/^https?:\/\/[^/]+/, "").slice(0, 60);
for (const t of (r.audits["long-tasks"].details || {}).items || [])
  console.log(`  long task at ${t.startTime.toFixed(0)} ms: ${t.duration.toFixed(0)} ms ${short(t.url)}`);
for (const b of ((r.audits["bootup-time"].details || {}).items || []).slice(0, 6))
  console.log(`  script ${short(b.url)}: ${b.total.toFixed(0)} ms (evaluation ${b.scripting.toFixed(0)}, compile ${b.scriptParseCompile.toFixed(0)})`);
// LCP as simulated (the score's) beside the page's own paints in the run:
// when they differ, what the simulation adds is network it thinks the
// paint waited for.
const m = ((r.audits.metrics.details || {}).items || [])[0] || {};
console.log(`  LCP simulated ${Math.round(m.largestContentfulPaint)} ms (FCP ${Math.round(m.firstContentfulPaint)} ms); observed LCP ${m.observedLargestContentfulPaint} ms, FCP ${m.observedFirstContentfulPaint} ms, load ${m.observedLoad} ms`);
JS
  fi
done
done
}

assets() { # title, pkg folder, figure key
echo "== $1 (raw, gzip -9, brotli 11)"
node - "$2" "$3" "$FIGURES" <<'JS'
const fs = require("fs"), zlib = require("zlib"), path = require("path");
const [pkg, key, figures] = process.argv.slice(2);
const files = fs.readdirSync(pkg).filter(f => /\.(js|wasm|css)$/.test(f)).sort();
let total = { raw: 0, gz: 0, br: 0 };
for (const f of files) {
  const b = fs.readFileSync(path.join(pkg, f));
  const gz = zlib.gzipSync(b, { level: 9 }).length;
  const br = zlib.brotliCompressSync(b, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
  total.raw += b.length; total.gz += gz; total.br += br;
  console.log(`${f.padEnd(44)} raw ${String(b.length).padStart(9)}  gzip ${String(gz).padStart(8)}  brotli ${String(br).padStart(8)}`);
}
console.log(`${"all assets".padEnd(44)} raw ${String(total.raw).padStart(9)}  gzip ${String(total.gz).padStart(8)}  brotli ${String(total.br).padStart(8)}`);
fs.appendFileSync(figures, `${key}_all_br ${total.br}\n`);
JS
}
assets "setup-now's assets in ${SITE}/pkg, every module" "$SITE/pkg" app
assets "The bare app's assets" "$BASELINE/site/pkg" bare

echo "== What the first wizard step downloads until it is interactive, in Chromium (budget: 200 KB brotli)"
(cd end2end && node bench/first-step.cjs "$LINK") | tee "$WORK/first-step"
fig app_first_br "$(awk '/^total/ { for (i = 1; i <= NF; i++) if ($i == "brotli-11") print $(i + 1) }' "$WORK/first-step")"
echo "== What the bare app downloads until it is interactive, in Chromium"
(cd end2end && node bench/first-step.cjs "$BARE/" --no-interaction) | tee "$WORK/bare-first"
fig bare_first_br "$(awk '/^total/ { for (i = 1; i <= NF; i++) if ($i == "brotli-11") print $(i + 1) }' "$WORK/bare-first")"

# `--lighthouse`: only the sizes, the first step and Lighthouse, with the
# longest tasks of the first step on mobile (a quick check of a browser-side
# lever).
if [ "${1:-}" = --lighthouse ]; then
  LH_DETAIL=1 lighthouse
  exit 0
fi

echo "== Server-rendered page of the bare app, wrk -t1 -c64 -d10s"
bench_wrk bare "$BARE/"
echo "== Server-rendered wizard page on SQLite, wrk -t1 -c64 -d10s (budget: >= 0.4x the bare app's pages a second)"
bench_wrk wizard "$LINK"
# The home page is the app's shell (translations, router, header, security
# headers) with no data and no wizard, the floor under every page.
echo "== Server-rendered home page (the shell alone, no data), wrk -t1 -c64 -d10s (budget: >= 0.7x the bare app)"
bench_wrk home "$BASE/"

# `--pages`: only the pages a second (a quick check of a server-side lever;
# the sizes above are printed too).
if [ "${1:-}" = --pages ]; then
  for key in home wizard; do
    echo "pages a second, $key: $(get "${key}_rps") against the bare app's $(get bare_rps):" \
      "$(awk -v a="$(get "${key}_rps")" -v b="$(get bare_rps)" 'BEGIN { printf "%.2fx", a / b }')"
  done
  exit 0
fi

echo "== Latency at a fixed offered load, oha -q 1000 -c 64 -z 10s --latency-correction"
echo "-- the bare app's page (reference)"
bench_oha bare "$BARE/"
echo "-- wizard page on SQLite (budget: p99 <= 10 ms)"
bench_oha wizard "$LINK"
echo "-- live availability check (budget: p99 <= 5 ms)"
bench_oha check "$BASE/api/service/subdomain" -m POST -d "name=bench-site" \
  -T "application/x-www-form-urlencoded" -H "Cookie: $COOKIE"

echo "== Live availability check, wrk -t1 -c64 -d10s (its capacity)"
cat > "$WORK/check.lua" <<LUA
wrk.method = "POST"
wrk.body = "name=bench-site"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$COOKIE"
LUA
curl -fsS -H "Cookie: $COOKIE" -d "name=bench-site" "$BASE/api/service/subdomain" | grep -q Available \
  || { echo "bench: the availability check does not answer" >&2; exit 1; }
bench_wrk check "$BASE/api/service/subdomain" -s "$WORK/check.lua"

echo "== Hub, first page of a partner with 2,000 orders, 1 connection, 5 s (budget: < 100 ms)"
cat > "$WORK/hub.lua" <<LUA
wrk.method = "POST"
wrk.body = "page=1&status=&q="
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.headers["Cookie"] = "$COOKIE"
LUA
curl -fsS -H "Cookie: $COOKIE" -d "page=1&status=&q=" "$BASE/api/hub/view" | grep -q '"total":2001' \
  || { echo "bench: the hub does not list the 2,001 orders" >&2; exit 1; }
echo "-- hub/view (the data of the first page)"
wrk -t1 -c1 -d5s --latency -s "$WORK/hub.lua" "$BASE/api/hub/view" | grep -E "Requests/sec|50%|99%|Non-2xx" || true
echo "-- GET /hub (the whole page, server-rendered)"
cat > "$WORK/hub-page.lua" <<LUA
wrk.headers["Cookie"] = "$COOKIE"
LUA
wrk -t1 -c1 -d5s --latency -s "$WORK/hub-page.lua" "$BASE/hub" | grep -E "Requests/sec|50%|99%|Non-2xx" || true

echo "== Resident memory of the server (SQLite), after start and after each 100,000 requests to the wizard page"
echo "after start: $(get rss_start) KiB"
for round in 1 2; do
  served=0
  while [ "$served" -lt 100000 ]; do
    n=$(wrk -t1 -c64 -d5s "$LINK" | awk '/requests in/ { print $1 }')
    served=$((served + ${n:-0}))
  done
  fig "rss_${round}00k" "$(rss_kib "$SERVER_PID")"
  echo "after $((round * 100))k more requests: $(get "rss_${round}00k") KiB"
done

lighthouse

echo "== Scheduler pass (budget: <= 2 s for 10k due among 1M)"
# A target dir of its own: a bench build beside the release server build in
# target/release writes a second setup-now library over the first (cargo's
# "output filename collision") and the link fails.
CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-target}/bench" cargo bench --quiet --features ssr --bench scheduler | tee "$WORK/scheduler"

echo "== Server-rendered wizard page on PostgreSQL: pages a second (wrk) and latency at 1,000 a second (oha; budget: p99 <= 10 ms)"
kill "$SERVER_PID" 2>/dev/null; wait "$SERVER_PID" 2>/dev/null || true
PGDB="setup_now_bench_ssr_$$"
psql "$SETUP_NOW_TEST_POSTGRES_URL" -qc "CREATE DATABASE $PGDB"
cleanup() {
  for pid in "$SERVER_PID" "$BASE_PID"; do [ -n "$pid" ] && kill "$pid" 2>/dev/null; done
  wait 2>/dev/null
  rm -f "$FIGURES"
  psql "$SETUP_NOW_TEST_POSTGRES_URL" -qc "DROP DATABASE IF EXISTS $PGDB WITH (FORCE)" 2>/dev/null || true
  rm -rf "$WORK"
}
SERVER_PID=""
serve development "${SETUP_NOW_TEST_POSTGRES_URL%/*}/${PGDB}" "$WORK/server-pg.log"
order "BENCH-PG" "bench-pg@partner.example"
curl -fsS -X POST "$BASE/api/dev/scheduler/run" >/dev/null
LINK_PG=$(link_for "bench-pg@partner.example")
serve production "${SETUP_NOW_TEST_POSTGRES_URL%/*}/${PGDB}" "$WORK/server-pg.log"
bench_wrk wizard_pg "$LINK_PG"
bench_oha wizard_pg "$LINK_PG"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.2fx", a / b; else print "n/a" }'; }
kb() { awk -v a="$1" 'BEGIN { if (a + 0 > 0) printf "%.1f KB", a / 1000; else print "n/a" }'; }
# holds <value> <op> <limit>: "yes", "NO" or "n/a" when the figure is missing.
holds() { awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
  if (a == "n/a" || a == "" || b == "n/a" || b == "") { print "n/a"; exit }
  a += 0; b += 0; ok = (op == "<=") ? a <= b : a >= b; print (ok ? "yes" : "NO") }'; }
times() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 > 0 && b + 0 > 0) printf "%.3f", a / b; else print "n/a" }'; }
minus() { awk -v a="$1" -v b="$2" 'BEGIN { if (a != "n/a" && b != "n/a") print a - b; else print "n/a" }'; }
SCHED_SQLITE=$(awk '/scheduler pass/ && /SQLite/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/ && $(i + 1) == "s") v = $i } END { print (v == "" ? "n/a" : v) }' "$WORK/scheduler")
SCHED_PG=$(awk '/scheduler pass/ && /PostgreSQL/ { for (i = 1; i <= NF; i++) if ($i ~ /^[0-9.]+$/ && $(i + 1) == "s") v = $i } END { print (v == "" ? "n/a" : v) }' "$WORK/scheduler")
echo
echo "== Summary: setup-now beside the bare Leptos 0.8 app, same run"
{
  printf '%s|%s|%s|%s|%s|%s\n' "figure" "setup-now" "bare app" "ratio" "budget" "holds"
  printf '%s|%s|%s|%s|%s|%s\n' "first step until interactive, brotli" "$(kb "$(get app_first_br)")" "$(kb "$(get bare_first_br)")" \
    "$(ratio "$(get app_first_br)" "$(get bare_first_br)")" "<= 200 KB" "$(holds "$(get app_first_br)" "<=" 200000)"
  printf '%s|%s|%s|%s|%s|%s\n' "every module (js+wasm+css), brotli" "$(kb "$(get app_all_br)")" "$(kb "$(get bare_all_br)")" \
    "$(ratio "$(get app_all_br)" "$(get bare_all_br)")" "<= 420 KB" "$(holds "$(get app_all_br)" "<=" 420000)"
  printf '%s|%s|%s|%s|%s|%s\n' "pages a second, home (shell) / bare /" "$(get home_rps)" "$(get bare_rps)" \
    "$(ratio "$(get home_rps)" "$(get bare_rps)")" ">= 0.7x" "$(holds "$(times "$(get home_rps)" "$(get bare_rps)")" ">=" 0.7)"
  printf '%s|%s|%s|%s|%s|%s\n' "pages a second, wizard page / bare /" "$(get wizard_rps)" "$(get bare_rps)" \
    "$(ratio "$(get wizard_rps)" "$(get bare_rps)")" ">= 0.4x" "$(holds "$(times "$(get wizard_rps)" "$(get bare_rps)")" ">=" 0.4)"
  printf '%s|%s|%s|%s|%s|%s\n' "pages a second, wizard page on PostgreSQL" "$(get wizard_pg_rps)" "$(get bare_rps)" \
    "$(ratio "$(get wizard_pg_rps)" "$(get bare_rps)")" "(reference)" ""
  printf '%s|%s|%s|%s|%s|%s\n' "p99 ms at 1,000/s, wizard page, SQLite" "$(get wizard_lat_p99)" "$(get bare_lat_p99)" "" "<= 10" \
    "$(holds "$(get wizard_lat_p99)" "<=" 10)"
  printf '%s|%s|%s|%s|%s|%s\n' "p99 ms at 1,000/s, wizard page, PostgreSQL" "$(get wizard_pg_lat_p99)" "" "" "<= 10" \
    "$(holds "$(get wizard_pg_lat_p99)" "<=" 10)"
  printf '%s|%s|%s|%s|%s|%s\n' "p99 ms at 1,000/s, availability check" "$(get check_lat_p99)" "" "" "<= 5" \
    "$(holds "$(get check_lat_p99)" "<=" 5)"
  printf '%s|%s|%s|%s|%s|%s\n' "Lighthouse mobile performance" "$(get lh_app_mobile_perf)" "$(get lh_bare_mobile_perf)" \
    "$(minus "$(get lh_app_mobile_perf)" "$(get lh_bare_mobile_perf)") points" ">= bare - 2" \
    "$(holds "$(minus "$(get lh_app_mobile_perf)" "$(get lh_bare_mobile_perf)")" ">=" -2)"
  printf '%s|%s|%s|%s|%s|%s\n' "Lighthouse mobile TBT ms" "$(get lh_app_mobile_tbt)" "$(get lh_bare_mobile_tbt)" "" "<= 100" \
    "$(holds "$(get lh_app_mobile_tbt)" "<=" 100)"
  printf '%s|%s|%s|%s|%s|%s\n' "Lighthouse accessibility, mobile / desktop" "$(get lh_app_mobile_a11y) / $(get lh_app_desktop_a11y)" \
    "$(get lh_bare_mobile_a11y) / $(get lh_bare_desktop_a11y)" "" "100" \
    "$(holds "$(get lh_app_mobile_a11y)" ">=" 100)"
  printf '%s|%s|%s|%s|%s|%s\n' "Lighthouse desktop performance / TBT ms" "$(get lh_app_desktop_perf) / $(get lh_app_desktop_tbt)" \
    "$(get lh_bare_desktop_perf) / $(get lh_bare_desktop_tbt)" "" "(reference)" ""
  printf '%s|%s|%s|%s|%s|%s\n' "LCP ms, mobile / desktop" "$(get lh_app_mobile_lcp) / $(get lh_app_desktop_lcp)" \
    "$(get lh_bare_mobile_lcp) / $(get lh_bare_desktop_lcp)" "" "(reference)" ""
  printf '%s|%s|%s|%s|%s|%s\n' "RSS KiB: start, +100k, +200k requests" "$(get rss_start), $(get rss_100k), $(get rss_200k)" "" "" "no growth" ""
  printf '%s|%s|%s|%s|%s|%s\n' "scheduler pass s, SQLite" "$SCHED_SQLITE" "" "" "<= 2" "$(holds "$SCHED_SQLITE" "<=" 2)"
  printf '%s|%s|%s|%s|%s|%s\n' "scheduler pass s, PostgreSQL" "$SCHED_PG" "" "" "<= 2" "$(holds "$SCHED_PG" "<=" 2)"
} | column -t -s '|'
grep -E "scheduler pass" "$WORK/scheduler" | sed 's/^/scheduler: /' || true
