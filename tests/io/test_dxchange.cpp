// Data Exchange reading: normalisation and -log against hand computation, row ranges, theta units.
#include <gtest/gtest.h>

#include <xrecon/tomo/preprocess.hpp>

#include <cmath>
#include <numbers>

#include <xrecon/component.hpp>

#include "dxchange_reader.hpp"
#include "synthetic_hdf5.hpp"
#include "temp_dir.hpp"

namespace xrecon::io {
namespace {

using testing::DxchangeFixture;
using testing::SyntheticHdf5;
using testing::TempDir;

constexpr double kPi = std::numbers::pi;

float value_at(const Projections& p, std::size_t a, std::size_t r, std::size_t c) {
  return p.data[(a * p.num_rows() + r) * p.num_cols() + c];
}

void expect_matches_fixture(const Projections& p, const DxchangeFixture& fixture, std::size_t first_row,
                            bool normalize, bool minus_log) {
  for (std::size_t a = 0; a < p.num_angles(); ++a)
    for (std::size_t r = 0; r < p.num_rows(); ++r)
      for (std::size_t c = 0; c < p.num_cols(); ++c)
        EXPECT_FLOAT_EQ(value_at(p, a, r, c), float(fixture.expected(a, first_row + r, c, normalize, minus_log)))
            << "at angle " << a << ", row " << first_row + r << ", col " << c;
}

TEST(Dxchange, NormalisesAndTakesMinusLogOfUint16Data) {
  TempDir dir;
  const DxchangeFixture fixture;
  fixture.write(dir / "scan.h5");

  const DxchangeResult result = read_dxchange(dir / "scan.h5");
  const Projections& p = *result.projections;
  ASSERT_EQ(p.data.shape(), Shape({3, 4, 5}));
  EXPECT_EQ(result.flat_count, 2u);
  EXPECT_EQ(result.dark_count, 2u);
  EXPECT_EQ(result.total_rows, 4u);

  // Row 0 has dark 100 and white 1100 after averaging the two frames of each.
  EXPECT_FLOAT_EQ(value_at(p, 0, 0, 0), float(std::log(2.0)));      // transmission 0.5
  EXPECT_FLOAT_EQ(value_at(p, 0, 0, 1), float(-std::log(1e-6)));    // transmission 0, clamped
  EXPECT_FLOAT_EQ(value_at(p, 0, 0, 2), float(-std::log(2.0)));     // transmission 2
  // Dead flat (white == dark == 103): denominator clamped to 1e-6, transmission 1 / 1e-6.
  EXPECT_FLOAT_EQ(value_at(p, 1, 3, 4), float(-std::log(1e6)));
  expect_matches_fixture(p, fixture, 0, true, true);
  for (float v : p.data.host_span()) EXPECT_TRUE(std::isfinite(v));
}

TEST(Dxchange, NormaliseWithoutLogGivesTransmission) {
  TempDir dir;
  const DxchangeFixture fixture;
  fixture.write(dir / "scan.h5");
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.normalize = true, .minus_log = false});
  EXPECT_FLOAT_EQ(value_at(*result.projections, 0, 0, 0), 0.5f);
  EXPECT_FLOAT_EQ(value_at(*result.projections, 0, 0, 2), 2.0f);
  expect_matches_fixture(*result.projections, fixture, 0, true, false);
}

TEST(Dxchange, RawDataWhenNeitherNormalisedNorLogged) {
  TempDir dir;
  const DxchangeFixture fixture;
  fixture.write(dir / "scan.h5");
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.normalize = false, .minus_log = false});
  for (std::size_t i = 0; i < fixture.data.size(); ++i)
    EXPECT_EQ(result.projections->data[i], float(fixture.data[i])) << "at " << i;
  // The raw counts carry their averaged flat and dark fields on to prep.normalize, which then
  // gives what the reader's own normalisation gives.
  ASSERT_FALSE(result.projections->normalized());
  EXPECT_EQ(result.projections->flats.shape(), Shape({1, result.projections->num_rows(), result.projections->num_cols()}));
  ArrayF later = result.projections->data.clone();
  tomo::normalize_flat_dark(later, result.projections->flats, result.projections->darks);
  tomo::minus_log(later);
  const DxchangeResult direct = read_dxchange(dir / "scan.h5");
  EXPECT_TRUE(direct.projections->normalized());
  for (std::size_t i = 0; i < later.size(); ++i) EXPECT_FLOAT_EQ(later[i], direct.projections->data[i]) << "at " << i;
}

