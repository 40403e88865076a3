// The index math of the CUDA scatter kernel (ptycho_math.hpp: footprint_pixel, footprint_gather)
// run on the host, as the kernel runs it: each footprint pixel of each window gathers its four
// bilinear contributions. For windows inside the object it equals the OpenMP scatter; for
// windows that stick out on any side (a negative corner too) it writes nothing outside the object
// and keeps exactly the contributions that land inside.
#include <gtest/gtest.h>

#include <complex>
#include <vector>

#include "../../solvers/ptycho/operators.hpp"
#include "../../solvers/ptycho/ptycho_math.hpp"
#include "ptycho_test_support.hpp"

namespace {

using xrecon::ArrayCF;
using xrecon::ArrayD;
using xrecon::MemorySpace;
using xrecon::Shape;
namespace pd = xrecon::ptycho::detail;
namespace fixtures = xrecon::ptycho::fixtures;
using ComplexD = std::complex<double>;

constexpr long kObject = 20;  // rows and columns of the object
constexpr long kWindow = 6;   // rows and columns of a window
constexpr long kGuard = 2;    // a frame of pixels around the object that no write may touch
constexpr long kFramed = kObject + 2 * kGuard;

// Object pixel (r, c) of a framed object, r and c in [-kGuard, kObject + kGuard).
std::size_t framed_index(long r, long c) { return std::size_t((r + kGuard) * kFramed + c + kGuard); }

// The kernel's loop on the host, into an object inside a guard frame.
std::vector<ComplexD> footprint_scatter(const ArrayCF& windows, const std::vector<double>& positions) {
  std::vector<ComplexD> framed(std::size_t(kFramed * kFramed));
  for (std::size_t j = 0; j < windows.extent(0); ++j) {
    const pd::BilinearCorner c = pd::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    const auto sample = [&](long y, long x) {
      if (y < 0 || x < 0 || y >= kWindow || x >= kWindow) return ComplexD{};
      return ComplexD(windows[(j * kWindow + std::size_t(y)) * kWindow + std::size_t(x)]);
    };
    for (long y = 0; y <= kWindow; ++y)
      for (long x = 0; x <= kWindow; ++x) {
        const pd::FootprintPixel pixel = pd::footprint_pixel(c, y, x, kObject, kObject);
        if (!pixel.inside) continue;
        framed[framed_index(pixel.row, pixel.col)] += pd::footprint_gather<ComplexD>(c, y, x, sample);
      }
  }
  return framed;
}

// Each window sample pushed to its four neighbours, dropping those outside the object.
std::vector<ComplexD> clipped_reference(const ArrayCF& windows, const std::vector<double>& positions) {
  std::vector<ComplexD> framed(std::size_t(kFramed * kFramed));
  const auto add = [&](long r, long c, ComplexD v) {
    if (r >= 0 && c >= 0 && r < kObject && c < kObject) framed[framed_index(r, c)] += v;
  };
  for (std::size_t j = 0; j < windows.extent(0); ++j) {
    const pd::BilinearCorner c = pd::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    for (long y = 0; y < kWindow; ++y)
      for (long x = 0; x < kWindow; ++x) {
        const ComplexD v(windows[(j * kWindow + std::size_t(y)) * kWindow + std::size_t(x)]);
        const long r = c.row + y, col = c.col + x;
        add(r, col, c.w00 * v);
        add(r, col + 1, c.w01 * v);
        add(r + 1, col, c.w10 * v);
        add(r + 1, col + 1, c.w11 * v);
      }
  }
  return framed;
}

void expect_guard_untouched(const std::vector<ComplexD>& framed) {
  for (long r = -kGuard; r < kObject + kGuard; ++r)
    for (long c = -kGuard; c < kObject + kGuard; ++c)
      if (r < 0 || c < 0 || r >= kObject || c >= kObject)
        ASSERT_EQ(framed[framed_index(r, c)], ComplexD{}) << "a write outside the object at (" << r << ", " << c << ")";
}

double largest(const std::vector<ComplexD>& values) {
  double m = 0;
  for (const ComplexD& v : values) m = std::max(m, std::abs(v));
  return m;
}

}  // namespace

TEST(PtychoScatterFootprint, MatchesTheHostScatterForWindowsInside) {
  // Fractional positions, whole-pixel ones, and windows flush with each edge (zero weights reach
  // one past the last row / column, which the gather skips and the host clamps).
  const std::vector<double> positions{0, 0, 0.5, 3.25, 7.75, 0, 14, 14, 13.5, 14, 14, 2.125, 9.3, 11.9};
  const std::size_t count = positions.size() / 2;
  const ArrayCF windows = fixtures::random_complex(Shape{count, std::size_t(kWindow), std::size_t(kWindow)}, 11);
  ArrayD host_positions(Shape{count, 2});
  for (std::size_t i = 0; i < positions.size(); ++i) host_positions[i] = positions[i];
  pd::ArrayCD object = pd::zeros_double(Shape{std::size_t(kObject), std::size_t(kObject)}, MemorySpace::host());
  pd::scatter_windows(windows, host_positions, object);

  const std::vector<ComplexD> gathered = footprint_scatter(windows, positions);
  expect_guard_untouched(gathered);
  const double scale = largest(gathered);
  ASSERT_GT(scale, 0);
  for (long r = 0; r < kObject; ++r)
    for (long c = 0; c < kObject; ++c)
      ASSERT_LT(std::abs(gathered[framed_index(r, c)] - object[std::size_t(r * kObject + c)]), 1e-12 * scale)
          << "pixel (" << r << ", " << c << ")";
}

TEST(PtychoScatterFootprint, WindowsStickingOutWriteOnlyInsideTheObject) {
  // Corners before the first row / column (floor gives -1), and past the last ones by a fraction
  // (a non-zero weight then reaches one past the edge).
  const std::vector<double> positions{-0.5, -0.25, -0.75, 3.5, 4.0, -0.999, 14.6, 14.3, -0.1, 14.9};
  const std::size_t count = positions.size() / 2;
  const ArrayCF windows = fixtures::random_complex(Shape{count, std::size_t(kWindow), std::size_t(kWindow)}, 12);
  const std::vector<ComplexD> gathered = footprint_scatter(windows, positions);
  expect_guard_untouched(gathered);
  const std::vector<ComplexD> expected = clipped_reference(windows, positions);
  const double scale = largest(expected);
  ASSERT_GT(scale, 0);
  for (std::size_t i = 0; i < expected.size(); ++i)
    ASSERT_LT(std::abs(gathered[i] - expected[i]), 1e-12 * scale) << "framed index " << i;
}

TEST(PtychoScatterFootprint, FootprintPixelGuardsEverySide) {
  const pd::BilinearCorner top_left = pd::bilinear_corner(-0.5, -0.5);
  EXPECT_EQ(top_left.row, -1);
  EXPECT_FALSE(pd::footprint_pixel(top_left, 0, 3, kObject, kObject).inside);
  EXPECT_FALSE(pd::footprint_pixel(top_left, 3, 0, kObject, kObject).inside);
  EXPECT_TRUE(pd::footprint_pixel(top_left, 1, 1, kObject, kObject).inside);
  const pd::BilinearCorner bottom_right = pd::bilinear_corner(14.5, 14.5);
  EXPECT_TRUE(pd::footprint_pixel(bottom_right, 5, 5, kObject, kObject).inside);
  EXPECT_FALSE(pd::footprint_pixel(bottom_right, 6, 0, kObject, kObject).inside);
  EXPECT_FALSE(pd::footprint_pixel(bottom_right, 0, 6, kObject, kObject).inside);
}
