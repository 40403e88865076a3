#include "xrecon/slabs.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <omp.h>

#include "xrecon/for_each_device.hpp"

namespace xrecon {

std::vector<Slab> split_slices(std::size_t slices, std::size_t parts) {
  XRECON_CHECK(parts > 0, "cannot split slices into 0 slabs");
  std::vector<Slab> slabs;
  // Bounds rounded up: rank 0 always holds work when there is any, so it can report progress.
  const auto bound = [&](std::size_t k) { return (slices * k + parts - 1) / parts; };
  for (std::size_t k = 0; k < parts; ++k) slabs.push_back({bound(k), bound(k + 1)});
  return slabs;
}

void for_each_slab(Context& context, std::size_t slices,
                   const std::function<void(int rank, Slab slab, const Device& device)>& work) {
  const std::size_t devices = context.devices().size();
  const std::vector<Slab> slabs = split_slices(slices, devices);
  const int threads_per_rank = std::max(1, omp_get_max_threads() / int(devices));
  for_each_device(context, [&](int rank, const Device& device) {
    if (devices > 1 && device.kind == Device::Kind::cpu) omp_set_num_threads(threads_per_rank);
    work(rank, slabs[std::size_t(rank)], device);
  });
}

namespace {

// "118 kB", "41.2 GB": three significant digits in the largest unit that keeps the number >= 1.
std::string readable_bytes(std::size_t bytes) {
  const char* units[] = {"bytes", "kB", "MB", "GB", "TB"};
  double value = double(bytes);
  int unit = 0;
  while (value >= 1000 && unit < 4) value /= 1000, ++unit;
  char text[32];
  std::snprintf(text, sizeof text, "%.3g %s", value, units[unit]);
  return text;
}

}  // namespace

std::vector<std::vector<Slab>> plan_chunks(Context& context, std::size_t slices, const MemoryNeed& need,
                                           std::string_view stage, bool whole_slab) {
  const std::vector<Device>& devices = context.devices();
  const std::vector<Slab> slabs = split_slices(slices, devices.size());
  std::vector<std::vector<Slab>> plan(devices.size());
  bool cut = false;
  std::string summary;
  for (std::size_t rank = 0; rank < devices.size(); ++rank) {
    const Device& device = devices[rank];
    const Slab slab = slabs[rank];
    if (slab.empty()) {
      plan[rank].push_back(slab);
      continue;
    }
    const MemorySpace space = device.memory_space();
    const auto sharing = std::size_t(std::count_if(devices.begin(), devices.end(),
                                                   [&](const Device& d) { return d.memory_space() == space; }));
    const std::size_t budget = std::size_t(0.9 * double(available_bytes(space)) / double(sharing));
    std::size_t fitting = 0;  // slices per chunk
    if (budget >= need.fixed) fitting = need.per_slice == 0 ? slab.size() : (budget - need.fixed) / need.per_slice;
    const std::string need_text =
        readable_bytes(need.bytes(slab.size())) + " for the " + std::to_string(slab.size()) + " slices of " +
        device.to_string() + " (" + readable_bytes(need.per_slice) + " per slice), and " + readable_bytes(budget) +
        " is available to it (90% of the free memory" +
        (sharing > 1 ? ", shared by " + std::to_string(sharing) + " ranks" : std::string()) +
        (std::getenv("XRECON_MEMORY_LIMIT") ? ", XRECON_MEMORY_LIMIT applied" : "") + ")";
    const std::string what = std::string(stage) + " needs " + need_text;
    if (fitting == 0) throw InputError(what + ": not even one slice fits; free memory or use a larger device");
    if (fitting < slab.size() && whole_slab)
      throw InputError(what + ": its solver couples all slices of a slab, so it cannot run in chunks; "
                              "spread the slices over more devices (e.g. --devices cuda:0,1) or free memory");
    for (std::size_t begin = slab.begin; begin < slab.end; begin += fitting)
      plan[rank].push_back({begin, std::min(slab.end, begin + fitting)});
    if (plan[rank].size() > 1) {
      cut = true;
      summary += "; " + device.to_string() + " in " + std::to_string(plan[rank].size()) + " chunks of up to " +
                 std::to_string(fitting) + " slices (needs " + need_text + ")";
    }
  }
  if (cut) context.logger().info(std::string(stage) + ": slabs cut to fit device memory" + summary);
  return plan;
}

ChunkPlan chunks_for(Context& context, std::size_t slices, const MemoryNeed& need, std::string_view stage,
                     bool whole_slab) {
  const ChunkPlan& planned = context.planned_chunks();
  // The engine planned for the stage's first input; a stage that solves something else (fewer
  // slices, another geometry) plans that itself.
  std::size_t covered = 0;
  for (const auto& chunks : planned)
    for (const Slab& chunk : chunks) covered += chunk.size();
  if (planned.size() == context.devices().size() && covered == slices) return planned;
  return plan_chunks(context, slices, need, stage, whole_slab);
}

ArrayF projection_rows(const ArrayF& projections, Slab slab, MemorySpace space) {
  const std::size_t angles = projections.extent(0), rows = projections.extent(1), cols = projections.extent(2);
  XRECON_CHECK(slab.end <= rows, "slab rows " + std::to_string(slab.begin) + ".." + std::to_string(slab.end) +
                                     " beyond the " + std::to_string(rows) + " detector rows");
  ArrayF host(Shape{angles, slab.size(), cols});
  const float* from = projections.host_span().data();
  for (std::size_t k = 0; k < angles; ++k)
    std::copy_n(from + (k * rows + slab.begin) * cols, slab.size() * cols, host.data() + k * slab.size() * cols);
  return space.is_host() ? host : host.to(space);
}

ArrayF volume_slices(const ArrayF& volume, Slab slab, MemorySpace space) {
  const std::size_t plane = volume.extent(1) * volume.extent(2);
  XRECON_CHECK(slab.end <= volume.extent(0), "slab slices " + std::to_string(slab.begin) + ".." +
                                                 std::to_string(slab.end) + " beyond the " +
                                                 std::to_string(volume.extent(0)) + " slices of the volume");
  ArrayF out(Shape{slab.size(), volume.extent(1), volume.extent(2)}, space);
  copy_bytes(out.data(), space, volume.host_span().data() + slab.begin * plane, MemorySpace::host(),
             slab.size() * plane * sizeof(float));
  return out;
}

void put_slices(const ArrayF& slices, Slab slab, ArrayF& volume) {
  const std::size_t plane = volume.extent(1) * volume.extent(2);
  XRECON_CHECK(slices.size() == slab.size() * plane && slab.end <= volume.extent(0),
               "a slab of shape " + slices.shape().to_string() + " does not fit slices " + std::to_string(slab.begin) +
                   ".." + std::to_string(slab.end) + " of a volume " + volume.shape().to_string());
  copy_bytes(volume.host_span().data() + slab.begin * plane, MemorySpace::host(), slices.data(), slices.space(),
             slices.size() * sizeof(float));
}

namespace {

bool drives_every_rank(const Communicator& communicator) {
  for (int k = 0; k < communicator.size(); ++k)
    if (!communicator.drives_rank(k)) return false;
  return true;
}

// The lowest rank this process drives: the one thread that writes what was gathered.
int first_driven_rank(const Communicator& communicator) {
  int rank = 0;
  while (!communicator.drives_rank(rank)) ++rank;
  return rank;
}

}  // namespace

void share_slabs(Context& context, ArrayF& volume) {
  Communicator& communicator = context.communicator();
  if (drives_every_rank(communicator)) return;
  const int ranks = communicator.size();

  const std::size_t plane = volume.extent(1) * volume.extent(2);
  const std::vector<Slab> slabs = split_slices(volume.extent(0), std::size_t(ranks));
  // allgather takes equal blocks: each slab travels padded to the largest (they differ by one slice).
  std::size_t largest = 0;
  for (const Slab& slab : slabs) largest = std::max(largest, slab.size());
  const std::size_t block = largest * plane;
  float* whole = volume.host_span().data();
  const int first_driven = first_driven_rank(communicator);
  for_each_device(context, [&](int rank, const Device&) {
    const Slab mine = slabs[std::size_t(rank)];
    std::vector<float> sent(block, 0.0f), received(block * std::size_t(ranks));
    std::copy_n(whole + mine.begin * plane, mine.size() * plane, sent.begin());
    communicator.allgather(rank, sent, received);
    if (rank != first_driven) return;  // one thread of this process fills the volume in
    for (int k = 0; k < ranks; ++k) {
      if (communicator.drives_rank(k)) continue;  // this process's own slabs are already there
      const Slab theirs = slabs[std::size_t(k)];
      std::copy_n(received.data() + std::size_t(k) * block, theirs.size() * plane, whole + theirs.begin * plane);
    }
  });
}

void share_per_rank(Context& context, std::vector<double>& per_rank) {
  Communicator& communicator = context.communicator();
  if (drives_every_rank(communicator)) return;
  XRECON_CHECK(per_rank.size() == std::size_t(communicator.size()),
               "share_per_rank: " + std::to_string(per_rank.size()) + " values for " +
                   std::to_string(communicator.size()) + " ranks");
  const int first_driven = first_driven_rank(communicator);
  for_each_device(context, [&](int rank, const Device&) {
    // Each rank sends only its own entry, so the sum is every rank's entry in its place.
    std::vector<double> summed(per_rank.size(), 0.0);
    summed[std::size_t(rank)] = per_rank[std::size_t(rank)];
    communicator.allreduce_sum(rank, summed);
    if (rank != first_driven) return;
    for (int k = 0; k < communicator.size(); ++k)
      if (!communicator.drives_rank(k)) per_rank[std::size_t(k)] = summed[std::size_t(k)];
  });
}

std::string device_count(const Context& context) {
  const std::size_t n = context.devices().size();
  return std::to_string(n) + (n == 1 ? " device" : " devices");
}

namespace {

// `count` slices of `plane` values from `from` (slice `first`) to `to` (slice `at`), any spaces.
void copy_slices(const ArrayF& from, std::size_t first, ArrayF& to, std::size_t at, std::size_t count,
                 std::size_t plane) {
  if (count == 0) return;
  copy_bytes(to.data() + at * plane, to.space(), from.data() + first * plane, from.space(),
             count * plane * sizeof(float));
}

}  // namespace

ArrayF widen_with_halo(Context& context, int rank, const std::vector<Slab>& slabs, const ArrayF& mine,
                       std::size_t halo, std::size_t& before) {
  before = 0;
  Communicator& communicator = context.communicator();
  if (halo == 0 || communicator.size() == 1) return mine;
  XRECON_CHECK(slabs.size() == std::size_t(communicator.size()), "one slab per rank expected");
  const std::size_t plane = mine.extent(1) * mine.extent(2);
  const Slab own = slabs[std::size_t(rank)];
  const std::size_t total = slabs.back().end;
  const MemorySpace space = mine.space();

  // Each rank sends [its first `halo` slices | its last `halo` slices], the second block aligned
  // to its end; a slab shorter than the halo leaves the rest of its blocks unused. Every slice a
  // neighbour needs lies in one of these blocks: a slice within `halo` of a slab's start belongs
  // to the last `halo` slices of its owner, and likewise at the other end.
  const std::size_t block = halo * plane;
  ArrayF sent(Shape{2 * block}, space), gathered(Shape{2 * block * slabs.size()}, space);
  const std::size_t edge = std::min(halo, own.size());
  copy_slices(mine, 0, sent, 0, edge, plane);
  copy_slices(mine, own.size() - edge, sent, 2 * halo - edge, edge, plane);
  communicator.allgather(rank, std::span<const float>(sent.data(), sent.size()),
                         std::span<float>(gathered.data(), gathered.size()));
  if (own.empty()) return mine;

  const std::size_t first = own.begin >= halo ? own.begin - halo : 0;
  const std::size_t last = std::min(total, own.end + halo);
  before = own.begin - first;
  ArrayF widened(Shape{last - first, mine.extent(1), mine.extent(2)}, space);
  copy_slices(mine, 0, widened, before, own.size(), plane);
  for (std::size_t slice = first; slice < last; ++slice) {
    if (slice >= own.begin && slice < own.end) continue;
    std::size_t owner = 0;
    while (slice >= slabs[owner].end) ++owner;
    const Slab theirs = slabs[owner];
    // Offset within the owner's two blocks: the lower halo comes from its last slices, the upper from its first.
    const std::size_t at = slice < own.begin ? 2 * halo - (theirs.end - slice) : slice - theirs.begin;
    copy_slices(gathered, owner * 2 * halo + at, widened, slice - first, 1, plane);
  }
  return widened;
}

ArrayF drop_halo(const ArrayF& widened, std::size_t before, std::size_t count) {
  if (before == 0 && count == widened.extent(0)) return widened;
  const std::size_t plane = widened.extent(1) * widened.extent(2);
  ArrayF own(Shape{count, widened.extent(1), widened.extent(2)}, widened.space());
  copy_slices(widened, before, own, 0, count, plane);
  return own;
}

}  // namespace xrecon
