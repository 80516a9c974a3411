#!/usr/bin/env bash
# The dashboard in a real browser: a local cluster runs one job of each kind (the influence job
# with outlier labels and a comparison set); every page is fetched
# (200, well-formed, every internal link answers 200), then rendered by headless Chromium into
# screenshots — the jobs page and one page per kind — failing on any console error.
#   scripts/check-dashboard.sh PATH-TO-SEISMO [SCREENSHOT-DIR]
set -euo pipefail
seismo=${1:?usage: $0 PATH-TO-SEISMO [SCREENSHOT-DIR]}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"  # the database may run as the postgres user
shots=${2:-$work/screenshots}
mkdir -p "$shots"
export SEISMO=$seismo SEISMO_CLUSTER_DIR=$work/cluster SEISMO_CACHE=$work/client-cache
cleanup() { bash "$root/deploy/local-cluster.sh" down >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT

browser=$(command -v chromium || command -v chromium-browser || true)
[ -n "$browser" ] || { echo "Chromium is not installed (Debian: apt-get install chromium)" >&2; exit 1; }

eval "$(bash "$root/deploy/local-cluster.sh" up --workers 2)"
read_token=$("$seismo" token create --role read --name dashboard-check --token "$(cat "$SEISMO_CLUSTER_DIR/admin.token")")
golden=$root/Tests/Fixtures/golden/cnn_digits
files=(--model "$golden/model.onnx" --data "$golden/inputs.npy" --labels "$golden/labels.npy")
jobs=()
# The influence job with outlier labels and a comparison set, so its page draws ROC and
# precision–recall curves and the two sets' FI overlaid: 64 digits of which 8 are replaced by noise
# (the outliers), compared with the 8 golden test digits.
python3 - "$root/Tests/Fixtures/golden/mlp_digits/setvalued_train_inputs.npy" "$work" <<'PY'
import sys, numpy as np
x = np.load(sys.argv[1])
rng = np.random.default_rng(3)
outliers = np.zeros(len(x), dtype=np.int64)
outliers[rng.choice(len(x), 8, replace=False)] = 1
x[outliers == 1] = rng.uniform(x.min(), x.max(), size=(8,) + x.shape[1:]).astype(x.dtype)
np.save(sys.argv[2] + "/mixed.npy", x)
np.save(sys.argv[2] + "/outliers.npy", outliers)
PY
jobs+=("influence=$("$seismo" submit influence --model "$golden/model.onnx" --data "$work/mixed.npy" \
  --labels "$root/Tests/Fixtures/golden/mlp_digits/setvalued_train_labels.npy" --outlier-labels "$work/outliers.npy" \
  --compare-data "$golden/inputs.npy" --compare-labels "$golden/labels.npy" --shard-size 9 2>/dev/null)")
jobs+=("influence-maps=$("$seismo" submit influence-maps "${files[@]}" --indices 0,1,2 --scales 1,3 2>/dev/null)")
jobs+=("influence-params=$("$seismo" submit influence-params "${files[@]}" 2>/dev/null)")
jobs+=("perturbation-sweep=$("$seismo" submit perturbation-sweep "${files[@]}" --epsilons 1e-3,1e-2,3e-2,1e-1 --draws 4 --layers each 2>/dev/null)")
setvalued=$root/Tests/Fixtures/golden/mlp_digits
jobs+=("solution-set=$("$seismo" submit solution-set --model "$setvalued/model.onnx" --data "$setvalued/setvalued_train_inputs.npy" \
  --labels "$setvalued/setvalued_train_labels.npy" --perturb-count 8 --deltas 0.1,0.3,1 --seeds 2 --retrain-runs 2 \
  --retrain-epochs 5 --retrain-batch-size 64 --retrain-learning-rate 0.05 2>/dev/null)")
for entry in "${jobs[@]}"; do
  "$seismo" watch "${entry#*=}" >/dev/null 2>&1 || { "$seismo" status "${entry#*=}" >&2; exit 1; }
done

echo "-- dashboard pages: status 200, well-formed, internal links answer" >&2
python3 - "$SEISMO_COORDINATOR" "$read_token" "${jobs[@]}" <<'PY'
import sys, urllib.request, urllib.error, xml.etree.ElementTree as ET
base, token, jobs = sys.argv[1], sys.argv[2], [j.split("=", 1) for j in sys.argv[3:]]

def get(path):
    request = urllib.request.Request(base + path, headers={"Authorization": "Bearer " + token})
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()

pages = ["/dashboard"] + [f"/dashboard/jobs/{job}" for _, job in jobs]
checked = set()
for path in pages:
    status, body = get(path)
    assert status == 200, f"{path}: HTTP {status}"
    try:
        root = ET.fromstring(body.replace("<!DOCTYPE html>", "", 1))
    except ET.ParseError as error:
        sys.exit(f"{path}: not well-formed: {error}")
    links = {e.get("href") for e in root.iter() if e.get("href")} | {e.get("src") for e in root.iter() if e.get("src")}
    for link in sorted(l for l in links if l.startswith("/")):
        if link in checked: continue
        checked.add(link)
        status, _ = get(link)
        assert status == 200, f"{path} links to {link}, which answers HTTP {status}"
    print(f"   {path}: well-formed, {len(body)} bytes", file=sys.stderr)
unauthenticated = urllib.request.Request(base + "/dashboard")
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args): return None
try:
    urllib.request.build_opener(NoRedirect).open(unauthenticated, timeout=10)
    sys.exit("/dashboard answered without a token")
except urllib.error.HTTPError as error:
    assert error.code == 303 and error.headers["Location"] == "/dashboard/login", f"without a token: {error.code} {error.headers['Location']}"
print("   without a token: sent to /dashboard/login", file=sys.stderr)
PY

echo "-- headless Chromium: screenshots, no console errors" >&2
shoot() {  # shoot NAME PATH
  local log="$work/$1.log"
  "$browser" --headless --no-sandbox --disable-gpu --hide-scrollbars --enable-logging=stderr --v=0 \
    --window-size=1280,2800 --screenshot="$shots/$1.png" "$SEISMO_COORDINATOR$2?token=$read_token" >"$log" 2>&1 || true
  [ -s "$shots/$1.png" ] || { cat "$log" >&2; echo "no screenshot of $2" >&2; exit 1; }
  if grep -E "CONSOLE|Uncaught|Failed to load resource" "$log" >&2; then echo "console errors on $2" >&2; exit 1; fi
  echo "   $1: $shots/$1.png" >&2
}
shoot jobs /dashboard
for entry in "${jobs[@]}"; do shoot "${entry%%=*}" "/dashboard/jobs/${entry#*=}"; done
echo "dashboard checks passed" >&2
