#pragma once
// An RGB raster with lines, rectangles and 5x7-font text, written as PNG: what the convergence
// plot and the side-by-side figures draw on.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "xrecon/cancellation.hpp"

namespace xrecon::admm::detail {

struct Rgb {
  std::uint8_t r, g, b;
};

class Canvas {
 public:
  Canvas(int width, int height);

  void dot(int x, int y, Rgb c);
  // Bresenham's line, two pixels thick so it reads at a glance.
  void line(int x0, int y0, int x1, int y1, Rgb c);
  void rectangle(int x0, int y0, int x1, int y1, Rgb c);
  // Text with its top-left corner at (x, y), each font pixel `scale` pixels wide.
  void text(int x, int y, const std::string& s, Rgb c, int scale = 1);
  static int text_width(const std::string& s, int scale = 1) { return int(s.size()) * 6 * scale; }

  int width() const { return width_; }
  int height() const { return height_; }
  // Through a temporary file renamed over `path` when complete and not cancelled; libpng's
  // simplified API reports errors in png_image::message, so no longjmp crosses a C++ frame.
  void write_png(const std::filesystem::path& path, const CancellationToken& cancellation) const;

 private:
  int width_, height_;
  std::vector<std::uint8_t> pixels_;
};

}  // namespace xrecon::admm::detail
