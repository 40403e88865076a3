// The convergence plot: a stack of panels, one per reported quantity, drawn into an RGB raster
// and written with libpng's simplified API (errors come back as png_image::message, so no
// longjmp crosses a C++ frame).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include <png.h>

#include "plot_font.hpp"
#include "xrecon/admm/report.hpp"
#include "xrecon/atomic_output.hpp"
#include "xrecon/error.hpp"

namespace xrecon::admm {
namespace {

struct Rgb {
  std::uint8_t r, g, b;
};

constexpr int kWidth = 760;
constexpr int kPanelHeight = 150;
constexpr int kTitleHeight = 30;
constexpr int kLeft = 80, kRight = 16, kTop = 26, kBottom = 22;  // plot area inside a panel
constexpr Rgb kWhite{255, 255, 255}, kBlack{0, 0, 0}, kGrey{170, 170, 170};
constexpr Rgb kColours[] = {{31, 119, 180}, {214, 39, 40}, {44, 160, 44}, {148, 103, 189}, {255, 127, 14}, {23, 190, 207}};

class Canvas {
 public:
  Canvas(int width, int height) : width_(width), height_(height), pixels_(std::size_t(width) * height * 3, 255) {}

  void dot(int x, int y, Rgb c) {
    if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
    std::uint8_t* p = &pixels_[(std::size_t(y) * width_ + x) * 3];
    p[0] = c.r, p[1] = c.g, p[2] = c.b;
  }
  // Bresenham's line, two pixels thick so it reads at a glance.
  void line(int x0, int y0, int x1, int y1, Rgb c) {
    const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
    for (int err = dx + dy;;) {
      dot(x0, y0, c), dot(x0, y0 + 1, c);
      if (x0 == x1 && y0 == y1) break;
      const int e2 = 2 * err;
      if (e2 >= dy) err += dy, x0 += sx;
      if (e2 <= dx) err += dx, y0 += sy;
    }
  }
  void rectangle(int x0, int y0, int x1, int y1, Rgb c) {
    for (int x = x0; x <= x1; ++x) dot(x, y0, c), dot(x, y1, c);
    for (int y = y0; y <= y1; ++y) dot(x0, y, c), dot(x1, y, c);
  }
  // Text with its top-left corner at (x, y), each font pixel `scale` pixels wide.
  void text(int x, int y, const std::string& s, Rgb c, int scale = 1) {
    for (char ch : s) {
      const detail::Glyph g = detail::glyph_of(ch);
      for (int col = 0; col < 5; ++col)
        for (int row = 0; row < 7; ++row)
          if (g[std::size_t(col)] >> row & 1)
            for (int i = 0; i < scale; ++i)
              for (int j = 0; j < scale; ++j) dot(x + col * scale + i, y + row * scale + j, c);
      x += 6 * scale;
    }
  }
  static int text_width(const std::string& s, int scale = 1) { return int(s.size()) * 6 * scale; }

  const std::vector<std::uint8_t>& pixels() const { return pixels_; }
  int width() const { return width_; }
  int height() const { return height_; }

 private:
  int width_, height_;
  std::vector<std::uint8_t> pixels_;
};

std::string number_text(double v) {
  char s[32];
  std::snprintf(s, sizeof s, "%.3g", v);
  return s;
}

void draw_panel(Canvas& canvas, int top, const std::vector<IterationRecord>& records, const PlotSeries& series,
                Rgb colour) {
  const int x0 = kLeft, x1 = kWidth - kRight, y0 = top + kTop, y1 = top + kPanelHeight - kBottom;
  canvas.rectangle(x0, y0, x1, y1, kGrey);
  canvas.text(x0, top + 8, series.name + (series.log_scale ? " (log)" : ""), colour, 2);

  std::vector<std::pair<double, double>> points;  // (iteration, value shown)
  for (const IterationRecord& r : records) {
    const std::optional<double> v = r.find(series.name);
    if (!v || !std::isfinite(*v) || (series.log_scale && *v <= 0)) continue;
    points.emplace_back(r.iteration, series.log_scale ? std::log10(*v) : *v);
  }
  if (points.empty()) {
    canvas.text(x0 + 10, (y0 + y1) / 2, "no values", kGrey, 2);
    return;
  }
  double lo = std::numeric_limits<double>::infinity(), hi = -lo;
  for (const auto& [it, v] : points) lo = std::min(lo, v), hi = std::max(hi, v);
  if (hi - lo < 1e-12 * std::max(1.0, std::abs(hi))) lo -= 0.5, hi += 0.5;
  const double first = records.front().iteration, last = std::max(first + 1, double(records.back().iteration));
  const auto px = [&](double it) { return x0 + int(std::lround((it - first) / (last - first) * (x1 - x0))); };
  const auto py = [&](double v) { return y1 - int(std::lround((v - lo) / (hi - lo) * (y1 - y0))); };
  const auto shown = [&](double v) { return number_text(series.log_scale ? std::pow(10.0, v) : v); };
  canvas.text(x0 - 6 - Canvas::text_width(shown(hi)), y0, shown(hi), kBlack);
  canvas.text(x0 - 6 - Canvas::text_width(shown(lo)), y1 - 7, shown(lo), kBlack);
  canvas.text(x0, y1 + 6, number_text(first), kBlack);
  canvas.text(x1 - Canvas::text_width(number_text(last)), y1 + 6, number_text(last), kBlack);
  for (std::size_t i = 0; i < points.size(); ++i) {
    const int x = px(points[i].first), y = py(points[i].second);
    if (i == 0) canvas.dot(x, y, colour);
    else canvas.line(px(points[i - 1].first), py(points[i - 1].second), x, y, colour);
  }
}

}  // namespace

void write_convergence_plot(const std::vector<IterationRecord>& records, const std::vector<PlotSeries>& series,
                            const std::string& title, const std::filesystem::path& path,
                            const CancellationToken& cancellation) {
  XRECON_CHECK(!records.empty(), "no iterations to plot");
  Canvas canvas(kWidth, kTitleHeight + int(series.size()) * kPanelHeight + 20);
  canvas.text(10, 8, title, kBlack, 2);
  for (std::size_t i = 0; i < series.size(); ++i)
    draw_panel(canvas, kTitleHeight + int(i) * kPanelHeight, records, series[i], kColours[i % std::size(kColours)]);
  canvas.text(kWidth / 2 - Canvas::text_width("iteration") / 2, canvas.height() - 12, "iteration", kBlack);

  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  AtomicOutput output(path);
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(canvas.width());
  png.height = png_uint_32(canvas.height());
  png.format = PNG_FORMAT_RGB;
  const int written = png_image_write_to_file(&png, output.temp_path().c_str(), 0, canvas.pixels().data(),
                                              png_int_32(canvas.width() * 3), nullptr);
  const std::string why = png.message;
  png_image_free(&png);
  if (!written) throw Error("cannot write the plot " + path.string() + ": " + why);
  cancellation.throw_if_cancelled();
  output.commit();
}

}  // namespace xrecon::admm
