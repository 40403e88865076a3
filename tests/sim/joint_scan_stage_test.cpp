// The sim.joint_scan stage driven through its spec, as the engine would: the messages joint.admm
// relies on (one scan per angle with its angle, sequence and object grid; the truth volumes), the
// defaults' size and speed, and the parameter combinations it refuses before running.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>

#include <xrecon/stage.hpp>

#include "stages.hpp"
#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"

namespace xrecon::sim {
namespace {

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

// Runs the stage with these parameters and returns what it sent.
FakeStageIO run_stage(const std::map<std::string, ParamValue>& given, FakeContext& context) {
  const ComponentSpec spec = joint_scan_spec();
  std::unique_ptr<Component> component = spec.create(with_defaults(spec, given));
  auto* stage = dynamic_cast<Stage*>(component.get());
  EXPECT_NE(stage, nullptr);
  FakeStageIO io;
  stage->run(io, context);
  return io;
}

std::string param_error_of(const std::map<std::string, ParamValue>& given) {
  try {
    with_defaults(joint_scan_spec(), given);
  } catch (const ParamError& e) {
    return e.param();
  }
  return "";
}

TEST(JointScanStage, SpecDeclaresTheContract) {
  const ComponentSpec spec = joint_scan_spec();
  EXPECT_EQ(spec.name, "sim.joint_scan");
  EXPECT_TRUE(spec.inputs.empty());
  ASSERT_EQ(spec.outputs.size(), 4u);
  EXPECT_EQ(spec.outputs[0].name, "scans");
  EXPECT_EQ(spec.outputs[0].kind, PayloadKind::ptycho_scan);
  EXPECT_EQ(spec.outputs[1].name, "delta");
  EXPECT_EQ(spec.outputs[1].kind, PayloadKind::volume);
  EXPECT_EQ(spec.outputs[2].name, "beta");
  EXPECT_EQ(spec.outputs[2].kind, PayloadKind::volume);
  EXPECT_EQ(spec.outputs[3].name, "psi");
  EXPECT_EQ(spec.outputs[3].kind, PayloadKind::complex_projections);
  for (const char* name : {"kind", "size", "slices", "angles", "arc", "seed", "energy_kev", "material", "max_phase",
                           "probe", "probe_size", "fwhm", "detector", "scan", "step", "overlap", "jitter", "noise",
                           "photons", "distance"})
    EXPECT_NE(spec.params.find(name), nullptr) << name;
}

TEST(JointScanStage, DefaultRunIsSmallFastAndKeepsTheContract) {
  FakeContext context;
  const auto start = std::chrono::steady_clock::now();
  FakeStageIO io = run_stage({}, context);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10.0);  // about 0.1 s on 2 cores

  const auto& scans = io.sent("scans");
  ASSERT_EQ(scans.size(), 48u);
  const auto delta = std::static_pointer_cast<const Volume>(io.sent("delta").at(0));
  const auto beta = std::static_pointer_cast<const Volume>(io.sent("beta").at(0));
  const auto psi = std::static_pointer_cast<const ComplexProjections>(io.sent("psi").at(0));
  ASSERT_EQ(delta->data.shape(), (Shape{32, 64, 64}));
  ASSERT_EQ(beta->data.shape(), (Shape{32, 64, 64}));
  ASSERT_EQ(psi->data.shape(), (Shape{48, 32, 64}));
  EXPECT_GT(delta->voxel_size, 1e-8);
  EXPECT_LT(delta->voxel_size, 1e-5);
  EXPECT_EQ(beta->voxel_size, delta->voxel_size);
  EXPECT_NE(delta->description.find("water"), std::string::npos) << delta->description;
  EXPECT_NE(delta->description.find("delta/beta"), std::string::npos) << delta->description;

