// Fuzzes the CXI reader with the bytes of an HDF5 file. A damaged or hostile file must end in
// xrecon::Error (InputError "FILE: DATASET ..."); any other exception, a crash or a sanitizer
// report is a finding.
#include <cstddef>
#include <cstdint>

#include "cxi_reader.hpp"
#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xrecon::fuzz::FuzzInputFile file(".cxi");
  file.read(data, size, [](const auto& path) { xrecon::io::read_cxi(path); });
  return 0;
}
