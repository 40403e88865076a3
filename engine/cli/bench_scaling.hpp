#pragma once
// `xrecon bench scaling`: strong or weak scaling of a pipeline (or one of its stages) over device
// counts, run in-process as `xrecon run` does, on virtual cpu devices (cpu:N) or cuda:0..N-1.
#include <string>
#include <vector>

#include "xrecon/engine/plugin_registry.hpp"

namespace xrecon::cli {

struct ScalingOptions {
  std::string pipeline;
  std::string devices = "1,2,4";  // device counts
  std::string kind = "cpu";       // cpu | cuda
  bool weak = false;
  std::string weak_param;  // stage.param multiplied by the device count under --weak
  int repeat = 3;
  std::string stage;  // empty: the whole run
  std::vector<std::string> sets;
  std::string out = "out/bench";
  bool plot = false;
  bool verbose = false;  // keep the stages' log lines
};

// Parses "1,2,4": positive integers, strictly increasing not required but no duplicates.
std::vector<int> parse_device_counts(const std::string& text);

// Runs the benchmark, prints the table, writes scaling.json and scaling.csv (and the plots with
// `plot`). Bad arguments throw InputError.
void bench_scaling(const ScalingOptions& options, const engine::PluginRegistry& registry);

}  // namespace xrecon::cli
