#include "sample_types.hpp"

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace xrecon::io {
namespace {

template <typename T>
std::optional<BadSample> convert(const unsigned char* source, std::size_t count, float* destination) {
  std::optional<BadSample> bad;
  for (std::size_t i = 0; i < count; ++i) {
    // memcpy: the data of a .npy file starts at any offset, so elements need not be aligned.
    T value;
    std::memcpy(&value, source + i * sizeof(T), sizeof(T));
    destination[i] = static_cast<float>(value);
    if constexpr (std::is_floating_point_v<T>) {
      const bool representable = std::isfinite(value) && std::fabs(double(value)) <= std::numeric_limits<float>::max();
      if (!representable && !bad) bad = BadSample{i, double(value)};
    }
  }
  return bad;
}

// In SampleType's order.
struct TypeInfo {
  const char* name;
  std::size_t bytes;
};
constexpr TypeInfo kTypes[] = {{"uint8", 1},  {"int8", 1},  {"uint16", 2},  {"int16", 2},
                               {"uint32", 4}, {"int32", 4}, {"float32", 4}, {"float64", 8}};

}  // namespace

std::size_t sample_bytes(SampleType type) { return kTypes[std::size_t(type)].bytes; }

const char* to_string(SampleType type) { return kTypes[std::size_t(type)].name; }

std::optional<BadSample> convert_samples(SampleType type, const unsigned char* source, std::size_t count,
                                         float* destination) {
  static_assert(std::endian::native == std::endian::little, "the plain readers convert little-endian files by memcpy");
  switch (type) {
    case SampleType::uint8:
      return convert<std::uint8_t>(source, count, destination);
    case SampleType::int8:
      return convert<std::int8_t>(source, count, destination);
    case SampleType::uint16:
      return convert<std::uint16_t>(source, count, destination);
    case SampleType::int16:
      return convert<std::int16_t>(source, count, destination);
    case SampleType::uint32:
      return convert<std::uint32_t>(source, count, destination);
    case SampleType::int32:
      return convert<std::int32_t>(source, count, destination);
    case SampleType::float32:
      return convert<float>(source, count, destination);
    case SampleType::float64:
      return convert<double>(source, count, destination);
  }
  return std::nullopt;
}

}  // namespace xrecon::io
