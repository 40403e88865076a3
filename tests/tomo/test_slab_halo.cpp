// The halo exchange of the tomography slabs (plugins/tomo/slabs.cpp): every rank's slab, widened
// by its neighbours' slices through the communicator, equals the same slices cut from the whole
// volume, for slabs shorter and longer than the halo and for ranks without slices.
#include <gtest/gtest.h>

#include <mutex>

#include "slabs.hpp"
#include "support/fake_context.hpp"

namespace xrecon::tomo_plugin {
namespace {

// Slice z of a (slices, 2, 3) volume holds 100 z + its pixel index.
ArrayF numbered_volume(std::size_t slices) {
  ArrayF v(Shape{slices, 2, 3});
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = float(100 * (i / 6) + i % 6);
  return v;
}

void expect_widened_slabs(std::size_t slices, std::size_t ranks, std::size_t halo) {
  const ArrayF whole = numbered_volume(slices);
  testing::FakeContext context(testing::cpu_devices(ranks));
  const std::vector<Slab> slabs = split_slices(slices, ranks);
  std::mutex mutex;
  for_each_slab(context, slices, [&](int rank, Slab slab, const Device&) {
    std::size_t before = 0;
    const ArrayF mine = volume_slices(whole, slab, MemorySpace::host());
    const ArrayF widened = widen_with_halo(context, rank, slabs, mine, halo, before);
    const ArrayF own = drop_halo(widened, before, slab.size());
    std::lock_guard lock(mutex);
    const std::string where = std::to_string(slices) + " slices, " + std::to_string(ranks) + " ranks, halo " +
                              std::to_string(halo) + ", rank " + std::to_string(rank);
    if (slab.empty()) return;
    const std::size_t first = slab.begin >= halo ? slab.begin - halo : 0;
    const std::size_t last = std::min(slices, slab.end + halo);
    ASSERT_EQ(before, slab.begin - first) << where;
    ASSERT_EQ(widened.shape(), (Shape{last - first, 2, 3})) << where;
    for (std::size_t i = 0; i < widened.size(); ++i) EXPECT_EQ(widened[i], whole[first * 6 + i]) << where << " at " << i;
    ASSERT_EQ(own.shape(), mine.shape()) << where;
    for (std::size_t i = 0; i < own.size(); ++i) EXPECT_EQ(own[i], mine[i]) << where;
  });
}

TEST(SlabHalo, WidenedSlabsAreTheWholeVolumesSlices) {
  for (std::size_t slices : {1u, 2u, 5u, 8u, 13u})
    for (std::size_t ranks : {1u, 2u, 3u, 4u})
      for (std::size_t halo : {0u, 1u, 2u, 5u}) expect_widened_slabs(slices, ranks, halo);
}

TEST(SlabHalo, NoHaloOrOneRankReturnsTheSlabItself) {
  testing::FakeContext context(testing::cpu_devices(1));
  const ArrayF v = numbered_volume(4);
  std::size_t before = 7;
  const ArrayF w = widen_with_halo(context, 0, split_slices(4, 1), v, 3, before);
  EXPECT_EQ(w.data(), v.data());
  EXPECT_EQ(before, 0u);
  EXPECT_EQ(drop_halo(w, 0, 4).data(), v.data());
}

}  // namespace
}  // namespace xrecon::tomo_plugin
