// tomo.sirt_stream as the engine runs it, fed by sim.detector_stream: refresh counts, the report,
// scoring against the truth, and the checks on its parameters and on the stream.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>

#include "stream_fixtures.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::testing {
namespace {

namespace fs = std::filesystem;

// A report file name in a fresh folder, removed with it.
class ReportPath {
 public:
  ReportPath() {
    static int counter = 0;
    dir_ = fs::temp_directory_path() / ("xrecon_stream_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(dir_);
  }
  ~ReportPath() { fs::remove_all(dir_); }
  std::string path() const { return (dir_ / "sub" / "report.jsonl").string(); }

 private:
  fs::path dir_;
};

// The flat JSON objects the report holds: {"name":number,...}, one per line.
std::vector<std::map<std::string, double>> read_report(const std::string& path) {
  std::vector<std::map<std::string, double>> records;
  std::ifstream in(path);
  const std::regex pair(R"re("([a-z_]+)":(-?[0-9][0-9.eE+-]*))re");
  for (std::string line; std::getline(in, line);) {
    EXPECT_TRUE(line.size() > 2 && line.front() == '{' && line.back() == '}') << line;
    std::map<std::string, double> record;
    for (std::sregex_iterator it(line.begin(), line.end(), pair), end; it != end; ++it)
      record[(*it)[1]] = std::stod((*it)[2]);
    EXPECT_EQ(record.size(), std::size_t(std::count(line.begin(), line.end(), ',') + 1)) << "unparsed: " << line;
    records.push_back(record);
  }
  return records;
}

Overrides detector(std::int64_t angles, std::int64_t rotations, const std::string& order = "interleaved") {
  return {{"angles", angles}, {"rotations", rotations}, {"order", order}};
}

TEST(SirtStream, RefreshesEveryStepReportsAndImprovesAgainstTheTruth) {
  // 3 rotations of 60 noiseless interleaved projections, W = 20, S = 10: 18 refreshes.
  const auto sent = detect(phantom_volume(64), detector(60, 3));
  ReportPath report;
  const StreamResult r = reconstruct(sent.at("projections"), sent.at("truth")[0],
                                     {{"window", std::int64_t(20)}, {"step", std::int64_t(10)},
                                      {"min", 0.0}, {"report", report.path()}});
  ASSERT_EQ(r.volumes.size(), 18u);
  for (std::size_t i = 0; i < r.volumes.size(); ++i) {
    EXPECT_EQ(r.volumes[i]->sequence, i);
    EXPECT_EQ(r.volumes[i]->data.shape(), Shape({1, 64, 64}));
    EXPECT_DOUBLE_EQ(r.volumes[i]->voxel_size, 1e-6);
  }
  const auto records = read_report(report.path());
  ASSERT_EQ(records.size(), 18u);
  for (std::size_t i = 0; i < records.size(); ++i) {
    const auto& record = records[i];
    for (const char* field : {"refresh", "projections", "last_sequence", "window", "iterations", "refresh_seconds",
                              "elapsed_seconds", "sustained_rate", "rmse", "ssim"})
      ASSERT_TRUE(record.count(field)) << "refresh " << i << " lacks " << field;
    EXPECT_EQ(record.at("refresh"), double(i));
    EXPECT_EQ(record.at("projections"), double(10 * (i + 1)));
    EXPECT_EQ(record.at("last_sequence"), double(10 * (i + 1) - 1));
    EXPECT_EQ(record.at("window"), i == 0 ? 10.0 : 20.0);
    EXPECT_EQ(record.at("iterations"), 1.0);
    EXPECT_GT(record.at("refresh_seconds"), 0.0);
    EXPECT_NEAR(record.at("sustained_rate"), record.at("projections") / record.at("elapsed_seconds"),
                1e-4 * record.at("sustained_rate"));
  }
  // SSIM rises and RMSE falls from one rotation to the next (every 6 refreshes).
  for (std::size_t end : {5u, 11u, 17u}) std::cout << "SSIM after refresh " << end << ": " << records[end].at("ssim") << "\n";
  EXPECT_GT(records[11].at("ssim"), records[5].at("ssim"));
  EXPECT_GT(records[17].at("ssim"), records[11].at("ssim"));
  EXPECT_GT(records[17].at("ssim"), records[0].at("ssim") + 0.3);
  EXPECT_LT(records[17].at("rmse"), records[5].at("rmse"));
  ASSERT_EQ(r.log.size(), 19u) << "a line per refresh and a summary";
  EXPECT_NE(r.log[0].find("SSIM"), std::string::npos) << r.log[0];
}

TEST(SirtStream, OneWindowOfABatchMessageIsBatchSirt) {
  // sim.tomo-style input: one message with all 45 angles. W = S = 45, I = 6 is one refresh, the
  // same arithmetic as tomo::sirt with 6 iterations.
  const auto sent = detect(phantom_volume(32), detector(45, 1, "sequential"));
  auto batch = std::make_shared<Projections>();
  batch->data = ArrayF(Shape{45, 1, 32});
  for (std::size_t k = 0; k < 45; ++k) {
    const auto& p = static_cast<const Projections&>(*sent.at("projections")[k]);
    std::copy_n(p.data.data(), 32, batch->data.data() + k * 32);
    batch->angles.push_back(p.angles[0]);
  }
  const StreamResult r = reconstruct({batch}, nullptr,
                                     {{"window", std::int64_t(45)}, {"iterations", std::int64_t(6)}});
  ASSERT_EQ(r.volumes.size(), 1u);
  ArrayF expected = ArrayF::zeros({1, 32, 32});
  tomo::SirtOptions six;
  six.iterations = 6;
  tomo::sirt(batch->data, {.angles = batch->angles, .cols = 32, .n = 32}, expected, six);
  for (std::size_t i = 0; i < expected.size(); ++i) ASSERT_EQ(r.volumes[0]->data[i], expected[i]) << "pixel " << i;
}

TEST(SirtStream, CountsFloorOfProjectionsOverStepPlusOneWhenFlushed) {
  const auto sent = detect(phantom_volume(32), detector(50, 1));
  const Overrides every8{{"window", std::int64_t(16)}, {"step", std::int64_t(8)}};
  Overrides unflushed = every8;
  unflushed["flush"] = false;
  EXPECT_EQ(reconstruct(sent.at("projections"), nullptr, unflushed).volumes.size(), 50u / 8);
  EXPECT_EQ(reconstruct(sent.at("projections"), nullptr, every8).volumes.size(), 50u / 8 + 1);
  // A step that divides the stream leaves nothing to flush.
  Overrides every10{{"window", std::int64_t(10)}};
  EXPECT_EQ(reconstruct(sent.at("projections"), nullptr, every10).volumes.size(), 5u);
}

TEST(SirtStream, AStreamShorterThanAStepNeedsFlush) {
  const Messages five(detect(phantom_volume(16), detector(5, 1)).at("projections"));
  EXPECT_EQ(reconstruct(five, nullptr, {{"window", std::int64_t(8)}}).volumes.size(), 1u);
  EXPECT_THROW(reconstruct(five, nullptr, {{"window", std::int64_t(8)}, {"flush", false}}), InputError);
  EXPECT_THROW(reconstruct({}, nullptr, {}), InputError);
}

TEST(SirtStream, WithoutTheTruthReportsNoScores) {
  const auto sent = detect(phantom_volume(32), detector(16, 1));
  ReportPath report;
  const StreamResult r = reconstruct(sent.at("projections"), nullptr, {{"window", std::int64_t(8)}, {"report", report.path()}});
  const auto records = read_report(report.path());
  ASSERT_EQ(records.size(), 2u);
  for (const auto& record : records) {
    EXPECT_EQ(record.count("rmse"), 0u);
    EXPECT_EQ(record.count("ssim"), 0u);
    EXPECT_EQ(record.count("sustained_rate"), 1u);
  }
  EXPECT_EQ(r.log[0].find("SSIM"), std::string::npos) << r.log[0];
}

TEST(SirtStream, AStepLongerThanTheWindowIsAParameterError) {
  try {
    stream_plugin().values("tomo.sirt_stream", {{"window", std::int64_t(8)}, {"step", std::int64_t(9)}});
    FAIL() << "W < S accepted";
  } catch (const ParamError& e) {
    EXPECT_EQ(e.param(), "step");
    EXPECT_NE(std::string(e.what()).find("never be used"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(stream_plugin().values("tomo.sirt_stream", {{"window", std::int64_t(8)}, {"step", std::int64_t(8)}}));
}

// The stream of 6 projections of a 16 x 16 phantom with message `bad` replaced by `replacement`.
Messages with_bad_message(std::size_t bad, std::shared_ptr<Projections> replacement) {
  Messages stream = detect(phantom_volume(16), detector(6, 1)).at("projections");
  replacement->sequence = bad;
  stream[bad] = std::move(replacement);
  return stream;
}

void expect_rejected(const Messages& stream, const std::string& words) {
  try {
    reconstruct(stream, nullptr, {{"window", std::int64_t(2)}});
    FAIL() << "accepted a stream with " << words;
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("sequence 3"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(words), std::string::npos) << e.what();
  }
}

TEST(SirtStream, RejectsAMessageUnlikeTheFirstNamingItsSequence) {
  auto wider = std::make_shared<Projections>();
  wider->data = ArrayF::zeros({1, 1, 18});
  wider->angles = {0.5};
  expect_rejected(with_bad_message(3, wider), "has shape (1x1x18)");

  auto infinite = std::make_shared<Projections>();
  infinite->data = ArrayF::zeros({1, 1, 16});
  infinite->data[7] = std::numeric_limits<float>::infinity();
  infinite->angles = {0.5};
  infinite->convention = CentreConvention::astra;  // the stream's (sim.detector_stream)
  expect_rejected(with_bad_message(3, infinite), "non-finite value");

  auto moved_axis = std::make_shared<Projections>();
  moved_axis->data = ArrayF::zeros({1, 1, 16});
  moved_axis->angles = {0.5};
  moved_axis->center = 3;
  expect_rejected(with_bad_message(3, moved_axis), "rotation axis");

  // The same column in the other convention is another place on the slice.
  auto other_convention = std::make_shared<Projections>();
  other_convention->data = ArrayF::zeros({1, 1, 16});
  other_convention->angles = {0.5};
  other_convention->center = 7.5;
  other_convention->convention = CentreConvention::tomopy;
  expect_rejected(with_bad_message(3, other_convention), "(tomopy convention) but the stream started with 7.500000 (astra)");
}

TEST(SirtStream, RejectsATruthOfAnotherShape) {
  const auto sent = detect(phantom_volume(16), detector(4, 1));
  EXPECT_THROW(reconstruct(sent.at("projections"), phantom_volume(32), {{"window", std::int64_t(4)}}), InputError);
}

TEST(SirtStream, StopsWhenCancelled) {
  const auto sent = detect(phantom_volume(16), detector(8, 1));
  FakeStageIO io;
  for (const auto& m : sent.at("projections")) io.queue("projections", m);
  FakeContext context;
  context.cancel();
  EXPECT_THROW(stream_plugin().stage("tomo.sirt_stream")->run(io, context), Cancelled);
}

}  // namespace
}  // namespace xrecon::testing
