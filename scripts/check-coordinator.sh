#!/usr/bin/env bash
# The coordinator as a process: starts a throwaway PostgreSQL and `seismo coordinator` on a free
# port, checks health, readiness and authorization over real HTTP, creates a worker token with
# the bootstrap admin token, claims (nothing to claim yet), then stops it with SIGTERM and
# expects a clean exit.
set -euo pipefail
seismo=${1:?usage: $0 PATH-TO-SEISMO}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"  # the server may run as the postgres user
coordinator=""
cleanup() {
  [ -n "$coordinator" ] && kill "$coordinator" 2>/dev/null || true
  bash "$root/deploy/postgres.sh" stop "$work/postgres" || true
  rm -rf "$work"
}
trap cleanup EXIT

url=$(bash "$root/deploy/postgres.sh" start "$work/postgres")
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export SEISMO_ADMIN_TOKEN="bootstrap-$RANDOM$RANDOM"
"$seismo" coordinator --database-url "$url" --listen "127.0.0.1:$port" >"$work/coordinator.log" 2>&1 &
coordinator=$!

python3 - "$port" "$SEISMO_ADMIN_TOKEN" <<'PY'
import json, sys, time, urllib.request, urllib.error
port, admin = sys.argv[1], sys.argv[2]
base = f"http://127.0.0.1:{port}"

def call(method, path, token=None, body=None):
    request = urllib.request.Request(base + path, method=method, data=None if body is None else json.dumps(body).encode())
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

for _ in range(300):
    try:
        if call("GET", "/healthz")[0] == 200:
            break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("coordinator did not answer /healthz within 30 s")
assert call("GET", "/readyz")[0] == 200, "readyz"
status, body = call("POST", "/v1/leases/claim", body={"worker": "w", "slots": 1})
assert status == 401, (status, body)
status, body = call("POST", "/v1/tokens", admin, {"role": "worker", "name": "smoke"})
assert status == 200, (status, body)
worker = json.loads(body)["token"]
status, body = call("POST", "/v1/tokens", worker, {"role": "admin", "name": "escalation"})
assert status == 403, (status, body)
status, body = call("POST", "/v1/leases/claim", worker, {"worker": "w", "slots": 4})
assert status == 200 and json.loads(body) == {"leases": []}, (status, body)
print("coordinator: health, readiness, 401/403 and a worker token over HTTP: ok")
PY

kill -TERM "$coordinator"
if ! wait "$coordinator"; then
  echo "coordinator did not exit cleanly on SIGTERM; its log:" >&2
  cat "$work/coordinator.log" >&2
  exit 1
fi
coordinator=""
echo "coordinator: graceful stop on SIGTERM: ok"
