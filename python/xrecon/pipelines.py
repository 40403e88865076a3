"""Pipelines from Python: the same files, checks and stages as `xrecon run` and `xrecon validate`."""
import json
import os

from ._engine import _core, running

# The name diagnostics give a pipeline passed as a dict (it is read as the JSON text below, and
# JSON is YAML: a line and column point into json.dumps(pipeline, indent=2)).
DICT_PIPELINE = "<pipeline dict>"


def _source(pipeline):
    if isinstance(pipeline, dict):
        return json.dumps(pipeline, indent=2), DICT_PIPELINE
    if isinstance(pipeline, (str, os.PathLike)):
        return None, os.fspath(pipeline)
    raise TypeError(f"pipeline: expected a file path or a dict, got {type(pipeline).__name__}")


def _overrides(values):
    """`--set` arguments from {"stage.param": value}: strings as written (YAML reads them as the
    command line's would), anything else as JSON (numbers, booleans, None as null, dicts)."""
    if values is None:
        return []
    if not isinstance(values, dict):
        raise TypeError(f"set: expected a dict {{'stage.param': value}}, got {type(values).__name__}")
    return [f"{key}={value if isinstance(value, str) else json.dumps(value)}" for key, value in values.items()]


def run(pipeline, set=None, devices=None, communicator=None, log_level="warning"):
    """Validates and runs a pipeline (a file path, or a dict of the file's content) and returns its
    terminal outputs: {"stage.port": value} for every output no other stage passes on (unread,
    or read only by writers). A volume is a float32 NumPy array (slices, rows, cols); projections
    and scans are the dataclasses of xrecon.payloads; a streaming port gives a list. Writers write
    their files as `xrecon run` does.

    set: {"recon.iterations": 20, "recon.prior.with.lambda": 0.004} as `--set`.
    devices: "cpu", "cpu:4", "cuda:0,1", ... as `--devices`.
    Raises PipelineError (a ValueError, with file/line/column) for a pipeline that fails its
    checks, InputError for bad input found while running, EngineError for other failures;
    KeyboardInterrupt cancels the run as Ctrl-C does the command's.
    """
    text, path = _source(pipeline)
    _core.set_log_level(log_level)
    with running():
        return _core.run_pipeline(text, path, _overrides(set), devices, communicator, False)


def validate(pipeline, set=None, devices=None, communicator=None):
    """Checks a pipeline as `xrecon validate` does, running nothing; returns its stage ids in the
    order they run, or raises PipelineError listing every problem with its file, line and column."""
    text, path = _source(pipeline)
    with running():
        return _core.run_pipeline(text, path, _overrides(set), devices, communicator, True)


def components(kind=None):
    """The component names loaded: every one, or those of a kind ("stage", "TomoSolver",
    "PtychoSolver", "Prior"); Python priors registered so far included."""
    return _core.component_names(kind or "")
