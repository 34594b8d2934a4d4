#!/usr/bin/env bash
# make fuzz: every cargo-fuzz target for FUZZ_SECONDS (default 60) each, then one
# table of executions per target. A crash stops the run with libFuzzer's report
# and the input under fuzz/artifacts/<target>/ (replay it with
# `cargo fuzz run <target> <file>`; then make it a unit test).
#
# cargo-fuzz needs nightly flags (-Z sanitizer options, sancov passes); this
# machine has one stable toolchain, so RUSTC_BOOTSTRAP=1 lets it pass them.
# No sanitizer: the code under test is safe Rust; what is sought is a panic,
# an overflow (debug assertions are on) or a hang, and without AddressSanitizer
# each target runs several times as many inputs a second.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${FUZZ_SECONDS:-60}
CARGO_FUZZ_VERSION=0.13.2
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/setup-now/target}"
export RUSTC_BOOTSTRAP=1
FUZZ_TARGET_DIR="$CARGO_TARGET_DIR/fuzz"

if ! cargo fuzz --version 2>/dev/null | grep -q "$CARGO_FUZZ_VERSION"; then
  echo "== Installing cargo-fuzz $CARGO_FUZZ_VERSION (once)"
  cargo install cargo-fuzz --version "$CARGO_FUZZ_VERSION" --locked
fi

TARGETS=$(cargo fuzz list --fuzz-dir fuzz)
echo "== Building the fuzz targets"
cargo fuzz build --fuzz-dir fuzz --sanitizer none --target-dir "$FUZZ_TARGET_DIR"

LOGS=$(mktemp -d)
trap 'rm -rf "$LOGS"' EXIT
for target in $TARGETS; do
  echo "== $target for ${SECONDS_EACH} s"
  mkdir -p "fuzz/corpus/$target"
  # The committed seeds (fuzz/seeds/<target>) are read; what the run finds
  # goes into fuzz/corpus/<target> (ignored by git) and is reused next time.
  seeds=()
  [ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
  if ! cargo fuzz run --fuzz-dir fuzz --sanitizer none --target-dir "$FUZZ_TARGET_DIR" \
      "$target" "fuzz/corpus/$target" "${seeds[@]}" -- \
      -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=4096 \
      -print_final_stats=1 -close_fd_mask=1 >"$LOGS/$target" 2>&1; then
    tail -n 60 "$LOGS/$target"
    echo "fuzz: $target FAILED (the input is under fuzz/artifacts/$target/)" >&2
    exit 1
  fi
  grep -E '^(stat::|Done )' "$LOGS/$target" || true
done

echo "== Executions per target (${SECONDS_EACH} s each, no crash)"
printf '%-18s %14s %10s %8s\n' target executions "per s" corpus
for target in $TARGETS; do
  execs=$(awk '/stat::number_of_executed_units/ { print $NF }' "$LOGS/$target")
  rate=$(awk '/stat::average_exec_per_sec/ { print $NF }' "$LOGS/$target")
  corpus=$(find "fuzz/corpus/$target" -type f | wc -l)
  printf '%-18s %14s %10s %8s\n' "$target" "${execs:-?}" "${rate:-?}" "$corpus"
done
