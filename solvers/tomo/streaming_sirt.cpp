#include "xrecon/tomo/streaming_sirt.hpp"

#include <string>

#include "xrecon/linalg/array_ops.hpp"

namespace xrecon::tomo {
namespace {

const StreamingSirtOptions& checked(const StreamingSirtOptions& options) {
  XRECON_CHECK(options.window >= 1, "the streaming SIRT window must hold at least one projection");
  XRECON_CHECK(options.step >= 1, "the streaming SIRT step must be at least one projection");
  XRECON_CHECK(options.step <= options.window,
               "the streaming SIRT step (" + std::to_string(options.step) + ") exceeds the window (" +
                   std::to_string(options.window) + "): projections between two windows would never be used");
  return options;
}

}  // namespace

StreamingSirt::StreamingSirt(Geometry detector, std::size_t rows, StreamingSirtOptions options, MemorySpace space)
    : geometry_(std::move(detector)),
      options_(checked(options)),
      window_(options_.window, rows, geometry_.cols),
      image_(Shape{rows, geometry_.n, geometry_.n}, space) {
  linalg::fill(image_, 0.0f);
}

bool StreamingSirt::add(const float* projection, double angle) {
  window_.add(projection, angle);
  ++consumed_;
  if (++pending_ < options_.step) return false;
  refresh();
  return true;
}

bool StreamingSirt::flush() {
  if (pending_ == 0) return false;
  refresh();
  return true;
}

void StreamingSirt::refresh() {
  Geometry geometry = geometry_;
  geometry.angles = window_.angles();
  const ArrayF projections = window_.projections();
  sirt(image_.space().is_host() ? projections : projections.to(image_.space()), geometry, image_, options_.sirt);
  pending_ = 0;
  ++refreshes_;
  last_window_ = window_.size();
}

}  // namespace xrecon::tomo
