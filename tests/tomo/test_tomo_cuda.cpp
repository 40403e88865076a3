// The CUDA backend of the tomography operators against the OpenMP one (docs/architecture.md section 7). Both
// run joseph_math.hpp's per-element math and sum in the same order, so the projectors agree to
// float rounding (a few 1e-7 of the largest value; the bound is 1e-5); the filter, whose FFTs are
// different libraries, to a few 1e-6. A misplaced sample, a swapped axis or a wrong weight is off
// by 1e-2 or more. Cases: several slices, non-square detectors, off-centre axes, angles outside
// [0, pi) and on the axes, more than 4096 angles, and sizes that leave partial thread blocks.
// Needs a GPU: every test skips with the reason otherwise.
#include <gtest/gtest.h>

#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "support/gpu.hpp"
#include "tomo_test_support.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::tomo {
namespace {

using fixtures::degrees;

const MemorySpace kGpu = MemorySpace::cuda(0);

constexpr double kProjectorTolerance = 1e-5;  // relative to the largest value
constexpr double kFilterTolerance = 1e-5;     // relative l2 (cuFFT against FFTW)

ArrayF on_host(const ArrayF& a) { return a.to(MemorySpace::host()); }

struct GpuCase {
  std::string name;
  std::size_t slices, n, cols;
  double center;  // < 0: default
  std::vector<double> angles;
};

void PrintTo(const GpuCase& c, std::ostream* os) { *os << c.name; }

std::vector<double> with_exact_axes(std::vector<double> angles) {
  for (double d : {0.0, 45.0, 90.0, 135.0, 180.0}) angles.push_back(degrees(d));
  return angles;
}

std::vector<GpuCase> gpu_cases() {
  return {
      {"square_with_axes", 2, 64, 64, -1, with_exact_axes(fixtures::uniform_angles(45))},
      {"wide_detector_off_axis", 3, 48, 80, 41.3, with_exact_axes(fixtures::uniform_angles(37))},
      {"narrow_detector_off_axis", 2, 100, 61, 25.0, with_exact_axes(fixtures::uniform_angles(29))},
      {"odd_angles_outside_0_pi", 3, 33, 47, 20.5, {-0.3, 3.5, 7.0, -2.4, 1.0e-9, degrees(-45), degrees(225)}},
      {"more_than_4096_angles", 2, 40, 52, 27.5, fixtures::uniform_angles(5000)},
      {"partial_blocks", 1, 301, 333, 160.0, fixtures::uniform_angles(90)},
  };
}

Geometry geometry_of(const GpuCase& c) { return {.angles = c.angles, .cols = c.cols, .center = c.center, .n = c.n}; }

class TomoCuda : public ::testing::TestWithParam<GpuCase> {};

TEST_P(TomoCuda, ProjectMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  const ArrayF x = fixtures::random_array(Shape{c.slices, c.n, c.n}, 11);
  const ArrayF gpu = project(x.to(kGpu), geometry_of(c));
  EXPECT_EQ(gpu.space(), kGpu);
  EXPECT_LT(fixtures::relative_max(on_host(gpu), project(x, geometry_of(c))), kProjectorTolerance);
}

TEST_P(TomoCuda, BackprojectMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 12);
  const ArrayF gpu = backproject(y.to(kGpu), geometry_of(c));
  EXPECT_EQ(gpu.space(), kGpu);
  EXPECT_LT(fixtures::relative_max(on_host(gpu), backproject(y, geometry_of(c))), kProjectorTolerance);
}

TEST_P(TomoCuda, PixelDrivenBackprojectMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 13);
  const ArrayF gpu = backproject_pixel_driven(y.to(kGpu), geometry_of(c), 0.37);
  EXPECT_LT(fixtures::relative_max(on_host(gpu), backproject_pixel_driven(y, geometry_of(c), 0.37)),
            kProjectorTolerance);
}

// The GPU pair is an exact adjoint on its own, as the CPU pair is (test_adjoint.cpp).
TEST_P(TomoCuda, BackprojectIsTheAdjointOfProject) {
  XRECON_REQUIRE_GPU();
  const GpuCase& c = GetParam();
  const ArrayF x = fixtures::random_array(Shape{c.slices, c.n, c.n}, 14, -1.0f, 1.0f);
  const ArrayF y = fixtures::random_array(Shape{c.angles.size(), c.slices, c.cols}, 15, -1.0f, 1.0f);
  const ArrayF ax = on_host(project(x.to(kGpu), geometry_of(c)));
  const ArrayF aty = on_host(backproject(y.to(kGpu), geometry_of(c)));
  EXPECT_NEAR(fixtures::dot(ax, y), fixtures::dot(x, aty), 1e-6 * fixtures::norm(ax) * fixtures::norm(y));
}

