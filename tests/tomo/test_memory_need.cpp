// The solvers' memory estimates against the array storage they really hold at their peak
// (xrecon::peak_bytes, inputs included): never below it, and no more than 20% above.
#include <gtest/gtest.h>

#include <iostream>
#include <numbers>

#include "xrecon/memory.hpp"
#include "xrecon/tomo/cgls.hpp"
#include "xrecon/tomo/memory_need.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::tomo {
namespace {

const MemorySpace kHost = MemorySpace::host();

Geometry geometry(std::size_t n, std::size_t cols, std::size_t angles) {
  Geometry g{.cols = cols, .n = n};
  for (std::size_t k = 0; k < angles; ++k) g.angles.push_back(std::numbers::pi * double(k) / double(angles));
  return g;
}

// Peak bytes held during `run`, counting the inputs (`held`, already allocated) as held.
template <typename Run>
std::size_t measured_peak(std::size_t held, Run run) {
  reset_peak_bytes(kHost);
  const std::size_t baseline = bytes_in_use(kHost);
  run();
  return peak_bytes(kHost) - baseline + held;
}

void expect_estimate_covers(std::size_t estimate, std::size_t measured, const char* what) {
  std::cout << what << ": estimate " << estimate << " bytes, measured peak " << measured << "\n";
  EXPECT_GE(estimate, measured) << what << " holds more than its estimate";
  EXPECT_LE(double(estimate), 1.2 * double(measured)) << what << "'s estimate is more than 20% above its peak";
}

struct Case {
  std::size_t slices, n, cols, angles;
};

class MemoryNeedTest : public testing::TestWithParam<Case> {};

TEST_P(MemoryNeedTest, SirtEstimateCoversItsPeak) {
  const Case c = GetParam();
  const Geometry g = geometry(c.n, c.cols, c.angles);
  ArrayF b = ArrayF::zeros(Shape{c.angles, c.slices, c.cols});
  ArrayF x = ArrayF::zeros(Shape{c.slices, c.n, c.n});
  const std::size_t held = (b.size() + x.size()) * sizeof(float);
  const std::size_t peak = measured_peak(held, [&] { sirt(b, g, x, {.iterations = 2}); });
  expect_estimate_covers(sirt_memory(g).bytes(c.slices), peak, "sirt");
}

TEST_P(MemoryNeedTest, CglsEstimateCoversItsPeak) {
  const Case c = GetParam();
  const Geometry g = geometry(c.n, c.cols, c.angles);
  ArrayF b = ArrayF::zeros(Shape{c.angles, c.slices, c.cols});
  for (auto& v : b.host_span()) v = 1.0f;  // a non-zero residual, so CGLS takes its steps
  for (const bool proximal : {false, true}) {
    ArrayF x = ArrayF::zeros(Shape{c.slices, c.n, c.n});
    ArrayF v = ArrayF::zeros(x.shape());
    std::size_t held = (b.size() + x.size()) * sizeof(float);
    CglsOptions options{.iterations = 2};
    if (proximal) {
      options.proximal = CglsProximal{0.5, v};
      held += v.size() * sizeof(float);
    }
    const std::size_t peak = measured_peak(held, [&] { cgls(b, g, x, options); });
    expect_estimate_covers(cgls_memory(g, proximal).bytes(c.slices), peak, proximal ? "cgls (proximal)" : "cgls");
  }
}

INSTANTIATE_TEST_SUITE_P(Shapes, MemoryNeedTest,
                         testing::Values(Case{1, 64, 64, 90}, Case{3, 48, 80, 37}, Case{5, 96, 64, 200}),
                         [](const testing::TestParamInfo<Case>& info) {
                           const Case& c = info.param;
                           return std::to_string(c.slices) + "x" + std::to_string(c.n) + "_" + std::to_string(c.angles) +
                                  "x" + std::to_string(c.cols);
                         });

}  // namespace
}  // namespace xrecon::tomo
