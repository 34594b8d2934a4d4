#!/usr/bin/env bash
# Holds the server to its own OpenAPI document: Schemathesis (installed by
# ensure-tools.sh into a virtual environment under the build cache) generates
# a few hundred cases per operation of /api/openapi.json against the release
# server on a fresh database, with the commerce token, and fails on any server
# error, undocumented status code or response that does not match its schema.
set -euo pipefail
cd "$(dirname "$0")/.."

ST="${SETUP_NOW_SCHEMATHESIS:-$HOME/.cache/setup-now/schemathesis}/bin/st"
BIN="${CARGO_TARGET_DIR:-target}/release/setup-now"
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
SETUP_NOW_MODE=development SETUP_NOW_ADDR="127.0.0.1:${PORT}" SETUP_NOW_PUBLIC_URL="$BASE" \
SETUP_NOW_DATABASE_URL="sqlite://${WORK}/api.db" SETUP_NOW_DEMO_DATA=0 RUST_LOG=error \
SETUP_NOW_SCHEDULER_INTERVAL_SECS=3600 "$BIN" >"$WORK/server.log" 2>&1 &
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
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "${SCHEMATHESIS_EXAMPLES:-300}" --seed 20261127 --workers 2 \
  --no-color --report junit --report-dir "$WORK/report" || status=$?
if [ "$status" -ne 0 ]; then
  echo "schemathesis: server log (last 40 lines):" >&2
  tail -n 40 "$WORK/server.log" >&2
fi
exit "$status"
