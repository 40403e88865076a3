"""A pipeline stage written in Python, run by name between C++ stages."""
import numpy as np
import pytest

import xrecon


@xrecon.register_stage
class Scale(xrecon.Stage):
    """Multiplies a volume by a factor and adds an offset."""
    name = "py.scale"
    inputs = {"volume": "volume"}
    outputs = {"volume": "volume"}
    params = {"factor": 2.0, "offset": 0.0}
    threads = set()

    def run(self, inputs):
        import threading
        type(self).threads.add(threading.current_thread().name)
        volume = inputs["volume"]
        assert volume.dtype == np.float32 and not volume.flags.writeable
        return volume * self.factor + self.offset


@xrecon.register_stage
class Split(xrecon.Stage):
    """Two outputs: the volume's slices as an image stack and the projections passed through, negated."""
    name = "py.split"
    inputs = {"volume": "volume", "projections": "projections"}
    outputs = {"slices": "image_stack", "projections": "projections"}

    def run(self, inputs):
        p = inputs["projections"]
        assert isinstance(p, xrecon.payloads.Projections)
        return {"slices": inputs["volume"][:, ::2, ::2].astype(np.float64),
                "projections": xrecon.payloads.Projections(-p.data, p.angles, p.center, p.convention, p.pixel_size)}


class Broken(xrecon.Stage):
    name = "py.broken"
    inputs = {"volume": "volume"}
    outputs = {"volume": "volume"}
    params = {"mode": "raise"}

    def run(self, inputs):
        v = inputs["volume"]
        if self.mode == "raise":
            return 1 / 0
        if self.mode == "int":
            return v.astype(np.int32)
        if self.mode == "2d":
            return v[0]
        if self.mode == "list":
            return v.tolist()
        if self.mode == "write":
            v[0, 0, 0] = 1
        return v


xrecon.register_stage(Broken)

PHANTOM = {"id": "phantom", "plugin": "sim.phantom", "with": {"kind": "shepp_logan", "size": 32, "slices": 2}}


def pipeline(*stages):
    return {"version": 1, "devices": "cpu", "stages": [PHANTOM, *stages]}


def scan(source):
    return {"id": "scan", "plugin": "sim.tomo", "inputs": {"volume": source},
            "with": {"angles": 16, "noise": "none"}}


def test_listed_and_validated():
    assert "py.scale" in xrecon.components("stage")
    p = pipeline({"id": "scale", "plugin": "py.scale", "inputs": {"volume": "phantom.volume"}, "with": {"factor": 3}})
    assert xrecon.validate(p) == ["phantom", "scale"]
    with pytest.raises(xrecon.PipelineError, match="factor"):
        xrecon.validate(p, set={"scale.factor": "many"})


def test_transform_is_in_the_output():
    phantom = xrecon.run(pipeline())["phantom.volume"]
    Scale.threads.clear()
    out = xrecon.run(pipeline({"id": "scale", "plugin": "py.scale", "inputs": {"volume": "phantom.volume"},
                               "with": {"factor": 3.0, "offset": 0.5}}))
    assert list(out) == ["scale.volume"]
    np.testing.assert_allclose(out["scale.volume"], phantom * 3 + 0.5, rtol=1e-6)
    assert out["scale.volume"].dtype == np.float32
    assert Scale.threads and "MainThread" not in Scale.threads  # the engine's stage thread


def test_cpp_stage_consumes_the_output():
    direct = xrecon.run(pipeline(scan("phantom.volume")))["scan.projections"]
    scaled = xrecon.run(pipeline({"id": "scale", "plugin": "py.scale", "inputs": {"volume": "phantom.volume"}},
                                 scan("scale.volume")))["scan.projections"]
    assert np.abs(direct.data).max() > 1
    np.testing.assert_allclose(scaled.data, 2 * direct.data, rtol=1e-5, atol=1e-4)
    assert scaled.angles == direct.angles


def test_several_outputs_and_projections():
    out = xrecon.run(pipeline(scan("phantom.volume"),
                              {"id": "split", "plugin": "py.split",
                               "inputs": {"volume": "phantom.volume", "projections": "scan.projections"}},
                              {"id": "fbp", "plugin": "tomo.fbp", "inputs": {"projections": "split.projections"}}))
    assert set(out) == {"split.slices", "fbp.volume", "scan.truth"}
    phantom = xrecon.run(pipeline())["phantom.volume"]
    np.testing.assert_array_equal(out["split.slices"], phantom[:, ::2, ::2])
    direct = xrecon.run(pipeline(scan("phantom.volume"),
                                 {"id": "fbp", "plugin": "tomo.fbp", "inputs": {"projections": "scan.projections"}}))
    np.testing.assert_allclose(out["fbp.volume"], -direct["fbp.volume"], rtol=1e-5, atol=1e-5)


def broken(mode):
    return xrecon.run(pipeline({"id": "b", "plugin": "py.broken", "inputs": {"volume": "phantom.volume"},
                                "with": {"mode": mode}}, scan("b.volume")))


def test_python_exception_fails_the_run():
    with pytest.raises(xrecon.EngineError, match="Python stage 'py.broken' raised in run.*ZeroDivisionError") as caught:
        broken("raise")
    assert isinstance(caught.value.__cause__, ZeroDivisionError)


@pytest.mark.parametrize("mode, message", [
    ("int", r"Python stage 'py.broken', output 'volume': expected a float32 \(or float64\) array, got dtype int32"),
    ("2d", r"Python stage 'py.broken', output 'volume': expected a 3-D array \(slices, rows, cols\), got shape \(32, 32\)"),
    ("list", r"Python stage 'py.broken', output 'volume': expected a NumPy array, got list"),
])
def test_wrong_output_is_a_clear_error(mode, message):
    with pytest.raises(xrecon.InputError, match=message):
        broken(mode)


def test_inputs_are_read_only():
    with pytest.raises(xrecon.EngineError, match="ValueError: assignment destination is read-only") as caught:
        broken("write")
    assert isinstance(caught.value.__cause__, ValueError)


def test_bad_classes_are_refused():
    class NoPorts(xrecon.Stage):
        name = "py.noports"
    with pytest.raises(ValueError, match="at least one output"):
        xrecon.register_stage(NoPorts)

    class BadKind(xrecon.Stage):
        name = "py.badkind"
        outputs = {"volume": "tensor"}
    with pytest.raises(ValueError, match="kind must be one of volume, image_stack, projections"):
        xrecon.register_stage(BadKind)
    with pytest.raises(TypeError, match="subclass of xrecon.Stage"):
        xrecon.register_stage(Scale())

    class Plugin(xrecon.Stage):
        name = "tomo.fbp"
        outputs = {"volume": "volume"}
    with pytest.raises(xrecon.InputError, match="tomo.fbp"):
        xrecon.register_stage(Plugin)
