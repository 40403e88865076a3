// Refractive indices of the reference materials (sources and formulas in materials.hpp).
#include "xrecon/sim/materials.hpp"

#include <array>
#include <cmath>
#include <numbers>

#include "xrecon/error.hpp"

namespace xrecon::sim {
namespace {

constexpr double kPlanck = 6.62607015e-34;            // J s, exact
constexpr double kSpeedOfLight = 299792458.0;         // m / s, exact
constexpr double kElectronvolt = 1.602176634e-19;     // J, exact
constexpr double kAvogadro = 6.02214076e23;           // 1 / mol, exact
constexpr double kElectronRadius = 2.8179403262e-15;  // m, CODATA 2018

constexpr std::array<double, 7> kTableKev = {5.0, 6.0, 8.0, 10.0, 15.0, 20.0, 30.0};

struct MaterialData {
  double density;           // g / cm^3
  double electrons_per_mass;  // Z / A, mol / g
  std::array<double, 7> mass_attenuation;  // cm^2 / g at kTableKev (NIST SRD 126)
};

MaterialData data_of(Material material) {
  switch (material) {
    case Material::water:
      return {1.0, 0.55508, {42.58, 24.64, 10.37, 5.329, 1.673, 0.8096, 0.3756}};
    case Material::aluminium:
      return {2.699, 13.0 / 26.9815, {193.4, 115.3, 50.33, 26.23, 7.955, 3.441, 1.128}};
  }
  throw Error("unknown material");
}

// Log-log interpolation between the table's neighbours of `energy_kev`.
double mass_attenuation(const MaterialData& data, double energy_kev) {
  std::size_t upper = 1;
  while (upper + 1 < kTableKev.size() && kTableKev[upper] < energy_kev) ++upper;
  const std::size_t lower = upper - 1;
  const double t = std::log(energy_kev / kTableKev[lower]) / std::log(kTableKev[upper] / kTableKev[lower]);
  return std::exp((1.0 - t) * std::log(data.mass_attenuation[lower]) + t * std::log(data.mass_attenuation[upper]));
}

}  // namespace

double wavelength_from_kev(double energy_kev) {
  XRECON_CHECK(energy_kev > 0.0, "the photon energy must be positive, got " + std::to_string(energy_kev) + " keV");
  return kPlanck * kSpeedOfLight / (energy_kev * 1e3 * kElectronvolt);
}

RefractiveIndex refractive_index(Material material, double energy_kev) {
  XRECON_CHECK(energy_kev >= kMaterialMinEnergyKev && energy_kev <= kMaterialMaxEnergyKev,
               "the refractive index of " + material_name(material) + " is tabulated from " +
                   std::to_string(kMaterialMinEnergyKev) + " to " + std::to_string(kMaterialMaxEnergyKev) +
                   " keV, got " + std::to_string(energy_kev) + " keV");
  const MaterialData data = data_of(material);
  const double wavelength = wavelength_from_kev(energy_kev);
  const double electrons = data.density * data.electrons_per_mass * kAvogadro * 1e6;  // per m^3
  const double mu = mass_attenuation(data, energy_kev) * data.density * 100.0;       // per m
  return {kElectronRadius * wavelength * wavelength * electrons / (2.0 * std::numbers::pi),
          mu * wavelength / (4.0 * std::numbers::pi)};
}

std::string material_name(Material material) {
  switch (material) {
    case Material::water: return "water";
    case Material::aluminium: return "aluminium";
  }
  return "unknown";
}

}  // namespace xrecon::sim
