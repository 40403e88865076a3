#include "npy_format.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <optional>
#include <utility>
#include <xrecon/error.hpp>

namespace xrecon::io {
namespace {

constexpr std::string_view kMagic = "\x93NUMPY";

[[noreturn]] void fail(const std::filesystem::path& file, const std::string& what) {
  throw InputError(file.string() + ": " + what);
}

// The dtypes np.save writes for the arrays we read; '|' is NumPy's "byte order not applicable".
constexpr std::array<std::pair<std::string_view, SampleType>, 10> kDescrs{{
    {"<f4", SampleType::float32},
    {"<f8", SampleType::float64},
    {"|u1", SampleType::uint8},
    {"<u1", SampleType::uint8},
    {"|i1", SampleType::int8},
    {"<i1", SampleType::int8},
    {"<u2", SampleType::uint16},
    {"<i2", SampleType::int16},
    {"<u4", SampleType::uint32},
    {"<i4", SampleType::int32},
}};

SampleType sample_type(const std::string& descr, const std::filesystem::path& file) {
  for (const auto& [name, type] : kDescrs)
    if (descr == name) return type;
  if (!descr.empty() && descr.front() == '>')
    fail(file, "holds big-endian values (dtype '" + descr + "'); save them little-endian: np.save(path, a.astype('<" +
                   descr.substr(1) + "'))");
  fail(file, "has dtype '" + descr +
                 "', which is not read: expected little-endian float32, float64, uint8, int8, uint16, int16, "
                 "uint32 or int32 ('<f4', '<f8', '|u1', '|i1', '<u2', '<i2', '<u4', '<i4')");
}

// A cursor over the header's dict literal. Python's grammar is not needed: np.save writes the
// dict with repr(), so quoted keys, True/False and a tuple of integers are all that can appear.
class DictParser {
 public:
  DictParser(std::string_view text, const std::filesystem::path& file) : text_(text), file_(file) {}

  NpyHeader parse() {
    expect('{', "the header to be a dict");
    std::optional<std::string> descr;
    std::optional<bool> fortran_order;
    std::optional<std::vector<std::size_t>> shape;
    while (!take('}')) {
      const std::string key = quoted("a key");
      expect(':', "':' after '" + key + "'");
      if (key == "descr" && !descr)
        descr = quoted("'descr' to be a dtype string such as '<f4'");
      else if (key == "fortran_order" && !fortran_order)
        fortran_order = boolean();
      else if (key == "shape" && !shape)
        shape = tuple();
      else if (key == "descr" || key == "fortran_order" || key == "shape")
        fail_here("has the key '" + key + "' twice");
      else
        fail_here("has the key '" + key + "', expected only 'descr', 'fortran_order' and 'shape'");
      if (!take(',')) {
        expect('}', "',' or '}' after the value of '" + key + "'");
        break;
      }
    }
    skip_blanks();
    if (pos_ != text_.size()) fail_here("has text after the dict's closing '}'");
    if (!descr || !fortran_order || !shape)
      fail(file_, std::string("has no '") +
                      (!descr           ? "descr"
                       : !fortran_order ? "fortran_order"
                                        : "shape") +
                      "' in its header dict");
    NpyHeader header;
    header.type = sample_type(*descr, file_);
    header.descr = *descr;
    header.fortran_order = *fortran_order;
    header.shape = std::move(*shape);
    return header;
  }

 private:
  [[noreturn]] void fail_here(const std::string& what) const {
    fail(file_, "the .npy header " + what + " (at character " + std::to_string(pos_) + " of '" +
                    std::string(text_.substr(0, 200)) + "')");
  }
  void skip_blanks() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' || text_[pos_] == '\n')) ++pos_;
  }
  bool take(char c) {
    skip_blanks();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }
  void expect(char c, const std::string& what) {
    if (!take(c)) fail_here("is not what np.save writes: expected " + what);
  }
  std::string quoted(const std::string& what) {
    skip_blanks();
    const char quote = pos_ < text_.size() ? text_[pos_] : '\0';
    if (quote != '\'' && quote != '"') fail_here("is not what np.save writes: expected " + what);
    const std::size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) fail_here("has a string without its closing quote");
    std::string value(text_.substr(pos_ + 1, end - pos_ - 1));
    if (value.find('\\') != std::string::npos) fail_here("has an escape sequence in a string");
    pos_ = end + 1;
    return value;
  }
  bool boolean() {
    skip_blanks();
    for (const auto& [word, value] : {std::pair{std::string_view("True"), true}, {std::string_view("False"), false}})
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return value;
      }
    fail_here("gives 'fortran_order' a value that is neither True nor False");
  }
  std::vector<std::size_t> tuple() {
    expect('(', "'shape' to be a tuple such as (180, 256)");
    std::vector<std::size_t> extents;
    while (!take(')')) {
      skip_blanks();
      std::size_t value = 0;
      const auto [stop, error] = std::from_chars(text_.data() + pos_, text_.data() + text_.size(), value);
      if (error != std::errc()) fail_here("has a shape entry that is not a non-negative integer");
      pos_ = std::size_t(stop - text_.data());
      extents.push_back(value);
      if (!take(',')) {
        expect(')', "',' or ')' in 'shape'");
        break;
      }
    }
    return extents;
  }

  std::string_view text_;
  const std::filesystem::path& file_;
  std::size_t pos_ = 0;
};

