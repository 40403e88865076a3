// Fuzzes the learned prior's HDF5 model file loader (docs/model-file.md). A damaged or hostile
// model must end in xrecon::Error (InputError naming the file, layer and tensor), also when it
// declares sizes beyond memory; any other exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include <xrecon/prior/model.hpp>

#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xrecon::fuzz::FuzzInputFile file(".h5");
  file.read(data, size, [](const auto& path) { xrecon::prior::load_model(path); });
  return 0;
}
