// Role slots (ParamType::component): a host's parameter that names a plugin implementing a role,
// written `{plugin: NAME, with: {...}}` or `NAME`, bound and checked like a stage's parameters.
// Uses the test plugin's test.host (a Prior slot with a default, a TomoSolver slot without one).
#include <gtest/gtest.h>

#include "test_support.hpp"
#include "xrecon/engine/describe.hpp"
#include "xrecon/engine/param_binding.hpp"
#include "xrecon/engine/run_context.hpp"
#include "xrecon/roles.hpp"
#include "xrecon/stage.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

const ComponentSpec& host() { return *testkit_registry().find("test.host"); }

struct Bound {
  ParamValues values;
  std::vector<std::string> errors;
};

Bound bind(const std::string& yaml, const ComponentSpec& component = host()) {
  const YAML::Node node = YAML::Load(yaml);
  Diagnostics diag;
  Bound b;
  b.values = bind_params(component, node, {"p.yaml", 1, 1}, "p.yaml", testkit_registry(), diag);
  b.errors = diag.messages();
  return b;
}

// The one error binding `yaml` reports (or all of them, to show what went wrong).
std::string error_of(const std::string& yaml) {
  const Bound b = bind(yaml);
  if (b.errors.size() == 1) return b.errors[0];
  std::string all = std::to_string(b.errors.size()) + " errors:";
  for (const std::string& e : b.errors) all += "\n" + e;
  return all;
}

const ParamValues& with_of(const ParamValues& values, const std::string& slot) {
  return *values.component(slot).with;
}

ParamValues values_of(std::initializer_list<std::pair<const std::string, ParamValue>> list) {
  ParamValues v;
  for (const auto& [key, value] : list) v.set(key, value);
  return v;
}

ComponentChoice choice(const std::string& plugin, ParamValues with = {}) {
  return {plugin, std::make_shared<const ParamValues>(std::move(with))};
}

}  // namespace

TEST(RoleSlots, NestedBlocksBindTheirPluginsParameters) {
  const Bound b = bind(R"(strength: 0.2
prior: {plugin: test.scale_prior, with: {factor: 0.25}}
tomo:
  plugin: test.noop_solver
  with:
    iterations: 7
)");
  ASSERT_TRUE(b.errors.empty()) << b.errors[0];
  EXPECT_EQ(b.values.component("prior").plugin, "test.scale_prior");
  EXPECT_DOUBLE_EQ(with_of(b.values, "prior").real("factor"), 0.25);
  EXPECT_EQ(b.values.component("tomo").plugin, "test.noop_solver");
  EXPECT_EQ(with_of(b.values, "tomo").integer("iterations"), 7);
  EXPECT_EQ(to_string(b.values.all().at("tomo")), "{plugin: test.noop_solver, with: {iterations: 7}}");
}

TEST(RoleSlots, ShortFormAndOmittedWithGetDefaultParameters) {
  const Bound b = bind("prior: test.chain_prior\ntomo: {plugin: test.noop_solver}\n");
  ASSERT_TRUE(b.errors.empty()) << b.errors[0];
  const ParamValues& chain = with_of(b.values, "prior");
  EXPECT_EQ(b.values.component("prior").plugin, "test.chain_prior");
  EXPECT_DOUBLE_EQ(chain.real("factor"), 0.0);
  // The chain's own slot, left out, holds its default plugin with that plugin's defaults.
  EXPECT_EQ(chain.component("inner").plugin, "test.scale_prior");
  EXPECT_DOUBLE_EQ(with_of(chain, "inner").real("factor"), 0.5);
  EXPECT_EQ(with_of(b.values, "tomo").integer("iterations"), 3);
}

TEST(RoleSlots, LeftOutSlotGetsItsBoundDefaultOrStaysEmpty) {
  const Bound b = bind("{}");
  ASSERT_TRUE(b.errors.empty()) << b.errors[0];
  EXPECT_EQ(b.values.component("prior").plugin, "test.scale_prior");
  EXPECT_DOUBLE_EQ(with_of(b.values, "prior").real("factor"), 0.5);
  EXPECT_FALSE(b.values.has("tomo"));
}

TEST(RoleSlots, RolesWithinRoles) {
  const Bound b = bind(R"(prior:
  plugin: test.chain_prior
  with:
    factor: 0.5
    inner: {plugin: test.chain_prior, with: {inner: {plugin: test.scale_prior, with: {factor: 0.1}}}}
)");
  ASSERT_TRUE(b.errors.empty()) << b.errors[0];
  const ParamValues& middle = with_of(with_of(b.values, "prior"), "inner");
  EXPECT_EQ(with_of(middle, "inner").real("factor"), 0.1);
}

