// Fuzzes the pipeline file parser (parse_pipeline_text) and the parameter binder on every stage's
// `with:` map, bound against a schema of each parameter kind the binder handles apart from role
// slots (those need the shipped plugins). A pipeline file's faults must end in xrecon::Error
// (InputError with file:line:col); any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>
#include <string>

#include <xrecon/component.hpp>
#include <xrecon/error.hpp>

#include "xrecon/engine/diagnostics.hpp"
#include "xrecon/engine/param_binding.hpp"
#include "xrecon/engine/pipeline_parser.hpp"
#include "xrecon/engine/plugin_registry.hpp"

namespace {

xrecon::ComponentSpec fuzz_component() {
  xrecon::ComponentSpec spec;
  spec.name = "fuzz.stage";
  spec.params.integer("iterations", 10, "count", 1, 1000)
      .real("relaxation", 1.0, "factor", 0.0, 2.0)
      .positive()
      .real("center", std::nullopt, "column")
      .boolean("circle", false, "flag")
      .string("label", std::string("x"), "text")
      .choice("filter", "ramp", {"ramp", "hann", "shepp"}, "choice")
      .output_file("path", std::string("out/fuzz.h5"), "output");
  return spec;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const xrecon::ComponentSpec component = fuzz_component();
  static const xrecon::engine::PluginRegistry registry;
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const xrecon::engine::PipelineSpec spec = xrecon::engine::parse_pipeline_text(text, "fuzz.yaml");
    for (const auto& stage : spec.stages) {
      xrecon::engine::Diagnostics diag;
      xrecon::engine::bind_params(component, stage.params, stage.params_where, spec.path, registry, diag);
    }
  } catch (const xrecon::Error&) {
    // The expected outcome for a bad file.
  }
  return 0;
}
