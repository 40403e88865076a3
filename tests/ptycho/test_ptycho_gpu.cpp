// The CUDA backend of the ptychography operators against the OpenMP / FFTW one (docs/architecture.md
// section 7), kernel by kernel and then the whole CG solver. Needs a GPU: every test skips with
// the reason otherwise.
//
// Tolerances, and why:
// - Element-wise kernels (crop, pad and probe multiply, reorder, residual, cost terms) run the
//   per-element math of ptycho_math.hpp on both sides; they differ only where one compiler fuses
//   a multiply-add the other does not, a few float ulps: 1e-6 of the largest value.
// - Sums in double (scatter, line-search change) differ only in summation order: 1e-12 / 1e-7
//   (the latter's terms cancel, see LineSearchTrialMatchesCpu).
// - Anything through an FFT: cuFFT and FFTW take different radix paths, so each transform carries
//   its own float round-off, about eps * log2(n) ~ 1e-6 relative l2 for these frame sizes (a
//   misplaced sample or a wrong scale is off by 1e-2 or more): 1e-5.
// - reconstruct(): every iteration starts from a gradient that differs by that FFT round-off, and
//   CG grows the difference from one iteration to the next (measured: see PtychoCudaSolver), so
//   the comparison runs only a few iterations, with bounds from the measured GPU run.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <iostream>
#include <ostream>
#include <string>
#include <vector>

#include "../../solvers/ptycho/complex_ops.hpp"
#include "../../solvers/ptycho/farfield_fft.hpp"
#include "../../solvers/ptycho/likelihood.hpp"
#include "../../solvers/ptycho/operators.hpp"
#include "../../solvers/ptycho/ptycho_kernels.hpp"
#include "ptycho_test_support.hpp"
#include "support/gpu.hpp"
#include "xrecon/ptycho/ptycho.hpp"
#include "xrecon/ptycho/reference.hpp"

namespace xrecon::ptycho {
namespace {

using detail::ArrayCD;

const MemorySpace kGpu = MemorySpace::cuda(0);

constexpr double kElementTolerance = 1e-6;  // relative to the largest value
constexpr double kFftTolerance = 1e-5;      // relative l2, cuFFT against FFTW
constexpr double kSolverTolerance = 5e-3;      // relative l2 after a few CG iterations (measured, see
                                               // PtychoCudaSolver)
constexpr double kSolverCostTolerance = 5e-4;  // relative, per iteration

template <typename T>
Array<T> on_host(const Array<T>& a) {
  return a.to(MemorySpace::host());
}

template <typename T>
std::complex<double> as_complex(T v) {
  return std::complex<double>(v);
}

// max |a - b| / max |b|, both on the host.
template <typename A, typename B>
double relative_max(const A& a, const B& b) {
  EXPECT_EQ(a.size(), b.size());
  double difference = 0, scale = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    difference = std::max(difference, std::abs(as_complex(a[i]) - as_complex(b[i])));
    scale = std::max(scale, std::abs(as_complex(b[i])));
  }
  return scale > 0 ? difference / scale : difference;
}

// ||a - b|| / ||b||, both on the host.
template <typename A, typename B>
double relative_l2(const A& a, const B& b) {
  EXPECT_EQ(a.size(), b.size());
  double difference = 0, norm = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    difference += std::norm(as_complex(a[i]) - as_complex(b[i]));
    norm += std::norm(as_complex(b[i]));
  }
  return norm > 0 ? std::sqrt(difference / norm) : std::sqrt(difference);
}

