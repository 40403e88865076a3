#pragma once
// Random-number plumbing shared by the foam and the noise: results depend only on the standard
// std::mt19937_64 sequence, never on a library's distribution classes, whose algorithms differ
// between standard libraries.
#include <cstdint>
#include <random>

namespace xrecon::sim::detail {

// Uniform in [0, 1) from the top 53 bits.
inline double unit_uniform(std::mt19937_64& rng) { return double(rng() >> 11) * 0x1.0p-53; }

// SplitMix64's finaliser: turns consecutive integers into well-separated generator seeds.
inline std::uint64_t mix_bits(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ULL;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

}  // namespace xrecon::sim::detail
