#include <cmath>

#include "xrecon/sim/phantom.hpp"

namespace xrecon::sim {

double line_integral(const std::vector<Ellipse>& ellipses, double s, double theta_projector) {
  // The projector's y points up, the phantom's y down the rows: its ray x cos + y_up sin = s is
  // x cos(theta) + y sin(theta) = s here with theta = -theta_projector.
  const double theta = -theta_projector;
  const double cos_theta = std::cos(theta);
  const double sin_theta = std::sin(theta);
  double sum = 0.0;
  for (const Ellipse& e : ellipses) {
    // In the ellipse's own frame the ray is at angle theta - phi and distance s' from its centre;
    // the chord of an axis-aligned ellipse at that distance is 2ab sqrt(w^2 - s'^2) / w^2, where
    // w is the half-width of the ellipse's shadow along the detector.
    const double gamma = theta - e.phi;
    const double w2 = e.a * e.a * std::cos(gamma) * std::cos(gamma) + e.b * e.b * std::sin(gamma) * std::sin(gamma);
    const double offset = s - (e.x0 * cos_theta + e.y0 * sin_theta);
    const double remaining = w2 - offset * offset;
    if (remaining > 0.0) sum += 2.0 * e.value * e.a * e.b * std::sqrt(remaining) / w2;
  }
  return sum;
}

}  // namespace xrecon::sim
