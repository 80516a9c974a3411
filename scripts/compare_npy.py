#!/usr/bin/env python3
"""Compares two .npy arrays of equal shape: per leading item, max |a - b| must be at most
REL times max |b| of that item. Exits non-zero with a message on mismatch."""
import argparse
import sys

import numpy as np

parser = argparse.ArgumentParser(description=__doc__)
parser.add_argument("actual")
parser.add_argument("expected")
parser.add_argument("--per-sample-max-rel", type=float, default=1e-4)
args = parser.parse_args()

a = np.load(args.actual).astype(np.float64)
b = np.load(args.expected).astype(np.float64)
if a.shape != b.shape:
    sys.exit(f"{args.actual}: shape {a.shape}, expected {b.shape}")
for i in range(a.shape[0]):
    err = np.abs(a[i] - b[i]).max()
    scale = np.abs(b[i]).max()
    if err > args.per_sample_max_rel * scale:
        sys.exit(f"{args.actual}: item {i} differs by {err:.3g}, more than {args.per_sample_max_rel} of {scale:.3g}")
print(f"{args.actual}: matches {args.expected} (per-item max error ≤ {args.per_sample_max_rel} of max)")
