#!/usr/bin/env python3
"""xrecon next to ASTRA (its CPU algorithms) and scikit-image on the same data (issue 17).

For N = 256 and 512: scikit-image's Shepp-Logan phantom at N x N, its radon transform over 180
angles (the rotation axis at column N // 2, as radon puts it), and each program's FBP, SIRT and
CGLS of it. Prints the time of each reconstruction (the solver alone: xrecon's stage timer, the
call for the others) and its RMSE against the phantom inside the reconstruction circle, with the
ratios to xrecon's, and writes them as JSON.

Usage: compare.py XRECON_EXECUTABLE OUT.json [--iterations 50] [--threads 1]
The peers' Python packages: scripts/peers-venv.sh. Threads: xrecon through OMP_NUM_THREADS; ASTRA's
CPU algorithms and scikit-image run on one thread.
"""
import argparse
import json
import os
import platform
import re
import subprocess
import tempfile
import time
from pathlib import Path

import astra
import h5py
import numpy as np
import skimage
from skimage.data import shepp_logan_phantom
from skimage.transform import iradon, radon, resize

ANGLES = 180


def inside_circle(n):
    rows, cols = np.mgrid[:n, :n]
    return (rows - n // 2) ** 2 + (cols - n // 2) ** 2 <= (n // 2 - 1) ** 2


def rmse(image, truth):
    inside = inside_circle(truth.shape[0])
    return float(np.sqrt(np.mean((image[inside] - truth[inside]) ** 2)))


def timed(call):
    start = time.perf_counter()
    result = call()
    return result, time.perf_counter() - start


# --- xrecon ---------------------------------------------------------------------------------

def xrecon_run(executable, work, sinogram, theta, algorithm, iterations, threads):
    """One pipeline io.dxchange -> tomo.ALGORITHM -> io.hdf5_writer; the stage's own seconds."""
    data = work / "sinogram.h5"
    if not data.exists():
        with h5py.File(data, "w") as f:
            f["/exchange/data"] = sinogram.T[:, np.newaxis, :].astype(np.float32)
            f["/exchange/theta"] = theta
            f["/exchange/theta"].attrs["units"] = "deg"
    options = "" if algorithm == "fbp" else f", with: {{iterations: {iterations}}}"
    pipeline = work / f"{algorithm}.yaml"
    pipeline.write_text(f"""version: 1
name: peers-{algorithm}
stages:
  - {{id: read, plugin: io.dxchange, with: {{path: {data}, normalize: false, minus_log: false}}}}
  - {{id: recon, plugin: tomo.{algorithm}, inputs: {{projections: read.projections}}{options}}}
  - {{id: save, plugin: io.hdf5_writer, inputs: {{volume: recon.volume}}, with: {{path: {work / algorithm}.h5, preview: false}}}}
""")
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    run = subprocess.run([str(executable), "run", str(pipeline)], capture_output=True, text=True, env=env)
    if run.returncode != 0:
        raise RuntimeError(run.stdout + run.stderr)
    seconds = re.search(rf"tomo\.{algorithm}: .*?([0-9.]+) s on", run.stdout + run.stderr)
    with h5py.File(f"{work / algorithm}.h5", "r") as f:
        return f["/volume"][0], float(seconds.group(1))


# --- ASTRA, CPU -----------------------------------------------------------------------------

def astra_geometry(n, theta):
    """ASTRA's geometry moved onto radon's: the axis at column n // 2 and on pixel n // 2.

    ASTRA centres its volume and its detector at (n - 1) / 2; for an even n that is half a pixel
    from radon's axis. The volume window is shifted by it, and the detector given one more column
    (a zero one at the end of the sinogram), which puts its centre on column n // 2. ASTRA's CPU
    FBP takes only this plain parallel geometry, not the vector one."""
    half = 0.5 if n % 2 == 0 else 0.0
    volume = astra.create_vol_geom(n, n, -n / 2 - half, n / 2 - half, -n / 2 + half, n / 2 + half)
    columns = n + 1 if n % 2 == 0 else n
    projections = astra.create_proj_geom("parallel", 1.0, columns, np.deg2rad(theta))
    return volume, projections, columns


def astra_run(sinogram, theta, algorithm, iterations):
    n = sinogram.shape[0]
    volume, projections, columns = astra_geometry(n, theta)
    data = np.zeros((len(theta), columns), dtype=np.float32)
    data[:, :n] = sinogram.T
    projector = astra.create_projector("linear", projections, volume)
    sino_id = astra.data2d.create("-sino", projections, data)
    rec_id = astra.data2d.create("-vol", volume, 0)
    config = astra.astra_dict({"fbp": "FBP", "sirt": "SIRT", "cgls": "CGLS"}[algorithm])
    config["ProjectorId"] = projector
    config["ProjectionDataId"] = sino_id
    config["ReconstructionDataId"] = rec_id
    alg = astra.algorithm.create(config)
    _, seconds = timed(lambda: astra.algorithm.run(alg, 1 if algorithm == "fbp" else iterations))
    image = astra.data2d.get(rec_id)
    astra.algorithm.delete(alg)
    astra.data2d.delete([sino_id, rec_id])
    astra.projector.delete(projector)
    return image, seconds


# --- the comparison -------------------------------------------------------------------------

def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xrecon")
    parser.add_argument("out")
    parser.add_argument("--iterations", type=int, default=50)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--sizes", default="256,512")
    args = parser.parse_args()

    rows = []
    for n in [int(s) for s in args.sizes.split(",")]:
        phantom = resize(shepp_logan_phantom(), (n, n), anti_aliasing=True)
        theta = np.linspace(0.0, 180.0, ANGLES, endpoint=False)
        sinogram = radon(phantom, theta=theta)
        with tempfile.TemporaryDirectory() as tmp:
            work = Path(tmp)
            for algorithm in ("fbp", "sirt", "cgls"):
                ours, ours_s = xrecon_run(args.xrecon, work, sinogram, theta, algorithm, args.iterations, args.threads)
                entry = {"n": n, "algorithm": algorithm, "iterations": None if algorithm == "fbp" else args.iterations,
                         "xrecon": {"seconds": ours_s, "rmse": rmse(ours, phantom)}}
                image, seconds = astra_run(sinogram, theta, algorithm, args.iterations)
                entry["astra"] = {"seconds": seconds, "rmse": rmse(image, phantom)}
                if algorithm == "fbp":
                    image, seconds = timed(lambda: iradon(sinogram, theta=theta, filter_name="ramp"))
                    entry["scikit-image"] = {"seconds": seconds, "rmse": rmse(image, phantom)}
                rows.append(entry)

    print(f"{'N':>4} {'algorithm':<5} {'program':<12} {'seconds':>9} {'x xrecon':>9} {'RMSE':>9} {'/ xrecon':>9}")
    for entry in rows:
        base = entry["xrecon"]
        for program in ("xrecon", "astra", "scikit-image"):
            if program in entry:
                r = entry[program]
                print(f"{entry['n']:>4} {entry['algorithm']:<5} {program:<12} {r['seconds']:>9.4f} "
                      f"{r['seconds'] / base['seconds']:>9.2f} {r['rmse']:>9.5f} {r['rmse'] / base['rmse']:>9.3f}")
    machine = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
               "load_average": os.getloadavg(), "python": platform.python_version(),
               "astra": astra.__version__, "scikit-image": skimage.__version__, "xrecon_threads": args.threads}
    Path(args.out).write_text(json.dumps({"machine": machine, "angles": ANGLES, "results": rows}, indent=2))


if __name__ == "__main__":
    main()
