// CUDA implementation of the projector kernels. The per-element math is joseph_math.hpp's, as on
// the CPU, and every float sum runs in the CPU's order, so the two backends agree to rounding.
//
// Forward: one thread per ray (detector column) of one angle and slice, marching the image lines in
// order. Lines are image rows for rows-dominant angles and image columns for the others; a
// transposed copy of the slices turns columns into rows, so that the threads of a warp, which
// sample neighbouring positions of one line, read neighbouring addresses for every angle.
// Backward: one thread per pixel summing over all angles in order: a gather, so no atomics, with
// exactly the transposed weights of the forward. A block covers a 32 x 8 pixel tile, which projects
// onto a short stretch of each detector row that the caches keep.
//
// Blocks are numbered slice-major, so the blocks running at any time read one slice's data, which
// stays in L2. Any number of angles and slices goes in one launch, up to the grid limit and, for
// the forward, the memory allowed for the transposed copy.
#include <algorithm>
#include <cstdint>
#include <optional>
#include <vector>

#include "joseph_kernels.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"

namespace xrecon::tomo::kernels::cuda {
namespace {

constexpr unsigned kRayThreads = 128;
constexpr unsigned kPixelTileX = 32, kPixelTileY = 8;
constexpr unsigned kTransposeTile = 32, kTransposeRows = 8;
constexpr std::size_t kMaxGridBlocks = 0x7fffffff;
// Bound on the transposed copy: past it the forward runs over groups of slices.
constexpr std::size_t kTransposeBudgetBytes = std::size_t(1) << 30;

// What a forward ray needs about its angle, computed on the host by the CPU's functions.
struct RayAngle {
  MarchTerms march;
  float scale = 1;  // the ray length per marching step
  bool rows_dominant = true;
};

unsigned ceil_div(std::size_t a, std::size_t b) { return static_cast<unsigned>((a + b - 1) / b); }

// Slices one launch may cover when each needs `blocks_per_slice` blocks.
std::size_t slices_per_launch(std::size_t blocks_per_slice) {
  return std::max<std::size_t>(1, kMaxGridBlocks / blocks_per_slice);
}

// Positions in (-1, length) lie on a zero-padded line (joseph_math.hpp); outside it a sample reads
// only zeros and contributes nothing, which is also where the CPU's ranges end.
__device__ bool on_padded_line(double padded_position, int length) {
  return padded_position > double(kPad) - 1.0 && padded_position < double(length) + double(kPad);
}

// The two samples at padded index `index` and the one after, reading zero off the line: the
// padding the CPU materialises, without the padded copy.
struct SamplePair {
  float values[2];
};

__device__ SamplePair samples_at(const float* __restrict__ line, std::int32_t padded_index, int length) {
  const int i = padded_index - int(kPad);
  return {{i >= 0 ? line[i] : 0.0f, i + 1 < length ? line[i + 1] : 0.0f}};
}

// Writes each n x n slice transposed: out[x][y] = in[y][x], through a shared tile so that both
// the reads and the writes are coalesced.
__global__ void transpose_kernel(const float* __restrict__ in, unsigned n, unsigned tiles, float* __restrict__ out) {
  __shared__ float tile[kTransposeTile][kTransposeTile + 1];  // + 1: the column reads hit 32 banks
  const unsigned tiles_per_slice = tiles * tiles;
  const std::size_t slice = blockIdx.x / tiles_per_slice;
  const unsigned t = blockIdx.x % tiles_per_slice;
  const unsigned x0 = (t % tiles) * kTransposeTile, y0 = (t / tiles) * kTransposeTile;
  const float* src = in + slice * n * n;
  float* dst = out + slice * n * n;
  for (unsigned r = threadIdx.y; r < kTransposeTile; r += kTransposeRows) {
    const unsigned x = x0 + threadIdx.x, y = y0 + r;
    if (x < n && y < n) tile[r][threadIdx.x] = src[std::size_t(y) * n + x];
  }
  __syncthreads();
  for (unsigned r = threadIdx.y; r < kTransposeTile; r += kTransposeRows) {
    const unsigned x = y0 + threadIdx.x, y = x0 + r;
    if (x < n && y < n) dst[std::size_t(y) * n + x] = tile[threadIdx.x][r];
  }
}

// Block b covers rays [column_block * kRayThreads, + kRayThreads) of one angle and slice, with
// b = (local_slice * num_angles + angle) * column_blocks + column_block.
__global__ void project_kernel(const float* __restrict__ volume, const float* __restrict__ transposed,
                               ProjectorShape shape, std::size_t slice_begin, const RayAngle* __restrict__ angles,
                               unsigned num_angles, unsigned column_blocks, float* __restrict__ projections) {
  const unsigned column_block = blockIdx.x % column_blocks;
  const unsigned angle_slice = blockIdx.x / column_blocks;
  const unsigned k = angle_slice % num_angles;
  const std::size_t local_slice = angle_slice / num_angles, slice = slice_begin + local_slice;
  const unsigned j = column_block * kRayThreads + threadIdx.x;
  if (j >= shape.cols) return;
  const int n = int(shape.n);
  const RayAngle a = angles[k];
  const std::size_t plane = std::size_t(n) * n;
  const float* lines = a.rows_dominant ? volume + slice * plane : transposed + local_slice * plane;

  // The lines this ray crosses, widened by two on each side against rounding: the test in the
  // loop, the CPU's, decides; the range only skips lines that are surely missed.
  const IndexRange crossed =
      open_interval_range(a.march.line_step, double(j) * a.march.step + a.march.origin, -1.0, double(n), n);
  const unsigned first = crossed.begin > 2 ? unsigned(crossed.begin) - 2 : 0;
  const unsigned last = crossed.end + 2 < std::size_t(n) ? unsigned(crossed.end) + 2 : unsigned(n);

  float sum = 0.0f;
  for (unsigned l = first; l < last; ++l) {
    const double offset = a.march.origin + double(l) * a.march.line_step;
    const double u = double(j) * a.march.step + (offset + double(kPad));
    if (!on_padded_line(u, n)) continue;
    const LinePosition p = split_position(u);
    const SamplePair s = samples_at(lines + std::size_t(l) * n, p.index, n);
    sum += interpolate(s.values, 0, p.frac);
  }
  projections[(std::size_t(k) * shape.slices + slice) * shape.cols + j] = sum * a.scale;
}

// Block b covers one kPixelTileX x kPixelTileY tile of one slice, b = slice * tiles + tile.
__global__ void backproject_kernel(const float* __restrict__ projections, ProjectorShape shape,
                                   std::size_t slice_begin, const BackprojectionAngle* __restrict__ angles,
                                   unsigned num_angles, unsigned tiles_x, unsigned tiles_y, float* __restrict__ volume) {
  const unsigned tiles = tiles_x * tiles_y;
  const std::size_t slice = slice_begin + blockIdx.x / tiles;
  const unsigned tile = blockIdx.x % tiles;
  const unsigned ix = (tile % tiles_x) * kPixelTileX + threadIdx.x;
  const unsigned iy = (tile / tiles_x) * kPixelTileY + threadIdx.y;
  const int n = int(shape.n), cols = int(shape.cols);
  if (ix >= unsigned(n) || iy >= unsigned(n)) return;

  const std::size_t row_stride = shape.slices * shape.cols;
  const float* rows = projections + slice * shape.cols;
  float sum = 0.0f;
  for (unsigned k = 0; k < num_angles; ++k) {
    const BackprojectionAngle& a = angles[k];
    const double offset = detector_row_offset(a.terms, shape.axis, shape.center, iy);
    const double u = double(ix) * a.terms.ix_coef + (offset + double(kPad));
    if (!on_padded_line(u, cols)) continue;
    const LinePosition p = split_position(u);
    const SamplePair s = samples_at(rows + k * row_stride, p.index, cols);
    const HatWeights w = hat_weights(p.frac, a.inv_width);
    // The CPU weights the padded sinogram first, then applies the hat: the same two products.
    sum += w.w0 * (a.weight * s.values[0]) + w.w1 * (a.weight * s.values[1]);
  }
  volume[(slice * n + iy) * n + ix] = sum;
}

}  // namespace

void project(int device, const float* volume, const ProjectorShape& shape, std::span<const AngleTerms> angles,
             float* projections) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const std::size_t n = shape.n, plane = n * n;
  std::vector<RayAngle> table;
  table.reserve(angles.size());
  for (const AngleTerms& a : angles)
    table.push_back({march_terms(a, shape.axis, shape.center), static_cast<float>(a.inv_width), a.rows_dominant});
  const xrecon::detail::DeviceScratch<RayAngle> device_table{std::span<const RayAngle>(table)};

