#pragma once
// The pipeline around joint.admm for the tests: sim.joint_scan (`scan`: its `with` map) ->
// joint.admm (`with`: lines of `key: value` as for a top-level map) -> delta.h5 in `dir`, and the
// true delta as truth.h5 beside it.
#include <fstream>
#include <string>

#include "admm_pipeline.hpp"

inline std::string joint_pipeline(const TempDir& dir, const std::string& scan, const std::string& with,
                                  const std::string& devices = "cpu") {
  const std::string path = dir / "joint.yaml";
  std::ofstream(path) << "version: 1\nname: joint-test\ndevices: " << devices << "\nstages:\n"
                      << "  - id: scan\n    plugin: sim.joint_scan\n    with: " << scan << "\n"
                      << "  - id: recon\n    plugin: joint.admm\n    inputs: {scans: scan.scans, truth_delta: scan.delta, "
                         "truth_beta: scan.beta}\n    with:\n"
                      << indented(with, 6) << "  - id: save\n    plugin: io.hdf5_writer\n    inputs: {volume: recon.delta}\n"
                      << "    with: {path: " << dir / "delta.h5" << ", preview: false}\n"
                      << "  - id: save_truth\n    plugin: io.hdf5_writer\n    inputs: {volume: scan.delta}\n"
                      << "    with: {path: " << dir / "truth.h5" << ", preview: false}\n";
  return path;
}
