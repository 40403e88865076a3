// tomo.admm: tomography by ADMM, hosting a TomoSolver (the x-step) and a Prior (the z-step) chosen
// by name in the pipeline file. The iterations are admm_loop.cpp; this file is the stage: its
// parameters, the checks before the first iteration, the roles, the report and the output.
#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include <xrecon/roles.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/input_checks.hpp>
#include <xrecon/tomo/memory_need.hpp>

#include "admm_loop.hpp"
#include "slab_roles.hpp"
#include "stage_geometry.hpp"
#include "stages.hpp"

namespace xrecon::tomo_plugin {
namespace {

struct AdmmStageSettings {
  AdmmSettings loop;
  ComponentChoice tomo;
  std::optional<ComponentChoice> prior;
  std::optional<std::size_t> size;
  std::optional<std::filesystem::path> report;
};

void check_truth(const Volume& truth, const Shape& volume) {
  XRECON_CHECK(truth.data.shape() == volume, "tomo.admm: the truth " + truth.data.shape().to_string() +
                                                 " must have the reconstruction's shape " + volume.to_string() +
                                                 " (one slice per detector row, size x size)");
  const ArrayF host = truth.data.to(MemorySpace::host());
  for (float v : host.host_span())
    XRECON_CHECK(std::isfinite(v), "tomo.admm: the truth volume holds NaN or Inf values");
}

class AdmmStage final : public Stage {
 public:
  explicit AdmmStage(AdmmStageSettings settings) : settings_(std::move(settings)) {}

  void run(StageIO& io, Context& context) override {
    const auto projections = io.require<Projections>("projections");
    const tomo::Geometry geometry = geometry_of(*projections, settings_.size);
    tomo::check_projections(projections->data, geometry);  // shapes, NaN and Inf, angles
    const Shape shape{projections->num_rows(), geometry.n, geometry.n};
    std::shared_ptr<const Volume> truth;
    if (io.connected("truth")) {
      truth = io.require<Volume>("truth");
      check_truth(*truth, shape);
    }
    // CGLS's arrays and the loop's own (z, u, v, the prior's input and output): a slab must fit.
    tomo::MemoryNeed need = tomo::cgls_memory(geometry, true);
    need.per_slice += 5 * geometry.n * geometry.n * sizeof(float);
    plan_chunks(context, shape[0], need, "tomo.admm", true);

    AdmmRoles roles = make_roles(context, shape);
    const ArrayF truth_host = truth ? truth->data.to(MemorySpace::host()) : ArrayF();
    // Under mpi every process runs this stage; the one driving rank 0 reports (the others would
    // truncate its file).
    const bool reporting = context.communicator().drives_rank(0);
    admm::Report report(reporting ? settings_.report : std::nullopt, "tomo.admm");
    const auto start = std::chrono::steady_clock::now();
    context.progress().start("tomo.admm iterations", settings_.loop.iterations);
    const AdmmOutcome outcome = run_admm(*projections, geometry, truth ? &truth_host : nullptr, settings_.loop, roles,
                                         report, context);
    context.progress().finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (reporting && settings_.report && !report.records().empty()) {
      std::vector<admm::PlotSeries> series{{"primal_residual"}, {"dual_residual"}, {"rho"}, {"data_term"}};
      if (truth) series.push_back({"ssim", false});
      admm::write_convergence_plot(report.records(), series, "tomo.admm: " + settings_.tomo.plugin + " + " +
                                   (settings_.prior ? settings_.prior->plugin : std::string("no prior")),
                                   admm::convergence_plot_path(*settings_.report), context.cancellation());
    }
    char summary[400];
    std::snprintf(summary, sizeof summary,
                  "tomo.admm: %zu iterations%s%s of %s + %s on %zu slices of %zux%zu from %zu angles; %.2f s on %s",
                  outcome.iterations, outcome.converged ? " (both residuals below tolerance)" : "",
                  outcome.resumed ? " (resumed)" : "", settings_.tomo.plugin.c_str(),
                  settings_.prior ? settings_.prior->plugin.c_str() : "no prior", shape[0], geometry.n, geometry.n,
                  geometry.angles.size(), seconds, device_count(context).c_str());
    context.logger().info(summary);
    io.send("volume", volume_from(outcome.volume, *projections, "attenuation per pixel, ADMM (" + settings_.tomo.plugin +
                                                                   (settings_.prior ? " + " + settings_.prior->plugin : "") + ")"));
  }

 private:
  // One instance of each role per rank (ranks run at once); priors load their models and check
  // the slab shapes they will see before any iteration.
  AdmmRoles make_roles(Context& context, const Shape& shape) const {
    AdmmRoles roles;
    for (std::size_t rank = 0; rank < context.devices().size(); ++rank)
      roles.tomo.push_back(context.make<TomoSolver>(settings_.tomo));
    if (settings_.prior) roles.prior = make_slab_priors(context, *settings_.prior, shape);
    return roles;
  }

