// FBP on a GPU, over groups of slices: the group's rows are filtered into one buffer and
// backprojected in one launch. Groups bound the buffer, and between them the caller hears about
// progress and may cancel, as it does after each slice on the CPU.
#include <algorithm>

#include "fbp_kernels.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::tomo::kernels::cuda {
namespace {

// Filtered projections of one group. 64 MB are 5 slices of 2048 columns x 1500 angles, 3e10
// interpolations: enough to fill the GPU, and the wait between groups costs nothing in comparison.
constexpr std::size_t kGroupBytes = std::size_t(64) << 20;

}  // namespace

void fbp(int device, const float* projections, const ProjectorShape& shape, std::span<const float> response,
         std::span<const BackprojectionAngle> angles, const std::function<void(std::size_t)>& on_slice,
         float* volume) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const std::size_t slice_floats = angles.size() * shape.cols;
  const std::size_t group = std::clamp<std::size_t>(kGroupBytes / (slice_floats * sizeof(float)), 1, shape.slices);
  const xrecon::detail::DeviceScratch<float> filtered(group * slice_floats);
  for (std::size_t z = 0; z < shape.slices; z += group) {
    const std::size_t count = std::min(group, shape.slices - z);
    filter_rows(device, projections, angles.size(), shape.cols, {shape.slices, z, count}, response, filtered.data());
    ProjectorShape group_shape = shape;
    group_shape.slices = count;
    backproject(device, filtered.data(), group_shape, angles, volume + z * shape.n * shape.n);
    XRECON_CUDA_CHECK(cudaStreamSynchronize(0));
    if (on_slice)
      for (std::size_t done = z + 1; done <= z + count; ++done) on_slice(done);
  }
}

}  // namespace xrecon::tomo::kernels::cuda
