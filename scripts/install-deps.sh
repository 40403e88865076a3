#!/usr/bin/env bash
# Installs every Debian package xrecon needs to build and test. Idempotent: packages already
# present are left alone, so CI and a fresh machine run the same script.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git
  libhdf5-dev hdf5-tools libfftw3-dev libboost-dev libboost-filesystem-dev
  libyaml-cpp-dev libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev  # xrecon describe --json
  libpng-dev libomp-dev
  libtiff-dev  # io.tiff: TIFF stacks read through libtiff
  libelf-dev  # plugin stamps read from the file before a library is loaded
  libopenmpi-dev openmpi-bin
  libdnnl-dev
  libonnx-dev libprotobuf-dev  # ONNX import; libonnx-dev's headers include protobuf's but do not depend on them
  python3-matplotlib  # tools/plot_scaling.py: the plots of xrecon bench scaling
  python3-dev pybind11-dev python3-venv  # the Python package (python/, docs/python.md) and its tests' environment
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
echo "xrecon dependencies: all present"
