// `xrecon describe` as a user copies it: for every installed component, the printed template is
// put into a pipeline as it is (a stage template as a stage, a role's block into a host stage's
// `with:`), fed by upstream stages of the right payload kinds, and must pass `xrecon validate`.
// Only required placeholders (PATH, NUMBER, ...) are replaced, by a value of the parameter's type.
// `describe NAME --json` gives the types, bounds and ports the test needs.
#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <optional>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"

using nlohmann::json;

namespace {

struct Installed {
  std::vector<std::string> names;    // in the order `xrecon plugins` lists them
  std::map<std::string, json> specs;  // describe NAME --json
};

// Every installed component and its description, read once through the command.
const Installed& installed() {
  static const Installed all = [] {
    Installed found;
    const CommandResult r = run_command(xrecon_command("plugins"));
    std::istringstream lines(r.output);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("  ", 0) != 0 || line.find("  [") == std::string::npos) continue;
      const std::string name = line.substr(2, line.find(' ', 2) - 2);
      const CommandResult d = run_command(xrecon_command("describe " + name + " --json"));
      if (d.exit_code != 0) throw std::runtime_error("describe " + name + " --json failed:\n" + d.output);
      found.names.push_back(name);
      found.specs[name] = json::parse(d.output);
    }
    return found;
  }();
  return all;
}

std::vector<std::string> components_of(bool stages) {
  std::vector<std::string> names;
  for (const std::string& n : installed().names)
    if ((installed().specs.at(n)["kind"] == "stage") == stages) names.push_back(n);
  return names;
}

// The lines under "Template..." in `xrecon describe NAME`, up to the first that is not indented
// as YAML of a pipeline (a blank line or the "or on one line:" note).
std::vector<std::string> template_lines(const std::string& description) {
  std::vector<std::string> lines;
  const std::size_t at = description.find("\nTemplate");
  if (at == std::string::npos) return lines;
  std::istringstream in(description.substr(description.find('\n', at + 1) + 1));
  for (std::string line; std::getline(in, line) && line.rfind("  ", 0) == 0 && line.find("  or ") != 0;)
    lines.push_back(line);
  return lines;
}

// The line after "or on one line:", for roles.
std::string one_line_form(const std::string& description) {
  const std::size_t at = description.find("  or on one line:\n");
  if (at == std::string::npos) return {};
  const std::size_t start = description.find('\n', at) + 1;
  return description.substr(start, description.find('\n', start) - start);
}

double number_in_bounds(const json& p) {
  const json& b = p["bounds"];
  if (b.is_null()) return 1;
  const bool integer = p["type"] == "integer";
  if (!b["min"].is_null()) {
    const double min = b["min"];
    const double above = b["min_exclusive"].get<bool>() ? min + (integer ? 1 : 0.5) : min;
    return b["max"].is_null() ? above : std::min(above, (min + b["max"].get<double>()) / 2);
  }
  return b["max"].get<double>() - 1;
}

// A value of the parameter's type that its schema accepts, for a placeholder the user must fill.
std::string sample_value(const json& p, const TempDir& dir) {
  const std::string type = p["type"];
  if (type == "path")
    return p["must_exist"].get<bool>() ? std::string(XRECON_SOURCE_DIR "/models/tomogan-foam-admm.h5")
                                       : dir / (p["name"].get<std::string>() + "-out.h5");
  if (type == "integer" || type == "number") {
    std::ostringstream text;
    text << (type == "integer" ? std::llround(number_in_bounds(p)) : number_in_bounds(p));
    return text.str();
  }
  if (type == "boolean") return "true";
  if (type == "choice") return p["choices"].at(0);
  if (type == "component") return "{plugin: " + p["candidates"].at(0).get<std::string>() + "}";
  return "text";
}

const json& param_named(const json& spec, const std::string& name) {
  for (const json& p : spec["params"])
    if (p["name"] == name) return p;
  throw std::runtime_error("no parameter " + name + " in " + spec["name"].get<std::string>());
}

