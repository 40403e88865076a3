#pragma once
// The GPU parts of FBP: ramp_filter_cuda.cu filters detector rows with cuFFT, fbp_cuda.cu runs
// filter and backprojection over groups of slices (fbp_nocuda.cpp throws NotCompiled when CUDA is
// not built). The filter response and angle tables come from the host, computed by the same code
// as for the CPU.
#include <cstddef>
#include <functional>
#include <span>

#include "joseph_kernels.hpp"

namespace xrecon::tomo::kernels {

// All angles of slices [begin, begin + count) of projections (angles, slices, cols).
struct SliceRange {
  std::size_t slices = 0;
  std::size_t begin = 0;
  std::size_t count = 0;
};

namespace cuda {

// Filters the rows of `range` with `response` (ramp_response(), bins 0 .. length / 2 of rows
// zero-padded to filter_padded_length(cols)) into `filtered`, contiguous (angles, range.count, cols).
void filter_rows(int device, const float* projections, std::size_t angles, std::size_t cols, SliceRange range,
                 std::span<const float> response, float* filtered);

// Filters and backprojects every slice of projections (angles, shape.slices, shape.cols) into
// `volume` (shape.slices, n, n) with the pixel-driven angle table. Calls on_slice (when set) on the
// calling thread with the number of slices done, once per slice, after each group has finished on
// the GPU; an exception from it stops the reconstruction.
void fbp(int device, const float* projections, const ProjectorShape& shape, std::span<const float> response,
         std::span<const BackprojectionAngle> angles, const std::function<void(std::size_t)>& on_slice,
         float* volume);

}  // namespace cuda
}  // namespace xrecon::tomo::kernels
