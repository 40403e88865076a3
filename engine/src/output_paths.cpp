#include "xrecon/engine/output_paths.hpp"

#include <unistd.h>

#include <filesystem>
#include <string>

#include "xrecon/engine/pipeline_parser.hpp"

namespace xrecon::engine {
namespace {

namespace fs = std::filesystem;

struct PathUse {
  fs::path path;
  std::size_t stage = 0;
  std::string key;  // the parameter, as written under the stage's `with:` (top level)
};

// Every path parameter of `values` (whose schema is `component`), nested role blocks included;
// `top_key` is the stage-level key the nested ones sit under.
void collect(const ComponentSpec& component, const ParamValues& values, std::size_t stage, const std::string& top_key,
             const PluginRegistry& registry, std::vector<PathUse>& inputs, std::vector<PathUse>& outputs) {
  for (const ParamSpec& p : component.params.specs()) {
    if (!values.has(p.name)) continue;
    const std::string key = top_key.empty() ? p.name : top_key;
    if (p.type == ParamType::path) {
      (p.must_exist ? inputs : outputs).push_back({values.string(p.name), stage, key});
    } else if (p.type == ParamType::component) {
      const ComponentChoice& choice = values.component(p.name);
      if (const ComponentSpec* nested = registry.find(choice.plugin); nested && choice.with)
        collect(*nested, *choice.with, stage, key, registry, inputs, outputs);
    }
  }
}

// Why `path` cannot be written, found before any stage runs; empty when it can (as far as one
// can tell without writing: a full disk is still found only when writing).
std::string unwritable_reason(const fs::path& path) {
  std::error_code ec;
  if (fs::is_directory(path, ec)) return "is a folder; give a file name";
  // The nearest part that exists must be a folder we may write into (the writer makes the rest).
  fs::path folder = fs::absolute(path).parent_path();
  while (!fs::exists(folder, ec) && folder != folder.parent_path()) folder = folder.parent_path();
  if (!fs::is_directory(folder, ec)) return "cannot be made: " + folder.string() + " is a file, not a folder";
  if (::access(folder.c_str(), W_OK | X_OK) != 0) return "cannot be written: folder " + folder.string() + " is not writable";
  return "";
}

fs::path canonical_form(const fs::path& p) {
  std::error_code ec;
  const fs::path c = fs::weakly_canonical(p, ec);
  return ec ? fs::absolute(p).lexically_normal() : c;
}

}  // namespace

void check_outputs_spare_inputs(const PipelineSpec& spec, const std::vector<const ComponentSpec*>& components,
                                const std::vector<const ParamValues*>& params, const PluginRegistry& registry,
                                Diagnostics& diag) {
  std::vector<PathUse> inputs, outputs;
  for (std::size_t i = 0; i < spec.stages.size(); ++i)
    if (components[i] && params[i]) collect(*components[i], *params[i], i, "", registry, inputs, outputs);
  if (!spec.path.empty()) inputs.push_back({spec.path, spec.stages.size(), ""});
  const auto where_of = [&](const PathUse& out) {
    const StageDeclaration& decl = spec.stages[out.stage];
    const YAML::Node node = decl.params && decl.params.IsMap() ? decl.params[out.key] : YAML::Node();
    return node ? location_of(node, spec.path) : decl.params_where;
  };
  for (std::size_t i = 0; i < outputs.size(); ++i) {
    const PathUse& out = outputs[i];
    if (const std::string reason = unwritable_reason(out.path); !reason.empty())
      diag.error(where_of(out), "output '" + out.key + "' of stage '" + spec.stages[out.stage].id + "' (" +
                                    out.path.string() + ") " + reason);
    // Two writers of one file: the second would silently replace the first one's result.
    for (std::size_t j = 0; j < i; ++j)
      if (canonical_form(outputs[j].path) == canonical_form(out.path)) {
        diag.error(where_of(out), "output '" + out.key + "' of stage '" + spec.stages[out.stage].id +
                                      "' is the same file as output '" + outputs[j].key + "' of stage '" +
                                      spec.stages[outputs[j].stage].id + "' (" + out.path.string() +
                                      "); give each writer its own path");
        break;
      }
  }
  for (const PathUse& out : outputs) {
    const fs::path written = canonical_form(out.path);
    for (const PathUse& in : inputs) {
      if (canonical_form(in.path) != written) continue;
      const StageDeclaration& decl = spec.stages[out.stage];
      const YAML::Node node = decl.params && decl.params.IsMap() ? decl.params[out.key] : YAML::Node();
      const SourceLocation where = node ? location_of(node, spec.path) : decl.params_where;
      const std::string what = in.stage == spec.stages.size()
                                   ? "the pipeline file itself"
                                   : "an input of stage '" + spec.stages[in.stage].id + "'";
      diag.error(where, "output '" + out.key + "' of stage '" + decl.id + "' would write over " + what + " (" +
                            out.path.string() + "); choose another path");
      break;
    }
  }
}

}  // namespace xrecon::engine
