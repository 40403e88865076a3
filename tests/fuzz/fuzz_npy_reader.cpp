// Fuzzes the NumPy .npy reader (our own parser of the header) with the bytes of a file, all rows
// and a row range. A damaged or hostile file must end in xrecon::Error; any other exception, a
// crash, a sanitizer report or an allocation beyond what the file's size allows is a finding.
#include <cstddef>
#include <cstdint>

#include "fuzz_input_file.hpp"
#include "npy_reader.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static xrecon::fuzz::FuzzInputFile file(".npy");
  for (const xrecon::io::RowSelection rows : {xrecon::io::RowSelection{}, xrecon::io::RowSelection{1, 2}}) {
    file.read(data, size, [&](const auto& path) { xrecon::io::read_npy(path, rows); });
  }
  return 0;
}