double relative(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

// One scan geometry. The detector may be larger than the probe (padding) and odd (the centre is
// not between two pixels); the raster's jitter is clamped at the object's edges, so some windows
// are flush with the first and last rows and columns (whole-pixel positions there).
struct GpuCase {
  std::string name;
  std::size_t object_n, probe_n, detector_rows, detector_cols;
  double step;
};

void PrintTo(const GpuCase& c, std::ostream* os) { *os << c.name; }

std::vector<GpuCase> gpu_cases() {
  return {
      // Detector = probe: no padding.
      {"square_no_padding", 48, 16, 16, 16, 4.0},
      // Odd, non-square detector larger than the probe; partial thread blocks everywhere.
      {"odd_padded_detector", 53, 13, 21, 18, 3.0},
      // 1444 positions x 24^2 > 2112 blocks x 256 threads: the grid-stride loops go round.
      {"grid_stride", 128, 16, 24, 24, 3.0},
  };
}

struct Scan {
  ArrayCF object, probe, other;
  ArrayD positions;
  ArrayF patterns;  // intensities of `other`: residuals are far from zero
  std::size_t detector_rows, detector_cols;
  explicit Scan(const GpuCase& c)
      : object(fixtures::random_complex(Shape{c.object_n, c.object_n}, 1)),
        probe(fixtures::gaussian_probe(c.probe_n, double(c.probe_n) / 4)),
        other(fixtures::random_complex(Shape{c.object_n, c.object_n}, 2)),
        positions(fixtures::raster_positions(c.object_n, c.probe_n, c.step, 0.45, 3)),
        detector_rows(c.detector_rows),
        detector_cols(c.detector_cols) {
    patterns = fixtures::intensities(farfield(other, probe, positions, detector_rows, detector_cols));
  }
  std::size_t count() const { return positions.extent(0); }
  std::size_t rows() const { return probe.extent(0); }
  std::size_t cols() const { return probe.extent(1); }
  ArrayCF windows() const { return detail::crop_windows(object, positions, rows(), cols()); }
  ArrayCF spectra() const { return detail::propagate(probe, windows(), detector_rows, detector_cols); }
};

constexpr Likelihood kLikelihoods[] = {Likelihood::gaussian, Likelihood::poisson};

const char* name_of(Likelihood l) { return l == Likelihood::gaussian ? "gaussian" : "poisson"; }

class PtychoCuda : public ::testing::TestWithParam<GpuCase> {};

TEST_P(PtychoCuda, CropWindowsMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  // Positions on the host are copied to the device by the operator; on the device they are used.
  for (const MemorySpace positions_space : {MemorySpace::host(), kGpu}) {
    const ArrayCF gpu = detail::crop_windows(s.object.to(kGpu), s.positions.to(positions_space), s.rows(), s.cols());
    EXPECT_EQ(gpu.space(), kGpu);
    EXPECT_LT(relative_max(on_host(gpu), s.windows()), kElementTolerance);
  }
}

TEST_P(PtychoCuda, ScatterWindowsAccumulatesInDoubleLikeCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF windows = fixtures::random_complex(Shape{s.count(), s.rows(), s.cols()}, 7);
  ArrayCD cpu = detail::zeros_double(s.object.shape(), MemorySpace::host());
  ArrayCD gpu = detail::zeros_double(s.object.shape(), kGpu);
  const ArrayCF windows_gpu = windows.to(kGpu);
  // Twice: the second pass must add to what the first left, not overwrite it.
  for (int pass = 0; pass < 2; ++pass) {
    detail::scatter_windows(windows, s.positions, cpu);
    detail::scatter_windows(windows_gpu, s.positions, gpu);
  }
  // Same double products, other summation order (atomics).
  EXPECT_LT(relative_max(on_host(gpu), cpu), 1e-12);
}

TEST_P(PtychoCuda, ObjectGradientScatterWithProbeMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF back = fixtures::random_complex(Shape{s.count(), s.rows(), s.cols()}, 8);
  const ArrayCD cpu = detail::object_gradient_from(back, s.probe, s.positions, s.object.shape());
  const ArrayCD gpu = detail::object_gradient_from(back.to(kGpu), s.probe.to(kGpu), s.positions, s.object.shape());
  EXPECT_EQ(gpu.space(), kGpu);
  // conj(P) * back is a float product on both sides (FMA contraction may differ).
  EXPECT_LT(relative_max(on_host(gpu), cpu), kElementTolerance);
}

TEST_P(PtychoCuda, ProbeGradientSumMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF back = fixtures::random_complex(Shape{s.count(), s.rows(), s.cols()}, 9);
  const ArrayCF windows = s.windows();
  const ArrayCD cpu = detail::probe_gradient_from(back, windows);
  const ArrayCD gpu = detail::probe_gradient_from(back.to(kGpu), windows.to(kGpu));
  EXPECT_LT(relative_max(on_host(gpu), cpu), kElementTolerance);
}

// The batched cuFFT transform is unnormalised (the 1 / sqrt(H W) is folded into the pad and crop
// kernels); FFTW's fft2_frames is orthonormal.
TEST_P(PtychoCuda, BatchedFftMatchesFftwBothWays) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  const std::size_t count = 37, rows = c.detector_rows, cols = c.detector_cols;
  const ArrayCF frames = fixtures::random_complex(Shape{count, rows, cols}, 10);
  const float scale = float(1.0 / std::sqrt(double(rows * cols)));
  for (const bool forward : {true, false}) {
    ArrayCF cpu = frames.clone();
    detail::fft2_frames(cpu.data(), count, rows, cols,
                        forward ? detail::FftDirection::forward : detail::FftDirection::inverse);
    ArrayCF gpu = frames.to(kGpu);
    kernels::cuda::fft2_frames(kGpu.device, gpu.data(), count, rows, cols, forward);
    ArrayCF back = on_host(gpu);
    for (auto& v : back.host_span()) v *= scale;
    EXPECT_LT(relative_l2(back, cpu), kFftTolerance) << (forward ? "forward" : "inverse");
  }
}

