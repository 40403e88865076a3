#include <algorithm>
#include <cmath>
#include <vector>

#include <gtest/gtest.h>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

// Value of the pixel whose centre is nearest to (x, y) in an n x n slice starting at `slice`.
float value_at(const float* slice, std::size_t n, double x, double y) {
  const auto index = [n](double c) { return std::size_t(std::lround(c * (n / 2.0) + (n - 1) / 2.0)); };
  return slice[index(y) * n + index(x)];
}

struct KnownPoint {
  double x, y;
  float value;
  const char* region;
};

// From the published table (Toft's contrasts), at points well inside one region each. The table's
// y is negated: the phantom is mirrored so that row 0 is the top of the published figure.
const std::vector<KnownPoint> kSlice2d = {
    {0.0, 0.0, 0.2f, "brain"},
    {0.0, -0.9, 1.0f, "skull at the top"},
    {0.0, 0.85, 0.2f, "brain near the bottom (the inner ellipse is shifted down by 0.0184)"},
    {0.95, 0.0, 0.0f, "outside"},
    {0.22, 0.0, 0.0f, "right ventricle (1 - 0.8 - 0.2)"},
    {-0.22, 0.0, 0.0f, "left ventricle"},
    {0.0, -0.35, 0.3f, "large ellipse above the centre"},
    {0.0, -0.12, 0.4f, "small disc inside the large ellipse"},
    {0.0, 0.1, 0.3f, "small disc below the centre"},
    {0.0, 0.606, 0.3f, "middle of the three small ellipses at the bottom"},
    {-0.08, 0.605, 0.3f, "left one of the three"},
};

TEST(SheppLogan2d, ValuesAtKnownPoints) {
  const std::size_t n = 512;
  const ArrayF image = rasterize(shepp_logan_2d(), n);
  for (const KnownPoint& p : kSlice2d)
    EXPECT_NEAR(value_at(image.data(), n, p.x, p.y), p.value, 1e-6) << p.region;
}

TEST(SheppLogan2d, ValuesStayInTheTableRange) {
  const ArrayF image = rasterize(shepp_logan_2d(), 256);
  for (float v : image.host_span()) {
    EXPECT_GE(v, -1e-6f);
    EXPECT_LE(v, 1.0f + 1e-6f);
  }
}

TEST(SheppLogan3d, CentralSliceIsTheSectionAtZeroExactly) {
  // With one sample per voxel the middle slice of an odd stack lies at z = 0.
  const std::size_t nz = 33, n = 128;
  const auto phantom = shepp_logan_3d();
  const ArrayF volume = rasterize(phantom, nz, n, n, 1);
  std::vector<Ellipse> sections;
  for (const Ellipsoid& e : phantom)
    if (auto section = cross_section(e, 0.0)) sections.push_back(*section);
  EXPECT_EQ(sections.size(), 8u) << "the two small ellipsoids at z = 0.25 miss the central plane";
  const ArrayF slice = rasterize(sections, n, 1);
  const float* central = volume.data() + (nz / 2) * n * n;
  for (std::size_t i = 0; i < n * n; ++i) ASSERT_EQ(central[i], slice[i]) << "pixel " << i;
}

TEST(SheppLogan3d, CentredEllipsoidsCutTheCentralPlaneInThe2dEllipses) {
  const auto flat = shepp_logan_2d();
  const auto solid = shepp_logan_3d();
  ASSERT_EQ(flat.size(), solid.size());
  for (std::size_t i = 0; i < solid.size(); ++i) {
    if (solid[i].z0 != 0.0) continue;
    const auto section = cross_section(solid[i], 0.0);
    ASSERT_TRUE(section.has_value());
    EXPECT_EQ(section->value, flat[i].value);
    EXPECT_EQ(section->a, flat[i].a);
    EXPECT_EQ(section->b, flat[i].b);
    EXPECT_EQ(section->x0, flat[i].x0);
    EXPECT_EQ(section->y0, flat[i].y0);
    EXPECT_EQ(section->phi, flat[i].phi);
  }
}

TEST(SheppLogan3d, FewSlicesAreThinSectionsOfTheCube) {
  // Voxels are as thick as they are wide: slice 2 of 4 (z = 0.25) is slice 42 of a 68-cube.
  const std::size_t n = 68;
  const auto phantom = shepp_logan_3d();
  const ArrayF few = rasterize(phantom, 4, n, n);
  const ArrayF cube = rasterize(phantom, n, n, n);
  EXPECT_TRUE(std::equal(few.data() + 2 * n * n, few.data() + 3 * n * n, cube.data() + 42 * n * n));
}

TEST(SheppLogan3d, SlicesAtZeroAndAtAQuarter) {
  const std::size_t n = 256;
  const auto phantom = shepp_logan_3d();
  {
    const std::size_t nz = 33;  // slice 16 at z = 0
    const ArrayF volume = rasterize(phantom, nz, n, n);
    const float* slice = volume.data() + 16 * n * n;
    EXPECT_NEAR(value_at(slice, n, 0.0, 0.0), 0.2f, 1e-6);
    EXPECT_NEAR(value_at(slice, n, 0.0, -0.35), 0.3f, 1e-6);
    EXPECT_NEAR(value_at(slice, n, 0.0, -0.2), 0.3f, 1e-6);
    EXPECT_NEAR(value_at(slice, n, 0.0, 0.1), 0.2f, 1e-6) << "no small disc at z = 0";
    EXPECT_NEAR(value_at(slice, n, 0.22, 0.0), 0.0f, 1e-6);
    EXPECT_NEAR(value_at(slice, n, 0.0, -0.9), 1.0f, 1e-6);
  }
  {
    const std::size_t nz = 36;  // slice 22 at z = (22 - 17.5) / 18 = 0.25
    const ArrayF volume = rasterize(phantom, nz, n, n);
    const float* slice = volume.data() + 22 * n * n;
    EXPECT_NEAR(value_at(slice, n, 0.0, 0.1), 0.3f, 1e-6) << "small disc at y = 0.1";
    EXPECT_NEAR(value_at(slice, n, 0.0, -0.1), 0.3f, 1e-6) << "small disc at y = -0.1";
    EXPECT_NEAR(value_at(slice, n, 0.0, -0.2), 0.2f, 1e-6) << "the large ellipsoid has narrowed to y < -0.29";
    EXPECT_NEAR(value_at(slice, n, 0.0, 0.605), 0.2f, 1e-6) << "small ellipsoids end at |z| = 0.05";
  }
}

}  // namespace
}  // namespace xrecon::sim
