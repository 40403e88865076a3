// A tomographic series of CXI files with an index: sim.joint_scan -> io.cxi_writer -> io.cxi gives
// back the simulation's messages one by one, and every inconsistent series is refused naming the
// file (and the index line) and what was expected.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <numbers>
#include <sstream>

#include <xrecon/stage.hpp>

#include "cxi_index.hpp"
#include "cxi_layout.hpp"
#include "cxi_reader.hpp"
#include "cxi_writer.hpp"
#include "hdf5_file.hpp"
#include "stages.hpp"
#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"
#include "temp_dir.hpp"
#include "../support/scan_equality.hpp"

namespace xrecon::sim {
ComponentSpec joint_scan_spec();  // plugins/sim/joint_scan_stage.cpp, compiled into this test
}

namespace xrecon::io {
namespace {

using testing::TempDir;
using xrecon::testing::FakeContext;
using xrecon::testing::FakeStageIO;

ParamValues with_defaults(const ComponentSpec& spec, const std::map<std::string, ParamValue>& given) {
  ParamValues values;
  for (const ParamSpec& param : spec.params.specs())
    if (param.default_value) values.set(param.name, *param.default_value);
  for (const auto& [name, value] : given) values.set(name, value);
  if (spec.check) spec.check(values);
  return values;
}

void run(const ComponentSpec& spec, const std::map<std::string, ParamValue>& given, FakeStageIO& io,
         FakeContext& context) {
  std::unique_ptr<Component> component = spec.create(with_defaults(spec, given));
  auto* stage = dynamic_cast<Stage*>(component.get());
  ASSERT_NE(stage, nullptr);
  stage->run(io, context);
}

// What sim.joint_scan sends on `scans` for a small scan with jitter and noise.
std::vector<std::shared_ptr<const Payload>> simulated_scans(std::int64_t angles = 6) {
  FakeContext context;
  FakeStageIO io;
  run(sim::joint_scan_spec(),
      {{"size", std::int64_t(24)}, {"slices", std::int64_t(12)}, {"angles", angles}, {"probe_size", std::int64_t(8)},
       {"detector", std::int64_t(10)}, {"step", 4.0}, {"jitter", 0.6}, {"photons", 1e4}, {"seed", std::int64_t(3)}},
      io, context);
  return io.sent("scans");
}

// io.cxi_writer over these scans, with these parameters.
void write_series(const std::vector<std::shared_ptr<const Payload>>& scans,
                  const std::map<std::string, ParamValue>& given) {
  FakeContext context;
  FakeStageIO io;
  for (const auto& scan : scans) io.queue("scan", scan);
  run(cxi_writer_spec(), given, io, context);
}

// What io.cxi sends for `path`.
std::vector<std::shared_ptr<const Payload>> read_back(const std::filesystem::path& path) {
  FakeContext context;
  FakeStageIO io;
  run(cxi_spec(), {{"path", path.string()}}, io, context);
  return io.sent("scan");
}


void expect_same_stream(const std::vector<std::shared_ptr<const Payload>>& written,
                        const std::vector<std::shared_ptr<const Payload>>& read) {
  ASSERT_EQ(read.size(), written.size());
  for (std::size_t k = 0; k < read.size(); ++k) {
    SCOPED_TRACE("message " + std::to_string(k));
    ASSERT_EQ(read[k]->kind(), PayloadKind::ptycho_scan);
    xrecon::testing::expect_same_scan(static_cast<const PtychoScan&>(*written[k]),
                                      static_cast<const PtychoScan&>(*read[k]));
  }
}

std::string text_of(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_text(const std::filesystem::path& path, const std::string& text) { std::ofstream(path) << text; }

// The message of the InputError that reading the series throws ("" when it reads).
std::string series_error(const std::filesystem::path& index) {
  try {
    const CxiSeries series(index);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

// A series of the simulated scans in dir/series with its index; returns the index path.
std::filesystem::path written_series(const TempDir& dir) {
  write_series(simulated_scans(), {{"path", (dir / "series/").string()}});
  return dir / "series" / "index.txt";
}

TEST(CxiSeries, SimulatedScansComeBackMessageByMessage) {
  TempDir dir;
  const auto scans = simulated_scans();
  write_series(scans, {{"path", (dir / "series/").string()}});
  EXPECT_TRUE(dir.partial_files().empty());
  for (std::size_t k = 0; k < scans.size(); ++k) {
    char name[32];
    std::snprintf(name, sizeof name, "angle_%04zu.cxi", k);
    EXPECT_TRUE(std::filesystem::exists(dir / "series" / name)) << name;
  }
  expect_same_stream(scans, read_back(dir / "series" / "index.txt"));
}

TEST(CxiSeries, PatternPathAndIndexElsewhereReadTheSame) {
  TempDir dir;
  const auto scans = simulated_scans(4);
  write_series(scans,
               {{"path", (dir / "data/scan_{angle}_a.cxi").string()}, {"index", (dir / "scans.index").string()}});
  EXPECT_TRUE(std::filesystem::exists(dir / "data" / "scan_0003_a.cxi"));
  EXPECT_TRUE(is_cxi_index(dir / "scans.index"));
  const std::string index_text = text_of(dir / "scans.index");
  EXPECT_NE(index_text.find("data/scan_0000_a.cxi"), std::string::npos) << index_text;
  expect_same_stream(scans, read_back(dir / "scans.index"));
}

TEST(CxiSeries, IndexIsReadableTextWithExactAngles) {
  TempDir dir;
  const std::filesystem::path index = written_series(dir);
  const std::string text = text_of(index);
  EXPECT_EQ(text.rfind("# xrecon-cxi-index 1\n", 0), 0u) << text;
  EXPECT_NE(text.find("0.52359877559829882  angle_0001.cxi"), std::string::npos) << text;  // pi / 6
  // Comments, blank lines, absolute names and names with spaces are read as documented.
  const std::filesystem::path spaced = dir / "with space.cxi";
  std::filesystem::copy_file(dir / "series" / "angle_0000.cxi", spaced);
  write_text(dir / "hand.txt", "# xrecon-cxi-index 1\n\n# measured by hand\n0   " + spaced.string() + "  \n" +
                                   "1.5e-1\tseries/angle_0001.cxi\n");
  const std::vector<CxiIndexEntry> entries = read_cxi_index(dir / "hand.txt");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].file, spaced);
  EXPECT_EQ(entries[0].line, 4u);
  EXPECT_EQ(entries[1].angle, 0.15);
  EXPECT_EQ(entries[1].file, dir.path() / "series" / "angle_0001.cxi");
}

TEST(CxiSeries, SingleFileReaderStillReadsOneFileAndItsAngle) {
  TempDir dir;
  written_series(dir);
  const CxiResult result = read_cxi(dir / "series" / "angle_0002.cxi");
  EXPECT_NEAR(result.scan->angle, 2.0 * std::numbers::pi / 6.0, 1e-12);
  EXPECT_EQ(result.scan->patterns.extent(1), 10u);
}

TEST(CxiSeries, MissingFileNamesTheIndexLineAndTheFile) {
  TempDir dir;
  const std::filesystem::path index = written_series(dir);
  std::filesystem::remove(dir / "series" / "angle_0002.cxi");
  const std::string message = series_error(index);
  EXPECT_NE(message.find(index.string() + ":6"), std::string::npos) << message;
  EXPECT_NE(message.find("angle_0002.cxi, which does not exist"), std::string::npos) << message;
}

TEST(CxiSeries, AnglesThatDoNotIncreaseAreRefusedByLine) {
  TempDir dir;
  const std::filesystem::path index = written_series(dir);
  std::string text = text_of(index);
  // Swap the lines of angles 1 and 2.
  const std::size_t one = text.find("0.52359877559829882"), two = text.find("1.0471975511965976");
  const std::size_t one_end = text.find('\n', one), two_end = text.find('\n', two);
  const std::string line_one = text.substr(one, one_end - one), line_two = text.substr(two, two_end - two);
  text.replace(two, line_two.size(), line_one);
  text.replace(one, line_one.size(), line_two);
  write_text(index, text);
  std::string message = series_error(index);
  EXPECT_NE(message.find(index.string() + ":6: angle 0.52359877559829882 rad (angle_0001.cxi) is not above"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("angles must increase strictly"), std::string::npos) << message;

  write_text(index, "# xrecon-cxi-index 1\n0 angle_0000.cxi\n0 angle_0001.cxi\n");  // a duplicate
  message = series_error(index);
  EXPECT_NE(message.find(index.string() + ":3: angle 0 rad (angle_0001.cxi) is not above"), std::string::npos)
      << message;
}

TEST(CxiSeries, DetectorOfAnotherShapeIsRefusedNamingTheFile) {
  TempDir dir;
  const std::filesystem::path index = written_series(dir);
  // Angle 3 replaced by a scan with a 12 px detector.
  FakeContext context;
  FakeStageIO io;
  run(sim::joint_scan_spec(),
      {{"size", std::int64_t(24)}, {"slices", std::int64_t(12)}, {"angles", std::int64_t(6)},
       {"probe_size", std::int64_t(8)}, {"detector", std::int64_t(12)}, {"step", 4.0}},
      io, context);
  write_cxi(static_cast<const PtychoScan&>(*io.sent("scans")[3]), dir / "series" / "angle_0003.cxi",
            CancellationToken{});
  const std::string message = series_error(index);
  EXPECT_NE(message.find((dir / "series" / "angle_0003.cxi").string() + ": /entry_1/data_1/data has 12x12 patterns, "
                                                                         "expected 10x10 like"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("angle_0000.cxi (the first file of"), std::string::npos) << message;
}

TEST(CxiSeries, OtherGeometryOrGridOrOrientationIsRefusedNamingTheFile) {
  TempDir dir;
  const auto scans = simulated_scans();
  const std::filesystem::path index = written_series(dir);
  const std::filesystem::path third = dir / "series" / "angle_0002.cxi";

  PtychoScan farther = static_cast<const PtychoScan&>(*scans[2]);
  farther.distance = 3.0;
  write_cxi(farther, third, CancellationToken{});
  std::string message = series_error(index);
  EXPECT_NE(message.find(third.string() + ": the object pixel is"), std::string::npos) << message;

  PtychoScan other_grid = static_cast<const PtychoScan&>(*scans[2]);
  other_grid.object_cols = 30;
  write_cxi(other_grid, third, CancellationToken{});
  message = series_error(index);
  EXPECT_NE(
      message.find(third.string() + ": /entry_1/sample_1/geometry_1/xrecon_object_grid is 12x30, expected 12x24"),
      std::string::npos)
      << message;

  PtychoScan no_grid = static_cast<const PtychoScan&>(*scans[2]);
  no_grid.object_rows = no_grid.object_cols = 0;
  write_cxi(no_grid, third, CancellationToken{});
  message = series_error(index);
  EXPECT_NE(message.find(third.string() + ": has no /entry_1/sample_1/geometry_1/xrecon_object_grid"),
            std::string::npos)
      << message;

  PtychoScan turned = static_cast<const PtychoScan&>(*scans[2]);
  turned.angle += 0.01;
  write_cxi(turned, third, CancellationToken{});
  message = series_error(index);
  EXPECT_NE(message.find(third.string() + ": /entry_1/sample_1/geometry_1/orientation turns the sample by"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find(index.string() + ":6 gives the angle 1.047197551 rad"), std::string::npos) << message;

  PtychoScan outside = static_cast<const PtychoScan&>(*scans[2]);
  outside.object_rows = 12;
  ArrayD moved = outside.positions.clone();
  moved[0] = 5.0;  // a window of 8 rows from row 5 leaves the 12 rows
  outside.positions = moved;
  write_cxi(outside, third, CancellationToken{});
  message = series_error(index);
  EXPECT_NE(message.find(third.string() + ": /entry_1/data_1/translation puts position 0 at row 5"),
            std::string::npos)
      << message;
}

TEST(CxiSeries, BrokenIndexIsRefusedByLine) {
  TempDir dir;
  write_text(dir / "no_magic.txt", "0 a.cxi\n");
  EXPECT_NE(series_error(dir / "no_magic.txt").find("is not a CXI index"), std::string::npos);
  write_text(dir / "bad_angle.txt", "# xrecon-cxi-index 1\nzero a.cxi\n");
  EXPECT_NE(series_error(dir / "bad_angle.txt").find("bad_angle.txt:2: 'zero' is not an angle"), std::string::npos);
  write_text(dir / "no_file.txt", "# xrecon-cxi-index 1\n0.5\n");
  EXPECT_NE(series_error(dir / "no_file.txt").find("no_file.txt:2: names no file"), std::string::npos);
  write_text(dir / "empty.txt", "# xrecon-cxi-index 1\n# nothing yet\n");
  EXPECT_NE(series_error(dir / "empty.txt").find("lists no scan"), std::string::npos);
}

TEST(CxiSeries, FilesWithoutTheGridShareOneShiftAndOneGrid) {
  // Measured data: the translations of all angles are in the stage's frame; the second angle's
  // windows sit 3 rows lower and 5 columns further than the first's.
  TempDir dir;
  const auto scans = simulated_scans(2);
  CxiSeriesWriter writer((dir / "measured/").string());
  for (std::size_t k = 0; k < 2; ++k) {
    PtychoScan scan = static_cast<const PtychoScan&>(*scans[k]);
    scan.object_rows = scan.object_cols = 0;
    ArrayD positions = scan.positions.clone();
    for (std::size_t j = 0; j < positions.extent(0); ++j) {
      positions[j * 2] += 10.0 + 3.0 * double(k);
      positions[j * 2 + 1] += 20.0 + 5.0 * double(k);
    }
    scan.positions = positions;
    writer.write(scan, CancellationToken{});
  }
  writer.commit();
  const CxiSeries series(dir / "measured" / "index.txt", CxiOptions{.margin = 2});
  const CxiResult first = series.read(0), second = series.read(1);
  const ArrayD& a = first.scan->positions;
  const ArrayD& b = second.scan->positions;
  const auto& original_a = static_cast<const PtychoScan&>(*scans[0]).positions;
  const auto& original_b = static_cast<const PtychoScan&>(*scans[1]).positions;
  double low_row = 1e9, low_col = 1e9, high_row = 0.0, high_col = 0.0;
  for (std::size_t j = 0; j < a.extent(0); ++j) {
    EXPECT_NEAR(b[j * 2] - a[j * 2], original_b[j * 2] - original_a[j * 2] + 3.0, 1e-9);
    EXPECT_NEAR(b[j * 2 + 1] - a[j * 2 + 1], original_b[j * 2 + 1] - original_a[j * 2 + 1] + 5.0, 1e-9);
    for (const ArrayD* p : {&a, &b}) {
      low_row = std::min(low_row, (*p)[j * 2]);
      low_col = std::min(low_col, (*p)[j * 2 + 1]);
      high_row = std::max(high_row, (*p)[j * 2]);
      high_col = std::max(high_col, (*p)[j * 2 + 1]);
    }
  }
  EXPECT_NEAR(low_row, 2.0, 1e-9);
  EXPECT_NEAR(low_col, 2.0, 1e-9);
  EXPECT_EQ(first.scan->object_rows, second.scan->object_rows);
  EXPECT_EQ(first.scan->object_rows, std::size_t(std::floor(high_row + 1e-9)) + 8 + 1 + 2);
  EXPECT_EQ(first.scan->object_cols, std::size_t(std::floor(high_col + 1e-9)) + 8 + 1 + 2);
}

TEST(CxiSeries, WriterRefusesWhatWouldMakeABrokenSeries) {
  TempDir dir;
  const auto scans = simulated_scans(2);
  // Two scans for one file.
  try {
    write_series(scans, {{"path", (dir / "one.cxi").string()}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("put {angle} in the path or give a folder"), std::string::npos) << e.what();
  }
  EXPECT_FALSE(std::filesystem::exists(dir / "one.cxi"));
  // The same sequence twice, and the same angle twice: nothing is put in place.
  EXPECT_THROW(write_series({scans[0], scans[0]}, {{"path", (dir / "twice/").string()}}), Error);
  auto copy = std::make_shared<PtychoScan>(static_cast<const PtychoScan&>(*scans[1]));
  copy->angle = static_cast<const PtychoScan&>(*scans[0]).angle;
  EXPECT_THROW(write_series({scans[0], copy}, {{"path", (dir / "same_angle/").string()}}), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "twice" / "index.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "twice" / "angle_0000.cxi"));
  EXPECT_TRUE(dir.partial_files().empty());
  // An index for a single file is a parameter error.
  try {
    with_defaults(cxi_writer_spec(), {{"path", std::string("one.cxi")}, {"index", std::string("i.txt")}});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "index");
  }
}

TEST(CxiSeries, CancelledSeriesLeavesNoFileAndNoIndex) {
  TempDir dir;
  const auto scans = simulated_scans(3);
  FakeContext context;
  FakeStageIO io;
  for (const auto& scan : scans) io.queue("scan", scan);
  context.cancel();
  std::unique_ptr<Component> component =
      cxi_writer_spec().create(with_defaults(cxi_writer_spec(), {{"path", (dir / "series/").string()}}));
  EXPECT_THROW(dynamic_cast<Stage&>(*component).run(io, context), Cancelled);
  EXPECT_FALSE(std::filesystem::exists(dir / "series" / "index.txt"));
  EXPECT_FALSE(std::filesystem::exists(dir / "series" / "angle_0000.cxi"));
  EXPECT_TRUE(dir.partial_files().empty());
}

}  // namespace
}  // namespace xrecon::io
