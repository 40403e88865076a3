#include "operators.hpp"

#include <algorithm>
#include <complex>
#include <cstring>
#include <string>


#include "farfield_fft.hpp"
#include "parallel.hpp"
#include "ptycho_kernels.hpp"
#include "ptycho_math.hpp"

namespace xrecon::ptycho::detail {
namespace {

using Complex = std::complex<float>;
using ComplexD = std::complex<double>;

BilinearCorner corner_of(const double* positions, std::size_t j) {
  return bilinear_corner(positions[2 * j], positions[2 * j + 1]);
}

void check_same_space(const char* op, MemorySpace a, MemorySpace b) {
  XRECON_CHECK(a == b, std::string(op) + ": arrays in " + a.to_string() + " and " + b.to_string());
}

// object += Q^*(weight * windows) on the host, weight = conj(probe) or 1 (null).
void scatter_host(const Complex* in, const Complex* probe, const double* positions, std::size_t count,
                  std::size_t rows, std::size_t cols, ComplexD* o, long object_rows, long object_cols) {
  // Adds one window row into one object row with the left and right weights of its samples.
  const auto add_row = [&](ComplexD* target, const Complex* source, const Complex* weight, double left, double right,
                           long col) {
    for (std::size_t x = 0; x < cols; ++x) {
      const ComplexD v = weight ? ComplexD(std::conj(weight[x]) * source[x]) : ComplexD(source[x]);
      const long c0 = col + long(x), c1 = next_index(c0, object_cols);
      target[c0] += left * v;
      target[c1] += right * v;
    }
  };
  // The object is cut into bands of rows; a thread takes a band and gathers into it what every
  // window puts there: window row y with the top weights and row y - 1 with the bottom ones. No
  // two threads write one pixel, so there are no atomics, no per-thread copies of the object and
  // no barrier per window, and every pixel sums its windows in index order whatever the thread
  // count. The bands are fixed and handed out dynamically (parallel.hpp says why); a band of 8
  // rows is still far more work than its scan over the positions.
  constexpr long band_rows = 8;
  const long bands = (object_rows + band_rows - 1) / band_rows;
#pragma omp parallel for if(worth_parallel(count * rows * cols)) schedule(dynamic)
  for (long band = 0; band < bands; ++band) {
    const long band_begin = band * band_rows, band_end = std::min(object_rows, band_begin + band_rows);
    for (std::size_t j = 0; j < count; ++j) {
      const BilinearCorner c = corner_of(positions, j);
      const Complex* window = in + j * rows * cols;
      const long first = std::max(band_begin, c.row), last = std::min(band_end, c.row + long(rows) + 1);
      for (long r = first; r < last; ++r) {
        const long y = r - c.row;
        ComplexD* target = o + r * object_cols;
        if (y < long(rows))
          add_row(target, window + y * long(cols), probe ? probe + y * long(cols) : nullptr, c.w00, c.w01, c.col);
        // A window flush with the last object row clamps its bottom neighbour onto that row
        // (next_index) with zero weight, so skipping it here changes nothing.
        if (y >= 1)
          add_row(target, window + (y - 1) * long(cols), probe ? probe + (y - 1) * long(cols) : nullptr, c.w10,
                  c.w11, c.col);
      }
    }
  }
}

}  // namespace

ArrayCD zeros_double(Shape shape, MemorySpace space) {
  ArrayCD a(shape, space);
  if (space.is_host())
    std::fill(a.data(), a.data() + a.size(), ComplexD{});
  else
    kernels::cuda::zero(space.device, a.data(), a.size() * sizeof(ComplexD));
  return a;
}

ArrayD positions_in(const ArrayD& positions, MemorySpace space) {
  return positions.space() == space ? positions : positions.to(space);
}

void finish_producers(const ArrayCD& values) {
  if (!values.space().is_host()) kernels::cuda::finish_queued_work(values.space().device);
}

ArrayCF rounded(const ArrayCD& values) {
  ArrayCF out(values.shape(), values.space());
  if (values.space().is_host()) {
    const ComplexD* in = values.data();
    Complex* o = out.data();
    const std::size_t size = values.size();
#pragma omp parallel for if(worth_parallel(size)) schedule(dynamic, chunk_for(1))
    for (std::size_t i = 0; i < size; ++i) o[i] = Complex(in[i]);
  } else {
    kernels::cuda::round_to_float(values.space().device, values.data(), out.data(), values.size());
  }
  return out;
}

ArrayCF crop_windows(const ArrayCF& object, const ArrayD& positions_anywhere, std::size_t rows, std::size_t cols) {
  const MemorySpace space = object.space();
  const ArrayD positions = positions_in(positions_anywhere, space);
  const std::size_t count = positions.extent(0);
  ArrayCF windows(Shape{count, rows, cols}, space);
  if (!space.is_host()) {
    kernels::cuda::crop_windows(space.device, object.data(), object.extent(0), object.extent(1), positions.data(),
                                count, rows, cols, windows.data());
    return windows;
  }
  const long object_rows = long(object.extent(0)), object_cols = long(object.extent(1));
  const Complex* o = object.data();
  const double* p = positions.data();
  Complex* out = windows.data();
#pragma omp parallel for if(worth_parallel(windows.size())) collapse(2) schedule(dynamic, chunk_for(cols))
  for (std::size_t j = 0; j < count; ++j) {
    for (std::size_t y = 0; y < rows; ++y) {
      const BilinearCorner c = corner_of(p, j);
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

namespace {

void scatter(const ArrayCF& windows, const Complex* probe, const ArrayD& positions_anywhere, ArrayCD& object) {
  const MemorySpace space = object.space();
  check_same_space("scatter_windows", windows.space(), space);
  const ArrayD positions = positions_in(positions_anywhere, space);
  const std::size_t count = windows.extent(0), rows = windows.extent(1), cols = windows.extent(2);
  if (space.is_host())
    scatter_host(windows.data(), probe, positions.data(), count, rows, cols, object.data(), long(object.extent(0)),
                 long(object.extent(1)));
  else
    kernels::cuda::scatter_windows(space.device, windows.data(), probe, positions.data(), count, rows, cols,
                                   object.data(), object.extent(0), object.extent(1));
}

}  // namespace

void scatter_windows(const ArrayCF& windows, const ArrayD& positions, ArrayCD& object) {
  scatter(windows, nullptr, positions, object);
}

ArrayCF propagate(const ArrayCF& probe, const ArrayCF& windows, std::size_t detector_rows, std::size_t detector_cols) {
  const MemorySpace space = windows.space();
  check_same_space("propagate", probe.space(), space);
  const std::size_t count = windows.extent(0), rows = windows.extent(1), cols = windows.extent(2);
  ArrayCF spectra(Shape{count, detector_rows, detector_cols}, space);
  if (!space.is_host()) {
    kernels::cuda::propagate(space.device, probe.data(), windows.data(), count, rows, cols, detector_rows,
                             detector_cols, spectra.data());
    return spectra;
  }
  const Complex* p = probe.data();
  const Complex* in = windows.data();
  Complex* out = spectra.data();
#pragma omp parallel for if(worth_parallel(spectra.size())) collapse(2) schedule(dynamic, chunk_for(detector_cols))
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
  const MemorySpace space = spectra.space();
  const std::size_t count = spectra.extent(0), detector_rows = spectra.extent(1), detector_cols = spectra.extent(2);
  ArrayCF back(Shape{count, rows, cols}, space);
  if (!space.is_host()) {
    kernels::cuda::backpropagate(space.device, spectra.data(), count, detector_rows, detector_cols, rows, cols,
                                 back.data());
    return back;
  }
  fft2_frames(spectra.data(), count, detector_rows, detector_cols, FftDirection::inverse);
  const Complex* in = spectra.data();
  Complex* out = back.data();
#pragma omp parallel for if(worth_parallel(spectra.size())) collapse(2) schedule(dynamic, chunk_for(cols))
  for (std::size_t j = 0; j < count; ++j)
    for (std::size_t y = 0; y < rows; ++y)
      for (std::size_t x = 0; x < cols; ++x)
        out[(j * rows + y) * cols + x] = in[(j * detector_rows + y) * detector_cols + x];
  return back;
}

ArrayCD object_gradient_from(const ArrayCF& back, const ArrayCF& probe, const ArrayD& positions,
                             const Shape& object_shape) {
  check_same_space("object_gradient_from", probe.space(), back.space());
  ArrayCD gradient = zeros_double(object_shape, back.space());
  scatter(back, probe.data(), positions, gradient);
  return gradient;
}

ArrayCD probe_gradient_from(const ArrayCF& back, const ArrayCF& windows) {
  const MemorySpace space = back.space();
  check_same_space("probe_gradient_from", windows.space(), space);
  const std::size_t count = back.extent(0), frame = back.extent(1) * back.extent(2);
  ArrayCD gradient(Shape{back.extent(1), back.extent(2)}, space);
  if (!space.is_host()) {
    kernels::cuda::probe_gradient(space.device, back.data(), windows.data(), count, frame, gradient.data());
    return gradient;
  }
  const Complex* b = back.data();
  const Complex* w = windows.data();
  ComplexD* g = gradient.data();
  // Each probe pixel sums over the positions, so the pixels are independent.
#pragma omp parallel for if(worth_parallel(back.size())) schedule(dynamic, chunk_for(count))
  for (std::size_t i = 0; i < frame; ++i) {
    ComplexD sum{};
    for (std::size_t j = 0; j < count; ++j) sum += ComplexD(std::conj(w[j * frame + i]) * b[j * frame + i]);
    g[i] = sum;
  }
  return gradient;
}

}  // namespace xrecon::ptycho::detail
