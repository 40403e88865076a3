#include <cmath>
#include <numbers>

#include "xrecon/tomo/fbp.hpp"

namespace xrecon::tomo {

const std::vector<std::string>& filter_window_names() {
  static const std::vector<std::string> names{"ram-lak", "shepp-logan", "cosine", "hann", "hamming", "parzen"};
  return names;
}

std::string_view to_string(FilterWindow window) { return filter_window_names()[std::size_t(window)]; }

FilterWindow filter_window_from_name(std::string_view name) {
  const std::vector<std::string>& names = filter_window_names();
  std::string choices;
  for (std::size_t i = 0; i < names.size(); ++i) {
    if (names[i] == name) return FilterWindow(i);
    choices += (i ? ", " : "") + names[i];
  }
  XRECON_CHECK(false, "unknown filter window '" + std::string(name) + "' (choices: " + choices + ")");
}

double filter_window_gain(FilterWindow window, double frequency) {
  using std::numbers::pi;
  const double f = std::fabs(frequency);
  switch (window) {
    case FilterWindow::ram_lak: return 1.0;
    case FilterWindow::shepp_logan: return f == 0.0 ? 1.0 : std::sin(pi * f / 2) / (pi * f / 2);
    case FilterWindow::cosine: return std::cos(pi * f / 2);
    case FilterWindow::hann: return 0.5 + 0.5 * std::cos(pi * f);
    case FilterWindow::hamming: return 0.54 + 0.46 * std::cos(pi * f);
    case FilterWindow::parzen: return f <= 0.5 ? 1.0 - 6.0 * f * f * (1.0 - f) : 2.0 * std::pow(1.0 - f, 3);
  }
  return 1.0;
}

}  // namespace xrecon::tomo
