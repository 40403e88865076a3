#include <numbers>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {
namespace {

constexpr double degrees = std::numbers::pi / 180.0;

}  // namespace

std::vector<Ellipse> shepp_logan_2d() {
  // value, a, b, x0, y0, phi: Shepp & Logan's geometry with Toft's contrasts.
  return {
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
  };
}

std::vector<Ellipsoid> shepp_logan_3d() {
  // value, a, b, c, x0, y0, z0, phi. Schabel's phantom3d also lists a third Euler angle of 10
  // degrees for the two tilted ellipsoids; with no tilt out of the plane it only adds to phi, and
  // leaving it out keeps the z = 0 section equal to the 2-D phantom, which is what users compare.
  return {
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
  };
}

}  // namespace xrecon::sim
