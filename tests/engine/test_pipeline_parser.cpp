#include <gtest/gtest.h>

#include "xrecon/engine/pipeline_parser.hpp"

using namespace xrecon;
using namespace xrecon::engine;

namespace {

std::string error_of(const std::string& text, const std::vector<ParamOverride>& overrides = {}) {
  try {
    parse_pipeline_text(text, "p.yaml", overrides);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

const char* kValid = R"(version: 1
name: demo
devices: cpu:2
stages:
  - id: a
    plugin: testkit.source
    with: {count: 3}
  - id: b
    plugin: testkit.sink
    inputs: {volume: a.volume}
)";

}  // namespace

TEST(PipelineParser, ReadsStagesInputsAndLocations) {
  const PipelineSpec spec = parse_pipeline_text(kValid, "p.yaml");
  EXPECT_EQ(spec.name, "demo");
  EXPECT_EQ(spec.devices, "cpu:2");
  ASSERT_EQ(spec.stages.size(), 2u);
  EXPECT_EQ(spec.stages[0].component, "testkit.source");
  EXPECT_EQ(spec.stages[0].params["count"].as<int>(), 3);
  EXPECT_EQ(spec.stages[1].inputs.at("volume").stage, "a");
  EXPECT_EQ(spec.stages[1].inputs.at("volume").port, "volume");
  EXPECT_EQ(spec.stages[1].component_where.to_string(), "p.yaml:9:13");
}

TEST(PipelineParser, BadYamlNamesLineAndColumn) {
  EXPECT_EQ(error_of("version: 1\nstages: [\n  - id: a\n"), "p.yaml:3:3: error: invalid YAML: illegal block entry");
}

TEST(PipelineParser, UnknownTopLevelKeyIsRejected) {
  EXPECT_NE(error_of(std::string(kValid) + "stagse: []\n").find("p.yaml:11:1: error: unknown key 'stagse' in the pipeline"),
            std::string::npos);
}

TEST(PipelineParser, MissingVersionAndStages) {
  const std::string e = error_of("name: x\n");
  EXPECT_NE(e.find("missing the required key 'version'"), std::string::npos) << e;
  EXPECT_NE(e.find("missing the required key 'stages'"), std::string::npos) << e;
}

TEST(PipelineParser, WrongVersion) {
  EXPECT_NE(error_of("version: 2\nstages: [{id: a, plugin: x}]\n").find("p.yaml:1:10: error: unsupported pipeline version"),
            std::string::npos);
}

TEST(PipelineParser, DuplicateIdAndBadReference) {
  const std::string e =
      error_of("version: 1\nstages:\n  - {id: a, plugin: x}\n  - {id: a, plugin: y, inputs: {v: nodot}}\n");
  EXPECT_NE(e.find("p.yaml:4:5: error: stage id 'a' is used twice (first at p.yaml:3:5)"), std::string::npos) << e;
  EXPECT_NE(e.find("input reference 'nodot' must be written 'stage.port'"), std::string::npos) << e;
}

TEST(PipelineParser, OverridesReplaceAndAddParameters) {
  const auto spec = parse_pipeline_text(kValid, "p.yaml", {parse_override("a.count=7"), parse_override("b.expect=7")});
  EXPECT_EQ(spec.stages[0].params["count"].as<int>(), 7);
  EXPECT_EQ(spec.stages[1].params["expect"].as<int>(), 7);
  EXPECT_NE(spec.text.find("# --set a.count=7"), std::string::npos);
}

TEST(PipelineParser, OverrideOfUnknownStageOrBadSyntax) {
  EXPECT_NE(error_of(kValid, {parse_override("zz.count=1")}).find("no stage 'zz'"), std::string::npos);
  EXPECT_THROW(parse_override("count=1"), InputError);
  EXPECT_THROW(parse_override("a.=1"), InputError);
}

TEST(PipelineParser, MissingFileIsAClearError) {
  try {
    parse_pipeline_file("/nonexistent/pipeline.yaml");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cannot open pipeline file '/nonexistent/pipeline.yaml'"), std::string::npos);
  }
}

// Accepted-but-ambiguous YAML (issue 13): yaml-cpp keeps repeated keys and later documents, and a
// lookup would silently pick one of them.
TEST(PipelineParser, ARepeatedKeyIsRejectedAtBothLines) {
  const std::string error = error_of(R"(version: 1
stages:
  - id: a
    plugin: testkit.source
    with:
      count: 3
      size: 4
      count: 500
)");
  EXPECT_NE(error.find("p.yaml:8:7"), std::string::npos) << error;
  EXPECT_NE(error.find("key 'count' appears twice in the same map (first at p.yaml:6:7)"), std::string::npos)
      << error;
}

TEST(PipelineParser, ARepeatedTopLevelKeyIsRejected) {
  const std::string error = error_of(std::string(kValid) + "name: other\n");
  EXPECT_NE(error.find("key 'name' appears twice"), std::string::npos) << error;
}

TEST(PipelineParser, ASecondDocumentIsRejected) {
  const std::string error = error_of(std::string(kValid) + "---\n" + kValid);
  EXPECT_NE(error.find("2 YAML documents"), std::string::npos) << error;
  EXPECT_NE(error.find("p.yaml:11:1"), std::string::npos) << error;  // the '---' that starts it
}

// yaml-cpp 0.7's LoadAll looped forever, allocating, on a stray comma (its issue 1040).
TEST(PipelineParser, AStrayCommaIsAnErrorNotAHang) {
  const std::string error = error_of(",\n" + std::string(kValid));
  EXPECT_NE(error.find("p.yaml:1:1: error: invalid YAML: the parser cannot get past this token"), std::string::npos)
      << error;
}