TEST(Dxchange, MinusLogWithoutNormalising) {
  TempDir dir;
  SyntheticHdf5 file(dir / "scan.h5");
  // One zero (a fully absorbed ray) in ten values: still a transmission.
  file.write<float>("/exchange/data", {1, 1, 10}, {0.25f, 0.0f, 1.0f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f});
  file.write<double>("/exchange/theta", {1}, {0.0});
  file.close();
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.normalize = false});
  EXPECT_FLOAT_EQ(result.projections->data[0], float(std::log(4.0)));
  EXPECT_FLOAT_EQ(result.projections->data[1], float(-std::log(1e-6)));
  EXPECT_FLOAT_EQ(result.projections->data[2], 0.0f);
}

// Line integrals (a sinogram: zero outside the object, large inside) or raw counts given to
// minus_log: refused with the reason and the hint, never -log of them.
TEST(Dxchange, MinusLogOfWhatIsNotATransmissionIsRefused) {
  TempDir dir;
  {
    SyntheticHdf5 file(dir / "sino.h5");
    std::vector<float> sinogram(2 * 20, 0.0f);
    for (std::size_t a = 0; a < 2; ++a)
      for (std::size_t c = 5; c < 15; ++c) sinogram[a * 20 + c] = 3.0f + float(c % 3);
    file.write<float>("/exchange/data", {2, 1, 20}, sinogram);
    file.write<double>("/exchange/theta", {2}, {0.0, 90.0});
  }
  try {
    read_dxchange(dir / "sino.h5", {.normalize = false});
    FAIL() << "expected a ParamError";
  } catch (const ParamError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("is true, but /exchange/data in " + (dir / "sino.h5").string() + " is not a transmission: "
                           "50.0% of the values are above 1.5 (the largest is 5), 50.0% are zero or negative"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("Already line integrals? set minus_log: false. Raw counts? set normalize: true"),
              std::string::npos)
        << message;
  }
  // Declared, the same file reads as it is.
  const DxchangeResult kept = read_dxchange(dir / "sino.h5", {.normalize = false, .minus_log = false});
  EXPECT_FLOAT_EQ(kept.projections->data[5], 5.0f);
}

TEST(Dxchange, RowRangeReadsOnlyThoseRowsOfDataFlatsAndDarks) {
  TempDir dir;
  const DxchangeFixture fixture;
  fixture.write(dir / "scan.h5");
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.start_row = 1, .end_row = 3});
  ASSERT_EQ(result.projections->data.shape(), Shape({3, 2, 5}));
  EXPECT_EQ(result.total_rows, 4u);
  expect_matches_fixture(*result.projections, fixture, 1, true, true);
}

TEST(Dxchange, RowRangeToTheLastRowIncludesTheDeadFlat) {
  TempDir dir;
  const DxchangeFixture fixture;
  fixture.write(dir / "scan.h5");
  // Transmission, not its -log: in this one row the dead flat is a fifth of the values, too many
  // for a transmission (MinusLogOfWhatIsNotATransmissionIsRefused).
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.minus_log = false, .start_row = 3});
  ASSERT_EQ(result.projections->data.shape(), Shape({3, 1, 5}));
  EXPECT_FLOAT_EQ(value_at(*result.projections, 1, 0, 4), 1e6f);
}

TEST(Dxchange, RowRangeOutsideTheDetectorNamesTheParameter) {
  TempDir dir;
  DxchangeFixture().write(dir / "scan.h5");
  try {
    read_dxchange(dir / "scan.h5", {.end_row = 9});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "end_row");
    EXPECT_NE(std::string(e.what()).find("has 4 rows"), std::string::npos) << e.what();
  }
  try {
    read_dxchange(dir / "scan.h5", {.start_row = 2, .end_row = 2});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "start_row");
  }
}

