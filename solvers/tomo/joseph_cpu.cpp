// OpenMP implementation of the projector kernels. Both loops keep their innermost index on
// contiguous memory: the forward reads zero-padded image lines (a transposed copy serves the
// column-marching angles), the backward reads zero-padded sinogram rows and writes image rows.
//
// Each inner loop runs in two passes over a scratch row: first the double-precision positions
// split into index and fraction, then the float gathers. GCC vectorises each pass but not a loop
// that mixes double positions with float gathers; the split doubled the measured throughput.
//
// Angles and rows are handed out dynamically: each is a large unit of work, and on a busy node a
// static split leaves every thread waiting at the barrier for the one that was descheduled.
#include <algorithm>
#include <vector>

#include "joseph_kernels.hpp"

namespace xrecon::tomo::kernels::cpu {
namespace {

// Per-thread scratch holding one inner loop's split positions.
struct PositionScratch {
  explicit PositionScratch(std::size_t size) : index(size), frac(size) {}
  std::vector<std::int32_t> index;
  std::vector<float> frac;
};

// Splits u(t) = t * step + offset for t in `range`. int32 counters: the conversion to double
// vectorises from int32 but not from size_t.
void split_positions(double step, double offset, IndexRange range, std::int32_t* __restrict index,
                     float* __restrict frac) {
  const auto begin = static_cast<std::int32_t>(range.begin), end = static_cast<std::int32_t>(range.end);
  for (std::int32_t t = begin; t < end; ++t) {
    const LinePosition p = split_position(double(t) * step + offset);
    index[t] = p.index;
    frac[t] = p.frac;
  }
}

// Adds the samples of one image line to the detector accumulator.
void march_line(const float* __restrict line, IndexRange columns, const std::int32_t* __restrict index,
                const float* __restrict frac, float* __restrict accumulator) {
  for (std::size_t j = columns.begin; j < columns.end; ++j) accumulator[j] += interpolate(line, index[j], frac[j]);
}

// Adds one angle's hat-weighted detector samples to one image row.
void gather_row(const float* __restrict sinogram_row, float inv_width, IndexRange pixels,
                const std::int32_t* __restrict index, const float* __restrict frac, float* __restrict image_row) {
  for (std::size_t ix = pixels.begin; ix < pixels.end; ++ix) {
    const HatWeights w = hat_weights(frac[ix], inv_width);
    image_row[ix] += w.w0 * sinogram_row[index[ix]] + w.w1 * sinogram_row[index[ix] + 1];
  }
}

}  // namespace

void project(const float* volume, const ProjectorShape& shape, std::span<const AngleTerms> angles,
             float* projections) {
  const std::size_t n = shape.n, cols = shape.cols, stride = n + 2 * kPad;
  const std::size_t num_angles = angles.size();
  std::vector<MarchTerms> march(num_angles);
  for (std::size_t k = 0; k < num_angles; ++k) march[k] = march_terms(angles[k], shape.axis, shape.center);

  // The margins stay zero; only the interiors are rewritten for each slice.
  std::vector<float> rows(n * stride, 0.0f), columns(n * stride, 0.0f);
  for (std::size_t z = 0; z < shape.slices; ++z) {
    const float* image = volume + z * n * n;
#pragma omp parallel
    {
#pragma omp for schedule(static)
      for (std::size_t l = 0; l < n; ++l) {
        std::copy(image + l * n, image + (l + 1) * n, rows.data() + l * stride + kPad);
        float* column = columns.data() + l * stride + kPad;
        for (std::size_t i = 0; i < n; ++i) column[i] = image[i * n + l];
      }

      std::vector<float> accumulator(cols);
      PositionScratch scratch(cols);
#pragma omp for schedule(dynamic)
      for (std::size_t k = 0; k < num_angles; ++k) {
        std::fill(accumulator.begin(), accumulator.end(), 0.0f);
        const MarchTerms& m = march[k];
        const float* lines = angles[k].rows_dominant ? rows.data() : columns.data();
        for (std::size_t l = 0; l < n; ++l) {
          const double offset = m.origin + double(l) * m.line_step;
          const IndexRange hit = open_interval_range(m.step, offset, -1.0, double(n), cols);
          split_positions(m.step, offset + double(kPad), hit, scratch.index.data(), scratch.frac.data());
          march_line(lines + l * stride, hit, scratch.index.data(), scratch.frac.data(), accumulator.data());
        }
        const auto scale = static_cast<float>(angles[k].inv_width);
        float* out = projections + (k * shape.slices + z) * cols;
        for (std::size_t j = 0; j < cols; ++j) out[j] = accumulator[j] * scale;
      }
    }
  }
}

void backproject(const float* projections, const ProjectorShape& shape,
                 std::span<const BackprojectionAngle> angles, float* volume) {
  const std::size_t n = shape.n, cols = shape.cols, stride = cols + 2 * kPad;
  const std::size_t num_angles = angles.size();

  std::vector<float> sinogram(num_angles * stride, 0.0f);
  for (std::size_t z = 0; z < shape.slices; ++z) {
    float* image = volume + z * n * n;
#pragma omp parallel
    {
#pragma omp for schedule(static)
      for (std::size_t k = 0; k < num_angles; ++k) {
        const float* in = projections + (k * shape.slices + z) * cols;
        float* padded = sinogram.data() + k * stride + kPad;
        for (std::size_t j = 0; j < cols; ++j) padded[j] = angles[k].weight * in[j];
      }

      PositionScratch scratch(n);
#pragma omp for schedule(dynamic)
      for (std::size_t iy = 0; iy < n; ++iy) {
        float* row = image + iy * n;
        std::fill(row, row + n, 0.0f);
        for (std::size_t k = 0; k < num_angles; ++k) {
          const AngleTerms& a = angles[k].terms;
          const double offset = detector_row_offset(a, shape.axis, shape.center, iy);
          const IndexRange hit = open_interval_range(a.ix_coef, offset, -1.0, double(cols), n);
          split_positions(a.ix_coef, offset + double(kPad), hit, scratch.index.data(), scratch.frac.data());
          gather_row(sinogram.data() + k * stride, angles[k].inv_width, hit, scratch.index.data(),
                     scratch.frac.data(), row);
        }
      }
    }
  }
}

}  // namespace xrecon::tomo::kernels::cpu
