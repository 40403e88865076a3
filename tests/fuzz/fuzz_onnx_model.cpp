// Fuzzes the learned prior's ONNX importer (docs/model-file.md, "ONNX import"). A damaged or
// hostile model must end in xrecon::Error (InputError naming the file and the node), also when it
// declares sizes beyond memory; any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include <xrecon/prior/model.hpp>

#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xrecon::fuzz::FuzzInputFile file(".onnx");
  file.read(data, size, [](const auto& path) { xrecon::prior::load_onnx_model(path); });
  return 0;
}