TEST(Dxchange, ThetaInDegreesByDefaultBecomesRadians) {
  TempDir dir;
  DxchangeFixture().write(dir / "scan.h5");
  const DxchangeResult result = read_dxchange(dir / "scan.h5");
  ASSERT_EQ(result.projections->angles.size(), 3u);
  EXPECT_DOUBLE_EQ(result.projections->angles[0], 0.0);
  EXPECT_DOUBLE_EQ(result.projections->angles[1], kPi / 2);
  EXPECT_DOUBLE_EQ(result.projections->angles[2], kPi);
  EXPECT_TRUE(result.theta_in_degrees);
  EXPECT_TRUE(result.warnings.empty());
}

TEST(Dxchange, ThetaWithRadiansAttributeIsKept) {
  TempDir dir;
  const DxchangeFixture fixture;
  {
    SyntheticHdf5 file(dir / "scan.h5");
    fixture.write_without_theta(file);
    file.write<double>("/exchange/theta", {3}, {0.0, 0.5, 1.0});
    file.write_fixed_string_attribute("/exchange/theta", "units", "rad");
  }
  const DxchangeResult result = read_dxchange(dir / "scan.h5");
  EXPECT_FALSE(result.theta_in_degrees);
  EXPECT_EQ(result.theta_units_source, "its units attribute 'rad'");
  EXPECT_EQ(result.projections->angles, (std::vector<double>{0.0, 0.5, 1.0}));
  EXPECT_TRUE(result.warnings.empty());
}

TEST(Dxchange, ThetaWithDegreesAttributeIsConverted) {
  TempDir dir;
  const DxchangeFixture fixture;
  {
    SyntheticHdf5 file(dir / "scan.h5");
    fixture.write_without_theta(file);
    file.write<float>("/exchange/theta", {3}, {0.0f, 45.0f, 90.0f});
    file.write_fixed_string_attribute("/exchange/theta", "units", "Degrees");
  }
  const DxchangeResult result = read_dxchange(dir / "scan.h5");
  EXPECT_DOUBLE_EQ(result.projections->angles[1], kPi / 4);
  EXPECT_DOUBLE_EQ(result.projections->angles[2], kPi / 2);
}

TEST(Dxchange, UnknownThetaUnitsAreRefused) {
  TempDir dir;
  const DxchangeFixture fixture;
  {
    SyntheticHdf5 file(dir / "scan.h5");
    fixture.write_without_theta(file);
    file.write<double>("/exchange/theta", {3}, {0.0, 100.0, 200.0});
    file.write_fixed_string_attribute("/exchange/theta", "units", "grad");
  }
  try {
    read_dxchange(dir / "scan.h5");
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), (dir / "scan.h5").string() +
                                         ": /exchange/theta has units 'grad', expected 'deg', 'degrees', 'rad' or "
                                         "'radians'");
  }
}

TEST(Dxchange, RadiansWithoutUnitsAttributeWarnAndCanBeDeclared) {
  TempDir dir;
  const DxchangeFixture fixture;
  {
    SyntheticHdf5 file(dir / "scan.h5");
    fixture.write_without_theta(file);
    file.write<double>("/exchange/theta", {3}, {0.0, kPi / 2, kPi});
  }
  const DxchangeResult assumed = read_dxchange(dir / "scan.h5");
  ASSERT_EQ(assumed.warnings.size(), 1u);
  EXPECT_NE(assumed.warnings[0].find("theta_units: radians"), std::string::npos) << assumed.warnings[0];
  EXPECT_DOUBLE_EQ(assumed.projections->angles[2], kPi * kPi / 180.0);
  EXPECT_EQ(assumed.theta_units_source, "assumed: it has no units attribute");

  const DxchangeResult declared = read_dxchange(dir / "scan.h5", {.theta_units = ThetaUnits::radians});
  EXPECT_TRUE(declared.warnings.empty());
  EXPECT_EQ(declared.theta_units_source, "theta_units: radians");
  EXPECT_DOUBLE_EQ(declared.projections->angles[2], kPi);
}

TEST(Dxchange, DeclaredUnitsContradictingTheFileAreRefused) {
  TempDir dir;
  const DxchangeFixture fixture;
  {
    SyntheticHdf5 file(dir / "scan.h5");
    fixture.write_without_theta(file);
    file.write<double>("/exchange/theta", {3}, {0.0, 90.0, 180.0});
    file.write_fixed_string_attribute("/exchange/theta", "units", "degrees");
  }
  try {
    read_dxchange(dir / "scan.h5", {.theta_units = ThetaUnits::radians});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "theta_units");
  }
}

