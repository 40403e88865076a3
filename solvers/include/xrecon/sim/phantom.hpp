#pragma once
// Analytic phantoms made of ellipses (2-D) and ellipsoids (3-D): the modified Shepp-Logan head
// and its exact line integrals, the ground truth that projectors and reconstructions are tested on.
//
// Normalised coordinates: the image spans [-1, 1] on every axis. The centre of pixel (ix, iy) of
// an n x n slice sits at x = (ix - (n-1)/2) / (n/2), y = (iy - (n-1)/2) / (n/2), iy being the row
// index of the row-major [iy][ix] array (y grows down the rows); z of slice iz of nz is
// normalised the same way. This is the tomography geometry of xrecon/tomo/projector.hpp in the
// astra convention (axis at (n-1)/2), mirrored in y and divided by n/2, so a line integral here
// times n/2 is the projector's value in pixel units. In the tomopy convention the axis is at
// n/2, half a pixel from the phantom's centre when n is even.
//
// The published tables put +y at the top of the figure while rows here grow with y; the phantoms
// below are mirrored in y (y0 and phi negated) so that an image shown row 0 on top looks as
// published and as MATLAB's phantom() draws it: the three small ellipses near the bottom rows.
#include <cstddef>
#include <optional>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::sim {

// value is added inside the ellipse. Semi-axis a lies along x before rotation, b along y; phi
// (radians) turns the a-axis from +x towards +y, i.e. counter-clockwise with y drawn upwards.
struct Ellipse {
  double value, a, b, x0, y0, phi;
};

// The modified Shepp-Logan phantom, mirrored in y as said above. Toft's contrasts (1, -0.8, -0.2,
// -0.2, 0.1, ...) make the brain region 0.2 and the small features 0.3 or 0.4, where the original
// phantom's 1.02 and 1.03 are hard to see.
std::vector<Ellipse> shepp_logan_2d();

// (n, n) image of the sum of the ellipses; each pixel is the mean of supersample^2 regularly
// spaced sub-samples, so the edges carry partial-volume values.
ArrayF rasterize(const std::vector<Ellipse>& ellipses, std::size_t n, int supersample = 3);

// Exact line integral of the phantom along the projector's ray for angle theta at detector
// offset s: { (x, y) : x cos(theta) - y sin(theta) = s } in these coordinates (y down the rows),
// in normalised units (the closed form per ellipse, Kak & Slaney eq. 3.34 shifted and rotated).
double line_integral(const std::vector<Ellipse>& ellipses, double s, double theta);

// value is added inside the ellipsoid. Semi-axes a, b, c along x, y, z before rotation; phi
// (radians) rotates about the z axis the same way as Ellipse::phi, so the cross-section of an
// ellipsoid at any z is an Ellipse.
struct Ellipsoid {
  double value, a, b, c, x0, y0, z0, phi;
};

// The 3-D modified Shepp-Logan phantom, mirrored in y like the 2-D one (Toft's contrasts on the
// Kak & Slaney ellipsoids, as in Schabel's phantom3d). The ellipsoids centred at z = 0 cut the
// plane z = 0 in exactly the ellipses of shepp_logan_2d(); the two small ones at y = +-0.1 sit
// at z = 0.25 instead.
std::vector<Ellipsoid> shepp_logan_3d();

// (nz, ny, nx) volume of the sum of the ellipsoids, each voxel the mean of supersample^3 sub-samples.
// Slice iz lies at z = (iz - (nz-1)/2) / (nz/2) and its voxels are as thick as they are wide in x
// (2 / nx): a cube when nz == nx, and thin sections at spread heights when there are few slices.
ArrayF rasterize(const std::vector<Ellipsoid>& ellipsoids, std::size_t nz, std::size_t ny, std::size_t nx,
                 int supersample = 3);

// The ellipse in which the ellipsoid meets the plane at height z; none when it misses the plane.
std::optional<Ellipse> cross_section(const Ellipsoid& ellipsoid, double z);

}  // namespace xrecon::sim
