// tomo.cgls: CGLS from a zero start image; tomo.cgls_solver: the same solver in the TomoSolver
// role, for composite solvers (joint ADMM) that ask for it by name. Either way the slices are
// split into slabs across the devices and the slabs' scalars are summed through the context's
// communicator, so every device takes the same steps and the result is the one-device result.
#include <chrono>
#include <cstdio>
#include <functional>
#include <memory>
#include <optional>

#include <xrecon/roles.hpp>
#include <xrecon/slabs.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/cgls.hpp>
#include <xrecon/tomo/input_checks.hpp>
#include <xrecon/tomo/memory_need.hpp>

#include "stage_geometry.hpp"
#include "stages.hpp"

namespace xrecon::tomo_plugin {
namespace {

struct Pull {
  double rho;
  ArrayF v;  // host, the volume's shape (a copy of an Array shares its bytes)
};

// CGLS on every device's slab of `volume` (host memory, x0 on entry, the result on return).
// `observe` sees each iteration once (from rank 0); every rank stops when the run is cancelled.
tomo::CglsResult cgls_on_devices(const ArrayF& projections, const tomo::Geometry& geometry, ArrayF& volume,
                                 std::size_t iterations, std::optional<Pull> pull, Context& context,
                                 const std::function<void(const tomo::CglsIteration&)>& observe,
                                 const ArrayF* weights = nullptr) {
  tomo::check_projections(projections, geometry);
  // CGLS couples the slices of a slab through its step lengths: a slab must fit its device whole.
  chunks_for(context, projections.extent(1), tomo::cgls_memory(geometry, pull.has_value()), "tomo.cgls", true);
  Communicator& communicator = context.communicator();
  tomo::CglsResult result;
  for_each_slab(context, projections.extent(1), [&](int rank, Slab slab, const Device& device) {
    const MemorySpace space = device.memory_space();
    ArrayF x = volume_slices(volume, slab, space);
    tomo::CglsOptions options{.iterations = iterations};
    if (pull) options.proximal = tomo::CglsProximal{pull->rho, volume_slices(pull->v, slab, space)};
    if (weights) options.weights = projection_rows(*weights, slab, space);
    options.all_reduce = [&communicator, rank](std::span<double> values) { communicator.allreduce_sum(rank, values); };
    options.on_iteration = [&](const tomo::CglsIteration& it) {
      if (rank == 0 && observe) observe(it);
      context.cancellation().throw_if_cancelled();
    };
    // A rank with an empty slab still runs: it joins every all-reduce the others wait in.
    const tomo::CglsResult mine = tomo::cgls(projection_rows(projections, slab, space), geometry, x, options);
    put_slices(x, slab, volume);
    if (rank == 0) result = mine;
  });
  share_slabs(context, volume);
  return result;
}

class CglsStage final : public Stage {
 public:
  CglsStage(std::size_t iterations, std::optional<std::size_t> size) : iterations_(iterations), size_(size) {}

  void run(StageIO& io, Context& context) override {
    const auto projections = io.require<Projections>("projections");
    const tomo::Geometry geometry = geometry_of(*projections, size_);
    const auto start = std::chrono::steady_clock::now();

    ArrayF volume = ArrayF::zeros(Shape{projections->num_rows(), geometry.n, geometry.n});
    context.progress().start("tomo.cgls iterations", iterations_);
    const tomo::CglsResult result =
        cgls_on_devices(projections->data, geometry, volume, iterations_, std::nullopt, context,
                        [&](const tomo::CglsIteration&) { context.progress().advance(); });
    context.progress().finish();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char summary[320];
    std::snprintf(summary, sizeof summary,
                  "tomo.cgls: %zu iterations%s on %zu slices of %zux%zu from %zu angles x %zu columns; residual "
                  "%.4g -> %.4g, normal-equation residual %.4g; %.3f s on %s",
                  result.iterations, result.iterations < iterations_ ? " (the exact least-squares solution)" : "",
                  projections->num_rows(), geometry.n, geometry.n, geometry.angles.size(), geometry.cols,
                  result.initial_residual_norm, result.residual_norm, result.normal_residual_norm, seconds,
                  device_count(context).c_str());
    context.logger().info(summary);
    io.send("volume", volume_from(std::move(volume), *projections, "attenuation per pixel, CGLS"));
  }

 private:
  std::size_t iterations_;
  std::optional<std::size_t> size_;
};

class CglsSolver final : public TomoSolver {
 public:
  explicit CglsSolver(int configured_iterations) : configured_iterations_(configured_iterations) {}

