#!/usr/bin/env python3
"""Turns a bench_streaming Google Benchmark JSON file into the markdown table of
benchmarks/results/README.md: one row per window W, one column pair per iteration count I,
like the TomoGAN streaming talk's table (refresh time and sustained projections per second).
With --benchmark_repetitions, each cell is the fastest repetition: on a shared machine the
others measure other people's load.

usage: benchmarks/streaming_table.py benchmarks/results/DATE_DEVICE_COMMIT_bench_streaming.json
"""
import json
import sys


def main(path):
    with open(path) as f:
        runs = [b for b in json.load(f)["benchmarks"] if b["name"].startswith("BM_StreamingSirtRefresh")]
    cells = {}
    for b in runs:
        if b.get("run_type", "iteration") != "iteration":
            continue
        key = (int(b["W"]), int(b["I"]))
        if key not in cells or b["real_time"] < cells[key]["real_time"]:
            cells[key] = b
    windows = sorted({w for w, _ in cells})
    iterations = sorted({i for _, i in cells})
    header = "| W |" + "".join(f" I={i}: refresh | I={i}: projections/s |" for i in iterations)
    print(header)
    print("|---:|" + "---:|---:|" * len(iterations))
    for w in windows:
        row = f"| {w} |"
        for i in iterations:
            b = cells.get((w, i))
            row += f" {b['refresh_s'] * 1e3:.1f} ms | {b['projections_per_s']:.0f} |" if b else " | |"
        print(row)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
