#!/usr/bin/env bash
# Installs what building and testing setup-now needs, each only when missing:
# the wasm32 target, rustfmt/clippy, cargo-leptos, wasm-bindgen-cli (the exact
# version Cargo.lock pins), Chromium + ChromeDriver, PostgreSQL (only when no
# server answers on 127.0.0.1:5432), and the npm packages of end2end/
# (Playwright and binaryen's wasm-opt). Safe to run again: it then
# only checks.
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.10
say() { printf 'ensure-tools: %s\n' "$*"; }
die() { printf 'ensure-tools: %s\n' "$*" >&2; exit 1; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again."
command -v rustup >/dev/null || die "rustup is missing: the wasm32 target is installed through rustup."

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
for component in rustfmt clippy; do
  if ! rustup component list --installed | grep -q "^${component}"; then
    say "adding rustup component ${component}"
    rustup component add "${component}"
  fi
done

if ! cargo leptos --version 2>/dev/null | grep -q "${CARGO_LEPTOS_VERSION}"; then
  say "installing cargo-leptos ${CARGO_LEPTOS_VERSION} (about 11 minutes on 2 cores)"
  cargo install cargo-leptos --locked --version "${CARGO_LEPTOS_VERSION}"
fi

# The CLI must be exactly the version of the wasm-bindgen crate in Cargo.lock.
WB_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "${WB_VERSION}" ] || die "could not read the wasm-bindgen version from Cargo.lock"
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WB_VERSION}$" \
   || ! command -v wasm-bindgen-test-runner >/dev/null; then
  say "installing wasm-bindgen-cli ${WB_VERSION} (about 4 minutes)"
  # Not --locked: the CLI's own lock file names a crate the registry lacks.
  cargo install wasm-bindgen-cli --version "${WB_VERSION}" --force
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing Chromium and ChromeDriver from Debian"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    die "Chromium and ChromeDriver are missing. Install them as root: apt-get install chromium chromium-driver"
  fi
fi

# PostgreSQL for the second backend's tests: the server at 127.0.0.1:5432 when
# one runs (scripts/with-postgres.sh uses it), else Debian's binaries, from
# which with-postgres.sh starts a throwaway cluster.
if ! (exec 3<>/dev/tcp/127.0.0.1/5432) 2>/dev/null \
   && ! command -v initdb >/dev/null && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "installing PostgreSQL from Debian (its tests start a throwaway cluster)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  else
    die "PostgreSQL is missing and nothing answers on 127.0.0.1:5432. Install it as root: apt-get install postgresql"
  fi
fi

# Schemathesis (the order API against its OpenAPI document), pinned, in a
# virtual environment under the build cache.
SCHEMATHESIS_VERSION=4.32.5
ST_VENV="${SETUP_NOW_SCHEMATHESIS:-$HOME/.cache/setup-now/schemathesis}"
if ! "$ST_VENV/bin/st" --version 2>/dev/null | grep -q " ${SCHEMATHESIS_VERSION}$"; then
  command -v python3 >/dev/null || die "python3 is missing: install Python 3.9 or newer (apt-get install python3 python3-venv)"
  say "installing schemathesis ${SCHEMATHESIS_VERSION} into ${ST_VENV}"
  python3 -m venv "$ST_VENV"
  "$ST_VENV/bin/pip" install --quiet --disable-pip-version-check "schemathesis==${SCHEMATHESIS_VERSION}"
fi

command -v npm >/dev/null || die "npm is missing: install Node.js 20 or newer with npm (apt-get install nodejs npm)."
if [ ! -f end2end/node_modules/.package-lock.json ] \
   || [ end2end/package-lock.json -nt end2end/node_modules/.package-lock.json ]; then
  say "installing end2end npm packages (Playwright without browsers, binaryen)"
  (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error)
fi
[ -x end2end/node_modules/.bin/wasm-opt ] || die "end2end/node_modules/.bin/wasm-opt missing after npm ci"
