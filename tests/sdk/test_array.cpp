#include <gtest/gtest.h>

#include "xrecon/array.hpp"

using namespace xrecon;

TEST(Array, ShapeSizeAndZeros) {
  ArrayF a = ArrayF::zeros({2, 3, 4});
  EXPECT_EQ(a.rank(), 3u);
  EXPECT_EQ(a.size(), 24u);
  EXPECT_EQ(a.shape().to_string(), "(2x3x4)");
  for (float v : a.host_span()) EXPECT_EQ(v, 0.0f);
  EXPECT_EQ(reinterpret_cast<std::uintptr_t>(a.data()) % 64, 0u);
}

TEST(Array, DefaultConstructedIsEmpty) {
  EXPECT_TRUE(ArrayF().empty());
  EXPECT_TRUE(ArrayF(Shape{0, 3}).empty());
  EXPECT_FALSE(ArrayF::zeros({1}).empty());
}

TEST(Array, CopiesAliasClonesDoNot) {
  ArrayF a = ArrayF::zeros({4});
  ArrayF alias = a;
  ArrayF copy = a.clone();
  a[1] = 5;
  EXPECT_EQ(alias[1], 5);
  EXPECT_EQ(copy[1], 0);
}

TEST(Array, ReshapeKeepsBytesAndChecksSize) {
  ArrayF a = ArrayF::zeros({2, 6});
  a[7] = 3;
  ArrayF b = a.reshaped({3, 4});
  EXPECT_EQ(b[7], 3);
  EXPECT_THROW(a.reshaped({5}), InputError);
  EXPECT_THROW(Shape({1, 2, 3, 4, 5}), InputError);
}

TEST(Array, CudaSpaceWithoutCudaIsNotCompiled) {
  if (cuda_compiled()) GTEST_SKIP() << "this build has CUDA; covered by sdk_gpu_tests";
  EXPECT_THROW(ArrayF({4}, MemorySpace::cuda(0)), NotCompiled);
}
