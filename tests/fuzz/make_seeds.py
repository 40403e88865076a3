#!/usr/bin/env python3
"""Writes the generated seeds of tests/fuzz/corpus (small valid CXI, Data Exchange and .npy files, a
hundred bytes to a few KiB each): python3 tests/fuzz/make_seeds.py. The other seeds are copies
of shipped configs, invalid pipelines and test models (scripts/fuzz.sh does not regenerate them)."""
import os

import h5py
import numpy as np

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")


def dxchange(path, units=None, angles=3, rows=4, cols=5):
    rng = np.random.default_rng(1)
    with h5py.File(path, "w", libver="earliest") as f:
        f["/exchange/data"] = rng.integers(100, 1000, (angles, rows, cols), dtype=np.uint16)
        f["/exchange/data_white"] = np.full((2, rows, cols), 1200, dtype=np.uint16)
        f["/exchange/data_dark"] = np.full((2, rows, cols), 10, dtype=np.uint16)
        theta = f.create_dataset("/exchange/theta", data=np.linspace(0, 180, angles, endpoint=False))
        if units:
            theta.attrs["units"] = units


def cxi(path, probe=False, grid=False, n=4, det=8):
    energy = 8000 * 1.602176634e-19
    wavelength = 6.62607015e-34 * 299792458 / energy
    distance, pixel = 1.0, 75e-6
    object_pixel = wavelength * distance / (det * pixel)
    rng = np.random.default_rng(2)
    positions = np.array([[2 + 3 * (k // 2), 2 + 3 * (k % 2)] for k in range(n)], dtype=float)
    translation = np.zeros((n, 3))
    translation[:, 0] = -positions[:, 1] * object_pixel
    translation[:, 1] = -positions[:, 0] * object_pixel
    with h5py.File(path, "w", libver="earliest") as f:
        f["/entry_1/data_1/data"] = rng.random((n, det, det)).astype(np.float32)
        f["/entry_1/data_1/translation"] = translation
        f["/entry_1/instrument_1/detector_1/distance"] = distance
        f["/entry_1/instrument_1/detector_1/x_pixel_size"] = pixel
        f["/entry_1/instrument_1/detector_1/y_pixel_size"] = pixel
        f["/entry_1/instrument_1/source_1/energy"] = energy
        if probe:
            f["/entry_1/instrument_1/source_1/illumination"] = np.ones((4, 4), dtype=np.complex64)
            f["/entry_1/sample_1/geometry_1/orientation"] = np.array([1.0, 0, 0, 0, 1, 0])
        if grid:
            f["/entry_1/sample_1/geometry_1/xrecon_object_grid"] = np.array([16, 16], dtype=np.int64)


def npy(path, array, version=None):
    # np.save picks the oldest header version that fits; the reader takes 1.0, 2.0 and 3.0.
    with open(path, "wb") as f:
        if version:
            np.lib.format.write_array(f, array, version=version)
        else:
            np.save(f, array)


dxchange(os.path.join(here, "fuzz_dxchange_reader", "degrees.h5"))
dxchange(os.path.join(here, "fuzz_dxchange_reader", "radians_units.h5"), units="rad", angles=2, rows=2, cols=3)
cxi(os.path.join(here, "fuzz_cxi_reader", "plain.cxi"))
cxi(os.path.join(here, "fuzz_cxi_reader", "probe_grid.cxi"), probe=True, grid=True)
os.makedirs(os.path.join(here, "fuzz_npy_reader"), exist_ok=True)
npy(os.path.join(here, "fuzz_npy_reader", "sinogram_f4.npy"), np.arange(12, dtype="<f4").reshape(3, 4))
npy(os.path.join(here, "fuzz_npy_reader", "fortran_u2_v2.npy"),
    np.asfortranarray(np.arange(24, dtype="<u2").reshape(2, 3, 4)), version=(2, 0))
