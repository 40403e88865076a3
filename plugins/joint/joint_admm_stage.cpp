// joint.admm: joint ptycho-tomography by ADMM, hosting a PtychoSolver (the psi-step), a
// TomoSolver (the u-step) and a Prior (the z-step on delta) chosen by name in the pipeline file.
// The iterations are joint_loop.cpp; this file is the stage: its parameters, the checks of the
// scans before the first iteration, the roles, the report and the outputs.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <optional>
#include <set>
#include <string>

#include <xrecon/roles.hpp>
#include <xrecon/stage.hpp>

#include "joint_loop.hpp"
#include "slab_roles.hpp"
#include "stages.hpp"

namespace xrecon::joint_plugin {
namespace {

struct StageSettings {
  JointSettings loop;
  ComponentChoice ptycho, tomo;
  std::optional<ComponentChoice> prior;
  std::optional<std::filesystem::path> report;
};

std::string angle_text(const PtychoScan& scan) {
  char text[64];
  std::snprintf(text, sizeof text, "%.4g deg (message %zu)", scan.angle * 180 / std::numbers::pi, scan.sequence);
  return text;
}

// Every scan on the same projection grid, detector, probe and geometry, angles distinct: the
// u-step treats them as the projections of one volume.
void check_scans(const std::vector<std::shared_ptr<const PtychoScan>>& scans) {
  XRECON_CHECK(!scans.empty(), "joint.admm: input 'scans' received no scan");
  XRECON_CHECK(scans.size() >= 2, "joint.admm: one scan is no tomography; got 1 angle");
  const PtychoScan& first = *scans.front();
  XRECON_CHECK(first.object_rows >= 2 && first.object_cols >= 2,
               "joint.admm: the scans must state their object grid (object_rows x object_cols: the projection grid of "
               "the volume, rows = slices), got " + std::to_string(first.object_rows) + " x " +
                   std::to_string(first.object_cols));
  std::set<double> angles;
  for (const auto& scan : scans) {
    const std::string which = "joint.admm: the scan at " + angle_text(*scan);
    XRECON_CHECK(std::isfinite(scan->angle), which + " has no finite angle");
    XRECON_CHECK(angles.insert(scan->angle).second, which + " repeats an angle");
    XRECON_CHECK(scan->object_rows == first.object_rows && scan->object_cols == first.object_cols,
                 which + " has an object grid of " + std::to_string(scan->object_rows) + " x " +
                     std::to_string(scan->object_cols) + ", the first scan's is " + std::to_string(first.object_rows) +
                     " x " + std::to_string(first.object_cols));
    XRECON_CHECK(scan->patterns.rank() == 3 && scan->patterns.extent(1) == first.patterns.extent(1) &&
                     scan->patterns.extent(2) == first.patterns.extent(2),
                 which + " has patterns " + scan->patterns.shape().to_string() + ", detector shape differs from " +
                     first.patterns.shape().to_string());
    XRECON_CHECK(scan->probe.shape() == first.probe.shape(), which + " has a probe of another shape");
    XRECON_CHECK(scan->distance > 0 && scan->detector_pixel > 0 && std::isfinite(scan->distance) &&
                     std::isfinite(scan->detector_pixel),
                 which + " lacks its geometry (detector distance and pixel size > 0)");
    XRECON_CHECK(std::abs(scan->distance / scan->detector_pixel - first.distance / first.detector_pixel) <=
                     1e-9 * first.distance / first.detector_pixel,
                 which + " has another object pixel size (detector distance / pixel) than the first");
    for (float v : scan->patterns.host_span())
      XRECON_CHECK(std::isfinite(v) && v >= 0, which + " has a negative or non-finite intensity");
  }
}

std::shared_ptr<Volume> volume_of(ArrayF data, double voxel, std::string description) {
  auto v = std::make_shared<Volume>();
  v->data = std::move(data);
  v->voxel_size = voxel;
  v->description = std::move(description);
  return v;
}

class JointAdmmStage final : public Stage {
 public:
  explicit JointAdmmStage(StageSettings settings) : settings_(std::move(settings)) {}

