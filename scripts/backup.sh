#!/usr/bin/env bash
# Backs up the database that SETUP_NOW_DATABASE_URL names into FILE, while the
# server runs (docs/production.md). Keep SETUP_NOW_SECRET_KEY with it: emails
# still waiting to be sent are sealed with that key.
#   SQLite:     sqlite3's online backup (consistent in WAL mode; copying the
#               file with cp is not)
#   PostgreSQL: pg_dump's custom format
set -euo pipefail
FILE=${1:?usage: SETUP_NOW_DATABASE_URL=... scripts/backup.sh FILE}
URL=${SETUP_NOW_DATABASE_URL:?SETUP_NOW_DATABASE_URL names the database to back up}
case "$FILE" in *"'"*) echo "$(basename "$0"): a file name without ' please" >&2; exit 1 ;; esac
case "$URL" in
  sqlite:*)
    path=${URL#sqlite:}; path=${path#//}; path=${path%%\?*}
    [ -f "$path" ] || { echo "backup: no SQLite database at $path" >&2; exit 1; }
    sqlite3 "$path" ".backup '$FILE'"
    ;;
  postgres://* | postgresql://*)
    pg_dump --format=custom --no-owner --file="$FILE" --dbname="$URL"
    ;;
  *) echo "backup: SETUP_NOW_DATABASE_URL must start with sqlite:// or postgres://" >&2; exit 1 ;;
esac
echo "backup: written to $FILE"
