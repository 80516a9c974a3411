#!/usr/bin/env bash
# The cluster across hosts: network namespaces stand in for machines on one private subnet,
# joined by veth pairs to a bridge that lives in a namespace of its own (nothing is added to this
# machine's own network; 10.77.0.0/24 exists only inside these namespaces):
#
#     coordinator host 10.77.0.1 (PostgreSQL on its loopback + `seismo coordinator`)
#     worker host 10.77.0.11, worker host 10.77.0.12 (one `seismo worker` each)
#
# A real influence job runs on both workers; while the second worker holds a lease, its host's
# cable is cut (its port on the bridge goes down: packets vanish, nothing answers). The job must
# finish on the first worker with files identical to `seismo analyze` (no shard lost, none counted
# twice), the cut-off shard must show the expired lease, and once the cable is back the stale
# worker's late report must be refused without changing the answer.
#
# Needs root and iproute2; without them it prints "skipped: …" and exits 0.
set -euo pipefail
seismo=${1:?usage: $0 PATH-TO-SEISMO}
seismo=$(cd "$(dirname "$seismo")" && pwd)/$(basename "$seismo")
root=$(cd "$(dirname "$0")/.." && pwd)
# Every connection stays on the test subnet or a namespace's loopback.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY

skip() { echo "skipped: multi-host check: $*" >&2; exit 0; }
[ "$(id -u)" -eq 0 ] || skip "needs root to create network namespaces"
command -v ip >/dev/null 2>&1 || skip "the 'ip' command (iproute2) is missing"

prefix=seismo-mh-$$
switch=$prefix-net coord=$prefix-coord w1=$prefix-w1 w2=$prefix-w2
ip netns add "$switch" 2>/dev/null || skip "cannot create network namespaces here (ip netns add failed)"

