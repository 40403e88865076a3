// Ptychography CG on GPU 0 at PtyGer's test size: 256^2 probe and detector, 3600 positions
// (60 x 60 raster, step 64: 75% linear overlap) over a 4033^2 object. BM_CgObjectIterationGpu is
// one CG iteration (object step only, Gaussian) in steady state; the BM_GpuStage_* entries time
// the pieces of that step, as bench_ptycho does on the CPU: the batched FFT pass, crop and pad
// (with the propagate / backpropagate they belong to), residual, scatter (the object gradient) and
// one line-search trial. Issue target: <= 20 ms per iteration on an H100.
//
// Roofline: ptycho_roofline.hpp's stage model (compulsory bytes, 5 n log2 n flops per frame and
// FFT) against GPU 0's HBM peak and FP32 peak from its attributes. Every counter is per iteration
// of the entry: GBps and GFLOPps achieved, bandwidth_fraction and flop_fraction of the peaks,
// roofline_fraction = the roofline's bound on the time over the measured time. At this size one
// batched FFT pass reads and writes 3600 x 256^2 x 8 B = 1.9 GB each way (3.8 GB), at 5 flops per
// byte: below the H100's ridge point (~20), so every stage is bandwidth bound and the iteration's
// ~45 GB (1.5 line-search trials) set its floor: 13.5 ms at the H100's 3.35 TB/s, 9.4 ms at the
// H200's 4.8 TB/s. A third of it is accepting the step (axpy over windows and spectra).
//
// Times are GPU times between CUDA events on the default stream, the host work inside the calls
// (allocations, plan lookups) included. Without a GPU every entry is skipped with the reason.
#include <benchmark/benchmark.h>
#include <cuda_runtime_api.h>

#include <cmath>
#include <complex>
#include <cstddef>
#include <optional>
#include <random>
#include <vector>

// The stages are the solver's internal operators, not public API.
#include "../solvers/ptycho/complex_ops.hpp"
#include "../solvers/ptycho/likelihood.hpp"
#include "../solvers/ptycho/operators.hpp"
#include "../solvers/ptycho/ptycho_kernels.hpp"
#include "gpu_bench.hpp"
#include "ptycho_roofline.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace {

using namespace xrecon;
using bench::EventTimer;
using bench::gpu_peaks;
using bench::skipped_without_gpu;

constexpr std::size_t kProbe = 256, kPerAxis = 60;
constexpr double kStep = 64;  // 1 - 64 / 256 = 75% linear overlap
constexpr std::size_t kPositions = kPerAxis * kPerAxis;
constexpr std::size_t kObject = std::size_t((kPerAxis - 1) * kStep) + kProbe + 1;
const MemorySpace kGpu = MemorySpace::cuda(0);

const bench::PtychoSize kSize = bench::square_scan(kPositions, kProbe, kObject);

// The scan in device memory: a random object, a Gaussian probe, jittered raster positions and
// the noiseless intensities of the object, plus the spectra and windows of the truth for the
// stage entries. About 6 GB of device memory; the intensities are squared on the host.
struct GpuScan {
  ArrayCF truth, probe;
  ArrayD positions;
  ArrayF patterns;
  ArrayCF windows, spectra;  // Q truth, F(P Q truth) in FFT order
  std::optional<ptycho::detail::Measurements> measured;

