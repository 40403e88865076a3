#include "xrecon/engine/pipeline_parser.hpp"

#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "xrecon/engine/diagnostics.hpp"
#include "yaml_documents.hpp"

namespace xrecon::engine {

SourceLocation location_of(const YAML::Node& node, const std::string& file) {
  const YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0) return {file + " (--set)", 0, 0};
  return {file, mark.line + 1, mark.column + 1};
}

namespace {
std::string describe_node_type(const YAML::Node& node);
}  // namespace

std::string key_text(const YAML::Node& key) {
  return key.IsScalar() ? key.Scalar() : "(" + describe_node_type(key) + ")";
}

namespace {

const std::regex& identifier() {
  static const std::regex re("[A-Za-z_][A-Za-z0-9_]*");
  return re;
}

std::string describe_node_type(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: return "a map";
    case YAML::NodeType::Sequence: return "a list";
    case YAML::NodeType::Scalar: return "'" + node.Scalar() + "'";
    case YAML::NodeType::Null: return "nothing";
    default: return "an undefined value";
  }
}

// Reports keys of `map` outside `allowed`; the message lists what is allowed.
void reject_unknown_keys(const YAML::Node& map, const std::set<std::string>& allowed, const std::string& what,
                         const std::string& file, Diagnostics& diag) {
  for (const auto& kv : map) {
    const std::string key = key_text(kv.first);
    if (allowed.count(key)) continue;
    std::string list;
    for (const std::string& a : allowed) list += (list.empty() ? "" : ", ") + a;
    diag.error(location_of(kv.first, file), "unknown key '" + key + "' in " + what + " (expected one of: " + list + ")");
  }
}

// YAML maps with a repeated key are accepted by yaml-cpp, which then answers lookups with one of
// the values: a pipeline that says `iterations: 10` and later `iterations: 500` would run one of
// them without a word. Every map of the file, at any depth, is checked.
void reject_duplicate_keys(const YAML::Node& node, const std::string& file, Diagnostics& diag) {
  if (node.IsSequence()) {
    for (const YAML::Node& item : node) reject_duplicate_keys(item, file, diag);
    return;
  }
  if (!node.IsMap()) return;
  std::map<std::string, SourceLocation> seen;
  for (const auto& kv : node) {
    if (!kv.first.IsScalar()) {
      diag.error(location_of(kv.first, file), "a key must be a name, found " + describe_node_type(kv.first));
    } else {
      const std::string key = kv.first.Scalar();
      const SourceLocation where = location_of(kv.first, file);
      if (const auto it = seen.find(key); it != seen.end())
        diag.error(where, "key '" + key + "' appears twice in the same map (first at " + it->second.to_string() +
                              "); YAML would silently keep one of the two values");
      else
        seen.emplace(key, where);
    }
    reject_duplicate_keys(kv.second, file, diag);
  }
}

bool scalar_string(const YAML::Node& node, const std::string& what, const std::string& file, Diagnostics& diag,
                   std::string& out) {
  if (!node || !node.IsScalar()) {
    diag.error(location_of(node, file), what + " must be a string, found " + describe_node_type(node));
    return false;
  }
  out = node.Scalar();
  return true;
}

PortReference parse_reference(const YAML::Node& node, const std::string& file, Diagnostics& diag) {
  PortReference ref;
  ref.where = location_of(node, file);
  std::string text;
  if (!scalar_string(node, "an input reference", file, diag, text)) return ref;
  const auto dot = text.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) {
    diag.error(ref.where, "input reference '" + text + "' must be written 'stage.port'");
    return ref;
  }
  ref.stage = text.substr(0, dot);
  ref.port = text.substr(dot + 1);
  return ref;
}

// A copy without source marks, so messages about an overridden value point at --set and not at
// line 1 of the little document the value was parsed from.
YAML::Node without_marks(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Scalar: return YAML::Node(node.Scalar());
    case YAML::NodeType::Sequence: {
      YAML::Node out(YAML::NodeType::Sequence);
      for (const YAML::Node& item : node) out.push_back(without_marks(item));
      return out;
    }
    case YAML::NodeType::Map: {
      YAML::Node out(YAML::NodeType::Map);
      for (const auto& kv : node) out[kv.first.Scalar()] = without_marks(kv.second);
      return out;
    }
    default: return YAML::Node();
  }
}

