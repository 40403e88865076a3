// xrecon bench scaling on virtual cpu devices: the JSON and CSV it writes, their arithmetic, the
// stage filter, weak scaling, bad arguments, and the plots when matplotlib is importable.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "command.hpp"

namespace {

const std::string kPipeline = std::string(XRECON_SOURCE_DIR) + "/configs/tomo_sirt.yaml";

// A tiny tomo_sirt: a few slices so that 4 devices each get one, a few iterations.
std::string tiny(const TempDir& dir) {
  return " --pipeline " + kPipeline +
         " --set phantom.size=32 --set phantom.slices=4 --set scan.angles=16 --set recon.iterations=2"
         " --set save.preview=false --set save.path=" + dir / "recon.h5" + " --out " + dir / "bench";
}

std::string read(const std::string& path) {
  std::ifstream file(path);
  std::stringstream s;
  s << file.rdbuf();
  return s.str();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : 0.5 * (v[v.size() / 2 - 1] + v[v.size() / 2]);
}

std::vector<std::string> split(const std::string& line, char by) {
  std::vector<std::string> items;
  std::stringstream s(line);
  for (std::string item; std::getline(s, item, by);) items.push_back(item);
  return items;
}

// The CSV's data rows (after the '#' header lines and the column names).
std::vector<std::vector<std::string>> csv_rows(const std::string& path) {
  std::vector<std::vector<std::string>> rows;
  std::ifstream file(path);
  bool columns_seen = false;
  for (std::string line; std::getline(file, line);) {
    if (line.empty() || line[0] == '#') continue;
    if (!columns_seen) {
      EXPECT_EQ(line, "devices,median_s,min_s,max_s,speedup,efficiency,seconds");
      columns_seen = true;
      continue;
    }
    rows.push_back(split(line, ','));
  }
  return rows;
}

std::optional<std::string> python_with_matplotlib() {
  for (const char* python : {"python3", "/usr/bin/python3"})
    if (std::system((std::string(python) + " -c 'import matplotlib' >/dev/null 2>&1").c_str()) == 0) return python;
  return std::nullopt;
}

bool is_png(const std::string& path) { return read(path).rfind("\x89PNG\r\n\x1a\n", 0) == 0; }

TEST(BenchScaling, StrongScalingWritesConsistentJsonAndCsv) {
  TempDir dir;
  const CommandResult r = run_command(xrecon_command("bench scaling --devices 1,2,4 --repeat 3" + tiny(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("efficiency"), std::string::npos) << r.output;  // the table

  const auto j = nlohmann::json::parse(read(dir / "bench/scaling.json"));
  const auto& h = j.at("header");
  for (const char* key : {"date", "xrecon_version", "host", "cores", "device_kind", "repeat", "note"})
    EXPECT_TRUE(h.contains(key)) << key;
  EXPECT_EQ(h.at("device_kind"), "cpu");
  EXPECT_EQ(h.at("repeat"), 3);
  EXPECT_EQ(h.at("measured"), "whole run");
  EXPECT_EQ(h.at("mode"), "strong");
  if (h.at("cores").get<int>() < 4)
    EXPECT_NE(h.at("note").get<std::string>().find("not a performance claim"), std::string::npos);

  const auto& points = j.at("points");
  ASSERT_EQ(points.size(), 3u);
  const double t1 = median(points[0].at("seconds").get<std::vector<double>>());
  const std::vector<int> counts{1, 2, 4};
  const auto rows = csv_rows(dir / "bench/scaling.csv");
  ASSERT_EQ(rows.size(), 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    const auto& p = points[i];
    const auto seconds = p.at("seconds").get<std::vector<double>>();
    ASSERT_EQ(seconds.size(), 3u);
    EXPECT_EQ(p.at("devices"), counts[i]);
    const double tn = median(seconds);
    EXPECT_DOUBLE_EQ(p.at("median").get<double>(), tn);
    EXPECT_DOUBLE_EQ(p.at("min").get<double>(), *std::min_element(seconds.begin(), seconds.end()));
    EXPECT_DOUBLE_EQ(p.at("max").get<double>(), *std::max_element(seconds.begin(), seconds.end()));
    EXPECT_NEAR(p.at("speedup").get<double>(), t1 / tn, 1e-12);
    EXPECT_NEAR(p.at("efficiency").get<double>(), t1 / tn / counts[i], 1e-12);
    // The CSV row says the same, to its 6 decimals.
    ASSERT_EQ(rows[i].size(), 7u);
    EXPECT_EQ(std::stoi(rows[i][0]), counts[i]);
    EXPECT_NEAR(std::stod(rows[i][1]), tn, 1e-6);
    EXPECT_NEAR(std::stod(rows[i][4]), t1 / tn, 1e-6);
    EXPECT_NEAR(std::stod(rows[i][5]), t1 / tn / counts[i], 1e-6);
    EXPECT_EQ(split(rows[i][6], ';').size(), 3u);
  }
  // Written aside and renamed: no temporary left behind.
  for (const auto& entry : std::filesystem::directory_iterator(dir / "bench"))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
}

TEST(BenchScaling, StageFilterTimesOnlyThatStage) {
  TempDir dir;
  const CommandResult r = run_command(xrecon_command("bench scaling --devices 1,2 --repeat 1 --stage recon" + tiny(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(read(dir / "bench/scaling.json"));
  EXPECT_EQ(j.at("header").at("measured"), "stage recon");
  ASSERT_EQ(j.at("points").size(), 2u);
  for (const auto& p : j.at("points")) EXPECT_EQ(p.at("seconds").size(), 1u);
  EXPECT_NE(read(dir / "bench/scaling.csv").find("# measured: stage recon\n"), std::string::npos);
}

TEST(BenchScaling, WeakScalingGrowsTheParameter) {
  TempDir dir;
  const CommandResult r = run_command(xrecon_command(
      "bench scaling --devices 1,2 --repeat 1 --weak --weak-param phantom.slices" + tiny(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto j = nlohmann::json::parse(read(dir / "bench/scaling.json"));
  EXPECT_EQ(j.at("header").at("mode"), "weak");
  EXPECT_EQ(j.at("header").at("weak_param"), "phantom.slices");
  const auto& p = j.at("points");
  const double ratio = p[0].at("median").get<double>() / p[1].at("median").get<double>();
  EXPECT_NEAR(p[1].at("efficiency").get<double>(), ratio, 1e-12);
  EXPECT_NEAR(p[1].at("speedup").get<double>(), 2 * ratio, 1e-12);
}

void expect_refused(const std::string& args, const std::string& message) {
  const CommandResult r = run_command(xrecon_command("bench scaling" + args));
  EXPECT_EQ(r.exit_code, 1) << args << "\n" << r.output;
  EXPECT_NE(r.output.find(message), std::string::npos) << args << "\n" << r.output;
}

TEST(BenchScaling, BadArgumentsAreRefusedWithAClearMessage) {
  TempDir dir;
  expect_refused(tiny(dir) + " --devices 0,1", "a device count must be at least 1");
  expect_refused(tiny(dir) + " --devices 1,,2", "comma-separated list of device counts");
  expect_refused(tiny(dir) + " --devices two", "comma-separated list of device counts");
  expect_refused(tiny(dir) + " --devices 1,1", "given twice");
  expect_refused(tiny(dir) + " --kind cuda --devices 1,4096", "4096 cuda devices asked");
  expect_refused(tiny(dir) + " --stage nope", "no stage 'nope'");
  expect_refused(tiny(dir) + " --stage nope", "its stages are phantom, scan, recon, save");
  expect_refused(" --pipeline " + dir / "missing.yaml", "no pipeline file");
  expect_refused(tiny(dir) + " --repeat 0", "--repeat must be at least 1");
  expect_refused(tiny(dir) + " --weak", "--weak needs --weak-param");
  EXPECT_FALSE(std::filesystem::exists(dir / "bench/scaling.json"));
}

TEST(BenchScaling, ReportNeverReplacesThePipelineFile) {
  TempDir dir;
  const std::string pipeline = dir / "scaling.json";  // a pipeline file named like the report
  std::filesystem::copy_file(kPipeline, pipeline);
  const CommandResult r = run_command(xrecon_command("bench scaling --pipeline " + pipeline + " --out " +
                                                     dir.path().string() + " --devices 1 --set phantom.size=32"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("is an input of the pipeline"), std::string::npos) << r.output;
  EXPECT_EQ(read(pipeline), read(kPipeline));
}

TEST(BenchScaling, PlotsArePngsWhenMatplotlibIsPresent) {
  if (!python_with_matplotlib()) GTEST_SKIP() << "no python3 with matplotlib (Debian: python3-matplotlib)";
  TempDir dir;
  const CommandResult r = run_command(xrecon_command("bench scaling --devices 1,2 --repeat 1 --plot" + tiny(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(is_png(dir / "bench/speedup.png")) << r.output;
  EXPECT_TRUE(is_png(dir / "bench/efficiency.png")) << r.output;
}


TEST(BenchScaling, WithoutThePlotScriptItSaysHowToDrawThePlots) {
  TempDir dir;
  const CommandResult r = run_command("XRECON_PLOT_SCALING=" + dir / "missing.py " +
                                      xrecon_command("bench scaling --devices 1 --repeat 1 --plot" + tiny(dir)));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("plots: not drawn"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("--out " + dir / "bench"), std::string::npos) << r.output;  // the command to run later
  EXPECT_TRUE(std::filesystem::exists(dir / "bench/scaling.json"));
  EXPECT_FALSE(std::filesystem::exists(dir / "bench/speedup.png"));
}

}  // namespace
