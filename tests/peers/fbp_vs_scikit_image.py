#!/usr/bin/env python3
"""Peers check (issue 17): scikit-image's radon of its Shepp-Logan phantom, reconstructed by
scikit-image's iradon and by xrecon's tomo.fbp with the defaults (no flips, no shifts, no center
given): xrecon's RMSE against the phantom must be at most iradon's.

Usage: fbp_vs_scikit_image.py XRECON_EXECUTABLE WORK_DIR
Exits 77 (ctest's skip) naming what is missing when scikit-image or h5py is not installed."""
import subprocess
import sys
from pathlib import Path

SKIP = 77

try:
    import h5py
    import numpy as np
    from skimage.data import shepp_logan_phantom
    from skimage.transform import iradon, radon
except ImportError as missing:
    print(f"SKIP: the peers check needs scikit-image and h5py in {sys.executable} ({missing}); "
          "scripts/peers-venv.sh makes a virtual environment with them", flush=True)
    sys.exit(SKIP)


def inside_circle(n):
    """The disc both reconstructions are defined on (radon's circle=True), a pixel in from its edge."""
    rows, cols = np.mgrid[:n, :n]
    centre = n // 2
    return (rows - centre) ** 2 + (cols - centre) ** 2 <= (n // 2 - 1) ** 2


def rmse_in_circle(image, truth):
    inside = inside_circle(truth.shape[0])
    return float(np.sqrt(np.mean((image[inside] - truth[inside]) ** 2)))


def write_dxchange(path, sinogram, theta_degrees):
    """The sinogram (cols, angles) as radon returns it, in Data Exchange layout."""
    with h5py.File(path, "w") as f:
        f["/exchange/data"] = sinogram.T[:, np.newaxis, :].astype(np.float32)  # (angles, 1, cols)
        f["/exchange/theta"] = theta_degrees
        f["/exchange/theta"].attrs["units"] = "deg"


def main():
    xrecon, work = Path(sys.argv[1]), Path(sys.argv[2])
    work.mkdir(parents=True, exist_ok=True)
    phantom = shepp_logan_phantom()  # 400 x 400, values 0 to 1
    theta = np.linspace(0.0, 180.0, 180, endpoint=False)
    sinogram = radon(phantom, theta=theta)
    theirs = iradon(sinogram, theta=theta, filter_name="ramp")

    write_dxchange(work / "sinogram.h5", sinogram, theta)
    pipeline = work / "fbp.yaml"
    pipeline.write_text(f"""version: 1
name: peers-fbp
stages:
  - {{id: read, plugin: io.dxchange, with: {{path: {work / 'sinogram.h5'}, normalize: false, minus_log: false}}}}
  - {{id: fbp, plugin: tomo.fbp, inputs: {{projections: read.projections}}}}
  - {{id: save, plugin: io.hdf5_writer, inputs: {{volume: fbp.volume}}, with: {{path: {work / 'fbp.h5'}, preview: false}}}}
""")
    run = subprocess.run([str(xrecon), "run", str(pipeline)], capture_output=True, text=True)
    if run.returncode != 0:
        print(run.stdout, run.stderr)
        sys.exit(1)
    with h5py.File(work / "fbp.h5", "r") as f:
        ours = f["/volume"][0]

    ours_rmse, theirs_rmse = rmse_in_circle(ours, phantom), rmse_in_circle(theirs, phantom)
    # The same comparison after mirroring ours top to bottom: were it better, the orientations
    # would disagree.
    mirrored_rmse = rmse_in_circle(ours[::-1], phantom)
    print(f"RMSE against the phantom: xrecon tomo.fbp {ours_rmse:.7f}, scikit-image iradon {theirs_rmse:.7f}, "
          f"xrecon mirrored {mirrored_rmse:.5f}", flush=True)
    # With the ram-lak filter and linear interpolation tomo.fbp is iradon's algorithm: where the
    # geometry agrees the two images agree to float round-off (measured 2e-9 in RMSE).
    largest_difference = float(np.abs(ours - theirs)[inside_circle(phantom.shape[0])].max())
    print(f"largest difference from iradon inside the circle: {largest_difference:.2e}", flush=True)
    ok = ours_rmse <= theirs_rmse * (1 + 1e-6) and ours_rmse < 0.5 * mirrored_rmse and largest_difference < 1e-3
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
