#pragma once
// The projector kernels, declared once and implemented per backend: joseph_cpu.cpp (OpenMP) and
// joseph_cuda.cu (CUDA; joseph_nocuda.cpp throws NotCompiled when CUDA is not built).
// Inputs are validated by the callers; the kernels trust their arguments.
#include <cstddef>
#include <span>

#include "joseph_math.hpp"

namespace xrecon::tomo::kernels {

// volume (slices, n, n) <-> projections (angles, slices, cols)
struct ProjectorShape {
  std::size_t slices = 0;
  std::size_t n = 0;
  std::size_t cols = 0;
  double center = 0;
  double axis = 0;  // pixel coordinate of the rotation axis on the slice (Geometry::axis)
};

// One angle of a backprojection: pixel (ix, iy) receives
// weight * sum_j hat((j - j_c) * inv_width) * p[j], with hat(t) = max(0, 1 - |t|).
struct BackprojectionAngle {
  AngleTerms terms;
  float inv_width = 1;
  float weight = 1;
};

namespace cpu {

void project(const float* volume, const ProjectorShape& shape, std::span<const AngleTerms> angles,
             float* projections);

// Overwrites `volume`.
void backproject(const float* projections, const ProjectorShape& shape,
                 std::span<const BackprojectionAngle> angles, float* volume);

}  // namespace cpu

// The same operations on GPU `device`: volume and projections are device pointers there, the
// angle tables stay in host memory (any number of angles; they are uploaded per call). The
// functions return once the work is queued on the default stream.
namespace cuda {

void project(int device, const float* volume, const ProjectorShape& shape, std::span<const AngleTerms> angles,
             float* projections);

// Overwrites `volume`.
void backproject(int device, const float* projections, const ProjectorShape& shape,
                 std::span<const BackprojectionAngle> angles, float* volume);

}  // namespace cuda
}  // namespace xrecon::tomo::kernels