  void run(StageIO& io, Context& context) override {
    JointInput input;
    while (auto scan = io.receive_as<PtychoScan>("scans")) input.scans.push_back(scan);
    check_scans(input.scans);
    const PtychoScan& first = *input.scans.front();
    input.rows = first.object_rows;
    input.cols = first.object_cols;
    // nu * voxel = (2 pi / lambda) (lambda z / (W p)) = 2 pi z / (W p): no energy needed.
    input.phase_per_unit = 2 * std::numbers::pi * first.distance / (double(first.patterns.extent(2)) * first.detector_pixel);
    const double voxel = first.energy > 0 ? 6.62607015e-34 * 299792458.0 / first.energy * first.distance /
                                                (double(first.patterns.extent(2)) * first.detector_pixel)
                                          : 1.0;
    const Shape volume_shape{input.rows, input.cols, input.cols};
    std::shared_ptr<const Volume> truth_delta, truth_beta;
    for (const char* port : {"truth_delta", "truth_beta"}) {
      if (!io.connected(port)) continue;
      auto truth = io.require<Volume>(port);
      XRECON_CHECK(truth->data.shape() == volume_shape, std::string("joint.admm: the truth '") + port + "' is " +
                                                            truth->data.shape().to_string() + ", the scans' volume " +
                                                            volume_shape.to_string());
      (std::string(port) == "truth_delta" ? truth_delta : truth_beta) = truth;
    }
    const ArrayF truth_delta_host = truth_delta ? truth_delta->data.to(MemorySpace::host()) : ArrayF();
    const ArrayF truth_beta_host = truth_beta ? truth_beta->data.to(MemorySpace::host()) : ArrayF();
    if (truth_delta) input.truth_delta = &truth_delta_host;
    if (truth_beta) input.truth_beta = &truth_beta_host;

    JointRoles roles = make_roles(context, volume_shape);
    const bool reporting = context.communicator().drives_rank(0);
    admm::Report report(reporting ? settings_.report : std::nullopt, "joint.admm");
    const auto start = std::chrono::steady_clock::now();
    context.progress().start("joint.admm iterations", settings_.loop.iterations);
    JointOutcome outcome = run_joint_admm(input, settings_.loop, roles, report, context);
    context.progress().finish();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

    if (reporting && settings_.report && !report.records().empty()) {
      std::vector<admm::PlotSeries> series{{"psi_primal"}, {"u_primal"}, {"rho"}, {"tau"}, {"ptycho_cost"}};
      if (truth_delta) series.push_back({"ssim_delta", false});
      admm::write_convergence_plot(report.records(), series, "joint.admm: " + settings_.ptycho.plugin + " + " +
                                   settings_.tomo.plugin + " + " + (settings_.prior ? settings_.prior->plugin : "no prior"),
                                   admm::convergence_plot_path(*settings_.report), context.cancellation());
    }
    char summary[400];
    std::snprintf(summary, sizeof summary,
                  "joint.admm: %zu iterations%s of %s + %s + %s on %zu angles of %zux%zu, volume %zux%zux%zu; %.2f s",
                  outcome.iterations, outcome.resumed ? " (resumed)" : "", settings_.ptycho.plugin.c_str(),
                  settings_.tomo.plugin.c_str(), settings_.prior ? settings_.prior->plugin.c_str() : "no prior",
                  input.scans.size(), input.rows, input.cols, input.rows, input.cols, input.cols, seconds);
    context.logger().info(summary);
    io.send("delta", volume_of(std::move(outcome.delta), voxel, "refractive index decrement delta, joint ADMM"));
    io.send("beta", volume_of(std::move(outcome.beta), voxel, "absorption index beta, joint ADMM"));
    auto psi = std::make_shared<ComplexProjections>();
    psi->data = std::move(outcome.psi);
    auto probes = std::make_shared<ComplexProjections>();
    probes->data = std::move(outcome.probes);
    for (const auto& scan : input.scans) psi->angles.push_back(scan->angle), probes->angles.push_back(scan->angle);
    io.send("psi", psi);
    io.send("probes", probes);
  }

 private:
  JointRoles make_roles(Context& context, const Shape& volume) const {
    JointRoles roles;
    for (std::size_t rank = 0; rank < context.devices().size(); ++rank) {
      roles.ptycho.push_back(context.make<PtychoSolver>(settings_.ptycho));
      roles.tomo.push_back(context.make<TomoSolver>(settings_.tomo));
    }
    XRECON_CHECK(!settings_.loop.weighted || roles.tomo.front()->takes_weights(),
                 "joint.admm: the tomo role " + settings_.tomo.plugin +
                     " does not take per-ray weights; use one that does (tomo.cgls_solver) or set weights: none");
    if (settings_.prior) roles.prior = tomo_plugin::make_slab_priors(context, *settings_.prior, volume);
    return roles;
  }

