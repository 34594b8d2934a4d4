#!/usr/bin/env bash
# Checks what deploy/ ships (run by `make lint`): the Prometheus alert rules
# (promtool check, then their unit tests), and the systemd unit where
# systemd-analyze is present (with a stand-in for the binary it starts).
# Any warning fails.
set -euo pipefail
cd "$(dirname "$0")/.."
say() { printf 'check-deploy: %s\n' "$*"; }

command -v promtool >/dev/null || { say "promtool missing: run make test-tools"; exit 1; }
promtool check rules deploy/prometheus/alerts.yml
(cd deploy/prometheus && promtool test rules alerts.test.yml)

if ! command -v systemd-analyze >/dev/null; then
  say "no systemd-analyze here: deploy/setup-now.service not verified"
  exit 0
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
printf '#!/bin/sh\n' > "$dir/setup-now"
chmod +x "$dir/setup-now"
sed "s#^ExecStart=/opt/setup-now/setup-now#ExecStart=$dir/setup-now#" deploy/setup-now.service \
  > "$dir/setup-now.service"
grep -q "^ExecStart=$dir/setup-now" "$dir/setup-now.service" || { say "ExecStart not found in the unit"; exit 1; }
out=$(systemd-analyze verify "$dir/setup-now.service" 2>&1) || { printf '%s\n' "$out"; exit 1; }
if [ -n "$out" ]; then printf '%s\n' "$out"; say "deploy/setup-now.service: warnings above"; exit 1; fi
say "deploy/setup-now.service verified; alert rules checked and tested"
