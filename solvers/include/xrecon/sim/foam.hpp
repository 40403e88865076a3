#pragma once
// A random foam phantom (after XDesign's Foam and TomoPy's test objects): solid material of value
// 1 with spherical voids of random size and position, the kind of sample whose sharp edges and
// many scales show a reconstruction's resolution and artefacts better than the smooth head phantom.
//
// Coordinates are normalised as in phantom.hpp. The material fills the cylinder x^2 + y^2 <= 1
// around the rotation axis z, so every projection angle sees all of it (no truncated rays).
#include <cstddef>
#include <cstdint>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::sim {

struct FoamSpec {
  std::size_t voids = 100;   // how many voids to try to place
  double min_radius = 0.02;  // normalised units
  double max_radius = 0.1;
  std::uint64_t seed = 1;
};

// A spherical void; in a planar foam a disc in the plane z = 0 (z0 = 0).
struct Void {
  double x0, y0, z0, radius;
};

// Draws radii uniformly in [min_radius, max_radius] and places the voids largest first, each at a
// uniformly random centre where it lies inside the material and overlaps no void placed before.
// A void that finds no room within a bounded number of tries is dropped, so a crowded spec yields
// fewer voids instead of looping forever. Planar foams place discs in the plane, others spheres
// in the cylinder with |z| <= 1. Deterministic for a given spec (std::mt19937_64 from the seed).
std::vector<Void> place_foam_voids(const FoamSpec& spec, bool planar);

// (nz, ny, nx) volume of the material with these voids, each voxel the mean of supersample^3
// sub-samples, slices placed and as thick as in the ellipsoid rasterize() of phantom.hpp
// (supersample^2 when nz == 1: a single slice is the planar foam, its voids discs rather than
// sections of spheres).
ArrayF rasterize(const std::vector<Void>& voids, std::size_t nz, std::size_t ny, std::size_t nx, int supersample = 3);

// place_foam_voids (planar when nz == 1), then rasterize.
ArrayF random_foam(const FoamSpec& spec, std::size_t nz, std::size_t ny, std::size_t nx, int supersample = 3);

}  // namespace xrecon::sim
