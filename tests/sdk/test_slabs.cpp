// The SDK's multi-device helpers (xrecon/slabs.hpp): the split, the memory plan, slices to and
// from a volume, and the halo exchange: every rank's slab, widened by its neighbours' slices
// through the communicator, equals the same slices cut from the whole volume, for slabs shorter
// and longer than the halo and for ranks without slices.
#include <gtest/gtest.h>

#include <cstdlib>
#include <mutex>
#include <string>

#include <xrecon/slabs.hpp>

#include "support/fake_context.hpp"

namespace xrecon {
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

TEST(Slabs, SplitCoversTheSlicesInOrderWithWorkOnTheFirst) {
  for (std::size_t slices : {0u, 1u, 5u, 13u})
    for (std::size_t parts : {1u, 2u, 3u, 8u}) {
      const std::vector<Slab> slabs = split_slices(slices, parts);
      ASSERT_EQ(slabs.size(), parts);
      EXPECT_EQ(slabs.front().begin, 0u);
      EXPECT_EQ(slabs.back().end, slices);
      for (std::size_t k = 0; k < parts; ++k) {
        if (k > 0) EXPECT_EQ(slabs[k].begin, slabs[k - 1].end);
        EXPECT_LE(slabs[k].size(), (slices + parts - 1) / parts);
        EXPECT_GE(slabs[k].size() + 1, slices / parts);
      }
      if (slices > 0) EXPECT_FALSE(slabs.front().empty());
    }
  EXPECT_THROW(split_slices(4, 0), InputError);
}

TEST(Slabs, VolumeSlicesAndPutSlicesRoundTrip) {
  const ArrayF whole = numbered_volume(7);
  ArrayF rebuilt = ArrayF::zeros(whole.shape());
  for (const Slab& slab : split_slices(7, 3)) put_slices(volume_slices(whole, slab, MemorySpace::host()), slab, rebuilt);
  for (std::size_t i = 0; i < whole.size(); ++i) EXPECT_EQ(rebuilt[i], whole[i]) << i;
  EXPECT_THROW(volume_slices(whole, Slab{5, 8}, MemorySpace::host()), InputError);
  EXPECT_THROW(put_slices(numbered_volume(2), Slab{0, 3}, rebuilt), InputError);
}

TEST(Slabs, ProjectionRowsCutTheDetectorRowsOfEveryAngle) {
  ArrayF projections(Shape{2, 4, 3});  // value 100 angle + 10 row + col
  for (std::size_t i = 0; i < projections.size(); ++i) projections[i] = float(100 * (i / 12) + 10 * (i / 3 % 4) + i % 3);
  const ArrayF rows = projection_rows(projections, Slab{1, 3}, MemorySpace::host());
  ASSERT_EQ(rows.shape(), (Shape{2, 2, 3}));
  for (std::size_t i = 0; i < rows.size(); ++i)
    EXPECT_EQ(rows[i], float(100 * (i / 6) + 10 * (1 + i / 3 % 2) + i % 3)) << i;
}

// Two ranks on the host share its memory: with a 1 MiB limit each may count on 0.9 x 1 MiB / 2
// = 471859 bytes, which holds 4 slices of 100000 bytes beside 71859 fixed ones.
TEST(Slabs, PlanCutsEachSlabIntoChunksThatFit) {
  testing::FakeContext context(testing::cpu_devices(2));
  setenv("XRECON_MEMORY_LIMIT", "1M", 1);
  const MemoryNeed need{.fixed = 71859, .per_slice = 100000};
  const std::vector<std::vector<Slab>> plan = plan_chunks(context, 10, need, "test.stage");
  ASSERT_EQ(plan.size(), 2u);
  ASSERT_EQ(plan[0].size(), 2u);
  ASSERT_EQ(plan[1].size(), 2u);
  EXPECT_EQ(plan[0][0].begin, 0u);
  EXPECT_EQ(plan[0][0].end, 4u);
  EXPECT_EQ(plan[0][1].end, 5u);
  EXPECT_EQ(plan[1][0].begin, 5u);
  EXPECT_EQ(plan[1][0].end, 9u);
  EXPECT_EQ(plan[1][1].end, 10u);
  ASSERT_FALSE(context.log_lines().empty());
  EXPECT_NE(context.log_lines().back().text.find("test.stage: slabs cut"), std::string::npos);

  EXPECT_EQ(plan_chunks(context, 8, need, "test.stage")[1].size(), 1u);  // 4 slices fit
  EXPECT_THROW(plan_chunks(context, 10, need, "test.stage", true), InputError);
  try {
    plan_chunks(context, 10, MemoryNeed{.fixed = 0, .per_slice = 500000}, "test.stage");
    ADD_FAILURE() << "a slice larger than the budget was planned";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("not even one slice fits"), std::string::npos) << e.what();
  }
  unsetenv("XRECON_MEMORY_LIMIT");
}

TEST(Slabs, SharingIsNothingWhenThisProcessDrivesEveryRank) {
  testing::FakeContext context(testing::cpu_devices(3));
  ArrayF volume = numbered_volume(5);
  share_slabs(context, volume);
  EXPECT_EQ(volume[6], 100.0f);
  std::vector<double> per_rank{1, 2, 3};
  share_per_rank(context, per_rank);
  EXPECT_EQ(per_rank, (std::vector<double>{1, 2, 3}));
  EXPECT_EQ(device_count(context), "3 devices");
}

}  // namespace
}  // namespace xrecon
