// Fuzzes the Data Exchange reader with the bytes of an HDF5 file, normalised (flats and darks
// averaged, -log) and raw. A damaged or hostile file must end in xrecon::Error; any other
// exception, a crash or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "dxchange_reader.hpp"
#include "fuzz_input_file.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xrecon::fuzz::FuzzInputFile file(".h5");
  xrecon::io::DxchangeOptions raw;
  raw.normalize = false;
  raw.minus_log = false;
  for (const auto& options : {xrecon::io::DxchangeOptions{}, raw}) {
    file.read(data, size, [&](const auto& path) { xrecon::io::read_dxchange(path, options); });
  }
  return 0;
}
