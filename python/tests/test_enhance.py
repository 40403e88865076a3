"""The learned prior's network on NumPy images."""
import numpy as np
import pytest

import xrecon


def test_enhance_a_stack_with_the_shipped_model(repo):
    enhancer = xrecon.Enhancer(repo / "models/tomogan-foam.h5")
    assert enhancer.backend in ("onednn", "reference")
    rng = np.random.default_rng(1)
    stack = rng.random((3, 64, 64), dtype=np.float32)
    out = enhancer.enhance_stack(stack)
    assert out.shape == stack.shape and out.dtype == np.float32 and np.isfinite(out).all()
    np.testing.assert_array_equal(out, enhancer.enhance_stack(stack))  # deterministic
    if enhancer.input_channels == 1:
        np.testing.assert_allclose(enhancer.enhance(stack[1]), out[1], atol=1e-6)
    else:
        np.testing.assert_allclose(enhancer.enhance(np.ascontiguousarray(stack)), out[1], atol=1e-5)


def test_bad_input_is_refused(repo):
    enhancer = xrecon.Enhancer(repo / "models/tomogan-foam.h5")
    with pytest.raises(xrecon.InputError, match="float32"):
        enhancer.enhance_stack(np.zeros((3, 64, 64)))
    with pytest.raises(xrecon.InputError, match="NaN|finite|Inf"):
        enhancer.enhance_stack(np.full((3, 64, 64), np.nan, np.float32))
    with pytest.raises(xrecon.InputError):
        xrecon.Enhancer(repo / "models/no_such_model.h5")
    with pytest.raises(xrecon.InputError, match="backend 'tpu'"):
        xrecon.Enhancer(repo / "models/tomogan-foam.h5", backend="tpu")
