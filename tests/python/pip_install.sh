#!/usr/bin/env bash
# ctest python.pip_install: `pip install .` from the source tree into its own virtual environment,
# as a user does, then the comparison with the command on configs/tomo_sirt.yaml against that
# installed package (no PYTHONPATH: the wheel's own module, libraries and plugins).
# Usage: pip_install.sh PYTHON SOURCE_DIR WHEEL_BUILD_DIR XRECON_COMMAND
set -euo pipefail
python=$1 source=$2 wheel_build=$3 cli=$4
venv=${XRECON_PYTHON_INSTALL_VENV:-$HOME/.cache/xrecon-python-install}
modules=(pytest h5py scikit_build_core)
source "$(dirname "$0")/venv.sh"
make_venv "$python" pytest h5py scikit-build-core
# No build isolation: the venv holds scikit-build-core, and a kept build folder makes reinstalls
# incremental. The jobs are capped like the rest of the suite's builds.
export CMAKE_BUILD_PARALLEL_LEVEL=${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}
"$venv/bin/pip" install -q --no-build-isolation -C build-dir="$wheel_build" "$source"
cd "$wheel_build"  # not the source tree: `import xrecon` must find the installed package
"$venv/bin/python" - <<'PY'
import os, xrecon
print("installed:", os.path.dirname(xrecon.__file__), "plugins:", len(xrecon.components()), "components")
assert "site-packages" in xrecon.__file__, xrecon.__file__
PY
XRECON_CLI=$cli exec "$venv/bin/python" -m pytest -q -p no:cacheprovider \
  "$source/python/tests/test_pipelines.py" -k "equals_the_command or validate_reports"
