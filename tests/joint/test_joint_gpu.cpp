// joint.admm's arrays in device memory: the CUDA transmission and linearised log against the
// OpenMP ones, the complex vector algebra of the loop, and the angle <-> slice exchange on device
// buffers against the host one. Needs a GPU: every test skips with the reason otherwise.
//
// Tolerances, and why:
// - transmission and linearised_log run the per-element math of solvers/joint/transmission_math.hpp
//   on both sides, and each image's side mean is added in the same order (the same bits); the
//   backends differ only in their float exp / sin / cos and double atan2 / log / hypot (a few ulps)
//   and in where a compiler fuses a multiply-add: 1e-5 of the largest value.
// - Norms and distances are sums in double in another order: 1e-10.
// - The exchange only copies values and adds zeros to them: exact.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <xrecon/joint/transmission.hpp>
#include <xrecon/joint/vector_algebra.hpp>

#include "angle_blocks.hpp"
#include "redistribute.hpp"
#include "support/gpu.hpp"
#if XRECON_HAVE_CUDA
#include "xrecon/engine/cuda_communicator.hpp"
#endif

namespace xrecon::joint_plugin {
namespace {

const MemorySpace kGpu = MemorySpace::cuda(0);

constexpr double kElementTolerance = 1e-5;  // relative to the largest value
constexpr double kSumTolerance = 1e-10;     // relative

template <typename T>
Array<T> on_host(const Array<T>& a) {
  return a.to(MemorySpace::host());
}

// max |a - b| / max |b|, both on the host.
template <typename T>
double relative_max(const Array<T>& a, const Array<T>& b) {
  EXPECT_EQ(a.shape(), b.shape());
  double difference = 0, scale = 0;
  for (std::size_t i = 0; i < b.size(); ++i) {
    difference = std::max(difference, double(std::abs(a[i] - b[i])));
    scale = std::max(scale, double(std::abs(b[i])));
  }
  return scale > 0 ? difference / scale : difference;
}

double relative(double a, double b) { return std::abs(a - b) / std::max(std::abs(b), 1e-300); }

// (count, rows, cols) phase and attenuation projections with air (0) in the first and last
// columns and |p| < 2.5 between them, so that the linearised log stays on one branch.
struct PhaseAndAttenuation {
  ArrayF phase, attenuation;
};

PhaseAndAttenuation phase_and_attenuation(std::size_t count, std::size_t rows, std::size_t cols, unsigned seed) {
  PhaseAndAttenuation out{ArrayF::zeros(Shape{count, rows, cols}), ArrayF::zeros(Shape{count, rows, cols})};
  std::mt19937 random(seed);
  std::uniform_real_distribution<float> phase(-2.5f, 2.5f), attenuation(0.0f, 2.0f);
  for (std::size_t i = 0; i < out.phase.size(); ++i) {
    const std::size_t c = i % cols;
    if (c == 0 || c + 1 == cols) continue;
    out.phase[i] = phase(random);
    out.attenuation[i] = attenuation(random);
  }
  return out;
}

// Each image of a host stack times its own constant factor (what ptychography leaves free).
ArrayCF with_image_factors(ArrayCF t) {
  const std::size_t frame = t.extent(1) * t.extent(2);
  for (std::size_t i = 0; i < t.size(); ++i) {
    const float k = float(i / frame);
    t[i] *= std::polar(0.6f + 0.2f * k, -1.3f + 0.7f * k);
  }
  return t;
}

struct StackCase {
  std::size_t count, rows, cols;
};

// A few images with partial thread blocks, and one stack of more elements than the kernels'
// grid has threads (2112 blocks x 256), so that the grid-stride loops go round.
const StackCase kStacks[] = {{3, 9, 14}, {1, 5, 2}, {4, 300, 500}};

TEST(JointCuda, TransmissionMatchesCpu) {
  XRECON_REQUIRE_GPU();
  for (const StackCase& c : kStacks) {
    const PhaseAndAttenuation p = phase_and_attenuation(c.count, c.rows, c.cols, 7);
    const ArrayCF cpu = joint::transmission(p.phase, p.attenuation);
    const ArrayCF gpu = joint::transmission(p.phase.to(kGpu), p.attenuation.to(kGpu));
    ASSERT_EQ(gpu.space(), kGpu);
    EXPECT_LT(relative_max(on_host(gpu), cpu), kElementTolerance) << c.count << "x" << c.rows << "x" << c.cols;
  }
}

TEST(JointCuda, LinearisedLogMatchesCpu) {
  XRECON_REQUIRE_GPU();
  for (const StackCase& c : kStacks) {
    const PhaseAndAttenuation p = phase_and_attenuation(c.count, c.rows, c.cols, 11);
    const ArrayCF t = with_image_factors(joint::transmission(p.phase, p.attenuation));
    const joint::LinearisedLog cpu = joint::linearised_log(t);
    const joint::LinearisedLog gpu = joint::linearised_log(t.to(kGpu));
    ASSERT_EQ(gpu.phase.space(), kGpu);
    ASSERT_EQ(gpu.attenuation.space(), kGpu);
    EXPECT_LT(relative_max(on_host(gpu.phase), cpu.phase), kElementTolerance) << c.rows << "x" << c.cols;
    EXPECT_LT(relative_max(on_host(gpu.attenuation), cpu.attenuation), kElementTolerance) << c.rows << "x" << c.cols;
    // And the factors are gone: the projections come back.
    EXPECT_LT(relative_max(on_host(gpu.phase), p.phase), kElementTolerance);
  }
}

TEST(JointCuda, RayWeightsMatchCpu) {
  XRECON_REQUIRE_GPU();
  for (const StackCase& c : kStacks) {
    const PhaseAndAttenuation p = phase_and_attenuation(c.count, c.rows, c.cols, 13);
    const ArrayF gpu = joint::ray_weights(p.attenuation.to(kGpu));
    ASSERT_EQ(gpu.space(), kGpu);
    EXPECT_LT(relative_max(on_host(gpu), joint::ray_weights(p.attenuation)), kElementTolerance);
  }
}

TEST(JointCuda, AnImageWithoutAirAtItsSidesIsRefusedOnTheGpuToo) {
  XRECON_REQUIRE_GPU();
  ArrayCF t(Shape{2, 3, 4});
  for (std::size_t i = 0; i < t.size(); ++i) t[i] = i < 12 ? std::complex<float>(1, 0) : std::complex<float>(0, 0);
  try {
    joint::linearised_log(t.to(kGpu));
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no amplitude at its sides in image 1"), std::string::npos) << e.what();
  }
}

TEST(JointCuda, VectorAlgebraMatchesCpu) {
  XRECON_REQUIRE_GPU();
  const PhaseAndAttenuation p = phase_and_attenuation(3, 6, 8, 13), q = phase_and_attenuation(3, 6, 8, 17);
  const ArrayCF a = joint::transmission(p.phase, p.attenuation), b = joint::transmission(q.phase, q.attenuation);
  const ArrayCF a_gpu = a.to(kGpu), b_gpu = b.to(kGpu);
  EXPECT_LT(relative(joint::squared_norm(a_gpu), joint::squared_norm(a)), kSumTolerance);
  EXPECT_LT(relative(joint::squared_distance(a_gpu, b_gpu), joint::squared_distance(a, b)), kSumTolerance);

  ArrayCF y = a.clone(), y_gpu = a_gpu.clone();
  joint::axpy(-0.75, b, y), joint::axpy(-0.75, b_gpu, y_gpu);
  joint::scale(0.5, y), joint::scale(0.5, y_gpu);
  EXPECT_LT(relative_max(on_host(y_gpu), y), kElementTolerance);

  const ArrayCF second = joint::image(a_gpu, 1);
  ASSERT_EQ(second.space(), kGpu);
  EXPECT_EQ(relative_max(on_host(second), joint::image(a, 1)), 0.0);
  const ArrayCF restacked = joint::stacked(std::vector<ArrayCF>{joint::image(a, 0), second, joint::image(a_gpu, 2)},
                                           Shape{6, 8}, kGpu);
  ASSERT_EQ(restacked.space(), kGpu);
  EXPECT_EQ(relative_max(on_host(restacked), a), 0.0);
}

#if XRECON_HAVE_CUDA
// One rank per GPU where there are enough (NCCL on the device buffers), else every rank on GPU 0
// (the threads backend, staging them through the host).
std::unique_ptr<Communicator> device_communicator(std::size_t ranks) {
  std::vector<int> devices(ranks, 0);
  if (engine::cuda_device_count() >= int(ranks))
    for (std::size_t r = 0; r < ranks; ++r) devices[r] = int(r);
  return engine::make_cuda_communicator(devices);
}
#endif

TEST(JointCuda, TheExchangeInDeviceMemoryIsTheHostOne) {
  XRECON_REQUIRE_GPU();
#if XRECON_HAVE_CUDA
  const std::size_t angles = 7, rows = 5, cols = 6;
  const ArrayF all = numbered(angles, rows, cols);
  for (std::size_t ranks : {1u, 3u}) {
    const std::unique_ptr<Communicator> communicator = device_communicator(ranks);
    const auto angle_slabs = split_slices(angles, ranks), row_slabs = split_slices(rows, ranks);
    std::mutex mutex;
    std::vector<std::string> failures;
    std::vector<std::thread> threads;
    for (std::size_t r = 0; r < ranks; ++r)
      threads.emplace_back([&, r] {
        const int rank = int(r);
        const MemorySpace space = MemorySpace::cuda(engine::cuda_device_count() >= int(ranks) ? rank : 0);
        const auto check = [&](const ArrayF& got, const ArrayF& expected, const char* what) {
          std::lock_guard lock(mutex);
          if (got.space() != space) failures.push_back(std::string(what) + " left " + space.to_string());
          const ArrayF host = on_host(got);
          if (host.shape() != expected.shape() || relative_max(host, expected) != 0.0)
            failures.push_back(std::string(what) + " of rank " + std::to_string(rank) + " of " + std::to_string(ranks));
        };
        try {
          const ArrayF mine = block(all, angle_slabs[r], {0, rows});
          const ArrayF by_slice = angles_to_slices(*communicator, rank, angle_slabs, row_slabs, mine.to(space));
          check(by_slice, block(all, {0, angles}, row_slabs[r]), "angles_to_slices");
          check(slices_to_angles(*communicator, rank, angle_slabs, row_slabs, by_slice), mine, "slices_to_angles");
        } catch (const std::exception& e) {
          communicator->abort();
          std::lock_guard lock(mutex);
          failures.push_back(e.what());
        }
      });
    for (std::thread& t : threads) t.join();
    for (const std::string& f : failures) ADD_FAILURE() << f;
  }
#endif
}

}  // namespace
}  // namespace xrecon::joint_plugin
