#!/usr/bin/env bash
# Start (or stop) a throwaway PostgreSQL server for the test suite, installing Debian's package if needed.
#   scripts/postgres.sh start   -> prints the SQLAlchemy URL on stdout
#   scripts/postgres.sh stop
set -euo pipefail
cd "$(dirname "$0")/.."
PGROOT="$PWD/.pg"
PORT="${WATCHFLOOR_PG_PORT:-54329}"

find_bin() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install_server() {
  echo "PostgreSQL server not found; installing Debian's postgresql package" >&2
  if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "need root (or sudo) to apt-get install postgresql" >&2; exit 1; }
    SUDO=sudo
  else
    SUDO=
  fi
  $SUDO apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >&2
}

case "${1:-start}" in
start)
  BIN="$(find_bin)"
  [ -n "$BIN" ] && [ -x "$BIN/postgres" ] || { install_server; BIN="$(find_bin)"; }
  mkdir -p "$PGROOT"
  if [ "$(id -u)" = 0 ]; then chown postgres "$PGROOT"; fi
  if [ ! -f "$PGROOT/data/PG_VERSION" ]; then
    as_owner "$BIN/initdb" -D "$PGROOT/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_owner "$BIN/pg_ctl" -D "$PGROOT/data" status >/dev/null 2>&1; then
    as_owner "$BIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/server.log" -w -t 60 \
      -o "-p $PORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null
  fi
  "$BIN/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='watchfloor_test'" \
    | grep -q 1 || "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres watchfloor_test
  echo "postgresql://postgres@127.0.0.1:$PORT/watchfloor_test"
  ;;
stop)
  BIN="$(find_bin)"
  [ -f "$PGROOT/data/PG_VERSION" ] && as_owner "$BIN/pg_ctl" -D "$PGROOT/data" -m fast stop >/dev/null 2>&1 || true
  ;;
*)
  echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