// "recon.prior.with": the override's path up to and including key `i`, for messages.
std::string path_text(const ParamOverride& o, std::size_t i) {
  std::string text = o.stage;
  for (std::size_t k = 0; k <= i; ++k) text += "." + o.key_path[k];
  return text;
}

// Sets key_path[i..] below `map`, making the maps on the way. A role slot in its short form
// (`prior: prior.tv`) becomes `{plugin: prior.tv}` when the path enters it through `plugin` or
// `with`, so that `--set recon.prior.with.strength=0.5` keeps the chosen plugin. Recursion gives
// each level its own Node: assigning to a yaml-cpp Node rebinds the node it refers to.
void set_path(YAML::Node map, const ParamOverride& o, std::size_t i, const YAML::Node& value) {
  const std::string& key = o.key_path[i];
  if (i + 1 == o.key_path.size()) {
    map[key] = value;
    return;
  }
  const std::string& next = o.key_path[i + 1];
  const YAML::Node child = map[key];
  if (!child || child.IsNull()) {
    map[key] = YAML::Node(YAML::NodeType::Map);
  } else if (child.IsScalar() && (next == "plugin" || next == "with")) {
    YAML::Node block(YAML::NodeType::Map);
    block["plugin"] = child;  // the original node: a bad name is still reported at its line
    map[key] = block;
  } else if (!child.IsMap()) {
    std::string message = "--set " + o.text + ": '" + path_text(o, i) + "' is " + describe_node_type(child) +
                          ", not a map, so it has no '" + next + "'";
    if (child.IsScalar() && key != "with")  // a role slot in its short form
      message += " (a role slot's parameters go under 'with': " + path_text(o, i) + ".with." + next + ")";
    throw InputError(message);
  }
  set_path(map[key], o, i + 1, value);
}

void apply_override(YAML::Node root, const ParamOverride& o) {
  YAML::Node stages = root["stages"];
  if (!stages || !stages.IsSequence()) throw InputError("--set " + o.text + ": the pipeline has no stages");
  for (YAML::Node stage : stages) {
    if (!stage.IsMap() || !stage["id"] || !stage["id"].IsScalar() || stage["id"].Scalar() != o.stage) continue;
    if (!stage["with"] || stage["with"].IsNull()) stage["with"] = YAML::Node(YAML::NodeType::Map);
    if (!stage["with"].IsMap()) return;  // reported with its line by parse_stage
    YAML::Node value;
    try {
      value = YAML::Load(o.value);
    } catch (const YAML::Exception& e) {
      throw InputError("--set " + o.text + ": the value is not valid YAML: " + e.msg);
    }
    set_path(stage["with"], o, 0, without_marks(value));
    return;
  }
  throw InputError("--set " + o.text + ": the pipeline has no stage '" + o.stage + "'");
}

StageDeclaration parse_stage(const YAML::Node& node, const std::string& file, Diagnostics& diag) {
  StageDeclaration s;
  s.where = location_of(node, file);
  if (!node.IsMap()) {
    diag.error(s.where, "a stage must be a map with 'id' and 'plugin', found " + describe_node_type(node));
    return s;
  }
  reject_unknown_keys(node, {"id", "plugin", "inputs", "with"}, "a stage", file, diag);
  if (!node["id"]) diag.error(s.where, "stage is missing the required key 'id'");
  else if (scalar_string(node["id"], "'id'", file, diag, s.id) && !std::regex_match(s.id, identifier()))
    diag.error(location_of(node["id"], file), "stage id '" + s.id + "' must be letters, digits and '_'");
  if (!node["plugin"]) diag.error(s.where, "stage '" + s.id + "' is missing the required key 'plugin'");
  else {
    s.component_where = location_of(node["plugin"], file);
    scalar_string(node["plugin"], "'plugin'", file, diag, s.component);
  }
  if (const YAML::Node inputs = node["inputs"]; inputs && !inputs.IsNull()) {
    if (!inputs.IsMap()) {
      diag.error(location_of(inputs, file), "'inputs' must map input ports to 'stage.port'");
    } else {
      for (const auto& kv : inputs) {
        const std::string port = key_text(kv.first);
        s.inputs[port] = parse_reference(kv.second, file, diag);
        s.input_where[port] = location_of(kv.first, file);
      }
    }
  }
  if (const YAML::Node with = node["with"]; with && !with.IsNull()) {
    s.params_where = location_of(with, file);
    if (!with.IsMap()) diag.error(s.params_where, "'with' must be a map of parameters, found " + describe_node_type(with));
    else s.params = with;
  } else {
    s.params_where = s.where;
  }
  return s;
}

}  // namespace

