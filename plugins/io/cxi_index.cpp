#include "cxi_index.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include <xrecon/error.hpp>

namespace xrecon::io {
namespace {

std::string trimmed(const std::string& text) {
  const std::size_t begin = text.find_first_not_of(" \t\r");
  if (begin == std::string::npos) return {};
  const std::size_t end = text.find_last_not_of(" \t\r");
  return text.substr(begin, end - begin + 1);
}

std::string exact_number(double value) {
  char text[40];
  std::snprintf(text, sizeof text, "%.17g", value);
  return text;
}

// `file` relative to `folder` when it lies inside it, else absolute.
std::string listed_name(const std::filesystem::path& file, const std::filesystem::path& folder) {
  const std::filesystem::path absolute_file = std::filesystem::absolute(file).lexically_normal();
  const std::filesystem::path absolute_folder = std::filesystem::absolute(folder).lexically_normal();
  const std::filesystem::path relative = absolute_file.lexically_relative(absolute_folder);
  if (relative.empty() || *relative.begin() == "..") return absolute_file.string();
  return relative.string();
}

}  // namespace

bool is_cxi_index(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::string first;
  if (!in || !std::getline(in, first)) return false;
  return trimmed(first) == kCxiIndexMagic;
}

std::vector<CxiIndexEntry> read_cxi_index(const std::filesystem::path& index) {
  std::ifstream in(index);
  if (!in) throw InputError("cannot open the CXI index", index.string());
  std::string line;
  if (!std::getline(in, line) || trimmed(line) != kCxiIndexMagic)
    throw InputError("is not a CXI index: its first line must be '" + std::string(kCxiIndexMagic) + "'",
                     index.string());
  const std::filesystem::path folder = index.parent_path();
  std::vector<CxiIndexEntry> entries;
  for (std::size_t number = 2; std::getline(in, line); ++number) {
    const std::string text = trimmed(line);
    if (text.empty() || text.front() == '#') continue;
    const std::string where = index.string() + ":" + std::to_string(number);
    const std::size_t gap = text.find_first_of(" \t");
    const std::string angle_text = text.substr(0, gap);
    const std::string file = gap == std::string::npos ? std::string() : trimmed(text.substr(gap));
    errno = 0;
    char* end = nullptr;
    const double angle = std::strtod(angle_text.c_str(), &end);
    if (end != angle_text.c_str() + angle_text.size() || errno == ERANGE || !std::isfinite(angle))
      throw InputError("'" + angle_text + "' is not an angle in radians; expected 'ANGLE FILE'", where);
    if (file.empty()) throw InputError("names no file after the angle; expected 'ANGLE FILE'", where);
    if (!entries.empty() && !(angle > entries.back().angle))
      throw InputError("angle " + exact_number(angle) + " rad (" + file + ") is not above the angle " +
                           exact_number(entries.back().angle) + " rad of line " + std::to_string(entries.back().line) +
                           " (" + entries.back().file.filename().string() +
                           "): angles must increase strictly, one scan per angle",
                       where);
    const std::filesystem::path listed(file);
    entries.push_back({angle, listed.is_absolute() ? listed : folder / listed, number});
  }
  if (entries.empty()) throw InputError("lists no scan", index.string());
  return entries;
}

std::string cxi_index_text(const std::vector<CxiIndexEntry>& entries, const std::filesystem::path& index_folder) {
  std::string text = std::string(kCxiIndexMagic) + "\n";
  text += "# one CXI file per tomographic angle, angles increasing; files relative to this folder\n";
  text += "# angle_rad  file\n";
  for (const CxiIndexEntry& entry : entries)
    text += exact_number(entry.angle) + "  " + listed_name(entry.file, index_folder) + "\n";
  return text;
}

}  // namespace xrecon::io