// Replaces a required parameter's placeholder (`NAME: PLACEHOLDER  # required...` on a line of its
// own, or `NAME: PLACEHOLDER` in the one-line form) by a value; all else stays as printed.
std::string filled(const std::string& line, const json& spec, const TempDir& dir) {
  static const std::regex required(R"(^(\s*)([A-Za-z_0-9]+): \S+  # required.*$)");
  std::smatch m;
  if (std::regex_match(line, m, required))
    return m[1].str() + m[2].str() + ": " + sample_value(param_named(spec, m[2]), dir);
  std::string text = line;
  for (const json& p : spec["params"]) {
    if (!p["required"].get<bool>()) continue;
    const std::regex inline_placeholder("([{ ]" + p["name"].get<std::string>() + ": )[A-Z]+\\b");
    text = std::regex_replace(text, inline_placeholder, "$1" + sample_value(p, dir));
  }
  return text;
}

// Upstream stages that produce a payload kind, from installed stages that need no parameter
// of their own, by a shortest chain (a source, or a stage fed by sources, ...).
class Upstream {
 public:
  // Adds the chain's stages to the pipeline and returns the reference "id.port".
  std::optional<std::string> produce(const std::string& kind, const std::string& consumer) {
    std::optional<Chain> chain = shortest_chain(kind, consumer, 0);
    if (!chain) return std::nullopt;
    stages_.insert(stages_.end(), chain->stages.begin(), chain->stages.end());
    return chain->ref;
  }

  const std::vector<std::string>& stages() const { return stages_; }

 private:
  struct Chain {
    std::vector<std::string> stages;
    std::string ref;
  };

  static bool needs_parameters(const json& s) {
    for (const json& p : s["params"])
      if (p["required"].get<bool>()) return true;
    return false;
  }

  std::optional<Chain> shortest_chain(const std::string& kind, const std::string& consumer, int depth) {
    if (depth > 3) return std::nullopt;
    std::optional<Chain> best;
    for (const std::string& name : components_of(true)) {
      const json& s = installed().specs.at(name);
      if (name == consumer || needs_parameters(s)) continue;
      for (const json& out : s["outputs"]) {
        if (out["kind"] != kind) continue;
        Chain chain;
        std::string inputs;
        bool fed = true;
        for (const json& in : s["inputs"]) {
          if (in["optional"].get<bool>()) continue;
          const std::optional<Chain> feed = shortest_chain(in["kind"], name, depth + 1);
          if (!feed) {
            fed = false;
            break;
          }
          chain.stages.insert(chain.stages.end(), feed->stages.begin(), feed->stages.end());
          inputs += (inputs.empty() ? "" : ", ") + in["name"].get<std::string>() + ": " + feed->ref;
        }
        if (!fed) break;
        const std::string id = "up" + std::to_string(next_id_++);
        chain.stages.push_back("  - {id: " + id + ", plugin: " + name + ", inputs: {" + inputs + "}}");
        chain.ref = id + "." + out["name"].get<std::string>();
        if (!best || chain.stages.size() < best->stages.size()) best = chain;
        break;
      }
    }
    return best;
  }

  std::vector<std::string> stages_;
  int next_id_ = 0;  // ids stay unique across the candidate chains left unused
};

struct Validation {
  std::string pipeline;
  CommandResult result;
};

Validation validate(const std::vector<std::string>& stages, const TempDir& dir, const std::string& name) {
  std::string text = "version: 1\nname: template-" + name + "\ndevices: cpu\nstages:\n";
  for (const std::string& s : stages) text += s + "\n";
  const std::string file = dir / (name + ".yaml");
  std::ofstream(file) << text;
  return {text, run_command(xrecon_command("validate " + file))};
}

// A stage template with its inputs fed (STAGE.PORT -> an upstream stage of the port's kind).
std::vector<std::string> stage_with_inputs(const json& spec, const std::vector<std::string>& lines,
                                           Upstream& upstream, const TempDir& dir) {
  std::vector<std::string> stage;
  for (const std::string& line : lines) {
    const std::size_t port_at = line.find(": STAGE.PORT");
    if (port_at == std::string::npos || line.find('#') != std::string::npos) {
      stage.push_back(filled(line, spec, dir));
      continue;
    }
    const std::string port = line.substr(line.find_first_not_of(' '), port_at - line.find_first_not_of(' '));
    std::string kind;
    for (const json& in : spec["inputs"])
      if (in["name"] == port) kind = in["kind"];
    const auto ref = upstream.produce(kind, spec["name"]);
    if (!ref) throw std::runtime_error("no installed stage produces " + kind);
    stage.push_back(line.substr(0, port_at) + ": " + *ref);
  }
  return stage;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (const std::string& l : lines) text += l + "\n";
  return text;
}

