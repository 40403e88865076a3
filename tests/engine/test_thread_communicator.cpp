// The threads communicator: every collective with 1 to 4 ranks, sums that do not depend on which
// thread arrives first, disagreeing ranks failing together, and abort() waking waiting ranks.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <exception>
#include <functional>
#include <numeric>
#include <random>
#include <thread>
#include <vector>

#include "xrecon/engine/thread_communicator.hpp"
#include "xrecon/error.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

// Runs `body(rank)` on one thread per rank; returns what each rank threw (null when it returned).
std::vector<std::exception_ptr> run_ranks(ThreadCommunicator& comm, const std::function<void(int)>& body) {
  std::vector<std::exception_ptr> thrown(std::size_t(comm.size()));
  std::vector<std::thread> threads;
  for (int rank = 0; rank < comm.size(); ++rank)
    threads.emplace_back([&, rank] {
      try {
        body(rank);
      } catch (...) {
        thrown[std::size_t(rank)] = std::current_exception();
      }
    });
  for (std::thread& t : threads) t.join();
  return thrown;
}

void expect_all_returned(const std::vector<std::exception_ptr>& thrown) {
  for (std::size_t rank = 0; rank < thrown.size(); ++rank) {
    if (!thrown[rank]) continue;
    try {
      std::rethrow_exception(thrown[rank]);
    } catch (const std::exception& e) {
      ADD_FAILURE() << "rank " << rank << " threw: " << e.what();
    }
  }
}

template <typename E>
bool threw(const std::exception_ptr& p) {
  try {
    if (p) std::rethrow_exception(p);
  } catch (const E&) {
    return true;
  } catch (...) {
  }
  return false;
}

// A short random pause so that ranks arrive at a collective in a different order each time.
void jitter(std::mt19937& rng) { std::this_thread::sleep_for(std::chrono::microseconds(rng() % 200)); }

class Collectives : public ::testing::TestWithParam<int> {
 protected:
  ThreadCommunicator comm{GetParam()};
  int n() const { return GetParam(); }
  std::size_t count() const { return std::size_t(GetParam()); }
};

TEST_P(Collectives, SizeAndBackend) {
  EXPECT_EQ(comm.size(), n());
  EXPECT_EQ(comm.backend(), "threads");
}

TEST_P(Collectives, AllreduceSumOfDoublesAndFloats) {
  std::vector<std::vector<double>> doubles(count());
  std::vector<std::vector<float>> floats(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    auto& d = doubles[std::size_t(rank)];
    auto& f = floats[std::size_t(rank)];
    d = {double(rank), 1.0, 0.5 * rank};
    f = {float(rank + 1), -2.0f};
    comm.allreduce_sum(rank, std::span<double>(d));
    comm.allreduce_sum(rank, std::span<float>(f));
  }));
  const double ranks_sum = n() * (n() - 1) / 2.0;
  for (int rank = 0; rank < n(); ++rank) {
    EXPECT_EQ(doubles[std::size_t(rank)], (std::vector<double>{ranks_sum, double(n()), 0.5 * ranks_sum}));
    EXPECT_EQ(floats[std::size_t(rank)], (std::vector<float>{float(ranks_sum + n()), -2.0f * float(n())}));
  }
}

TEST_P(Collectives, ReduceSumLandsOnTheRootOnly) {
  const int root = n() - 1;
  std::vector<std::vector<float>> values(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    auto& v = values[std::size_t(rank)];
    v = {float(rank), 10.0f};
    comm.reduce_sum(rank, root, std::span<float>(v));
  }));
  for (int rank = 0; rank < n(); ++rank) {
    const std::vector<float> expected = rank == root ? std::vector<float>{float(n() * (n() - 1) / 2), 10.0f * float(n())}
                                                     : std::vector<float>{float(rank), 10.0f};
    EXPECT_EQ(values[std::size_t(rank)], expected) << "rank " << rank;
  }
}

