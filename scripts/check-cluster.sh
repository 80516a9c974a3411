#!/usr/bin/env bash
# The cluster as processes (deploy/local-cluster.sh: PostgreSQL, a coordinator, workers), checked
# end to end:
#  - same answers: every analysis kind run by `seismo analyze` and by the cluster with 1 and with
#    3 workers gives byte-identical files (solution-set: weight vectors included, and none inside a
#    result's JSON);
#  - faults: a worker killed with SIGKILL mid-shard, the coordinator killed with SIGKILL mid-job
#    and restarted, PostgreSQL restarted mid-job — each job still finishes with every shard's
#    result accepted exactly once (its files equal the local run's); a shard that throws every
#    time fails its job after --max-attempts with the error in `seismo status`; a cancelled job
#    gets no new claims and its worker drops the shard at the next heartbeat.
set -euo pipefail
seismo=${1:?usage: $0 PATH-TO-SEISMO}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"  # the database may run as the postgres user
export SEISMO=$seismo SEISMO_CLUSTER_DIR=$work/cluster SEISMO_CACHE=$work/client-cache
cluster=$root/deploy/local-cluster.sh
extra_workers=()
cleanup() {
  for pid in "${extra_workers[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  bash "$cluster" down >/dev/null 2>&1 || true
  if [ -n "${SEISMO_KEEP_CHECK:-}" ]; then echo "kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; for f in "$work"/cluster/logs/*.log; do echo "== $f" >&2; tail -15 "$f" >&2; done; exit 1; }

eval "$(bash "$cluster" up --workers 1 --lease-seconds 2 --rescue-interval 0.5)"
golden=$root/Tests/Fixtures/golden/cnn_digits
files=(--model "$golden/model.onnx" --data "$golden/inputs.npy" --labels "$golden/labels.npy" --reference-epsilon 1e-3)

# A worker beside the cluster's own: `start_worker NAME [options]` sets $worker_pid.
start_worker() {
  local name=$1; shift
  SEISMO_TOKEN=$(cat "$SEISMO_CLUSTER_DIR/worker.token") "$seismo" worker --name "$name" --lease-seconds 2 \
    --cache-dir "$work/cache-$name" "$@" >"$SEISMO_CLUSTER_DIR/logs/$name.log" 2>&1 &
  worker_pid=$!
  extra_workers+=("$worker_pid")
}
stop_worker() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# Runs KIND locally and on the cluster and compares every file but the pictures.
same_answers() {
  local label=$1 kind=$2; shift 2
  # solution-set has one solve or run per shard and no --shard-size.
  local local_size=(--shard-size 5) cluster_size=(--shard-size 3)
  if [ "$kind" = solution-set ]; then local_size=(); cluster_size=(); fi
  "$seismo" analyze "$kind" "$@" "${local_size[@]}" --out "$work/local/$label" >/dev/null 2>&1 || fail "analyze $kind"
  local job
  job=$("$seismo" submit "$kind" "$@" "${cluster_size[@]}" 2>/dev/null) || fail "submit $kind"
  "$seismo" watch "$job" >/dev/null 2>&1 || { "$seismo" status "$job" >&2; fail "$label: job $job did not succeed"; }
  "$seismo" export "$job" --out "$work/cluster-out/$label" --pictures 0 >/dev/null 2>&1 || fail "export $job"
  for file in $(cd "$work/local/$label" && find . -type f ! -name '*.png'); do
    cmp -s "$work/local/$label/$file" "$work/cluster-out/$label/$file" || fail "$label: $file differs between analyze and the cluster"
  done
  echo "   $label: files identical to seismo analyze" >&2
  if [ "$kind" = solution-set ]; then
    # Weight vectors travel as artifacts: each result names its vector and holds no long array.
    curl -sf -H "Authorization: Bearer $SEISMO_TOKEN" "$SEISMO_COORDINATOR/v1/jobs/$job/results" | python3 -c '
import json, sys
results = json.load(sys.stdin)
def longest(x):
    if isinstance(x, list): return max([len(x)] + [longest(v) for v in x])
    if isinstance(x, dict): return max([0] + [longest(v) for v in x.values()])
    return 0
solves = [r for r in results if r.get("task") in ("solve", "retrain")]
assert solves and all(len(r["vector"]["sha256"]) == 64 for r in solves), "every solve and run names its vector by SHA-256"
assert max(longest(r) for r in results) < 100, "a result holds a long array"
' || fail "$label: weight vectors inside the results"
  fi
}

kinds() {
  local workers=$1
  same_answers "influence-$workers" influence "${files[@]}"
  same_answers "maps-$workers" influence-maps "${files[@]}" --indices 0,3,5,7 --scales 1,3 --channel-mode separate
  same_answers "params-$workers" influence-params "${files[@]}"
  same_answers "sweep-$workers" perturbation-sweep --model "$golden/model.onnx" --data "$golden/inputs.npy" --labels "$golden/labels.npy" \
    --epsilons 0,1e-3,1e-2,0.1 --draws 4 --layers each
  local setvalued=$root/Tests/Fixtures/golden/mlp_digits
  same_answers "solution-set-$workers" solution-set --model "$setvalued/model.onnx" --data "$setvalued/setvalued_train_inputs.npy" \
    --labels "$setvalued/setvalued_train_labels.npy" --points 0,9 --deltas 0.03,0.1 --seeds 3 --retrain-runs 2 --kappa-iterations 2 \
    --max-iterations 3000
}

echo "-- cluster: same answers as seismo analyze with 1 worker" >&2
kinds 1
echo "-- cluster: same answers with 3 workers" >&2
start_worker extra-1; start_worker extra-2
kinds 3
for pid in "${extra_workers[@]}"; do stop_worker "$pid"; done
extra_workers=()
kill -TERM "$(cat "$SEISMO_CLUSTER_DIR/worker-1.pid")"; rm -f "$SEISMO_CLUSTER_DIR/worker-1.pid"

# A slow job: 3000 random 28×28 images through an untrained CNN in double precision, 6 shards.
"$seismo" model create --arch cnn --input 1x28x28 --classes 10 --out "$work/cnn.onnx" >/dev/null 2>&1
python3 -c "import numpy as np, sys; np.save(sys.argv[1], np.random.default_rng(1).random((3000, 1, 28, 28), dtype=np.float32))" "$work/x.npy"
slow=(--model "$work/cnn.onnx" --data "$work/x.npy" --precision double --reference-epsilon 1e-3)
"$seismo" analyze influence "${slow[@]}" --out "$work/local/slow" >/dev/null 2>&1 || fail "analyze the slow job"

json_field() { python3 -c "import json, sys; print(json.load(sys.stdin)$1)"; }
job_state() { "$seismo" status "$1" | awk '$1 == "state" { print $2 }'; }
shards_done() { "$seismo" status "$1" | awk '$1 == "shards" { split($2, a, "/"); print a[1] }'; }
wait_until() {  # wait_until SECONDS DESCRIPTION COMMAND...
  local seconds=$1 what=$2; shift 2
  for _ in $(seq 1 $((seconds * 10))); do "$@" && return 0; sleep 0.1; done
  fail "timed out after ${seconds}s waiting for $what"
}
leased_by() { "$seismo" workers | awk -v w="$1" '$1 == w && $3 > 0 { found = 1 } END { exit !found }'; }
has_done() { [ "$(shards_done "$1")" -ge "$2" ]; }
check_slow() {  # the job succeeded and its files equal the local run's
  local job=$1 label=$2
  "$seismo" watch "$job" >/dev/null 2>&1 || { "$seismo" status "$job" >&2; fail "$label: job did not succeed"; }
  "$seismo" export "$job" --out "$work/cluster-out/$label" >/dev/null 2>&1 || fail "export $label"
  cmp -s "$work/local/slow/samples.csv" "$work/cluster-out/$label/samples.csv" || fail "$label: samples differ (lost or double-counted results?)"
  cmp -s "$work/local/slow/summary.json" "$work/cluster-out/$label/summary.json" || fail "$label: summary differs"
}

echo "-- fault: a worker killed with SIGKILL mid-shard" >&2
job=$("$seismo" submit influence "${slow[@]}" --shard-size 500 2>/dev/null)
start_worker victim --slots 1
victim=$worker_pid
wait_until 60 "the victim to hold a lease" leased_by victim
kill -KILL "$victim"
start_worker rescuer --slots 1
check_slow "$job" killed-worker
"$seismo" status "$job" | grep -q "lease expired on worker victim" || fail "the expired lease is not recorded"
echo "   the victim's shard was re-leased after expiry; every result accepted once" >&2

echo "-- fault: the coordinator killed with SIGKILL mid-job, then restarted" >&2
job=$("$seismo" submit influence "${slow[@]}" --shard-size 500 2>/dev/null)
wait_until 60 "a first shard" has_done "$job" 1
kill -KILL "$(cat "$SEISMO_CLUSTER_DIR/coordinator.pid")"
sleep 1
bash "$cluster" up --workers 0 --lease-seconds 2 --rescue-interval 0.5 >/dev/null
check_slow "$job" killed-coordinator
echo "   the job finished after the restart" >&2

echo "-- fault: PostgreSQL restarted mid-job" >&2
job=$("$seismo" submit influence "${slow[@]}" --shard-size 500 2>/dev/null)
wait_until 60 "a first shard" has_done "$job" 1
bash "$root/deploy/postgres.sh" stop "$SEISMO_CLUSTER_DIR/postgres"
sleep 2
bash "$root/deploy/postgres.sh" start "$SEISMO_CLUSTER_DIR/postgres" >/dev/null
check_slow "$job" restarted-postgres
echo "   the coordinator reconnected and the job finished" >&2

echo "-- two coordinators serving one database: submit through one, work through the other" >&2
second_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$seismo" coordinator --database-url "$(bash "$root/deploy/postgres.sh" url "$SEISMO_CLUSTER_DIR/postgres")" \
  --listen "127.0.0.1:$second_port" --cache-dir "$work/second-cache" >"$SEISMO_CLUSTER_DIR/logs/second-coordinator.log" 2>&1 &
second=$!
extra_workers+=("$second")
wait_until 30 "the second coordinator" python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "http://127.0.0.1:$second_port/readyz"
stop_worker "$worker_pid"
SEISMO_COORDINATOR="http://127.0.0.1:$second_port" start_worker second-worker --slots 1
job=$("$seismo" submit influence "${slow[@]}" --shard-size 500 2>/dev/null)
check_slow "$job" two-coordinators
stop_worker "$worker_pid"
stop_worker "$second"
echo "   the job finished; either coordinator answers for it" >&2

echo "-- fault: a shard that throws every time" >&2
start_worker broken --slots 1 --cache-dir /proc/seismo-no-cache-here
job=$("$seismo" submit influence "${files[@]}" --max-attempts 2 2>/dev/null)
if "$seismo" watch "$job" >/dev/null 2>&1; then fail "a job whose shards always throw succeeded"; fi
[ "$(job_state "$job")" = failed ] || fail "the job is $(job_state "$job"), not failed"
errors=$("$seismo" status "$job" | grep -c "attempt .* on broken: .*artifact cache" || true)
[ "$errors" -ge 2 ] || { "$seismo" status "$job" >&2; fail "expected every attempt's error in seismo status"; }
stop_worker "$worker_pid"
echo "   failed after 2 attempts, each attempt's error shown by seismo status" >&2

echo "-- cancel: no new claims, the worker drops its shard at the next heartbeat" >&2
job=$("$seismo" submit influence "${slow[@]}" --shard-size 500 2>/dev/null)
start_worker canceller --slots 1 --threads 1
wait_until 60 "a lease" leased_by canceller
"$seismo" cancel "$job" 2>/dev/null
wait_until 10 "the worker to drop its shard" grep -q "dropping their shards" "$SEISMO_CLUSTER_DIR/logs/canceller.log"
sleep 3
[ "$(job_state "$job")" = cancelled ] || fail "the job is $(job_state "$job"), not cancelled"
leased_by canceller && fail "the worker holds a lease of a cancelled job"
grep -q '"shard done"\|shard done' "$SEISMO_CLUSTER_DIR/logs/canceller.log" && fail "a shard of the cancelled job was reported done"
stop_worker "$worker_pid"
echo "   cancelled; the shard was dropped and nothing more was claimed" >&2
echo "cluster checks passed" >&2
