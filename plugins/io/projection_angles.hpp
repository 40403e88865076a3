#pragma once
// The projection angles of the plain inputs (.npy, TIFF stacks), which carry none: from a text
// file, or evenly spaced from theta_start to theta_end as tomopy.angles makes them.
#include <cstddef>
#include <filesystem>
#include <string>
#include <vector>

namespace xrecon::io {

// automatic: theta_start/theta_end are degrees (tomopy.angles takes degrees); an angle file is
// radians when every value lies within +-2 pi (what TomoPy and ASTRA scripts save: both work in
// radians), degrees otherwise. A scan over less than 6.3 degrees is the one case this misreads,
// and the log says which unit was taken and why.
enum class AngleUnits { automatic, degrees, radians };

struct AngleOptions {
  std::filesystem::path file;  // empty: evenly spaced from start to end
  double start = 0;
  double end = 0;  // the last projection's angle, included (numpy.linspace(start, end, n))
  AngleUnits units = AngleUnits::automatic;
};

struct ProjectionAngles {
  std::vector<double> radians;  // one per projection
  bool in_degrees = true;       // the unit they were given in
  std::string origin;           // "theta.txt", or "theta_start..theta_end"
  std::string units_source;     // why that unit: "theta_units: degrees", "auto: ..."
};

// The numbers of an angle file in file order: one or more a line, separated by blanks or commas,
// `#` starting a comment. InputError "FILE:LINE: ..." for a word that is not a number and for a
// NaN or infinity; "FILE: ..." for a file without numbers.
std::vector<double> read_angle_file(const std::filesystem::path& file);

// `count` angles in radians for the projections of `data_file`; InputError naming both files and
// both counts when an angle file holds another number of angles.
ProjectionAngles projection_angles(const AngleOptions& options, std::size_t count,
                                   const std::filesystem::path& data_file);

}  // namespace xrecon::io