  // x.data: (rows, n, n) in host memory, the start image; or empty to start from zeros with n the
  // detector width. v likewise (rows, n, n) in host memory.
  void solve(const Projections& b, Volume& x, int iterations, std::optional<Proximal> proximal,
             Context& context) override {
    XRECON_CHECK(b.data.rank() == 3, "projections must have shape (angles, rows, cols), got " + b.data.shape().to_string());
    if (x.data.empty()) x.data = ArrayF::zeros(Shape{b.num_rows(), b.num_cols(), b.num_cols()});
    XRECON_CHECK(x.data.rank() == 3 && x.data.extent(0) == b.num_rows() && x.data.extent(1) == x.data.extent(2),
                 "tomo.cgls_solver: the volume must have shape (" + std::to_string(b.num_rows()) +
                     ", n, n), one slice per detector row, got " + x.data.shape().to_string());
    std::optional<Pull> pull;
    if (proximal) {
      XRECON_CHECK(proximal->v != nullptr && proximal->v->data.shape() == x.data.shape(),
                   "tomo.cgls_solver: the proximal centre v must have the volume's shape " + x.data.shape().to_string());
      pull = Pull{proximal->rho, proximal->v->data};
    }
    cgls_on_devices(b.data, geometry_of(b, x.data.extent(1)), x.data, count(iterations), pull, context, {},
                    b.weights.empty() ? nullptr : &b.weights);
  }

  bool takes_weights() const override { return true; }

  // One rank's slab, in its device's memory; the scalars are summed over the ranks, so the steps
  // are those of one CGLS over the whole volume.
  std::optional<double> solve_slab(int rank, const Projections& b, Volume& x, int iterations,
                                   std::optional<Proximal> proximal, Context& context) override {
    XRECON_CHECK(x.data.rank() == 3 && x.data.extent(1) == x.data.extent(2),
                 "tomo.cgls_solver: the slab must have shape (slices, n, n), got " + x.data.shape().to_string());
    Communicator& communicator = context.communicator();
    tomo::CglsOptions options{.iterations = count(iterations)};
    if (proximal) {
      XRECON_CHECK(proximal->v != nullptr, "tomo.cgls_solver: the proximal term has no centre");
      options.proximal = tomo::CglsProximal{proximal->rho, proximal->v->data};
    }
    if (!b.weights.empty()) options.weights = b.weights;
    options.all_reduce = [&communicator, rank](std::span<double> values) { communicator.allreduce_sum(rank, values); };
    options.on_iteration = [&](const tomo::CglsIteration&) { context.cancellation().throw_if_cancelled(); };
    return tomo::cgls(b.data, geometry_of(b, x.data.extent(1)), x.data, options).residual_norm;
  }

 private:
  // A negative count asks for the solver's own (the `iterations` of its parameters).
  std::size_t count(int iterations) const { return std::size_t(iterations < 0 ? configured_iterations_ : iterations); }
  int configured_iterations_;
};

}  // namespace

ComponentSpec cgls_spec() {
  ComponentSpec spec;
  spec.name = "tomo.cgls";
  spec.summary = "CGLS (least squares by conjugate gradients) on parallel-beam projections, from a zero start image";
  spec.params.integer("iterations", 20,
                      "number of CGLS iterations; with noisy or inexact data the error falls, then rises again as "
                      "CGLS starts fitting the noise, so the count is the regulariser",
                      1, 100000);
  add_size_param(spec.params);
  spec.inputs = {{"projections", PayloadKind::projections, "line integrals (angles, rows, cols)"}};
  spec.outputs = {{"volume", PayloadKind::volume, "one reconstructed slice per detector row (rows, size, size)"}};
  // A slab that does not fit whole is refused by the engine before the stage starts.
  spec.memory_need =
      slice_memory_of_projections([](const tomo::Geometry& g) { return tomo::cgls_memory(g, false); }, true);
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    return std::make_unique<CglsStage>(static_cast<std::size_t>(values.integer("iterations")), size_param(values));
  };
  return spec;
}

ComponentSpec cgls_solver_spec() {
  ComponentSpec spec;
  spec.name = "tomo.cgls_solver";
  spec.kind = ComponentKind::tomo_solver;
  spec.summary = "CGLS as a TomoSolver: solves A x = b from x0, optionally with rho * ||x - v||^2, for the iterations "
                 "its host asks (or its own `iterations`)";
  spec.params.integer("iterations", 4,
                      "CGLS iterations per call when the host leaves the count to the solver (tomo.admm's x-step: a "
                      "few, warm-started from the last x)",
                      0, 100000);
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    return std::make_unique<CglsSolver>(int(values.integer("iterations")));
  };
  return spec;
}

}  // namespace xrecon::tomo_plugin
