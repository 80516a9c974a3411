#!/usr/bin/env bash
# From nothing to a real result: installs what is missing, builds Seismo, trains a small CNN on
# real Fashion-MNIST, and measures how fragile it is — the FI influence of every test image and
# of a training subset (compared), and per-pixel influence maps of the 20 most influential
# test images, drawn over the images; then the same influence analysis on a local cluster
# (PostgreSQL, a coordinator and two workers), whose files must be identical.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-dependencies.sh
echo "== building seismo (release)" >&2
swift build -c release --product seismo
seismo="$(swift build -c release --show-bin-path)/seismo"
fashion=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
out=runs/quickstart
mkdir -p "$out"

echo "== a small CNN for 28×28 grey images, pixels 0–255 scaled inside the graph" >&2
"$seismo" model create --arch cnn --input 1x28x28 --classes 10 --input-scale 0.00392156862745098 --out "$out/init.onnx"
"$seismo" inspect "$out/init.onnx" >&2

echo "== training on Fashion-MNIST (60,000 images, 2 epochs)" >&2
"$seismo" train --model "$out/init.onnx" \
  --data "$fashion/train-images-idx3-ubyte.gz" --labels "$fashion/train-labels-idx1-ubyte.gz" \
  --test-data "$fashion/t10k-images-idx3-ubyte.gz" --test-labels "$fashion/t10k-labels-idx1-ubyte.gz" \
  --epochs 2 --lr 0.002 --out "$out/trained.onnx"

echo "== a training subset to compare with: the first 5,000 training images" >&2
python3 - "$fashion" "$out" <<'PY'
import gzip, sys, numpy as np
fashion, out = sys.argv[1:]
with gzip.open(f"{fashion}/train-images-idx3-ubyte.gz") as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
with gzip.open(f"{fashion}/train-labels-idx1-ubyte.gz") as f:
    labels = np.frombuffer(f.read(), np.uint8, offset=8)
np.save(f"{out}/train5000.npy", images[:5000])
np.save(f"{out}/train5000-labels.npy", labels[:5000].astype(np.int64))
PY

echo "== FI of every test image (predicted labels), compared with the training subset" >&2
"$seismo" analyze influence --model "$out/trained.onnx" \
  --data "$fashion/t10k-images-idx3-ubyte.gz" --labels "$fashion/t10k-labels-idx1-ubyte.gz" \
  --compare-data "$out/train5000.npy" --compare-labels "$out/train5000-labels.npy" \
  --label-mode predicted --reference-epsilon 1e-3 --out "$out/influence"

echo "== influence maps (scales 1, 3, 5, 7) of the 20 most influential test images" >&2
"$seismo" analyze influence-maps --model "$out/trained.onnx" \
  --data "$fashion/t10k-images-idx3-ubyte.gz" --labels "$fashion/t10k-labels-idx1-ubyte.gz" \
  --top-of "$out/influence" --count 20 --scales 1,3,5,7 --out "$out/maps"

echo "== the same influence analysis on a local cluster: PostgreSQL, a coordinator, 2 workers" >&2
cluster_parent=$(mktemp -d)
chmod 755 "$cluster_parent"  # the database may run as the postgres user
export SEISMO="$seismo" SEISMO_CLUSTER_DIR="$cluster_parent/cluster" SEISMO_CACHE="$cluster_parent/cache"
stop_cluster() { bash deploy/local-cluster.sh down >/dev/null 2>&1 || true; rm -rf "$cluster_parent"; }
trap stop_cluster EXIT
eval "$(bash deploy/local-cluster.sh up --workers 2)"
job=$("$seismo" submit influence --model "$out/trained.onnx" \
  --data "$fashion/t10k-images-idx3-ubyte.gz" --labels "$fashion/t10k-labels-idx1-ubyte.gz" \
  --compare-data "$out/train5000.npy" --compare-labels "$out/train5000-labels.npy" \
  --label-mode predicted --reference-epsilon 1e-3 --shard-size 500)
"$seismo" watch "$job"
"$seismo" workers
"$seismo" export "$job" --out "$out/cluster-influence"
if cmp -s "$out/influence/summary.json" "$out/cluster-influence/summary.json" \
   && cmp -s "$out/influence/samples.csv" "$out/cluster-influence/samples.csv"; then
  echo "the cluster's summary.json and samples.csv are byte-identical to seismo analyze's" >&2
else
  echo "the cluster's results differ from seismo analyze's" >&2
  exit 1
fi

cat >&2 <<EOF_
== results
  $out/trained.onnx              the trained CNN
  $out/influence/summary.json    FI, Jacobian norm and saturation distributions, per class, test vs training (KS)
  $out/influence/samples.csv     one row per test image; samples_compare.csv for the training subset
  $out/influence/*.png          FI and saturation histograms; test against training FI with the KS result
  $out/maps/maps.npy             float32 maps, 20 × 4 scales × 1 × 28 × 28
  $out/maps/heatmaps/            PNG heatmaps of the 20 most influential test images over the images
  $out/cluster-influence/        the same influence analysis, run by the local cluster (identical files)
EOF_
