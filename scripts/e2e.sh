#!/usr/bin/env bash
# Runs the Playwright suite against the release server, started on a free port
# with a fresh database and development hooks on, and stopped afterwards
# whatever the result. `--exec CMD ARGS...` runs CMD instead, with BASE_URL set.
set -euo pipefail
cd "$(dirname "$0")/.."

BIN="${CARGO_TARGET_DIR:-target}/release/setup-now"
[ -x "$BIN" ] || { echo "e2e: $BIN not built; run 'make release' first" >&2; exit 1; }

WORK=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
BASE_URL="http://127.0.0.1:${PORT}"
SERVER_PID=""
cleanup() {
  if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
    kill "$SERVER_PID" 2>/dev/null || true
    wait "$SERVER_PID" 2>/dev/null || true
  fi
  rm -rf "$WORK"
}
trap cleanup EXIT INT TERM

SETUP_NOW_MODE=development \
SETUP_NOW_ADDR="127.0.0.1:${PORT}" \
SETUP_NOW_PUBLIC_URL="$BASE_URL" \
SETUP_NOW_DATABASE_URL="sqlite://${WORK}/e2e.db" \
SETUP_NOW_DEMO_DATA=0 \
SETUP_NOW_SCHEDULER_INTERVAL_SECS=3600 \
LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}" \
RUST_LOG="${RUST_LOG:-warn}" \
  "$BIN" >"${WORK}/server.log" 2>&1 &
SERVER_PID=$!

for _ in $(seq 1 100); do
  if curl -fsS "${BASE_URL}/healthz" >/dev/null 2>&1; then break; fi
  kill -0 "$SERVER_PID" 2>/dev/null || { echo "e2e: server exited:" >&2; cat "${WORK}/server.log" >&2; exit 1; }
  sleep 0.2
done
curl -fsS "${BASE_URL}/healthz" >/dev/null || { echo "e2e: server not healthy" >&2; cat "${WORK}/server.log" >&2; exit 1; }

status=0
if [ "${1:-}" = "--exec" ]; then
  # Another program against the same server: scripts/e2e.sh --exec CMD ARGS...
  shift
  BASE_URL="$BASE_URL" "$@" || status=$?
else
  (cd end2end && BASE_URL="$BASE_URL" npx playwright test "$@") || status=$?
fi
if [ "$status" -ne 0 ]; then
  echo "e2e: server log (last 80 lines):" >&2
  tail -n 80 "${WORK}/server.log" >&2
fi
exit "$status"
