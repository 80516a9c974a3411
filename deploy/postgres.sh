#!/usr/bin/env bash
# A throwaway PostgreSQL in a directory of its own: initdb on first start, loopback only, a free
# port, trust authentication for the superuser `seismo` and a database `seismo`. Works as root
# too (the server then runs as the `postgres` system user, as PostgreSQL insists).
#
#   deploy/postgres.sh start DIR    starts (or restarts) it; prints its URL on stdout
#   deploy/postgres.sh stop DIR     stops it (the data stays in DIR/data)
#   deploy/postgres.sh url DIR      prints the URL of a running one
set -euo pipefail

usage() { echo "usage: $0 start|stop|url DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  bin=$(dirname "$(command -v initdb 2>/dev/null || echo /nonexistent/initdb)")
fi
[ -x "$bin/initdb" ] || { echo "PostgreSQL server programs (initdb, pg_ctl) not found: install the 'postgresql' package" >&2; exit 1; }

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

url() { echo "postgres://seismo@127.0.0.1:$(cat "$dir/port")/seismo"; }

case $command in
  start)
    if [ "$(id -u)" -eq 0 ]; then
      chown postgres "$dir"
      runuser -u postgres -- test -w "$dir" \
        || { echo "$dir: the postgres user cannot reach it (a parent directory is private?); choose a directory under one it can traverse" >&2; exit 1; }
    fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/initdb" -D "$dir/data" -U seismo --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 \
        || { cat "$dir/initdb.log" >&2; exit 1; }
    fi
    [ -f "$dir/port" ] || free_port >"$dir/port"
    port=$(cat "$dir/port")
    if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories='$dir' -c max_connections=200" start >/dev/null \
        || { tail -20 "$dir/server.log" >&2; exit 1; }
    fi
    if ! "$bin/psql" -h 127.0.0.1 -p "$port" -U seismo -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'seismo'" | grep -q 1; then
      "$bin/createdb" -h 127.0.0.1 -p "$port" -U seismo seismo
    fi
    url
    ;;
  stop)
    if [ -f "$dir/data/PG_VERSION" ]; then
      as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    ;;
  url)
    url
    ;;
  *) usage ;;
esac
