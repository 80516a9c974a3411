#!/usr/bin/env bash
# From nothing to a real result: installs what is missing, builds Seismo, trains a small CNN on
# real Fashion-MNIST, and computes the input Jacobians of a few test images.
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
"$seismo" inspect "$out/init.onnx"

echo "== training on Fashion-MNIST (60,000 images, 2 epochs)" >&2
"$seismo" train --model "$out/init.onnx" \
  --data "$fashion/train-images-idx3-ubyte.gz" --labels "$fashion/train-labels-idx1-ubyte.gz" \
  --test-data "$fashion/t10k-images-idx3-ubyte.gz" --test-labels "$fashion/t10k-labels-idx1-ubyte.gz" \
  --epochs 2 --lr 0.002 --out "$out/trained.onnx"

echo "== predictions on the 10,000 test images" >&2
"$seismo" predict --model "$out/trained.onnx" \
  --data "$fashion/t10k-images-idx3-ubyte.gz" --labels "$fashion/t10k-labels-idx1-ubyte.gz" --out "$out/predictions"

echo "== input Jacobians (10 logits × 784 pixels) of the first 100 test images" >&2
python3 - "$fashion/t10k-images-idx3-ubyte.gz" "$out/test100.npy" <<'PY'
import gzip, sys, numpy as np
with gzip.open(sys.argv[1]) as f:
    images = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
np.save(sys.argv[2], images[:100])
PY
"$seismo" jacobian --model "$out/trained.onnx" --data "$out/test100.npy" --out "$out/jacobians"
python3 - "$out/jacobians/jacobian.npy" "$out/predictions/probs.npy" <<'PY'
import sys, numpy as np
j = np.load(sys.argv[1]); p = np.load(sys.argv[2])[:len(j)]
y = p.argmax(1)
norms = np.linalg.norm(j[np.arange(len(j)), y], axis=1)
print(f"Jacobian of the predicted logit, per image (‖∂z_ŷ/∂x‖₂ in logit units per grey level):")
print(f"  median {np.median(norms):.4g}, max {norms.max():.4g} (image {norms.argmax()}), min {norms.min():.4g}")
PY
echo "results in $out/" >&2