TEST_P(PtychoCuda, PropagateMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF windows = s.windows();
  const ArrayCF gpu = detail::propagate(s.probe.to(kGpu), windows.to(kGpu), s.detector_rows, s.detector_cols);
  EXPECT_EQ(gpu.space(), kGpu);
  EXPECT_LT(relative_l2(on_host(gpu), s.spectra()), kFftTolerance);
}

// The pad / probe multiply on its own: propagate, then the unscaled inverse on the device, must
// give back P * window at the top-left of every frame and zeros elsewhere.
TEST_P(PtychoCuda, PadAndProbeMultiplyPlaceTheExitWave) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF windows = s.windows();
  ArrayCF gpu = detail::propagate(s.probe.to(kGpu), windows.to(kGpu), s.detector_rows, s.detector_cols);
  kernels::cuda::fft2_frames(kGpu.device, gpu.data(), s.count(), s.detector_rows, s.detector_cols, false);
  const ArrayCF padded = on_host(gpu);
  ArrayCF expected(padded.shape());
  const float scale = float(std::sqrt(double(s.detector_rows * s.detector_cols)));
  for (std::size_t j = 0; j < s.count(); ++j)
    for (std::size_t y = 0; y < s.detector_rows; ++y)
      for (std::size_t x = 0; x < s.detector_cols; ++x)
        expected[(j * s.detector_rows + y) * s.detector_cols + x] =
            y < s.rows() && x < s.cols()
                ? scale * s.probe[y * s.cols() + x] * windows[(j * s.rows() + y) * s.cols() + x]
                : std::complex<float>{};
  EXPECT_LT(relative_max(padded, expected), kFftTolerance);
}

TEST_P(PtychoCuda, BackpropagateMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  ArrayCF cpu_spectra = s.spectra();
  ArrayCF gpu_spectra = cpu_spectra.to(kGpu);
  const ArrayCF gpu = detail::backpropagate(gpu_spectra, s.rows(), s.cols());
  EXPECT_EQ(gpu.space(), kGpu);
  EXPECT_LT(relative_l2(on_host(gpu), detail::backpropagate(cpu_spectra, s.rows(), s.cols())), kFftTolerance);
}

TEST_P(PtychoCuda, MeasurementsResidualAndCostMatchCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF spectra = s.spectra();
  const ArrayCF spectra_gpu = spectra.to(kGpu);
  const ArrayF patterns_gpu = s.patterns.to(kGpu);
  for (const Likelihood likelihood : kLikelihoods) {
    SCOPED_TRACE(name_of(likelihood));
    for (const auto order : {detail::SpectrumOrder::centred, detail::SpectrumOrder::fft}) {
      // The reorder and sqrt are exact on both sides.
      EXPECT_EQ(relative_max(on_host(detail::measurements(patterns_gpu, likelihood, order).values),
                             detail::measurements(s.patterns, likelihood, order).values),
                0.0);
    }
    const auto cpu = detail::measurements(s.patterns, likelihood, detail::SpectrumOrder::fft);
    const auto gpu = detail::measurements(patterns_gpu, likelihood, detail::SpectrumOrder::fft);
    EXPECT_LT(relative_max(on_host(detail::residual(spectra_gpu, gpu)), detail::residual(spectra, cpu)),
              kElementTolerance);
    // Float terms summed in double: the terms differ by an ulp at most, the order of the sum
    // does not matter at this precision.
    EXPECT_LT(relative(detail::data_cost(spectra_gpu, gpu), detail::data_cost(spectra, cpu)), kElementTolerance);
    // The public cost on centred farfields in device memory.
    const ArrayCF far = detail::centred(spectra);
    EXPECT_LT(relative(cost(patterns_gpu, far.to(kGpu), likelihood), cost(s.patterns, far, likelihood)),
              kElementTolerance);
  }
}

