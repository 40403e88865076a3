// Run under mpirun: every collective of the mpi communicator on each process, compared with the
// values the threads backend gives for the same inputs. Prints one line per failed check and
// exits 1 when any failed, so ctest sees a failure from whichever rank found it.
#include <mpi.h>

#include <cstdio>
#include <string>
#include <vector>

#include "xrecon/engine/mpi_communicator.hpp"

namespace {

int failures = 0;

template <typename T>
void expect_equal(const std::vector<T>& got, const std::vector<T>& want, const char* what, int rank) {
  if (got == want) return;
  ++failures;
  std::string text;
  for (T v : got) text += std::to_string(v) + " ";
  std::fprintf(stderr, "rank %d: %s gave %s\n", rank, what, text.c_str());
}

void run_checks(xrecon::engine::MpiCommunicator& comm) {
  const int r = comm.rank();
  const int n = comm.size();
  const float base = float(r + 1);
  // 1 + 2 + ... + n, the sum of every rank's `base`.
  const float total = float(n * (n + 1) / 2);

  std::vector<double> d{double(base), 0.5 * base};
  comm.allreduce_sum(r, std::span<double>(d));
  expect_equal(d, {double(total), 0.5 * total}, "allreduce_sum(double)", r);

  std::vector<float> f{base, 2 * base, -base};
  comm.allreduce_sum(r, std::span<float>(f));
  expect_equal(f, {total, 2 * total, -total}, "allreduce_sum(float)", r);

  const int root = n - 1;
  std::vector<float> reduced{base, 10 * base};
  comm.reduce_sum(r, root, reduced);
  expect_equal(reduced, r == root ? std::vector<float>{total, 10 * total} : std::vector<float>{base, 10 * base},
               "reduce_sum", r);

  std::vector<float> broadcasted{base, base, base};
  comm.broadcast(r, 0, std::span<float>(broadcasted));
  expect_equal(broadcasted, {1.f, 1.f, 1.f}, "broadcast", r);

  const std::vector<float> mine{base, -base};
  std::vector<float> all(2 * std::size_t(n));
  comm.allgather(r, mine, all);
  std::vector<float> gathered;
  for (int k = 0; k < n; ++k) gathered.insert(gathered.end(), {float(k + 1), -float(k + 1)});
  expect_equal(all, gathered, "allgather", r);

  // Block k of every rank's input holds k + base, so block k of the sum is n*k + total.
  std::vector<float> input;
  for (int k = 0; k < n; ++k) input.insert(input.end(), {float(k) + base, 2 * (float(k) + base)});
  std::vector<float> block(2);
  comm.reduce_scatter_sum(r, input, block);
  const float expected = float(n * r) + total;
  expect_equal(block, {expected, 2 * expected}, "reduce_scatter_sum", r);

  comm.barrier(r);
}

}  // namespace

int main(int argc, char** argv) {
  MPI_Init(&argc, &argv);
  {
    xrecon::engine::MpiCommunicator comm;
    if (comm.size() < 2) {
      std::fprintf(stderr, "run this under mpirun with at least 2 processes (got %d)\n", comm.size());
      ++failures;
    }
    run_checks(comm);
    // Every rank's verdict decides the exit code of each, so ctest sees any rank's failure.
    MPI_Allreduce(MPI_IN_PLACE, &failures, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    if (comm.rank() == 0)
      std::printf("%s over %d ranks, cuda-aware: %s\n", failures ? "FAILED" : "all collectives agree", comm.size(),
                  comm.cuda_aware() ? "yes" : "no");
  }
  MPI_Finalize();
  return failures ? 1 : 0;
}
