#include "operators.hpp"

#include <algorithm>
#include <complex>

#include <omp.h>

#include "farfield_fft.hpp"
#include "parallel.hpp"
#include "ptycho_math.hpp"

namespace xrecon::ptycho::detail {
namespace {

using Complex = std::complex<float>;

BilinearCorner corner_of(const ArrayD& positions, std::size_t j) {
  return bilinear_corner(positions[2 * j], positions[2 * j + 1]);
}

}  // namespace

ArrayCF crop_windows(const ArrayCF& object, const ArrayD& positions, std::size_t rows, std::size_t cols) {
  const std::size_t count = positions.extent(0);
  const long object_rows = long(object.extent(0)), object_cols = long(object.extent(1));
  ArrayCF windows(Shape{count, rows, cols});
  const Complex* o = object.data();
  Complex* out = windows.data();
#pragma omp parallel for if(worth_parallel(windows.size())) collapse(2) schedule(static)
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t y = 0; y < rows; ++y) {
      const BilinearCorner c = corner_of(positions, j);
      const float w00 = float(c.w00), w01 = float(c.w01), w10 = float(c.w10), w11 = float(c.w11);
      const long r0 = c.row + long(y), r1 = next_index(r0, object_rows);
      const Complex* top = o + r0 * object_cols;
      const Complex* bottom = o + r1 * object_cols;
      Complex* row = out + (j * rows + y) * cols;
      for (std::size_t x = 0; x < cols; ++x) {
        const long c0 = c.col + long(x), c1 = next_index(c0, object_cols);
        row[x] = w00 * top[c0] + w01 * top[c1] + w10 * bottom[c0] + w11 * bottom[c1];
      }
    }
  }
  return windows;
}

void scatter_windows(const ArrayCF& windows, const ArrayD& positions, ArrayCF& object) {
  const std::size_t count = windows.extent(0), rows = windows.extent(1), cols = windows.extent(2);
  const long object_rows = long(object.extent(0)), object_cols = long(object.extent(1));
  const Complex* in = windows.data();
  Complex* o = object.data();
  // Adds one window row into one object row with the left and right weights of its samples.
  const auto add_row = [&](Complex* target, const Complex* source, float left, float right, long col) {
    for (std::size_t x = 0; x < cols; ++x) {
      const long c0 = col + long(x), c1 = next_index(c0, object_cols);
      target[c0] += left * source[x];
      target[c1] += right * source[x];
    }
  };
  // Each thread owns a band of object rows and gathers into it what every window puts there:
  // window row y with the top weights and row y - 1 with the bottom ones. No two threads write
  // one pixel, so there are no atomics, no per-thread copies of the object and no barrier per
  // window, and the sums do not depend on the thread count's interleaving.
#pragma omp parallel if(worth_parallel(windows.size()))
  {
    const long threads = omp_get_num_threads(), thread = omp_get_thread_num();
    const long band_begin = object_rows * thread / threads, band_end = object_rows * (thread + 1) / threads;
    for (std::size_t j = 0; j < count; ++j) {
      const BilinearCorner c = corner_of(positions, j);
      const float w00 = float(c.w00), w01 = float(c.w01), w10 = float(c.w10), w11 = float(c.w11);
      const Complex* window = in + j * rows * cols;
      const long first = std::max(band_begin, c.row), last = std::min(band_end, c.row + long(rows) + 1);
      for (long r = first; r < last; ++r) {
        const long y = r - c.row;
        Complex* target = o + r * object_cols;
        if (y < long(rows)) add_row(target, window + y * long(cols), w00, w01, c.col);
        // A window flush with the last object row clamps its bottom neighbour onto that row
        // (next_index) with zero weight, so skipping it here changes nothing.
        if (y >= 1) add_row(target, window + (y - 1) * long(cols), w10, w11, c.col);
      }
    }
  }
}

ArrayCF propagate(const ArrayCF& probe, const ArrayCF& windows, std::size_t detector_rows, std::size_t detector_cols) {
  const std::size_t count = windows.extent(0), rows = windows.extent(1), cols = windows.extent(2);
  ArrayCF spectra(Shape{count, detector_rows, detector_cols});
  const Complex* p = probe.data();
  const Complex* in = windows.data();
  Complex* out = spectra.data();
#pragma omp parallel for if(worth_parallel(spectra.size())) collapse(2) schedule(static)
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t y = 0; y < detector_rows; ++y) {
      Complex* row = out + (j * detector_rows + y) * detector_cols;
      const std::size_t inside = y < rows ? cols : 0;
      for (std::size_t x = 0; x < inside; ++x) row[x] = p[y * cols + x] * in[(j * rows + y) * cols + x];
      for (std::size_t x = inside; x < detector_cols; ++x) row[x] = Complex{};
    }
  }
  fft2_frames(out, count, detector_rows, detector_cols, FftDirection::forward);
  return spectra;
}

ArrayCF backpropagate(ArrayCF& spectra, std::size_t rows, std::size_t cols) {
  const std::size_t count = spectra.extent(0), detector_rows = spectra.extent(1), detector_cols = spectra.extent(2);
  fft2_frames(spectra.data(), count, detector_rows, detector_cols, FftDirection::inverse);
  ArrayCF back(Shape{count, rows, cols});
  const Complex* in = spectra.data();
  Complex* out = back.data();
#pragma omp parallel for if(worth_parallel(spectra.size())) collapse(2) schedule(static)
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t y = 0; y < rows; ++y)
      for (std::size_t x = 0; x < cols; ++x)
        out[(j * rows + y) * cols + x] = in[(j * detector_rows + y) * detector_cols + x];
  return back;
}

ArrayCF object_gradient_from(const ArrayCF& back, const ArrayCF& probe, const ArrayD& positions, const Shape& object_shape) {
  const std::size_t count = back.extent(0), frame = probe.size();
  ArrayCF weighted(back.shape());
  const Complex* p = probe.data();
  const Complex* in = back.data();
  Complex* out = weighted.data();
#pragma omp parallel for if(worth_parallel(back.size())) collapse(2) schedule(static)
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t i = 0; i < frame; ++i) out[j * frame + i] = std::conj(p[i]) * in[j * frame + i];
  ArrayCF gradient = ArrayCF::zeros(object_shape);
  scatter_windows(weighted, positions, gradient);
  return gradient;
}

ArrayCF probe_gradient_from(const ArrayCF& back, const ArrayCF& windows) {
  const std::size_t count = back.extent(0), frame = back.extent(1) * back.extent(2);
  ArrayCF gradient(Shape{back.extent(1), back.extent(2)});
  const Complex* b = back.data();
  const Complex* w = windows.data();
  Complex* g = gradient.data();
  // Each probe pixel sums over the positions, so the pixels are independent.
#pragma omp parallel for if(worth_parallel(back.size())) schedule(static)
  for (std::size_t i = 0; i < frame; ++i) {
    Complex sum{};
    for (std::size_t j = 0; j < count; ++j) sum += std::conj(w[j * frame + i]) * b[j * frame + i];
    g[i] = sum;
  }
  return gradient;
}

}  // namespace xrecon::ptycho::detail