ParamOverride parse_override(const std::string& text) {
  static const std::regex re(R"(([A-Za-z_][A-Za-z0-9_]*)\.([A-Za-z_][A-Za-z0-9_.]*)=(.*))");
  std::smatch m;
  if (!std::regex_match(text, m, re))
    throw InputError("--set '" + text + "': expected stage.param=value (e.g. recon.iterations=10)");
  ParamOverride o{m[1], {}, m[3], text};
  std::stringstream keys(m[2]);
  for (std::string k; std::getline(keys, k, '.');) {
    if (k.empty()) throw InputError("--set '" + text + "': empty key between dots");
    o.key_path.push_back(k);
  }
  return o;
}

PipelineSpec parse_pipeline_file(const std::string& path, const std::vector<ParamOverride>& overrides) {
  std::ifstream in(path);
  if (!in) throw InputError("cannot open pipeline file '" + path + "'");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_pipeline_text(buffer.str(), path, overrides);
}

PipelineSpec parse_pipeline_text(const std::string& text, const std::string& path,
                                 const std::vector<ParamOverride>& overrides) {
  PipelineSpec spec;
  spec.path = path;
  spec.text = text;
  YAML::Node root;
  try {
    // A second document (after `---`) would be ignored: two pipelines pasted into one file, or a
    // stray separator, must not run as whichever came first. Counted up to 100.
    const std::vector<YAML::Mark> documents = yaml_document_starts(text, 100);
    if (documents.size() > 1)
      throw InputError("error: the file holds " +
                           (documents.size() == 100 ? std::string("100 or more") : std::to_string(documents.size())) +
                           " YAML documents (separated by '---'); a pipeline file holds exactly one",
                       SourceLocation{path, documents[1].line + 1, documents[1].column + 1}.to_string());
    if (!documents.empty()) root = YAML::Load(text);
  } catch (const YAML::ParserException& e) {
    throw InputError("error: invalid YAML: " + e.msg,
                     SourceLocation{path, e.mark.line + 1, e.mark.column + 1}.to_string());
  }
  Diagnostics diag;
  reject_duplicate_keys(root, path, diag);
  if (!root.IsMap()) {
    diag.error({path, 1, 1}, "a pipeline file must be a map with 'version' and 'stages'");
    diag.throw_if_any();
  }
  for (const ParamOverride& o : overrides) {
    apply_override(root, o);
    spec.text += "\n# --set " + o.text;
  }
  reject_unknown_keys(root, {"version", "name", "devices", "communicator", "stages"}, "the pipeline", path, diag);
  if (!root["version"]) {
    diag.error({path, 1, 1}, "missing the required key 'version' (this engine reads version: 1)");
  } else if (!root["version"].IsScalar() || root["version"].Scalar() != "1") {
    diag.error(location_of(root["version"], path),
               "unsupported pipeline version " + describe_node_type(root["version"]) + " (this engine reads version: 1)");
  }
  if (root["name"]) scalar_string(root["name"], "'name'", path, diag, spec.name);
  if (root["devices"]) {
    spec.devices_where = location_of(root["devices"], path);
    scalar_string(root["devices"], "'devices'", path, diag, spec.devices);
  }
  if (root["communicator"]) {
    spec.communicator_where = location_of(root["communicator"], path);
    scalar_string(root["communicator"], "'communicator'", path, diag, spec.communicator);
  }
  const YAML::Node stages = root["stages"];
  if (!stages) {
    diag.error({path, 1, 1}, "missing the required key 'stages' (a list of stages)");
  } else if (!stages.IsSequence() || stages.size() == 0) {
    diag.error(location_of(stages, path), "'stages' must be a non-empty list of stages");
  } else {
    std::map<std::string, SourceLocation> seen;
    for (const YAML::Node& node : stages) {
      StageDeclaration s = parse_stage(node, path, diag);
      if (!s.id.empty()) {
        if (auto it = seen.find(s.id); it != seen.end())
          diag.error(s.where, "stage id '" + s.id + "' is used twice (first at " + it->second.to_string() + ")");
        seen[s.id] = s.where;
      }
      spec.stages.push_back(std::move(s));
    }
  }
  diag.throw_if_any();
  return spec;
}

}  // namespace xrecon::engine
