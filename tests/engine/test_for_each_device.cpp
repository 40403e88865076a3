// for_each_device: one rank per device, each on its own thread, and a failing rank that neither
// deadlocks the others nor hides its own exception behind their Cancelled.
#include <gtest/gtest.h>

#include <mutex>
#include <set>
#include <thread>

#include "support/fake_context.hpp"
#include "xrecon/for_each_device.hpp"

using namespace xrecon;
using xrecon::testing::FakeContext;
using xrecon::testing::cpu_devices;

TEST(ForEachDevice, RunsEveryRankOnItsDevice) {
  for (std::size_t count : {1u, 2u, 3u, 4u}) {
    FakeContext context(cpu_devices(count));
    std::mutex m;
    std::set<int> ranks;
    std::set<std::thread::id> threads;
    for_each_device(context, [&](int rank, const Device& device) {
      EXPECT_EQ(device.index, rank);
      std::lock_guard lock(m);
      ranks.insert(rank);
      threads.insert(std::this_thread::get_id());
    });
    EXPECT_EQ(ranks.size(), count);
    EXPECT_EQ(threads.size(), count);
  }
}

TEST(ForEachDevice, RanksMeetInTheContextsCommunicator) {
  FakeContext context(cpu_devices(3));
  std::vector<double> sums(3);
  for_each_device(context, [&](int rank, const Device&) {
    double v = rank + 1;
    context.communicator().allreduce_sum(rank, std::span<double>(&v, 1));
    sums[std::size_t(rank)] = v;
  });
  EXPECT_EQ(sums, (std::vector<double>{6, 6, 6}));
}

TEST(ForEachDevice, TheFirstFailureIsRethrownAndWakesTheOthers) {
  FakeContext context(cpu_devices(4));
  try {
    for_each_device(context, [&](int rank, const Device&) {
      if (rank == 1) throw InputError("slab 1 is broken");
      context.communicator().barrier(rank);  // would wait forever for rank 1 without the abort
    });
    ADD_FAILURE() << "no exception";
  } catch (const InputError& e) {
    EXPECT_STREQ(e.what(), "slab 1 is broken");
  }
}
