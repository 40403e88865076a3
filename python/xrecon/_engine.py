"""The compiled module, loaded once with the engine's plugins (from the package, a build tree,
and XRECON_PLUGIN_PATH first, as the xrecon command searches)."""
import contextlib
import os
import threading
import warnings

# Several stages run OpenMP regions at once; idle workers that spin steal their cores (the
# xrecon command sets the same). Before the compiled module loads the OpenMP runtime.
os.environ.setdefault("OMP_WAIT_POLICY", "passive")

from . import _core  # noqa: E402
from . import _paths  # noqa: E402


def plugin_folders():
    """XRECON_PLUGIN_PATH's folders (first), then this package's own plugins."""
    folders = [f for f in os.environ.get("XRECON_PLUGIN_PATH", "").split(":") if f]
    own = _paths.PLUGIN_DIR
    if not os.path.isabs(own):
        own = os.path.join(os.path.dirname(os.path.abspath(__file__)), own)
    return folders + [own]


for _problem in _core.load_plugins(plugin_folders()):
    warnings.warn(_problem, RuntimeWarning, stacklevel=2)
_core.set_log_level("warning")

# Registering a Prior changes the component list that running pipelines read: not while one runs.
_runs_lock = threading.Lock()
_active_runs = 0


@contextlib.contextmanager
def running():
    global _active_runs
    with _runs_lock:
        _active_runs += 1
    try:
        yield
    finally:
        with _runs_lock:
            _active_runs -= 1


def register_when_idle(register):
    with _runs_lock:
        if _active_runs:
            raise RuntimeError("a Prior or Stage cannot be registered while a pipeline runs in this process")
        register()
