#include <algorithm>
#include <cmath>

#include "canvas.hpp"
#include "xrecon/admm/report.hpp"
#include "xrecon/error.hpp"

namespace xrecon::admm {

void write_image_row(const std::vector<LabelledImage>& images, double low, double high,
                     const std::filesystem::path& path, const CancellationToken& cancellation) {
  XRECON_CHECK(!images.empty(), "no images to put side by side");
  XRECON_CHECK(high > low, "the grey window must have high > low");
  constexpr int kGap = 8, kLabel = 22;
  int width = kGap, height = 0;
  for (const LabelledImage& i : images) {
    XRECON_CHECK(i.image.rank() == 2 && i.image.space().is_host(), "'" + i.label + "' is not a host image (H, W)");
    width += int(i.image.extent(1)) + kGap;
    height = std::max(height, int(i.image.extent(0)));
  }
  detail::Canvas canvas(width, height + kLabel + kGap);
  int left = kGap;
  for (const LabelledImage& i : images) {
    canvas.text(left, 6, i.label, {0, 0, 0}, 2);
    const auto pixels = i.image.host_span();
    const int w = int(i.image.extent(1)), h = int(i.image.extent(0));
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const double v = std::clamp((double(pixels[std::size_t(y * w + x)]) - low) / (high - low), 0.0, 1.0);
        const auto grey = std::uint8_t(std::isfinite(v) ? std::lround(255 * v) : 0);
        canvas.dot(left + x, kLabel + y, {grey, grey, grey});
      }
    left += w + kGap;
  }
  canvas.write_png(path, cancellation);
}

}  // namespace xrecon::admm
