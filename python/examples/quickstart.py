"""xrecon from Python in one script (docs/python.md): a pipeline, the operators on NumPy arrays,
and a NumPy prior inside the engine's ADMM loop. Run from the repository root:
    python python/examples/quickstart.py
"""
import numpy as np

import xrecon
from xrecon import tomo

# 1. A shipped pipeline, smaller than in the file; the terminal output comes back as NumPy.
outputs = xrecon.run("configs/tomo_sirt.yaml",
                     set={"phantom.size": 64, "phantom.slices": 2, "scan.angles": 60, "recon.iterations": 50,
                          "save.path": "out/quickstart_sirt.h5"})
volume = outputs["recon.volume"]
print("tomo_sirt.yaml:", volume.shape, volume.dtype, "-> out/quickstart_sirt.h5")

# 2. The operators on NumPy arrays: a disc, its projections, three reconstructions.
n = 64
y, x = np.mgrid[:n, :n] - n // 2
disc = (x * x + y * y <= 20 ** 2).astype(np.float32)[None]       # (slices, n, n)
g = tomo.Geometry(angles=np.linspace(0, np.pi, 90, endpoint=False))
sinogram = tomo.project(disc, g)                                   # (angles, slices, cols)
for name, recon in [("fbp", tomo.fbp(sinogram, g)), ("sirt", tomo.sirt(sinogram, g, iterations=100, min=0)),
                    ("cgls", tomo.cgls(sinogram, g, iterations=20))]:
    print(f"{name}: RMSE {np.sqrt(np.mean((recon - disc) ** 2)):.4f}")


# 3. A prior written in NumPy, hosted by tomo.admm by name like a C++ plugin.
@xrecon.register_prior
class BoxSmooth(xrecon.Prior):
    """3x3 box smoothing of every slice, blended by weight x strength."""
    name = "py.box"
    params = {"weight": 0.003}

    def apply(self, volume, strength):
        s = min(1.0, self.weight * strength)
        padded = np.pad(volume, [(0, 0), (1, 1), (1, 1)], mode="edge")
        box = sum(padded[:, i:i + volume.shape[1], j:j + volume.shape[2]] for i in range(3) for j in range(3)) / 9
        return (1 - s) * volume + s * box


admm = {"version": 1, "devices": "cpu", "stages": [
    {"id": "phantom", "plugin": "sim.phantom", "with": {"kind": "shepp_logan", "size": 64, "slices": 4}},
    {"id": "scan", "plugin": "sim.tomo", "inputs": {"volume": "phantom.volume"},
     "with": {"angles": 45, "noise": "poisson", "photons": 1000, "seed": 1}},
    {"id": "recon", "plugin": "tomo.admm", "inputs": {"projections": "scan.projections"},
     "with": {"iterations": 20, "min": 0, "prior": {"plugin": "py.box"}}},
]}
with_prior = xrecon.run(admm)
truth = with_prior["scan.truth"]
without = xrecon.run(admm, set={"recon.prior": None})["recon.volume"]
for name, recon in [("no prior", without), ("py.box", with_prior["recon.volume"])]:
    print(f"tomo.admm, {name}: RMSE {np.sqrt(np.mean((recon - truth) ** 2)):.4f}")

# 4. Mistakes are Python exceptions that say where and what.
try:
    xrecon.validate("tests/pipelines/invalid/out_of_range_parameter.yaml")
except xrecon.PipelineError as e:
    print(f"PipelineError in {e.file}, line {e.line}, column {e.column}: {e.error}")
try:
    tomo.project(disc.astype(np.float64), g)
except xrecon.InputError as e:
    print("InputError:", e)
