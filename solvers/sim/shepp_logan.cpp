#include <numbers>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

constexpr double degrees = std::numbers::pi / 180.0;

// The tables below are the published ones, which put +y at the top of the figure. Rows grow with
// y here and images are shown row 0 on top, so mirroring y (and with it the sense of rotation)
// draws the phantom the way it is printed, small features at the bottom.
Ellipse as_drawn(Ellipse e) {
  e.y0 = -e.y0;
  e.phi = -e.phi;
  return e;
}

Ellipsoid as_drawn(Ellipsoid e) {
  e.y0 = -e.y0;
  e.phi = -e.phi;
  return e;
}

template <typename Shape>
std::vector<Shape> as_drawn(std::vector<Shape> table) {
  for (Shape& shape : table) shape = as_drawn(shape);
  return table;
}

}  // namespace

std::vector<Ellipse> shepp_logan_2d() {
  // value, a, b, x0, y0, phi: Shepp & Logan's geometry with Toft's contrasts.
  return as_drawn<Ellipse>({
      {1.0, 0.69, 0.92, 0.0, 0.0, 0.0},
      {-0.8, 0.6624, 0.874, 0.0, -0.0184, 0.0},
      {-0.2, 0.11, 0.31, 0.22, 0.0, -18 * degrees},
      {-0.2, 0.16, 0.41, -0.22, 0.0, 18 * degrees},
      {0.1, 0.21, 0.25, 0.0, 0.35, 0.0},
      {0.1, 0.046, 0.046, 0.0, 0.1, 0.0},
      {0.1, 0.046, 0.046, 0.0, -0.1, 0.0},
      {0.1, 0.046, 0.023, -0.08, -0.605, 0.0},
      {0.1, 0.023, 0.023, 0.0, -0.606, 0.0},
      {0.1, 0.023, 0.046, 0.06, -0.605, 0.0},
  });
}

std::vector<Ellipsoid> shepp_logan_3d() {
  // value, a, b, c, x0, y0, z0, phi. Schabel's phantom3d also lists a third Euler angle of 10
  // degrees for the two tilted ellipsoids; with no tilt out of the plane it only adds to phi, and
  // leaving it out keeps the z = 0 section equal to the 2-D phantom, which is what users compare.
  return as_drawn<Ellipsoid>({
      {1.0, 0.69, 0.92, 0.81, 0.0, 0.0, 0.0, 0.0},
      {-0.8, 0.6624, 0.874, 0.78, 0.0, -0.0184, 0.0, 0.0},
      {-0.2, 0.11, 0.31, 0.22, 0.22, 0.0, 0.0, -18 * degrees},
      {-0.2, 0.16, 0.41, 0.28, -0.22, 0.0, 0.0, 18 * degrees},
      {0.1, 0.21, 0.25, 0.41, 0.0, 0.35, -0.15, 0.0},
      {0.1, 0.046, 0.046, 0.05, 0.0, 0.1, 0.25, 0.0},
      {0.1, 0.046, 0.046, 0.05, 0.0, -0.1, 0.25, 0.0},
      {0.1, 0.046, 0.023, 0.05, -0.08, -0.605, 0.0, 0.0},
      {0.1, 0.023, 0.023, 0.02, 0.0, -0.606, 0.0, 0.0},
      {0.1, 0.023, 0.046, 0.02, 0.06, -0.605, 0.0, 0.0},
  });
}

}  // namespace xrecon::sim
