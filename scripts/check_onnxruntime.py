#!/usr/bin/env python3
"""Checks a model written by Seismo with onnxruntime, an independent ONNX implementation:
onnx.checker must accept the file, and onnxruntime's outputs on INPUTS must match the logits
Seismo computed (per sample, max error at most --rel of the sample's max |logit|). When the
graph ends in Softmax/LogSoftmax, Seismo's logits are that node's input, so they are pushed
through the same function first."""
import argparse
import sys

import numpy as np
import onnx
import onnxruntime as ort

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("model")
parser.add_argument("inputs", help=".npy of samples, float32")
parser.add_argument("logits", help=".npy of Seismo's logits (N, K)")
parser.add_argument("--rel", type=float, default=1e-4)
args = parser.parse_args()

onnx.checker.check_model(args.model)
model = onnx.load(args.model)
session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
declared = session.get_inputs()[0]
x = np.load(args.inputs).astype(np.float32)
sample_shape = [d if isinstance(d, int) else None for d in declared.shape[1:]]
if all(d is not None for d in sample_shape):
    x = x.reshape([x.shape[0]] + sample_shape)

seismo = np.load(args.logits).astype(np.float64)
final = next((n for n in model.graph.node if model.graph.output[0].name in n.output), None)
if final is not None and final.op_type in ("Softmax", "LogSoftmax"):
    shifted = seismo - seismo.max(axis=1, keepdims=True)
    log_probs = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    seismo = log_probs if final.op_type == "LogSoftmax" else np.exp(log_probs)

rows = []
for start in range(0, x.shape[0], 64):
    rows.append(session.run(None, {declared.name: x[start:start + 64]})[0])
reference = np.concatenate(rows).astype(np.float64).reshape(seismo.shape)
for i in range(seismo.shape[0]):
    err = np.abs(seismo[i] - reference[i]).max()
    scale = max(np.abs(reference[i]).max(), 1e-30)
    if err > args.rel * scale:
        sys.exit(f"{args.model}: sample {i}: Seismo and onnxruntime differ by {err:.3g} "
                 f"(more than {args.rel} of {scale:.3g})")
print(f"{args.model}: onnxruntime {ort.__version__} agrees with Seismo on {seismo.shape[0]} samples "
      f"(max rel. error ≤ {args.rel})")
