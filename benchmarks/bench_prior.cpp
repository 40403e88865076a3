// Learned-prior inference on the CPU: milliseconds per image through the TomoGAN generator, the
// bare network (Enhancer::forward: no normalisation, tiling or residual) on a (C, N, N) input.
// Two models: the generator of ALGORITHMS.md at its full widths (8, 32, 64, 128, 16), 3 input
// slices, bilinear upsampling, random weights (model:0), and the shipped models/tomogan-foam.h5
// (reduced widths, model:1).
//
// BM_Onednn: the oneDNN backend at 1024^2, 1 and 2 threads (plans made before timing).
// BM_Reference: the double-precision reference backend, 1 thread, at 128^2 only (it is slow): a
// sanity baseline.
// BM_PyTorchCpu: PyTorch on the same network at 1024^2, run in the same benchmark program through
// tools/golden/time_torch.py with Debian's /usr/bin/python3; each iteration's time is one forward
// pass timed by the script (after its warm-up), so the figures compare directly with BM_Onednn's.
// Skipped, with the reason, when /usr/bin/python3 or its torch is missing.
#include <benchmark/benchmark.h>
#include <omp.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "prior_bench.hpp"

namespace {

using namespace xrecon;
using namespace xrecon::prior;
using bench::report_images;
using bench::shipped_model_path;
using bench::source_dir;
using bench::tomogan_model;

constexpr int kSize = 1024;
constexpr int kReferenceSize = 128;
constexpr int kTorchPasses = 3;
const char* const kPython = "/usr/bin/python3";

void run_backend(benchmark::State& state, Backend backend, int size, int threads) {
  if (!backend_available(backend)) {
    state.SkipWithError(("this build lacks the " + to_string(backend) + " backend").c_str());
    return;
  }
  omp_set_num_threads(threads);  // before the Enhancer: oneDNN sizes its plans by the thread count
  const Model model = tomogan_model(int(state.range(0)));
  Enhancer enhancer(model, backend);
  const ArrayF input = bench::random_image(model.input_channels, size);
  enhancer.forward(input);  // plans, weight reorders, first touch of the buffers
  for (auto _ : state) benchmark::DoNotOptimize(enhancer.forward(input));
  report_images(state, model, size);
  state.counters["threads"] = threads;
}

void BM_Onednn(benchmark::State& state) { run_backend(state, Backend::onednn, kSize, int(state.range(1))); }
void BM_Reference(benchmark::State& state) { run_backend(state, Backend::reference, kReferenceSize, 1); }

// Runs time_torch.py; fills `seconds` with its per-pass times, or returns why it could not.
std::string time_torch(int model, int threads, std::vector<double>& seconds) {
  if (!std::filesystem::exists(kPython)) return std::string(kPython) + " is missing";
  const std::filesystem::path script = source_dir() / "tools" / "golden" / "time_torch.py";
  const std::string probe = std::string(kPython) + " -c 'import torch, h5py, numpy' 2>/dev/null";
  if (std::system(probe.c_str()) != 0)
    return std::string(kPython) + " cannot import torch, h5py and numpy (Debian: python3-torch python3-h5py)";
  const std::string source =
      model == 0 ? std::string("--tomogan 3 --upsample bilinear") : "--model '" + shipped_model_path().string() + "'";
  const std::string command = std::string(kPython) + " '" + script.string() + "' " + source + " --threads " +
                              std::to_string(threads) + " --size " + std::to_string(kSize) +
                              " --warmup 1 --repeats " + std::to_string(kTorchPasses) + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return "cannot start " + command;
  std::string output;
  char line[512];
  while (std::fgets(line, sizeof line, pipe)) {
    output += line;
    double s = 0;
    if (std::sscanf(line, "seconds_per_image %lf", &s) == 1) seconds.push_back(s);
  }
  const int status = pclose(pipe);
  if (status != 0 || seconds.size() != std::size_t(kTorchPasses))
    return "time_torch.py failed (exit status " + std::to_string(status) + "): " + output.substr(0, 400);
  return {};
}

void BM_PyTorchCpu(benchmark::State& state) {
  const int which = int(state.range(0)), threads = int(state.range(1));
  std::vector<double> seconds;
  if (const std::string why = time_torch(which, threads, seconds); !why.empty()) {
    state.SkipWithError(why.c_str());
    return;
  }
  std::size_t pass = 0;
  for (auto _ : state) state.SetIterationTime(seconds[pass++ % seconds.size()]);
  report_images(state, tomogan_model(which), kSize);
  state.counters["threads"] = threads;
}

// Each 1024^2 pass takes seconds on 2 cores: a fixed count of timed passes per entry.
BENCHMARK(BM_Onednn)
    ->ArgNames({"model", "threads"})
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->Iterations(kTorchPasses)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();
BENCHMARK(BM_PyTorchCpu)
    ->ArgNames({"model", "threads"})
    ->ArgsProduct({{0, 1}, {1, 2}})
    ->Iterations(kTorchPasses)
    ->Unit(benchmark::kMillisecond)
    ->UseManualTime();
BENCHMARK(BM_Reference)->ArgName("model")->Arg(0)->Arg(1)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
