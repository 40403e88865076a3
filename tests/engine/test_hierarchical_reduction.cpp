// The hierarchical allreduce: its plan for synthetic topologies (one DGX-like node, two cliques
// of four, PCIe only, two nodes) and, run over the threads backend, the flat allreduce's result.
#include <gtest/gtest.h>

#include <thread>
#include <vector>

#include "xrecon/engine/hierarchical_communicator.hpp"
#include "xrecon/engine/thread_communicator.hpp"

using namespace xrecon::engine;
using Kind = ReductionStep::Kind;
using Level = ReductionStep::Level;

namespace {

// `ranks` ranks, `per_clique` to a clique and `per_node` to a node.
std::vector<RankPlace> places(int ranks, int per_clique, int per_node) {
  std::vector<RankPlace> result;
  for (int r = 0; r < ranks; ++r) result.push_back({r / per_node, (r % per_node) / per_clique});
  return result;
}

std::unique_ptr<xrecon::Communicator> threads_over(const std::vector<int>& ranks) {
  return std::make_unique<ThreadCommunicator>(int(ranks.size()));
}

}  // namespace

TEST(HierarchicalPlan, OneCliqueIsOneAllreduce) {
  const auto plan = hierarchical_allreduce_plan(places(8, 8, 8));
  EXPECT_EQ(plan, (std::vector<ReductionStep>{{Kind::allreduce, Level::clique, {0, 1, 2, 3, 4, 5, 6, 7}, -1}}))
      << describe_plan(plan);
}

TEST(HierarchicalPlan, TwoCliquesReduceThenLeadersAllreduceThenBroadcast) {
  const auto plan = hierarchical_allreduce_plan(places(8, 4, 8));
  EXPECT_EQ(describe_plan(plan),
            "reduce clique [0,1,2,3] root 0\n"
            "reduce clique [4,5,6,7] root 4\n"
            "allreduce node [0,4]\n"
            "broadcast clique [0,1,2,3] root 0\n"
            "broadcast clique [4,5,6,7] root 4\n");
}

TEST(HierarchicalPlan, PcieOnlyIsOneAllreduceAcrossTheNode) {
  const auto plan = hierarchical_allreduce_plan(places(4, 1, 4));
  EXPECT_EQ(describe_plan(plan), "allreduce node [0,1,2,3]\n");
}

TEST(HierarchicalPlan, TwoNodesGoThroughNodeLeaders) {
  // Two nodes, each with two cliques of two GPUs.
  const auto plan = hierarchical_allreduce_plan(places(8, 2, 4));
  EXPECT_EQ(describe_plan(plan),
            "reduce clique [0,1] root 0\n"
            "reduce clique [2,3] root 2\n"
            "reduce clique [4,5] root 4\n"
            "reduce clique [6,7] root 6\n"
            "reduce node [0,2] root 0\n"
            "reduce node [4,6] root 4\n"
            "allreduce cluster [0,4]\n"
            "broadcast node [0,2] root 0\n"
            "broadcast node [4,6] root 4\n"
            "broadcast clique [0,1] root 0\n"
            "broadcast clique [2,3] root 2\n"
            "broadcast clique [4,5] root 4\n"
            "broadcast clique [6,7] root 6\n");
}

TEST(HierarchicalPlan, InterleavedCliquesAreGroupedByPlaceNotRankOrder) {
  const std::vector<RankPlace> interleaved{{0, 0}, {0, 1}, {0, 0}, {0, 1}};
  EXPECT_EQ(describe_plan(hierarchical_allreduce_plan(interleaved)),
            "reduce clique [0,2] root 0\nreduce clique [1,3] root 1\nallreduce node [0,1]\n"
            "broadcast clique [0,2] root 0\nbroadcast clique [1,3] root 1\n");
}

TEST(HierarchicalPlan, SingleRankNeedsNoStep) { EXPECT_TRUE(hierarchical_allreduce_plan(places(1, 1, 1)).empty()); }

class HierarchicalAllreduce : public ::testing::TestWithParam<std::vector<RankPlace>> {};

TEST_P(HierarchicalAllreduce, EqualsTheFlatAllreduce) {
  const std::vector<RankPlace> layout = GetParam();
  const int n = int(layout.size());
  HierarchicalCommunicator hierarchical(layout, threads_over);
  ThreadCommunicator flat(n);
  EXPECT_EQ(hierarchical.backend(), "hierarchical(threads)");
  constexpr std::size_t count = 37;
  // Integer-valued inputs: every summation order gives the same exact sums.
  auto input = [](int rank, std::size_t i) { return double((rank + 1) * 1000 + int(i) * (rank % 3 + 1)); };
  const auto ranks = static_cast<std::size_t>(n);
  std::vector<std::vector<float>> h_float(ranks), f_float(ranks);
  std::vector<std::vector<double>> h_double(ranks), f_double(ranks);
  std::vector<std::thread> threads;
  for (int r = 0; r < n; ++r)
    threads.emplace_back([&, r] {
      const auto R = std::size_t(r);
      for (std::size_t i = 0; i < count; ++i) {
        h_float[R].push_back(float(input(r, i)));
        h_double[R].push_back(input(r, i) + 0.25);
      }
      f_float[R] = h_float[R];
      f_double[R] = h_double[R];
      hierarchical.allreduce_sum(r, std::span<float>(h_float[R]));
      hierarchical.allreduce_sum(r, std::span<double>(h_double[R]));
      flat.allreduce_sum(r, std::span<float>(f_float[R]));
      flat.allreduce_sum(r, std::span<double>(f_double[R]));
    });
  for (auto& t : threads) t.join();
  for (int r = 0; r < n; ++r) {
    EXPECT_EQ(h_float[std::size_t(r)], f_float[std::size_t(r)]) << "rank " << r;
    EXPECT_EQ(h_double[std::size_t(r)], f_double[std::size_t(r)]) << "rank " << r;
  }
}

INSTANTIATE_TEST_SUITE_P(Topologies, HierarchicalAllreduce,
                         ::testing::Values(places(8, 8, 8), places(8, 4, 8), places(4, 1, 4), places(8, 2, 4),
                                           places(1, 1, 1), places(6, 2, 3)));

TEST(HierarchicalCommunicator, OtherCollectivesUseTheFlatCommunicator) {
  HierarchicalCommunicator comm(places(4, 2, 4), threads_over);
  std::vector<std::vector<float>> all(4, std::vector<float>(4));
  std::vector<std::thread> threads;
  for (int r = 0; r < 4; ++r)
    threads.emplace_back([&, r] {
      const float mine = float(r * 10);
      comm.allgather(r, std::span<const float>(&mine, 1), all[std::size_t(r)]);
      comm.barrier(r);
    });
  for (auto& t : threads) t.join();
  for (const auto& a : all) EXPECT_EQ(a, (std::vector<float>{0, 10, 20, 30}));
}
