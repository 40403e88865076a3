#!/usr/bin/env python3
"""Simulate TomoGAN training pairs with the xrecon command itself.

Each pair is a clean phantom slice and its degraded reconstruction: sim.phantom (random foam or
the 3-D Shepp-Logan head) -> sim.tomo (few angles, Poisson noise) -> tomo.fbp, the truth and the
reconstruction both saved by io.hdf5_writer. The phantoms are volumes, so neighbouring slices are
correlated like those of a real scan and the 3-channel (z-1, z, z+1) input has something to use.

    /usr/bin/python3 tools/make_training_pairs.py --xrecon build-tv/engine/xrecon \
        --out out/tomogan/train.h5 --foam-seeds 1-24 --shepp-logan 2
    /usr/bin/python3 tools/make_training_pairs.py --out out/tomogan/heldout.h5 --foam-seeds 1001-1002 --shepp-logan 0

The output file holds `input` and `clean`, float32 (slices, size, size), with the volume each
slice came from in `volume` (int32) and the acquisition recorded as attributes. Slices of one
volume are contiguous and in z order.
"""
import argparse
import os
import subprocess
import sys
import tempfile

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
  - id: recon
    plugin: tomo.fbp
    inputs: {{projections: scan.projections}}
    with: {{filter: {filter}}}
  - id: save_input
    plugin: io.hdf5_writer
    inputs: {{volume: recon.volume}}
    with: {{path: "{input}", preview: false, compression: 0}}
  - id: save_clean
    plugin: io.hdf5_writer
    inputs: {{volume: scan.truth}}
    with: {{path: "{clean}", preview: false, compression: 0}}
"""


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


def run_pipeline(xrecon, phantom, seed, args, workdir):
    input_path = os.path.join(workdir, "input.h5")
    clean_path = os.path.join(workdir, "clean.h5")
    text = PIPELINE.format(phantom=phantom, angles=args.angles, photons=args.photons, seed=seed,
                           filter=args.filter, input=input_path, clean=clean_path)
    config = os.path.join(workdir, "pair.yaml")
    with open(config, "w") as f:
        f.write(text)
    result = subprocess.run([xrecon, "run", config], capture_output=True, text=True)
    if result.returncode != 0:
        sys.exit(f"xrecon run failed for {phantom}:\n{result.stdout}{result.stderr}")
    with h5py.File(input_path, "r") as f:
        degraded = f["volume"][...]
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
    args = parser.parse_args()

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

    with tempfile.TemporaryDirectory() as workdir:
        for index, (phantom, seed) in enumerate(jobs):
            degraded, clean, _ = run_pipeline(args.xrecon, phantom, seed, args, workdir)
            inputs.append(degraded)
            cleans.append(clean)
            volume_ids.append(np.full(len(clean), index, np.int32))
            print(f"[{index + 1}/{len(jobs)}] {phantom}: {degraded.shape}", flush=True)

    os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
    with h5py.File(args.out, "w") as f:
        f.create_dataset("input", data=np.concatenate(inputs).astype(np.float32))
        f.create_dataset("clean", data=np.concatenate(cleans).astype(np.float32))
        f.create_dataset("volume", data=np.concatenate(volume_ids))
        f.attrs["degradation"] = (f"sim.tomo: {args.angles} angles over 180 degrees, Poisson noise at "
                                  f"{args.photons:g} photons per pixel; tomo.fbp {args.filter}")
        f.attrs["phantoms"] = "; ".join(p for p, _ in jobs)
        f.attrs["command"] = " ".join(sys.argv)
    print(f"wrote {args.out}: {sum(len(c) for c in cleans)} slice pairs")


if __name__ == "__main__":
    main()
