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

echo "-- seismo analyze: output files against the golden numbers (every case, label mode, channel mode)" >&2
for case in mlp_digits cnn_digits dense_rgb; do
  args=(--model "$golden/$case/model.onnx" --data "$golden/$case/inputs.npy" --labels "$golden/$case/labels.npy" --reference-epsilon 1e-3)
  for mode in true predicted; do
    "$seismo" analyze influence "${args[@]}" --label-mode "$mode" --shard-size 3 --out "$work/analyze/$case-$mode" >/dev/null 2>&1
    python3 scripts/check_analyze_golden.py "$golden/$case" influence "$work/analyze/$case-$mode" "$mode"
  done
  channel_modes=$(python3 -c "import json; print(' '.join(json.load(open('$golden/$case/expected.json'))['maps']['channel_modes']))")
  for channels in $channel_modes; do
    "$seismo" analyze influence-maps "${args[@]}" --indices 0,1 --scales 1,3,5 --channel-mode "$channels" \
      --out "$work/analyze/$case-maps-$channels" >/dev/null 2>&1
    python3 scripts/check_analyze_golden.py "$golden/$case" influence-maps "$work/analyze/$case-maps-$channels" "$channels"
    ls "$work/analyze/$case-maps-$channels/heatmaps/"*.png >/dev/null
  done
  "$seismo" analyze influence-params "${args[@]}" --out "$work/analyze/$case-params" >/dev/null 2>&1
  python3 scripts/check_analyze_golden.py "$golden/$case" influence-params "$work/analyze/$case-params"
done

echo "-- seismo analyze refuses bad input before any work, naming what is wrong" >&2
python3 - "$golden/mlp_digits/inputs.npy" "$work/nan.npy" <<'PY'
import sys, numpy as np
x = np.load(sys.argv[1]); x[2, 0, 3, 4] = np.nan; np.save(sys.argv[2], x)
PY
expect_refusal() {  # expect_refusal "message part" seismo-args...
  local want=$1; shift
  if "$seismo" "$@" --out "$work/refused" >"$work/stdout" 2>"$work/stderr"; then
    echo "FAILED: seismo $* was accepted" >&2; exit 1
  fi
  grep -qF -- "$want" "$work/stderr" || { echo "FAILED: seismo $* said: $(cat "$work/stderr") (wanted: $want)" >&2; exit 1; }
  [ ! -e "$work/refused/summary.json" ] || { echo "FAILED: seismo $* wrote results" >&2; exit 1; }
}
mlp=(--model "$golden/mlp_digits/model.onnx" --data "$golden/mlp_digits/inputs.npy")
expect_refusal "--label-mode true needs --labels" analyze influence "${mlp[@]}" --label-mode true
expect_refusal "4 is not an odd window side" analyze influence-maps "${mlp[@]}" --scales 1,4
expect_refusal "9 is not an odd window side between 1 and 8" analyze influence-maps "${mlp[@]}" --scales 9
expect_refusal "--reference-epsilon must be a positive" analyze influence "${mlp[@]}" --reference-epsilon 0
expect_refusal "--reference-epsilon must be a positive" analyze influence "${mlp[@]}" --reference-epsilon=-1
expect_refusal "sample 2 holds nan" analyze influence --model "$golden/mlp_digits/model.onnx" --data "$work/nan.npy"
python3 - "$work/image-output.onnx" <<'PY'
import sys, numpy as np, onnx
from onnx import helper, numpy_helper, TensorProto
w = numpy_helper.from_array(np.ones((2, 1, 3, 3), np.float32), "w")
graph = helper.make_graph([helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])], "image_output",
                          [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 1, 8, 8])],
                          [helper.make_tensor_value_info("y", TensorProto.FLOAT, None)], [w])
onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), sys.argv[1])
PY
expect_refusal "influence needs a vector of K ≥ 2 class logits" analyze influence --model "$work/image-output.onnx" --data "$golden/mlp_digits/inputs.npy"

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
