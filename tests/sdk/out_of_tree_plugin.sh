#!/usr/bin/env bash
# usage: out_of_tree_plugin.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1
source=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cmake --install "$build" --prefix "$work/prefix" > "$work/install.log"
cmake -S "$source/sdk/examples/hello_plugin" -B "$work/hello-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$work/prefix" -DCMAKE_BUILD_TYPE=Release > "$work/configure.log"
cmake --build "$work/hello-build" > "$work/build.log"

cd "$work"
export XRECON_PLUGIN_PATH="$work/hello-build"
"$work/prefix/bin/xrecon" plugins | tee plugins.txt
grep -q "hello.scale  \[stage\]" plugins.txt
grep -q "^sim " plugins.txt  # the installed plugins are found next to the installed tool
"$work/prefix/bin/xrecon" run "$source/sdk/examples/hello_plugin/hello.yaml" 2>&1 | tee run.log
grep -q "hello.scale: multiplied (1x64x64) voxels" run.log
test -f out/hello.h5
# The result records which plugins made it.
h5dump -a /plugins out/hello.h5 | grep -q "hello 1.0.0"
echo "out-of-tree plugin: OK"
