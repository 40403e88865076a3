#include <cmath>
#include <numbers>
#include <numeric>
#include <vector>

#include <gtest/gtest.h>

#include "xrecon/sim/foam.hpp"

namespace xrecon::sim {
namespace {

bool same(const std::vector<Void>& a, const std::vector<Void>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i].x0 != b[i].x0 || a[i].y0 != b[i].y0 || a[i].z0 != b[i].z0 || a[i].radius != b[i].radius) return false;
  return true;
}

void expect_separate_and_inside(const std::vector<Void>& voids, const FoamSpec& spec) {
  for (std::size_t i = 0; i < voids.size(); ++i) {
    const Void& v = voids[i];
    EXPECT_GE(v.radius, spec.min_radius);
    EXPECT_LE(v.radius, spec.max_radius);
    EXPECT_LE(std::hypot(v.x0, v.y0) + v.radius, 1.0);
    EXPECT_LE(std::abs(v.z0) + v.radius, 1.0);
    for (std::size_t j = 0; j < i; ++j) {
      const Void& w = voids[j];
      const double distance = std::sqrt((v.x0 - w.x0) * (v.x0 - w.x0) + (v.y0 - w.y0) * (v.y0 - w.y0) +
                                        (v.z0 - w.z0) * (v.z0 - w.z0));
      ASSERT_GE(distance, v.radius + w.radius) << "voids " << j << " and " << i << " overlap";
    }
  }
}

double sum(const ArrayF& a) {
  const auto values = a.host_span();
  return std::accumulate(values.begin(), values.end(), 0.0);
}

TEST(Foam, SameSeedSameFoamOtherSeedOtherFoam) {
  const FoamSpec spec{60, 0.03, 0.1, 7};
  EXPECT_TRUE(same(place_foam_voids(spec, false), place_foam_voids(spec, false)));
  FoamSpec other = spec;
  other.seed = 8;
  EXPECT_FALSE(same(place_foam_voids(spec, false), place_foam_voids(other, false)));

  const ArrayF a = random_foam(spec, 8, 48, 48), b = random_foam(spec, 8, 48, 48), c = random_foam(other, 8, 48, 48);
  EXPECT_TRUE(std::equal(a.data(), a.data() + a.size(), b.data()));
  EXPECT_FALSE(std::equal(a.data(), a.data() + a.size(), c.data()));
}

TEST(Foam, SparseSpecPlacesEveryVoidLargestFirst) {
  for (bool planar : {true, false}) {
    const FoamSpec spec{80, 0.02, 0.08, 3};
    const auto voids = place_foam_voids(spec, planar);
    EXPECT_EQ(voids.size(), spec.voids);
    expect_separate_and_inside(voids, spec);
    for (std::size_t i = 1; i < voids.size(); ++i) EXPECT_GE(voids[i - 1].radius, voids[i].radius);
    if (planar) {
      for (const Void& v : voids) EXPECT_EQ(v.z0, 0.0);
    }
  }
}

TEST(Foam, CrowdedSpecDropsVoidsThatFindNoRoom) {
  // 500 discs of radius >= 0.1 would cover five times the unit disc.
  const FoamSpec spec{500, 0.1, 0.2, 5};
  const auto voids = place_foam_voids(spec, true);
  EXPECT_LT(voids.size(), spec.voids);
  EXPECT_GT(voids.size(), 15u);
  expect_separate_and_inside(voids, spec);
  double covered = 0.0;
  for (const Void& v : voids) covered += v.radius * v.radius;  // fraction of the unit disc
  EXPECT_GT(covered, 0.3) << "random sequential packing of discs reaches about half the area";
  RecordProperty("placed", std::to_string(voids.size()));
  RecordProperty("area_fraction", std::to_string(covered));
}

TEST(Foam, PlanarSliceHasTheMaterialAreaOfDiscMinusVoids) {
  const std::size_t n = 512;
  const FoamSpec spec{100, 0.02, 0.1, 11};
  const auto voids = place_foam_voids(spec, true);
  double expected = std::numbers::pi;  // normalised area of the material disc
  for (const Void& v : voids) expected -= std::numbers::pi * v.radius * v.radius;
  const ArrayF slice = random_foam(spec, 1, n, n);
  const double pixel_area = (2.0 / n) * (2.0 / n);
  EXPECT_NEAR(sum(slice) * pixel_area, expected, 1e-3 * expected);
  for (float v : slice.host_span()) {
    ASSERT_GE(v, -1e-6f);
    ASSERT_LE(v, 1.0f + 1e-6f);
  }
}

TEST(Foam, VolumeHasTheMaterialVolumeOfCylinderMinusSpheres) {
  const std::size_t n = 64;
  const FoamSpec spec{40, 0.1, 0.25, 2};
  const auto voids = place_foam_voids(spec, false);
  double expected = 2.0 * std::numbers::pi;  // cylinder of radius 1, height 2
  for (const Void& v : voids) expected -= 4.0 / 3.0 * std::numbers::pi * std::pow(v.radius, 3);
  const ArrayF volume = random_foam(spec, n, n, n);
  const double voxel = std::pow(2.0 / n, 3);
  EXPECT_NEAR(sum(volume) * voxel, expected, 2e-3 * expected);
  const double void_fraction = 1.0 - expected / (2.0 * std::numbers::pi);
  EXPECT_GT(void_fraction, 0.05);
  RecordProperty("void_fraction", std::to_string(void_fraction));
}

TEST(Foam, RejectsInconsistentRadii) {
  EXPECT_THROW(place_foam_voids({10, 0.2, 0.1, 1}, true), Error);
  EXPECT_THROW(place_foam_voids({10, 0.0, 0.1, 1}, true), Error);
  EXPECT_THROW(place_foam_voids({10, 0.1, 1.0, 1}, true), Error);
}

}  // namespace
}  // namespace xrecon::sim