  GpuScan() {
    ArrayCF object(Shape{kObject, kObject});
    std::mt19937 rng(1);
    std::uniform_real_distribution<float> unit(0.0f, 1.0f);
    for (auto& v : object.host_span()) v = std::polar(0.5f + 0.5f * unit(rng), unit(rng));
    ArrayCF p(Shape{kProbe, kProbe});
    const double centre = (kProbe - 1) / 2.0, sigma = kProbe / 6.0;
    for (std::size_t y = 0; y < kProbe; ++y)
      for (std::size_t x = 0; x < kProbe; ++x)
        p[y * kProbe + x] = float(std::exp(-(std::pow(y - centre, 2) + std::pow(x - centre, 2)) / (2 * sigma * sigma)));
    ArrayD r(Shape{kPositions, 2});
    std::uniform_real_distribution<double> jitter(0.0, 1.0);
    for (std::size_t j = 0; j < kPositions; ++j) {
      r[2 * j] = double(j / kPerAxis) * kStep + jitter(rng);
      r[2 * j + 1] = double(j % kPerAxis) * kStep + jitter(rng);
    }
    truth = object.to(kGpu);
    probe = p.to(kGpu);
    positions = r.to(kGpu);
    windows = ptycho::detail::crop_windows(truth, positions, kProbe, kProbe);
    spectra = ptycho::detail::propagate(probe, windows, kProbe, kProbe);
    const ArrayCF far = ptycho::detail::centred(spectra).to(MemorySpace::host());
    ArrayF d(far.shape());
    const std::complex<float>* f = far.data();
    float* out = d.data();
    const std::size_t n = d.size();
    for (std::size_t i = 0; i < n; ++i) out[i] = std::norm(f[i]);
    patterns = d.to(kGpu);
    measured = ptycho::detail::measurements(patterns, ptycho::Likelihood::gaussian, ptycho::detail::SpectrumOrder::fft);
  }
};

const GpuScan& scan() {
  static const GpuScan s;
  return s;
}

// A zero stack of spectra on the device: transforms of zeros stay finite however often repeated.
ArrayCF zero_spectra() {
  ArrayCF a(Shape{kPositions, kProbe, kProbe}, kGpu);
  ptycho::kernels::cuda::zero(kGpu.device, a.data(), a.size() * sizeof(std::complex<float>));
  return a;
}

// The model's counters for the named stages (one line-search trial), at the GPU's peaks.
void report_stages(benchmark::State& state, std::initializer_list<const char*> names, double seconds) {
  const auto model = bench::cg_object_iteration(kSize, 1.0);
  std::vector<bench::StageCost> stages;
  for (const char* name : names) stages.push_back(bench::stage(model, name));
  bench::report_roofline(state, stages, seconds, gpu_peaks().bandwidth, gpu_peaks().fp32_flops);
}

// Runs `body` once untimed (plans, pool growth), then times it per iteration between events;
// returns the mean seconds per iteration.
template <typename Body>
double timed(benchmark::State& state, Body body) {
  body();
  EventTimer timer;
  double total = 0;
  for (auto _ : state) {
    timer.start();
    body();
    const double seconds = timer.stop();
    state.SetIterationTime(seconds);
    total += seconds;
  }
  return state.iterations() > 0 ? total / double(state.iterations()) : 0.0;
}

// Steady state: each run does kIterations iterations from a flat object and times all but the
// first between events recorded by the observer (the solver's setup and first step left out).
void BM_CgObjectIterationGpu(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  constexpr std::size_t kIterations = 4;
  ArrayCF flat(Shape{kObject, kObject});
  for (auto& v : flat.host_span()) v = {1.0f, 0.0f};
  EventTimer timer;
  double total = 0;
  for (auto _ : state) {
    ArrayCF object = flat.to(kGpu), probe = s.probe.clone();
    double seconds = 0;
    ptycho::reconstruct(s.patterns, s.positions, object, probe,
                        {.iterations = kIterations, .on_iteration = [&](const ptycho::CgIteration& it) {
                           if (it.iteration == 1) timer.start();
                           if (it.iteration == kIterations) seconds = timer.stop() / double(kIterations - 1);
                         }});
    state.SetIterationTime(seconds);
    total += seconds;
  }
  const double seconds = state.iterations() > 0 ? total / double(state.iterations()) : 0.0;
  bench::report_roofline(state, bench::cg_object_iteration(kSize), seconds, gpu_peaks().bandwidth,
                         gpu_peaks().fp32_flops);
  state.counters["target_fraction"] = seconds > 0 ? 20e-3 / seconds : 0.0;  // >= 1 meets the issue's 20 ms
}
BENCHMARK(BM_CgObjectIterationGpu)->UseManualTime()->Unit(benchmark::kMillisecond)->Iterations(5);

