// sim.detector_stream as the engine runs it: one message per projection, in acquisition order.
#include <gtest/gtest.h>

#include <chrono>
#include <numbers>

#include "stream_fixtures.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::testing {
namespace {

constexpr double kPi = std::numbers::pi;

std::vector<double> angles_of(const Messages& messages) {
  std::vector<double> angles;
  for (const auto& m : messages) angles.push_back(std::static_pointer_cast<const Projections>(m)->angles.at(0));
  return angles;
}

TEST(DetectorStream, SequentialSendsEveryProjectionOfEveryRotationInOrder) {
  const auto volume = phantom_volume(32);
  const auto sent = detect(volume, {{"angles", std::int64_t(8)}, {"rotations", std::int64_t(2)}});
  const Messages& stream = sent.at("projections");
  ASSERT_EQ(stream.size(), 16u);
  for (std::size_t i = 0; i < stream.size(); ++i) {
    const auto& p = static_cast<const Projections&>(*stream[i]);
    EXPECT_EQ(p.sequence, i);
    EXPECT_EQ(p.data.shape(), Shape({1, 1, 32}));
    EXPECT_DOUBLE_EQ(p.angles.at(0), kPi * double(i % 8) / 8.0);
    EXPECT_DOUBLE_EQ(p.center_or_default(), 15.5);
    EXPECT_DOUBLE_EQ(p.pixel_size, 1e-6);
    EXPECT_TRUE(p.normalized());
    EXPECT_EQ(p.convention, CentreConvention::astra);  // the detector centred on the phantom
    const ArrayF expected = tomo::project(
        volume->data, {.angles = p.angles, .cols = 32, .n = 32, .convention = CentreConvention::astra});
    for (std::size_t c = 0; c < 32; ++c) ASSERT_EQ(p.data[c], expected[c]) << "projection " << i << " column " << c;
  }
  ASSERT_EQ(sent.at("truth").size(), 1u);
  EXPECT_EQ(sent.at("truth")[0], volume) << "the truth is the input, passed on";
}

TEST(DetectorStream, InterleavedIsBitReversedWithinEachRotation) {
  const auto sent = detect(phantom_volume(16), {{"angles", std::int64_t(4)}, {"rotations", std::int64_t(2)},
                                                {"order", std::string("interleaved")}});
  const double q = kPi / 4;
  EXPECT_EQ(angles_of(sent.at("projections")), (std::vector<double>{0, 2 * q, q, 3 * q, 0, 2 * q, q, 3 * q}));
}

TEST(DetectorStream, PoissonNoiseIsFreshForEveryProjectionAndSeeded) {
  const auto volume = phantom_volume(32);
  const Overrides with{{"angles", std::int64_t(4)}, {"rotations", std::int64_t(2)},
                       {"noise", std::string("poisson")}, {"photons", 1e4}};
  const auto first = detect(volume, with), again = detect(volume, with);
  const auto& a = first.at("projections");
  const auto value = [](const Messages& m, std::size_t i, std::size_t c) {
    return static_cast<const Projections&>(*m[i]).data[c];
  };
  bool rotations_differ = false;
  for (std::size_t c = 0; c < 32; ++c) {
    for (std::size_t i = 0; i < a.size(); ++i) ASSERT_EQ(value(a, i, c), value(again.at("projections"), i, c));
    rotations_differ |= value(a, 1, c) != value(a, 5, c);  // the same angle, a rotation apart
  }
  EXPECT_TRUE(rotations_differ);
}

TEST(DetectorStream, RateSpacesTheProjections) {
  const auto start = std::chrono::steady_clock::now();
  const auto sent = detect(phantom_volume(16), {{"angles", std::int64_t(11)}, {"rate", 200.0}});
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(sent.at("projections").size(), 11u);
  EXPECT_GE(seconds, 10 / 200.0) << "the last projection is due 10 intervals after the first";
}

TEST(DetectorStream, RejectsWhatItCannotProject) {
  auto flat = std::make_shared<Volume>();
  flat->data = ArrayF::zeros({1, 8, 9});
  EXPECT_THROW(detect(flat, {}), InputError);
}

TEST(DetectorStream, StopsWhenCancelled) {
  FakeStageIO io;
  io.queue("volume", phantom_volume(16));
  FakeContext context;
  context.cancel();
  EXPECT_THROW(sim_plugin().stage("sim.detector_stream")->run(io, context), Cancelled);
}

}  // namespace
}  // namespace xrecon::testing
