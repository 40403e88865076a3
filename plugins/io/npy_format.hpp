#pragma once
// The header of a NumPy .npy file (format versions 1.0, 2.0 and 3.0, numpy/lib/format.py's
// layout): the magic "\x93NUMPY", the version, the header's length, then a Python dict literal
// {'descr': '<f4', 'fortran_order': False, 'shape': (180, 256), } padded with blanks to a newline.
// Only what np.save writes for a plain array of the sample types is accepted.
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "sample_types.hpp"

namespace xrecon::io {

// Bytes a header may take; np.save writes about a hundred for the arrays we read, and NumPy
// itself refuses headers over 10000 bytes unless told otherwise.
inline constexpr std::size_t kMaxNpyHeaderBytes = 65536;

struct NpyHeader {
  int major_version = 1;
  SampleType type = SampleType::float32;
  std::string descr;           // as written, e.g. "<f4"
  bool fortran_order = false;  // column-major: the first index varies fastest
  std::vector<std::size_t> shape;
  std::size_t data_offset = 0;   // where the array's bytes start
  std::uint64_t data_bytes = 0;  // what the shape and type make
};

// Parses the dict of a header (the text after the length field). InputError "FILE: ..." naming
// the rule broken: not a dict, a missing or unknown key, a dtype we do not read (big-endian,
// structured, complex, ...), a shape that is not a tuple of integers.
NpyHeader parse_npy_dict(std::string_view text, const std::filesystem::path& file);

// Reads and checks the whole header from the start of `bytes` (the file's first bytes, at least
// as many as the header takes): magic, version, length inside the file (`file_size`), the dict,
// and that the file holds exactly the array's bytes after it (a truncated file names the bytes
// expected and found).
NpyHeader parse_npy_header(std::string_view bytes, std::uint64_t file_size, const std::filesystem::path& file);

// How many bytes of the file parse_npy_header may need to see: the preamble, then the length it
// states (read from `preamble`, its first 12 bytes or fewer).
std::size_t npy_header_extent(std::string_view preamble, const std::filesystem::path& file);

}  // namespace xrecon::io
