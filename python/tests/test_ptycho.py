"""Ptychography through the bindings: the forward model against NumPy's FFT, the gradient
against finite differences, and a reconstruction that lowers the cost."""
import numpy as np
import pytest

import xrecon
from xrecon import ptycho


def scan(seed=3, size=24, probe_size=8, step=4):
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    obj = np.exp(1j * 0.5 * np.sin(xx / 3.0) * np.cos(yy / 4.0)).astype(np.complex64)
    py_, px = np.mgrid[:probe_size, :probe_size] - (probe_size - 1) / 2
    probe = np.exp(-(px ** 2 + py_ ** 2) / 8.0).astype(np.complex64)
    starts = np.arange(0, size - probe_size + 1, step, dtype=np.float64)
    positions = np.array([(r, c) for r in starts for c in starts], dtype=np.float64)
    return obj, probe, positions, rng


def test_farfield_is_the_centred_orthonormal_fft_of_the_exit_wave():
    obj, probe, positions, _ = scan()
    far = ptycho.farfield(obj, probe, positions)
    assert far.shape == (len(positions), 8, 8) and far.dtype == np.complex64
    for j, (r, c) in enumerate(positions.astype(int)):
        exit_wave = probe * obj[r:r + 8, c:c + 8]
        expected = np.fft.fftshift(np.fft.fft2(exit_wave, norm="ortho"))
        np.testing.assert_allclose(far[j], expected, atol=2e-5)


def test_object_gradient_matches_finite_differences():
    obj, probe, positions, rng = scan()
    patterns = (np.abs(ptycho.farfield(obj, probe, positions)) ** 2).astype(np.float32)
    guess = (obj * (1 + 0.2 * rng.standard_normal(obj.shape))).astype(np.complex64)  # off the minimum
    g = ptycho.object_gradient(patterns, guess, probe, positions).astype(np.complex128)
    h = (rng.standard_normal(obj.shape) + 1j * rng.standard_normal(obj.shape)).astype(np.complex64) * 1e-2
    t = 1e-1

    def f(o):
        return ptycho.cost(patterns, ptycho.farfield(o.astype(np.complex64), probe, positions))

    numeric = (f(guess + t * h) - f(guess - t * h)) / (2 * t)
    analytic = 2 * np.real(np.vdot(g, h.astype(np.complex128)))
    assert abs(numeric - analytic) <= 2e-2 * abs(analytic)


def test_reconstruct_lowers_the_cost_and_leaves_its_inputs():
    obj, probe, positions, _ = scan()
    patterns = (np.abs(ptycho.farfield(obj, probe, positions)) ** 2).astype(np.float32)
    start = np.ones_like(obj)
    result, probe_out, costs = ptycho.reconstruct(patterns, positions, start, probe, iterations=30)
    assert np.array_equal(start, np.ones_like(obj))
    assert result.shape == obj.shape and probe_out.shape == probe.shape
    assert costs[-1] < 0.05 * costs[0] and all(b <= a for a, b in zip(costs, costs[1:]))


def test_bad_arguments_are_refused_clearly():
    obj, probe, positions, _ = scan()
    with pytest.raises(xrecon.InputError, match="expected dtype complex64, got complex128"):
        ptycho.farfield(obj.astype(np.complex128), probe, positions)
    with pytest.raises(xrecon.InputError, match=r"positions: expected shape \(N, 2\)"):
        ptycho.farfield(obj, probe, np.zeros((4, 3)))
    with pytest.raises(xrecon.InputError, match="expected dtype float64, got float32"):
        ptycho.farfield(obj, probe, positions.astype(np.float32))
    with pytest.raises(xrecon.InputError):  # a window outside the object: the engine's own check
        ptycho.farfield(obj, probe, positions + 100)
    patterns = np.zeros((len(positions), 8, 8), np.float32)
    with pytest.raises(xrecon.InputError, match="positions for"):
        ptycho.reconstruct(patterns[:3], positions, obj, probe)
    with pytest.raises(xrecon.InputError, match="likelihood 'l1'"):
        ptycho.cost(patterns, ptycho.farfield(obj, probe, positions), likelihood="l1")
