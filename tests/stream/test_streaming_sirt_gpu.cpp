// Sliding-window SIRT with its image on GPU 0 against the same stream on the host (label gpu):
// the same refreshes, and after each the same image to float round-off. Skips, with the reason,
// on a machine without a GPU.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <vector>

#include "support/gpu.hpp"
#include "xrecon/sim/acquisition.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/streaming_sirt.hpp"

namespace xrecon::tomo {
namespace {

constexpr std::size_t kSize = 96, kRows = 3;

// max |a - b| over max |b|, a on any space, b on the host.
double relative_difference(const ArrayF& a, const ArrayF& b) {
  const ArrayF host = a.to(MemorySpace::host());
  double worst = 0, scale = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    worst = std::max(worst, double(std::fabs(host[i] - b[i])));
    scale = std::max(scale, double(std::fabs(b[i])));
  }
  return worst / scale;
}

TEST(StreamingSirtGpu, EveryRefreshMatchesTheHostStream) {
  XRECON_REQUIRE_GPU();
  const ArrayF slice = sim::rasterize(sim::shepp_logan_2d(), kSize, 3);
  ArrayF volume(Shape{kRows, kSize, kSize});
  for (std::size_t r = 0; r < kRows; ++r)
    std::copy(slice.data(), slice.data() + slice.size(), volume.data() + r * slice.size());
  const std::vector<double> angles = sim::acquisition_angles(90, 2, sim::AngleOrder::interleaved);
  const ArrayF projections = project(volume, {.angles = angles, .cols = kSize, .n = kSize});

  StreamingSirtOptions options;
  options.window = 24;
  options.step = 12;
  options.sirt.iterations = 3;
  const Geometry detector{.cols = kSize, .n = kSize};
  StreamingSirt host(detector, kRows, options);
  StreamingSirt gpu(detector, kRows, options, MemorySpace::cuda(0));
  ASSERT_EQ(gpu.image().space(), MemorySpace::cuda(0));

  const std::size_t values = kRows * kSize;
  for (std::size_t k = 0; k < angles.size(); ++k) {
    const bool refreshed = host.add(projections.data() + k * values, angles[k]);
    ASSERT_EQ(gpu.add(projections.data() + k * values, angles[k]), refreshed) << "projection " << k;
    // The GPU's projector sums rays in another order (float round-off ~1e-6 per operation); the
    // refreshes carry it along, 3 iterations each, 15 refreshes in all.
    if (refreshed) EXPECT_LT(relative_difference(gpu.image(), host.image()), 1e-4) << "refresh " << host.refreshes();
  }
  EXPECT_EQ(gpu.refreshes(), host.refreshes());
  EXPECT_TRUE(gpu.flush() == host.flush());
  EXPECT_LT(relative_difference(gpu.image(), host.image()), 1e-4);
}

}  // namespace
}  // namespace xrecon::tomo
