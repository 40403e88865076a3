#pragma once
// What the ADMM benchmarks (bench_admm, bench_joint and their _gpu twins) share: seconds per
// iteration and its split as the stage's report states it (tomo.admm: x-step, prior, the rest;
// joint.admm: psi-step, u-step with the angle/slice exchange, prior, the rest). The real pipeline
// runs through the xrecon command; the first iteration (planning, model loading) is left out.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <map>
#include <regex>
#include <sstream>
#include <vector>
#include <string>
#include <unistd.h>

namespace xrecon::bench {

namespace fs = std::filesystem;

// The mean of each of `keys` over the report's lines after the first.
inline std::map<std::string, double> read_means(const fs::path& report, const std::vector<std::string>& keys) {
  std::map<std::string, double> sums;
  std::ifstream in(report);
  const std::regex field("\"([a-z_]+)\": ([0-9.eE+-]+)");
  int lines = 0;
  for (std::string line; std::getline(in, line);) {
    if (++lines == 1) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), field); it != std::sregex_iterator(); ++it)
      if (std::find(keys.begin(), keys.end(), (*it)[1].str()) != keys.end()) sums[(*it)[1]] += std::stod((*it)[2]);
  }
  for (auto& [key, sum] : sums) sum /= std::max(1, lines - 1);
  return sums;
}

// Runs `pipeline` (YAML text whose ADMM stage reports to `report`) with the xrecon command once per
// benchmark iteration; the time is the mean seconds per ADMM iteration (the sum of `keys`, each
// also a counter, with its fraction of the iteration).
inline void run_pipeline(benchmark::State& state, const std::string& pipeline_text, const fs::path& dir,
                         const std::vector<std::string>& keys) {
  const fs::path pipeline = dir / "pipeline.yaml";
  std::ofstream(pipeline) << pipeline_text;
  for (auto _ : state) {
    const std::string command = std::string("cd " XRECON_SOURCE_DIR " && ") + XRECON_EXE + " run " + pipeline.string() +
                                " > " + (dir / "log.txt").string() + " 2>&1";
    if (std::system(command.c_str()) != 0) {
      std::ifstream log(dir / "log.txt");
      std::string text((std::istreambuf_iterator<char>(log)), {});
      state.SkipWithError(("xrecon run failed: " + text.substr(text.size() > 400 ? text.size() - 400 : 0)).c_str());
      break;
    }
    const auto means = read_means(dir / "report.jsonl", keys);
    double total = 0;
    for (const auto& [key, mean] : means) total += mean;
    state.SetIterationTime(total);
    state.counters["seconds_per_iteration"] = total;
    for (const auto& [key, mean] : means) {
      state.counters[key] = mean;
      state.counters[key + "_fraction"] = total > 0 ? mean / total : 0;
    }
  }
}

inline fs::path bench_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("xrecon_" + name + "_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  return dir;
}

// tomo.admm on a foam scan of `size`^2 x 8 slices from `angles` angles.
inline void run_admm(benchmark::State& state, const std::string& devices, int size, int angles, const std::string& prior) {
  const fs::path dir = bench_dir("bench_admm");
  std::ostringstream pipeline;
  pipeline << "version: 1\nname: bench-admm\ndevices: " << devices << "\nstages:\n"
           << "  - {id: phantom, plugin: sim.phantom, with: {kind: foam, size: " << size
           << ", slices: 8, seed: 1001, supersample: 1}}\n"
           << "  - {id: scan, plugin: sim.tomo, inputs: {volume: phantom.volume}, with: {angles: " << angles
           << ", noise: poisson, photons: 5000}}\n"
           << "  - id: recon\n    plugin: tomo.admm\n    inputs: {projections: scan.projections}\n"
           << "    with: {iterations: " << state.range(0) << ", primal_tolerance: 0, dual_tolerance: 0, "
           << "report: " << (dir / "report.jsonl").string() << ", tomo: {plugin: tomo.cgls_solver, with: {iterations: 4}}, "
           << "prior: " << prior << "}\n";
  run_pipeline(state, pipeline.str(), dir, {"seconds_tomo", "seconds_prior", "seconds_other"});
  fs::remove_all(dir);
}

// joint.admm on sim.joint_scan's foam: `size`^2 x `slices`, `angles` angles, `detector` px detector.
inline void run_joint(benchmark::State& state, const std::string& devices, int size, int slices, int angles,
                      int detector, const std::string& prior) {
  const fs::path dir = bench_dir("bench_joint");
  std::ostringstream pipeline;
  pipeline << "version: 1\nname: bench-joint\ndevices: " << devices << "\nstages:\n"
           << "  - {id: scan, plugin: sim.joint_scan, with: {kind: foam, size: " << size << ", slices: " << slices
           << ", angles: " << angles << ", probe_size: 16, detector: " << detector << ", seed: 1}}\n"
           << "  - id: recon\n    plugin: joint.admm\n    inputs: {scans: scan.scans}\n"
           << "    with: {iterations: " << state.range(0) << ", rho: 0.1, tau: 0.1, report: "
           << (dir / "report.jsonl").string() << ", prior: " << prior << "}\n";
  run_pipeline(state, pipeline.str(), dir, {"seconds_psi", "seconds_u", "seconds_prior", "seconds_other"});
  fs::remove_all(dir);
}

inline const std::string kAdmmTv = "{plugin: prior.tv, with: {lambda: 0.002, iterations: 50}}";
inline const std::string kAdmmTomogan = "{plugin: prior.tomogan, with: {model: models/tomogan-foam-admm.h5}}";

}  // namespace xrecon::bench