TEST_P(PtychoCuda, CenteringMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF spectra = s.spectra();
  EXPECT_EQ(relative_max(on_host(detail::centred(spectra.to(kGpu))), detail::centred(spectra)), 0.0);
}

// The line search's trial: per-element differences in double from the same float inputs; only
// the summation order, fused multiply-adds and log1p's last bit differ, ~1e-12 of each term. A
// small step along a direction unrelated to the gradient sums terms of both signs, so the total
// can be ~sqrt(n) ~ 1e3 times smaller than the sum of their magnitudes: 1e-7 is the bound (a wrong
// measurement or a missed element is off by far more).
TEST_P(PtychoCuda, LineSearchTrialMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF spectra = s.spectra();
  const ArrayCF direction = fixtures::random_complex(s.object.shape(), 12);
  const ArrayCF step = detail::propagate(s.probe, detail::crop_windows(direction, s.positions, s.rows(), s.cols()),
                                         s.detector_rows, s.detector_cols);
  const ArrayCF spectra_gpu = spectra.to(kGpu), step_gpu = step.to(kGpu);
  for (const Likelihood likelihood : kLikelihoods) {
    SCOPED_TRACE(name_of(likelihood));
    const auto cpu = detail::measurements(s.patterns, likelihood, detail::SpectrumOrder::fft);
    const auto gpu = detail::measurements(s.patterns.to(kGpu), likelihood, detail::SpectrumOrder::fft);
    for (const double gamma : {1.0, 0.125, 1e-4}) {
      const double expected = detail::data_cost_change_along(spectra, step, gamma, cpu);
      EXPECT_LT(relative(detail::data_cost_change_along(spectra_gpu, step_gpu, gamma, gpu), expected), 1e-7)
          << "gamma " << gamma;
    }
  }
}

TEST_P(PtychoCuda, PublicFarfieldAndGradientsMatchCpu) {
  XRECON_REQUIRE_GPU();
  const Scan s(GetParam());
  const ArrayCF object_gpu = s.object.to(kGpu), probe_gpu = s.probe.to(kGpu);
  const ArrayF patterns_gpu = s.patterns.to(kGpu);
  const ArrayCF far = farfield(object_gpu, probe_gpu, s.positions, s.detector_rows, s.detector_cols);
  EXPECT_EQ(far.space(), kGpu);
  EXPECT_LT(relative_l2(on_host(far), farfield(s.object, s.probe, s.positions, s.detector_rows, s.detector_cols)),
            kFftTolerance);
  for (const Likelihood likelihood : kLikelihoods) {
    SCOPED_TRACE(name_of(likelihood));
    const ArrayCF object_g = object_gradient(patterns_gpu, object_gpu, probe_gpu, s.positions, likelihood);
    const ArrayCF probe_g = probe_gradient(patterns_gpu, object_gpu, probe_gpu, s.positions, likelihood);
    EXPECT_EQ(object_g.space(), kGpu);
    EXPECT_EQ(probe_g.space(), kGpu);
    if (likelihood == Likelihood::gaussian) {
      EXPECT_LT(relative_l2(on_host(object_g), object_gradient(s.patterns, s.object, s.probe, s.positions, likelihood)),
                kFftTolerance);
      EXPECT_LT(relative_l2(on_host(probe_g), probe_gradient(s.patterns, s.object, s.probe, s.positions, likelihood)),
                kFftTolerance);
      continue;
    }
    // Poisson: against the double-precision reference, next to the host's own float path. The
    // Poisson gradient divides by |f|^2, so in dark detector pixels (padding, the fringes of a
    // small probe) any float FFT's absolute round-off becomes a large relative one: measured on an
    // H200 (2026-12-04), cuFFT vs FFTW 1.7e-5..4.2e-5 on the padded and grid-stride scans, while
    // each is 5e-6..9e-5 from the exact gradient (the device slightly nearer). So the device may be
    // at most 3x as far from the exact gradient as the host's float path, or within the FFT
    // tolerance. (The reference is slow on the grid-stride scan, hence Poisson only.)
    const reference::ArrayCD object_d = reference::to_double(s.object), probe_d = reference::to_double(s.probe);
    const auto exact_object = reference::object_gradient(s.patterns, object_d, probe_d, s.positions, likelihood);
    const auto exact_probe = reference::probe_gradient(s.patterns, object_d, probe_d, s.positions, likelihood);
    const double host_object = relative_l2(object_gradient(s.patterns, s.object, s.probe, s.positions, likelihood),
                                           exact_object);
    const double host_probe =
        relative_l2(probe_gradient(s.patterns, s.object, s.probe, s.positions, likelihood), exact_probe);
    const double device_object = relative_l2(on_host(object_g), exact_object);
    const double device_probe = relative_l2(on_host(probe_g), exact_probe);
    std::cout << "poisson: object gradient vs double, host " << host_object << ", device " << device_object
              << "; probe host " << host_probe << ", device " << device_probe << "\n";
    EXPECT_LT(device_object, std::max(kFftTolerance, 3 * host_object));
    EXPECT_LT(device_probe, std::max(kFftTolerance, 3 * host_probe));
  }
}

