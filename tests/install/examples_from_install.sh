#!/usr/bin/env bash
# usage: examples_from_install.sh BUILD_DIR SOURCE_DIR VOLUME_COMPARE
# The plugin author's path, from an install and nothing else: `cmake --install` into an empty
# prefix; each of sdk/examples/{hello_plugin,landweber,prior} configured with CMAKE_PREFIX_PATH
# naming that prefix alone, built, and run in its pipeline by the installed xrecon; then their
# results checked (VOLUME_COMPARE: tests/install/volume_compare.cpp, built in the tree).
set -euo pipefail
build=$1
source=$2
compare=$3
# Outside the build tree: an xrecon installed under it would load the build's plugins as well.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
prefix=$work/prefix
examples=$source/sdk/examples

# Runs a command with its output in a log, shown only when it fails.
logged() {
  local log=$1
  shift
  "$@" > "$log" 2>&1 || { cat "$log"; echo "FAILED: $*"; return 1; }
}
# A number from volume_compare's line: value NAME LINE.
value() { awk -v key="$1" '{ for (i = 1; i < NF; ++i) if ($i == key) print $(i + 1) }' <<< "$2"; }
# Passes when the arithmetic condition holds (awk: floating point); says which failed otherwise.
holds() { awk "BEGIN { exit !($1) }" || { echo "FAILED: $2 ($1)"; return 1; }; }

logged "$work/install.log" cmake --install "$build" --prefix "$prefix"
for name in hello_plugin landweber prior; do
  logged "$work/$name-configure.log" cmake -S "$examples/$name" -B "$work/$name-build" -G Ninja \
    -DCMAKE_PREFIX_PATH="$prefix" -DCMAKE_BUILD_TYPE=Release
  logged "$work/$name-build.log" cmake --build "$work/$name-build"
done
xrecon=$prefix/bin/xrecon
cd "$work"

# hello_plugin: the SDK alone.
XRECON_PLUGIN_PATH=$work/hello_plugin-build "$xrecon" plugins | tee plugins.txt
grep -q "hello.scale  \[stage\]" plugins.txt
grep -q "^sim " plugins.txt  # the installed plugins are found next to the installed tool
XRECON_PLUGIN_PATH=$work/hello_plugin-build "$xrecon" run "$examples/hello_plugin/hello.yaml" 2>&1 | tee hello.log
grep -q "hello.scale: multiplied (1x64x64) voxels" hello.log
h5dump -a /plugins out/hello.h5 | grep -q "hello 1.0.0"  # the result records which plugins made it

# landweber: a stage on the installed projector. Without noise it converges to the least-squares
# image that the shipped CGLS (500 iterations, within 0.1% of 1000) finds in the same pipeline.
# Measured after 8000 steps: 1.0% from CGLS (4000: 2.6%, 16000: 0.24%); with half the step
# (relaxation 0.95) 2.6%, so a wrong step length fails the 2% bound.
XRECON_PLUGIN_PATH=$work/landweber-build "$xrecon" run "$examples/landweber/landweber.yaml" 2>&1 | tee landweber.log
grep -q "landweber.solve: 8000 iterations" landweber.log
against_cgls=$("$compare" out/landweber.h5 out/landweber_cgls.h5)
echo "landweber.solve against tomo.cgls: $against_cgls"
holds "$(value relative_l2 "$against_cgls") < 0.02" "Landweber within 2% of CGLS"

# prior: a Prior role hosted by the shipped tomo.admm, against the same run without a prior.
# Measured: SSIM 0.809 and RMSE 0.0374 against the phantom with it, 0.769 and 0.0456 without.
run_prior() { XRECON_PLUGIN_PATH=$work/prior-build "$xrecon" run "$examples/prior/prior.yaml" "$@"; }
run_prior 2>&1 | tee prior.log
grep -q "tomo.admm: 20 iterations of tomo.cgls_solver + smooth.gaussian" prior.log
run_prior --set recon.prior=null --set recon.report=out/no_prior.jsonl --set save.path=out/no_prior.h5 2>&1 |
  tee no_prior.log
with_prior=$("$compare" out/prior.h5 out/prior_truth.h5)
without_prior=$("$compare" out/no_prior.h5 out/prior_truth.h5)
echo "tomo.admm + smooth.gaussian against the phantom: $with_prior"
echo "tomo.admm without a prior against the phantom:  $without_prior"
holds "$(value ssim "$with_prior") > $(value ssim "$without_prior") + 0.02" "the prior raises SSIM by 0.02"
holds "$(value rmse "$with_prior") < 0.9 * $(value rmse "$without_prior")" "the prior lowers RMSE by 10%"
# Its halo_slices() widens each device's slab: three devices give the one-device volume exactly
# (a halo of 0 here: 2.4% apart).
run_prior --devices cpu:3 --set recon.report=out/prior_3.jsonl --set save.path=out/prior_3.h5 \
  --set save_truth.path=out/prior_truth_3.h5 2>&1 | tee prior_3.log
h5diff out/prior.h5 out/prior_3.h5 /volume /volume
echo "examples from the install: OK"
