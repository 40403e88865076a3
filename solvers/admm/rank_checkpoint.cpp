#include "xrecon/admm/rank_checkpoint.hpp"

#include <algorithm>
#include <array>
#include <cstring>

namespace xrecon::admm {
namespace {

std::string key(const std::string& name, int rank) { return "admm." + name + ".rank" + std::to_string(rank); }

}  // namespace

void save_rank_state(CheckpointStore& store, int rank, const std::vector<NamedArray>& arrays, std::int64_t step) {
  for (const auto& [name, array] : arrays)
    store.save(key(name, rank), array.space().is_host() ? array : array.to(MemorySpace::host()), step);
}

std::optional<std::vector<ArrayF>> load_rank_state(CheckpointStore& store, int rank,
                                                   const std::vector<std::pair<std::string, Shape>>& expected,
                                                   std::int64_t& step) {
  std::vector<ArrayF> arrays;
  for (std::size_t i = 0; i < expected.size(); ++i) {
    auto saved = store.load(key(expected[i].first, rank));
    if (!saved || saved->first.shape() != expected[i].second) return std::nullopt;
    if (i == 0) step = saved->second;
    if (saved->second != step) return std::nullopt;
    arrays.push_back(std::move(saved->first));
  }
  return arrays;
}

bool every_rank_resumes(Communicator& communicator, int rank, std::optional<std::int64_t> mine) {
  std::array<double, 2> votes{mine ? 1.0 : 0.0, mine ? double(*mine) : 0.0};
  communicator.allreduce_sum(rank, votes);
  return mine && votes[0] == communicator.size() && votes[1] == communicator.size() * double(*mine);
}

void require_resumable_step(std::size_t done, std::size_t iterations, const std::string& stage) {
  if (done > iterations)
    throw InputError(stage + ": the checkpoint is at iteration " + std::to_string(done) + ", past the " +
                     std::to_string(iterations) + " iterations asked for; ask for at least " + std::to_string(done) +
                     ", or run without --resume");
}

ArrayF interleaved(const ArrayCF& a) {
  const ArrayCF host = a.space().is_host() ? a : a.to(MemorySpace::host());
  Shape shape = host.shape();
  std::array<std::size_t, 4> extents{};
  for (std::size_t i = 0; i < shape.rank(); ++i) extents[i] = shape[i];
  XRECON_CHECK(shape.rank() < 4, "interleaved(): at most 3 dimensions, got " + shape.to_string());
  Shape out_shape = shape.rank() == 1 ? Shape{extents[0], 2}
                    : shape.rank() == 2 ? Shape{extents[0], extents[1], 2}
                                        : Shape{extents[0], extents[1], extents[2], 2};
  ArrayF out(out_shape);
  std::memcpy(out.data(), host.data(), host.size() * sizeof(std::complex<float>));
  return out;
}

ArrayCF from_interleaved(const ArrayF& a) {
  XRECON_CHECK(a.rank() >= 2 && a.extent(a.rank() - 1) == 2, "from_interleaved(): the last axis must be 2");
  const std::size_t r = a.rank() - 1;
  const Shape shape = r == 1 ? Shape{a.extent(0)} : r == 2 ? Shape{a.extent(0), a.extent(1)}
                                                           : Shape{a.extent(0), a.extent(1), a.extent(2)};
  ArrayCF out(shape);
  std::memcpy(out.data(), a.data(), out.size() * sizeof(std::complex<float>));
  return out;
}

}  // namespace xrecon::admm
