#!/usr/bin/env bash
# with_postgres.sh CMD…: runs CMD with a throwaway PostgreSQL on loopback (PRECIS_TEST_PG, PGPASSWORD),
# stopped by its PID when CMD ends. Without a PostgreSQL server installed, runs CMD alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/postgres.sh
if [ -n "$(pg_bin)" ]; then
  trap pg_stop EXIT
  pg_start "$(mktemp -d /tmp/precis-pg.XXXXXX)" >&2
fi
"$@"
