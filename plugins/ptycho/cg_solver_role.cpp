// ptycho.cg_solver: the same solver in the PtychoSolver role, for joint ADMM's psi-step, where the
// proximal term comes with each call and the iteration count with the call or from the role's
// own `iterations`.
#include <memory>

#include <xrecon/roles.hpp>

#include "distributed_cg.hpp"
#include "settings_params.hpp"
#include "stages.hpp"

namespace xrecon::ptycho_plugin {
namespace {

class CgSolver final : public PtychoSolver {
 public:
  explicit CgSolver(CgSettings settings) : settings_(settings) {}

  // The positions split over every device of the context (PtyGer's bands).
  void solve(const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations, std::optional<Proximal> proximal,
             Context& context) override {
    const CgSettings settings = prepare(scan, psi, probe, iterations);
    reconstruct_on_devices(scan, psi, probe, settings, pull(proximal), context, nullptr);
  }

  // One scan on this rank's device alone: CG where psi is (its memory space), no collective.
  void solve_local(int, const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations,
                   std::optional<Proximal> proximal, Context& context) override {
    const CgSettings settings = prepare(scan, psi, probe, iterations);
    ptycho::CgOptions options{.iterations = settings.iterations,
                              .likelihood = settings.likelihood,
                              .recover_probe = settings.recover_probe,
                              .max_amplitude = settings.max_amplitude,
                              .proximal = pull(proximal)};
    options.on_iteration = [&](const ptycho::CgIteration&) { context.cancellation().throw_if_cancelled(); };
    ptycho::reconstruct(scan.patterns, scan.positions, psi, probe, options);
  }

 private:
  // Fills an empty psi with free space and an empty probe with the scan's; the iteration count.
  CgSettings prepare(const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations) const {
    const int count = iterations < 0 ? int(settings_.iterations) : iterations;
    XRECON_CHECK(count > 0, "ptycho.cg_solver needs at least one iteration, got " + std::to_string(count));
    if (psi.empty()) {
      psi = ArrayCF(object_shape(scan));
      for (auto& v : psi.host_span()) v = {1.0f, 0.0f};
    }
    if (probe.empty()) probe = scan.probe.clone();
    CgSettings settings = settings_;
    settings.iterations = std::size_t(count);
    return settings;
  }

  static std::optional<ptycho::CgOptions::Proximal> pull(const std::optional<Proximal>& proximal) {
    if (!proximal) return std::nullopt;
    return ptycho::CgOptions::Proximal{proximal->rho, proximal->v};
  }

  CgSettings settings_;
};

}  // namespace

ComponentSpec cg_solver_spec() {
  ComponentSpec spec;
  spec.name = "ptycho.cg_solver";
  spec.kind = ComponentKind::ptycho_solver;
  spec.summary = "The ptycho.cg solver as a PtychoSolver role (proximal term per call; iterations per call or its own)";
  spec.params.integer("iterations", 4,
                      "CG iterations per call when the host leaves the count to the solver (joint.admm's psi-step: "
                      "a few, warm-started from the last psi)",
                      1, 100000);
  add_cg_params(spec.params, false);
  spec.create = [](const ParamValues& values) {
    return std::make_unique<CgSolver>(cg_settings(values, std::size_t(values.integer("iterations"))));
  };
  return spec;
}

}  // namespace xrecon::ptycho_plugin
