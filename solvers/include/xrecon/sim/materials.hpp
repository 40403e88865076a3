#pragma once
// X-ray refractive index n = 1 - delta + i beta of a few reference materials, for simulated
// phase-contrast experiments (joint ptycho-tomography) whose delta and beta must stand in a
// realistic ratio at the photon energy used.
//
// delta from the electron density in the free-electron limit, delta = r_e lambda^2 n_e / (2 pi)
// (Als-Nielsen & McMorrow, Elements of Modern X-ray Physics, eq. 3.3): within about 2% of Henke's
// tabulated f1 for these light elements far above their K edges (O 0.53 keV, Al 1.56 keV).
// beta = mu lambda / (4 pi) from the mass attenuation coefficient mu / rho of NIST's table
// (Hubbell & Seltzer, NIST Standard Reference Database 126, "Water, Liquid" and "Aluminum"),
// interpolated log-log between its points at 5, 6, 8, 10, 15, 20 and 30 keV. The total attenuation
// includes Rayleigh and Compton scattering, which also take photons out of a coherent beam; at
// 8.8 keV they are about 8% of it for water.
//
// At 8.8 keV: water delta = 2.98e-6, beta = 8.75e-9 (delta / beta = 340); aluminium delta = 6.97e-6,
// beta = 1.15e-7 (delta / beta = 60).
#include <string>

namespace xrecon::sim {

enum class Material { water, aluminium };

struct RefractiveIndex {
  double delta = 0;
  double beta = 0;
};

// The range of photon energies the tables cover, keV.
inline constexpr double kMaterialMinEnergyKev = 5.0;
inline constexpr double kMaterialMaxEnergyKev = 30.0;

// InputError outside [kMaterialMinEnergyKev, kMaterialMaxEnergyKev].
RefractiveIndex refractive_index(Material material, double energy_kev);

// "water", "aluminium".
std::string material_name(Material material);

// Photon wavelength in metres for an energy in keV: h c / E with the exact SI constants.
double wavelength_from_kev(double energy_kev);

}  // namespace xrecon::sim
