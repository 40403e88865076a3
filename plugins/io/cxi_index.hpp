#pragma once
// The index of a tomographic series of CXI files: one far-field ptychography scan per angle, as
// io.cxi_writer writes them and io.cxi reads them (joint ptycho-tomography).
//
// A text file, so that one can be written by hand for measured data:
//
//   # xrecon-cxi-index 1
//   # one CXI file per tomographic angle, angles increasing; files relative to this folder
//   # angle_rad  file
//   0                     angle_0000.cxi
//   0.065449846949787352  angle_0001.cxi
//
// The first line is the magic "# xrecon-cxi-index 1". Then one scan per line: the angle in
// radians (xrecon's tomographic angle, tomo/projector.hpp), white space, and the file name (the
// rest of the line; relative names are relative to the index's folder). Blank lines and lines
// starting with '#' are skipped. Angles must increase strictly from line to line; the line order
// is the scans' sequence (0, 1, ...).
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace xrecon::io {

inline constexpr const char* kCxiIndexMagic = "# xrecon-cxi-index 1";

struct CxiIndexEntry {
  double angle = 0;             // radians
  std::filesystem::path file;   // resolved against the index's folder
  std::size_t line = 0;         // 1-based line of the index, for messages
};

// True when the file starts with the magic line (an index rather than a CXI file).
bool is_cxi_index(const std::filesystem::path& path);

// InputError "INDEX:LINE: ..." for a line that is not "angle file", an angle that is not finite
// or not above the previous one, and "INDEX: ..." for a missing magic or an index with no scan.
// Files are not opened here.
std::vector<CxiIndexEntry> read_cxi_index(const std::filesystem::path& index);

// The index text for these entries in this order (files written relative to `index_folder` when
// they lie inside it); angles printed so that they read back exactly.
std::string cxi_index_text(const std::vector<CxiIndexEntry>& entries, const std::filesystem::path& index_folder);

}  // namespace xrecon::io
