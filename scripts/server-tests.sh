#!/usr/bin/env bash
# The server's tests: unit tests, then the story suite (tests/server) on SQLite
# and again on PostgreSQL (a throwaway cluster when none answers; see
# with-postgres.sh). Says how many ran on each engine.
set -euo pipefail
cd "$(dirname "$0")/.."

count() { grep -E '^test result:' "$1" | awk '{ passed += $4 } END { print passed + 0 }'; }
LOG=$(mktemp -d)
trap 'rm -rf "$LOG"' EXIT

# A run that hangs fails after 20 minutes instead of holding CI.
T="timeout --signal=KILL 20m"
$T cargo test --features ssr --lib --bins 2>&1 | tee "$LOG/unit.log"
# The house's one direction (ARCHITECTURE.md): no module uses a floor above.
$T cargo test --features ssr --test layers 2>&1 | tee "$LOG/layers.log"
SETUP_NOW_TEST_BACKEND=sqlite $T cargo test --features ssr --test server 2>&1 | tee "$LOG/sqlite.log"
scripts/with-postgres.sh env SETUP_NOW_TEST_BACKEND=postgres \
  $T cargo test --features ssr --test server 2>&1 | tee "$LOG/postgres.log"

echo "server tests: $(count "$LOG/unit.log") unit, $(count "$LOG/sqlite.log") stories on SQLite, $(count "$LOG/postgres.log") on PostgreSQL"
