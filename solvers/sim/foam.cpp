#include "xrecon/sim/foam.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <string>
#include <unordered_map>

#include "random_bits.hpp"
#include "section_raster.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

// Tries per void before it is dropped; enough to fill a foam to about half its volume.
constexpr int kPlacementTries = 1000;

double uniform(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * detail::unit_uniform(rng);
}

// Voids bucketed on a grid of cells as wide as the largest diameter, so that a candidate can
// only overlap voids in its own and the neighbouring cells.
class VoidGrid {
 public:
  explicit VoidGrid(double cell) : cell_(cell) {}

  bool overlaps(const Void& candidate) const {
    const auto [cx, cy, cz] = cell_of(candidate);
    for (std::int64_t dz = -1; dz <= 1; ++dz)
      for (std::int64_t dy = -1; dy <= 1; ++dy)
        for (std::int64_t dx = -1; dx <= 1; ++dx) {
          auto it = cells_.find(key(cx + dx, cy + dy, cz + dz));
          if (it == cells_.end()) continue;
          for (const Void& other : it->second)
            if (overlap(candidate, other)) return true;
        }
    return false;
  }

  void insert(const Void& v) {
    const auto [cx, cy, cz] = cell_of(v);
    cells_[key(cx, cy, cz)].push_back(v);
  }

 private:
  static bool overlap(const Void& a, const Void& b) {
    const double dx = a.x0 - b.x0, dy = a.y0 - b.y0, dz = a.z0 - b.z0;
    const double reach = a.radius + b.radius;
    return dx * dx + dy * dy + dz * dz < reach * reach;
  }
  std::array<std::int64_t, 3> cell_of(const Void& v) const {
    return {std::int64_t(std::floor(v.x0 / cell_)), std::int64_t(std::floor(v.y0 / cell_)),
            std::int64_t(std::floor(v.z0 / cell_))};
  }
  // Cells stay within |index| <= 2 / cell + 1 of the origin; 21 bits each are plenty.
  static std::int64_t key(std::int64_t x, std::int64_t y, std::int64_t z) {
    constexpr std::int64_t bias = std::int64_t(1) << 20;
    return ((x + bias) << 42) | ((y + bias) << 21) | (z + bias);
  }

  double cell_;
  std::unordered_map<std::int64_t, std::vector<Void>> cells_;
};

void check_spec(const FoamSpec& spec) {
  XRECON_CHECK(spec.min_radius > 0.0 && spec.min_radius <= spec.max_radius && spec.max_radius < 1.0,
               "foam radii must satisfy 0 < min_radius <= max_radius < 1, got " + std::to_string(spec.min_radius) +
                   " and " + std::to_string(spec.max_radius));
}

}  // namespace

std::vector<Void> place_foam_voids(const FoamSpec& spec, bool planar) {
  check_spec(spec);
  std::mt19937_64 rng(spec.seed);
  std::vector<double> radii(spec.voids);
  for (double& r : radii) r = uniform(rng, spec.min_radius, spec.max_radius);
  // Large voids first: placed late they would rarely find room among the small ones.
  std::sort(radii.begin(), radii.end(), std::greater<>());

  // The cell must exceed the largest diameter; a floor keeps the key's cell range bounded.
  VoidGrid grid(std::max(2.0 * spec.max_radius, 1e-5));
  std::vector<Void> voids;
  voids.reserve(radii.size());
  for (double r : radii) {
    const double reach = 1.0 - r;  // centres this close to the axis keep the void inside
    for (int attempt = 0; attempt < kPlacementTries; ++attempt) {
      const double x0 = uniform(rng, -reach, reach);
      const double y0 = uniform(rng, -reach, reach);
      const double z0 = planar ? 0.0 : uniform(rng, -reach, reach);
      const Void candidate{x0, y0, z0, r};
      if (candidate.x0 * candidate.x0 + candidate.y0 * candidate.y0 > reach * reach) continue;
      if (grid.overlaps(candidate)) continue;
      grid.insert(candidate);
      voids.push_back(candidate);
      break;
    }
  }
  return voids;
}

ArrayF rasterize(const std::vector<Void>& voids, std::size_t nz, std::size_t ny, std::size_t nx, int supersample) {
  XRECON_CHECK(supersample >= 1, "supersample must be at least 1, got " + std::to_string(supersample));
  const bool planar = nz == 1;

  // The material is the unit disc at every height; each void subtracts it again, exactly, since
  // voids lie inside the material and do not overlap.
  const Ellipse material{1.0, 1.0, 1.0, 0.0, 0.0, 0.0};
  const int z_supersample = planar ? 1 : supersample;
  const std::vector<double> heights = detail::sub_slice_heights(nz, z_supersample, 2.0 / double(nx));
  std::vector<std::vector<Ellipse>> sections(heights.size(), {material});
  for (const Void& v : voids) {
    if (planar) {
      sections[0].push_back(Ellipse{-1.0, v.radius, v.radius, v.x0, v.y0, 0.0});
      continue;
    }
    detail::add_sections(Ellipsoid{-1.0, v.radius, v.radius, v.radius, v.x0, v.y0, v.z0, 0.0}, heights, sections);
  }
  ArrayF volume(Shape{nz, ny, nx});
  detail::rasterize_sections(sections, nz, ny, nx, supersample, z_supersample, volume.data());
  return volume;
}

ArrayF random_foam(const FoamSpec& spec, std::size_t nz, std::size_t ny, std::size_t nx, int supersample) {
  return rasterize(place_foam_voids(spec, nz == 1), nz, ny, nx, supersample);
}

}  // namespace xrecon::sim
