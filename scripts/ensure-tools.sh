#!/usr/bin/env bash
# Installs what building (`build`, for `make run`) or also testing (`test`,
# for `make test`) setup-now needs, each only when missing. Safe to run again:
# it then only checks.
#
# First, in one pass and before anything long runs, it checks the
# prerequisites and names every one that is missing with the command that
# installs it. System packages (Chromium, PostgreSQL, python3-venv, ...) need
# root: as root on Debian they are installed here; as anyone else the script
# stops with the one apt-get line to run. Everything else goes under your own
# home (~/.cargo/bin, ~/.cache/setup-now, end2end/node_modules), so run
# `make` as yourself, not with sudo (sudo changes HOME and finds no cargo).
#
#   build: the wasm32 target, cargo-leptos, wasm-bindgen-cli (the exact version
#          Cargo.lock pins), the npm packages of end2end/ (binaryen's wasm-opt,
#          and Playwright, which never downloads browsers here)
#   test:  build's, plus rustfmt and clippy, Chromium + ChromeDriver,
#          PostgreSQL (only when no server answers on 127.0.0.1:5432),
#          Schemathesis (pinned, in a virtual environment)
set -euo pipefail
cd "$(dirname "$0")/.."

PURPOSE=${1:-test}
case "$PURPOSE" in build | test) ;; *) echo "usage: $0 [build|test]" >&2; exit 2 ;; esac
CARGO_LEPTOS_VERSION=0.3.10
RUST_MIN=1.95
NODE_MIN=20
SCHEMATHESIS_VERSION=4.32.5
ST_VENV="${SETUP_NOW_SCHEMATHESIS:-$HOME/.cache/setup-now/schemathesis}"
say() { printf 'ensure-tools: %s\n' "$*"; }
die() { printf 'ensure-tools: %s\n' "$*" >&2; exit 1; }
has() { command -v "$1" >/dev/null 2>&1; }
at_least() { # version, minimum: whether version >= minimum
  [ "$(printf '%s\n%s\n' "$2" "$1" | sort -V | head -n1)" = "$2" ]
}

# ---- 1. Prerequisites, all checked before anything is installed ----------
packages=() # Debian packages to install
others=()   # what no apt line installs, with how
need_pkg() { packages+=("$@"); }
lean=()      # of those, installed without the packages they recommend
need_lean_pkg() { packages+=("$@"); lean+=("$@"); }

if ! has cargo || ! has rustup; then
  if [ -n "${SUDO_USER:-}" ]; then
    others+=("cargo is not on root's PATH: run make as ${SUDO_USER}, not with sudo (root is only needed for the apt-get line)")
  else
    others+=("Rust ${RUST_MIN} or newer through rustup: curl --proto '=https' -sSf https://sh.rustup.rs | sh")
  fi
else
  rust=$(rustc --version | awk '{print $2}')
  at_least "$rust" "$RUST_MIN" || others+=("Rust ${RUST_MIN} or newer (found ${rust}): rustup update stable")
fi
has cc || need_pkg gcc
if has node; then
  node_v=$(node --version | tr -d v)
  at_least "$node_v" "$NODE_MIN" || others+=("Node.js ${NODE_MIN} or newer (found ${node_v}; Debian 12's own is 18): https://nodejs.org or NodeSource's packages")
  has npm || need_pkg npm
else
  others+=("Node.js ${NODE_MIN} or newer with npm: apt-get install nodejs npm on Debian 13; Debian 12's is 18, so there use https://nodejs.org or NodeSource's packages")
fi
if [ "$PURPOSE" = test ]; then
  has curl || need_pkg curl
  { has chromium && has chromedriver; } || need_pkg chromium chromium-driver
  # A server of its own for the tests that stop and start one (readiness),
  # and a throwaway cluster where none answers on 5432.
  if ! has initdb && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    need_pkg postgresql
  fi
  # A real Prometheus scrapes the test server; promtool tests the alerts.
  # (Without its node exporter, which would start as a service.)
  { has prometheus && has promtool; } || need_lean_pkg prometheus
  # The backup and restore commands of docs/production.md, tested on both.
  has sqlite3 || need_pkg sqlite3
  has pg_dump || need_pkg postgresql-client
  if ! "$ST_VENV/bin/st" --version >/dev/null 2>&1; then
    has python3 || need_pkg python3
    python3 -c 'import venv, ensurepip' 2>/dev/null || need_pkg python3-venv
  fi
fi

if [ ${#packages[@]} -gt 0 ] && [ ${#others[@]} -eq 0 ] && [ "$(id -u)" = 0 ] && has apt-get; then
  say "installing from Debian: ${packages[*]}"
  apt-get update -qq
  full=()
  for p in "${packages[@]}"; do [[ " ${lean[*]} " == *" $p "* ]] || full+=("$p"); done
  if [ ${#full[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${full[@]}" >/dev/null
  fi
  if [ ${#lean[@]} -gt 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${lean[@]}" >/dev/null
  fi
  packages=()
fi
if [ ${#packages[@]} -gt 0 ] || [ ${#others[@]} -gt 0 ]; then
  {
    echo "ensure-tools: 'make ${PURPOSE/build/run}' needs what is missing below; nothing was installed."
    if [ ${#packages[@]} -gt 0 ]; then
      echo "  - system packages, as root: sudo apt-get install ${packages[*]}"
    fi
    for other in "${others[@]}"; do echo "  - ${other}"; done
    echo "Then run the same command again."
  } >&2
  exit 1
fi

# ---- 2. Installs under your own home ---------------------------------------
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [ "$PURPOSE" = test ]; then
  for component in rustfmt clippy; do
    if ! rustup component list --installed | grep -q "^${component}"; then
      say "adding rustup component ${component}"
      rustup component add "${component}"
    fi
  done
fi

if ! cargo leptos --version 2>/dev/null | grep -q "${CARGO_LEPTOS_VERSION}"; then
  say "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 11 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version "${CARGO_LEPTOS_VERSION}"
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "${WB_VERSION}" ] || die "could not read the wasm-bindgen version from Cargo.lock"
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WB_VERSION}$" \
   || ! has wasm-bindgen-test-runner; then
  say "installing wasm-bindgen-cli ${WB_VERSION} (about 4 minutes)"
  # Not --locked: the CLI's own lock file names a crate the registry lacks.
  cargo install wasm-bindgen-cli --version "${WB_VERSION}" --force
fi

if [ ! -f end2end/node_modules/.package-lock.json ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing end2end npm packages (binaryen's wasm-opt; Playwright without browsers)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
[ -x end2end/node_modules/.bin/wasm-opt ] || die "end2end/node_modules/.bin/wasm-opt missing after npm ci"

# Schemathesis (the order API against its OpenAPI document), pinned, in a
# virtual environment under the build cache.
if [ "$PURPOSE" = test ] \
   && ! "$ST_VENV/bin/st" --version 2>/dev/null | grep -q " ${SCHEMATHESIS_VERSION}$"; then
  say "installing schemathesis ${SCHEMATHESIS_VERSION} into ${ST_VENV}"
  python3 -m venv "$ST_VENV"
  "$ST_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi
