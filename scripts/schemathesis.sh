#!/usr/bin/env bash
# Holds the server to its own OpenAPI document: Schemathesis (installed by
# ensure-tools.sh into a virtual environment under the build cache) runs every
# phase (examples, coverage, fuzzing, and the stateful phase that follows the
# document's links from a placed order) with every check against the release
# server on a fresh database, with the commerce token: among them, data the
# document allows must be accepted and data it forbids refused, so the
# document and the server cannot disagree. Prints how many cases ran.
set -euo pipefail
cd "$(dirname "$0")/.."

ST="${SETUP_NOW_SCHEMATHESIS:-$HOME/.cache/setup-now/schemathesis}/bin/st"
BIN="${ST_BIN:-${CARGO_TARGET_DIR:-target}/release/setup-now}"
[ -x "$ST" ] || { echo "schemathesis: $ST missing; run scripts/ensure-tools.sh" >&2; exit 1; }
[ -x "$BIN" ] || { echo "schemathesis: $BIN not built; run 'make release' first" >&2; exit 1; }

WORK=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE="http://127.0.0.1:${PORT}"
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM
# Schemathesis sends requests without the token by the hundred (its
# ignored-auth check): the throttle of wrong tokens (tested by the story
# tests) would answer them 429 and hide what the API answers.
SETUP_NOW_MODE=development SETUP_NOW_ADDR="127.0.0.1:${PORT}" SETUP_NOW_PUBLIC_URL="$BASE" \
SETUP_NOW_DATABASE_URL="sqlite://${WORK}/api.db" SETUP_NOW_DEMO_DATA=0 RUST_LOG=error \
SETUP_NOW_SCHEDULER_INTERVAL_SECS=3600 SETUP_NOW_BEARER_ATTEMPTS=1000000 "$BIN" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do curl -fsS "$BASE/healthz" >/dev/null 2>&1 && break; sleep 0.1; done

# The order the document's example names, invited, so that reads, changes and
# resends reach an existing order too.
curl -fsS -X POST "$BASE/api/orders" -H "Authorization: Bearer dev-commerce-token" \
  -H 'content-type: application/json' -d '{
   "order_number":"ST-0001","offer":"A-WX","subscription_id":"Sub-ST-0001","requested_start_date":"2026-12-01",
   "provisioning_contact_email":"st@partner.example","account_rep_email":"rep@cisco.example",
   "partner":{"party_id":"P-ST","name":"Partner","country":"CZ"},
   "customer":{"name":"Customer","country":"CZ","address":"Street 1"},
   "services":[{"kind":"meetings","sku":"A-WX-MTG","quantity":5}]}' >/dev/null
curl -fsS -X POST "$BASE/api/dev/clock" -H 'content-type: application/json' -d '{"now":"2026-12-01T09:00:00Z"}' >/dev/null
curl -fsS -X POST "$BASE/api/dev/scheduler/run" >/dev/null

status=0
"$ST" run "$BASE/api/openapi.json" \
  --header "Authorization: Bearer dev-commerce-token" \
  --checks all --phases examples,coverage,fuzzing,stateful \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-300}" --seed 20261127 --workers 2 \
  --no-color --report junit --report-dir "$WORK/report" | tee "$WORK/st.log" || status=${PIPESTATUS[0]}
cases=$(grep -oE '[0-9]+ (generated|test cases)' "$WORK/st.log" | tail -1 || true)
echo "schemathesis: every check, every phase: ${cases:-see the summary above}; exit $status"
if [ "$status" -ne 0 ]; then
  echo "schemathesis: server log (last 40 lines):" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit "$status"
