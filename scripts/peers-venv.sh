#!/usr/bin/env bash
# Makes a Python virtual environment with the peers the `peers` tests compare against
# (scikit-image, h5py, and ASTRA's CPU wheel for benchmarks/peers) and prints the line that points
# the tests at it. Idempotent. Usage:
#   eval "$(scripts/peers-venv.sh)"    # then configure and run ctest -L peers
set -euo pipefail
venv=${XRECON_PEERS_VENV:-$HOME/.cache/xrecon-peers}
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
echo "export XRECON_PEERS_PYTHON=$venv/bin/python"