// One batched cuFFT pass over all positions, in place: 1.9 GB read and written.
void BM_GpuStage_FftPass(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  ArrayCF frames = zero_spectra();
  const double seconds = timed(state, [&] {
    ptycho::kernels::cuda::fft2_frames(kGpu.device, frames.data(), kPositions, kProbe, kProbe, true);
  });
  report_stages(state, {"fft_forward"}, seconds);
}
BENCHMARK(BM_GpuStage_FftPass)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_GpuStage_CropWindows(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  const double seconds = timed(state, [&] {
    benchmark::DoNotOptimize(ptycho::detail::crop_windows(s.truth, s.positions, kProbe, kProbe));
  });
  report_stages(state, {"crop_windows"}, seconds);
}
BENCHMARK(BM_GpuStage_CropWindows)->UseManualTime()->Unit(benchmark::kMillisecond);

// Pad and probe multiply, then the forward FFT pass: the direction's spectra.
void BM_GpuStage_Propagate(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  const double seconds = timed(state, [&] {
    benchmark::DoNotOptimize(ptycho::detail::propagate(s.probe, s.windows, kProbe, kProbe));
  });
  report_stages(state, {"pad_multiply", "fft_forward"}, seconds);
}
BENCHMARK(BM_GpuStage_Propagate)->UseManualTime()->Unit(benchmark::kMillisecond);

// The inverse FFT pass, then the crop and scale to the probe's size: the gradient's windows.
void BM_GpuStage_Backpropagate(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  ArrayCF spectra = zero_spectra();
  const double seconds =
      timed(state, [&] { benchmark::DoNotOptimize(ptycho::detail::backpropagate(spectra, kProbe, kProbe)); });
  report_stages(state, {"fft_inverse", "crop_back"}, seconds);
}
BENCHMARK(BM_GpuStage_Backpropagate)->UseManualTime()->Unit(benchmark::kMillisecond);

void BM_GpuStage_Residual(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  const double seconds =
      timed(state, [&] { benchmark::DoNotOptimize(ptycho::detail::residual(s.spectra, *s.measured)); });
  report_stages(state, {"residual"}, seconds);
}
BENCHMARK(BM_GpuStage_Residual)->UseManualTime()->Unit(benchmark::kMillisecond);

// The object gradient's scatter: a zero double object, then Q^*(conj(P) back) with atomics.
void BM_GpuStage_Scatter(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  const double seconds = timed(state, [&] {
    benchmark::DoNotOptimize(
        ptycho::detail::object_gradient_from(s.windows, s.probe, s.positions, Shape{kObject, kObject}));
  });
  report_stages(state, {"scatter"}, seconds);
}
BENCHMARK(BM_GpuStage_Scatter)->UseManualTime()->Unit(benchmark::kMillisecond);

// One trial of the line search: cost(z + gamma s) - cost(z) summed in double (waits for the sum).
void BM_GpuStage_LineSearchTrial(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  const double seconds = timed(state, [&] {
    benchmark::DoNotOptimize(ptycho::detail::data_cost_change_along(s.spectra, s.spectra, 0.5, *s.measured));
  });
  report_stages(state, {"line_search"}, seconds);
}
BENCHMARK(BM_GpuStage_LineSearchTrial)->UseManualTime()->Unit(benchmark::kMillisecond);

// Accepting a step: spectra += gamma step over all positions (the largest of the three axpys).
void BM_GpuStage_AcceptSpectra(benchmark::State& state) {
  if (skipped_without_gpu(state)) return;
  const GpuScan& s = scan();
  ArrayCF spectra = zero_spectra();
  const double seconds = timed(state, [&] { ptycho::detail::axpy(1e-3, s.spectra, spectra); });
  const double bytes = 3.0 * bench::kComplexF * kSize.spectrum_samples();
  bench::report_roofline(state, {{"accept_spectra", bytes, 4 * kSize.spectrum_samples()}}, seconds,
                         gpu_peaks().bandwidth, gpu_peaks().fp32_flops);
}
BENCHMARK(BM_GpuStage_AcceptSpectra)->UseManualTime()->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
