// ptycho.cg_solver: the same solver in the PtychoSolver role, for joint ADMM's psi-step, where the
// iteration count and the proximal term come with each call.
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

  void solve(const PtychoScan& scan, ArrayCF& psi, ArrayCF& probe, int iterations, std::optional<Proximal> proximal,
             Context& context) override {
    XRECON_CHECK(iterations > 0, "ptycho.cg_solver needs at least one iteration, got " + std::to_string(iterations));
    if (psi.empty()) {
      psi = ArrayCF(object_shape(scan));
      for (auto& v : psi.host_span()) v = {1.0f, 0.0f};
    }
    if (probe.empty()) probe = scan.probe.clone();
    CgSettings settings = settings_;
    settings.iterations = std::size_t(iterations);
    std::optional<ptycho::CgOptions::Proximal> pull;
    if (proximal) pull = ptycho::CgOptions::Proximal{proximal->rho, proximal->v};
    reconstruct_on_devices(scan, psi, probe, settings, pull, context, nullptr);
  }

 private:
  CgSettings settings_;
};

}  // namespace

ComponentSpec cg_solver_spec() {
  ComponentSpec spec;
  spec.name = "ptycho.cg_solver";
  spec.kind = ComponentKind::ptycho_solver;
  spec.summary = "The ptycho.cg solver as a PtychoSolver role (iterations and proximal term per call)";
  add_cg_params(spec.params, false);
  spec.create = [](const ParamValues& values) { return std::make_unique<CgSolver>(cg_settings(values, 1)); };
  return spec;
}

}  // namespace xrecon::ptycho_plugin
