#pragma once
// FFTW plans for the ramp filter, made once per transform length and reused by every thread.
#include <cstddef>
#include <cstdlib>
#include <memory>

#include <fftw3.h>

namespace xrecon::tomo::detail {

// Real-to-complex and complex-to-real out-of-place transforms of one length (unnormalised).
// Execute them only through fftwf_execute_dft_r2c / _c2r on AlignedBuffer memory.
struct RealFftPlans {
  std::size_t length = 0;
  fftwf_plan forward = nullptr;  // length reals -> length / 2 + 1 complex
  fftwf_plan inverse = nullptr;  // length / 2 + 1 complex -> length reals
};

// The plans for `length`, created on first use. Thread safe; the reference stays valid for the
// life of the process.
const RealFftPlans& real_fft_plans(std::size_t length);

// Memory aligned the way the plans were made for, so FFTW's new-array execute may use it.
template <typename T>
class AlignedBuffer {
 public:
  static constexpr std::size_t kAlignment = 64;
  explicit AlignedBuffer(std::size_t count)
      : data_(static_cast<T*>(std::aligned_alloc(kAlignment, rounded_bytes(count)))) {
    if (!data_) throw std::bad_alloc();
  }
  T* data() { return data_.get(); }
  T& operator[](std::size_t i) { return data_.get()[i]; }

 private:
  static std::size_t rounded_bytes(std::size_t count) {
    return (count * sizeof(T) + kAlignment - 1) / kAlignment * kAlignment;
  }
  struct Free {
    void operator()(T* p) const { std::free(p); }
  };
  std::unique_ptr<T, Free> data_;
};

}  // namespace xrecon::tomo::detail
