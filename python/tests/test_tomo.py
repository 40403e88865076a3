"""The tomography operators through the bindings: adjointness, reconstructions, bad arguments."""
import numpy as np
import pytest

import xrecon
from xrecon import tomo

from conftest import disc_volume


def geometry(angles=30, **kw):
    return tomo.Geometry(np.linspace(0, np.pi, angles, endpoint=False), **kw)


@pytest.mark.parametrize("convention,center", [("tomopy", None), ("astra", None), ("tomopy", 14.3)])
def test_backproject_is_the_adjoint_of_project(convention, center):
    rng = np.random.default_rng(7)
    g = geometry(convention=convention, center=center)
    x = rng.standard_normal((3, 32, 32)).astype(np.float32)
    y = rng.standard_normal((30, 3, 40)).astype(np.float32)
    ax = tomo.project(x, g, cols=40)
    aty = tomo.backproject(y, g, n=32)
    assert ax.shape == (30, 3, 40) and aty.shape == (3, 32, 32)
    lhs = np.vdot(ax.astype(np.float64), y.astype(np.float64))
    rhs = np.vdot(x.astype(np.float64), aty.astype(np.float64))
    assert abs(lhs - rhs) <= 1e-5 * max(abs(lhs), abs(rhs))


def test_a_slice_and_a_sinogram_keep_their_rank():
    disc = disc_volume(1, 32)[0]
    g = geometry()
    sinogram = tomo.project(disc, g)
    assert sinogram.shape == (30, 32)
    np.testing.assert_array_equal(sinogram, tomo.project(disc[None], g)[:, 0, :])
    assert tomo.fbp(sinogram, g).shape == (32, 32)


def test_fbp_sirt_and_cgls_recover_a_disc():
    truth = disc_volume(2, 32)
    g = geometry(90)
    b = tomo.project(truth, g)
    interior = disc_volume(2, 32, radius=0.4) > 0  # away from the disc's partial edge pixels
    for volume in (tomo.fbp(b, g), tomo.sirt(b, g, iterations=200, min=0), tomo.cgls(b, g, iterations=30)):
        assert volume.shape == truth.shape
        assert abs(volume[interior].mean() - 1) < 0.03
        assert np.sqrt(np.mean((volume - truth) ** 2)) < 0.15


def test_cgls_reports_and_honours_the_proximal_term():
    truth = disc_volume(1, 32)
    g = geometry(45)
    b = tomo.project(truth, g)
    x, info = tomo.cgls(b, g, iterations=10, full_output=True)
    assert info["iterations"] == 10 and info["residual_norm"] < 0.05 * info["initial_residual_norm"]
    v = np.full_like(truth, 0.5)
    pulled = tomo.cgls(b, g, iterations=10, rho=1e4, v=v)
    assert np.abs(pulled - 0.5).max() < np.abs(x - 0.5).max()  # a strong pull stays near v


def test_sirt_starts_from_x0_without_changing_it():
    truth = disc_volume(1, 32)
    g = geometry()
    b = tomo.project(truth, g)
    x0 = tomo.sirt(b, g, iterations=5)
    kept = x0.copy()
    continued = tomo.sirt(b, g, iterations=5, x0=x0)
    np.testing.assert_array_equal(x0, kept)
    np.testing.assert_allclose(continued, tomo.sirt(b, g, iterations=10), atol=1e-6)


def test_the_inputs_are_read_in_place():
    # The result of a borrowed input is the same whether NumPy owns the bytes or views them.
    base = np.zeros((2, 32, 33), dtype=np.float32)
    base[:, :, :32] = disc_volume(2, 32)
    view = base[:, :, :32]
    with pytest.raises(xrecon.InputError, match="not C-contiguous"):
        tomo.project(view, geometry())
    np.testing.assert_array_equal(tomo.project(np.ascontiguousarray(view), geometry()),
                                  tomo.project(disc_volume(2, 32), geometry()))


def test_bad_arguments_are_refused_clearly():
    g = geometry()
    volume = disc_volume(2, 32)
    with pytest.raises(xrecon.InputError, match=r"expected dtype float32, got float64 \(convert with .astype"):
        tomo.project(volume.astype(np.float64), g)
    with pytest.raises(xrecon.InputError, match="not C-contiguous"):
        tomo.project(np.asfortranarray(volume), g)
    with pytest.raises(xrecon.InputError, match="not C-contiguous"):
        tomo.project(volume.transpose(0, 2, 1), g)
    with pytest.raises(xrecon.InputError, match=r"expected a 2-D or 3-D array, got shape \(32,\)"):
        tomo.project(volume[0, 0], g)
    with pytest.raises(xrecon.InputError, match="square"):
        tomo.project(np.zeros((2, 32, 16), np.float32), g)
    with pytest.raises(xrecon.InputError, match="20 projections for 30 angles"):
        tomo.backproject(np.zeros((20, 2, 32), np.float32), g)
    with pytest.raises(xrecon.InputError, match="expected a NumPy array of float32, got a list"):
        tomo.fbp([[1.0, 2.0]], g)
    with pytest.raises(xrecon.InputError, match="filter|window"):
        tomo.fbp(np.zeros((30, 2, 32), np.float32), g, filter="box")
    with pytest.raises(xrecon.InputError, match="convention 'skimage'"):
        tomo.project(volume, geometry(convention="skimage"))
    with pytest.raises(xrecon.InputError, match="x0: shape"):
        tomo.sirt(np.zeros((30, 2, 32), np.float32), g, x0=np.zeros((3, 32, 32), np.float32))
    with pytest.raises(xrecon.InputError, match="give v too"):
        tomo.cgls(np.zeros((30, 2, 32), np.float32), g, rho=1.0)
    with pytest.raises(TypeError, match="xrecon.tomo.Geometry"):
        tomo.project(volume, np.linspace(0, 1, 30))
    with pytest.raises(xrecon.InputError):  # the center off the detector: the engine's own check
        tomo.project(volume, geometry(center=500.0))
