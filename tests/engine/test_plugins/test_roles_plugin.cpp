// Components that exist only to exercise role slots (ParamType::component) without depending on
// the shipped solvers: a stage hosting a Prior slot (with a default) and a TomoSolver slot
// (without one), a Prior that scales, a Prior that hosts a Prior (roles within roles), and a
// TomoSolver that does nothing.
#include <memory>

#include <xrecon/plugin.hpp>
#include <xrecon/roles.hpp>
#include <xrecon/stage.hpp>

namespace {

using namespace xrecon;

void scale(Volume& x, double by) {
  float* values = x.data.data();
  for (std::size_t i = 0; i < x.data.size(); ++i) values[i] = float(values[i] * by);
}

// x *= 1 - strength * factor: its effect tells a test which prior ran with which parameters.
class ScalePrior final : public Prior {
 public:
  explicit ScalePrior(const ParamValues& p) : factor_(p.real("factor")) {}
  void apply(Volume& x, double strength, Context&) override { scale(x, 1.0 - strength * factor_); }

 private:
  double factor_;
};

// Applies its inner prior, then scales like ScalePrior.
class ChainPrior final : public Prior {
 public:
  explicit ChainPrior(const ParamValues& p) : inner_(p.component("inner")), factor_(p.real("factor")) {}
  void apply(Volume& x, double strength, Context& context) override {
    context.make<Prior>(inner_)->apply(x, strength, context);
    scale(x, 1.0 - strength * factor_);
  }

 private:
  ComponentChoice inner_;
  double factor_;
};

class NoopSolver final : public TomoSolver {
 public:
  void solve(const Projections&, Volume&, int, std::optional<Proximal>, Context&) override {}
};

// Applies its prior to each incoming volume; the TomoSolver slot is only created, to show that
// an optional slot without default may stay empty.
class HostStage final : public Stage {
 public:
  explicit HostStage(const ParamValues& p) : params_(p) {}
  void run(StageIO& io, Context& context) override {
    std::unique_ptr<Prior> prior = context.make<Prior>(params_.component("prior"));
    if (params_.has("tomo")) context.make<TomoSolver>(params_.component("tomo"));
    while (auto in = io.receive_as<Volume>("volume")) {
      auto out = std::make_shared<Volume>(*in);
      out->data = in->data.clone();
      prior->apply(*out, params_.real("strength"), context);
      io.send("volume", out);
    }
  }

 private:
  ParamValues params_;
};

ComponentSpec host_spec() {
  ComponentSpec s;
  s.name = "test.host";
  s.summary = "Applies its prior to every volume (hosts a Prior and a TomoSolver slot)";
  s.params.real("strength", 0.5, "how strongly the prior acts", 0.0, 1.0)
      .component("prior", ComponentKind::prior, "test.scale_prior", "the prior applied to each volume")
      .component("tomo", ComponentKind::tomo_solver, std::nullopt, "an inner solver (only created)");
  s.inputs = {{"volume", PayloadKind::volume, "volumes"}};
  s.outputs = {{"volume", PayloadKind::volume, "the volumes after the prior"}};
  s.create = [](const ParamValues& p) { return std::make_unique<HostStage>(p); };
  return s;
}

ComponentSpec scale_prior_spec() {
  ComponentSpec s;
  s.name = "test.scale_prior";
  s.kind = ComponentKind::prior;
  s.summary = "x *= 1 - strength * factor";
  s.params.real("factor", 0.5, "fraction removed at strength 1", 0.0, 1.0);
  s.create = [](const ParamValues& p) { return std::make_unique<ScalePrior>(p); };
  return s;
}

ComponentSpec chain_prior_spec() {
  ComponentSpec s;
  s.name = "test.chain_prior";
  s.kind = ComponentKind::prior;
  s.summary = "Applies its inner prior, then x *= 1 - strength * factor";
  s.params.real("factor", 0.0, "fraction removed at strength 1", 0.0, 1.0)
      .component("inner", ComponentKind::prior, "test.scale_prior", "the prior applied first");
  s.create = [](const ParamValues& p) { return std::make_unique<ChainPrior>(p); };
  return s;
}

ComponentSpec noop_solver_spec() {
  ComponentSpec s;
  s.name = "test.noop_solver";
  s.kind = ComponentKind::tomo_solver;
  s.summary = "Leaves x as it is";
  s.params.integer("iterations", 3, "ignored", 1, 100);
  s.create = [](const ParamValues&) { return std::make_unique<NoopSolver>(); };
  return s;
}

}  // namespace

XRECON_PLUGIN("test", "1.0.0", host_spec(), scale_prior_spec(), chain_prior_spec(), noop_solver_spec())