INSTANTIATE_TEST_SUITE_P(Scans, PtychoCuda, ::testing::ValuesIn(gpu_cases()),
                         [](const auto& info) { return info.param.name; });

// The CG vector algebra: reductions in double (order only), element-wise updates exact or an ulp.
TEST(PtychoCudaAlgebra, VectorOperationsMatchCpu) {
  XRECON_REQUIRE_GPU();
  const Shape shape{301, 333};  // not a multiple of the block size
  const ArrayCF a = fixtures::random_complex(shape, 21), b = fixtures::random_complex(shape, 22);
  const ArrayCF a_gpu = a.to(kGpu), b_gpu = b.to(kGpu);
  EXPECT_LT(relative(detail::real_dot(a_gpu, b_gpu), detail::real_dot(a, b)), 1e-12);
  ArrayCF y = b.clone(), y_gpu = b_gpu.clone();
  detail::axpy(-0.37, a, y);
  detail::axpy(-0.37, a_gpu, y_gpu);
  EXPECT_LT(relative_max(on_host(y_gpu), y), kElementTolerance);
  detail::descent_update(a, 0.61, y);
  detail::descent_update(a_gpu, 0.61, y_gpu);
  EXPECT_LT(relative_max(on_host(y_gpu), y), kElementTolerance);
  // Amplitudes are in [0.5, 1.5): about half are clamped.
  EXPECT_EQ(detail::clamp_amplitude(y_gpu, 1.0), detail::clamp_amplitude(y, 1.0));
  EXPECT_LT(relative_max(on_host(y_gpu), y), kElementTolerance);
  ArrayCF small = a.clone(), small_gpu = a_gpu.clone();
  EXPECT_FALSE(detail::clamp_amplitude(small_gpu, 2.0));
  EXPECT_EQ(relative_max(on_host(small_gpu), small), 0.0);
  ArrayCD wide(shape);
  for (std::size_t i = 0; i < wide.size(); ++i) wide[i] = std::complex<double>(a[i]) / 3.0;
  EXPECT_EQ(relative_max(on_host(detail::rounded(wide.to(kGpu))), detail::rounded(wide)), 0.0);
}

// The whole solver on the device against the host: object and probe steps, both likelihoods,
// the amplitude constraint and the proximal term.
//
// How far the two may part: CG carries a difference forward and grows it. Measured on the host
// with this scan, by perturbing every pattern value by a random relative 1e-7 (the size of the
// FFT libraries' disagreement) and comparing with the unperturbed run (relative l2 of the object,
// 4 seeds): Gaussian object + probe 3e-6 after 2 iterations, 8e-6 after 3, 2e-5 after 4, 4e-5 after
// 6; Poisson object 1e-6 after 2, 2e-5 after 3, then 3e-3 after 4 (the backtracking takes another
// halving and the runs part; by 20 iterations the objects differ by 0.5 while the costs agree to
// 1%); the clamped proximal run stays below 1e-5 for 20 iterations. So each case stops where the
// measured difference is >= 10x below 1e-4, and the long Gaussian run only checks the cost it
// reaches (measured within 1.3e-2 after 20 iterations; bound 5e-2). A kernel error (wrong index,
// lost atomic, missing scale) moves the first iteration's cost by far more than 1e-2.
//
// The first GPU run (H200, 2026-12-04) parted faster than that host model: cuFFT and FFTW differ
// in every transform of every iteration, not only in the patterns. Measured, device vs host:
// costs 1.2e-5 after the first iteration and 8.1e-5 after the third (Gaussian object + probe);
// objects 8.3e-4 (Gaussian object + probe, 3 iterations), 1.7e-4 (Poisson, 2), 3.0e-4 (clamped
// proximal, 6); probe 5.1e-4. The bounds below are those measurements times about 6: costs 5e-4,
// objects and probes 5e-3, still an order of magnitude below what a kernel error does.
struct SolverCase {
  std::string name;
  CgOptions options;
};

