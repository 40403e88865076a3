#pragma once
// The log line every projection reader writes after reading, in the same words for each:
// "read FILE: 180 projections x 4 rows (8..12 of 64) x 256 cols" and
// "theta 0.00..179.00 deg (theta.txt in degrees, its units attribute 'deg')".
#include <algorithm>
#include <cstddef>
#include <filesystem>
#include <numbers>
#include <string>

#include <xrecon/payload.hpp>

#include "number_text.hpp"

namespace xrecon::io {

inline std::string projections_read(const std::filesystem::path& file, const Projections& p, std::size_t first_row,
                                    std::size_t total_rows) {
  std::string text = "read " + file.string() + ": " + std::to_string(p.num_angles()) + " projections x " +
                     std::to_string(p.num_rows()) + " rows";
  if (p.num_rows() != total_rows)
    text += " (" + std::to_string(first_row) + ".." + std::to_string(first_row + p.num_rows()) + " of " +
            std::to_string(total_rows) + ")";
  return text + " x " + std::to_string(p.num_cols()) + " cols";
}

// `origin` is where the angles were read, `source` why they were taken in that unit.
inline std::string theta_read(const Projections& p, const std::string& origin, bool in_degrees,
                              const std::string& source) {
  const auto [low, high] = std::minmax_element(p.angles.begin(), p.angles.end());
  const double to_degrees = 180.0 / std::numbers::pi;
  return "theta " + number_text(*low * to_degrees, "%.2f") + ".." + number_text(*high * to_degrees, "%.2f") +
         " deg (" + origin + " in " + (in_degrees ? "degrees" : "radians") + ", " + source + ")";
}

}  // namespace xrecon::io
