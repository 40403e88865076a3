#include <gtest/gtest.h>

#include "xrecon/engine/param_binding.hpp"
#include "xrecon/engine/pipeline_parser.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

ComponentSpec example_component() {
  ComponentSpec c;
  c.name = "demo.solver";
  c.params.integer("iterations", 10, "iterations", 1, 1000)
      .real("relaxation", 1.0, "lambda", 0.0, 2.0)
      .boolean("verbose", false, "talk")
      .choice("filter", "ram-lak", {"ram-lak", "hann"}, "window")
      .real("low", std::nullopt, "optional lower bound")
      .real("high", std::nullopt, "optional upper bound")
      .input_file("data", "input file");
  c.check = [](const ParamValues& v) {
    if (v.has("low") && v.has("high") && v.real("low") >= v.real("high")) throw ParamError("high", "must exceed low");
  };
  return c;
}

// The demo component has no role slots: no plugin is needed to bind it.
const PluginRegistry& no_plugins() {
  static const PluginRegistry registry;
  return registry;
}

struct Bound {
  ParamValues values;
  std::vector<std::string> errors;
};

Bound bind(const std::string& yaml) {
  const YAML::Node node = YAML::Load(yaml);
  Diagnostics diag;
  Bound b;
  b.values = bind_params(example_component(), node, {"p.yaml", 1, 1}, "p.yaml", no_plugins(), diag);
  b.errors = diag.messages();
  return b;
}

}  // namespace

TEST(ParamBinding, DefaultsFillAndTypesConvert) {
  const Bound b = bind("{data: /, iterations: 5, relaxation: 1, verbose: yes, filter: hann}");
  ASSERT_TRUE(b.errors.empty()) << b.errors[0];
  EXPECT_EQ(b.values.integer("iterations"), 5);
  EXPECT_DOUBLE_EQ(b.values.real("relaxation"), 1.0);
  EXPECT_TRUE(b.values.boolean("verbose"));
  EXPECT_EQ(b.values.string("filter"), "hann");
  EXPECT_FALSE(b.values.has("low"));
}

TEST(ParamBinding, EachRuleReportsItsLocation) {
  const Bound b = bind("data: /nonexistent/x.h5\niteratons: 5\nrelaxation: 3\nverbose: maybe\nfilter: box\n");
  ASSERT_EQ(b.errors.size(), 5u);
  EXPECT_EQ(b.errors[0], "p.yaml:1:7: error: parameter 'data' of demo.solver: input file '/nonexistent/x.h5' does not exist");
  EXPECT_EQ(b.errors[1], "p.yaml:2:1: error: unknown parameter 'iteratons' for demo.solver (did you mean 'iterations'?)");
  EXPECT_EQ(b.errors[2], "p.yaml:3:13: error: parameter 'relaxation' of demo.solver: value 3 is out of range (expected 0 .. 2)");
  EXPECT_EQ(b.errors[3], "p.yaml:4:10: error: parameter 'verbose' of demo.solver: expected true or false, found 'maybe'");
  EXPECT_EQ(b.errors[4], "p.yaml:5:9: error: parameter 'filter' of demo.solver: 'box' is not one of: ram-lak, hann");
}

TEST(ParamBinding, IntegerRejectsFractionsAndMapsAreNotScalars) {
  const Bound b = bind("{data: /, iterations: 2.5, relaxation: {a: 1}}");
  ASSERT_EQ(b.errors.size(), 2u);
  EXPECT_NE(b.errors[0].find("expected an integer, found '2.5'"), std::string::npos);
  EXPECT_NE(b.errors[1].find("expected a number, found a map"), std::string::npos);
}

TEST(ParamBinding, MissingRequiredIsReported) {
  const Bound b = bind("{iterations: 3}");
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_EQ(b.errors[0], "p.yaml:1:1: error: missing required parameter 'data' for demo.solver (input file)");
}

TEST(ParamBinding, CrossChecksPointAtTheParameter) {
  const Bound b = bind("data: /\nlow: 2\nhigh: 1\n");
  ASSERT_EQ(b.errors.size(), 1u);
  EXPECT_EQ(b.errors[0], "p.yaml:3:7: error: demo.solver: parameter 'high': must exceed low");
}

TEST(ParamBinding, ValuesFromCodeAreCheckedToo) {
  ParamValues given;
  given.set("data", std::string("/"));
  given.set("iterations", std::int64_t(0));
  EXPECT_THROW(bind_params(example_component(), given, no_plugins()), InputError);
  given.set("iterations", std::int64_t(4));
  EXPECT_EQ(bind_params(example_component(), given, no_plugins()).integer("iterations"), 4);
}

// Exclusive bounds: "> 0" (positive()) and "(1, 2)" (exclusive_min/max), from a file and from code.
TEST(ParamBinding, ExclusiveBoundsRefuseTheBoundItself) {
  ComponentSpec c;
  c.name = "demo.step";
  c.params.real("step", 1.0, "a length").positive().real("factor", 1.5, "a growth", 1.0, 2.0).exclusive_min().exclusive_max();
  const auto errors = [&](const std::string& yaml) {
    Diagnostics diag;
    bind_params(c, YAML::Load(yaml), {"p.yaml", 1, 1}, "p.yaml", no_plugins(), diag);
    return diag.messages();
  };
  EXPECT_TRUE(errors("{step: 1e-300, factor: 1.999}").empty());
  const auto e = errors("step: 0\nfactor: 2\n");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(e[0], "p.yaml:1:7: error: parameter 'step' of demo.step: value 0 is out of range (expected > 0)");
  EXPECT_EQ(e[1], "p.yaml:2:9: error: parameter 'factor' of demo.step: value 2 is out of range (expected > 1 and < 2)");
  EXPECT_EQ(errors("factor: 1\n").size(), 1u);
  EXPECT_EQ(errors("step: -3\n").size(), 1u);
  ParamValues given;
  given.set("step", 0.0);
  EXPECT_THROW(bind_params(c, given, no_plugins()), InputError);
  // A bound must exist before it can be exclusive.
  EXPECT_THROW(ParamSchema().real("x", 1.0, "unbounded").exclusive_min(), Error);
}

TEST(ParamBinding, ClosestName) {
  EXPECT_EQ(closest_name("iteratons", {"iterations", "relaxation"}), "iterations");
  EXPECT_EQ(closest_name("zzzz", {"iterations"}), "");
}