  StageSettings settings_;
};

}  // namespace

ComponentSpec joint_admm_spec() {
  ComponentSpec spec;
  spec.name = "joint.admm";
  spec.summary = "Joint ptycho-tomography by ADMM: psi-step by a PtychoSolver per angle, u-step (linearised log, "
                 "tomography) by a TomoSolver, z-step on delta by a Prior; residual balancing of both penalties";
  spec.params.integer("iterations", 20, "ADMM iterations", 1, 100000);
  spec.params.component("ptycho", ComponentKind::ptycho_solver, "ptycho.cg_solver",
                        "the psi-step per angle: min F(psi) + rho ||psi - (H(u) + lambda / rho)||^2 from the last psi; "
                        "the solver's own `iterations` sets the inner iterations");
  spec.params.component("tomo", ComponentKind::tomo_solver, "tomo.cgls_solver",
                        "the u-step: min ||R d - p||^2 + tau ||d - (z - w)||^2 for delta (and beta) from the "
                        "linearised log of the transmission");
  spec.params.component("prior", ComponentKind::prior, std::nullopt,
                        "the z-step on delta at strength tau0 / tau; none: only the bound");
  spec.params.real("rho", 1.0, "initial psi-level penalty, relative to a scan's largest illumination sum |P|^2", 1e-12);
  spec.params.real("tau", 1.0, "initial u-level penalty, relative to max(A^T A 1) of the projector", 1e-12);
  spec.params.boolean("balancing", true, "residual balancing of rho and tau (relative residuals, factor 2, band 10)");
  spec.params.real("rho_growth", 1.0, "continuation: both penalties multiplied by this after every iteration", 1.0,
                   100.0);
  spec.params.choice("splitting", "admm", {"admm", "hqs"},
                     "the u-level: admm (z = prior(d + w) with the scaled dual w; for proximal priors such as TV) "
                     "or hqs, half-quadratic splitting (z = prior(d), no dual; for a network, which is not a "
                     "proximal map and whose ADMM dual drifts: Zhang et al. 2021, DPIR). hqs needs balancing false");
  spec.params.choice("weights", "transmission", {"transmission", "none"},
                     "the u-step's least squares: weighted by |t|^2 per ray (transmission: the curvature of the "
                     "psi-level term at the linearisation point, Aslan et al. 2019) or unweighted (none); the tomo "
                     "role must take weights for transmission");
  spec.params.boolean("circle", false,
                      "delta and beta zero outside the circle inscribed in each slice: the field of view every "
                      "angle sees (TomoPy's circ_mask); the corners are seen by some angles only");
  spec.params.real("min", 0.0, "lower bound on delta and beta (in phase units per voxel: 0 keeps them physical)");
  spec.params.string("report", std::nullopt,
                     "JSON lines, one per iteration (residuals, penalties, ptycho cost, seconds per step, errors "
                     "against the truth); the convergence plot goes next to it as NAME_convergence.png");
  spec.params.integer("checkpoint_every", 5, "iterations between checkpoints (with xrecon run --checkpoint DIR)", 1,
                      100000);
  spec.inputs = {{"scans", PayloadKind::ptycho_scan,
                  "one far-field scan per angle (angle set, object grid = the projection grid: rows = slices)", false, PortFlow::stream},
                 {"truth_delta", PayloadKind::volume, "the true delta, for RMSE and SSIM per iteration", true},
                 {"truth_beta", PayloadKind::volume, "the true beta, for RMSE per iteration", true}};
  spec.outputs = {{"delta", PayloadKind::volume, "delta (slices, n, n)"},
                  {"beta", PayloadKind::volume, "beta (slices, n, n)"},
                  {"psi", PayloadKind::complex_projections, "the transmission per angle (angles, rows, cols)"},
                  {"probes", PayloadKind::complex_projections, "the probe per angle (angles, h, w)"}};
  spec.check = [](const ParamValues& values) {
    if (values.string("splitting") == "hqs" && values.boolean("balancing"))
      throw ParamError("splitting", "is hqs, which has no u-level dual to balance: set balancing: false (and "
                                    "rho_growth for continuation)");
  };
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    StageSettings s;
    s.loop.iterations = std::size_t(values.integer("iterations"));
    s.loop.rho = values.real("rho");
    s.loop.tau = values.real("tau");
    s.loop.balancing = {.enabled = values.boolean("balancing"), .growth = values.real("rho_growth")};
    s.loop.min = float(values.real("min"));
    s.loop.checkpoint_every = std::size_t(values.integer("checkpoint_every"));
    s.loop.prior_dual = values.string("splitting") == "admm";
    s.loop.circle = values.boolean("circle");
    s.loop.weighted = values.string("weights") == "transmission";
    s.ptycho = values.component("ptycho");
    s.tomo = values.component("tomo");
    if (values.has("prior")) s.prior = values.component("prior");
    if (values.has("report")) s.report = values.string("report");
    return std::make_unique<JointAdmmStage>(std::move(s));
  };
  return spec;
}

}  // namespace xrecon::joint_plugin
