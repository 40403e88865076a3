#pragma once
// The one place where CXI's metres meet xrecon's object pixels (payload.hpp's PtychoScan).
//
// Object pixel: a far-field detector of W pixels of size p at distance z samples the exit wave
// at dx = lambda * z / (W * p), lambda = h c / E.
//
// Sign convention: CXI's translation is where the sample stage moved; the beam stays put, so the
// probe lands on the object at minus the translation. x (horizontal) maps to columns and y
// (vertical) to rows:  col = -x / dx,  row = -y / dx; z is ignored (written 0). The reader then
// shifts the positions so the smallest row and the smallest column equal the margin.
#include <cstddef>
#include <span>
#include <vector>

#include <xrecon/array.hpp>

namespace xrecon::io {

// Metres, from the photon energy in joules.
double wavelength_from_energy(double energy);
// Metres per object pixel for a detector `detector_width` pixels of `detector_pixel` metres.
double object_pixel_size(double energy, double distance, std::size_t detector_width, double detector_pixel);

// (N, 3) translations (x, y, z) in metres, row-major, to (N, 2) (row, col) positions in object
// pixels whose smallest row and column equal `margin`.
ArrayD positions_from_translations(std::span<const double> translations, double pixel_size, double margin);
// The inverse up to the shift: (N, 3) row-major x, y, z with z = 0.
std::vector<double> translations_from_positions(const ArrayD& positions, double pixel_size);

}  // namespace xrecon::io
