#include "distributed_cg.hpp"

#include <algorithm>
#include <cmath>
#include <complex>

#include <omp.h>

#include <xrecon/for_each_device.hpp>

#include "position_bands.hpp"

namespace xrecon::ptycho_plugin {

Shape object_shape(const PtychoScan& scan) {
  if (scan.object_rows > 0 && scan.object_cols > 0) return Shape{scan.object_rows, scan.object_cols};
  double max_row = 0, max_col = 0;
  for (std::size_t j = 0; j < scan.positions.extent(0); ++j) {
    max_row = std::max(max_row, scan.positions[2 * j]);
    max_col = std::max(max_col, scan.positions[2 * j + 1]);
  }
  // +1: a sub-pixel window reaches one pixel further than its integer corner.
  return Shape{std::size_t(std::ceil(max_row)) + scan.probe.extent(0) + 1,
               std::size_t(std::ceil(max_col)) + scan.probe.extent(1) + 1};
}

ptycho::CgResult reconstruct_on_devices(const PtychoScan& scan, ArrayCF& object, ArrayCF& probe,
                                        const CgSettings& settings, std::optional<ptycho::CgOptions::Proximal> proximal,
                                        Context& context, const std::function<void(const ptycho::CgIteration&)>& observe) {
  const std::size_t ranks = context.devices().size();
  const auto bands = position_bands(scan.positions, ranks);
  Communicator& communicator = context.communicator();
  ptycho::CgResult result;
  // Virtual CPU devices share the cores: each rank's OpenMP loops get its share of the threads.
  const int threads_per_rank = std::max(1, omp_get_max_threads() / int(ranks));
  for_each_device(context, [&](int rank, const Device& device) {
    if (ranks > 1 && device.kind == Device::Kind::cpu) omp_set_num_threads(threads_per_rank);
    const auto& mine = bands[std::size_t(rank)];
    const ArrayF patterns = ranks == 1 ? scan.patterns : select_patterns(scan.patterns, mine);
    const ArrayD positions = ranks == 1 ? scan.positions : select_positions(scan.positions, mine);
    // Every rank starts from the same copies, in its device's memory, and takes the same steps;
    // rank 0's are the result. reconstruct() runs where the object is and brings the patterns,
    // positions and proximal centre there itself.
    const MemorySpace space = device.memory_space();
    const bool in_place = rank == 0 && space == object.space();
    ArrayCF my_object = in_place ? object : object.to(space);
    ArrayCF my_probe = in_place ? probe : probe.to(space);
    ptycho::CgOptions options{.iterations = settings.iterations,
                              .likelihood = settings.likelihood,
                              .recover_probe = settings.recover_probe,
                              .max_amplitude = settings.max_amplitude,
                              .proximal = proximal};
    options.on_iteration = [&, rank](const ptycho::CgIteration& it) {
      if (rank == 0 && observe) observe(it);
      context.cancellation().throw_if_cancelled();
    };
    if (ranks > 1) {
      // Partial gradients as interleaved doubles, summed before the one rounding to float.
      const auto sum = [&communicator, rank](std::span<double> v) { communicator.allreduce_sum(rank, v); };
      options.all_reduce_scalars = sum;
      options.all_reduce_object_gradient = sum;
      options.all_reduce_probe_gradient = sum;
    }
    ptycho::CgResult local = ptycho::reconstruct(patterns, positions, my_object, my_probe, options);
    if (rank != 0) return;
    result = std::move(local);
    if (!in_place) {
      copy_bytes(object.data(), object.space(), my_object.data(), space, object.size() * sizeof(object[0]));
      copy_bytes(probe.data(), probe.space(), my_probe.data(), space, probe.size() * sizeof(probe[0]));
    }
  });
  return result;
}

}  // namespace xrecon::ptycho_plugin
