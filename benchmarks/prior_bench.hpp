#pragma once
// What bench_prior and bench_prior_gpu share: the two TomoGAN models they time and their input.
// Model 0: the generator of ALGORITHMS.md at its full widths (8, 32, 64, 128, 16), 3 input slices,
// bilinear upsampling, random weights; model 1: the shipped models/tomogan-foam.h5 (reduced widths).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "xrecon/prior/model.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::bench {

inline const std::filesystem::path& source_dir() {
  static const std::filesystem::path dir = std::filesystem::path(__FILE__).parent_path().parent_path();
  return dir;
}

inline std::filesystem::path shipped_model_path() { return source_dir() / "models" / "tomogan-foam.h5"; }

inline prior::Model tomogan_model(int which) {
  if (which == 0) return prior::tomogan_generator(3, prior::TomoganUpsample::bilinear, 1);
  return prior::load_model(shipped_model_path());
}

// (channels, size, size), uniform in [0, 1): timing does not depend on the values.
inline ArrayF random_image(int channels, int size) {
  ArrayF x(Shape{std::size_t(channels), std::size_t(size), std::size_t(size)});
  std::mt19937 rng(2);
  std::uniform_real_distribution<float> u(0.0f, 1.0f);
  for (std::size_t k = 0; k < x.size(); ++k) x[k] = u(rng);
  return x;
}

inline void report_images(benchmark::State& state, const prior::Model& model, int size) {
  state.counters["megapixels_per_s"] =
      benchmark::Counter(double(size) * size / 1e6, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["parameters"] = double(model.parameter_count());
  state.counters["size"] = size;
}

}  // namespace xrecon::bench
