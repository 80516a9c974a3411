#!/usr/bin/env bash
# End-to-end checks of the seismo binary on real files:
#  - `seismo jacobian` reproduces the golden input Jacobians;
#  - models written by `seismo model create` and `seismo train` load in onnxruntime with the
#    same outputs as Seismo computes;
#  - `seismo train` of `model create --arch cnn` on real Fashion-MNIST reaches ≥ 85 % test
#    accuracy within 3 minutes.
set -euo pipefail
cd "$(dirname "$0")/.."
seismo=${1:?usage: check-end-to-end.sh PATH-TO-SEISMO}
golden=Tests/Fixtures/golden
fashion=${FASHION_MNIST:-/usr/share/datasets/fashion-mnist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "-- seismo jacobian against the golden Jacobians" >&2
for case in mlp_digits cnn_digits dense_rgb; do
  "$seismo" jacobian --model "$golden/$case/model.onnx" --data "$golden/$case/inputs.npy" --out "$work/$case" 2>/dev/null
  python3 scripts/compare_npy.py "$work/$case/jacobian.npy" "$golden/$case/jacobian_input.npy" --per-sample-max-rel 1e-3
done

echo "-- a model with its weights in an external .onnx.data file (as PyTorch's dynamo exporter writes)" >&2
python3 - "$golden/dense_rgb/model.onnx" "$work/external/model.onnx" <<'PY'
import os, sys, onnx
os.makedirs(os.path.dirname(sys.argv[2]), exist_ok=True)
onnx.save_model(onnx.load(sys.argv[1]), sys.argv[2], save_as_external_data=True,
                all_tensors_to_one_file=True, location="model.onnx.data", size_threshold=0)
PY
"$seismo" jacobian --model "$work/external/model.onnx" --data "$golden/dense_rgb/inputs.npy" --out "$work/external-jacobian" 2>/dev/null
python3 scripts/compare_npy.py "$work/external-jacobian/jacobian.npy" "$golden/dense_rgb/jacobian_input.npy" --per-sample-max-rel 1e-3

echo "-- models written by seismo, read by onnxruntime" >&2
python3 - "$work/x.npy" "$work/v.npy" <<'PY'
import sys, numpy as np
rng = np.random.default_rng(0)
np.save(sys.argv[1], rng.uniform(0, 255, size=(4, 1, 28, 28)).astype(np.float32))
np.save(sys.argv[2], rng.uniform(-1, 1, size=(4, 20)).astype(np.float32))
PY
for arch in mlp cnn resnet densenet; do
  "$seismo" model create --arch "$arch" --input 1x28x28 --classes 10 --input-scale 0.00392156862745098 --seed 3 --out "$work/$arch.onnx" 2>/dev/null
  "$seismo" predict --model "$work/$arch.onnx" --data "$work/x.npy" --out "$work/$arch-pred" 2>/dev/null
  python3 scripts/check_onnxruntime.py "$work/$arch.onnx" "$work/x.npy" "$work/$arch-pred/logits.npy"
done
"$seismo" model create --arch mlp --input 20 --classes 3 --out "$work/vector.onnx" 2>/dev/null
"$seismo" predict --model "$work/vector.onnx" --data "$work/v.npy" --out "$work/vector-pred" 2>/dev/null
python3 scripts/check_onnxruntime.py "$work/vector.onnx" "$work/v.npy" "$work/vector-pred/logits.npy"

if [ -f "$fashion/train-images-idx3-ubyte.gz" ]; then
  echo "-- training a CNN on Fashion-MNIST (target: ≥ 85 % test accuracy in ≤ 180 s)" >&2
  "$seismo" model create --arch cnn --input 1x28x28 --classes 10 --input-scale 0.00392156862745098 --out "$work/init.onnx" 2>/dev/null
  start=$(date +%s)
  "$seismo" train --model "$work/init.onnx" --data "$fashion/train-images-idx3-ubyte.gz" \
    --labels "$fashion/train-labels-idx1-ubyte.gz" --epochs 2 --batch-size 64 --lr 0.002 \
    --out "$work/trained.onnx" 2>/dev/null
  seconds=$(( $(date +%s) - start ))
  accuracy=$("$seismo" predict --model "$work/trained.onnx" --data "$fashion/t10k-images-idx3-ubyte.gz" \
    --labels "$fashion/t10k-labels-idx1-ubyte.gz" --out "$work/test-pred" 2>/dev/null | awk '/^accuracy/ {print $2}')
  echo "trained in ${seconds}s, test accuracy ${accuracy}" >&2
  python3 -c "import sys; a=float('$accuracy'); s=$seconds; sys.exit(0 if a >= 0.85 and s <= 180 else 1)" \
    || { echo "FAILED: Fashion-MNIST training reached ${accuracy} in ${seconds}s (need ≥ 0.85 in ≤ 180 s)" >&2; exit 1; }
  python3 - "$fashion/t10k-images-idx3-ubyte.gz" "$work/t10k.npy" <<'PY'
import gzip, sys, numpy as np
with gzip.open(sys.argv[1]) as f:
    data = np.frombuffer(f.read(), np.uint8, offset=16).reshape(-1, 1, 28, 28)
np.save(sys.argv[2], data[:256].astype(np.float32))
PY
  "$seismo" predict --model "$work/trained.onnx" --data "$work/t10k.npy" --out "$work/trained-pred" 2>/dev/null
  python3 scripts/check_onnxruntime.py "$work/trained.onnx" "$work/t10k.npy" "$work/trained-pred/logits.npy"
else
  echo "FAILED: Fashion-MNIST not found at $fashion (Debian package dataset-fashion-mnist)" >&2
  exit 1
fi
echo "end-to-end checks passed" >&2
