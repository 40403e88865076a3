#pragma once
// What bench_admm and bench_admm_gpu share: seconds per tomo.admm iteration and its split, the
// x-step (the TomoSolver role), the z-step (the Prior role, halo exchange included) and the rest
// (the loop's own vector work and reductions, which should stay under 5% of an iteration). The
// real pipeline runs through the xrecon command; the per-iteration timings come from its report,
// the first iteration (planning, model loading) left out.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <regex>
#include <string>
#include <unistd.h>

namespace xrecon::bench {

namespace fs = std::filesystem;

struct Split {
  double tomo = 0, prior = 0, other = 0;
  int iterations = 0;
};

// The mean per-iteration seconds of the report's lines after the first.
inline Split read_split(const fs::path& report) {
  Split s;
  std::ifstream in(report);
  const std::regex field("\"(seconds_tomo|seconds_prior|seconds_other)\": ([0-9.eE+-]+)");
  int line_number = 0;
  for (std::string line; std::getline(in, line);) {
    if (++line_number == 1) continue;
    for (auto it = std::sregex_iterator(line.begin(), line.end(), field); it != std::sregex_iterator(); ++it) {
      const double v = std::stod((*it)[2]);
      const std::string key = (*it)[1];
      (key == "seconds_tomo" ? s.tomo : key == "seconds_prior" ? s.prior : s.other) += v;
    }
    ++s.iterations;
  }
  if (s.iterations) s.tomo /= s.iterations, s.prior /= s.iterations, s.other /= s.iterations;
  return s;
}

inline void run_admm(benchmark::State& state, const std::string& devices, int size, int angles, const std::string& prior) {
  const fs::path dir = fs::temp_directory_path() / ("xrecon_bench_admm_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path pipeline = dir / "admm.yaml", report = dir / "admm.jsonl";
  std::ofstream(pipeline) << "version: 1\nname: bench-admm\ndevices: " << devices << "\nstages:\n"
                          << "  - {id: phantom, plugin: sim.phantom, with: {kind: foam, size: " << size
                          << ", slices: 8, seed: 1001, supersample: 1}}\n"
                          << "  - {id: scan, plugin: sim.tomo, inputs: {volume: phantom.volume}, with: {angles: "
                          << angles << ", noise: poisson, photons: 5000}}\n"
                          << "  - id: recon\n    plugin: tomo.admm\n    inputs: {projections: scan.projections}\n"
                          << "    with: {iterations: " << state.range(0) << ", primal_tolerance: 0, dual_tolerance: 0, "
                          << "report: " << report.string() << ", tomo: {plugin: tomo.cgls_solver, with: {iterations: 4}}, "
                          << "prior: " << prior << "}\n";
  for (auto _ : state) {
    const std::string command = std::string("cd " XRECON_SOURCE_DIR " && ") + XRECON_EXE + " run " + pipeline.string() +
                                " > " + (dir / "log.txt").string() + " 2>&1";
    if (std::system(command.c_str()) != 0) {
      std::ifstream log(dir / "log.txt");
      std::string text((std::istreambuf_iterator<char>(log)), {});
      state.SkipWithError(("xrecon run failed: " + text.substr(text.size() > 400 ? text.size() - 400 : 0)).c_str());
      break;
    }
    const Split s = read_split(report);
    const double total = s.tomo + s.prior + s.other;
    state.SetIterationTime(total);
    state.counters["seconds_per_iteration"] = total;
    state.counters["x_step_s"] = s.tomo;
    state.counters["prior_s"] = s.prior;
    state.counters["rest_s"] = s.other;
    state.counters["rest_fraction"] = total > 0 ? s.other / total : 0;
  }
  fs::remove_all(dir);
}

inline const std::string kAdmmTv = "{plugin: prior.tv, with: {lambda: 0.002, iterations: 50}}";
inline const std::string kAdmmTomogan = "{plugin: prior.tomogan, with: {model: models/tomogan-foam.h5}}";

}  // namespace xrecon::bench
