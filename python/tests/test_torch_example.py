"""python/examples/torch_prior.py, reduced (--quick): a PyTorch denoiser as tomo.admm's prior
lowers the RMSE. Runs under this interpreter when it has torch, else under the interpreter the
test venv was made from (the venv does not see its site-packages); skipped when neither has it."""
import os
import re
import subprocess
import sys

import pytest

from conftest import REPO


def interpreter_with_torch():
    for python in dict.fromkeys([sys.executable, getattr(sys, "_base_executable", sys.executable)]):
        if subprocess.run([python, "-c", "import torch, numpy"], capture_output=True).returncode == 0:
            return python
    return None


def test_torch_denoiser_prior_lowers_rmse():
    python = interpreter_with_torch()
    if python is None:
        pytest.skip("PyTorch is not importable (pip install torch, or Debian's python3-torch for the system python)")
    import xrecon
    env = dict(os.environ, PYTHONPATH=os.path.dirname(os.path.dirname(xrecon.__file__)))
    result = subprocess.run([python, str(REPO / "python/examples/torch_prior.py"), "--quick"], cwd=REPO, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr
    without = float(re.search(r"without a prior: ([0-9.]+)", result.stdout).group(1))
    with_prior = float(re.search(r"with the PyTorch denoiser: ([0-9.]+)", result.stdout).group(1))
    assert with_prior < 0.85 * without, result.stdout
