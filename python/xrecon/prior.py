"""Priors written in Python, hosted by the engine's ADMM (tomo.admm, joint.admm) by name, and the
learned prior's network on NumPy images."""
import os

import numpy as np

from ._component import check_component_class
from ._engine import _core, register_when_idle


class Prior:
    """A Prior role in Python: x <- prox(x, strength). Subclass it, set `name` (the component
    name a pipeline's `prior: {plugin: NAME}` gives) and, optionally, `params` ({name: default};
    the default's type, bool, int, float or str, is what a pipeline file may give) and `halo`
    (slices beyond each side of a slab that apply() reads: tomo.admm then widens each device's
    slab by that many). The engine makes one instance per device with the parameters as keyword
    arguments (the base __init__ stores them as attributes).

    Override apply(volume, strength), which changes the float32 volume (slices, rows, cols) in place
    or returns the new one; or enhance(volume) -> volume, which the default apply() blends in as
    (1 - s) x + s enhance(x), s = min(1, weight * strength) (`weight` a parameter, default 1). A
    host passes strength = rho0 / rho; 0 must leave the volume unchanged. The volume apply() gets
    is a view of the engine's memory, valid during the call: keep a copy, not the array.
    """
    name = None
    params = {}
    halo = 0

    def __init__(self, **params):
        for key, value in params.items():
            setattr(self, key, value)

    def prepare(self, shape):
        """Called once before the first iteration with the shape apply() will get."""

    def enhance(self, volume):
        raise NotImplementedError(f"{type(self).__name__}: override apply(volume, strength) or enhance(volume)")

    def apply(self, volume, strength):
        s = min(1.0, getattr(self, "weight", 1.0) * strength)
        if s <= 0:
            return None
        return (1 - s) * volume + s * np.asarray(self.enhance(volume), dtype=np.float32)


def register_prior(cls):
    """Makes the Prior subclass `cls` a component under cls.name, for the pipelines this process
    runs; usable as a class decorator. A name a plugin library owns is refused; registering a name
    again replaces the earlier class."""
    check_component_class(cls, Prior, "register_prior", "py.smooth")
    params = dict(cls.params)
    if cls.apply is Prior.apply:
        params.setdefault("weight", 1.0)
    if not isinstance(cls.halo, int) or cls.halo < 0:
        raise ValueError(f"{cls.__name__}.halo: expected a whole number of slices >= 0, got {cls.halo!r}")
    summary = (cls.__doc__ or f"a Prior written in Python ({cls.__module__}.{cls.__qualname__})").strip().splitlines()[0]
    register_when_idle(lambda: _core.register_prior(cls.name, cls, params, cls.halo, summary))
    return cls


class Enhancer:
    """A learned prior's network (a model file: docs/model-file.md, e.g. models/tomogan-foam.h5)
    bound to a backend ("auto": oneDNN when built, else the reference loops; "cudnn" on a GPU).
    enhance(image) takes a float32 (H, W) image, or (channels, H, W) for a 3-channel model;
    enhance_stack(stack) a (slices, H, W) stack, a 3-channel model seeing slices z-1, z, z+1."""

    def __init__(self, model, backend="auto", tile=1024):
        self._enhancer = _core._Enhancer(os.fspath(model), backend, tile)

    @property
    def backend(self):
        return self._enhancer.backend

    @property
    def input_channels(self):
        return self._enhancer.input_channels

    def enhance(self, image):
        return self._enhancer.enhance(image)

    def enhance_stack(self, stack):
        return self._enhancer.enhance_stack(stack)