std::uint64_t little_endian(std::string_view bytes, std::size_t offset, std::size_t width) {
  std::uint64_t value = 0;
  for (std::size_t i = 0; i < width; ++i)
    value |= std::uint64_t(static_cast<unsigned char>(bytes[offset + i])) << (8 * i);
  return value;
}

std::string shape_text(const std::vector<std::size_t>& shape) {
  std::string text = "(";
  for (std::size_t i = 0; i < shape.size(); ++i) text += (i ? ", " : "") + std::to_string(shape[i]);
  return text + (shape.size() == 1 ? ",)" : ")");
}

}  // namespace

NpyHeader parse_npy_dict(std::string_view text, const std::filesystem::path& file) {
  return DictParser(text, file).parse();
}

std::size_t npy_header_extent(std::string_view preamble, const std::filesystem::path& file) {
  if (preamble.substr(0, 2) == "PK")
    fail(file, "is a zip archive (np.savez writes .npz files so), not a .npy file: save the array with np.save");
  if (preamble.substr(0, kMagic.size()) != kMagic)
    fail(file, "is not a .npy file: it does not start with NumPy's magic string \\x93NUMPY");
  if (preamble.size() < 10) fail(file, "is not a .npy file: it ends inside the NumPy preamble");
  const int major = static_cast<unsigned char>(preamble[6]);
  const int minor = static_cast<unsigned char>(preamble[7]);
  if (major < 1 || major > 3 || minor != 0)
    fail(file, "has .npy format version " + std::to_string(major) + "." + std::to_string(minor) +
                   ", expected 1.0, 2.0 or 3.0");
  // Version 1.0 stores the header's length in 2 bytes, 2.0 and 3.0 in 4.
  const std::size_t width = major == 1 ? 2 : 4;
  if (preamble.size() < 8 + width) fail(file, "is not a .npy file: it ends inside the NumPy preamble");
  const std::uint64_t length = little_endian(preamble, 8, width);
  if (length > kMaxNpyHeaderBytes)
    fail(file, "has a .npy header of " + std::to_string(length) + " bytes, more than the " +
                   std::to_string(kMaxNpyHeaderBytes) + " an array of numbers needs");
  return 8 + width + std::size_t(length);
}

NpyHeader parse_npy_header(std::string_view bytes, std::uint64_t file_size, const std::filesystem::path& file) {
  const std::size_t extent = npy_header_extent(bytes, file);
  if (extent > file_size || extent > bytes.size())
    fail(file, "is truncated: its .npy header ends at byte " + std::to_string(extent) + " but the file has " +
                   std::to_string(file_size) + " bytes");
  const std::size_t start = bytes[6] == 1 ? 10 : 12;
  std::string_view text = bytes.substr(start, extent - start);
  if (text.empty() || text.back() != '\n') fail(file, "has a .npy header that does not end in a newline");
  NpyHeader header = parse_npy_dict(text, file);
  header.major_version = bytes[6];
  header.data_offset = extent;

  std::uint64_t count = 1;
  for (std::size_t length : header.shape) {
    if (length != 0 && count > std::numeric_limits<std::uint64_t>::max() / length)
      fail(file, "has shape " + shape_text(header.shape) + ", too large to address");
    count *= length;
  }
  const std::uint64_t item = sample_bytes(header.type);
  if (count > (std::numeric_limits<std::uint64_t>::max() - extent) / item)
    fail(file, "has shape " + shape_text(header.shape) + ", too large to address");
  header.data_bytes = count * item;
  const std::uint64_t found = file_size - extent;
  if (found != header.data_bytes)
    fail(file, std::string(found < header.data_bytes ? "is truncated" : "has bytes after its array") + ": shape " +
                   shape_text(header.shape) + " of " + to_string(header.type) + " takes " +
                   std::to_string(header.data_bytes) + " bytes after the " + std::to_string(extent) +
                   "-byte header, the file holds " + std::to_string(found));
  return header;
}

}  // namespace xrecon::io