INSTANTIATE_TEST_SUITE_P(Geometries, TomoCuda, ::testing::ValuesIn(gpu_cases()),
                         [](const auto& test_info) { return test_info.param.name; });

// Three slices of Shepp-Logan at different scales on a 256^2 grid, 180 angles, off-centre axis.
struct SheppLoganStack {
  Geometry geometry;
  ArrayF volume;  // (3, n, n)
};

SheppLoganStack shepp_logan_stack(std::size_t n = 256, std::size_t cols = 280, double center = 141.5) {
  SheppLoganStack s{.geometry = {.angles = fixtures::uniform_angles(180), .cols = cols, .center = center, .n = n},
                    .volume = ArrayF(Shape{3, n, n})};
  for (std::size_t z = 0; z < 3; ++z) {
    const ArrayF slice = sim::rasterize(sim::shepp_logan_2d(), n, 3);
    for (std::size_t i = 0; i < n * n; ++i) s.volume[z * n * n + i] = slice[i] * float(z + 1);
  }
  return s;
}

TEST(TomoCudaSheppLogan, ProjectorsMatchCpu) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack();
  const ArrayF sinogram = project(s.volume, s.geometry);
  EXPECT_LT(fixtures::relative_max(on_host(project(s.volume.to(kGpu), s.geometry)), sinogram), kProjectorTolerance);
  EXPECT_LT(fixtures::relative_max(on_host(backproject(sinogram.to(kGpu), s.geometry)), backproject(sinogram, s.geometry)),
            kProjectorTolerance);
}

TEST(TomoCudaFilter, EveryWindowMatchesCpu) {
  XRECON_REQUIRE_GPU();
  // 100 columns pad to 256, 257 to 1024; slices and angles give rows from several places.
  for (std::size_t cols : {100u, 257u}) {
    const ArrayF p = fixtures::random_array(Shape{31, 3, cols}, 16, -1.0f, 1.0f);
    const ArrayF p_gpu = p.to(kGpu);
    for (const std::string& name : filter_window_names()) {
      const FilterWindow window = filter_window_from_name(name);
      const ArrayF gpu = filter_projections(p_gpu, window);
      EXPECT_EQ(gpu.space(), kGpu);
      EXPECT_LT(fixtures::relative_l2(on_host(gpu), filter_projections(p, window)), kFilterTolerance)
          << name << ", " << cols << " columns";
    }
  }
}

// 4100 x 9 rows of 64 columns: more rows than one cuFFT batch (32768), the last one partial.
TEST(TomoCudaFilter, RowsSpanningSeveralBatchesMatchCpu) {
  XRECON_REQUIRE_GPU();
  const ArrayF p = fixtures::random_array(Shape{4100, 9, 64}, 17, -1.0f, 1.0f);
  const ArrayF gpu = filter_projections(p.to(kGpu), FilterWindow::hann);
  EXPECT_LT(fixtures::relative_l2(on_host(gpu), filter_projections(p, FilterWindow::hann)), kFilterTolerance);
}

// Filtered values differ at 1e-6 between FFT libraries; the backprojection sums 180 of them.
constexpr double kFbpTolerance = 1e-4;

TEST(TomoCudaFbp, SheppLoganMatchesCpuAndReportsEverySlice) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack();
  const ArrayF sinogram = project(s.volume, s.geometry);
  std::vector<std::size_t> reported;
  const ArrayF gpu = fbp(sinogram.to(kGpu), s.geometry,
                         {.window = FilterWindow::shepp_logan, .on_slice = [&](std::size_t done) { reported.push_back(done); }});
  EXPECT_EQ(gpu.space(), kGpu);
  EXPECT_EQ(reported, (std::vector<std::size_t>{1, 2, 3}));
  EXPECT_LT(fixtures::relative_max(on_host(gpu), fbp(sinogram, s.geometry, {.window = FilterWindow::shepp_logan})),
            kFbpTolerance);
}

// 24 slices of 720 angles x 1024 columns are 71 MB of projections: more than one group of slices
// on the GPU (fbp_cuda.cu), so groups after the first must read and write the right slices.
TEST(TomoCudaFbp, SeveralGroupsOfSlicesMatchCpu) {
  XRECON_REQUIRE_GPU();
  const Geometry geometry{.angles = fixtures::uniform_angles(720), .cols = 1024, .center = 500.0, .n = 256};
  const ArrayF p = fixtures::random_array(Shape{720, 24, 1024}, 18);
  std::size_t calls = 0;
  const ArrayF gpu = fbp(p.to(kGpu), geometry, {.on_slice = [&](std::size_t done) { EXPECT_EQ(done, ++calls); }});
  EXPECT_EQ(calls, 24u);
  EXPECT_LT(fixtures::relative_max(on_host(gpu), fbp(p, geometry)), kFbpTolerance);
}

