"""Far-field ptychography on NumPy arrays (single probe mode, xrecon/ptycho/ptycho.hpp).

object: complex64 (rows, cols); probe: complex64 (h, w); positions: float64 (N, 2), the (row,
col) of each probe window's top-left corner in object pixels; patterns: float32 (N, H, W)
intensities with zero frequency at the centre. Inputs are read in place, not copied.
"""
from ._engine import _core


def farfield(object, probe, positions, detector_shape=None):
    """The far fields F(P * crop_j(object)) (N, H, W), complex64; H x W is the probe's size unless
    detector_shape says otherwise. |farfield|^2 are the noise-free patterns."""
    return _core.ptycho_farfield(object, probe, positions, None if detector_shape is None else tuple(detector_shape))


def cost(patterns, farfield, likelihood="gaussian"):
    """Gaussian: sum (|F e| - sqrt(d))^2. Poisson: sum |F e|^2 - d log(|F e|^2 + eps)."""
    return _core.ptycho_cost(patterns, farfield, likelihood)


def object_gradient(patterns, object, probe, positions, likelihood="gaussian"):
    """d cost / d conj(object) (Wirtinger): d/dt cost(object + t h) = 2 Re <g, h>."""
    return _core.ptycho_object_gradient(patterns, object, probe, positions, likelihood)


def probe_gradient(patterns, object, probe, positions, likelihood="gaussian"):
    """d cost / d conj(probe)."""
    return _core.ptycho_probe_gradient(patterns, object, probe, positions, likelihood)


def reconstruct(patterns, positions, object, probe, iterations=50, likelihood="gaussian", recover_probe=False,
                max_amplitude=None):
    """Dai-Yuan conjugate gradients from `object` and `probe` (not changed). Returns
    (object, probe, costs), the cost after each iteration."""
    return _core.ptycho_reconstruct(patterns, positions, object, probe, iterations, likelihood, recover_probe,
                                    max_amplitude)