TEST(Dxchange, Float64DataAndCenterPassThrough) {
  TempDir dir;
  SyntheticHdf5 file(dir / "scan.h5");
  file.write<double>("/exchange/data", {2, 1, 2}, {1.5, -2.25, 3.0, 1e-3});
  file.write<double>("/exchange/theta", {2}, {0.0, 90.0});
  file.close();
  const DxchangeResult result =
      read_dxchange(dir / "scan.h5", {.normalize = false, .minus_log = false, .axis = {.center = 0.75}});
  EXPECT_EQ(result.projections->data[1], -2.25f);
  EXPECT_EQ(result.projections->data[3], 1e-3f);
  EXPECT_DOUBLE_EQ(result.projections->center, 0.75);
}

TEST(Dxchange, CenterOutsideTheDetectorIsRefused) {
  TempDir dir;
  DxchangeFixture().write(dir / "scan.h5");
  try {
    read_dxchange(dir / "scan.h5", {.axis = {.center = 4.5}});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "center");
  }
}

TEST(Dxchange, SingleFlatAndDarkFrameStoredAs2D) {
  TempDir dir;
  SyntheticHdf5 file(dir / "scan.h5");
  file.write<std::uint16_t>("/exchange/data", {1, 1, 2}, {550, 300});
  file.write<std::uint16_t>("/exchange/data_white", {1, 2}, {1050, 500});
  file.write<std::uint16_t>("/exchange/data_dark", {1, 2}, {50, 100});
  file.write<double>("/exchange/theta", {1}, {0.0});
  file.close();
  const DxchangeResult result = read_dxchange(dir / "scan.h5", {.minus_log = false});
  EXPECT_EQ(result.flat_count, 1u);
  EXPECT_FLOAT_EQ(result.projections->data[0], 0.5f);
  EXPECT_FLOAT_EQ(result.projections->data[1], 0.5f);
}

// A 2-D /exchange/data is a sinogram (angles, cols), one detector row, as TomoPy users store a
// slice; its flats and darks may then be (frames, cols) or (cols).
TEST(Dxchange, A2DDatasetIsOneSinogramWithItsFlatsAndDarks) {
  TempDir dir;
  {
    SyntheticHdf5 file(dir / "sino.h5");
    file.write<std::uint16_t>("/exchange/data", {3, 2}, {550, 300, 1050, 500, 300, 100});
    file.write<std::uint16_t>("/exchange/data_white", {2, 2}, {1000, 400, 1100, 600});  // mean 1050, 500
    file.write<std::uint16_t>("/exchange/data_dark", {2}, {50, 100});
    file.write<double>("/exchange/theta", {3}, {0.0, 60.0, 120.0});
  }
  const DxchangeResult result = read_dxchange(dir / "sino.h5", {.minus_log = false});
  const Projections& p = *result.projections;
  ASSERT_EQ(p.data.shape(), Shape({3, 1, 2}));
  EXPECT_EQ(result.flat_count, 2u);
  EXPECT_EQ(result.dark_count, 1u);
  EXPECT_EQ(result.total_rows, 1u);
  const float expected[] = {0.5f, 0.5f, 1.0f, 1.0f, 0.25f, 0.0f};
  for (std::size_t i = 0; i < 6; ++i) EXPECT_FLOAT_EQ(p.data[i], expected[i]) << "at " << i;

  // A row range beyond the one row is refused naming the parameter.
  try {
    read_dxchange(dir / "sino.h5", {.minus_log = false, .start_row = 1});
    FAIL() << "expected a ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "start_row");
  }
}

TEST(Dxchange, AOneDimensionalDatasetIsRefused) {
  TempDir dir;
  {
    SyntheticHdf5 file(dir / "line.h5");
    file.write<float>("/exchange/data", {4}, {0.1f, 0.2f, 0.3f, 0.4f});
    file.write<double>("/exchange/theta", {1}, {0.0});
  }
  try {
    read_dxchange(dir / "line.h5", {.normalize = false, .minus_log = false});
    FAIL() << "expected an InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("must be 3-D (angles, rows, cols) or 2-D (angles, cols), a sinogram, found 1-D"),
              std::string::npos)
        << e.what();
  }
}

}  // namespace
}  // namespace xrecon::io