  const double lambda = 12.398419843320026e-10 / 8.8;
  for (std::size_t a = 0; a < scans.size(); ++a) {
    const auto& scan = static_cast<const PtychoScan&>(*scans[a]);
    EXPECT_EQ(scan.sequence, a);
    EXPECT_NEAR(scan.angle, double(a) * std::numbers::pi / 48.0, 1e-14);
    EXPECT_EQ(psi->angles[a], scan.angle);
    EXPECT_EQ(scan.object_rows, 32u);
    EXPECT_EQ(scan.object_cols, 64u);
    ASSERT_EQ(scan.patterns.shape(), (Shape{21, 16, 16}));  // 3 x 7 windows of 16 px, 8 px apart
    ASSERT_EQ(scan.positions.shape(), (Shape{21, 2}));
    for (std::size_t j = 0; j < 21; ++j) {
      EXPECT_GE(scan.positions[j * 2], 0.0);
      EXPECT_LE(scan.positions[j * 2], 32.0 - 16.0);
      EXPECT_GE(scan.positions[j * 2 + 1], 0.0);
      EXPECT_LE(scan.positions[j * 2 + 1], 64.0 - 16.0);
    }
    EXPECT_EQ(scan.positions[20 * 2], 16.0);
    EXPECT_EQ(scan.positions[20 * 2 + 1], 48.0);
    ASSERT_EQ(scan.probe.shape(), (Shape{16, 16}));
    double power = 0.0;
    for (const auto& value : scan.probe.host_span()) power += std::norm(value);
    EXPECT_NEAR(power, 1e5, 1.0);
    EXPECT_NEAR(scan.energy, 8.8e3 * 1.602176634e-19, 1e-25);
    EXPECT_EQ(scan.distance, 2.0);
    EXPECT_NEAR(lambda * scan.distance / (16.0 * scan.detector_pixel), delta->voxel_size, 1e-9 * delta->voxel_size);
    double counts = 0.0;
    for (float v : scan.patterns.host_span()) counts += v;
    EXPECT_NEAR(counts / 21.0, 1e5, 0.01 * 1e5);  // water absorbs a few per mille
  }
  const std::vector<xrecon::testing::LogLine> lines = context.log_lines();
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(lines[0].text.find("voxel"), std::string::npos) << lines[0].text;
}

TEST(JointScanStage, OverlapSetsTheStepAndFoamRuns) {
  FakeContext context;
  FakeStageIO io = run_stage({{"kind", std::string("foam")}, {"size", std::int64_t(32)}, {"slices", std::int64_t(16)},
                              {"angles", std::int64_t(3)}, {"probe_size", std::int64_t(8)}, {"overlap", 0.75},
                              {"noise", std::string("none")}},
                             context);
  const auto& scans = io.sent("scans");
  ASSERT_EQ(scans.size(), 3u);
  const auto& scan = static_cast<const PtychoScan&>(*scans[0]);
  // step (1 - 0.75) * 8 = 2: 5 rows (0..8) x 13 cols (0..24) of windows.
  ASSERT_EQ(scan.positions.extent(0), 5u * 13u);
  EXPECT_EQ(scan.positions[3], 2.0);
  const auto psi = std::static_pointer_cast<const ComplexProjections>(io.sent("psi").at(0));
  for (std::size_t a = 0; a < 3; ++a)
    for (std::size_t row = 0; row < 16; ++row)
      for (std::size_t col : {std::size_t(0), std::size_t(31)})
        EXPECT_NEAR(std::abs(psi->data[(a * 16 + row) * 32 + col] - std::complex<float>(1.0f)), 0.0, 1e-6);
  const auto delta = std::static_pointer_cast<const Volume>(io.sent("delta").at(0));
  EXPECT_NE(delta->description.find("foam"), std::string::npos) << delta->description;
}

TEST(JointScanStage, RefusesCombinationsThatCannotWork) {
  EXPECT_EQ(param_error_of({{"probe_size", std::int64_t(40)}}), "probe_size");  // slices are 32
  EXPECT_EQ(
      param_error_of({{"size", std::int64_t(16)}, {"probe_size", std::int64_t(24)}, {"slices", std::int64_t(64)}}),
      "probe_size");
  EXPECT_EQ(param_error_of({{"detector", std::int64_t(8)}}), "detector");
  EXPECT_EQ(param_error_of({{"step", 4.0}, {"overlap", 0.5}}), "overlap");
  EXPECT_EQ(param_error_of({{"scan", std::string("fermat")}, {"slices", std::int64_t(20)}}), "scan");
  EXPECT_EQ(param_error_of({{"probe", std::string("focused")}, {"fwhm", 12.0}}), "fwhm");
  EXPECT_EQ(param_error_of({{"kind", std::string("foam")}, {"min_radius", 0.2}, {"max_radius", 0.1}}), "min_radius");
  EXPECT_EQ(param_error_of({{"scan", std::string("fermat")}}), "");
  EXPECT_EQ(param_error_of({{"probe", std::string("focused")}}), "");
}

TEST(JointScanStage, NikitinsDemoScaleIsReachableThroughParameters) {
  // 128^3 object, 192 angles, 64 px detector, 16 px probe, 8 px steps: accepted as parameters.
  EXPECT_EQ(param_error_of({{"size", std::int64_t(128)}, {"slices", std::int64_t(128)}, {"angles", std::int64_t(192)},
                            {"detector", std::int64_t(64)}, {"probe_size", std::int64_t(16)}, {"step", 8.0}}),
            "");
}

TEST(JointScanStage, CancelledBeforeTheScansSendsNoScan) {
  FakeContext context;
  context.cancel();
  EXPECT_THROW(run_stage({{"angles", std::int64_t(2)}}, context), Cancelled);
}

}  // namespace
}  // namespace xrecon::sim
