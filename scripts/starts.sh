#!/usr/bin/env bash
# make starts: starts the release server STARTS times (default 200) in a row on
# one SQLite database, each until /healthz answers and one wizard page is
# served, then stops it; counts the starts whose log shows a panic and prints
# the first such log. Exits non-zero if any start panicked or failed.
set -euo pipefail
cd "$(dirname "$0")/.."

STARTS=${STARTS:-200}
BIN="${SETUP_NOW_BIN:-${CARGO_TARGET_DIR:-$HOME/.cache/setup-now/target}/release/setup-now}"
[ -x "$BIN" ] || { echo "starts: build the release server first (make release)" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'kill "${PID:-}" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
BASE="http://127.0.0.1:$PORT"

panicked=0
failed=0
for i in $(seq 1 "$STARTS"); do
  SETUP_NOW_MODE=development SETUP_NOW_ADDR="127.0.0.1:$PORT" \
  SETUP_NOW_DATABASE_URL="sqlite://$WORK/starts.db" SETUP_NOW_DEMO_DATA=1 \
  SETUP_NOW_SCHEDULER_INTERVAL_SECS=3600 RUST_LOG=warn RUST_BACKTRACE=1 \
    "$BIN" >"$WORK/log" 2>&1 &
  PID=$!
  up=0
  for _ in $(seq 1 400); do
    if curl -fsS -o /dev/null "$BASE/healthz" 2>/dev/null; then up=1; break; fi
    sleep 0.025
  done
  [ "$up" = 1 ] && curl -fsS -o /dev/null "$BASE/" || up=0
  # Route generation's tasks run at start; give a stray one time to finish.
  sleep 0.2
  kill "$PID"; wait "$PID" 2>/dev/null || true
  if [ "$up" != 1 ]; then
    failed=$((failed + 1))
    [ "$failed" = 1 ] && { echo "== start $i did not serve; its log:"; cat "$WORK/log"; }
  fi
  if grep -q "panicked" "$WORK/log"; then
    panicked=$((panicked + 1))
    [ "$panicked" = 1 ] && { echo "== start $i panicked; its log:"; cat "$WORK/log"; }
  fi
done
echo "starts: $STARTS starts, $panicked with a panic, $failed that did not serve"
[ "$panicked" = 0 ] && [ "$failed" = 0 ]
