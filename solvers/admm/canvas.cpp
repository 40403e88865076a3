#include "canvas.hpp"

#include <cstdlib>

#include <png.h>

#include "plot_font.hpp"
#include "xrecon/atomic_output.hpp"
#include "xrecon/error.hpp"

namespace xrecon::admm::detail {

Canvas::Canvas(int width, int height)
    : width_(width), height_(height), pixels_(std::size_t(width) * std::size_t(height) * 3, 255) {}

void Canvas::dot(int x, int y, Rgb c) {
  if (x < 0 || y < 0 || x >= width_ || y >= height_) return;
  std::uint8_t* p = &pixels_[(std::size_t(y) * std::size_t(width_) + std::size_t(x)) * 3];
  p[0] = c.r, p[1] = c.g, p[2] = c.b;
}

void Canvas::line(int x0, int y0, int x1, int y1, Rgb c) {
  const int dx = std::abs(x1 - x0), dy = -std::abs(y1 - y0), sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1;
  for (int err = dx + dy;;) {
    dot(x0, y0, c), dot(x0, y0 + 1, c);
    if (x0 == x1 && y0 == y1) break;
    const int e2 = 2 * err;
    if (e2 >= dy) err += dy, x0 += sx;
    if (e2 <= dx) err += dx, y0 += sy;
  }
}

void Canvas::rectangle(int x0, int y0, int x1, int y1, Rgb c) {
  for (int x = x0; x <= x1; ++x) dot(x, y0, c), dot(x, y1, c);
  for (int y = y0; y <= y1; ++y) dot(x0, y, c), dot(x1, y, c);
}

void Canvas::text(int x, int y, const std::string& s, Rgb c, int scale) {
  for (char ch : s) {
    const Glyph g = glyph_of(ch);
    for (int col = 0; col < 5; ++col)
      for (int row = 0; row < 7; ++row)
        if (g[std::size_t(col)] >> row & 1)
          for (int i = 0; i < scale; ++i)
            for (int j = 0; j < scale; ++j) dot(x + col * scale + i, y + row * scale + j, c);
    x += 6 * scale;
  }
}

void Canvas::write_png(const std::filesystem::path& path, const CancellationToken& cancellation) const {
  if (path.has_parent_path()) std::filesystem::create_directories(path.parent_path());
  AtomicOutput output(path);
  png_image png{};
  png.version = PNG_IMAGE_VERSION;
  png.width = png_uint_32(width_);
  png.height = png_uint_32(height_);
  png.format = PNG_FORMAT_RGB;
  const int written =
      png_image_write_to_file(&png, output.temp_path().c_str(), 0, pixels_.data(), png_int_32(width_ * 3), nullptr);
  const std::string why = png.message;
  png_image_free(&png);
  if (!written) throw Error("cannot write " + path.string() + ": " + why);
  cancellation.throw_if_cancelled();
  output.commit();
}

}  // namespace xrecon::admm::detail
