#!/usr/bin/env bash
# Starts a throwaway PostgreSQL from Debian's packages on a free loopback port, for the tests and the
# benchmark. `source scripts/postgres.sh` then `pg_start DIR`; it sets PRECIS_TEST_PG (the URL, no
# password), PGPASSWORD and PG_PID (the postmaster, which `pg_stop` stops by PID). PostgreSQL refuses to
# run as root, so as root the cluster belongs to the unprivileged `postgres` user (or `nobody`).
pg_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }

pg_start() { # DIR: where the cluster lives; removed by pg_stop
  local dir=$1 bin port owner
  bin=$(pg_bin)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then echo "postgres.sh: no PostgreSQL server installed (apt-get install postgresql)" >&2; return 1; fi
  mkdir -p "$dir"
  PG_DIR=$(cd "$dir" && pwd)
  as_owner=()
  if [ "$(id -u)" = 0 ]; then
    owner=postgres; id -u postgres >/dev/null 2>&1 || owner=nobody
    chown "$owner" "$PG_DIR"; chmod 700 "$PG_DIR"
    as_owner=(runuser -u "$owner" --)
  fi
  PGPASSWORD=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
  printf '%s\n' "$PGPASSWORD" > "$PG_DIR/pw"
  [ "$(id -u)" = 0 ] && chown "$owner" "$PG_DIR/pw"
  chmod 600 "$PG_DIR/pw"
  "${as_owner[@]}" "$bin/initdb" -D "$PG_DIR/data" -U precis --pwfile="$PG_DIR/pw" --auth=scram-sha-256 -E UTF8 --no-sync > "$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  rm -f "$PG_DIR/pw"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  "${as_owner[@]}" "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $PG_DIR -c max_connections=300 -c fsync=off -c synchronous_commit=off" start > /dev/null \
    || { tail -20 "$PG_DIR/server.log" >&2; return 1; }
  PG_PID=$(head -1 "$PG_DIR/data/postmaster.pid")
  PGPASSWORD=$PGPASSWORD "$bin/createdb" -h 127.0.0.1 -p "$port" -U precis precis
  export PGPASSWORD PG_PID PG_DIR
  export PRECIS_TEST_PG="postgres://precis@127.0.0.1:$port/precis"
  echo "postgres.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (PID $PG_PID), data in $PG_DIR"
}

pg_stop() { # stops the postmaster by its PID (a fast shutdown), then removes its folder
  [ -n "${PG_PID:-}" ] || return 0
  kill -INT "$PG_PID" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$PG_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$PG_PID" 2>/dev/null || true
  [ -n "${PG_DIR:-}" ] && rm -rf "$PG_DIR"
  PG_PID=
}
