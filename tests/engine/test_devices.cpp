#include <gtest/gtest.h>

#include "xrecon/engine/devices.hpp"

using namespace xrecon;
using namespace xrecon::engine;

TEST(Devices, CpuForms) {
  EXPECT_EQ(parse_devices("cpu").size(), 1u);
  const auto four = parse_devices("cpu:4");
  ASSERT_EQ(four.size(), 4u);
  EXPECT_EQ(four[3].to_string(), "cpu:3");
  EXPECT_THROW(parse_devices("cpu:0"), InputError);
  EXPECT_THROW(parse_devices("gpu"), InputError);
}

TEST(Devices, CudaNeedsABuildAndADevice) {
  const int gpus = cuda_device_count();
  if (gpus > 0) {
    EXPECT_EQ(parse_devices("cuda").size(), std::size_t(gpus));
    EXPECT_EQ(parse_devices("auto")[0].kind, Device::Kind::cuda);
  } else {
    if (gpus < 0) EXPECT_THROW(parse_devices("cuda"), NotCompiled);
    else EXPECT_THROW(parse_devices("cuda:0"), InputError);
    EXPECT_EQ(parse_devices("auto")[0].kind, Device::Kind::cpu);
  }
}
