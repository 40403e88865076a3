// The CUDA backend of the ptychography operators (ptycho_kernels.hpp). Element-wise work is a
// grid-stride loop over the per-element math of ptycho_math.hpp, the one the OpenMP loops run.
// Sums over positions accumulate in double with atomics (the object gradient gathers the four
// bilinear contributions of a target pixel first, so each pixel costs two atomics, not eight);
// cost and dot reductions take block partials in double, summed by one block in a fixed order.
// cuFFT plans are batched C2C, cached per (rows, cols, batch, device). Everything runs on the
// legacy default stream, ordered with the SDK's copies and the scratch pool.
#include <cuda/std/complex>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <tuple>

#include "ptycho_kernels.hpp"
#include "ptycho_math.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/cuda_scratch.hpp"
#include "xrecon/cuda_sum.cuh"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho::kernels::cuda {
namespace {

using C = ::cuda::std::complex<float>;
using CD = ::cuda::std::complex<double>;

constexpr int kThreads = 256;
// Two waves of full blocks on an H100 (132 multiprocessors x 8 blocks); the grid-stride loops
// do the rest.
constexpr std::size_t kMaxBlocks = 2112;
constexpr float kEpsilon = float(kPoissonEpsilon);

unsigned blocks_for(std::size_t work_items) {
  return static_cast<unsigned>(std::clamp<std::size_t>((work_items + kThreads - 1) / kThreads, 1, kMaxBlocks));
}

C* device_complex(Complex* p) { return reinterpret_cast<C*>(p); }
const C* device_complex(const Complex* p) { return reinterpret_cast<const C*>(p); }
const CD* device_complex(const ComplexD* p) { return reinterpret_cast<const CD*>(p); }

__device__ std::size_t first_index() { return std::size_t(blockIdx.x) * blockDim.x + threadIdx.x; }
__device__ std::size_t grid_stride() { return std::size_t(gridDim.x) * blockDim.x; }

// ---- element-wise kernels ----------------------------------------------------------------------

__global__ void crop_kernel(const C* __restrict__ object, long object_rows, long object_cols,
                            const double* __restrict__ positions, std::size_t count, std::size_t rows,
                            std::size_t cols, C* __restrict__ windows) {
  const std::size_t frame = rows * cols, n = count * frame;
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const std::size_t j = i / frame, y = i % frame / cols, x = i % cols;
    const detail::BilinearCorner c = detail::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    const long r0 = c.row + long(y), r1 = detail::next_index(r0, object_rows);
    const long c0 = c.col + long(x), c1 = detail::next_index(c0, object_cols);
    windows[i] = float(c.w00) * object[r0 * object_cols + c0] + float(c.w01) * object[r0 * object_cols + c1] +
                 float(c.w10) * object[r1 * object_cols + c0] + float(c.w11) * object[r1 * object_cols + c1];
  }
}

// conj(probe) * back at window pixel (y, x) of window j in double; zero outside the window.
__device__ CD weighted_sample(const C* back, const C* probe, std::size_t j, long y, long x, std::size_t rows,
                              std::size_t cols) {
  if (y < 0 || x < 0 || y >= long(rows) || x >= long(cols)) return CD(0.0, 0.0);
  const std::size_t k = std::size_t(y) * cols + std::size_t(x);
  const C b = back[j * rows * cols + k];
  const C v = probe ? ::cuda::std::conj(probe[k]) * b : b;
  return CD(v.real(), v.imag());
}

// One thread per pixel of a window's (rows + 1, cols + 1) footprint: it gathers the bilinear
// contributions of the four window samples that reach it and adds them with two atomics.
__global__ void scatter_kernel(const C* __restrict__ back, const C* __restrict__ probe,
                               const double* __restrict__ positions, std::size_t count, std::size_t rows,
                               std::size_t cols, double* __restrict__ object, long object_rows, long object_cols) {
  const std::size_t footprint_cols = cols + 1, footprint = (rows + 1) * footprint_cols, n = count * footprint;
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const std::size_t j = i / footprint;
    const long y = long(i % footprint / footprint_cols), x = long(i % footprint_cols);
    const detail::BilinearCorner c = detail::bilinear_corner(positions[2 * j], positions[2 * j + 1]);
    // Outside the object on any side (ptycho_math.hpp says why each is safe to skip).
    const detail::FootprintPixel pixel = detail::footprint_pixel(c, y, x, object_rows, object_cols);
    if (!pixel.inside) continue;
    const CD sum = detail::footprint_gather<CD>(
        c, y, x, [&](long sy, long sx) { return weighted_sample(back, probe, j, sy, sx, rows, cols); });
    double* target = object + 2 * (pixel.row * object_cols + pixel.col);
    atomicAdd(target, sum.real());
    atomicAdd(target + 1, sum.imag());
  }
}