TEST_P(Collectives, BroadcastBytesAndFloats) {
  const int root = n() / 2;
  std::vector<std::vector<float>> floats(count());
  std::vector<std::string> texts(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    auto& f = floats[std::size_t(rank)];
    auto& t = texts[std::size_t(rank)];
    f = {float(rank), float(rank) * 2};
    t = rank == root ? "from the root" : "?????????????";
    comm.broadcast(rank, root, std::span<float>(f));
    comm.broadcast(rank, root, std::as_writable_bytes(std::span<char>(t)));
  }));
  for (int rank = 0; rank < n(); ++rank) {
    EXPECT_EQ(floats[std::size_t(rank)], (std::vector<float>{float(root), float(root) * 2}));
    EXPECT_EQ(texts[std::size_t(rank)], "from the root");
  }
}

TEST_P(Collectives, AllgatherInRankOrder) {
  std::vector<std::vector<float>> gathered(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    const std::vector<float> mine{float(rank), float(rank) + 0.5f};
    auto& all = gathered[std::size_t(rank)];
    all.assign(2 * count(), -1.0f);
    comm.allgather(rank, mine, all);
  }));
  std::vector<float> expected;
  for (int k = 0; k < n(); ++k) expected.insert(expected.end(), {float(k), float(k) + 0.5f});
  for (const auto& all : gathered) EXPECT_EQ(all, expected);
}

TEST_P(Collectives, ReduceScatterGivesEachRankItsBlockOfTheSum) {
  const std::size_t block = 3;
  std::vector<std::vector<float>> blocks(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    std::vector<float> input(block * count());
    std::iota(input.begin(), input.end(), float(rank));  // input[i] = rank + i
    auto& mine = blocks[std::size_t(rank)];
    mine.assign(block, 0.0f);
    comm.reduce_scatter_sum(rank, input, mine);
  }));
  const float ranks_sum = float(n() * (n() - 1) / 2);
  for (int rank = 0; rank < n(); ++rank)
    for (std::size_t i = 0; i < block; ++i)
      EXPECT_EQ(blocks[std::size_t(rank)][i], ranks_sum + float(n()) * float(std::size_t(rank) * block + i));
}

TEST_P(Collectives, BarrierHoldsEveryRankUntilAllArrive) {
  std::atomic<int> arrived{0};
  std::vector<int> seen(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5 * rank));
    ++arrived;
    comm.barrier(rank);
    seen[std::size_t(rank)] = arrived.load();
  }));
  for (int s : seen) EXPECT_EQ(s, n());
}

TEST_P(Collectives, ManyCollectivesInARowStayInStep) {
  std::vector<double> totals(count());
  expect_all_returned(run_ranks(comm, [&](int rank) {
    std::mt19937 rng{unsigned(rank)};
    double total = 0;
    for (int round = 0; round < 200; ++round) {
      jitter(rng);
      double v = rank + round;
      comm.allreduce_sum(rank, std::span<double>(&v, 1));
      total += v;
      if (round % 50 == 0) comm.barrier(rank);
    }
    totals[std::size_t(rank)] = total;
  }));
  double expected = 0;
  for (int round = 0; round < 200; ++round) expected += n() * (n() - 1) / 2.0 + double(n()) * round;
  for (double t : totals) EXPECT_EQ(t, expected);
}

