#!/usr/bin/env bash
# Restores FILE, made by scripts/backup.sh, into the database that
# SETUP_NOW_DATABASE_URL names (docs/production.md). Stop every instance
# first; start them again afterwards with the SETUP_NOW_SECRET_KEY of the
# backup. Everything written after the backup is gone.
set -euo pipefail
FILE=${1:?usage: SETUP_NOW_DATABASE_URL=... scripts/restore.sh FILE}
URL=${SETUP_NOW_DATABASE_URL:?SETUP_NOW_DATABASE_URL names the database to restore into}
[ -f "$FILE" ] || { echo "restore: no backup at $FILE" >&2; exit 1; }
case "$FILE" in *"'"*) echo "$(basename "$0"): a file name without ' please" >&2; exit 1 ;; esac
case "$URL" in
  sqlite:*)
    path=${URL#sqlite:}; path=${path#//}; path=${path%%\?*}
    sqlite3 "$path" ".restore '$FILE'"
    ;;
  postgres://* | postgresql://*)
    pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error \
      --dbname="$URL" "$FILE"
    ;;
  *) echo "restore: SETUP_NOW_DATABASE_URL must start with sqlite:// or postgres://" >&2; exit 1 ;;
esac
echo "restore: $FILE restored"
