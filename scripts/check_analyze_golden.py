"""Checks the files `seismo analyze` wrote against the golden numbers.

usage: check_analyze_golden.py GOLDEN_CASE_DIR KIND OUTPUT_DIR [LABEL_MODE] [CHANNEL_MODE]

KIND is influence, influence-maps or influence-params. Tolerances are those of the golden
README for a Float32 engine: 1e-3 relative for sample and parameter FI, FI_ref, JN and Cook;
|m − m*| ≤ 1e-3 · max(m*) per sample for maps; fragile entries skipped; ranks equal.
"""
import csv
import json
import sys

import numpy as np


def close(actual, expected, what):
    if abs(actual - expected) > 1e-3 * abs(expected):
        sys.exit(f"FAILED: {what}: {actual} vs golden {expected}")


def influence(case, out, mode):
    expected = json.load(open(f"{case}/expected.json"))
    golden = expected["sample_influence"][mode]
    rows = list(csv.DictReader(open(f"{out}/samples.csv")))
    assert len(rows) == expected["n"], f"{out}/samples.csv has {len(rows)} rows"
    cook = (expected.get("cook") or {}).get(mode)
    for n, row in enumerate(rows):
        where = f"{case} {mode} sample {n}"
        assert int(row["index"]) == n and int(row["label"]) == golden["y"][n], where
        assert int(row["rank"]) == golden["rank"][n], f"{where}: rank {row['rank']} vs {golden['rank'][n]}"
        for column, key in [("fi", "fi"), ("fi_reference", "fi_reference"), ("jacobian_norm", "jacobian_norm"),
                            ("saturation", "saturation"), ("p_label", "p_y")]:
            close(float(row[column]), golden[key][n], f"{where} {column}")
        if cook:
            close(float(row["cook"]), cook[n], f"{where} cook")
        else:
            assert row["cook"] == "", f"{where}: Cook only for inputs of at most 256 coordinates"
    summary = json.load(open(f"{out}/summary.json"))
    assert summary["kind"] == "influence" and summary["primary"]["samples"] == expected["n"]


def maps(case, out, channel_mode):
    settings = json.load(open(f"{case}/expected.json"))["maps"]
    for variant, name in [("exact", "maps.npy"), ("reference", "maps_reference.npy")]:
        ours = np.load(f"{out}/{name}").astype(np.float64)
        golden = np.load(f"{case}/maps_{variant}_{channel_mode}.npy")
        fragile = np.load(f"{case}/maps_{variant}_{channel_mode}_fragile.npy").astype(bool)
        assert ours.shape == golden.shape, f"{out}/{name}: shape {ours.shape} vs golden {golden.shape}"
        assert np.load(f"{out}/{name}").dtype == np.float32
        for n in range(len(settings["samples"])):
            error = np.abs(ours[n] - golden[n])[~fragile[n]].max()
            if error > 1e-3 * golden[n].max():
                sys.exit(f"FAILED: {case} {channel_mode} {variant} maps of sample {n}: error {error} vs max {golden[n].max()}")


def params(case, out):
    golden = json.load(open(f"{case}/param_influence.json"))
    rows = list(csv.DictReader(open(f"{out}/layers.csv")))
    layers = golden["layers"]
    assert len(rows) == len(layers) * len(golden["y"]), f"{out}/layers.csv has {len(rows)} rows"
    for row in rows:
        n = int(row["index"])
        layer = next(l for l in layers if l["name"] == row["layer"])
        where = f"{case} {row['layer']} sample {n}"
        assert int(row["parameters"]) == layer["m"], where
        assert int(row["rank"]) == layer["rank"][n], where
        close(float(row["fi"]), layer["fi"][n], where)
        close(float(row["fi_reference"]), layer["fi_reference"][n], where + " reference")


if __name__ == "__main__":
    case, kind, out = sys.argv[1:4]
    if kind == "influence":
        influence(case, out, sys.argv[4])
    elif kind == "influence-maps":
        maps(case, out, sys.argv[4])
    else:
        params(case, out)
