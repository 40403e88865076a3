#pragma once
// The element types the plain readers (.npy, TIFF) accept, and their conversion to the float32
// that Projections hold, with the check for values that are not finite on the way.
#include <cstddef>
#include <optional>

namespace xrecon::io {

enum class SampleType { uint8, int8, uint16, int16, uint32, int32, float32, float64 };

std::size_t sample_bytes(SampleType type);
inline bool is_integer(SampleType type) { return type != SampleType::float32 && type != SampleType::float64; }
const char* to_string(SampleType type);  // NumPy's names: "uint16", "float32"

// The first value of a converted run that is not a finite float32: NaN, an infinity, or a
// float64 beyond float32's range (it would become an infinity).
struct BadSample {
  std::size_t index = 0;  // within the run
  double value = 0;
};

// Converts `count` little-endian values of `type` at `source` (any alignment) to float.
std::optional<BadSample> convert_samples(SampleType type, const unsigned char* source, std::size_t count,
                                         float* destination);

}  // namespace xrecon::io
