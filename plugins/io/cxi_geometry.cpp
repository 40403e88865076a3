#include "cxi_geometry.hpp"

#include <xrecon/sim/ptycho_sim.hpp>

namespace xrecon::io {
namespace {

constexpr double kPlanck = 6.62607015e-34;     // J s, exact in SI since 2019
constexpr double kSpeedOfLight = 299792458.0;  // m / s

}  // namespace

double wavelength_from_energy(double energy) { return kPlanck * kSpeedOfLight / energy; }

double object_pixel_size(double energy, double distance, std::size_t detector_width, double detector_pixel) {
  return wavelength_from_energy(energy) * distance / (double(detector_width) * detector_pixel);
}

ArrayD positions_from_translations(std::span<const double> translations, double pixel_size, double margin) {
  const std::size_t count = translations.size() / 3;
  ArrayD positions(Shape{count, 2});
  for (std::size_t j = 0; j < count; ++j) {
    positions[j * 2] = -translations[j * 3 + 1] / pixel_size;
    positions[j * 2 + 1] = -translations[j * 3] / pixel_size;
  }
  sim::shift_to_margin(positions, margin);
  return positions;
}

std::vector<double> translations_from_positions(const ArrayD& positions, double pixel_size) {
  const std::size_t count = positions.extent(0);
  std::vector<double> translations(count * 3, 0.0);
  for (std::size_t j = 0; j < count; ++j) {
    translations[j * 3] = -positions[j * 2 + 1] * pixel_size;
    translations[j * 3 + 1] = -positions[j * 2] * pixel_size;
  }
  return translations;
}

}  // namespace xrecon::io