  const bool marches_columns = std::any_of(angles.begin(), angles.end(), [](const AngleTerms& a) {
    return !a.rows_dominant;
  });
  const unsigned column_blocks = ceil_div(shape.cols, kRayThreads);
  std::size_t group = std::min(shape.slices, slices_per_launch(angles.size() * column_blocks));
  if (marches_columns) group = std::min(group, std::max<std::size_t>(1, kTransposeBudgetBytes / (plane * sizeof(float))));
  std::optional<xrecon::detail::DeviceScratch<float>> transposed;
  if (marches_columns) transposed.emplace(group * plane);

  const unsigned transpose_tiles = ceil_div(n, kTransposeTile);
  for (std::size_t z = 0; z < shape.slices; z += group) {
    const std::size_t count = std::min(group, shape.slices - z);
    if (marches_columns) {
      transpose_kernel<<<unsigned(count * transpose_tiles * transpose_tiles), dim3(kTransposeTile, kTransposeRows)>>>(
          volume + z * plane, unsigned(n), transpose_tiles, transposed->data());
      XRECON_CUDA_CHECK_LAUNCH();
    }
    project_kernel<<<unsigned(count * angles.size() * column_blocks), kRayThreads>>>(
        volume, marches_columns ? transposed->data() : nullptr, shape, z, device_table.data(),
        unsigned(angles.size()), column_blocks, projections);
    XRECON_CUDA_CHECK_LAUNCH();
  }
}

void backproject(int device, const float* projections, const ProjectorShape& shape,
                 std::span<const BackprojectionAngle> angles, float* volume) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const xrecon::detail::DeviceScratch<BackprojectionAngle> device_table(angles);
  const unsigned tiles_x = ceil_div(shape.n, kPixelTileX), tiles_y = ceil_div(shape.n, kPixelTileY);
  const std::size_t tiles = std::size_t(tiles_x) * tiles_y;
  const std::size_t group = std::min(shape.slices, slices_per_launch(tiles));
  for (std::size_t z = 0; z < shape.slices; z += group) {
    const std::size_t count = std::min(group, shape.slices - z);
    backproject_kernel<<<unsigned(count * tiles), dim3(kPixelTileX, kPixelTileY)>>>(
        projections, shape, z, device_table.data(), unsigned(angles.size()), tiles_x, tiles_y, volume);
    XRECON_CUDA_CHECK_LAUNCH();
  }
}

}  // namespace xrecon::tomo::kernels::cuda
