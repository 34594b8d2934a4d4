# setup-now: `make run` serves the app with demo data; `make test` runs every check.
# Both install what they need first (see scripts/ensure-tools.sh) and reuse it
# later: `make run` only what building and serving need, `make test` also the
# test tools (Chromium, PostgreSQL, Prometheus, Schemathesis).

SHELL := /bin/bash
export CARGO_TARGET_DIR ?= $(HOME)/.cache/setup-now/target
export PATH := $(HOME)/.cargo/bin:$(CURDIR)/end2end/node_modules/.bin:$(PATH)
export CHROMEDRIVER ?= /usr/bin/chromedriver
export LEPTOS_SITE_ROOT ?= $(CURDIR)/target/site
# cargo-leptos reads the target dir from cargo; the site goes under it too.
LEPTOS_FLAGS := --release --precompress --split
DB ?= $(CURDIR)/setup-now.db

.PHONY: run test tools test-tools build release lint unit cluster-test wasm-test e2e api-contract bench fuzz soak starts email-screenshots reset-demo fmt

tools:
	@scripts/ensure-tools.sh build

test-tools:
	@scripts/ensure-tools.sh test

build release: tools
	cargo leptos build $(LEPTOS_FLAGS)

run: release
	SETUP_NOW_MODE=development \
	SETUP_NOW_DATABASE_URL="sqlite://$(DB)" \
	LEPTOS_SITE_ROOT="$(LEPTOS_SITE_ROOT)" \
	"$(CARGO_TARGET_DIR)/release/setup-now"

fmt:
	cargo fmt

# The demo starts again from its demo orders at the next `make run`.
reset-demo:
	rm -f "$(DB)" "$(DB)-wal" "$(DB)-shm"

lint: test-tools
	cargo fmt --check
	cargo clippy --features ssr --all-targets -- -D warnings
	cargo clippy --features ssr --test cluster --test soak -- -D warnings
	cargo clippy --features hydrate,split --lib --target wasm32-unknown-unknown -- -D warnings
	scripts/check-deploy.sh

# Unit tests, then the story suite on SQLite and on PostgreSQL.
unit: test-tools
	scripts/server-tests.sh

# Three server processes on one PostgreSQL database, one killed mid-pass.
cluster-test: test-tools
	scripts/with-postgres.sh env SETUP_NOW_TEST_BACKEND=postgres \
	  timeout --signal=KILL 20m cargo test --features ssr --test cluster -- --nocapture

wasm-test: test-tools
	cargo test --features hydrate --target wasm32-unknown-unknown --test browser

e2e: test-tools release
	scripts/e2e.sh

# The order API against its own OpenAPI document (Schemathesis).
api-contract: test-tools release
	scripts/schemathesis.sh

test: lint unit cluster-test wasm-test e2e api-contract
	@echo "make test: all checks passed"

bench: test-tools release
	scripts/bench.sh

# Every cargo-fuzz target for FUZZ_SECONDS (default 60) each; prints the
# executions per target. Installs cargo-fuzz the first time.
fuzz:
	scripts/fuzz.sh

# Five minutes (SOAK_SECONDS) of mixed load at 64 connections on the release
# server, killed with SIGKILL twice; prints "N passed, N failed".
soak: release
	SOAK_SERVER_BIN="$(CARGO_TARGET_DIR)/release/setup-now" \
	  timeout --signal=KILL 30m cargo test --features ssr --test soak -- --nocapture

# The release server started STARTS (default 200) times in a row: none may
# panic or fail to serve.
starts: release
	scripts/starts.sh

# docs/invitation-email-{en,cs}.png: the invitation's HTML part in Chromium.
email-screenshots: test-tools release
	scripts/e2e.sh --exec sh -c 'node end2end/docs/email-screenshots.cjs "$$BASE_URL" docs'
