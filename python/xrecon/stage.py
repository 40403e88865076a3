"""Pipeline stages written in Python, run by name inside a pipeline like a C++ plugin's stage."""
from ._component import check_component_class
from ._engine import _core, register_when_idle

KINDS = ("volume", "image_stack", "projections")


class Stage:
    """A pipeline stage in Python. Subclass it, set `name` (the dotted component name a pipeline's
    `plugin:` gives), `inputs` and `outputs` ({port: kind}, kind one of "volume", "image_stack",
    "projections") and, optionally, `params` ({name: default}; the default's type, bool, int,
    float or str, is what a pipeline file may give). The engine makes one instance per run with
    the parameters as keyword arguments (the base __init__ stores them as attributes).

    Override run(inputs) -> outputs. `inputs` is {port: value} for each connected input, one
    message each: a volume or image stack as a read-only float32 (slices, rows, cols) NumPy array,
    projections as an xrecon.payloads.Projections. Return the value of the one output, or a dict
    {port: value}: a float32 (or float64, converted) 3-D array for a volume or image stack, an
    xrecon.payloads.Projections for projections. The engine calls run() on its stage thread with
    the GIL held for that call only; an exception fails the run (the exception becomes the
    __cause__ of the xrecon.EngineError that xrecon.run raises).
    """
    name = None
    inputs = {}
    outputs = {}
    params = {}

    def __init__(self, **params):
        for key, value in params.items():
            setattr(self, key, value)

    def run(self, inputs):
        raise NotImplementedError(f"{type(self).__name__}: override run(inputs)")


def _ports(cls, attribute):
    ports = getattr(cls, attribute)
    if not isinstance(ports, dict):
        raise ValueError(f"{cls.__name__}.{attribute}: expected a dict {{port: kind}}, got {ports!r}")
    for port, kind in ports.items():
        if not isinstance(port, str) or not port.isidentifier():
            raise ValueError(f"{cls.__name__}.{attribute}: port names are identifiers, got {port!r}")
        if kind not in KINDS:
            raise ValueError(f"{cls.__name__}.{attribute}['{port}']: kind must be one of {', '.join(KINDS)}, got {kind!r}")
    return list(ports.items())


def register_stage(cls):
    """Makes the Stage subclass `cls` a component under cls.name, for the pipelines this process
    runs; usable as a class decorator. A name a plugin library owns is refused; registering a name
    again replaces the earlier class."""
    check_component_class(cls, Stage, "register_stage", "py.scale")
    inputs, outputs = _ports(cls, "inputs"), _ports(cls, "outputs")
    if not outputs:
        raise ValueError(f"{cls.__name__}.outputs: a stage needs at least one output")
    summary = (cls.__doc__ or f"a stage written in Python ({cls.__module__}.{cls.__qualname__})").strip().splitlines()[0]
    register_when_idle(lambda: _core.register_stage(cls.name, cls, dict(cls.params), inputs, outputs, summary))
    return cls
