#!/usr/bin/env bash
# ctest python.pytest: python/tests with pytest against the module of this build.
# Usage: run_pytest.sh PYTHON BUILD/python TESTS_DIR XRECON_COMMAND
set -euo pipefail
python=$1 package_dir=$2 tests=$3 cli=$4
venv=${XRECON_PYTHON_VENV:-$HOME/.cache/xrecon-python}
modules=(numpy pytest h5py)  # h5py reads the command's result files to compare with
source "$(dirname "$0")/venv.sh"
make_venv "$python" numpy pytest h5py
export PYTHONPATH=$package_dir XRECON_CLI=$cli
cd "$tests"
exec "$venv/bin/python" -m pytest -q -p no:cacheprovider "$tests"
