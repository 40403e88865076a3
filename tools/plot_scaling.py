#!/usr/bin/env python3
"""Draws speedup.png and efficiency.png from the scaling.json of `xrecon bench scaling`.

    python3 tools/plot_scaling.py out/bench/scaling.json [--out FOLDER]

Needs matplotlib (Debian: python3-matplotlib, in scripts/install-deps.sh).
"""
import argparse
import json
import os
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def title(header):
    what = f"{header['pipeline']}, {header['measured']}, {header['mode']} scaling"
    where = f"{header['device_kind']} devices, {header['host']} ({header['cores']} cores), xrecon {header['xrecon_version']}"
    return f"{what}\n{where}, {header['date']}"


def save(figure, path):
    temporary = f"{path}.tmp-{os.getpid()}.png"
    figure.savefig(temporary, dpi=120)
    os.replace(temporary, path)  # the project's rule: write aside, then rename
    plt.close(figure)


def plot(points, header, key, ideal, ylabel, path):
    devices = [p["devices"] for p in points]
    figure, axes = plt.subplots(figsize=(6.4, 4.8))
    # The spread of this count's runs (min..max) moved onto the same scale as its median.
    values = [p[key] for p in points]
    low = [v - v * p["median"] / p["max"] if p["max"] > 0 else 0 for v, p in zip(values, points)]
    high = [v * p["median"] / p["min"] - v if p["min"] > 0 else 0 for v, p in zip(values, points)]
    axes.errorbar(devices, values, yerr=[low, high], fmt="o-", capsize=4, label="measured (median, min..max)")
    axes.plot(devices, ideal, "--", color="gray", label="ideal")
    axes.set_xlabel("devices")
    axes.set_ylabel(ylabel)
    axes.set_xticks(devices)
    axes.grid(True, alpha=0.3)
    axes.legend()
    axes.set_title(title(header), fontsize=8)
    if header.get("note"):
        figure.text(0.5, 0.01, header["note"], ha="center", fontsize=6, wrap=True)
    figure.tight_layout(rect=(0, 0.05, 1, 1))
    save(figure, path)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json", help="scaling.json written by xrecon bench scaling")
    parser.add_argument("--out", help="folder for the PNGs (default: the JSON's folder)")
    args = parser.parse_args()
    with open(args.json) as f:
        report = json.load(f)
    header, points = report["header"], report["points"]
    if not points:
        sys.exit(f"{args.json}: no points")
    out = args.out or os.path.dirname(os.path.abspath(args.json))
    os.makedirs(out, exist_ok=True)
    base = points[0]["devices"]
    weak = header["mode"] == "weak"
    plot(points, header, "speedup", [p["devices"] / base for p in points],
         "scaled speedup N·T(base)/T(N)" if weak else "speedup T(base)/T(N)", os.path.join(out, "speedup.png"))
    plot(points, header, "efficiency", [1.0 for _ in points], "parallel efficiency",
         os.path.join(out, "efficiency.png"))
    print(f"wrote {os.path.join(out, 'speedup.png')} and {os.path.join(out, 'efficiency.png')}")


if __name__ == "__main__":
    main()
