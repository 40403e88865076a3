#!/usr/bin/env python3
"""Simulate TomoGAN training pairs with the xrecon command itself.

Each pair is a clean phantom slice and its degraded reconstruction: sim.phantom (random foam or
the 3-D Shepp-Logan head) -> sim.tomo (few angles, Poisson noise) -> tomo.fbp, the truth and the
reconstruction both saved by io.hdf5_writer. The phantoms are volumes, so neighbouring slices are
correlated like those of a real scan and the 3-channel (z-1, z, z+1) input has something to use.

    /usr/bin/python3 tools/make_training_pairs.py --xrecon build-tv/engine/xrecon \
        --out out/tomogan/train.h5 --foam-seeds 1-24 --shepp-logan 2
    /usr/bin/python3 tools/make_training_pairs.py --out out/tomogan/heldout.h5 --foam-seeds 1001-1002 --shepp-logan 0

Inputs for a plug-and-play prior (what tomo.admm feeds the network is not only FBP): `--recons`
lists the reconstructions made from each scan, each its own volume in the file with the same
clean target: `fbp`, `sirt:N` (N SIRT iterations from zero, min 0) or `cgls:N`; `N` may be a
choice `sirt:5/10/20`, drawn per phantom. `--angles-choices 60,90,180` and `--photons-range
1000,50000` (log-uniform) draw the acquisition per phantom instead of the fixed `--angles` and
`--photons`:

    /usr/bin/python3 tools/make_training_pairs.py --xrecon build/engine/xrecon --out out/admm/train.h5 \
        --foam-seeds 1-48 --shepp-logan 0 --recons fbp,sirt:5/10/20/50,cgls:3/5/10/20 \
        --angles-choices 60,90,120,180 --photons-range 1000,50000

The output file holds `input` and `clean`, float32 (slices, size, size), with the volume each
slice came from in `volume` (int32) and the acquisition recorded as attributes. Slices of one
volume are contiguous and in z order.
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import h5py
import numpy as np

PIPELINE = """version: 1
name: tomogan-pair
devices: cpu
stages:
  - id: phantom
    plugin: sim.phantom
    with: {{{phantom}}}
  - id: scan
    plugin: sim.tomo
    inputs: {{volume: phantom.volume}}
    with: {{angles: {angles}, arc: 180, noise: poisson, photons: {photons}, seed: {seed}}}
{recons}  - id: save_clean
    plugin: io.hdf5_writer
    inputs: {{volume: scan.truth}}
    with: {{path: "{clean}", preview: false, compression: 0}}
"""


RECON = """  - id: recon{index}
    plugin: {plugin}
    inputs: {{projections: scan.projections}}
    with: {{{params}}}
  - id: save_input{index}
    plugin: io.hdf5_writer
    inputs: {{volume: recon{index}.volume}}
    with: {{path: "{path}", preview: false, compression: 0}}
"""


def parse_recons(text):
    """'fbp,sirt:5/10,cgls:3' -> [('fbp', []), ('sirt', [5, 10]), ('cgls', [3])]"""
    out = []
    for part in text.split(","):
        kind, _, counts = part.strip().partition(":")
        if kind not in ("fbp", "sirt", "cgls"):
            sys.exit(f"--recons: unknown reconstruction {kind!r} (fbp, sirt:N, cgls:N)")
        if kind != "fbp" and not counts:
            sys.exit(f"--recons: {kind} needs an iteration count, e.g. {kind}:10")
        out.append((kind, [int(c) for c in counts.split("/")] if counts else []))
    return out


def recon_stage(kind, iterations, filter_name):
    if kind == "fbp":
        return "tomo.fbp", f"filter: {filter_name}", "fbp"
    if kind == "sirt":
        return "tomo.sirt", f"iterations: {iterations}, min: 0", f"sirt{iterations}"
    return "tomo.cgls", f"iterations: {iterations}", f"cgls{iterations}"


def seed_range(text):
    if not text:
        return []
    seeds = []
    for part in text.split(","):
        if "-" in part:
            a, b = part.split("-")
            seeds.extend(range(int(a), int(b) + 1))
        else:
            seeds.append(int(part))
    return seeds


def run_pipeline_text(xrecon, text, workdir, what):
    """Writes `text` as a pipeline file in `workdir` and runs it; exits with xrecon's output on failure."""
    config = os.path.join(workdir, "pair.yaml")
    with open(config, "w") as f:
        f.write(text)
    for attempt in range(5):  # a build relinking the command or its plugins fails a run for a moment
        result = subprocess.run([xrecon, "run", config], capture_output=True, text=True)
        if result.returncode == 0:
            return
        time.sleep(5)
    sys.exit(f"xrecon run failed for {what}:\n{result.stdout}{result.stderr}")