  AdmmStageSettings settings_;
};

std::optional<float> optional_bound(const ParamValues& values, const std::string& name) {
  if (!values.has(name)) return std::nullopt;
  return float(values.real(name));
}

}  // namespace

ComponentSpec admm_spec() {
  ComponentSpec spec;
  spec.name = "tomo.admm";
  spec.summary = "ADMM with a plug-and-play prior: min 1/2 ||A x - b||^2 + R(z) s.t. x = z; the x-step by a TomoSolver, "
                 "the z-step by a Prior, both chosen by name; residual balancing of rho";
  spec.params.integer("iterations", 30, "ADMM iterations at most (fewer when both residuals meet their tolerances)", 1,
                      100000);
  spec.params.component("tomo", ComponentKind::tomo_solver, "tomo.cgls_solver",
                        "the x-step: min ||A x - b||^2 + rho ||x - (z - u)||^2, warm-started from the last x; the "
                        "solver's own `iterations` sets the inner iterations");
  spec.params.component("prior", ComponentKind::prior, std::nullopt,
                        "the z-step: z = prior(x + u) at strength rho0 / rho (the prior's own strength or lambda is "
                        "its weight at the initial penalty); none: only the bounds");
  spec.params.real("rho", 1.0,
                   "initial penalty, relative to max(A^T A 1) (about angles x slice width), so one value suits any "
                   "scan size");
  spec.params.positive();
  spec.params.boolean("balancing", true, "residual balancing: adapt rho so that neither residual outgrows the other");
  spec.params.real("balance_factor", 2.0, "rho is multiplied or divided by this when the residuals are out of balance",
                   1.0);
  spec.params.exclusive_min();
  spec.params.real("balance_threshold", 10.0,
                   "residuals are out of balance when one exceeds this multiple of the other", 1.0);
  spec.params.exclusive_min();
  spec.params.real("rho_growth", 1.0,
                   "continuation: rho is multiplied by this after every iteration (1: off); makes plug-and-play "
                   "ADMM with a network prior settle, as the prior's strength fades with 1 / rho",
                   1.0, 100.0);
  spec.params.real("primal_tolerance", 1e-4, "stop when ||x - z|| <= this x max(||x||, ||z||) and ...", 0.0);
  spec.params.real("dual_tolerance", 1e-4, "... rho ||z - z_prev|| <= this x rho ||u|| (both relative)", 0.0);
  spec.params.choice("start", "zero", {"zero", "fbp"},
                     "x0 = z0: zeros, or the filtered backprojection (ram-lak; what a denoiser trained on FBP "
                     "images expects to see first)");
  spec.params.real("min", std::nullopt, "lower bound imposed on z (e.g. 0: no negative attenuation)");
  spec.params.real("max", std::nullopt, "upper bound imposed on z");
  add_size_param(spec.params);
  spec.params.string("report", std::nullopt,
                          "JSON lines, one per iteration (residuals, rho, data term, seconds per step, RMSE/SSIM "
                          "with a truth); the convergence plot is written next to it as NAME_convergence.png");
  spec.params.integer("checkpoint_every", 5, "iterations between checkpoints (with xrecon run --checkpoint DIR)", 1,
                      100000);
  spec.inputs = {{"projections", PayloadKind::projections, "line integrals (angles, rows, cols)"},
                 {"truth", PayloadKind::volume, "the known volume, for RMSE and SSIM per iteration", true}};
  spec.outputs = {{"volume", PayloadKind::volume, "z, one slice per detector row (rows, size, size)"}};
  spec.check = [](const ParamValues& values) {
    if (values.has("min") && values.has("max") && values.real("min") >= values.real("max"))
      throw ParamError("max", "max must be greater than min");
  };
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    AdmmStageSettings s;
    s.loop.iterations = std::size_t(values.integer("iterations"));
    s.loop.rho = values.real("rho");
    s.loop.balancing = {.factor = values.real("balance_factor"),
                        .threshold = values.real("balance_threshold"),
                        .enabled = values.boolean("balancing"),
                        .growth = values.real("rho_growth")};
    s.loop.primal_tolerance = values.real("primal_tolerance");
    s.loop.dual_tolerance = values.real("dual_tolerance");
    s.loop.min = optional_bound(values, "min");
    s.loop.max = optional_bound(values, "max");
    s.loop.checkpoint_every = std::size_t(values.integer("checkpoint_every"));
    s.loop.start_from_fbp = values.string("start") == "fbp";
    s.tomo = values.component("tomo");
    if (values.has("prior")) s.prior = values.component("prior");
    s.size = size_param(values);
    if (values.has("report")) s.report = values.string("report");
    return std::make_unique<AdmmStage>(std::move(s));
  };
  return spec;
}

}  // namespace xrecon::tomo_plugin