// Pixel i of the probe gradient over the positions of one chunk; chunks meet in atomics.
__global__ void probe_gradient_kernel(const C* __restrict__ back, const C* __restrict__ windows, std::size_t count,
                                      std::size_t frame, std::size_t chunk, double* __restrict__ gradient) {
  const std::size_t first = std::size_t(blockIdx.y) * chunk, last = first + chunk < count ? first + chunk : count;
  for (std::size_t i = first_index(); i < frame; i += grid_stride()) {
    double re = 0, im = 0;
    for (std::size_t j = first; j < last; ++j) {
      const C v = ::cuda::std::conj(windows[j * frame + i]) * back[j * frame + i];
      re += v.real();
      im += v.imag();
    }
    atomicAdd(gradient + 2 * i, re);
    atomicAdd(gradient + 2 * i + 1, im);
  }
}

// The exit waves zero padded to the detector, with the orthonormal FFT's scale folded in.
__global__ void pad_multiply_kernel(const C* __restrict__ probe, const C* __restrict__ windows, std::size_t count,
                                    std::size_t rows, std::size_t cols, std::size_t detector_rows,
                                    std::size_t detector_cols, float scale, C* __restrict__ spectra) {
  const std::size_t frame = detector_rows * detector_cols, n = count * frame;
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const std::size_t j = i / frame, y = i % frame / detector_cols, x = i % detector_cols;
    spectra[i] = y < rows && x < cols ? scale * (probe[y * cols + x] * windows[(j * rows + y) * cols + x]) : C(0, 0);
  }
}

__global__ void crop_scale_kernel(const C* __restrict__ spectra, std::size_t count, std::size_t detector_rows,
                                  std::size_t detector_cols, std::size_t rows, std::size_t cols, float scale,
                                  C* __restrict__ back) {
  const std::size_t frame = rows * cols, n = count * frame;
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const std::size_t j = i / frame, y = i % frame / cols, x = i % cols;
    back[i] = scale * spectra[(j * detector_rows + y) * detector_cols + x];
  }
}

template <typename T>
__global__ void reorder_kernel(const T* __restrict__ in, std::size_t count, std::size_t rows, std::size_t cols,
                               bool to_fft, T* __restrict__ out) {
  const std::size_t frame = rows * cols, n = count * frame;
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const std::size_t j = i / frame, y = i % frame / cols, x = i % cols;
    const std::size_t centred = (j * rows + (y + rows / 2) % rows) * cols + (x + cols / 2) % cols;
    if (to_fft)
      out[i] = in[centred];
    else
      out[centred] = in[i];
  }
}

__global__ void square_root_kernel(float* values, std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) values[i] = sqrtf(values[i]);
}

__global__ void residual_kernel(const C* __restrict__ spectra, const float* __restrict__ measured, std::size_t n,
                                bool gaussian, C* __restrict__ out) {
  for (std::size_t i = first_index(); i < n; i += grid_stride())
    out[i] = gaussian ? detail::gaussian_residual(spectra[i], measured[i])
                      : detail::poisson_residual(spectra[i], measured[i], kEpsilon);
}

__global__ void axpy_kernel(float alpha, const C* __restrict__ x, C* __restrict__ y, std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) y[i] += alpha * x[i];
}

__global__ void descent_update_kernel(const C* __restrict__ g, float beta, C* __restrict__ d, std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) d[i] = beta * d[i] - g[i];
}

__global__ void round_kernel(const CD* __restrict__ in, C* __restrict__ out, std::size_t n) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) out[i] = C(float(in[i].real()), float(in[i].imag()));
}

__global__ void clamp_kernel(C* values, std::size_t n, float limit, int* changed) {
  for (std::size_t i = first_index(); i < n; i += grid_stride()) {
    const float modulus = ::cuda::std::abs(values[i]);
    if (modulus > limit) {
      values[i] *= limit / modulus;
      *changed = 1;
    }
  }
}

// ---- reductions (xrecon/cuda_sum.cuh) ----------------------------------------------------------

struct CostTerm {
  const C* z;
  const float* d;
  bool gaussian;
  __device__ double operator()(std::size_t i) const {
    return gaussian ? double(detail::gaussian_cost_term(z[i], d[i])) : double(detail::poisson_cost_term(z[i], d[i], kEpsilon));
  }
};

struct CostChangeTerm {
  const C* z;
  const C* s;
  double gamma;
  const float* d;
  bool gaussian;
  __device__ double operator()(std::size_t i) const {
    return detail::cost_change_term(z[i].real(), z[i].imag(), s[i].real(), s[i].imag(), gamma, d[i], gaussian,
                                    kPoissonEpsilon);
  }
};

struct RealDotTerm {
  const C* a;
  const C* b;
  __device__ double operator()(std::size_t i) const {
    return double(a[i].real()) * double(b[i].real()) + double(a[i].imag()) * double(b[i].imag());
  }
};

