#pragma once
// Pipelines around tomo.admm for the tests: a simulated scan, the ADMM stage with the given
// `with:` block, and writers for the result and the phantom; plus a reader of the JSON-lines
// report each iteration writes.
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include "command.hpp"

struct ScanSettings {
  std::string phantom = "{kind: foam, size: 64, slices: 4, seed: 1001}";
  std::string scan = "{angles: 90, noise: poisson, photons: 5000, seed: 1}";
};

// Each line of `text` indented by `spaces` more.
inline std::string indented(const std::string& text, std::size_t spaces) {
  std::string out, pad(spaces, ' ');
  std::size_t start = 0;
  for (std::size_t end; (end = text.find('\n', start)) != std::string::npos; start = end + 1)
    out += pad + text.substr(start, end + 1 - start);
  return out;
}

// A pipeline file in `dir`: phantom -> scan -> tomo.admm (`with`: lines of `key: value` as for a
// top-level map, one per line) -> result.h5 (and phantom.h5). Returns its path.
inline std::string write_admm_pipeline(const TempDir& dir, const std::string& with, const ScanSettings& scan = {},
                                       const std::string& devices = "cpu") {
  const std::string path = dir / "admm.yaml";
  std::ofstream(path) << "version: 1\nname: admm-test\ndevices: " << devices
                      << "\nstages:\n"
                         "  - id: phantom\n    plugin: sim.phantom\n    with: " << scan.phantom << "\n"
                         "  - id: scan\n    plugin: sim.tomo\n    inputs: {volume: phantom.volume}\n    with: " << scan.scan << "\n"
                         "  - id: recon\n    plugin: tomo.admm\n    inputs: {projections: scan.projections, truth: scan.truth}\n"
                         "    with:\n" << indented(with, 6) <<
                         "  - id: save\n    plugin: io.hdf5_writer\n    inputs: {volume: recon.volume}\n"
                         "    with: {path: " << dir / "result.h5" << ", preview: false}\n"
                         "  - id: save_phantom\n    plugin: io.hdf5_writer\n    inputs: {volume: phantom.volume}\n"
                         "    with: {path: " << dir / "phantom.h5" << ", preview: false}\n";
  return path;
}

// xrecon run in the source folder (the shipped models are found by their relative paths).
inline CommandResult run_in_source_dir(const std::string& args) {
  return run_command("cd " XRECON_SOURCE_DIR " && " + xrecon_command(args));
}

// One map per line of a JSON-lines report: the numbers of each {"key": value, ...} object.
inline std::vector<std::map<std::string, double>> read_report(const std::string& path) {
  std::vector<std::map<std::string, double>> lines;
  std::ifstream in(path);
  const std::regex pair("\"([a-z_]+)\": (-?[0-9.eE+-]+|null)");
  for (std::string line; std::getline(in, line);) {
    std::map<std::string, double> values;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), pair); it != std::sregex_iterator(); ++it)
      if ((*it)[2] != "null") values[(*it)[1]] = std::stod((*it)[2]);
    lines.push_back(std::move(values));
  }
  return lines;
}
