// A user's plugin, as a method developer would write it against the SDK and the solvers: a
// TomoSolver that implements only solve() (Landweber iterations on the whole volume, host memory)
// and a Prior that clamps. tomo.admm must host both by name with no change to itself; its ranks
// reach this solver through the SDK's default slab form.
#include <algorithm>
#include <memory>

#include <xrecon/linalg/array_ops.hpp>
#include <xrecon/plugin.hpp>
#include <xrecon/roles.hpp>
#include <xrecon/tomo/projector.hpp>

namespace {

using namespace xrecon;

// Gradient steps on ||A x - b||^2 + rho ||x - v||^2 with step 1 / (L + rho), L = max(A^T A 1),
// which bounds A^T A's largest eigenvalue (its entries are not negative).
class Landweber final : public TomoSolver {
 public:
  explicit Landweber(int iterations) : iterations_(iterations) {}
  void solve(const Projections& b, Volume& x, int iterations, std::optional<Proximal> proximal, Context&) override {
    const tomo::Geometry geometry = tomo::geometry_of(b, x.data.extent(1));
    ArrayF ones(Shape{1, geometry.n, geometry.n});
    std::fill(ones.host_span().begin(), ones.host_span().end(), 1.0f);
    const ArrayF normal = tomo::backproject(tomo::project(ones, geometry), geometry);
    const double rho = proximal ? proximal->rho : 0.0;
    const float step = float(1.0 / (*std::max_element(normal.host_span().begin(), normal.host_span().end()) + rho));
    for (int k = 0; k < (iterations < 0 ? iterations_ : iterations); ++k) {
      ArrayF residual = tomo::project(x.data, geometry);
      linalg::xpay(b.data, -1.0f, residual);  // b - A x
      ArrayF direction = tomo::backproject(residual, geometry);
      if (proximal) {
        linalg::axpy(float(rho), proximal->v->data, direction);
        linalg::axpy(float(-rho), x.data, direction);
      }
      linalg::axpy(step, direction, x.data);
    }
  }

 private:
  int iterations_;
};

class ClampPrior final : public Prior {
 public:
  explicit ClampPrior(double high) : high_(float(high)) {}
  void apply(Volume& x, double, Context&) override { linalg::clamp(x.data, 0.0f, high_); }

 private:
  float high_;
};

ComponentSpec landweber_spec() {
  ComponentSpec s;
  s.name = "user.landweber";
  s.kind = ComponentKind::tomo_solver;
  s.summary = "Landweber iterations (a user's TomoSolver with solve() only)";
  s.params.integer("iterations", 10, "iterations per call when the host leaves the count to the solver", 0, 1000);
  s.create = [](const ParamValues& p) { return std::make_unique<Landweber>(int(p.integer("iterations"))); };
  return s;
}

ComponentSpec clamp_spec() {
  ComponentSpec s;
  s.name = "user.clamp";
  s.kind = ComponentKind::prior;
  s.summary = "Clamps to [0, high] (a user's Prior)";
  s.params.real("high", 1.0, "upper bound", 0.0);
  s.create = [](const ParamValues& p) { return std::make_unique<ClampPrior>(p.real("high")); };
  return s;
}

}  // namespace

XRECON_PLUGIN("user", "0.1.0", landweber_spec(), clamp_spec())
