"""The pipeline messages that carry more than one array, as xrecon.run returns them."""
import dataclasses

import numpy as np


@dataclasses.dataclass
class Projections:
    """Parallel-beam projections (angles, rows, cols) of line integrals; angles in radians,
    `center` the detector column of the rotation axis (docs/geometry.md)."""
    data: np.ndarray
    angles: list
    center: float
    convention: str
    pixel_size: float


@dataclasses.dataclass
class ComplexProjections:
    """Complex transmission per angle (angles, rows, cols), as ptychography recovers it."""
    data: np.ndarray
    angles: list


@dataclasses.dataclass
class PtychoScan:
    """A far-field ptychography scan: patterns (N, H, W), positions (N, 2) of each probe window's
    top-left corner in object pixels, the probe (H, W), the object grid (rows, cols)."""
    patterns: np.ndarray
    positions: np.ndarray
    probe: np.ndarray
    object_shape: tuple
    angle: float
    energy: float
    distance: float
    detector_pixel: float
