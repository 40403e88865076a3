// The CUDA array operations against the OpenMP ones on the same data. Sizes cover a single
// element, the scalar tail after the 16-byte accesses, and more elements than one pass of the
// grid-stride loop (2048 blocks x 256 threads x 4). Needs a GPU: skips with the reason otherwise.
#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <vector>

#include "support/gpu.hpp"
#include "xrecon/linalg/array_ops.hpp"

using namespace xrecon;

namespace {

const MemorySpace kGpu = MemorySpace::cuda(0);
const std::vector<std::size_t> kSizes = {1, 3, 4, 1001, 100003, 5 * 2048 * 256 + 3};

ArrayF random_array(std::size_t n, unsigned seed, float lo = -2.0f, float hi = 2.0f) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(lo, hi);
  ArrayF a({n});
  for (std::size_t i = 0; i < n; ++i) a[i] = u(rng);
  return a;
}

ArrayF on_host(const ArrayF& a) { return a.to(MemorySpace::host()); }

// Either backend may fuse a multiply-add (one rounding instead of two): a few ulp of |values| <= 6.
constexpr float kFusedTolerance = 2e-6f;

void expect_near(const ArrayF& gpu, const ArrayF& cpu, float tolerance, const char* op) {
  const ArrayF g = on_host(gpu);
  ASSERT_EQ(g.size(), cpu.size());
  for (std::size_t i = 0; i < cpu.size(); ++i)
    ASSERT_NEAR(g[i], cpu[i], tolerance) << op << ", element " << i << " of " << cpu.size();
}

// Operations with one rounding per element give the same bits on both backends.
void expect_equal(const ArrayF& gpu, const ArrayF& cpu, const char* op) {
  const ArrayF g = on_host(gpu);
  ASSERT_EQ(g.size(), cpu.size());
  for (std::size_t i = 0; i < cpu.size(); ++i) ASSERT_EQ(g[i], cpu[i]) << op << ", element " << i << " of " << cpu.size();
}

}  // namespace

TEST(ArrayOpsCuda, DotAndSquaredNormMatchHost) {
  XRECON_REQUIRE_GPU();
  for (std::size_t n : kSizes) {
    const ArrayF a = random_array(n, 1), b = random_array(n, 2);
    const double norm = linalg::squared_norm(a);
    // Products of floats are exact in double; only the order of the double sums differs.
    EXPECT_NEAR(linalg::dot(a.to(kGpu), b.to(kGpu)), linalg::dot(a, b), 1e-12 * norm) << "n " << n;
    EXPECT_NEAR(linalg::squared_norm(a.to(kGpu)), norm, 1e-12 * norm) << "n " << n;
  }
}

TEST(ArrayOpsCuda, DotIsReproducible) {
  XRECON_REQUIRE_GPU();
  const ArrayF a = random_array(kSizes.back(), 3).to(kGpu), b = random_array(kSizes.back(), 4).to(kGpu);
  const double first = linalg::dot(a, b);
  for (int run = 0; run < 5; ++run) ASSERT_EQ(linalg::dot(a, b), first);
}

TEST(ArrayOpsCuda, ElementwiseOperationsMatchHost) {
  XRECON_REQUIRE_GPU();
  for (std::size_t n : kSizes) {
    SCOPED_TRACE("n " + std::to_string(n));
    const ArrayF x = random_array(n, 5), w = random_array(n, 6, 0.0f, 1.0f);
    const ArrayF y0 = random_array(n, 7);
    const ArrayF x_gpu = x.to(kGpu), w_gpu = w.to(kGpu);

    ArrayF cpu, gpu;
    // Every operation starts from the same y on both backends.
    auto restart = [&] {
      cpu = y0.clone();
      gpu = y0.to(kGpu);
    };

    restart();
    linalg::fill(cpu, 0.75f);
    linalg::fill(gpu, 0.75f);
    expect_equal(gpu, cpu, "fill");

    restart();
    linalg::axpy(-0.3f, x, cpu);
    linalg::axpy(-0.3f, x_gpu, gpu);
    expect_near(gpu, cpu, kFusedTolerance, "axpy");

    restart();
    linalg::xpay(x, 0.6f, cpu);
    linalg::xpay(x_gpu, 0.6f, gpu);
    expect_near(gpu, cpu, kFusedTolerance, "xpay");

    restart();
    linalg::multiply(w, cpu);
    linalg::multiply(w_gpu, gpu);
    expect_equal(gpu, cpu, "multiply");

    restart();
    linalg::weighted_axpy(w, x, cpu);
    linalg::weighted_axpy(w_gpu, x_gpu, gpu);
    expect_near(gpu, cpu, kFusedTolerance, "weighted_axpy");

    restart();
    linalg::clamp(cpu, -0.5f, 1.25f);
    linalg::clamp(gpu, -0.5f, 1.25f);
    expect_equal(gpu, cpu, "clamp");

    // Values on both sides of the threshold, negatives among them: both branches.
    cpu = random_array(n, 8, -1e-5f, 2.0f);
    gpu = cpu.to(kGpu);
    linalg::invert_above(cpu, 1e-6f, 0.5f);
    linalg::invert_above(gpu, 1e-6f, 0.5f);
    expect_equal(gpu, cpu, "invert_above");
  }
}

TEST(ArrayOpsCuda, ClampKeepsNaNAsTheHostDoes) {
  XRECON_REQUIRE_GPU();
  ArrayF host({5});
  host[0] = std::nanf(""), host[1] = -3.0f, host[2] = 0.5f, host[3] = 9.0f, host[4] = -INFINITY;
  ArrayF gpu = host.to(kGpu);
  linalg::clamp(host, 0.0f, 1.0f);
  linalg::clamp(gpu, 0.0f, 1.0f);
  const ArrayF back = on_host(gpu);
  EXPECT_TRUE(std::isnan(back[0]));
  for (std::size_t i = 1; i < 5; ++i) EXPECT_EQ(back[i], host[i]) << "element " << i;
}

TEST(ArrayOpsCuda, EmptyArrays) {
  XRECON_REQUIRE_GPU();
  ArrayF empty(Shape{0}, kGpu);
  EXPECT_EQ(linalg::dot(empty, empty), 0.0);
  EXPECT_NO_THROW(linalg::fill(empty, 1.0f));
  EXPECT_NO_THROW(linalg::axpy(2.0f, empty, empty));
}

TEST(ArrayOpsCuda, MixedSpacesAreRejected) {
  XRECON_REQUIRE_GPU();
  const ArrayF host = random_array(16, 9);
  ArrayF gpu = host.to(kGpu);
  EXPECT_THROW(linalg::dot(host, gpu), InputError);
  EXPECT_THROW(linalg::axpy(1.0f, host, gpu), InputError);
  EXPECT_THROW(linalg::weighted_axpy(gpu, host, gpu), InputError);
}
