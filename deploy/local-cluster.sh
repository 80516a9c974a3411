#!/usr/bin/env bash
# A whole Seismo cluster on this machine: a throwaway PostgreSQL (initdb in a data directory,
# loopback, a free port; works as root too), a coordinator on a free port, and N workers.
#
#   eval "$(deploy/local-cluster.sh up --workers 3)"   start; the eval sets SEISMO_COORDINATOR and SEISMO_TOKEN
#   deploy/local-cluster.sh status                     what is running
#   deploy/local-cluster.sh down                       stop everything it started (the data stays)
#
# State (database, logs, pids, tokens, artifact cache) lives in $SEISMO_CLUSTER_DIR, by default
# .seismo-cluster/ in the current directory. $SEISMO names the seismo binary (default: the
# release build of this checkout, built if missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${SEISMO_CLUSTER_DIR:-$PWD/.seismo-cluster}

usage() {
  echo "usage: $0 up [--workers N] [--slots S] [--lease-seconds L] [--rescue-interval R] | status | down" >&2
  exit 2
}
[ $# -ge 1 ] || usage
command=$1; shift

seismo_binary() {
  if [ -n "${SEISMO:-}" ]; then echo "$SEISMO"; return; fi
  local bin
  bin=$(cd "$root" && swift build -c release --show-bin-path)/seismo
  if [ ! -x "$bin" ]; then
    echo "building seismo (release)…" >&2
    (cd "$root" && swift build -c release --product seismo >&2)
  fi
  echo "$bin"
}

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Whether the process in a pid file runs (a killed process may linger as a zombie until its
# parent reaps it; that one counts as gone).
alive() {
  [ -f "$1" ] || return 1
  local pid
  pid=$(cat "$1")
  kill -0 "$pid" 2>/dev/null || return 1
  [ ! -r "/proc/$pid/stat" ] || [ "$(cut -d' ' -f3 "/proc/$pid/stat" 2>/dev/null)" != Z ]
}

wait_ready() {
  for _ in $(seq 1 300); do
    if python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1] + "/readyz", timeout=2)' "$1" >/dev/null 2>&1; then return 0; fi
    alive "$dir/coordinator.pid" || { echo "the coordinator exited; its log:" >&2; tail -20 "$dir/logs/coordinator.log" >&2; return 1; }
    sleep 0.1
  done
  echo "the coordinator did not become ready within 30 s; see $dir/logs/coordinator.log" >&2
  return 1
}

start_worker() {
  local n=$1 seismo=$2
  SEISMO_COORDINATOR=$(cat "$dir/coordinator.url") SEISMO_TOKEN=$(cat "$dir/worker.token") \
    nohup "$seismo" worker --name "local-$n" --slots "$slots" --lease-seconds "$lease" --cache-dir "$dir/cache" \
    >"$dir/logs/worker-$n.log" 2>&1 </dev/null &
  echo $! >"$dir/worker-$n.pid"
}

up() {
  local workers=2 rescue=5
  slots=1 lease=60
  while [ $# -gt 0 ]; do
    case $1 in
      --workers) workers=${2:?--workers needs a number}; shift 2 ;;
      --slots) slots=${2:?--slots needs a number}; shift 2 ;;
      --lease-seconds) lease=${2:?--lease-seconds needs a number}; shift 2 ;;
      --rescue-interval) rescue=${2:?--rescue-interval needs a number}; shift 2 ;;
      *) usage ;;
    esac
  done
  [[ $workers =~ ^[0-9]+$ ]] || { echo "--workers must be a number, got '$workers'" >&2; exit 2; }
  mkdir -p "$dir/logs" "$dir/cache"
  chmod 755 "$dir"  # the database may run as the postgres user
  local seismo
  seismo=$(seismo_binary)
  echo "$seismo" >"$dir/seismo.path"
  local database
  database=$(bash "$root/deploy/postgres.sh" start "$dir/postgres")

  if ! alive "$dir/coordinator.pid"; then
    [ -f "$dir/admin.token" ] || echo "sk_admin_$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')" >"$dir/admin.token"
    # A restarted coordinator keeps its address, so running workers find it again.
    local port
    if [ -f "$dir/coordinator.url" ]; then port=$(cat "$dir/coordinator.url"); port=${port##*:}; else port=$(free_port); fi
    echo "http://127.0.0.1:$port" >"$dir/coordinator.url"
    SEISMO_ADMIN_TOKEN=$(cat "$dir/admin.token") nohup "$seismo" coordinator --database-url "$database" --listen "127.0.0.1:$port" \
      --rescue-interval "$rescue" --cache-dir "$dir/coordinator-cache" >>"$dir/logs/coordinator.log" 2>&1 </dev/null &
    echo $! >"$dir/coordinator.pid"
  fi
  local url
  url=$(cat "$dir/coordinator.url")
  wait_ready "$url"
  if [ ! -f "$dir/worker.token" ]; then
    SEISMO_TOKEN=$(cat "$dir/admin.token") "$seismo" token create --coordinator "$url" --role worker --name local-workers >"$dir/worker.token"
    SEISMO_TOKEN=$(cat "$dir/admin.token") "$seismo" token create --coordinator "$url" --role submit --name local-user >"$dir/submit.token"
  fi
  for n in $(seq 1 "$workers"); do
    alive "$dir/worker-$n.pid" || start_worker "$n" "$seismo"
  done
  echo "cluster up: coordinator $url, $workers worker(s); logs in $dir/logs" >&2
  echo "export SEISMO_COORDINATOR=$url"
  echo "export SEISMO_TOKEN=$(cat "$dir/submit.token")"
}

status() {
  [ -f "$dir/coordinator.url" ] || { echo "no cluster in $dir" >&2; exit 1; }
  alive "$dir/coordinator.pid" && echo "coordinator $(cat "$dir/coordinator.url") (pid $(cat "$dir/coordinator.pid"))" || echo "coordinator: stopped"
  for pidfile in "$dir"/worker-*.pid; do
    [ -f "$pidfile" ] || continue
    local name
    name=$(basename "$pidfile" .pid)
    alive "$pidfile" && echo "$name (pid $(cat "$pidfile"))" || echo "$name: stopped"
  done
}

down() {
  [ -d "$dir" ] || { echo "no cluster in $dir" >&2; return 0; }
  local pids=()
  for pidfile in "$dir"/worker-*.pid "$dir/coordinator.pid"; do
    [ -f "$pidfile" ] || continue
    if alive "$pidfile"; then kill -TERM "$(cat "$pidfile")" 2>/dev/null || true; pids+=("$(cat "$pidfile")"); fi
    rm -f "$pidfile"
  done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 100); do echo "$pid" >"$dir/stopping.pid"; alive "$dir/stopping.pid" || break; sleep 0.1; done
    rm -f "$dir/stopping.pid"
    kill -KILL "$pid" 2>/dev/null || true
  done
  bash "$root/deploy/postgres.sh" stop "$dir/postgres"
  echo "cluster down (data kept in $dir; remove it to start afresh)" >&2
}

case $command in
  up) up "$@" ;;
  status) status ;;
  down) down ;;
  *) usage ;;
esac
