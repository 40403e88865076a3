// The plugin's stages driven through their specs, as the engine would, and the built module.
#include <gtest/gtest.h>

#include <tiffio.h>

#include <boost/dll/shared_library.hpp>
#include <cmath>
#include <numbers>

#include <xrecon/plugin.hpp>
#include <xrecon/stage.hpp>

#include "plain_files.hpp"
#include "stages.hpp"
#include "synthetic_hdf5.hpp"
#include "temp_dir.hpp"
#include "volume_reader.hpp"
#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"

namespace xrecon::io {
namespace {

using testing::DxchangeFixture;
using xrecon::testing::FakeContext;
using xrecon::testing::FakeStageIO;
using testing::TempDir;

// The values the engine would hand over: the schema's defaults, then the given ones.
ParamValues with_defaults(const ComponentSpec& spec, const std::map<std::string, ParamValue>& given) {
  ParamValues values;
  for (const ParamSpec& param : spec.params.specs())
    if (param.default_value) values.set(param.name, *param.default_value);
  for (const auto& [name, value] : given) values.set(name, value);
  if (spec.check) spec.check(values);
  return values;
}

std::unique_ptr<Stage> make_stage(const ComponentSpec& spec, const std::map<std::string, ParamValue>& given) {
  std::unique_ptr<Component> component = spec.create(with_defaults(spec, given));
  auto* stage = dynamic_cast<Stage*>(component.get());
  EXPECT_NE(stage, nullptr);
  component.release();
  return std::unique_ptr<Stage>(stage);
}

std::shared_ptr<Volume> volume_filled_with(float value) {
  auto volume = std::make_shared<Volume>();
  volume->data = ArrayF({3, 4, 5});
  for (float& v : volume->data.host_span()) v = value;
  volume->data[0] = 0.0f;  // so the preview has contrast
  return volume;
}

TEST(IoStages, DxchangeSpecDeclaresItsContract) {
  const ComponentSpec spec = dxchange_spec();
  EXPECT_EQ(spec.name, "io.dxchange");
  EXPECT_TRUE(spec.inputs.empty());
  ASSERT_EQ(spec.outputs.size(), 1u);
  EXPECT_EQ(spec.outputs[0].name, "projections");
  EXPECT_EQ(spec.outputs[0].kind, PayloadKind::projections);
  const ParamSpec* path = spec.params.find("path");
  ASSERT_NE(path, nullptr);
  EXPECT_TRUE(path->required);
  EXPECT_TRUE(path->must_exist);
  for (const char* name : {"normalize", "minus_log", "start_row", "end_row", "center", "theta_units"})
    EXPECT_NE(spec.params.find(name), nullptr) << name;
}

TEST(IoStages, DxchangeRejectsAnEmptyRowRangeBeforeRunning) {
  const ComponentSpec spec = dxchange_spec();
  try {
    with_defaults(spec, {{"path", std::string("scan.h5")}, {"start_row", std::int64_t(5)}, {"end_row", std::int64_t(5)}});
    FAIL() << "expected ParamError";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "end_row");
  }
}

TEST(IoStages, DxchangeSendsProjectionsAndLogs) {
  TempDir dir;
  DxchangeFixture().write(dir / "scan.h5");
  FakeContext context;
  FakeStageIO io;
  make_stage(dxchange_spec(), {{"path", (dir / "scan.h5").string()}, {"start_row", std::int64_t(1)},
                               {"center", 2.0}})
      ->run(io, context);

  ASSERT_EQ(io.sent("projections").size(), 1u);
  const auto& projections = static_cast<const Projections&>(*io.sent("projections")[0]);
  EXPECT_EQ(projections.data.shape(), Shape({3, 3, 5}));
  EXPECT_DOUBLE_EQ(projections.angles[2], std::numbers::pi);
  EXPECT_DOUBLE_EQ(projections.center, 2.0);
  ASSERT_EQ(context.log_lines().size(), 1u);
  EXPECT_EQ(context.log_lines()[0].level, LogLevel::info);
  EXPECT_NE(context.log_lines()[0].text.find("3 projections x 3 rows (1..4 of 4) x 5 cols"), std::string::npos)
      << context.log_lines()[0].text;
}

TEST(IoStages, WriterStoresVolumeProvenanceAndPreview) {
  TempDir dir;
  FakeContext context;
  FakeStageIO io;
  io.queue("volume", volume_filled_with(2.0f));
  make_stage(hdf5_writer_spec(), {{"path", (dir / "out" / "recon.h5").string()}})->run(io, context);

  EXPECT_EQ(read_volume(dir / "out" / "recon.h5").data[7], 2.0f);
  EXPECT_EQ(read_provenance(dir / "out" / "recon.h5").provenance.pipeline_text, context.provenance().pipeline_text);
  EXPECT_TRUE(std::filesystem::exists(dir / "out" / "recon.png"));
  ASSERT_EQ(context.log_lines().size(), 1u);
  EXPECT_NE(context.log_lines()[0].text.find("recon.png"), std::string::npos);
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(IoStages, WriterKeepsTheLatestOfAStreamAndCanSkipThePreview) {
  TempDir dir;
  FakeContext context;
  FakeStageIO io;
  io.queue("volume", volume_filled_with(1.0f));
  io.queue("volume", volume_filled_with(5.0f));
  make_stage(hdf5_writer_spec(), {{"path", (dir / "recon.h5").string()}, {"preview", false}})->run(io, context);

  EXPECT_EQ(read_volume(dir / "recon.h5").data[7], 5.0f);
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.png"));
  EXPECT_EQ(context.log_lines().size(), 2u);
}

TEST(IoStages, WriterWithoutInputFails) {
  TempDir dir;
  FakeContext context;
  FakeStageIO io;
  EXPECT_THROW(make_stage(hdf5_writer_spec(), {{"path", (dir / "recon.h5").string()}})->run(io, context), Error);
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.h5"));
}

TEST(IoStages, CancelledWriterLeavesNothing) {
  TempDir dir;
  FakeContext context;
  context.cancel();
  FakeStageIO io;
  io.queue("volume", volume_filled_with(1.0f));
  EXPECT_THROW(make_stage(hdf5_writer_spec(), {{"path", (dir / "recon.h5").string()}})->run(io, context), Cancelled);
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.h5"));
  EXPECT_FALSE(std::filesystem::exists(dir / "recon.png"));
  EXPECT_TRUE(dir.partial_files().empty());
}

TEST(IoStages, BuiltPluginDescribesItsStages) {
  const std::filesystem::path module = std::filesystem::path(XRECON_PLUGIN_BUILD_DIR) / "xrecon_plugin_io.so";
  ASSERT_TRUE(std::filesystem::exists(module)) << module;
  boost::dll::shared_library library(module.string());
  auto& descriptor = library.get_alias<const xrecon_plugin_descriptor*()>(XRECON_PLUGIN_SYMBOL);
  const xrecon_plugin_descriptor* plugin = descriptor();
  EXPECT_STREQ(plugin->name, "io");
  EXPECT_EQ(plugin->abi_major, unsigned(XRECON_SDK_ABI_MAJOR));
  const auto* components = static_cast<const ComponentList*>(plugin->components());
  ASSERT_EQ(components->size(), 6u);
  EXPECT_EQ((*components)[0].name, "io.dxchange");
  EXPECT_EQ((*components)[1].name, "io.hdf5_writer");
  EXPECT_EQ((*components)[2].name, "io.cxi");
  EXPECT_EQ((*components)[3].name, "io.cxi_writer");
  EXPECT_EQ((*components)[4].name, "io.npy");
  EXPECT_EQ((*components)[5].name, "io.tiff");
}

TEST(IoStages, PlainInputSpecsDeclareTheirContract) {
  for (const ComponentSpec& spec : {npy_spec(), tiff_spec()}) {
    ASSERT_EQ(spec.outputs.size(), 1u);
    EXPECT_EQ(spec.outputs[0].kind, PayloadKind::projections);
    const ParamSpec* path = spec.params.find("path");
    ASSERT_NE(path, nullptr);
    EXPECT_TRUE(path->must_exist);
    for (const char* name : {"start_row", "end_row", "theta_file", "theta_start", "theta_end", "theta_units", "center",
                             "minus_log"})
      EXPECT_NE(spec.params.find(name), nullptr) << spec.name << ": " << name;
    EXPECT_EQ(std::get<bool>(*spec.params.find("minus_log")->default_value), false);
  }
  EXPECT_NE(tiff_spec().params.find("pattern"), nullptr);
}

// Checked before the run: an angle file that is not there, an empty row range.
TEST(IoStages, PlainInputParametersAreCheckedBeforeTheRun) {
  TempDir dir;
  testing::write_file(dir / "theta.txt", "0 90\n");
  const std::string path = (dir / "theta.txt").string();  // any existing file stands for the data
  const auto refused_param = [&](const std::map<std::string, ParamValue>& given) -> std::string {
    std::map<std::string, ParamValue> all = given;
    all["path"] = path;
    try {
      with_defaults(npy_spec(), all);
    } catch (const ParamError& e) {
      return e.param();
    }
    return "";
  };
  EXPECT_EQ(refused_param({{"theta_file", (dir / "absent.txt").string()}}), "theta_file");
  EXPECT_EQ(refused_param({{"theta_file", path}, {"start_row", std::int64_t(2)}, {"end_row", std::int64_t(2)}}),
            "end_row");
  EXPECT_EQ(refused_param({{"theta_start", 90.0}, {"theta_end", 90.0}}), "theta_end");
  EXPECT_EQ(refused_param({{"theta_file", path}}), "");
  EXPECT_EQ(refused_param({}), "");
}

// Without an angle file, tomopy.angles(n): 0 to 180 degrees, both ends included.
TEST(IoStages, PlainInputAnglesDefaultToTomopyAngles) {
  TempDir dir;
  testing::write_npy<float>(dir / "sino.npy", "<f4", {3, 2}, {0, 1, 0, 1, 0, 1});
  FakeContext context;
  FakeStageIO io;
  make_stage(npy_spec(), {{"path", (dir / "sino.npy").string()}})->run(io, context);
  const auto& projections = static_cast<const Projections&>(*io.sent("projections")[0]);
  ASSERT_EQ(projections.angles.size(), 3u);
  EXPECT_DOUBLE_EQ(projections.angles[0], 0.0);
  EXPECT_DOUBLE_EQ(projections.angles[1], std::numbers::pi / 2);
  EXPECT_DOUBLE_EQ(projections.angles[2], std::numbers::pi);
}

TEST(IoStages, NpySendsProjectionsAndLogsWhereTheAnglesCameFrom) {
  TempDir dir;
  testing::write_npy<float>(dir / "sino.npy", "<f4", {2, 3}, {0, 2, 0, 0, 3, 0});
  FakeContext context;
  FakeStageIO io;
  make_stage(npy_spec(), {{"path", (dir / "sino.npy").string()}, {"theta_start", 0.0}, {"theta_end", 90.0},
                          {"center", 1.0}})
      ->run(io, context);
  ASSERT_EQ(io.sent("projections").size(), 1u);
  const auto& projections = static_cast<const Projections&>(*io.sent("projections")[0]);
  EXPECT_EQ(projections.data.shape(), Shape({2, 1, 3}));
  EXPECT_EQ(projections.data[4], 3.0f);
  EXPECT_DOUBLE_EQ(projections.angles[1], std::numbers::pi / 2);
  EXPECT_DOUBLE_EQ(projections.center, 1.0);
  ASSERT_EQ(context.log_lines().size(), 1u);
  EXPECT_EQ(context.log_lines()[0].text,
            "io.npy: read " + (dir / "sino.npy").string() +
                ": 2 projections x 1 rows x 3 cols (float32, C order); theta 0.00..90.00 deg (theta_start..theta_end "
                "in degrees, auto: theta_start and theta_end are degrees, as tomopy.angles takes them)");
}

// axes: rows_angles_cols reads ASTRA's (rows, angles, cols) array as projections (angles, rows, cols).
TEST(IoStages, NpyAxesParameterReadsAstraOrder) {
  TempDir dir;
  // 2 rows, 3 angles, 2 cols: value 10 * row + angle, + 100 in col 1.
  std::vector<float> astra;
  for (int r = 0; r < 2; ++r)
    for (int a = 0; a < 3; ++a)
      for (int c = 0; c < 2; ++c) astra.push_back(float(10 * r + a + 100 * c));
  testing::write_npy<float>(dir / "proj.npy", "<f4", {2, 3, 2}, astra);
  FakeContext context;
  FakeStageIO io;
  make_stage(npy_spec(), {{"path", (dir / "proj.npy").string()}, {"axes", std::string("rows_angles_cols")}})
      ->run(io, context);
  const auto& projections = static_cast<const Projections&>(*io.sent("projections")[0]);
  ASSERT_EQ(projections.data.shape(), Shape({3, 2, 2}));
  ASSERT_EQ(projections.angles.size(), 3u);
  EXPECT_EQ(projections.data[(2 * 2 + 1) * 2 + 1], 112.0f);  // angle 2, row 1, col 1
  EXPECT_NE(context.log_lines()[0].text.find("3 projections x 2 rows x 2 cols (float32, C order, rows, angles, cols)"),
            std::string::npos)
      << context.log_lines()[0].text;
}

TEST(IoStages, TiffTakesMinusLogOfATransmissionWhenAsked) {
  TempDir dir;
  testing::write_tiff(dir / "t.tif", {testing::tiff_page(1, 2, SAMPLEFORMAT_IEEEFP, std::vector<float>{0.5f, 1.0f}),
                                      testing::tiff_page(1, 2, SAMPLEFORMAT_IEEEFP, std::vector<float>{0.25f, 1.0f})});
  testing::write_file(dir / "theta.txt", "0\n3.14159\n");
  const std::map<std::string, ParamValue> given = {{"path", (dir / "t.tif").string()},
                                                   {"theta_file", (dir / "theta.txt").string()}};
  {
    FakeContext context;
    FakeStageIO io;
    std::map<std::string, ParamValue> with_log = given;
    with_log["minus_log"] = true;
    make_stage(tiff_spec(), with_log)->run(io, context);
    const auto& projections = static_cast<const Projections&>(*io.sent("projections")[0]);
    EXPECT_FLOAT_EQ(projections.data[0], float(std::log(2.0)));
    EXPECT_FLOAT_EQ(projections.data[2], float(std::log(4.0)));
    EXPECT_DOUBLE_EQ(projections.angles[1], 3.14159);
    EXPECT_NE(context.log_lines().back().text.find("(" + (dir / "theta.txt").string() + " in radians, auto: every "
                                                   "value within 2 pi"),
              std::string::npos)
        << context.log_lines().back().text;
    EXPECT_NE(context.log_lines().back().text.find("; -log applied"), std::string::npos);
  }
  // Kept as it is by default, with a warning that it looks like a transmission.
  FakeContext context;
  FakeStageIO io;
  make_stage(tiff_spec(), given)->run(io, context);
  EXPECT_EQ(static_cast<const Projections&>(*io.sent("projections")[0]).data[0], 0.5f);
  ASSERT_EQ(context.log_lines().size(), 2u);
  EXPECT_EQ(context.log_lines()[0].level, LogLevel::warn);
  EXPECT_NE(context.log_lines()[0].text.find("as in a transmission; if it is one, set minus_log: true"),
            std::string::npos)
      << context.log_lines()[0].text;
}

// Whole numbers are what a detector counts: kept, with a warning that counts need flats and darks.
TEST(IoStages, TiffOfIntegersIsReadWithAWarningAboutRawCounts) {
  TempDir dir;
  testing::write_tiff(dir / "counts.tif",
                      {testing::tiff_page(1, 3, SAMPLEFORMAT_UINT, std::vector<std::uint16_t>{0, 900, 1000})});
  FakeContext context;
  FakeStageIO io;
  make_stage(tiff_spec(), {{"path", (dir / "counts.tif").string()}})->run(io, context);
  EXPECT_EQ(static_cast<const Projections&>(*io.sent("projections")[0]).data[2], 1000.0f);
  ASSERT_EQ(context.log_lines().size(), 2u);
  EXPECT_EQ(context.log_lines()[0].level, LogLevel::warn);
  EXPECT_NE(context.log_lines()[0].text.find("holds integers (uint16, 1 pages), read as line integrals; raw detector "
                                             "counts need flat and dark fields first"),
            std::string::npos)
      << context.log_lines()[0].text;
}

// Line integrals given to minus_log, a centre outside the detector: refused naming the parameter.
TEST(IoStages, PlainInputsRefuseMinusLogOfLineIntegralsAndACentreOutside) {
  TempDir dir;
  testing::write_npy<float>(dir / "sino.npy", "<f4", {2, 4}, {0, 3, 4, 0, 0, 5, 6, 0});
  const auto refused_param = [&](const std::map<std::string, ParamValue>& extra) -> std::string {
    std::map<std::string, ParamValue> given = {{"path", (dir / "sino.npy").string()},
                                               {"theta_start", 0.0},
                                               {"theta_end", 90.0}};
    given.insert(extra.begin(), extra.end());
    FakeContext context;
    FakeStageIO io;
    try {
      make_stage(npy_spec(), given)->run(io, context);
    } catch (const ParamError& e) {
      return e.param();
    }
    return "";
  };
  EXPECT_EQ(refused_param({{"minus_log", true}}), "minus_log");
  EXPECT_EQ(refused_param({{"center", 3.5}}), "center");
  EXPECT_EQ(refused_param({{"center", 3.0}}), "");
}

}  // namespace
}  // namespace xrecon::io
