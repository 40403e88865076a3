#!/usr/bin/env python3
"""xrecon's ptycho.cg next to PtyPy's ML engine on the same far-field scans (issue 17).

For each frame size n (default 64, 128, 256): sim.ptycho simulates one far-field raster scan of
its complex Shepp-Logan (amplitude 1 - 0.5 SL, phase 1 rad SL) with a Gaussian probe (FWHM 3n/8),
step n/4 (linear overlap 0.75), 1e6 photons per exposure with Poisson noise, over a field of 384
pixels: 625 frames of 64^2, 169 of 128^2, 49 of 256^2 (about the same pixels per iteration at
every size). The step is a whole number of pixels and there is no jitter, because PtyPy places
its views on whole pixels (its sub-pixel shift is a placeholder). io.cxi_writer writes the scan
to CXI; the true object is sim.phantom's Shepp-Logan (the same rasterisation sim.ptycho uses)
embedded as sim.ptycho embeds it, which reproduces noiseless patterns to 3e-7
(benchmarks/peers/ptycho_interop_checks.py checks it).

Each program reconstructs the CXI file from a flat object (1 + 0i) for --iterations iterations, in
four settings: Poisson or Gaussian likelihood, with the true probe held fixed or with the probe
refined from a guess (io.cxi's guess for a file without a probe: a Gaussian of FWHM n/4 carrying
the mean pattern's photons). xrecon: io.cxi -> ptycho.cg (noise, recover_probe) at
OMP_NUM_THREADS=1 and, as a separate column, 2. PtyPy: its ML engine with ML_type 'poisson' or
'gaussian' (PtyPy's Gaussian model is a Poisson-weighted least squares on intensities, xrecon's
is on amplitudes: the same name, not the same cost), probe_update_start 2 (PtyPy's default) or
never, in this one process on one core, the data read from the same CXI file through PtyPy's
Hdf5Loader (positions from a side file, see docs/ptypy-interop.md).

Reported per setting: seconds per iteration in steady state (the median over the intervals
between ptycho.cg's progress lines, the first interval, which holds the set-up, left out; for
PtyPy the median of its per-iteration durations after the first two) with the CPU share of the
run (CPU seconds over wall seconds: on a shared machine, jobs of a higher priority can starve a
niced run: every timed run waits until busy loops at its priority get 0.85 of a core per thread,
a 1-thread run below 0.85 of a core, or a 2-thread run below 1.7, is timed again with
--timing-iterations, up to 3 tries, and the try with the largest share is kept; 2-thread timings
always come from such runs, since the image is the one of 1 thread), the phase error after
--iterations (RMSE of the phase over the well-illuminated region, where the probe intensity
summed over the positions is at least half its maximum, after removing the global phase offset;
with a refined probe also after removing a phase ramp, the ambiguity a refined probe leaves), the
error curve of xrecon at --checkpoints, and, when PtyPy ran, the iterations xrecon needs to reach
PtyPy's error. The load average is recorded around every run: on a shared machine it says how
far the seconds can be trusted.

Usage: ptycho_vs_ptypy.py XRECON OUT.json [--sizes 64,128,256] [--iterations 100]
       [--checkpoints 10,20,50] [--no-ptypy] [--keep DIR]
The Python packages: scripts/peers-venv.sh (PtyPy is optional: without it xrecon runs alone and
the JSON says why).

Not run against PtyPy yet: PtyPy could not be installed where this script was written (not on
PyPI; GitHub unreachable), so run_ptypy() follows PtyPy's source (engines/ML.py,
experiment/hdf5_loader.py, core/geometry.py, core/illumination.py) but has never executed.
"""
import os

# PtyPy runs in this process: one core, as xrecon's OMP_NUM_THREADS=1 (set before numpy loads).
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import datetime  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import h5py  # noqa: E402
import numpy as np  # noqa: E402

FIELD = 384          # pixels of window corners covered along each axis
PHOTONS = 1e6        # per exposure
MARGIN = 2           # sim.ptycho's and io.cxi's default
ABSORPTION, PHASE = 0.5, 1.0
PLANCK, LIGHT, ELECTRONVOLT = 6.62607015e-34, 299792458.0, 1.602176634e-19
SETTINGS = [("poisson", False), ("gaussian", False), ("poisson", True), ("gaussian", True)]


