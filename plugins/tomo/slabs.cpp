#include "slabs.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include <omp.h>

#include <xrecon/for_each_device.hpp>

namespace xrecon::tomo_plugin {

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

std::vector<std::vector<Slab>> plan_chunks(Context& context, std::size_t slices, const tomo::MemoryNeed& need,
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

}  // namespace xrecon::tomo_plugin