// ---- cuFFT plans ---------------------------------------------------------------------------------

struct FftPlan {
  cufftHandle handle = 0;
  // cuFFT lets one host thread at a time execute a plan (ranks may share a device).
  std::mutex in_use;
};

// The batched C2C plan for (rows, cols, batch) on `device`, made on first use and kept for the
// life of the process (at exit the CUDA context may be gone before a static destructor runs).
FftPlan& fft_plan(std::size_t rows, std::size_t cols, std::size_t batch, int device) {
  static std::mutex mutex;
  static std::map<std::tuple<std::size_t, std::size_t, std::size_t, int>, std::unique_ptr<FftPlan>> cache;
  std::lock_guard lock(mutex);
  auto& plan = cache[std::make_tuple(rows, cols, batch, device)];
  if (!plan) {
    auto made = std::make_unique<FftPlan>();
    long long n[2] = {static_cast<long long>(rows), static_cast<long long>(cols)};
    const long long frame = n[0] * n[1];
    std::size_t work = 0;
    XRECON_CUFFT_CHECK(cufftCreate(&made->handle));
    const cufftResult status = cufftMakePlanMany64(made->handle, 2, n, nullptr, 1, frame, nullptr, 1, frame, CUFFT_C2C,
                                                   static_cast<long long>(batch), &work);
    if (status != CUFFT_SUCCESS) {
      cufftDestroy(made->handle);
      XRECON_CUFFT_CHECK(status);
    }
    plan = std::move(made);
  }
  return *plan;
}

}  // namespace