def scan_of(n):
    step = n // 4
    return {"n": n, "step": step, "fwhm": 3 * n / 8, "object": FIELD + n, "frames": (FIELD // step + 1) ** 2,
            "photons": PHOTONS}


def uptime():
    try:
        return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return ""


# --- the scan and its truth -----------------------------------------------------------------

def simulate(xrecon, work, scan):
    """The CXI file (true probe), a copy without the probe, and the true object on the scan grid."""
    n = scan["n"]
    cxi, phantom = work / f"scan{n}.cxi", work / f"phantom{n}.h5"
    pipeline = work / f"sim{n}.yaml"
    pipeline.write_text(f"""version: 1
name: sim-{n}
devices: cpu
stages:
  - id: sim
    plugin: sim.ptycho
    with: {{object: shepp_logan, size: {scan['object']}, absorption: {ABSORPTION}, phase_shift: {PHASE},
           probe: gaussian, probe_size: {n}, fwhm: {scan['fwhm']}, scan: raster, step: {scan['step']}, jitter: 0,
           photons: {scan['photons']}, seed: 1, margin: {MARGIN}}}
  - {{id: save, plugin: io.cxi_writer, inputs: {{scan: sim.scan}}, with: {{path: {cxi}}}}}
  - id: phantom
    plugin: sim.phantom
    with: {{kind: shepp_logan, size: {scan['object']}, slices: 1, supersample: 3}}
  - {{id: save_phantom, plugin: io.hdf5_writer, inputs: {{volume: phantom.volume}},
     with: {{path: {phantom}, preview: false, compression: 0}}}}
""")
    run_xrecon(xrecon, pipeline, threads=1)
    guessed = work / f"scan{n}_noprobe.cxi"
    with h5py.File(cxi, "r") as src, h5py.File(guessed, "w") as dst:
        for name in ("entry_1/data_1", "entry_1/instrument_1/detector_1", "entry_1/sample_1"):
            src.copy(src[name], dst.require_group(name.rsplit("/", 1)[0]), name=name.rsplit("/", 1)[1])
        dst.require_group("entry_1/instrument_1/source_1")["energy"] = src["entry_1/instrument_1/source_1/energy"][()]
    geometry = read_cxi(cxi)
    with h5py.File(phantom, "r") as f:
        density = f["/volume"][0].astype(np.float64)
    density = np.maximum(density, 0.0) / density.max()
    rows, cols = geometry["grid"]
    truth = np.ones((rows, cols), np.complex128)
    size = density.shape[0]
    r0, c0 = (rows - size) // 2, (cols - size) // 2
    truth[r0:r0 + size, c0:c0 + size] = (1 - ABSORPTION * density) * np.exp(1j * PHASE * density)
    return cxi, guessed, truth, geometry


def read_cxi(path):
    """What the comparison needs from a CXI file, in xrecon's conventions (cxi_geometry.hpp)."""
    with h5py.File(path, "r") as f:
        data = f["/entry_1/data_1/data"]
        count, n = data.shape[0], data.shape[2]
        translation = f["/entry_1/data_1/translation"][...]
        energy = float(f["/entry_1/instrument_1/source_1/energy"][()])
        distance = float(f["/entry_1/instrument_1/detector_1/distance"][()])
        pixel = float(f["/entry_1/instrument_1/detector_1/x_pixel_size"][()])
        probe = f["/entry_1/instrument_1/source_1/illumination"][...]
        mean_photons = float(np.sum(data[...], dtype=np.float64) / count)
    wavelength = PLANCK * LIGHT / energy
    dx = wavelength * distance / (n * pixel)
    rows, cols = -translation[:, 1] / dx, -translation[:, 0] / dx
    positions = np.stack([rows - rows.min() + MARGIN, cols - cols.min() + MARGIN], axis=1)
    # sim::scan_grid_extent: the farthest window, one pixel for bilinear cropping, the margin.
    grid = tuple(int(np.floor(positions[:, a].max())) + n + 1 + MARGIN for a in (0, 1))
    return {"n": n, "count": count, "translation": translation, "energy": energy, "distance": distance,
            "pixel": pixel, "wavelength": wavelength, "dx": dx, "positions": positions, "grid": grid,
            "probe": probe, "mean_photons": mean_photons}


def illuminated(geometry, fraction=0.5):
    """Where sum_j |P(r - r_j)|^2 is at least `fraction` of its maximum."""
    probe, n = np.abs(geometry["probe"]) ** 2, geometry["n"]
    coverage = np.zeros(geometry["grid"])
    for r, c in np.rint(geometry["positions"]).astype(int):
        coverage[r:r + n, c:c + n] += probe
    return coverage >= fraction * coverage.max()


def phase_errors(psi, truth, mask):
    """RMSE of the phase over `mask` after the global offset, and after offset and phase ramp."""
    difference = np.angle(psi[mask] * np.conj(truth[mask]))
    offset = np.angle(np.sum(np.exp(1j * difference)))
    residual = np.angle(np.exp(1j * (difference - offset)))
    plain = float(np.sqrt(np.mean(residual ** 2)))
    rows, cols = np.nonzero(mask)
    design = np.stack([np.ones_like(rows, dtype=float), rows, cols], axis=1).astype(float)
    for _ in range(2):  # fit, re-wrap around the fit, fit again
        coefficients, *_ = np.linalg.lstsq(design, residual, rcond=None)
        residual = np.angle(np.exp(1j * (residual - design @ coefficients)))
    return plain, float(np.sqrt(np.mean(residual ** 2)))


# --- xrecon ---------------------------------------------------------------------------------

PROGRESS = re.compile(r"^\[(\d\d):(\d\d):(\d\d\.\d+)\] \[info\] \[recon\] ptycho\.cg iterations: (?:done \()?(\d+)/\d+")
SUMMARY = re.compile(r"ptycho\.cg: scan 0, .*?cost (\S+) -> (\S+) in (\d+) iterations; ([0-9.]+) s on")


def run_xrecon(xrecon, pipeline, threads):
    """The log of one run, and the CPU seconds (user + system) and wall seconds it took."""
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    for attempt in range(3):  # the binary may be rebuilt under us: retry an odd failure
        before, start = resource.getrusage(resource.RUSAGE_CHILDREN), time.perf_counter()
        run = subprocess.run([str(xrecon), "run", str(pipeline)], capture_output=True, text=True, env=env)
        wall, after = time.perf_counter() - start, resource.getrusage(resource.RUSAGE_CHILDREN)
        if run.returncode == 0:
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            return run.stdout + run.stderr, cpu, wall
        time.sleep(5)
    raise RuntimeError(f"xrecon run {pipeline} failed:\n{run.stdout}{run.stderr}")


def steady_seconds(log):
    """Median and smallest seconds per iteration between progress lines, the first interval
    (set-up and the first iteration) left out."""
    points = []
    for line in log.splitlines():
        m = PROGRESS.match(line)
        if m:
            seconds = int(m[1]) * 3600 + int(m[2]) * 60 + float(m[3])
            if points and seconds < points[-1][1]:
                seconds += 86400
            points.append((int(m[4]), seconds))
    rates = [(t1 - t0) / (k1 - k0) for (k0, t0), (k1, t1) in zip(points[1:], points[2:]) if k1 > k0]
    if not rates:
        return None, None
    return statistics.median(rates), min(rates)


def xrecon_reconstruct(xrecon, work, cxi, n, likelihood, refine, iterations, threads):
    tag = f"{n}_{likelihood}_{'refined' if refine else 'fixed'}_{iterations}_{threads}t"
    pipeline = work / f"recon_{tag}.yaml"
    pipeline.write_text(f"""version: 1
name: recon-{tag}
devices: cpu
stages:
  - {{id: read, plugin: io.cxi, with: {{path: {cxi}, margin: {MARGIN}}}}}
  - id: recon
    plugin: ptycho.cg
    inputs: {{scan: read.scan}}
    with: {{iterations: {iterations}, noise: {likelihood}, recover_probe: {str(refine).lower()}}}
  - {{id: phase, plugin: io.hdf5_writer, inputs: {{volume: recon.phase}},
     with: {{path: {work / f'phase_{tag}.h5'}, preview: false, compression: 0}}}}
  - {{id: amplitude, plugin: io.hdf5_writer, inputs: {{volume: recon.amplitude}},
     with: {{path: {work / f'amplitude_{tag}.h5'}, preview: false, compression: 0}}}}
""")
    load_before = os.getloadavg()[0]
    log, cpu, wall = run_xrecon(xrecon, pipeline, threads)
    load_after = os.getloadavg()[0]
    summary = SUMMARY.search(log)
    median, fastest = steady_seconds(log)
    with h5py.File(work / f"phase_{tag}.h5", "r") as f:
        phase = f["/volume"][0]
    with h5py.File(work / f"amplitude_{tag}.h5", "r") as f:
        amplitude = f["/volume"][0]
    return {"seconds_per_iteration": median, "fastest_interval_seconds_per_iteration": fastest,
            "solver_seconds": float(summary[4]), "cost_first": float(summary[1]), "cost_last": float(summary[2]),
            "iterations_of_the_timed_run": iterations, "threads": threads,
            "cpu_share": cpu / wall,  # cores the run had on average: 1 (or 2) when nothing else took them
            "load_average_1min": [load_before, load_after]}, amplitude * np.exp(1j * phase)


BUSY = ("import time\ns, c = time.perf_counter(), time.process_time()\n"
        "while time.perf_counter() - s < 1.0: pass\n"
        "print((time.process_time() - c) / (time.perf_counter() - s))")


def wait_for_cores(threads, longest=900):
    """Waits (30 s at a time, at most `longest` seconds) until `threads` busy loops at this
    process's priority each get 0.85 of a core for a second; returns the seconds waited."""
    waited = 0
    while True:
        loops = [subprocess.Popen([sys.executable, "-c", BUSY], stdout=subprocess.PIPE, text=True)
                 for _ in range(threads)]
        shares = [float(loop.communicate()[0]) for loop in loops]
        if min(shares) >= 0.85 or waited >= longest:
            return waited
        time.sleep(30)
        waited += 30


def timed_xrecon(xrecon, work, cxi, n, likelihood, refine, threads, first=None, iterations=30, attempts=3):
    """Seconds per iteration from a run that had its cores: `first` (a run already made) or new
    runs of `iterations`, up to `attempts` in all, until the run's CPU share shows that other
    processes did not take its cores (0.85 of a core per thread; a shared machine's other jobs at
    a higher priority starve a niced run). The run with the largest share is kept."""
    tries = [first] if first else []
    waited = 0
    while len(tries) < attempts and (not tries or tries[-1]["cpu_share"] < 0.85 * threads):
        waited += wait_for_cores(threads)
        tries.append(xrecon_reconstruct(xrecon, work, cxi, n, likelihood, refine, iterations, threads)[0])
    best = dict(max(tries, key=lambda t: t["cpu_share"]))
    best["attempts"] = len(tries)
    best["seconds_waited_for_free_cores"] = waited
    best["all_attempts_seconds_per_iteration_and_cpu_share"] = [
        [t["seconds_per_iteration"], t["cpu_share"]] for t in tries]
    return best


# --- PtyPy ----------------------------------------------------------------------------------

def ptypy_version():
    import ptypy
    return getattr(ptypy, "__version__", "unknown version")


def fresnel_curvature(geometry):
    """PtyPy's farfield propagator multiplies the exit wave by exp(i pi (X^2 + Y^2) / (lambda z))
    before its FFT (core/geometry.py, pre_curve; X, Y centred on pixel n/2); xrecon's has no such
    factor. A probe handed from xrecon to PtyPy is divided by it so both model the same patterns."""
    n, dx = geometry["n"], geometry["dx"]
    x = (np.arange(n) - n // 2) * dx
    return np.exp(1j * np.pi * (x[:, None] ** 2 + x[None, :] ** 2) / (geometry["wavelength"] * geometry["distance"]))


def guessed_probe(geometry):
    """io.cxi's guess for a file without a probe (cxi_reader.cpp guess_probe): a Gaussian of FWHM
    n/4 at (n/2, n/2), peak 1, scaled to the mean pattern's photons."""
    n = geometry["n"]
    r = np.arange(n) - n / 2
    sigma = (n / 4) / np.sqrt(8 * np.log(2))  # of the intensity: |P|^2 = exp(-r^2 / (2 sigma^2))
    probe = np.exp(-(r[:, None] ** 2 + r[None, :] ** 2) / (4 * sigma ** 2)).astype(np.complex128)
    return probe * np.sqrt(geometry["mean_photons"] / np.sum(np.abs(probe) ** 2))


def run_ptypy(work, cxi, geometry, likelihood, refine, iterations):
    """PtyPy's ML engine on the CXI file; its object on xrecon's grid and its seconds per iteration."""
    import ptypy
    from ptypy import utils as u
    from ptypy.core import Ptycho
    if hasattr(ptypy, "load_ptyscan_module"):
        ptypy.load_ptyscan_module("hdf5_loader")
    n = geometry["n"]
    # PtyPy's positions: metres, (slow = y = rows, fast = x = cols), where the probe sits on the
    # object (no negation): minus CXI's translation. Hdf5Loader reads each axis from its own key.
    side = work / f"ptypy_positions_{n}.h5"
    with h5py.File(side, "w") as f:
        f["slow"] = -geometry["translation"][:, 1]
        f["fast"] = -geometry["translation"][:, 0]
    probe = geometry["probe"] if not refine else guessed_probe(geometry)
    probe = probe * np.conj(fresnel_curvature(geometry))

    p = u.Param()
    p.verbose_level = "critical"
    p.data_type = "single"  # complex64, as xrecon
    p.io = u.Param(home=str(work / "ptypy"), rfile=None)
    p.io.autosave = u.Param(active=False)
    p.io.autoplot = u.Param(active=False)
    p.io.interaction = u.Param(active=False)
    p.scans = u.Param()
    p.scans.xrecon = u.Param(name="Full")
    p.scans.xrecon.data = u.Param(
        name="Hdf5Loader",
        intensities=u.Param(file=str(cxi), key="entry_1/data_1/data"),
        positions=u.Param(file=str(side), slow_key="slow", fast_key="fast", slow_multiplier=1.0, fast_multiplier=1.0),
        shape=n, center=(n // 2, n // 2), auto_center=False, orientation=None,
        energy=geometry["energy"] / (1e3 * ELECTRONVOLT),  # keV
        distance=geometry["distance"], psize=geometry["pixel"], save=None, dfile=None)
    # The initial probe as given: photons set, or PtyPy rescales it to the brightest frame's.
    p.scans.xrecon.illumination = u.Param(model=probe.astype(np.complex64), photons=float(np.sum(np.abs(probe) ** 2)),
                                          aperture=None, propagation=None, diversity=None)
    p.scans.xrecon.sample = u.Param(model=None, fill=1.0)
    p.scans.xrecon.coherence = u.Param(num_probe_modes=1, num_object_modes=1)
    p.engines = u.Param()
    p.engines.ml = u.Param(name="ML", numiter=iterations, numiter_contiguous=1, ML_type=likelihood,
                           probe_update_start=2 if refine else iterations + 1, floating_intensities=False,
                           intensity_renormalization=1.0, reg_del2=False, smooth_gradient=0.0, scale_precond=False,
                           probe_support=None)
    start, cpu_start = time.perf_counter(), time.process_time()
    P = Ptycho(p, level=5)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    durations = [info["duration"] for info in P.runtime.iter_info if "duration" in info]
    steady = durations[2:] if len(durations) > 2 else durations
    # Its object storage on xrecon's grid: match each view's corner to xrecon's position of it.
    storage = list(P.obj.storages.values())[0]
    obj = storage.data[0]
    slow_min, fast_min = -geometry["translation"][:, 1].max(), -geometry["translation"][:, 0].max()
    offsets = set()
    for pod in P.pods.values():
        view = pod.ob_view
        row = view.coord[0] / geometry["dx"] - slow_min / geometry["dx"] + MARGIN
        col = view.coord[1] / geometry["dx"] - fast_min / geometry["dx"] + MARGIN
        offsets.add((int(view.dlow[0] - round(row)), int(view.dlow[1] - round(col))))
    if len(offsets) != 1:
        raise RuntimeError(f"PtyPy's views do not sit on xrecon's positions by one offset: {sorted(offsets)[:5]}")
    (dr, dc), = offsets
    rows, cols = geometry["grid"]
    psi = np.ones((rows, cols), np.complex128)
    r_lo, c_lo = max(0, -dr), max(0, -dc)
    r_hi, c_hi = min(rows, obj.shape[0] - dr), min(cols, obj.shape[1] - dc)
    psi[r_lo:r_hi, c_lo:c_hi] = obj[r_lo + dr:r_hi + dr, c_lo + dc:c_hi + dc]
    return {"seconds_per_iteration": statistics.median(steady) if steady else wall / iterations,
            "seconds_per_iteration_from": ("median of runtime.iter_info durations after the first two" if steady
                                           else "wall time with set-up / iterations (no iter_info durations)"),
            "wall_seconds_with_setup": wall, "cpu_share": cpu / wall, "ml_type": likelihood,
            "probe_update_start": 2 if refine else iterations + 1}, psi


# --- the comparison -------------------------------------------------------------------------

def iterations_to_reach(target, curve, run_at):
    """The fewest xrecon iterations whose phase error is at most `target`: the checkpoints first,
    then bisection between the last one above and the first one at or below it."""
    ks = sorted(curve)
    below = [k for k in ks if curve[k] <= target]
    if not below:
        return None
    hi = below[0]
    lo = max([k for k in ks if k < hi], default=0)
    while hi - lo > 1:
        mid = (lo + hi) // 2
        curve[mid] = run_at(mid)
        lo, hi = (mid, hi) if curve[mid] > target else (lo, mid)
    return hi


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xrecon")
    parser.add_argument("out")
    parser.add_argument("--sizes", default="64,128,256")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--checkpoints", default="10,20,50", help="xrecon's error curve, 1 thread, fixed probe")
    parser.add_argument("--timing-iterations", type=int, default=30,
                        help="iterations of the runs made only to time (2 threads, or a starved run again)")
    parser.add_argument("--no-ptypy", action="store_true")
    parser.add_argument("--keep", help="keep the files here instead of a temporary folder")
    args = parser.parse_args()
    xrecon = Path(args.xrecon).resolve()
    checkpoints = [int(k) for k in args.checkpoints.split(",") if k]

    ptypy_reason = "--no-ptypy"
    have_ptypy = False
    if not args.no_ptypy:
        try:
            import ptypy  # noqa: F401
            have_ptypy = True
        except ImportError as error:
            ptypy_reason = (f"not importable ({error}): not on PyPI, and its GitHub repository was not reachable "
                            "from scripts/peers-venv.sh")
    machine = {"cpu": platform.processor() or platform.machine(), "cores": os.cpu_count(),
               "uptime_start": uptime(), "python": platform.python_version(), "numpy": np.__version__,
               "h5py": h5py.__version__, "ptypy": ptypy_version() if have_ptypy else None,
               "ptypy_missing": None if have_ptypy else ptypy_reason, "xrecon": str(xrecon),
               "xrecon_threads": [1, 2], "ptypy_processes": 1,
               "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")}
    # The build's source tree (XRECON is BUILD/engine/xrecon): its commit, and what differed from
    # it, since a build tree may hold work not yet committed; and when the plugins were built.
    root = xrecon.parent.parent.parent
    git = lambda *a: subprocess.run(["git", "-C", str(root), *a], capture_output=True, text=True).stdout.strip()
    machine["xrecon_commit"] = git("rev-parse", "--short", "HEAD")
    machine["xrecon_uncommitted_changes"] = git("status", "--porcelain", "--untracked-files=no").splitlines()
    plugins = xrecon.parent.parent / "plugins"
    machine["xrecon_plugins_built"] = {
        f.name: datetime.datetime.fromtimestamp(f.stat().st_mtime, datetime.timezone.utc).isoformat(timespec="seconds")
        for f in sorted(plugins.glob("xrecon_plugin_*.so")) if f.name in ("xrecon_plugin_ptycho.so", "xrecon_plugin_io.so")}

    scans, rows = [], []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        for n in [int(s) for s in args.sizes.split(",")]:
            scan = scan_of(n)
            cxi, guessed_cxi, truth, geometry = simulate(xrecon, work, scan)
            mask = illuminated(geometry)
            scan.update({"frames": geometry["count"], "object_grid": list(geometry["grid"]),
                         "illuminated_pixels": int(mask.sum()), "object_pixel_m": geometry["dx"]})
            scans.append(scan)
            print(f"n={n}: {geometry['count']} frames, object grid {geometry['grid']}, "
                  f"{int(mask.sum())} well-illuminated pixels", flush=True)
            for likelihood, refine in SETTINGS:
                source = guessed_cxi if refine else cxi
                entry = {"n": n, "frames": geometry["count"], "likelihood": likelihood,
                         "probe": "refined from a guess" if refine else "true, fixed", "iterations": args.iterations}
                # The image after --iterations on one thread (2 threads give the same image), then
                # the seconds per iteration on 1 and 2 threads from runs that had their cores.
                wait_for_cores(1)
                first, psi = xrecon_reconstruct(xrecon, work, source, n, likelihood, refine, args.iterations, 1)
                quality = dict(zip(("phase_rmse", "phase_rmse_ramp_removed"), phase_errors(psi, truth, mask)))
                for threads in (1, 2):
                    result = timed_xrecon(xrecon, work, source, n, likelihood, refine, threads,
                                          first=first if threads == 1 else None, iterations=args.timing_iterations)
                    result.update(quality)
                    entry[f"xrecon_{threads}t"] = result
                    print(f"  xrecon {likelihood:<8} {entry['probe']:<20} {threads}t: "
                          f"{result['seconds_per_iteration']:.4f} s/it (CPU share {result['cpu_share']:.2f}, "
                          f"{result['attempts']} tries), phase RMSE {result['phase_rmse']:.4f}", flush=True)

                def error_at(k, likelihood=likelihood, refine=refine, source=source):
                    _, psi_k = xrecon_reconstruct(xrecon, work, source, n, likelihood, refine, k, 1)
                    return phase_errors(psi_k, truth, mask)[1 if refine else 0]

                curve = {args.iterations: entry["xrecon_1t"]["phase_rmse_ramp_removed" if refine else "phase_rmse"]}
                if not refine:
                    for k in checkpoints:
                        if k < args.iterations:
                            curve[k] = error_at(k)
                if have_ptypy:
                    try:
                        wait_for_cores(1)
                        result, psi = run_ptypy(work, source, read_cxi(cxi), likelihood, refine, args.iterations)
                        result["phase_rmse"], result["phase_rmse_ramp_removed"] = phase_errors(psi, truth, mask)
                        entry["ptypy"] = result
                        target = result["phase_rmse_ramp_removed" if refine else "phase_rmse"]
                        entry["xrecon_iterations_to_ptypy_error"] = iterations_to_reach(target, curve, error_at)
                        for threads in (1, 2):
                            entry[f"ptypy_over_xrecon_{threads}t_time"] = (
                                result["seconds_per_iteration"] / entry[f"xrecon_{threads}t"]["seconds_per_iteration"])
                    except Exception as error:  # noqa: BLE001 - report and go on with the other settings
                        entry["ptypy"] = {"failed": f"{type(error).__name__}: {error}"}
                entry["xrecon_phase_rmse_curve_1t"] = {str(k): curve[k] for k in sorted(curve)}
                rows.append(entry)
    machine["uptime_end"] = uptime()
    machine["xrecon_plugins_built_at_end"] = {
        f.name: datetime.datetime.fromtimestamp(f.stat().st_mtime, datetime.timezone.utc).isoformat(timespec="seconds")
        for f in sorted((xrecon.parent.parent / "plugins").glob("xrecon_plugin_ptycho.so"))}
    machine["load_average"] = os.getloadavg()

    print()
    print(f"{'n':>4} {'frames':>6} {'likelihood':<9} {'probe':<20} {'xrecon 1t s/it':>14} {'2t s/it':>8} "
          f"{'1t/2t':>6} {'PtyPy s/it':>10} {'PtyPy/1t':>8} {'RMSE xrecon':>11} {'RMSE PtyPy':>10} {'it. to PtyPy':>12}")
    for e in rows:
        one, two, pty = e["xrecon_1t"], e["xrecon_2t"], e.get("ptypy") or {}
        key = "phase_rmse_ramp_removed" if e["probe"].startswith("refined") else "phase_rmse"
        pty_s = pty.get("seconds_per_iteration")
        starved = lambda r, threads: "*" if r["cpu_share"] < 0.85 * threads else " "  # noqa: E731
        print(f"{e['n']:>4} {e['frames']:>6} {e['likelihood']:<9} {e['probe']:<20} "
              f"{one['seconds_per_iteration']:>13.4f}{starved(one, 1)} "
              f"{two['seconds_per_iteration']:>7.4f}{starved(two, 2)} "
              f"{one['seconds_per_iteration'] / two['seconds_per_iteration']:>6.2f} "
              f"{pty_s if pty_s is None else format(pty_s, '.4f')!s:>10} "
              f"{'-' if pty_s is None else format(pty_s / one['seconds_per_iteration'], '.2f'):>8} "
              f"{one[key]:>11.4f} {pty.get(key, '-') if not isinstance(pty.get(key), float) else format(pty[key], '.4f'):>10} "
              f"{e.get('xrecon_iterations_to_ptypy_error', '-')!s:>12}")
    print("RMSE: radians of phase over the well-illuminated region after the global offset "
          "(refined probe: also after a phase ramp); *: the run had less than 0.85 of a core per thread")
    if not have_ptypy:
        print(f"PtyPy: {ptypy_reason}")
    Path(args.out).write_text(json.dumps({"machine": machine, "iterations": args.iterations, "scans": scans,
                                          "results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    sys.exit(main())