work=$(mktemp -d)
chmod 755 "$work"  # the database runs as the postgres user
mkdir -p "$work/logs"
namespaces=("$switch")
pids=()
postgres_started=""
cleanup() {
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$postgres_started" ]; then ip netns exec "$coord" bash "$root/deploy/postgres.sh" stop "$work/postgres" || true; fi
  # Deleting a namespace deletes the veth ends inside it, and with them their peers.
  for ns in "${namespaces[@]}"; do ip netns del "$ns" 2>/dev/null || true; done
  if [ -n "${SEISMO_KEEP_CHECK:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/logs/*.log; do echo "== $f" >&2; tail -15 "$f" >&2; done; exit 1; }
wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" && return 0; sleep 0.1; done
  fail "timed out after ${seconds}s waiting for $what"
}

echo "-- hosts: a bridge and three namespaces on 10.77.0.0/24" >&2
ip -n "$switch" link add br0 type bridge
ip -n "$switch" link set br0 up
host() {  # host NAMESPACE ADDRESS PORT-NAME: a namespace whose eth0 is cabled to the bridge
  local ns=$1 address=$2 port=$3
  ip netns add "$ns"
  namespaces+=("$ns")
  ip -n "$ns" link set lo up
  ip -n "$ns" link add eth0 type veth peer name "$port" netns "$switch"
  ip -n "$ns" addr add "$address/24" dev eth0
  ip -n "$ns" link set eth0 up
  ip -n "$switch" link set "$port" master br0 up
}
host "$coord" 10.77.0.1 p-coord
host "$w1" 10.77.0.11 p-w1
host "$w2" 10.77.0.12 p-w2

echo "-- coordinator host: PostgreSQL and the coordinator" >&2
database=$(ip netns exec "$coord" bash "$root/deploy/postgres.sh" start "$work/postgres") || fail "PostgreSQL did not start"
postgres_started=1
url=http://10.77.0.1:8080
admin=sk_admin_$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
SEISMO_ADMIN_TOKEN=$admin ip netns exec "$coord" "$seismo" coordinator --database-url "$database" --listen 10.77.0.1:8080 \
  --rescue-interval 0.5 --cache-dir "$work/coordinator-cache" >"$work/logs/coordinator.log" 2>&1 </dev/null &
pids+=($!)
# The command line runs on the coordinator's host too, through its address on the subnet; no
# command may take longer than a few minutes.
cli() {
  local limit=120
  [ "$1" = watch ] && limit=600
  SEISMO_COORDINATOR=$url SEISMO_TOKEN=${token:-$admin} SEISMO_CACHE=$work/client-cache timeout "$limit" ip netns exec "$coord" "$seismo" "$@"
}
reaches() { ip netns exec "$1" python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$url/readyz" >/dev/null 2>&1; }
wait_until 60 "the coordinator to answer worker host 1" reaches "$w1"
wait_until 10 "the coordinator to answer worker host 2" reaches "$w2"
worker_token=$(cli token create --role worker --name multihost-workers)
token=$(cli token create --role submit --name multihost-user)

# The job: 3000 random 28×28 images through an untrained CNN in double precision, 12 shards —
# long enough to cut a cable in the middle of it.
"$seismo" model create --arch cnn --input 1x28x28 --classes 10 --out "$work/cnn.onnx" >/dev/null 2>&1
python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(1).random((3000, 1, 28, 28), dtype=np.float32))" "$work/x.npy"
job_files=(--model "$work/cnn.onnx" --data "$work/x.npy" --precision double --reference-epsilon 1e-3)
echo "-- the same job by seismo analyze, for reference" >&2
"$seismo" analyze influence "${job_files[@]}" --out "$work/local" >/dev/null 2>&1 || fail "seismo analyze"

echo "-- worker hosts: one worker each" >&2
start_worker() {  # start_worker NAMESPACE NAME
  SEISMO_COORDINATOR=$url SEISMO_TOKEN=$worker_token ip netns exec "$1" "$seismo" worker --name "$2" --slots 1 \
    --lease-seconds 2 --cache-dir "$work/cache-$2" >"$work/logs/$2.log" 2>&1 </dev/null &
  pids+=($!)
}
start_worker "$w1" host-1
start_worker "$w2" host-2
job=$(cli submit influence "${job_files[@]}" --shard-size 250 2>/dev/null) || fail "submit"

status_of() { cli status "$job" 2>/dev/null; }
leased_by() { cli workers 2>/dev/null | awk -v w="$1" '$1 == w && $3 > 0 { found = 1 } END { exit !found }'; }
shards_done() { status_of | awk '$1 == "shards" { split($2, a, "/"); print a[1] }'; }
has_done() { [ "$(shards_done)" -ge "$1" ]; }
wait_until 120 "both workers to finish a shard" has_done 2
wait_until 60 "worker host 2 to hold a lease" leased_by host-2
echo "-- cutting worker host 2's cable mid-job ($(shards_done) of 12 shards done)" >&2
ip -n "$switch" link set p-w2 down
reaches "$w2" && fail "worker host 2 still reaches the coordinator with its cable cut"

cli watch "$job" >/dev/null 2>&1 || { status_of >&2; fail "the job did not succeed with one worker host cut off"; }
status=$(status_of)
grep -q "lease expired on worker host-2" <<<"$status" || { echo "$status" >&2; fail "the cut-off worker's lease did not expire"; }
[ "$(awk '$1 == "shards" { print $2 }' <<<"$status")" = 12/12 ] || { echo "$status" >&2; fail "not every shard is done"; }
compare() {  # every file of the cluster's export equals the local run's
  rm -rf "$work/cluster"
  cli export "$job" --out "$work/cluster" >/dev/null 2>&1 || fail "export"
  for file in $(cd "$work/local" && find . -type f ! -name '*.png'); do
    cmp -s "$work/local/$file" "$work/cluster/$file" || fail "$1: $file differs from seismo analyze (a result lost or counted twice?)"
  done
}
compare "after the cut"
echo "   the job finished on worker host 1; its files equal seismo analyze's; host 2's lease expired" >&2

echo "-- cable back: the stale worker's late report changes nothing" >&2
ip -n "$switch" link set p-w2 up
# Its heartbeat learns the lease is gone (the shard is dropped), or its report is refused (409).
stale() { grep -q "report refused\|shard dropped\|leases lost" "$work/logs/host-2.log"; }
wait_until 180 "worker host 2 to hear that its lease is gone" stale
compare "after the stale worker came back"
[ "$(status_of | awk '$1 == "state" { print $2 }')" = succeeded ] || fail "the job is no longer succeeded"
echo "   $(grep -o "report refused[^\"]*\|shard dropped[^\"]*\|leases lost[^\"]*" "$work/logs/host-2.log" | head -1); the files are unchanged" >&2
echo "multi-host checks passed" >&2
