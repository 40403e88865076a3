#!/usr/bin/env python3
"""Checks, by running xrecon, the CXI conventions docs/ptypy-interop.md states (issue 17).

1. Forward model: a noiseless sim.ptycho scan written by io.cxi_writer is reproduced in NumPy by
   |fftshift(fft2(P * psi[r:r+n, c:c+n], norm='ortho'))|^2 with (r, c) = (-y, -x) / dx of CXI's
   translation, shifted so the smallest is the margin, and psi the true object: the FFT is
   orthonormal (a pattern sums to sum |P psi|^2), rows follow -y, columns -x. The same with an
   unnormalised FFT, with x and y swapped and with the translation's sign flipped, for contrast.
2. What a user's slip does to ptycho.cg (Gaussian likelihood, --iterations, the fixed true probe,
   2 threads), on the 625-frame 64^2 scan of ptycho_vs_ptypy.py: the file as written; its probe multiplied by sqrt(H W) (the scaling issue
   17 says is needed); its translations negated (PtyPy's sign, unconverted); x and y swapped; and a
   file written from positions held as PtyPy holds them (view centres, (y, x), metres, no
   negation) by the conversion the doc gives, without xrecon's object grid: the phase error and
   the median amplitude over the well-illuminated region.
3. The quadratic phase PtyPy's farfield propagator puts on the exit wave (absent in xrecon) at
   this geometry, computed.

Usage: ptycho_interop_checks.py XRECON [OUT.json] [--iterations 100] [--keep DIR]
"""
import argparse
import json
import sys
import tempfile
from pathlib import Path

import h5py
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import ptycho_vs_ptypy as bench  # noqa: E402


def simulated(xrecon, work, n, size, step, photons, name):
    """A sim.ptycho scan as CXI, and the true object (bench.simulate's, other parameters)."""
    folder = work / name
    folder.mkdir(parents=True, exist_ok=True)
    scan = {"n": n, "step": step, "fwhm": 3 * n / 8, "object": size, "photons": photons}
    cxi, _, truth, geometry = bench.simulate(xrecon, folder, scan)
    return cxi, truth, geometry


def forward_checks(cxi, truth, geometry):
    with h5py.File(cxi, "r") as f:
        data = f["/entry_1/data_1/data"][...].astype(np.float64)
    n, probe = geometry["n"], geometry["probe"].astype(np.complex128)
    t = geometry["translation"]
    dx = geometry["dx"]

    def corners(rows, cols):
        rows, cols = rows - rows.min() + bench.MARGIN, cols - cols.min() + bench.MARGIN
        return np.rint(np.stack([rows, cols], 1)).astype(int)

    variants = {
        "orthonormal FFT, (row, col) = (-y, -x) / dx": (corners(-t[:, 1] / dx, -t[:, 0] / dx), "ortho"),
        "unnormalised FFT": (corners(-t[:, 1] / dx, -t[:, 0] / dx), None),
        "x and y swapped": (corners(-t[:, 0] / dx, -t[:, 1] / dx), "ortho"),
        "translation not negated": (corners(t[:, 1] / dx, t[:, 0] / dx), "ortho"),
    }
    out = {}
    for name, (pos, norm) in variants.items():
        worst = 0.0
        ratio = []
        for j, (r, c) in enumerate(pos):
            exit_wave = probe * truth[r:r + n, c:c + n]
            model = np.abs(np.fft.fftshift(np.fft.fft2(exit_wave, norm=norm))) ** 2
            worst = max(worst, float(np.abs(model - data[j]).max() / data[j].max()))
            ratio.append(model.sum() / data[j].sum())
        out[name] = {"largest_relative_difference": worst, "pattern_sum_over_data_sum": float(np.median(ratio))}
    out["sum |P|^2 of the file's probe"] = float(np.sum(np.abs(probe) ** 2))
    return out


def write_cxi_from_ptypy_positions(path, data, positions_yx_m, probe, energy_j, distance, pixel):
    """The conversion docs/ptypy-interop.md gives: PtyPy-style positions (where the probe sits on
    the object, (y, x), metres) to a CXI file io.cxi reads."""
    translation = np.zeros((len(positions_yx_m), 3))
    translation[:, 0] = -positions_yx_m[:, 1]  # x: minus the horizontal position
    translation[:, 1] = -positions_yx_m[:, 0]  # y: minus the vertical position
    with h5py.File(path, "w") as f:
        f["/entry_1/data_1/data"] = data.astype(np.float32)
        f["/entry_1/data_1/translation"] = translation
        f["/entry_1/instrument_1/detector_1/distance"] = distance
        f["/entry_1/instrument_1/detector_1/x_pixel_size"] = pixel
        f["/entry_1/instrument_1/detector_1/y_pixel_size"] = pixel
        f["/entry_1/instrument_1/source_1/energy"] = energy_j  # joules
        f["/entry_1/instrument_1/source_1/illumination"] = probe.astype(np.complex64)


