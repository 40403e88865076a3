#include "fft2.hpp"

#include <cmath>
#include <mutex>
#include <new>

namespace xrecon::sim::detail {
namespace {

std::mutex& planner_mutex() {
  static std::mutex mutex;
  return mutex;
}

}  // namespace

Fft2::Fft2(std::size_t rows, std::size_t cols, FftDirection direction) : size_(rows * cols) {
  const std::lock_guard<std::mutex> lock(planner_mutex());
  buffer_ = static_cast<std::complex<float>*>(fftwf_malloc(size_ * sizeof(std::complex<float>)));
  if (buffer_ == nullptr) throw std::bad_alloc();
  auto* data = reinterpret_cast<fftwf_complex*>(buffer_);
  plan_ = fftwf_plan_dft_2d(int(rows), int(cols), data, data,
                            direction == FftDirection::forward ? FFTW_FORWARD : FFTW_BACKWARD, FFTW_ESTIMATE);
}

Fft2::~Fft2() {
  const std::lock_guard<std::mutex> lock(planner_mutex());
  fftwf_destroy_plan(plan_);
  fftwf_free(buffer_);
}

void Fft2::execute() {
  fftwf_execute(plan_);
  const float scale = float(1.0 / std::sqrt(double(size_)));
  for (std::size_t i = 0; i < size_; ++i) buffer_[i] *= scale;
}

}  // namespace xrecon::sim::detail
