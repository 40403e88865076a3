"""xrecon from Python: run pipelines, call the tomography and ptychography operators on NumPy
arrays, and write a Prior (hosted by the engine's ADMM) or a pipeline stage, run by name (docs/python.md)."""
from . import payloads, ptycho, tomo
from ._engine import _core
from .errors import Diagnostic, EngineError, InputError, NotCompiledError, PipelineError
from .pipelines import components, run, validate
from .prior import Enhancer, Prior, register_prior
from .stage import Stage, register_stage

__version__ = _core.version

__all__ = [
    "Diagnostic", "EngineError", "Enhancer", "InputError", "NotCompiledError", "PipelineError", "Prior", "Stage",
    "components", "payloads", "ptycho", "register_prior", "register_stage", "run", "tomo", "validate",
]
