#pragma once
// The traffic and arithmetic of one CG object iteration of ptycho::reconstruct (reconstruct.cpp,
// object_step, no proximal term), stage by stage, for the roofline summaries of bench_ptycho and
// bench_ptycho_gpu. Bytes are the compulsory traffic: every array a stage reads or writes, once
// (complex float 8 B, float 4 B, complex double 16 B); an FFT pass counts one read and one write
// of its frames, and 5 n log2 n flops per complex frame of n points. A stage that re-reads data
// from caches (the scatter's read-modify-write of overlapping windows, an FFT's radix passes)
// moves more than this; the model is the lower bound a kernel would meet at the ceiling.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <string_view>
#include <vector>

namespace xrecon::bench {

struct PtychoSize {
  double positions = 0;
  double probe_rows = 0, probe_cols = 0;
  double detector_rows = 0, detector_cols = 0;
  double object_rows = 0, object_cols = 0;

  double window_samples() const { return positions * probe_rows * probe_cols; }
  double spectrum_samples() const { return positions * detector_rows * detector_cols; }
  double object_pixels() const { return object_rows * object_cols; }
};

// A square probe on a detector of its size over a square object.
inline PtychoSize square_scan(double positions, double probe, double object) {
  return {positions, probe, probe, probe, probe, object, object};
}

struct StageCost {
  const char* name;
  double bytes = 0;
  double flops = 0;
  // Whether the flop ceiling (an FFT's rate) bounds the stage. The element-wise stages do 0.4-2
  // flops per byte of simple vectorisable arithmetic, whose ceiling (the cores' FMA peak: ~150
  // GFLOP/s on 2 AVX2 cores, ~60 TFLOP/s FP32 on an H100) puts their arithmetic at < 10% of their
  // memory time; only their bytes bound them.
  bool fft = false;
};

inline constexpr double kComplexF = 8, kFloat = 4, kComplexD = 16;

// 5 n log2 n per complex frame of n points, each way.
inline double fft_flops(double frames, double rows, double cols) {
  const double n = rows * cols;
  return 5 * n * std::log2(n) * frames;
}

// The line search's first trial doubles the step last accepted; in steady state it is taken or
// halved once, so an iteration costs between 1 and 2 trials. The model takes 1.5 (the solver does
// not report its trial count); one trial is ~15% of the iteration's bytes, so this is the
// model's main uncertainty.
inline constexpr double kTrialsPerIteration = 1.5;

// The stages of one object step, Gaussian likelihood, in the order the solver runs them.
inline std::vector<StageCost> cg_object_iteration(const PtychoSize& s, double trials = kTrialsPerIteration) {
  const double W = s.window_samples(), D = s.spectrum_samples(), O = s.object_pixels();
  const double probe = s.probe_rows * s.probe_cols;
  return {
      // r = z (1 - sqrt(d) / |z|): read spectra and measurements, write r. ~8 flops.
      {"residual", D * (kComplexF + kFloat + kComplexF), 8 * D},
      // F^* r in place, then the cut to the probe's size (with the scale on the GPU).
      {"fft_inverse", D * 2 * kComplexF, fft_flops(s.positions, s.detector_rows, s.detector_cols), true},
      {"crop_back", W * 2 * kComplexF, 2 * W},
      // Zero a double gradient, add Q^*(conj(P) back): read back and probe, read and write the
      // gradient. A complex product and four weighted complex adds in double per sample.
      {"scatter", W * kComplexF + probe * kComplexF + 3 * O * kComplexD, 22 * W},
      // Round to float, then Dai-Yuan: 3 dot products, the update, one more dot, the clone of
      // the gradient: about 12 passes over an object of complex floats.
      {"direction", O * (kComplexD + kComplexF) + 12 * O * kComplexF, 20 * O},
      // Q d: read the direction, write the windows. 4 weighted complex adds per sample.
      {"crop_windows", O * kComplexF + W * kComplexF, 14 * W},
      // P * window zero padded to the detector: read windows and probe, write the spectra.
      {"pad_multiply", W * kComplexF + probe * kComplexF + D * kComplexF, 6 * W},
      {"fft_forward", D * 2 * kComplexF, fft_flops(s.positions, s.detector_rows, s.detector_cols), true},
      // cost(z + gamma s) - cost(z) summed in double: read spectra, step, measurements. ~20 flops.
      {"line_search", trials * D * (2 * kComplexF + kFloat), trials * 20 * D},
      // Accept: object += g d, windows += g Q d, spectra += g step (read two, write one each).
      {"accept", 3 * (O + W + D) * kComplexF, 4 * (O + W + D)},
  };
}

inline StageCost total(const std::vector<StageCost>& stages) {
  StageCost sum{"total"};
  for (const StageCost& s : stages) {
    sum.bytes += s.bytes;
    sum.flops += s.flops;
  }
  return sum;
}

inline const StageCost& stage(const std::vector<StageCost>& stages, const char* name) {
  for (const StageCost& s : stages)
    if (std::string_view(s.name) == name) return s;
  static const StageCost none{"none"};
  return none;
}

// The roofline's lower bound on the time of the stages: an FFT stage takes the longer of its bytes
// at the bandwidth ceiling and its flops at the flop ceiling (bytes / s, flops / s), any other its
// bytes at the bandwidth ceiling.
inline double roofline_seconds(const std::vector<StageCost>& stages, double bandwidth, double flop_rate) {
  double seconds = 0;
  for (const StageCost& s : stages) seconds += std::max(s.bytes / bandwidth, s.fft ? s.flops / flop_rate : 0.0);
  return seconds;
}

// Counters of a measured time per iteration against the ceilings: achieved GB/s and GFLOP/s (all
// the model's flops), each as a fraction of its ceiling, and roofline_fraction = the roofline
// bound over the time (1: at the roofline).
inline void report_roofline(benchmark::State& state, const std::vector<StageCost>& stages, double seconds,
                            double bandwidth, double flop_rate) {
  const StageCost sum = total(stages);
  state.counters["model_MB"] = sum.bytes / 1e6;
  state.counters["model_MFLOP"] = sum.flops / 1e6;
  if (!(seconds > 0)) return;
  state.counters["GBps"] = sum.bytes / seconds / 1e9;
  state.counters["GFLOPps"] = sum.flops / seconds / 1e9;
  if (bandwidth > 0) {
    state.counters["ceiling_GBps"] = bandwidth / 1e9;
    state.counters["bandwidth_fraction"] = sum.bytes / seconds / bandwidth;
  }
  if (flop_rate > 0) {
    state.counters["ceiling_GFLOPps"] = flop_rate / 1e9;
    state.counters["flop_fraction"] = sum.flops / seconds / flop_rate;
  }
  if (bandwidth > 0 && flop_rate > 0)
    state.counters["roofline_fraction"] = roofline_seconds(stages, bandwidth, flop_rate) / seconds;
}

}  // namespace xrecon::bench
