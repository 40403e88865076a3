// A solver stage written against the installed package alone: Landweber iteration
//   x <- x + omega A^T (b - A x),   x0 = 0,
// on the projector pair the shipped solvers use (xrecon::solvers, <xrecon/tomo/projector.hpp>).
// For 0 < omega < 2 / ||A||^2 it converges to the least-squares solution nearest x0, the one CGLS
// finds; omega = relaxation / ||A||^2, with ||A||^2 estimated by power iteration on A^T A.
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <string>
#include <utility>

#include <xrecon/linalg/array_ops.hpp>
#include <xrecon/plugin.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/projector.hpp>

namespace {

using namespace xrecon;

// ||A||^2, the largest eigenvalue of A^T A, approached from below by ||A^T A v|| for unit v. Every
// slice has the same A, so one slice suffices; a constant start is not orthogonal to the top
// eigenvector, as A^T A has no negative entries.
double operator_norm_squared(const tomo::Geometry& geometry, MemorySpace space, std::int64_t iterations) {
  ArrayF v(Shape{1, geometry.n, geometry.n}, space);
  linalg::fill(v, float(1.0 / double(geometry.n)));
  double norm = 0;
  for (std::int64_t k = 0; k < iterations; ++k) {
    ArrayF w = tomo::backproject(tomo::project(v, geometry), geometry);
    norm = std::sqrt(linalg::squared_norm(w));
    XRECON_CHECK(norm > 0, "landweber.solve: the projector sees no pixel of the slice");
    linalg::fill(v, 0.0f);
    linalg::axpy(float(1.0 / norm), w, v);
  }
  return norm;
}

class LandweberStage final : public Stage {
 public:
  explicit LandweberStage(ParamValues params) : params_(std::move(params)) {}

  void run(StageIO& io, Context& context) override {
    const auto in = io.require<Projections>("projections");
    XRECON_CHECK(in->data.rank() == 3 && in->normalized(), "landweber.solve: needs line integrals");
    const tomo::Geometry geometry = tomo::geometry_of(*in, in->num_cols());
    // The operators run where their arrays live: host memory, or the GPU of a cuda device.
    const MemorySpace space = context.devices().front().memory_space();
    const ArrayF b = in->data.to(space);
    const double norm2 = operator_norm_squared(geometry, space, params_.integer("power_iterations"));
    const float omega = float(params_.real("relaxation") / norm2);
    const std::int64_t iterations = params_.integer("iterations");
    ArrayF x(Shape{in->num_rows(), geometry.n, geometry.n}, space);
    linalg::fill(x, 0.0f);
    ArrayF r = b.clone();  // b - A x0
    context.progress().start("landweber.solve iterations", std::size_t(iterations));
    for (std::int64_t k = 0; k < iterations; ++k) {
      context.cancellation().throw_if_cancelled();
      linalg::axpy(omega, tomo::backproject(r, geometry), x);
      if (params_.boolean("nonnegative")) linalg::clamp(x, 0.0f, std::numeric_limits<float>::max());
      r = tomo::project(x, geometry);
      linalg::xpay(b, -1.0f, r);
      context.progress().advance();
    }
    context.progress().finish();
    const auto norm = [](const ArrayF& a) { return std::to_string(std::sqrt(linalg::squared_norm(a))); };
    context.logger().info("landweber.solve: " + std::to_string(iterations) + " iterations, ||A||^2 ~ " +
                          std::to_string(norm2) + ", omega " + std::to_string(omega) + ", residual " + norm(b) +
                          " -> " + norm(r));
    auto out = std::make_shared<Volume>();
    out->data = x.to(MemorySpace::host());
    out->voxel_size = in->pixel_size;
    out->description = "attenuation per pixel, Landweber";
    io.send("volume", out);
  }

 private:
  ParamValues params_;
};

ComponentSpec landweber_spec() {
  ComponentSpec spec;
  spec.name = "landweber.solve";
  spec.summary = "Landweber iteration x <- x + omega A^T (b - A x) from x = 0 (an out-of-tree example)";
  spec.params.integer("iterations", 100, "number of iterations", 1, 1000000)
      .real("relaxation", 1.9, "omega = relaxation / ||A||^2; converges below 2", 1e-3, 1.99)
      .integer("power_iterations", 30, "power iterations that estimate ||A||^2", 1, 10000)
      .boolean("nonnegative", false, "clamp x to >= 0 after every step (then no longer least squares)");
  spec.inputs = {{"projections", PayloadKind::projections, "line integrals (angles, rows, cols)"}};
  spec.outputs = {{"volume", PayloadKind::volume, "one slice per detector row (rows, cols, cols)"}};
  spec.create = [](const ParamValues& p) { return std::make_unique<LandweberStage>(p); };
  return spec;
}

}  // namespace

XRECON_PLUGIN("landweber", "1.0.0", landweber_spec())
