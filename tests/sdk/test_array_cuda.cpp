// Host <-> cuda:k round trips through the Array interface. Needs a GPU: skips with a reason otherwise.
#include <gtest/gtest.h>

#include "xrecon/array.hpp"
#include "xrecon/engine/devices.hpp"

using namespace xrecon;

TEST(ArrayCuda, RoundTripThroughDeviceMemory) {
  if (!cuda_compiled()) GTEST_SKIP() << "built without CUDA (-DXRECON_CUDA=OFF or no toolkit)";
  const int gpus = engine::cuda_device_count();
  if (gpus <= 0) GTEST_SKIP() << "no CUDA device present";
  ArrayF host({3, 5, 7});
  for (std::size_t i = 0; i < host.size(); ++i) host[i] = float(i) * 0.25f - 3.0f;
  for (int d = 0; d < gpus; ++d) {
    const ArrayF device = host.to(MemorySpace::cuda(d));
    EXPECT_EQ(device.space(), MemorySpace::cuda(d));
    EXPECT_THROW(device.host_span(), InputError);
    const ArrayF on_device_copy = device.clone();
    const ArrayF back = on_device_copy.to(MemorySpace::host());
    ASSERT_EQ(back.shape(), host.shape());
    for (std::size_t i = 0; i < host.size(); ++i) ASSERT_EQ(back[i], host[i]);
  }
}
