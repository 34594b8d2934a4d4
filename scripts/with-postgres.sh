#!/usr/bin/env bash
# Runs a command with SETUP_NOW_TEST_POSTGRES_URL naming a PostgreSQL server
# that answers: the one at that URL (default postgres://postgres@127.0.0.1:5432/
# postgres) when it does, else a throwaway cluster in a temporary folder
# (initdb + pg_ctl on a free loopback port), stopped and removed afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."

DEFAULT_URL="postgres://postgres@127.0.0.1:5432/postgres"
URL="${SETUP_NOW_TEST_POSTGRES_URL:-$DEFAULT_URL}"
say() { printf 'with-postgres: %s\n' "$*" >&2; }

# host and port of a postgres:// URL
hostport() {
  local rest="${1#*://}"; rest="${rest#*@}"; rest="${rest%%/*}"; rest="${rest%%\?*}"
  local host="${rest%%:*}" port="5432"
  [ "$rest" != "$host" ] && port="${rest##*:}"
  printf '%s %s' "${host:-127.0.0.1}" "$port"
}
answers() {
  local host port; read -r host port < <(hostport "$1")
  (exec 3<>"/dev/tcp/${host}/${port}") 2>/dev/null
}

# SETUP_NOW_TEST_POSTGRES_THROWAWAY=1 starts a throwaway cluster even when a
# server answers (to try this path where one runs).
if [ "${SETUP_NOW_TEST_POSTGRES_THROWAWAY:-0}" != 1 ] && answers "$URL"; then
  export SETUP_NOW_TEST_POSTGRES_URL="$URL"
  exec "$@"
fi
if [ "$URL" != "$DEFAULT_URL" ] && [ "${SETUP_NOW_TEST_POSTGRES_THROWAWAY:-0}" != 1 ]; then
  say "nothing answers at $URL (SETUP_NOW_TEST_POSTGRES_URL)"; exit 1
fi

bin=""
if command -v initdb >/dev/null; then bin=$(dirname "$(command -v initdb)")
else bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true); fi
[ -n "$bin" ] && [ -x "$bin/initdb" ] || { say "no PostgreSQL server and no initdb: run scripts/ensure-tools.sh"; exit 1; }

DIR=$(mktemp -d)
PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
# initdb refuses to run as root: the cluster belongs to the postgres user.
as_owner() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
stop() {
  as_owner "$bin/pg_ctl" -D "$DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$DIR"
}
trap stop EXIT INT TERM
say "starting a throwaway cluster on 127.0.0.1:${PORT}"
as_owner "$bin/initdb" -D "$DIR/data" -A trust -U postgres >/dev/null
as_owner "$bin/pg_ctl" -D "$DIR/data" -w -l "$DIR/server.log" \
  -o "-p ${PORT} -k ${DIR} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null
export SETUP_NOW_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:${PORT}/postgres"
status=0
"$@" || status=$?
exit "$status"