def variant_file(src, dst, edit):
    with h5py.File(src, "r") as f:
        parts = {k: f[k][...] for k in ("/entry_1/data_1/data", "/entry_1/data_1/translation",
                                        "/entry_1/instrument_1/source_1/illumination")}
        scalars = {k: f[k][()] for k in ("/entry_1/instrument_1/detector_1/distance",
                                         "/entry_1/instrument_1/detector_1/x_pixel_size",
                                         "/entry_1/instrument_1/source_1/energy")}
    edit(parts)
    with h5py.File(dst, "w") as f:
        for k, v in {**parts, **scalars}.items():
            f[k] = v


def reconstruction_checks(xrecon, work, cxi, truth, geometry, iterations):
    mask = bench.illuminated(geometry)
    n = geometry["n"]
    g = geometry

    def swap_xy(p):
        p["/entry_1/data_1/translation"] = p["/entry_1/data_1/translation"][:, [1, 0, 2]]

    def negate(p):
        p["/entry_1/data_1/translation"] = -p["/entry_1/data_1/translation"]

    def scale_probe(p):
        p["/entry_1/instrument_1/source_1/illumination"] = p["/entry_1/instrument_1/source_1/illumination"] * n

    files = {"as written by io.cxi_writer": cxi}
    for name, edit in [("probe multiplied by sqrt(H W)", scale_probe), ("translation negated", negate),
                       ("x and y swapped", swap_xy)]:
        files[name] = work / (name.replace(" ", "_").replace("(", "").replace(")", "") + ".cxi")
        variant_file(cxi, files[name], edit)
    # PtyPy's view of the same scan: centres of the windows, (y, x), metres, object frame.
    centres = (g["positions"] + n / 2) * g["dx"]
    with h5py.File(cxi, "r") as f:
        data = f["/entry_1/data_1/data"][...]
    files["written from PtyPy-style positions by the doc's conversion"] = work / "from_ptypy_positions.cxi"
    write_cxi_from_ptypy_positions(files["written from PtyPy-style positions by the doc's conversion"], data, centres,
                                   g["probe"], g["energy"], g["distance"], g["pixel"])
    out = {"reference: a flat object (psi = 1), no reconstruction": {
        "phase_rmse": bench.phase_errors(np.ones_like(truth), truth, mask)[0]}}
    for name, path in files.items():
        _, psi = bench.xrecon_reconstruct(xrecon, work, path, n, "gaussian", False, iterations, 2)
        if psi.shape != truth.shape:
            out[name] = {"object_grid": list(psi.shape), "note": "grid differs from the truth's"}
            continue
        rmse, _ = bench.phase_errors(psi, truth, mask)
        out[name] = {"phase_rmse": rmse, "median_amplitude": float(np.median(np.abs(psi[mask]))),
                     "true_median_amplitude": float(np.median(np.abs(truth[mask])))}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("xrecon")
    parser.add_argument("out", nargs="?")
    parser.add_argument("--iterations", type=int, default=100)
    parser.add_argument("--keep")
    args = parser.parse_args()
    xrecon = Path(args.xrecon).resolve()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(args.keep or tmp)
        work.mkdir(parents=True, exist_ok=True)
        cxi0, truth0, geometry0 = simulated(xrecon, work, 64, 448, 16, 0.0, "noiseless")
        forward = forward_checks(cxi0, truth0, geometry0)
        cxi, truth, geometry = simulated(xrecon, work, 64, 448, 16, 1e6, "noisy")
        recon = reconstruction_checks(xrecon, work, cxi, truth, geometry, args.iterations)
    curve = np.angle(bench.fresnel_curvature(geometry0))
    report = {"forward_model_625_noiseless_patterns_64x64": forward,
              f"ptycho_cg_gaussian_{args.iterations}_iterations_625_frames_64x64": recon,
              "ptypy_fresnel_phase_rad": {"window_corner": float(np.abs(curve).max()),
                                          "at_probe_fwhm_radius": float(np.pi * (3 * geometry0["n"] / 16 * geometry0["dx"]) ** 2 /
                                                                        (geometry0["wavelength"] *
                                                                         geometry0["distance"])),
                                          "energy_kev": geometry0["energy"] / (1e3 * bench.ELECTRONVOLT),
                                          "distance_m": geometry0["distance"], "detector_pixel_m": geometry0["pixel"],
                                          "object_pixel_m": geometry0["dx"]}}
    text = json.dumps(report, indent=2)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n")


if __name__ == "__main__":
    main()