class StageTemplate : public ::testing::TestWithParam<std::string> {};
class RoleTemplate : public ::testing::TestWithParam<std::string> {};

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string name = info.param;
  for (char& c : name)
    if (c == '.') c = '_';
  return name;
}

}  // namespace

TEST_P(StageTemplate, ValidatesAsPrinted) {
  const std::string name = GetParam();
  const CommandResult d = run_command(xrecon_command("describe " + name));
  ASSERT_EQ(d.exit_code, 0) << d.output;
  const std::vector<std::string> lines = template_lines(d.output);
  ASSERT_FALSE(lines.empty()) << d.output;
  EXPECT_EQ(lines.front(), "  - id: " + name.substr(name.find('.') + 1)) << d.output;
  // No value is printed as null: an optional parameter without a default is a commented line.
  EXPECT_EQ(joined(lines).find("null"), std::string::npos) << joined(lines);

  TempDir dir;
  Upstream upstream;
  const std::vector<std::string> stage = stage_with_inputs(installed().specs.at(name), lines, upstream, dir);
  std::vector<std::string> all = upstream.stages();
  all.insert(all.end(), stage.begin(), stage.end());
  const Validation v = validate(all, dir, name);
  EXPECT_EQ(v.result.exit_code, 0) << v.pipeline << "\n" << v.result.output;
}

// A role's block goes into the slot of its first host, here with the host's inputs fed.
TEST_P(RoleTemplate, ValidatesInsideAHost) {
  const std::string name = GetParam();
  const json& role = installed().specs.at(name);
  ASSERT_FALSE(role["hosts"].empty()) << name << " has no installed host";
  const std::string host = role["hosts"][0]["component"], slot = role["hosts"][0]["slot"];
  const CommandResult d = run_command(xrecon_command("describe " + name));
  ASSERT_EQ(d.exit_code, 0) << d.output;
  std::vector<std::string> lines = template_lines(d.output);
  ASSERT_FALSE(lines.empty()) << d.output;
  EXPECT_EQ(lines.front(), "      " + slot + ":") << d.output;
  EXPECT_EQ(lines.at(1), "        plugin: " + name) << d.output;
  EXPECT_EQ(joined(lines).find("null"), std::string::npos) << joined(lines);
  const std::string one_line = one_line_form(d.output);
  EXPECT_EQ(one_line.rfind("      " + slot + ": {plugin: " + name + ", with: {", 0), 0u) << d.output;

  TempDir dir;
  const CommandResult host_description = run_command(xrecon_command("describe " + host));
  std::vector<std::string> host_lines;
  for (const std::string& line : template_lines(host_description.output)) {
    if (line == "    with:") break;  // the host's own parameters keep their defaults
    host_lines.push_back(line);
  }
  for (const std::vector<std::string>& block : {lines, std::vector<std::string>{one_line}}) {
    Upstream upstream;
    std::vector<std::string> stage = stage_with_inputs(installed().specs.at(host), host_lines, upstream, dir);
    stage.push_back("    with:");
    for (const std::string& line : block) stage.push_back(filled(line, role, dir));
    std::vector<std::string> all = upstream.stages();
    all.insert(all.end(), stage.begin(), stage.end());
    const Validation v = validate(all, dir, name);
    EXPECT_EQ(v.result.exit_code, 0) << v.pipeline << "\n" << v.result.output;
  }
}

INSTANTIATE_TEST_SUITE_P(Installed, StageTemplate, ::testing::ValuesIn(components_of(true)), test_name);
INSTANTIATE_TEST_SUITE_P(Installed, RoleTemplate, ::testing::ValuesIn(components_of(false)), test_name);

