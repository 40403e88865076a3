#pragma once
// cuFFT plans for the ramp filter on a GPU, made once per (row length, batch, device) and reused.
// Include only from .cu files.
#include <cufft.h>

#include <cstddef>
#include <mutex>

namespace xrecon::tomo::detail {

// Batched in-place transforms of `batch` rows of `length` reals, each row stored in
// padded_row_floats(length) floats so that its length / 2 + 1 complex bins fit in place
// (unnormalised, on the legacy default stream).
struct RowFftPlans {
  cufftHandle forward = 0;  // real -> complex
  cufftHandle inverse = 0;  // complex -> real
  // cuFFT lets only one host thread at a time execute a plan: hold this while using them.
  std::mutex in_use;
};

inline std::size_t padded_row_floats(std::size_t length) { return 2 * (length / 2 + 1); }

// The plans for (length, batch) on `device`, created on first use. Thread safe; the reference
// stays valid for the life of the process.
RowFftPlans& row_fft_plans(std::size_t length, std::size_t batch, int device);

}  // namespace xrecon::tomo::detail