TEST(RoleSlots, UnknownPluginSuggestsTheClosestName) {
  EXPECT_EQ(error_of("prior: {plugin: test.scale_prio}"),
            "p.yaml:1:17: error: slot 'prior' of test.host: unknown plugin 'test.scale_prio' "
            "(did you mean 'test.scale_prior'?)");
  EXPECT_EQ(error_of("prior: zzz.none"),
            "p.yaml:1:8: error: slot 'prior' of test.host: unknown plugin 'zzz.none' "
            "(xrecon plugins lists what is installed)");
}

TEST(RoleSlots, PluginOfTheWrongRoleOrAStageIsRejected) {
  EXPECT_EQ(error_of("tomo: test.scale_prior"),
            "p.yaml:1:7: error: 'test.scale_prior' is a Prior, but slot 'tomo' of test.host needs a TomoSolver "
            "(installed TomoSolver plugins: test.noop_solver)");
  EXPECT_EQ(error_of("prior:\n  plugin: testkit.source\n"),
            "p.yaml:2:11: error: 'testkit.source' is a stage, but slot 'prior' of test.host needs a Prior "
            "(installed Prior plugins: test.chain_prior, test.scale_prior)");
}

TEST(RoleSlots, BlockTakesOnlyPluginAndWith) {
  EXPECT_EQ(error_of("prior: {plugin: test.scale_prior, wiht: {factor: 1}}"),
            "p.yaml:1:35: error: unknown key 'wiht' in slot 'prior' of test.host (did you mean 'with'?)");
  EXPECT_EQ(error_of("prior:\n  plugin: test.scale_prior\n  factor: 0.1\n"),
            "p.yaml:3:3: error: unknown key 'factor' in slot 'prior' of test.host "
            "(expected 'plugin' and 'with'; the plugin's parameters go under 'with')");
  EXPECT_EQ(error_of("prior: {with: {factor: 0.1}}"),
            "p.yaml:1:8: error: slot 'prior' of test.host has no 'plugin' "
            "(name the Prior to use, e.g. its default 'test.scale_prior')");
  EXPECT_EQ(error_of("prior: [test.scale_prior]"),
            "p.yaml:1:8: error: slot 'prior' of test.host: expected a plugin name or {plugin: NAME, with: {...}}, "
            "found a list");
  EXPECT_EQ(error_of("prior: {plugin: test.scale_prior, with: 3}"),
            "p.yaml:1:41: error: slot 'prior' of test.host: 'with' must be a map of parameters, found '3'");
}

TEST(RoleSlots, NestedParameterErrorsPointAtTheirOwnLine) {
  EXPECT_EQ(error_of("prior:\n  plugin: test.scale_prior\n  with:\n    factor: lots\n"),
            "p.yaml:4:13: error: parameter 'factor' of test.scale_prior: expected a number, found 'lots'");
  EXPECT_EQ(error_of(R"(strength: 0.5
prior:
  plugin: test.chain_prior
  with:
    inner:
      plugin: test.scale_prior
      with: {factor: 2}
)"),
            "p.yaml:7:22: error: parameter 'factor' of test.scale_prior: value 2 is out of range (expected 0 .. 1)");
  EXPECT_EQ(error_of("tomo: {plugin: test.noop_solver, with: {iteratons: 2}}"),
            "p.yaml:1:41: error: unknown parameter 'iteratons' for test.noop_solver (did you mean 'iterations'?)");
}

TEST(RoleSlots, DefaultPluginThatIsNotInstalledIsReportedAtTheHostsWith) {
  ComponentSpec demo;
  demo.name = "demo.host";
  demo.params.component("prior", ComponentKind::prior, "prior.missing", "a prior");
  const Bound b = bind("{}", demo);
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_EQ(b.errors[0],
            "p.yaml:1:1: error: slot 'prior' of demo.host: its default plugin 'prior.missing' is not installed; "
            "choose one with 'prior: {plugin: NAME}' (installed Prior plugins: test.chain_prior, test.scale_prior)");
}

TEST(RoleSlots, ValidatedPipelineHoldsTheChoice) {
  const Plan plan = plan_from(R"(version: 1
devices: cpu
stages:
  - {id: src, plugin: testkit.single}
  - id: host
    plugin: test.host
    inputs: {volume: src.volume}
    with:
      prior: {plugin: test.scale_prior, with: {factor: 0.75}}
)");
  const PlannedStage& stage = plan.stages.back();
  EXPECT_DOUBLE_EQ(with_of(stage.params, "prior").real("factor"), 0.75);
}