def run_pipeline(xrecon, phantom, seed, args, workdir, recons=None, angles=None, photons=None):
    """Returns the list of reconstructions (one per entry of `recons`, default FBP only), the
    clean volume and the pipeline text."""
    recons = recons or [("fbp", 0)]
    clean_path = os.path.join(workdir, "clean.h5")
    blocks, paths = [], []
    for index, (kind, iterations) in enumerate(recons):
        plugin, params, _ = recon_stage(kind, iterations, args.filter)
        paths.append(os.path.join(workdir, f"input{index}.h5"))
        blocks.append(RECON.format(index=index if index else "", plugin=plugin, params=params, path=paths[-1]))
    text = PIPELINE.format(phantom=phantom, angles=angles or args.angles, photons=photons or args.photons,
                           seed=seed, recons="".join(blocks), clean=clean_path)
    run_pipeline_text(xrecon, text, workdir, phantom)
    degraded = []
    for path in paths:
        with h5py.File(path, "r") as f:
            degraded.append(f["volume"][...])
    with h5py.File(clean_path, "r") as f:
        clean = f["volume"][...]
    return degraded, clean, text


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xrecon", default="build-tv/engine/xrecon", help="the xrecon command")
    parser.add_argument("--out", required=True, help="HDF5 file to write")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--slices", type=int, default=16, help="slices per simulated volume")
    parser.add_argument("--foam-seeds", default="1-16", help="foam seeds, e.g. 1-16 or 3,5,9")
    parser.add_argument("--shepp-logan", type=int, default=1,
                        help="number of 3-D Shepp-Logan volumes (each with its own noise seed)")
    parser.add_argument("--angles", type=int, default=90)
    parser.add_argument("--photons", type=float, default=5e3)
    parser.add_argument("--filter", default="ram-lak")
    parser.add_argument("--recons", default="fbp",
                        help="reconstructions per scan, each its own volume: fbp, sirt:N, cgls:N (N or N1/N2/..: "
                             "drawn per phantom), e.g. fbp,sirt:5/10/20,cgls:3/10")
    parser.add_argument("--angles-choices", default="", help="draw the angle count per phantom from this list")
    parser.add_argument("--photons-range", default="",
                        help="LO,HI: draw the photon count per phantom log-uniformly from this range")
    args = parser.parse_args()
    recon_spec = parse_recons(args.recons)
    draw = np.random.default_rng(12345)

    inputs, cleans, volume_ids = [], [], []
    jobs = []
    for seed in seed_range(args.foam_seeds):
        # Void count and size vary with the seed so that the network sees sparse and dense foams.
        local = np.random.default_rng(seed)
        voids = int(local.integers(40, 400))
        rmin = float(local.uniform(0.015, 0.05))
        rmax = float(local.uniform(rmin + 0.02, 0.2))
        jobs.append((f"kind: foam, size: {args.size}, slices: {args.slices}, seed: {seed}, voids: {voids}, "
                     f"min_radius: {rmin:.4f}, max_radius: {rmax:.4f}", seed))
    for k in range(args.shepp_logan):
        jobs.append((f"kind: shepp_logan, size: {args.size}, slices: {args.slices}", 5000 + k))

    names = []
    with tempfile.TemporaryDirectory() as workdir:
        for index, (phantom, seed) in enumerate(jobs):
            recons = [(kind, int(draw.choice(counts)) if counts else 0) for kind, counts in recon_spec]
            angles = int(draw.choice([int(a) for a in args.angles_choices.split(",")])) if args.angles_choices \
                else args.angles
            if args.photons_range:
                lo, hi = (float(v) for v in args.photons_range.split(","))
                photons = float(np.exp(draw.uniform(np.log(lo), np.log(hi))))
            else:
                photons = args.photons
            degraded, clean, _ = run_pipeline(args.xrecon, phantom, seed, args, workdir, recons, angles, photons)
            for (kind, iterations), volume in zip(recons, degraded):
                inputs.append(volume)
                cleans.append(clean)
                volume_ids.append(np.full(len(clean), len(names), np.int32))
                tag = "" if args.recons == "fbp" and not args.angles_choices and not args.photons_range else \
                    f" [{recon_stage(kind, iterations, args.filter)[2]}, {angles} angles, {photons:.0f} photons]"
                names.append(phantom + tag)
            print(f"[{index + 1}/{len(jobs)}] {phantom}: {angles} angles, {photons:.0f} photons, "
                  f"{[recon_stage(k, i, args.filter)[2] for k, i in recons]} {clean.shape}", flush=True)

    degradation = (f"sim.tomo: {args.angles} angles over 180 degrees, Poisson noise at {args.photons:g} photons per "
                   f"pixel; tomo.fbp {args.filter}")
    if args.recons != "fbp" or args.angles_choices or args.photons_range:
        degradation = (f"sim.tomo: {args.angles_choices or args.angles} angles over 180 degrees, Poisson noise at "
                       f"{args.photons_range or args.photons} photons per pixel; reconstructions {args.recons} "
                       f"(fbp {args.filter})")
    write_pairs(args.out, inputs, cleans, volume_ids, names, degradation)


def write_pairs(out, inputs, cleans, volume_ids, names, degradation):
    """The pairs file: `input`, `clean` (float32), `volume` (int32) and the provenance attributes."""
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with h5py.File(out, "w") as f:
        f.create_dataset("input", data=np.concatenate(inputs).astype(np.float32))
        f.create_dataset("clean", data=np.concatenate(cleans).astype(np.float32))
        f.create_dataset("volume", data=np.concatenate(volume_ids))
        f.attrs["degradation"] = degradation
        f.attrs["phantoms"] = "; ".join(names)
        f.attrs["command"] = " ".join(sys.argv)
    print(f"wrote {out}: {sum(len(c) for c in cleans)} slice pairs")

if __name__ == "__main__":
    main()
