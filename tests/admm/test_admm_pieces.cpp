// The ADMM pieces both hosts share: the penalty and its residual balancing, the JSON lines of the
// report, and the convergence plot.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include <png.h>

#include "xrecon/admm/penalty.hpp"
#include "xrecon/admm/report.hpp"

namespace xrecon::admm {
namespace {

TEST(Penalty, GrowsWhenThePrimalResidualDominatesAndShrinksWhenTheDualDoes) {
  Penalty p(0.5, {.factor = 2, .threshold = 10});
  EXPECT_EQ(p.rho(), 0.5);
  EXPECT_EQ(p.balance(11, 1), 2.0);  // primal > 10 x dual
  EXPECT_EQ(p.rho(), 1.0);
  EXPECT_EQ(p.balance(10, 1), 1.0);  // on the band's edge: left alone
  EXPECT_EQ(p.balance(1, 10), 1.0);
  EXPECT_EQ(p.rho(), 1.0);
  EXPECT_EQ(p.balance(1, 10.5), 0.5);
  EXPECT_EQ(p.balance(0, 1e-30), 0.5);  // any dual residual beats a zero primal one
  EXPECT_EQ(p.rho(), 0.25);
  EXPECT_EQ(p.exponent(), -1);
}

TEST(Penalty, IsAFunctionOfItsExponentSoAResumeTakesTheSameValues) {
  Penalty running(0.3, {.factor = 3, .threshold = 5});
  for (int i = 0; i < 7; ++i) running.balance(100, 1);
  running.balance(1, 100);
  const Penalty resumed(0.3, {.factor = 3, .threshold = 5}, running.exponent());
  EXPECT_EQ(resumed.rho(), running.rho());  // bit for bit
  EXPECT_NEAR(running.rho(), 0.3 * std::pow(3.0, 6), 1e-9);
}

TEST(Penalty, DisabledBalancingLeavesRhoAlone) {
  Penalty p(2, {.enabled = false});
  EXPECT_EQ(p.balance(1e9, 1), 1.0);
  EXPECT_EQ(p.rho(), 2.0);
}

TEST(Penalty, RefusesImpossibleSettings) {
  EXPECT_THROW(Penalty(0, {}), InputError);
  EXPECT_THROW(Penalty(NAN, {}), InputError);
  EXPECT_THROW(Penalty(1, {.factor = 1}), InputError);
  EXPECT_THROW(Penalty(1, {.threshold = 0.5}), InputError);
}

TEST(Report, RecordsBecomeJsonLinesWithNullForNonFiniteValues) {
  IterationRecord r{.iteration = 3};
  r.add("primal_residual", 0.25).add("ssim", NAN);
  EXPECT_EQ(to_json(r), "{\"iteration\": 3, \"primal_residual\": 0.25, \"ssim\": null}");
  EXPECT_EQ(r.find("primal_residual"), 0.25);
  EXPECT_FALSE(r.find("rho").has_value());
}

TEST(ConvergencePlot, WritesAnRgbPngWithAPanelPerSeries) {
  std::vector<IterationRecord> records;
  for (int i = 1; i <= 20; ++i) {
    IterationRecord r{.iteration = i};
    r.add("primal_residual", std::pow(0.7, i)).add("ssim", 0.5 + 0.01 * i).add("rho", -1);
    records.push_back(r);
  }
  const auto path = std::filesystem::temp_directory_path() / "xrecon_admm_plot_test" / "plot.png";
  std::filesystem::remove_all(path.parent_path());
  write_convergence_plot(records, {{"primal_residual"}, {"ssim", false}, {"rho"}}, "test", path, CancellationToken{});
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_file(&image, path.c_str())) << image.message;
  EXPECT_EQ(image.width, 760u);
  EXPECT_EQ(image.height, 30u + 3 * 150 + 20);
  image.format = PNG_FORMAT_RGB;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
  // The first panel's line (blue) is drawn: some pixel has its colour.
  bool blue = false;
  for (std::size_t i = 0; i + 2 < pixels.size(); i += 3) blue |= pixels[i] == 31 && pixels[i + 1] == 119 && pixels[i + 2] == 180;
  EXPECT_TRUE(blue);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(path.parent_path()), {}), 1)
      << "no temporary file left behind";
  std::filesystem::remove_all(path.parent_path());
  EXPECT_THROW(write_convergence_plot({}, {{"rho"}}, "empty", path, CancellationToken{}), Error);
}

TEST(ImageRow, PutsImagesSideBySideInOneGreyWindow) {
  ArrayF a(Shape{20, 30}), b(Shape{24, 10});
  std::fill(a.host_span().begin(), a.host_span().end(), 1.0f);  // white at the window's top
  std::fill(b.host_span().begin(), b.host_span().end(), -5.0f);  // clamped to black
  const auto path = std::filesystem::temp_directory_path() / "xrecon_admm_row_test.png";
  write_image_row({{"a", a}, {"b", b}}, 0.0, 1.0, path, CancellationToken{});
  png_image image{};
  image.version = PNG_IMAGE_VERSION;
  ASSERT_TRUE(png_image_begin_read_from_file(&image, path.c_str())) << image.message;
  EXPECT_EQ(image.width, 8u + 30 + 8 + 10 + 8);
  EXPECT_EQ(image.height, 22u + 24 + 8);
  image.format = PNG_FORMAT_GRAY;
  std::vector<unsigned char> pixels(PNG_IMAGE_SIZE(image));
  ASSERT_TRUE(png_image_finish_read(&image, nullptr, pixels.data(), 0, nullptr));
  EXPECT_EQ(pixels[30 * image.width + 8 + 5], 255);       // inside a
  EXPECT_EQ(pixels[30 * image.width + 8 + 30 + 8 + 5], 0);  // inside b
  std::filesystem::remove(path);
  EXPECT_THROW(write_image_row({{"a", a}}, 1.0, 1.0, path, CancellationToken{}), InputError);
}

}  // namespace
}  // namespace xrecon::admm