TEST(RoleSlots, ValuesFromCodePassAChoiceThrough) {
  const PluginRegistry& r = testkit_registry();
  ParamValues given;
  const ComponentChoice inner = choice("test.scale_prior", values_of({{"factor", 0.25}}));
  given.set("prior", choice("test.chain_prior", values_of({{"inner", inner}})));
  given.set("tomo", std::string("test.noop_solver"));  // a name: the plugin with its defaults
  const ParamValues bound = bind_params(host(), given, r);
  EXPECT_EQ(bound.component("prior").plugin, "test.chain_prior");
  EXPECT_DOUBLE_EQ(with_of(bound, "prior").real("factor"), 0.0);  // filled in
  EXPECT_DOUBLE_EQ(with_of(with_of(bound, "prior"), "inner").real("factor"), 0.25);
  EXPECT_EQ(with_of(bound, "tomo").integer("iterations"), 3);

  ParamValues wrong;
  wrong.set("tomo", choice("test.scale_prior"));
  EXPECT_THROW(bind_params(host(), wrong, r), InputError);
  ParamValues out_of_range;
  out_of_range.set("prior", choice("test.scale_prior", values_of({{"factor", 1.5}})));
  EXPECT_THROW(bind_params(host(), out_of_range, r), InputError);
  ParamValues block_for_a_number;
  block_for_a_number.set("strength", choice("test.scale_prior"));
  EXPECT_THROW(bind_params(host(), block_for_a_number, r), InputError);
}

TEST(RoleSlots, RegistryFactoryCreatesAHostGivenAChoice) {
  RegistryFactory factory(testkit_registry());
  ParamValues given;
  given.set("prior", choice("test.scale_prior", values_of({{"factor", 0.25}})));
  const std::unique_ptr<Component> stage = factory.create("test.host", ComponentKind::stage, given);
  EXPECT_NE(dynamic_cast<Stage*>(stage.get()), nullptr);
  given.set("prior", choice("test.noop_solver"));
  try {
    factory.create("test.host", ComponentKind::stage, given);
    ADD_FAILURE() << "a TomoSolver filled a Prior slot";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("'test.noop_solver' is a TomoSolver, but slot 'prior' of test.host needs a Prior"),
              std::string::npos)
        << message;
  }
}

TEST(RoleSlots, ContextMakesTheChosenRole) {
  const std::vector<Device> devices{Device{}};
  const CancellationToken token;
  StageContext context(devices, token, testkit_registry(), Provenance{}, std::nullopt, false, false);
  Volume x;
  x.data = ArrayF::zeros({1, 2, 2});
  for (std::size_t i = 0; i < x.data.size(); ++i) x.data.data()[i] = 1.0f;

  context.make<Prior>(choice("test.scale_prior", values_of({{"factor", 0.5}})))->apply(x, 1.0, context);
  EXPECT_FLOAT_EQ(x.data[0], 0.5f);
  // The chain creates its own inner prior through the context: 0.5 * (1 - 0.5) * (1 - 0.5 * 0.5).
  const ParamValues chain = values_of({{"factor", 0.5}, {"inner", choice("test.scale_prior")}});
  context.make<Prior>(choice("test.chain_prior", chain))->apply(x, 0.5, context);
  EXPECT_FLOAT_EQ(x.data[0], 0.5f * 0.75f * 0.75f);
  EXPECT_THROW(context.make<Prior>(choice("test.noop_solver")), InputError);
}