void fft2_frames(int device, Complex* frames, std::size_t count, std::size_t rows, std::size_t cols, bool forward) {
  if (count == 0 || rows == 0 || cols == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  FftPlan& plan = fft_plan(rows, cols, count, device);
  std::lock_guard lock(plan.in_use);
  auto* data = reinterpret_cast<cufftComplex*>(frames);
  XRECON_CUFFT_CHECK(cufftExecC2C(plan.handle, data, data, forward ? CUFFT_FORWARD : CUFFT_INVERSE));
}

void crop_windows(int device, const Complex* object, std::size_t object_rows, std::size_t object_cols,
                  const double* positions, std::size_t count, std::size_t rows, std::size_t cols, Complex* windows) {
  const std::size_t n = count * rows * cols;
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  crop_kernel<<<blocks_for(n), kThreads>>>(device_complex(object), long(object_rows), long(object_cols), positions,
                                           count, rows, cols, device_complex(windows));
  XRECON_CUDA_CHECK_LAUNCH();
}

void scatter_windows(int device, const Complex* back, const Complex* probe, const double* positions,
                     std::size_t count, std::size_t rows, std::size_t cols, ComplexD* object, std::size_t object_rows,
                     std::size_t object_cols) {
  const std::size_t n = count * (rows + 1) * (cols + 1);
  if (count == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  scatter_kernel<<<blocks_for(n), kThreads>>>(device_complex(back), device_complex(probe), positions, count, rows,
                                              cols, reinterpret_cast<double*>(object), long(object_rows),
                                              long(object_cols));
  XRECON_CUDA_CHECK_LAUNCH();
}

void probe_gradient(int device, const Complex* back, const Complex* windows, std::size_t count, std::size_t frame,
                    ComplexD* gradient) {
  if (frame == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  XRECON_CUDA_CHECK(cudaMemsetAsync(gradient, 0, frame * sizeof(ComplexD), 0));
  if (count == 0) return;
  // Enough position chunks that the pixels times the chunks fill the GPU twice over.
  const std::size_t pixel_blocks = (frame + kThreads - 1) / kThreads;
  const std::size_t chunks = std::clamp<std::size_t>(kMaxBlocks / std::max<std::size_t>(pixel_blocks, 1), 1, count);
  const std::size_t chunk = (count + chunks - 1) / chunks;
  const dim3 grid(unsigned(std::min(pixel_blocks, kMaxBlocks)), unsigned((count + chunk - 1) / chunk));
  probe_gradient_kernel<<<grid, kThreads>>>(device_complex(back), device_complex(windows), count, frame, chunk,
                                            reinterpret_cast<double*>(gradient));
  XRECON_CUDA_CHECK_LAUNCH();
}

void propagate(int device, const Complex* probe, const Complex* windows, std::size_t count, std::size_t rows,
               std::size_t cols, std::size_t detector_rows, std::size_t detector_cols, Complex* spectra) {
  const std::size_t n = count * detector_rows * detector_cols;
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const float scale = float(1.0 / std::sqrt(double(detector_rows * detector_cols)));
  pad_multiply_kernel<<<blocks_for(n), kThreads>>>(device_complex(probe), device_complex(windows), count, rows, cols,
                                                   detector_rows, detector_cols, scale, device_complex(spectra));
  XRECON_CUDA_CHECK_LAUNCH();
  fft2_frames(device, spectra, count, detector_rows, detector_cols, true);
}

void backpropagate(int device, Complex* spectra, std::size_t count, std::size_t detector_rows,
                   std::size_t detector_cols, std::size_t rows, std::size_t cols, Complex* back) {
  const std::size_t n = count * rows * cols;
  if (n == 0) return;
  fft2_frames(device, spectra, count, detector_rows, detector_cols, false);
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const float scale = float(1.0 / std::sqrt(double(detector_rows * detector_cols)));
  crop_scale_kernel<<<blocks_for(n), kThreads>>>(device_complex(spectra), count, detector_rows, detector_cols, rows,
                                                 cols, scale, device_complex(back));
  XRECON_CUDA_CHECK_LAUNCH();
}

void reorder(int device, const float* in, std::size_t count, std::size_t rows, std::size_t cols, bool to_fft,
             float* out) {
  const std::size_t n = count * rows * cols;
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  reorder_kernel<<<blocks_for(n), kThreads>>>(in, count, rows, cols, to_fft, out);
  XRECON_CUDA_CHECK_LAUNCH();
}

void reorder(int device, const Complex* in, std::size_t count, std::size_t rows, std::size_t cols, bool to_fft,
             Complex* out) {
  const std::size_t n = count * rows * cols;
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  reorder_kernel<<<blocks_for(n), kThreads>>>(device_complex(in), count, rows, cols, to_fft, device_complex(out));
  XRECON_CUDA_CHECK_LAUNCH();
}

void square_root(int device, float* values, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  square_root_kernel<<<blocks_for(n), kThreads>>>(values, n);
  XRECON_CUDA_CHECK_LAUNCH();
}

double data_cost(int device, const Complex* spectra, const float* measured, std::size_t n, bool gaussian) {
  return ::xrecon::detail::cuda_sum::sum(device, n, CostTerm{device_complex(spectra), measured, gaussian});
}

double data_cost_change_along(int device, const Complex* spectra, const Complex* step, double gamma,
                              const float* measured, std::size_t n, bool gaussian) {
  return ::xrecon::detail::cuda_sum::sum(device, n, CostChangeTerm{device_complex(spectra), device_complex(step), gamma, measured, gaussian});
}

void residual(int device, const Complex* spectra, const float* measured, std::size_t n, bool gaussian,
              Complex* out) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  residual_kernel<<<blocks_for(n), kThreads>>>(device_complex(spectra), measured, n, gaussian, device_complex(out));
  XRECON_CUDA_CHECK_LAUNCH();
}

double real_dot(int device, const Complex* a, const Complex* b, std::size_t n) {
  return ::xrecon::detail::cuda_sum::sum(device, n, RealDotTerm{device_complex(a), device_complex(b)});
}

void axpy(int device, float alpha, const Complex* x, Complex* y, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  axpy_kernel<<<blocks_for(n), kThreads>>>(alpha, device_complex(x), device_complex(y), n);
  XRECON_CUDA_CHECK_LAUNCH();
}

void descent_update(int device, const Complex* g, float beta, Complex* d, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  descent_update_kernel<<<blocks_for(n), kThreads>>>(device_complex(g), beta, device_complex(d), n);
  XRECON_CUDA_CHECK_LAUNCH();
}

void round_to_float(int device, const ComplexD* in, Complex* out, std::size_t n) {
  if (n == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  round_kernel<<<blocks_for(n), kThreads>>>(device_complex(in), device_complex(out), n);
  XRECON_CUDA_CHECK_LAUNCH();
}

void zero(int device, void* data, std::size_t bytes) {
  if (bytes == 0) return;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  XRECON_CUDA_CHECK(cudaMemsetAsync(data, 0, bytes, 0));
}

void finish_queued_work(int device) {
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  // The legacy stream by name: with per-thread default streams, 0 would be the calling thread's.
  XRECON_CUDA_CHECK(cudaStreamSynchronize(cudaStreamLegacy));
}

bool clamp_amplitude(int device, Complex* values, std::size_t n, float limit) {
  if (n == 0) return false;
  XRECON_CUDA_CHECK(cudaSetDevice(device));
  const ::xrecon::detail::DeviceScratch<int> changed(1);
  XRECON_CUDA_CHECK(cudaMemsetAsync(changed.data(), 0, sizeof(int), 0));
  clamp_kernel<<<blocks_for(n), kThreads>>>(device_complex(values), n, limit, changed.data());
  XRECON_CUDA_CHECK_LAUNCH();
  int result = 0;
  XRECON_CUDA_CHECK(cudaMemcpy(&result, changed.data(), sizeof(int), cudaMemcpyDeviceToHost));
  return result != 0;
}

}  // namespace xrecon::ptycho::kernels::cuda
