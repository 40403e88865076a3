#pragma once
#include <cstddef>
#include <numeric>
#include <vector>

namespace xrecon::ptycho::detail {

// Loops over fewer elements run on one thread: starting an OpenMP team and its barrier costs
// more than the work there, and far more on a loaded machine, where spinning threads wait for
// cores (measured: 150 CG iterations on 169 16x16 windows took 0.7 s on one thread and 5-10 s
// on two of a busy 2-core host).
inline constexpr std::size_t kParallelElements = std::size_t(1) << 16;

inline bool worth_parallel(std::size_t elements) { return elements >= kParallelElements; }

// Parallel loops hand out chunks of about this many elements dynamically rather than one static
// share per thread: on a node where another process holds a core, a static split leaves every
// thread waiting at the barrier for the one that shares its core, and 2 threads ran slower than
// 1 (169 frames of 128^2, 20 iterations with probe, one core busy: 8.6 s on 2 threads, 7.1 s on
// 1; with dynamic chunks 6.5 s and 7.6 s; benchmarks/thread_scaling.py). 2^14 complex floats
// (128 KiB) keep the hand-out cost far below the work.
inline constexpr std::size_t kChunkElements = std::size_t(1) << 14;

// The OpenMP chunk, in loop iterations, for iterations of `elements_per_iteration` elements each.
inline int chunk_for(std::size_t elements_per_iteration) {
  const std::size_t per = elements_per_iteration == 0 ? 1 : elements_per_iteration;
  return per >= kChunkElements ? 1 : int(kChunkElements / per);
}

// The sum over [0, size) in double, in an order that depends neither on the thread count nor on
// which thread took which chunk: fixed blocks, each summed by block_sum(begin, end), then the
// block sums in block order. A `reduction(+)` clause would combine per-thread partials whose
// extent depends on the schedule, so a dynamic schedule would change the last bits run to run.
template <typename BlockSum>
double ordered_block_sum(std::size_t size, BlockSum block_sum) {
  const std::size_t blocks = (size + kChunkElements - 1) / kChunkElements;
  std::vector<double> block_sums(blocks, 0.0);
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic)
  for (std::size_t b = 0; b < blocks; ++b) {
    const std::size_t begin = b * kChunkElements, end = begin + kChunkElements < size ? begin + kChunkElements : size;
    block_sums[b] = block_sum(begin, end);
  }
  return std::accumulate(block_sums.begin(), block_sums.end(), 0.0);
}

// The same with each block summed term(i) by term(i) in index order.
template <typename Term>
double ordered_sum(std::size_t size, Term term) {
  return ordered_block_sum(size, [&term](std::size_t begin, std::size_t end) {
    double sum = 0;
    for (std::size_t i = begin; i < end; ++i) sum += term(i);
    return sum;
  });
}

}  // namespace xrecon::ptycho::detail