// Values whose floating-point sum depends on the order of the terms: rank order must win
// however the threads are scheduled.
TEST_P(Collectives, SumsDoNotDependOnArrivalOrder) {
  const std::vector<double> terms{1e16, 1.0, -1e16, 3.0};
  double in_rank_order = 0;
  for (int rank = 0; rank < n(); ++rank) in_rank_order += terms[std::size_t(rank)];
  std::vector<float> float_terms{1e8f, 3.0f, -1e8f, 7.0f};
  float float_in_rank_order = 0;
  {
    double sum = 0;
    for (int rank = 0; rank < n(); ++rank) sum += double(float_terms[std::size_t(rank)]);
    float_in_rank_order = float(sum);
  }
  for (int trial = 0; trial < 20; ++trial) {
    std::vector<double> results(count());
    std::vector<float> float_results(count());
    expect_all_returned(run_ranks(comm, [&](int rank) {
      std::mt19937 rng{unsigned(trial * 10 + rank)};
      jitter(rng);
      double v = terms[std::size_t(rank)];
      comm.allreduce_sum(rank, std::span<double>(&v, 1));
      results[std::size_t(rank)] = v;
      float f = float_terms[std::size_t(rank)];
      comm.allreduce_sum(rank, std::span<float>(&f, 1));
      float_results[std::size_t(rank)] = f;
    }));
    for (double r : results) ASSERT_EQ(r, in_rank_order) << "trial " << trial;
    for (float r : float_results) ASSERT_EQ(r, float_in_rank_order) << "trial " << trial;
  }
}

INSTANTIATE_TEST_SUITE_P(Ranks, Collectives, ::testing::Values(1, 2, 3, 4),
                         [](const ::testing::TestParamInfo<int>& info) { return std::to_string(info.param) + "ranks"; });

TEST(ThreadCommunicator, NeedsAtLeastOneRank) { EXPECT_THROW(ThreadCommunicator(0), Error); }

TEST(ThreadCommunicator, RanksThatDisagreeOnTheCountAllFail) {
  ThreadCommunicator comm(3);
  const auto thrown = run_ranks(comm, [&](int rank) {
    std::vector<double> v(rank == 1 ? 2 : 3, 1.0);
    comm.allreduce_sum(rank, std::span<double>(v));
  });
  for (const auto& t : thrown) {
    ASSERT_TRUE(t);
    try {
      std::rethrow_exception(t);
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find("allreduce_sum: rank 0 passed 3 values but rank 1 passed 2"),
                std::string::npos)
          << e.what();
    }
  }
}

TEST(ThreadCommunicator, AllgatherChecksTheRoomForTheResult) {
  ThreadCommunicator comm(2);
  const auto thrown = run_ranks(comm, [&](int rank) {
    const std::vector<float> mine(2, 1.0f);
    std::vector<float> all(3);
    comm.allgather(rank, mine, all);
  });
  for (const auto& t : thrown) EXPECT_TRUE(threw<Error>(t));
}

TEST(ThreadCommunicator, RankOutsideTheCommunicatorIsRejected) {
  ThreadCommunicator comm(2);
  double v = 0;
  EXPECT_THROW(comm.allreduce_sum(2, std::span<double>(&v, 1)), Error);
  EXPECT_THROW(comm.broadcast(0, -1, std::span<float>()), Error);
}

TEST(ThreadCommunicator, AbortWakesRanksWaitingInACollective) {
  ThreadCommunicator comm(4);
  std::atomic<int> waiting{0};
  const auto thrown = run_ranks(comm, [&](int rank) {
    if (rank == 2) {
      // The failing rank: it never joins the collective the others wait in.
      while (waiting.load() < 3) std::this_thread::sleep_for(std::chrono::milliseconds(1));
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      comm.abort();
      return;
    }
    ++waiting;
    double v = 1;
    comm.allreduce_sum(rank, std::span<double>(&v, 1));
  });
  for (int rank : {0, 1, 3}) EXPECT_TRUE(threw<Cancelled>(thrown[std::size_t(rank)])) << "rank " << rank;
  EXPECT_FALSE(thrown[2]);
}

TEST(ThreadCommunicator, EveryCallAfterAbortIsCancelled) {
  ThreadCommunicator comm(1);
  comm.abort();
  EXPECT_THROW(comm.barrier(0), Cancelled);
  float v = 0;
  EXPECT_THROW(comm.allreduce_sum(0, std::span<float>(&v, 1)), Cancelled);
}

}  // namespace
