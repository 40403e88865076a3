"""Parallel-beam tomography on NumPy arrays: the engine's projector pair, FBP, SIRT and CGLS.

Arrays are float32 and C-contiguous (refused otherwise, with the fix); volumes are (slices, n, n)
and projections (angles, rows, cols), or one slice (n, n) and one sinogram (angles, cols). Inputs
are read in place, not copied. Axes, angle direction and centre are TomoPy's, ASTRA's and
scikit-image's (docs/geometry.md).
"""
import dataclasses
from typing import Optional, Sequence

import numpy as np

from ._engine import _core


@dataclasses.dataclass
class Geometry:
    """angles: radians, one per projection. center: the detector column of the rotation axis
    (sub-pixel); None puts it where `convention` does: "tomopy" column cols // 2 (TomoPy,
    scikit-image), "astra" (cols - 1) / 2 (ASTRA)."""
    angles: Sequence[float]
    center: Optional[float] = None
    convention: str = "tomopy"

    def _core(self):
        angles = np.asarray(self.angles, dtype=np.float64)
        if angles.ndim != 1:
            raise ValueError(f"angles: expected one angle per projection (1-D), got shape {angles.shape}")
        return _core._TomoGeometry(angles.tolist(), self.center, self.convention)


def _geometry(geometry):
    if isinstance(geometry, Geometry):
        return geometry._core()
    raise TypeError(f"geometry: expected xrecon.tomo.Geometry, got {type(geometry).__name__}")


def project(volume, geometry, cols=None):
    """Projections (angles, slices, cols) of a volume (slices, n, n): the Joseph projector A.
    cols defaults to n."""
    return _core.tomo_project(volume, _geometry(geometry), cols)


def backproject(projections, geometry, n=None):
    """A^T: the exact adjoint of project(), a volume (rows, n, n); n defaults to cols."""
    return _core.tomo_backproject(projections, _geometry(geometry), n)


def fbp(projections, geometry, n=None, filter="ram-lak"):
    """Filtered backprojection; filter: ram-lak, shepp-logan, cosine, hann, hamming or parzen."""
    return _core.tomo_fbp(projections, _geometry(geometry), n, filter)


def sirt(projections, geometry, iterations=100, relaxation=1.0, min=None, max=None, x0=None, n=None):
    """SIRT as ASTRA defines it, with optional bounds; x0 (not changed) is the start image."""
    return _core.tomo_sirt(projections, _geometry(geometry), n, iterations, relaxation, min, max, x0)


def cgls(projections, geometry, iterations=20, x0=None, rho=0.0, v=None, n=None, full_output=False):
    """CGLS on ||A x - b||^2 (+ rho ||x - v||^2 when v is given). With full_output, also a dict of
    the iterations done and the residual norms."""
    volume, info = _core.tomo_cgls(projections, _geometry(geometry), n, iterations, x0, rho, v)
    return (volume, info) if full_output else volume