TEST(DescribeTemplates, EveryKindIsCovered) {
  EXPECT_GE(components_of(true).size(), 20u);
  for (const char* role : {"prior.tv", "prior.tomogan", "tomo.cgls_solver", "ptycho.cg_solver"})
    EXPECT_TRUE(installed().specs.count(role)) << role;
}

TEST(DescribeTemplates, OptionalAndRequiredWithoutDefault) {
  CommandResult r = run_command(xrecon_command("describe tomo.admm"));
  EXPECT_NE(r.output.find("      # report: STRING  # optional\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("      # prior: {plugin: NAME, with: {}}  # optional: a Prior\n"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("      # truth: STAGE.PORT  # optional\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("rho (number) default 1, > 0\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("balance_factor (number) default 2, > 1\n"), std::string::npos) << r.output;
  r = run_command(xrecon_command("describe io.hdf5_writer"));
  EXPECT_NE(r.output.find("      path: PATH  # required\n"), std::string::npos) << r.output;
  r = run_command(xrecon_command("describe tomo.sirt"));
  EXPECT_NE(r.output.find("relaxation (number) default 1, (0, 2]\n"), std::string::npos) << r.output;
  r = run_command(xrecon_command("describe prior.tomogan"));
  EXPECT_NE(r.output.find("          model: PATH  # required\n"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("      prior: {plugin: prior.tomogan, with: {model: PATH, strength: 1, "), std::string::npos)
      << r.output;
}

TEST(DescribeTemplates, JsonHasTypesBoundsPortsAndHosts) {
  const json& sirt = installed().specs.at("tomo.sirt");
  EXPECT_EQ(sirt["name"], "tomo.sirt");
  EXPECT_EQ(sirt["kind"], "stage");
  EXPECT_FALSE(sirt["summary"].get<std::string>().empty());
  EXPECT_EQ(sirt["plugin"]["name"], "tomo");
  const json& relaxation = param_named(sirt, "relaxation");
  EXPECT_EQ(relaxation["type"], "number");
  EXPECT_EQ(relaxation["default"], 1.0);
  EXPECT_EQ(relaxation["required"], false);
  EXPECT_EQ(relaxation["bounds"], json({{"min", 0.0}, {"min_exclusive", true}, {"max", 2.0}, {"max_exclusive", false}}));
  EXPECT_FALSE(relaxation["doc"].get<std::string>().empty());
  EXPECT_TRUE(param_named(sirt, "min")["default"].is_null());
  EXPECT_TRUE(param_named(sirt, "min")["bounds"].is_null());
  EXPECT_EQ(sirt["inputs"], json::parse(R"j([{"name": "projections", "kind": "Projections", "optional": false,
      "flow": "one", "doc": "line integrals (angles, rows, cols)"}])j"));
  EXPECT_EQ(sirt["outputs"][0]["kind"], "Volume");

  const json& fbp_filter = param_named(installed().specs.at("tomo.fbp"), "filter");
  EXPECT_EQ(fbp_filter["type"], "choice");
  EXPECT_EQ(fbp_filter["choices"].at(0), "ram-lak");

  const json& admm = installed().specs.at("tomo.admm");
  EXPECT_EQ(param_named(admm, "tomo")["default"], "tomo.cgls_solver");
  EXPECT_EQ(param_named(admm, "tomo")["role"], "TomoSolver");
  EXPECT_TRUE(param_named(admm, "prior")["default"].is_null());
  EXPECT_NE(param_named(admm, "prior")["candidates"].dump().find("prior.tv"), std::string::npos);
  EXPECT_TRUE(admm["inputs"][1]["optional"].get<bool>());

  const json& tv = installed().specs.at("prior.tv");
  EXPECT_EQ(tv["kind"], "Prior");
  EXPECT_NE(tv["hosts"].dump().find(R"({"component":"tomo.admm","slot":"prior"})"), std::string::npos) << tv["hosts"];
  EXPECT_TRUE(tv["inputs"].empty());
  EXPECT_EQ(param_named(installed().specs.at("prior.tomogan"), "model")["must_exist"], true);
}
