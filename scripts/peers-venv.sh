#!/usr/bin/env bash
# Makes a Python virtual environment with the peers the `peers` tests and benchmarks/peers compare
# against (scikit-image, h5py, ASTRA's CPU wheel, and PtyPy for benchmarks/peers/ptycho_vs_ptypy.py)
# and prints the line that points the tests at it. Idempotent. Usage:
#   eval "$(scripts/peers-venv.sh)"    # then configure and run ctest -L peers
#
# PtyPy is optional: it is not on PyPI (2026-12-04: `pip index versions ptypy` finds none), so it
# comes from its GitHub repository through pip when that is reachable (PTYPY_REF: tag or branch,
# default 0.8.1). When it cannot be installed the rest of the environment is made all the same,
# the reason goes to stderr, and the attempt is not repeated for a day (a marker in the venv;
# XRECON_PEERS_RETRY_PTYPY=1 retries at once), so that CI does not pay for it on every run.
set -euo pipefail
venv=${XRECON_PEERS_VENV:-$HOME/.cache/xrecon-peers}
ptypy_ref=${PTYPY_REF:-0.8.1}
ptypy_repo=https://github.com/ptycho/ptypy
if ! "$venv/bin/python" -c 'import skimage, h5py, astra' 2>/dev/null; then
  if ! python3 -m venv "$venv" >/dev/null 2>&1; then
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends python3-venv >&2
    python3 -m venv "$venv"
  fi
  "$venv/bin/pip" install -q scikit-image h5py astra-toolbox >&2
fi

# PtyPy: from PyPI if it is ever published there, else from GitHub; never fatal.
marker="$venv/.ptypy-unavailable"
if ! "$venv/bin/python" -c 'import ptypy' 2>/dev/null; then
  recent_failure=false
  if [ -f "$marker" ] && [ "${XRECON_PEERS_RETRY_PTYPY:-0}" != 1 ] &&
     [ -n "$(find "$marker" -mmin -1440 2>/dev/null)" ]; then
    recent_failure=true
  fi
  if ! $recent_failure; then
    if "$venv/bin/pip" install -q ptypy scipy >/dev/null 2>&1; then
      rm -f "$marker"
    elif timeout 20 git ls-remote --exit-code "$ptypy_repo" "$ptypy_ref" >/dev/null 2>&1 &&
         "$venv/bin/pip" install -q scipy "git+$ptypy_repo@$ptypy_ref" >&2; then
      rm -f "$marker"
    else
      echo "PtyPy not installed: not on PyPI, and $ptypy_repo@$ptypy_ref not reachable or not installable" \
           "(benchmarks/peers/ptycho_vs_ptypy.py then runs xrecon alone; retried after a day)" >&2
      date -u +%FT%TZ > "$marker"
    fi
  else
    echo "PtyPy not installed (failed $(cat "$marker"); XRECON_PEERS_RETRY_PTYPY=1 retries now)" >&2
  fi
fi
if "$venv/bin/python" -c 'import ptypy' 2>/dev/null; then rm -f "$marker"; fi
echo "export XRECON_PEERS_PYTHON=$venv/bin/python"
