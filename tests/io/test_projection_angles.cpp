// Angles for the plain inputs: text files (comments, commas, several a line), tomopy.angles'
// range, the unit chosen and why, and every bad file refused with its line.
#include <gtest/gtest.h>

#include <numbers>
#include <xrecon/error.hpp>

#include "plain_files.hpp"
#include "projection_angles.hpp"
#include "temp_dir.hpp"

namespace xrecon::io {
namespace {

using testing::TempDir;
using testing::write_file;

constexpr double kPi = std::numbers::pi;

#define EXPECT_HAS(text, part) EXPECT_NE((text).find(part), std::string::npos) << (text)

std::string refusal(const AngleOptions& options, std::size_t count) {
  return testing::input_error_of([&] { projection_angles(options, count, "data.npy"); });
}

TEST(ProjectionAngles, TextFileWithCommentsCommasAndSeveralALine) {
  TempDir dir;
  write_file(dir / "theta.txt", "# angles of the scan, degrees\n0, 45\t90\n\n  135 # the last but one\r\n+180,\n");
  EXPECT_EQ(read_angle_file(dir / "theta.txt"), (std::vector<double>{0, 45, 90, 135, 180}));
  const ProjectionAngles angles = projection_angles({.file = dir / "theta.txt"}, 5, "data.npy");
  EXPECT_TRUE(angles.in_degrees);
  EXPECT_EQ(angles.units_source, "auto: values up to 180.000000, beyond 2 pi");
  EXPECT_DOUBLE_EQ(angles.radians[4], kPi);
  EXPECT_EQ(angles.origin, (dir / "theta.txt").string());
}

// np.savetxt of tomopy.angles or of an ASTRA script's angles: radians, in numpy's %.18e format.
TEST(ProjectionAngles, RadiansFileIsRecognisedAndUnitsCanBeDeclared) {
  TempDir dir;
  write_file(dir / "theta.txt", "0.000000000000000000e+00\n1.570796326794896558e+00\n3.141592653589793116e+00\n");
  const ProjectionAngles automatic = projection_angles({.file = dir / "theta.txt"}, 3, "data.npy");
  EXPECT_FALSE(automatic.in_degrees);
  EXPECT_EQ(automatic.units_source, "auto: every value within 2 pi; set theta_units: degrees if they are degrees");
  EXPECT_DOUBLE_EQ(automatic.radians[2], kPi);
  const ProjectionAngles declared =
      projection_angles({.file = dir / "theta.txt", .units = AngleUnits::degrees}, 3, "data.npy");
  EXPECT_TRUE(declared.in_degrees);
  EXPECT_EQ(declared.units_source, "theta_units: degrees");
  EXPECT_DOUBLE_EQ(declared.radians[2], kPi * kPi / 180);
}

// tomopy.angles(5, 0, 180): numpy.linspace with the end included, in degrees.
TEST(ProjectionAngles, RangeIncludesItsEndAsTomopyAngles) {
  const ProjectionAngles angles = projection_angles({.start = 0, .end = 180}, 5, "data.npy");
  ASSERT_EQ(angles.radians.size(), 5u);
  for (std::size_t i = 0; i < 5; ++i) EXPECT_NEAR(angles.radians[i], kPi * double(i) / 4, 1e-15);
  EXPECT_TRUE(angles.in_degrees);
  EXPECT_EQ(angles.origin, "theta_start..theta_end");
  const ProjectionAngles radians = projection_angles({.start = 1, .end = 2, .units = AngleUnits::radians}, 3, "d");
  EXPECT_EQ(radians.radians, (std::vector<double>{1, 1.5, 2}));
  EXPECT_EQ(projection_angles({.start = 30, .end = 60}, 1, "d").radians, (std::vector<double>{kPi / 6}));
}

TEST(ProjectionAngles, CountMismatchNamesBothFilesAndCounts) {
  TempDir dir;
  write_file(dir / "theta.txt", "0 1 2\n");
  EXPECT_EQ(refusal({.file = dir / "theta.txt"}, 4),
            (dir / "theta.txt").string() + ": holds 3 angles, expected 4 (one per projection of data.npy)");
}

TEST(ProjectionAngles, BadValuesAreRefusedWithTheirLine) {
  TempDir dir;
  write_file(dir / "nan.txt", "0\n# fine\n1 nan\n");
  EXPECT_EQ(refusal({.file = dir / "nan.txt"}, 3), (dir / "nan.txt").string() + ":3: angle 'nan' is not finite");
  write_file(dir / "inf.txt", "0,\n-inf\n");
  EXPECT_EQ(refusal({.file = dir / "inf.txt"}, 2), (dir / "inf.txt").string() + ":2: angle '-inf' is not finite");
  write_file(dir / "word.txt", "0\n1\n2 deg\n");
  EXPECT_EQ(refusal({.file = dir / "word.txt"}, 3),
            (dir / "word.txt").string() + ":3: 'deg' is not a number (expected angles, blanks or commas between)");
  write_file(dir / "empty.txt", "# nothing\n\n");
  EXPECT_EQ(refusal({.file = dir / "empty.txt"}, 1), (dir / "empty.txt").string() + ": holds no angles");
  EXPECT_HAS(refusal({.file = dir / "absent.txt"}, 1), "absent.txt: cannot open the angle file");
}

}  // namespace
}  // namespace xrecon::io