ArrayCF flat_object(const Shape& shape) {
  ArrayCF object(shape);
  for (auto& z : object.host_span()) z = {1.0f, 0.0f};
  return object;
}

TEST(PtychoCudaSolver, ReconstructOnDeviceMatchesHost) {
  XRECON_REQUIRE_GPU();
  const Scan s({"solver", 64, 16, 20, 20, 4.0});
  const ArrayCF v = fixtures::random_complex(s.object.shape(), 31);
  const std::vector<SolverCase> cases{
      {"gaussian_object_and_probe", {.iterations = 3, .likelihood = Likelihood::gaussian, .recover_probe = true}},
      {"poisson_object", {.iterations = 2, .likelihood = Likelihood::poisson}},
      {"gaussian_clamped_proximal",
       {.iterations = 6, .max_amplitude = 1.2, .proximal = CgOptions::Proximal{.rho = 0.05, .v = &v}}},
  };
  for (const SolverCase& c : cases) {
    SCOPED_TRACE(c.name);
    ArrayCF object = flat_object(s.object.shape()), probe = s.probe.clone();
    ArrayCF object_gpu = object.to(kGpu), probe_gpu = probe.to(kGpu);
    // Patterns, positions and proximal centre on the host: reconstruct() copies them over.
    const CgResult gpu = reconstruct(s.patterns, s.positions, object_gpu, probe_gpu, c.options);
    const CgResult cpu = reconstruct(s.patterns, s.positions, object, probe, c.options);
    ASSERT_EQ(object_gpu.space(), kGpu);
    ASSERT_EQ(probe_gpu.space(), kGpu);
    ASSERT_EQ(gpu.costs.size(), cpu.costs.size());
    for (std::size_t k = 0; k < cpu.costs.size(); ++k)
      EXPECT_LT(relative(gpu.costs[k], cpu.costs[k]), kSolverCostTolerance) << "iteration " << k + 1;
    const double object_difference = relative_l2(on_host(object_gpu), object);
    const double probe_difference = relative_l2(on_host(probe_gpu), probe);
    std::cout << c.name << ": final cost " << relative(gpu.costs.back(), cpu.costs.back()) << ", object "
              << object_difference << ", probe " << probe_difference << " (relative, device vs host)\n";
    EXPECT_LT(object_difference, kSolverTolerance);
    EXPECT_LT(probe_difference, kSolverTolerance);
  }
}

TEST(PtychoCudaSolver, LongRunReachesTheHostCost) {
  XRECON_REQUIRE_GPU();
  const Scan s({"solver", 64, 16, 20, 20, 4.0});
  const CgOptions options{.iterations = 20, .likelihood = Likelihood::gaussian, .recover_probe = true};
  ArrayCF object = flat_object(s.object.shape()), probe = s.probe.clone();
  ArrayCF object_gpu = object.to(kGpu), probe_gpu = probe.to(kGpu);
  const CgResult gpu = reconstruct(s.patterns.to(kGpu), s.positions.to(kGpu), object_gpu, probe_gpu, options);
  const CgResult cpu = reconstruct(s.patterns, s.positions, object, probe, options);
  EXPECT_LT(relative(gpu.costs.back(), cpu.costs.back()), 5e-2);
  EXPECT_LT(gpu.costs.back(), 0.5 * gpu.costs.front());
  // Monotone: the backtracking never accepts a rise (no amplitude clipping here).
  for (std::size_t k = 1; k < gpu.costs.size(); ++k) EXPECT_LE(gpu.costs[k], gpu.costs[k - 1]) << k;
}

}  // namespace
}  // namespace xrecon::ptycho
