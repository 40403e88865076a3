// The convergence plot: a stack of panels, one per reported quantity, on an RGB canvas.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <vector>

#include "canvas.hpp"
#include "xrecon/admm/report.hpp"
#include "xrecon/error.hpp"

namespace xrecon::admm {
namespace {

using detail::Canvas;
using detail::Rgb;

constexpr int kWidth = 760;
constexpr int kPanelHeight = 150;
constexpr int kTitleHeight = 30;
constexpr int kLeft = 80, kRight = 16, kTop = 26, kBottom = 22;  // plot area inside a panel
constexpr Rgb kBlack{0, 0, 0}, kGrey{170, 170, 170};
constexpr Rgb kColours[] = {{31, 119, 180}, {214, 39, 40}, {44, 160, 44}, {148, 103, 189}, {255, 127, 14}, {23, 190, 207}};

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

  canvas.write_png(path, cancellation);
}

}  // namespace xrecon::admm