TEST(TomoCudaFbp, ObserverCanStopTheRun) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack(64, 64, -1);
  const ArrayF sinogram = project(s.volume, s.geometry).to(kGpu);
  auto stop = [](std::size_t) { throw Cancelled("stop"); };
  EXPECT_THROW(fbp(sinogram, s.geometry, {.on_slice = stop}), Cancelled);
}

// SIRT is the same loop of array operations on both backends (sirt.cpp); differences of rounding
// grow slowly over the iterations.
TEST(TomoCudaSirt, SheppLoganMatchesCpuIterationByIteration) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack(96, 110, 53.25);
  const ArrayF sinogram = project(s.volume, s.geometry);
  std::vector<double> cpu_residuals, gpu_residuals;
  ArrayF cpu = ArrayF::zeros(s.volume.shape());
  sirt(sinogram, s.geometry, cpu,
       {.iterations = 20, .min = 0.0, .on_iteration = [&](const SirtIteration& it) { cpu_residuals.push_back(it.residual_norm); }});
  ArrayF gpu = ArrayF::zeros(s.volume.shape()).to(kGpu);
  sirt(sinogram.to(kGpu), s.geometry, gpu,
       {.iterations = 20, .min = 0.0, .on_iteration = [&](const SirtIteration& it) { gpu_residuals.push_back(it.residual_norm); }});
  EXPECT_EQ(gpu.space(), kGpu);
  ASSERT_EQ(gpu_residuals.size(), cpu_residuals.size());
  for (std::size_t i = 0; i < cpu_residuals.size(); ++i)
    EXPECT_NEAR(gpu_residuals[i], cpu_residuals[i], 1e-5 * cpu_residuals[i]) << "iteration " << i + 1;
  EXPECT_LT(fixtures::relative_max(on_host(gpu), cpu), 1e-4);
}

TEST(TomoCudaSirt, ClampsAndWarmStartsOnTheGpu) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack(48, 48, -1);
  const ArrayF sinogram = project(s.volume, s.geometry).to(kGpu);
  ArrayF straight = ArrayF::zeros(s.volume.shape()).to(kGpu);
  sirt(sinogram, s.geometry, straight, {.iterations = 12, .min = 0.1, .max = 0.3});
  ArrayF resumed = ArrayF::zeros(s.volume.shape()).to(kGpu);
  sirt(sinogram, s.geometry, resumed, {.iterations = 7, .min = 0.1, .max = 0.3});
  sirt(sinogram, s.geometry, resumed, {.iterations = 5, .min = 0.1, .max = 0.3});
  const ArrayF a = on_host(straight), b = on_host(resumed);
  for (std::size_t i = 0; i < a.size(); ++i) {
    ASSERT_FLOAT_EQ(a[i], b[i]) << "voxel " << i;
    ASSERT_GE(a[i], 0.1f);
    ASSERT_LE(a[i], 0.3f);
  }
}

TEST(TomoCudaDispatch, ArraysInDifferentSpacesAreRejected) {
  XRECON_REQUIRE_GPU();
  const SheppLoganStack s = shepp_logan_stack(32, 32, -1);
  const ArrayF sinogram = project(s.volume, s.geometry);
  ArrayF host_volume = ArrayF::zeros(s.volume.shape());
  ArrayF gpu_volume = host_volume.to(kGpu);
  EXPECT_THROW(sirt(sinogram.to(kGpu), s.geometry, host_volume, {.iterations = 1}), InputError);
  EXPECT_THROW(sirt(sinogram, s.geometry, gpu_volume, {.iterations = 1}), InputError);
}

// Input checks run on the GPU too, and name the first bad value's place.
TEST(TomoCudaDispatch, NonFiniteValuesAreLocated) {
  XRECON_REQUIRE_GPU();
  const Geometry geometry{.angles = fixtures::uniform_angles(8), .cols = 16, .n = 16};
  ArrayF volume = fixtures::random_array(Shape{3, 16, 16}, 19);
  volume[(1 * 16 + 2) * 16 + 5] = std::nanf("");
  try {
    project(volume.to(kGpu), geometry);
    FAIL() << "a NaN in the volume was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("NaN at slice 1, row 2, col 5"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace xrecon::tomo
