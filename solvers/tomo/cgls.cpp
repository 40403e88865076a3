// CGLS on [A; sqrt(rho) I] x = [b; sqrt(rho) v]. The lower block never needs storing: its
// residual is sqrt(rho) (v - x), so it enters only as rho (v - x) in s and rho ||p||^2 in ||q||^2.
#include "xrecon/tomo/cgls.hpp"

#include <array>
#include <cmath>
#include <string>

#include "validation.hpp"
#include "xrecon/linalg/array_ops.hpp"

namespace xrecon::tomo {
namespace {

// Partial sums on this rank, then the totals over all ranks.
template <std::size_t N>
std::array<double, N> summed(std::array<double, N> partial, const CglsOptions& options) {
  if (options.all_reduce) options.all_reduce(partial);
  return partial;
}

void check_input(const ArrayF& projections, const Geometry& geometry, const ArrayF& volume, const CglsOptions& options) {
  detail::check_geometry(geometry);
  XRECON_CHECK(volume.rank() == 3 && volume.extent(1) == geometry.n && volume.extent(2) == geometry.n,
               "the CGLS start volume must have shape (slices, " + std::to_string(geometry.n) + ", " +
                   std::to_string(geometry.n) + "), got " + volume.shape().to_string());
  XRECON_CHECK(projections.rank() == 3 && volume.extent(0) == projections.extent(1),
               "the CGLS start volume has " + std::to_string(volume.extent(0)) + " slices but the projections " +
                   projections.shape().to_string() + " have " +
                   (projections.rank() == 3 ? std::to_string(projections.extent(1)) : std::string("no")) + " rows");
  if (volume.extent(0) > 0) {
    detail::check_projections(projections, geometry);
    detail::check_volume(volume, geometry, "the CGLS start volume");
  } else {
    XRECON_CHECK(projections.shape() == (Shape{geometry.angles.size(), 0, geometry.cols}),
                 "projections for an empty slab must have shape (" + std::to_string(geometry.angles.size()) + ", 0, " +
                     std::to_string(geometry.cols) + "), got " + projections.shape().to_string());
  }
  XRECON_CHECK(projections.space() == volume.space(), "the CGLS projections are in " + projections.space().to_string() +
                                                          " but the volume is in " + volume.space().to_string());
  if (options.weights) {
    const ArrayF& w = *options.weights;
    XRECON_CHECK(w.shape() == projections.shape() && w.space() == projections.space(),
                 "the CGLS weights have shape " + w.shape().to_string() + " in " + w.space().to_string() +
                     ", expected the projections' " + projections.shape().to_string() + " in " +
                     projections.space().to_string());
    const ArrayF host = w.space().is_host() ? w : w.to(MemorySpace::host());
    for (float value : host.host_span())
      XRECON_CHECK(std::isfinite(value) && value >= 0.0f, "the CGLS weights must be finite and >= 0, found " +
                                                              std::to_string(value));
  }
  if (!options.proximal) return;
  const CglsProximal& prox = *options.proximal;
  XRECON_CHECK(std::isfinite(prox.rho) && prox.rho >= 0.0,
               "the CGLS proximal weight rho must be finite and >= 0, got " + std::to_string(prox.rho));
  XRECON_CHECK(prox.v.shape() == volume.shape(), "the CGLS proximal centre v has shape " + prox.v.shape().to_string() +
                                                     " but the volume has " + volume.shape().to_string());
  XRECON_CHECK(prox.v.space() == volume.space(), "the CGLS proximal centre v is in " + prox.v.space().to_string() +
                                                     " but the volume is in " + volume.space().to_string());
  if (volume.extent(0) > 0) detail::check_volume(prox.v, geometry, "the CGLS proximal centre v");
}

// The projector pair, also for a rank whose slab holds no slices.
ArrayF forward(const ArrayF& x, const Geometry& geometry, const Shape& data_shape) {
  return x.extent(0) == 0 ? ArrayF(data_shape, x.space()) : project(x, geometry);
}

ArrayF adjoint(const ArrayF& r, const Geometry& geometry, const Shape& volume_shape) {
  return r.extent(1) == 0 ? ArrayF(volume_shape, r.space()) : backproject(r, geometry);
}

// The square roots of the weights, which scale A's rows and b: W^(1/2) A is the operator CGLS sees.
std::optional<ArrayF> row_scales(const CglsOptions& options) {
  if (!options.weights) return std::nullopt;
  ArrayF scales = options.weights->space().is_host() ? options.weights->clone()
                                                     : options.weights->to(MemorySpace::host());
  for (float& value : scales.host_span()) value = std::sqrt(value);
  return options.weights->space().is_host() ? scales : scales.to(options.weights->space());
}

}  // namespace

CglsResult cgls(const ArrayF& projections, const Geometry& geometry, ArrayF& volume, const CglsOptions& options) {
  check_input(projections, geometry, volume, options);
  const double rho = options.proximal ? options.proximal->rho : 0.0;
  const Shape data_shape = projections.shape(), volume_shape = volume.shape();
  ArrayF& x = volume;
  const std::optional<ArrayF> scales = row_scales(options);
  // The weighted pair W^(1/2) A and A^T W^(1/2); the plain pair without weights.
  const auto scaled_forward = [&](const ArrayF& v) {
    ArrayF out = forward(v, geometry, data_shape);
    if (scales && out.size()) linalg::multiply(*scales, out);
    return out;
  };
  const auto scaled_adjoint = [&](const ArrayF& r) {
    if (!scales || r.size() == 0) return adjoint(r, geometry, volume_shape);
    ArrayF weighted = r.clone();
    linalg::multiply(*scales, weighted);
    return adjoint(weighted, geometry, volume_shape);
  };

  // s = A^T r + rho (v - x): the steepest-descent direction of the stacked least-squares cost.
  const auto normal_residual = [&](const ArrayF& r) {
    ArrayF s = scaled_adjoint(r);
    if (rho > 0.0) {
      linalg::axpy(float(rho), options.proximal->v, s);
      linalg::axpy(float(-rho), x, s);
    }
    return s;
  };

  ArrayF r = forward(x, geometry, data_shape);
  linalg::xpay(projections, -1.0f, r);  // r = b - A x
  if (scales && r.size()) linalg::multiply(*scales, r);  // r = W^(1/2) (b - A x)
  ArrayF s = normal_residual(r);
  ArrayF p = s.clone();
  auto [gamma, r_squared] = summed<2>({linalg::squared_norm(s), linalg::squared_norm(r)}, options);

  CglsResult result{.initial_residual_norm = std::sqrt(r_squared),
                    .residual_norm = std::sqrt(r_squared),
                    .normal_residual_norm = std::sqrt(gamma)};
  for (std::size_t iteration = 1; iteration <= options.iterations; ++iteration) {
    if (gamma == 0.0) break;  // x is the minimiser: the stacked system's normal equations hold exactly
    const ArrayF q = scaled_forward(p);
    const auto [q_squared, p_squared, p_dot_s] =
        summed<3>({linalg::squared_norm(q), linalg::squared_norm(p), linalg::dot(p, s)}, options);
    const double curvature = q_squared + rho * p_squared;  // ||[A; sqrt(rho) I] p||^2
    if (!(curvature > 0.0)) break;
    // The exact minimum of the cost along p. Textbook CGLS takes gamma / curvature, equal in exact
    // arithmetic since p.s = s.s; but once float rounding has worn the conjugacy away (at
    // convergence, sooner for larger rho) that step overshoots and the iterate diverges: measured
    // on 32^2 with rho = 50, the cost rose 400-fold between iterations 25 and 100.
    const double alpha = p_dot_s / curvature;
    linalg::axpy(float(alpha), p, x);
    linalg::axpy(float(-alpha), q, r);
    s = normal_residual(r);
    const auto [gamma_next, r_squared_next] = summed<2>({linalg::squared_norm(s), linalg::squared_norm(r)}, options);
    linalg::xpay(s, float(gamma_next / gamma), p);  // p = s + beta p
    gamma = gamma_next;

    result.iterations = iteration;
    result.residual_norm = std::sqrt(r_squared_next);
    result.normal_residual_norm = std::sqrt(gamma);
    if (options.on_iteration)
      options.on_iteration({iteration, options.iterations, result.residual_norm, result.normal_residual_norm});
  }
  return result;
}

}  // namespace xrecon::tomo
