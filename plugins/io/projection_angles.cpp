#include "projection_angles.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <numbers>
#include <string_view>
#include <xrecon/error.hpp>

namespace xrecon::io {
namespace {

// Radians of a full turn and a little: angle files written in radians stay within it.
constexpr double kRadianLimit = 2 * std::numbers::pi + 1e-6;

[[noreturn]] void fail_at(const std::filesystem::path& file, std::size_t line, const std::string& what) {
  throw InputError(file.string() + ":" + std::to_string(line) + ": " + what);
}

double parse_number(std::string_view word, const std::filesystem::path& file, std::size_t line) {
  double value = 0;
  const char* end = word.data() + word.size();
  // from_chars rejects a leading '+', which numpy.savetxt never writes but a person might.
  const char* begin = word.size() > 1 && word.front() == '+' ? word.data() + 1 : word.data();
  const auto [stop, error] = std::from_chars(begin, end, value);
  const std::string quoted = std::string(1, '\'').append(word).append(1, '\'');
  if (error != std::errc() || stop != end)
    fail_at(file, line, quoted + " is not a number (expected angles, blanks or commas between)");
  if (!std::isfinite(value)) fail_at(file, line, "angle " + quoted + " is not finite");
  return value;
}

bool is_separator(char c) { return c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

std::vector<double> read_angle_file(const std::filesystem::path& file) {
  std::ifstream in(file);
  if (!in) throw InputError(file.string() + ": cannot open the angle file");
  std::vector<double> values;
  std::string text;
  for (std::size_t line = 1; std::getline(in, text); ++line) {
    std::string_view rest(text);
    rest = rest.substr(0, rest.find('#'));
    while (!rest.empty()) {
      const auto begin = std::find_if_not(rest.begin(), rest.end(), is_separator);
      const auto end = std::find_if(begin, rest.end(), is_separator);
      if (begin != end) values.push_back(parse_number(std::string_view(begin, end), file, line));
      rest = std::string_view(end, rest.end());
    }
  }
  if (in.bad()) throw InputError(file.string() + ": reading the angle file failed");
  if (values.empty()) throw InputError(file.string() + ": holds no angles");
  return values;
}

ProjectionAngles projection_angles(const AngleOptions& options, std::size_t count,
                                   const std::filesystem::path& data_file) {
  ProjectionAngles result;
  std::vector<double> values;
  const bool from_file = !options.file.empty();
  if (from_file) {
    values = read_angle_file(options.file);
    if (values.size() != count)
      throw InputError(options.file.string() + ": holds " + std::to_string(values.size()) + " angles, expected " +
                       std::to_string(count) + " (one per projection of " + data_file.string() + ")");
    result.origin = options.file.string();
  } else {
    // tomopy.angles(n, start, end): numpy.linspace with the end included.
    values.resize(count);
    const double step = count > 1 ? (options.end - options.start) / double(count - 1) : 0.0;
    for (std::size_t i = 0; i < count; ++i) values[i] = options.start + step * double(i);
    if (count > 1) values.back() = options.end;
    result.origin = "theta_start..theta_end";
  }

  switch (options.units) {
    case AngleUnits::degrees:
      result.in_degrees = true;
      result.units_source = "theta_units: degrees";
      break;
    case AngleUnits::radians:
      result.in_degrees = false;
      result.units_source = "theta_units: radians";
      break;
    case AngleUnits::automatic:
      if (!from_file) {
        result.in_degrees = true;
        result.units_source = "auto: theta_start and theta_end are degrees, as tomopy.angles takes them";
      } else {
        const double largest = std::fabs(*std::max_element(
            values.begin(), values.end(), [](double a, double b) { return std::fabs(a) < std::fabs(b); }));
        result.in_degrees = largest > kRadianLimit;
        result.units_source = result.in_degrees
                                  ? "auto: values up to " + std::to_string(largest) + ", beyond 2 pi"
                                  : "auto: every value within 2 pi; set theta_units: degrees if they are degrees";
      }
      break;
  }
  if (result.in_degrees)
    for (double& v : values) v *= std::numbers::pi / 180.0;
  result.radians = std::move(values);
  return result;
}

}  // namespace xrecon::io