TEST(RoleSlots, DescribeListsSlotsAndWhatCanFillThem) {
  const PluginRegistry& r = testkit_registry();
  const std::string text = describe_component(host(), *r.provider("test.host"), r);
  EXPECT_NE(text.find("prior (component (Prior)) default test.scale_prior"), std::string::npos) << text;
  EXPECT_NE(text.find("installed Prior plugins: test.chain_prior, test.scale_prior"), std::string::npos) << text;
  EXPECT_NE(text.find("tomo (component (TomoSolver)) default (optional: none)"), std::string::npos) << text;
  EXPECT_NE(text.find("installed TomoSolver plugins: test.noop_solver"), std::string::npos) << text;
  EXPECT_NE(text.find("      prior: {plugin: test.scale_prior, with: {}}\n"), std::string::npos) << text;
  EXPECT_NE(text.find("      # tomo: {plugin: NAME, with: {}}  # optional: a TomoSolver\n"), std::string::npos) << text;

  const std::string role = describe_component(*r.find("test.scale_prior"), *r.provider("test.scale_prior"), r);
  EXPECT_EQ(role.find("Template:"), std::string::npos) << role;  // no stage template: a block for a host's slot
  EXPECT_NE(role.find("      prior:\n        plugin: test.scale_prior\n        with:\n          factor: 0.5\n"),
            std::string::npos)
      << role;
  EXPECT_NE(role.find("prior: {plugin: test.scale_prior, with: {factor: 0.5}}"), std::string::npos) << role;
  EXPECT_NE(role.find("test.host (slot 'prior')"), std::string::npos) << role;
  EXPECT_NE(role.find("test.chain_prior (slot 'inner')"), std::string::npos) << role;
}

namespace {

const char* kHostPipeline = R"(version: 1
devices: cpu
stages:
  - {id: src, plugin: testkit.single}
  - id: host
    plugin: test.host
    inputs: {volume: src.volume}
    with:
      prior: test.chain_prior
      tomo: {plugin: test.noop_solver, with: {iterations: 4}}
)";

Plan plan_with(const std::vector<std::string>& sets, const char* yaml = kHostPipeline) {
  std::vector<ParamOverride> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  return validate_pipeline(parse_pipeline_text(yaml, "p.yaml", overrides), testkit_registry());
}

std::string error_with(const std::vector<std::string>& sets, const char* yaml = kHostPipeline) {
  try {
    plan_with(sets, yaml);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(RoleSlots, SetReachesIntoNestedBlocks) {
  Plan plan = plan_with({"host.tomo.with.iterations=8", "host.prior.with.factor=0.25",
                         "host.prior.with.inner.plugin=test.chain_prior", "host.prior.with.inner.with.factor=0.125"});
  const ParamValues& params = plan.stages.back().params;
  EXPECT_EQ(with_of(params, "tomo").integer("iterations"), 8);
  const ParamValues& chain = with_of(params, "prior");
  EXPECT_EQ(params.component("prior").plugin, "test.chain_prior");  // the short form kept its plugin
  EXPECT_DOUBLE_EQ(chain.real("factor"), 0.25);
  EXPECT_EQ(chain.component("inner").plugin, "test.chain_prior");
  EXPECT_DOUBLE_EQ(with_of(chain, "inner").real("factor"), 0.125);

  plan = plan_with({"host.prior.plugin=test.scale_prior", "host.tomo=test.noop_solver"});
  EXPECT_EQ(plan.stages.back().params.component("prior").plugin, "test.scale_prior");
  EXPECT_EQ(with_of(plan.stages.back().params, "tomo").integer("iterations"), 3);
}

TEST(RoleSlots, SetIntoANestedBlockReportsWhatCannotBeSet) {
  EXPECT_EQ(error_with({"host.tomo.with.iterations=0"}),
            "p.yaml (--set): error: parameter 'iterations' of test.noop_solver: value 0 is out of range "
            "(expected 1 .. 100)");
  EXPECT_EQ(error_with({"host.prior.factor=0.1"}),
            "--set host.prior.factor=0.1: 'host.prior' is 'test.chain_prior', not a map, so it has no 'factor' "
            "(a role slot's parameters go under 'with': host.prior.with.factor)");
  EXPECT_EQ(error_with({"host.prior.plugin=test.scale_priot"}),
            "p.yaml (--set): error: slot 'prior' of test.host: unknown plugin 'test.scale_priot' "
            "(did you mean 'test.scale_prior'?)");
  // A slot the file left out has no plugin to keep: the user must name one.
  EXPECT_EQ(error_with({"host.tomo.with.iterations=2"}, R"(version: 1
stages:
  - {id: src, plugin: testkit.single}
  - {id: host, plugin: test.host, inputs: {volume: src.volume}}
)"),
            "p.yaml (--set): error: slot 'tomo' of test.host has no 'plugin' (name the TomoSolver to use)");
  // The short form's name keeps its place in the file when --set expands it into a block.
  std::string yaml = kHostPipeline;
  yaml.replace(yaml.find("test.chain_prior"), 16, "test.chain_prio");
  EXPECT_EQ(error_with({"host.prior.with.factor=0.5"}, yaml.c_str()),
            "p.yaml:9:14: error: slot 'prior' of test.host: unknown plugin 'test.chain_prio' "
            "(did you mean 'test.chain_prior'?)");
}
