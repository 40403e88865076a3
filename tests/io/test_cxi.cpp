// CXI ptychography files: the writer and reader agree, metres become object pixels by the
// documented rule, and every broken layout is refused naming the file and the dataset.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <optional>

#include <xrecon/sim/ptycho_sim.hpp>

#include "cxi_geometry.hpp"
#include "cxi_layout.hpp"
#include "cxi_reader.hpp"
#include "cxi_writer.hpp"
#include "hdf5_file.hpp"
#include "temp_dir.hpp"

namespace xrecon::io {
namespace {

using testing::TempDir;

constexpr double kElectronvolt = 1.602176634e-19;

std::shared_ptr<PtychoScan> simulated_scan() {
  sim::PtychoSimSpec spec;
  spec.object.size = 48;
  spec.probe_size = 16;
  spec.fwhm = 6.0;
  spec.step = 5.0;
  spec.jitter = 0.7;
  spec.photons = 1e5;
  spec.seed = 9;
  sim::PtychoSimulation simulation = sim::simulate_ptycho(spec);
  auto scan = std::make_shared<PtychoScan>();
  scan->patterns = simulation.patterns;
  scan->positions = simulation.positions;
  scan->probe = simulation.probe;
  scan->object_rows = simulation.object.extent(0);
  scan->object_cols = simulation.object.extent(1);
  scan->energy = 8.8e3 * kElectronvolt;
  scan->distance = 2.0;
  scan->detector_pixel = 75e-6;
  return scan;
}

TEST(Cxi, WriteThenReadGivesTheSameScan) {
  TempDir dir;
  const std::shared_ptr<PtychoScan> written = simulated_scan();
  write_cxi(*written, dir / "scan.cxi", CancellationToken{});
  EXPECT_TRUE(dir.partial_files().empty());
  const CxiResult result = read_cxi(dir / "scan.cxi");
  const PtychoScan& read = *result.scan;
  EXPECT_FALSE(result.probe_guessed);

  ASSERT_EQ(read.patterns.shape(), written->patterns.shape());
  EXPECT_TRUE(std::equal(read.patterns.data(), read.patterns.data() + read.patterns.size(), written->patterns.data()));
  ASSERT_EQ(read.probe.shape(), written->probe.shape());
  EXPECT_TRUE(std::equal(read.probe.data(), read.probe.data() + read.probe.size(), written->probe.data()));
  ASSERT_EQ(read.positions.shape(), written->positions.shape());
  double worst = 0.0;
  for (std::size_t i = 0; i < read.positions.size(); ++i)
    worst = std::max(worst, std::abs(read.positions[i] - written->positions[i]));
  EXPECT_LT(worst, 1e-9);
  EXPECT_EQ(read.object_rows, written->object_rows);
  EXPECT_EQ(read.object_cols, written->object_cols);
  EXPECT_EQ(read.energy, written->energy);
  EXPECT_EQ(read.distance, written->distance);
  EXPECT_EQ(read.detector_pixel, written->detector_pixel);
}

TEST(Cxi, ObjectPixelAndPositionsFromHandNumbers) {
  // 8.8 keV: lambda = 12.398419843 keV A / 8.8 keV = 1.4089113458 A. At 2 m with 64 pixels of
  // 75 um: dx = 1.4089113458e-10 * 2 / (64 * 75e-6) = 5.870463941e-8 m.
  const double energy = 8.8e3 * kElectronvolt;
  EXPECT_NEAR(wavelength_from_energy(energy), 1.4089113458e-10, 1e-19);
  const double dx = object_pixel_size(energy, 2.0, 64, 75e-6);
  EXPECT_NEAR(dx, 5.870463941e-8, 1e-16);

  // The stage moved +10 dx in x and +4 dx in y from the first position: the probe sits 10 columns
  // left and 4 rows up of the first position on the object, which becomes the largest corner.
  const std::vector<double> translations = {0.0, 0.0, 0.0, 10 * dx, 4 * dx, 1e-3};
  const ArrayD positions = positions_from_translations(translations, dx, 3.0);
  EXPECT_NEAR(positions[0], 3.0 + 4.0, 1e-12);   // row of the first
  EXPECT_NEAR(positions[1], 3.0 + 10.0, 1e-12);  // col of the first
  EXPECT_NEAR(positions[2], 3.0, 1e-12);
  EXPECT_NEAR(positions[3], 3.0, 1e-12);

  const std::vector<double> back = translations_from_positions(positions, dx);
  EXPECT_NEAR(back[3] - back[0], 10 * dx, 1e-20);
  EXPECT_NEAR(back[4] - back[1], 4 * dx, 1e-20);
  EXPECT_EQ(back[5], 0.0);
}

// A CXI file built piece by piece, so that each test can break one piece.
struct CxiParts {
  std::vector<std::size_t> data_extents{2, 8, 8};
  float bad_value = 1.0f;  // stored at pattern 1, row 2, col 3
  std::vector<std::size_t> translation_extents{2, 3};
  bool distance = true, pixel = true, energy = true;
  double distance_value = 2.0;
  double energy_value = 8.8e3 * kElectronvolt;
  double translation_step = 1e-7;  // metres between consecutive translation values
  std::optional<std::vector<std::size_t>> illumination_extents = std::vector<std::size_t>{8, 8};
  std::complex<float> probe_value{0.5f, -0.25f};  // every probe pixel
  std::optional<std::complex<float>> probe_bad;   // stored at row 1, col 2
};

void write_parts(const std::filesystem::path& path, const CxiParts& parts) {
  Hdf5File file = Hdf5File::create(path, path);
  {
    std::size_t count = 1;
    for (std::size_t e : parts.data_extents) count *= e;
    std::vector<float> values(count, 1.0f);
    if (parts.data_extents.size() == 3 && count > 1 * 64 + 2 * 8 + 3) values[1 * 64 + 2 * 8 + 3] = parts.bad_value;
    Hdf5Dataset data = file.create_float_dataset(cxi_layout::kData, parts.data_extents, {}, 0);
    const std::vector<std::size_t> start(parts.data_extents.size(), 0);
    data.write_block(start, parts.data_extents, values);
  }
  std::size_t translation_count = 1;
  for (std::size_t e : parts.translation_extents) translation_count *= e;
  std::vector<double> translations(translation_count, 0.0);
  for (std::size_t i = 0; i < translation_count; ++i) translations[i] = parts.translation_step * double(i);
  file.write_doubles(cxi_layout::kTranslation, parts.translation_extents, translations);
  const auto scalar = [&](const char* path, double value) {
    file.write_doubles(path, {}, std::span<const double>(&value, 1));
  };
  if (parts.distance) scalar(cxi_layout::kDistance, parts.distance_value);
  if (parts.pixel) scalar(cxi_layout::kXPixelSize, 75e-6);
  if (parts.energy) scalar(cxi_layout::kEnergy, parts.energy_value);
  if (parts.illumination_extents) {
    const std::vector<std::size_t>& extents = *parts.illumination_extents;
    std::size_t count = 1;
    for (std::size_t e : extents) count *= e;
    std::vector<std::complex<float>> probe(count, parts.probe_value);
    if (parts.probe_bad && count > 1 * 8 + 2) probe[1 * 8 + 2] = *parts.probe_bad;
    file.write_complex(cxi_layout::kIllumination, extents, probe);
  }
  file.close();
}

// The reader's message for a file made of `parts`, which must fail.
std::string read_error(const CxiParts& parts) {
  TempDir dir;
  const auto path = dir / "broken.cxi";
  write_parts(path, parts);
  try {
    read_cxi(path);
  } catch (const InputError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find(path.string()), std::string::npos) << message;
    return message;
  }
  ADD_FAILURE() << "read_cxi accepted a broken file";
  return {};
}

void expect_contains(const std::string& text, const std::string& part) {
  EXPECT_NE(text.find(part), std::string::npos) << "'" << part << "' not in: " << text;
}

TEST(Cxi, ReadsAWellFormedFileBuiltByHand) {
  TempDir dir;
  write_parts(dir / "good.cxi", {});
  const CxiResult result = read_cxi(dir / "good.cxi");
  EXPECT_EQ(result.scan->patterns.shape(), (Shape{2, 8, 8}));
  EXPECT_EQ(result.scan->probe[0], std::complex<float>(0.5f, -0.25f));
}

TEST(Cxi, MissingDatasetsAreNamed) {
  for (auto [parts, path] : {std::pair{CxiParts{.distance = false}, cxi_layout::kDistance},
                             std::pair{CxiParts{.pixel = false}, cxi_layout::kXPixelSize},
                             std::pair{CxiParts{.energy = false}, cxi_layout::kEnergy}})
    expect_contains(read_error(parts), std::string("missing dataset ") + path);
}

TEST(Cxi, MissingDataOrTranslationIsNamed) {
  TempDir dir;
  {
    Hdf5File file = Hdf5File::create(dir / "empty.cxi", dir / "empty.cxi");
    file.close();
  }
  try {
    read_cxi(dir / "empty.cxi");
    ADD_FAILURE() << "accepted a file without data";
  } catch (const InputError& error) {
    expect_contains(error.what(), std::string("missing dataset ") + cxi_layout::kData);
  }
  {
    Hdf5File file = Hdf5File::create(dir / "no_translation.cxi", dir / "no_translation.cxi");
    const std::size_t extents[] = {1, 4, 4};
    Hdf5Dataset data = file.create_float_dataset(cxi_layout::kData, extents, {}, 0);
    const std::size_t start[] = {0, 0, 0};
    data.write_block(start, extents, std::vector<float>(16, 1.0f));
  }
  try {
    read_cxi(dir / "no_translation.cxi");
    ADD_FAILURE() << "accepted a file without translation";
  } catch (const InputError& error) {
    expect_contains(error.what(), std::string("missing dataset ") + cxi_layout::kTranslation);
  }
}

TEST(Cxi, WrongRanksAreRefused) {
  expect_contains(read_error(CxiParts{.data_extents = {8, 8}}), std::string(cxi_layout::kData) + " has shape (8, 8), expected 3");
  expect_contains(read_error(CxiParts{.translation_extents = {6}}),
                  std::string(cxi_layout::kTranslation) + " has shape (6), expected 2");
  expect_contains(read_error(CxiParts{.translation_extents = {2, 2}}), "expected (N, 3)");
  expect_contains(read_error(CxiParts{.illumination_extents = std::vector<std::size_t>{64}}),
                  std::string(cxi_layout::kIllumination) + " has shape (64), expected 2");
}

TEST(Cxi, CountOfTranslationsMustMatchThePatterns) {
  expect_contains(read_error(CxiParts{.translation_extents = {3, 3}}),
                  std::string(cxi_layout::kTranslation) + " has 3 positions but " + cxi_layout::kData + " has 2 patterns");
}

TEST(Cxi, NegativeOrNanIntensityIsLocated) {
  for (float bad : {-1.0f, std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    const std::string message = read_error(CxiParts{.bad_value = bad});
    expect_contains(message, cxi_layout::kData);
    expect_contains(message, "at pattern 1, row 2, col 3");
  }
}

// Issue 13: numbers from outside are checked where they are read.
TEST(Cxi, NonFiniteOrZeroProbeIsRefused) {
  for (const std::complex<float> bad : {std::complex<float>(std::numeric_limits<float>::quiet_NaN(), 0.0f),
                                        std::complex<float>(0.0f, std::numeric_limits<float>::infinity())}) {
    const std::string message = read_error(CxiParts{.probe_bad = bad});
    expect_contains(message, cxi_layout::kIllumination);
    expect_contains(message, "holds a non-finite value at row 1, col 2");
  }
  expect_contains(read_error(CxiParts{.probe_value = {0.0f, 0.0f}}), "is zero everywhere");
}

TEST(Cxi, ProbeLargerThanTheDetectorIsRefused) {
  expect_contains(read_error(CxiParts{.illumination_extents = std::vector<std::size_t>{8, 12}}),
                  "is 8x12, larger than the 8x8 detector");
}

TEST(Cxi, GeometryMustBePositive) {
  expect_contains(read_error(CxiParts{.distance_value = 0.0}),
                  std::string(cxi_layout::kDistance) + " is 0.000000, expected a positive number of metres");
}

// Issue 13: positive is not enough; a value no beamline produces is a broken file.
TEST(Cxi, ImpossibleEnergyOrTranslationsAreRefused) {
  const std::string energy = read_error(CxiParts{.energy_value = 1e-300});
  expect_contains(energy, cxi_layout::kEnergy);
  expect_contains(energy, "expected a photon energy between 10 eV and 10 MeV, in joules");
  // Translations of metres, not micrometres: the windows would lie kilometres apart.
  expect_contains(read_error(CxiParts{.translation_step = 1.0}), "expected at most 65536 per side");
}

TEST(Cxi, NonSquarePatternsAreRefused) {
  expect_contains(read_error(CxiParts{.data_extents = {2, 8, 10}}), "expected square ones");
}

TEST(Cxi, AbsentIlluminationGivesAGaussianWithThePatternsPhotons) {
  TempDir dir;
  write_parts(dir / "no_probe.cxi", CxiParts{.illumination_extents = std::nullopt});
  const CxiResult result = read_cxi(dir / "no_probe.cxi");
  EXPECT_TRUE(result.probe_guessed);
  ASSERT_EQ(result.scan->probe.shape(), (Shape{8, 8}));
  double total = 0.0;
  for (const auto& v : result.scan->probe.host_span()) total += std::norm(v);
  EXPECT_NEAR(total, 64.0, 1e-3);  // each pattern holds 64 photons
}

TEST(Cxi, WriterRefusesAScanWithoutGeometry) {
  TempDir dir;
  std::shared_ptr<PtychoScan> scan = simulated_scan();
  scan->energy = 0.0;
  try {
    write_cxi(*scan, dir / "out.cxi", CancellationToken{});
    ADD_FAILURE() << "wrote a scan without energy";
  } catch (const Error& error) {
    expect_contains(error.what(), (dir / "out.cxi").string());
    expect_contains(error.what(), "energy is 0");
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "out.cxi"));
  EXPECT_TRUE(dir.partial_files().empty());
}

}  // namespace
}  // namespace xrecon::io
