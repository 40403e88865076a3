#!/usr/bin/env python3
"""Simulate training pairs for a TomoGAN prior on delta volumes of joint ptycho-tomography.

The prior in joint.admm's loop sees delta iterates, not FBP images: tomography of the linearised
log of per-angle ptychographic reconstructions, with the streaks of few angles, the noise of
Poisson-limited far-field patterns and the blur of a low probe overlap. Each pair here is a true
delta slice and the same slice of a joint.admm reconstruction WITHOUT a prior after a drawn number
of iterations (early ones are smooth, late ones noisy), made by the xrecon command itself:
sim.joint_scan (random foam, photon count drawn log-uniformly) -> joint.admm -> io.hdf5_writer.

    /usr/bin/python3 tools/make_joint_training_pairs.py --xrecon build/engine/xrecon \
        --out out/joint_tomogan/train.h5 --foam-seeds 101-220

Seeds 1-100 are left for evaluation (the configs use seed 1; the quality test seeds 1-3).
The output file has the layout of tools/make_training_pairs.py: `input`, `clean` float32
(slices, size, size), `volume` int32, slices of one volume contiguous and in z order.
"""
import argparse
import os
import sys
import tempfile

import h5py
import numpy as np

from make_training_pairs import run_pipeline_text, seed_range, write_pairs

PIPELINE = """version: 1
name: joint-tomogan-pair
devices: cpu
stages:
  - id: scan
    plugin: sim.joint_scan
    with: {{{scan}}}
  - id: recon
    plugin: joint.admm
    inputs: {{scans: scan.scans}}
    with:
      iterations: {iterations}
      rho: 0.1
      tau: 0.1
      ptycho: {{plugin: ptycho.cg_solver, with: {{iterations: 4}}}}
      tomo: {{plugin: tomo.cgls_solver, with: {{iterations: 4}}}}
  - id: save_input
    plugin: io.hdf5_writer
    inputs: {{volume: recon.delta}}
    with: {{path: "{input}", preview: false, compression: 0}}
  - id: save_clean
    plugin: io.hdf5_writer
    inputs: {{volume: scan.delta}}
    with: {{path: "{clean}", preview: false, compression: 0}}
"""


def run(xrecon, scan, iterations, workdir):
    input_path, clean_path = os.path.join(workdir, "input.h5"), os.path.join(workdir, "clean.h5")
    run_pipeline_text(xrecon, PIPELINE.format(scan=scan, iterations=iterations, input=input_path, clean=clean_path),
                      workdir, scan)
    with h5py.File(input_path, "r") as f:
        degraded = f["volume"][...]
    with h5py.File(clean_path, "r") as f:
        clean = f["volume"][...]
    return degraded, clean


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--xrecon", default="build/engine/xrecon", help="the xrecon command")
    parser.add_argument("--out", required=True, help="HDF5 file to write")
    parser.add_argument("--foam-seeds", default="101-220", help="foam seeds, e.g. 101-220")
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--slices", type=int, default=32)
    parser.add_argument("--angles", type=int, default=48)
    parser.add_argument("--iterations-choices", default="2,3,5,8,12,20,30",
                        help="joint.admm iterations without a prior, two drawn per phantom")
    parser.add_argument("--photons-range", default="3e4,3e5", help="LO,HI: photons per exposure, log-uniform")
    args = parser.parse_args()
    draw = np.random.default_rng(4321)
    choices = [int(c) for c in args.iterations_choices.split(",")]
    lo, hi = (float(v) for v in args.photons_range.split(","))

    inputs, cleans, volume_ids, names = [], [], [], []
    with tempfile.TemporaryDirectory() as workdir:
        seeds = seed_range(args.foam_seeds)
        for index, seed in enumerate(seeds):
            # Void count and size vary with the seed so that the network sees sparse and dense foams.
            local = np.random.default_rng(seed)
            voids = int(local.integers(40, 300))
            rmin = float(local.uniform(0.02, 0.06))
            rmax = float(local.uniform(rmin + 0.03, 0.2))
            photons = float(np.exp(draw.uniform(np.log(lo), np.log(hi))))
            scan = (f"kind: foam, size: {args.size}, slices: {args.slices}, angles: {args.angles}, seed: {seed}, "
                    f"voids: {voids}, min_radius: {rmin:.4f}, max_radius: {rmax:.4f}, photons: {photons:.0f}")
            for iterations in sorted(draw.choice(choices, size=2, replace=False)):
                degraded, clean = run(args.xrecon, scan, int(iterations), workdir)
                inputs.append(degraded)
                cleans.append(clean)
                volume_ids.append(np.full(len(clean), len(names), np.int32))
                names.append(f"{scan} [joint.admm no prior, {iterations} iterations]")
            print(f"[{index + 1}/{len(seeds)}] {scan}", flush=True)

    write_pairs(args.out, inputs, cleans, volume_ids, names,
                f"sim.joint_scan foam, {args.angles} angles, {args.photons_range} photons per exposure; "
                f"joint.admm without a prior, {args.iterations_choices} iterations")

if __name__ == "__main__":
    main()
