// tomo.fbp: filtered backprojection of every slice.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numbers>
#include <vector>

#include <xrecon/slabs.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/fbp.hpp>
#include <xrecon/tomo/input_checks.hpp>

#include "stage_geometry.hpp"
#include "stages.hpp"

namespace xrecon::tomo_plugin {
namespace {

// FBP weights every angle pi / num_angles, which is right only for an even cover of a half or a
// full turn. The arc the angles sample: their extent plus one mean step.
double covered_arc(const std::vector<double>& angles) {
  const auto [lo, hi] = std::minmax_element(angles.begin(), angles.end());
  const double extent = *hi - *lo;
  return angles.size() < 2 ? 0.0 : extent + extent / double(angles.size() - 1);
}

bool is_half_or_full_turn(double arc) {
  constexpr double pi = std::numbers::pi;
  return std::fabs(arc - pi) < 0.02 * pi || std::fabs(arc - 2 * pi) < 0.02 * pi;
}

class FbpStage final : public Stage {
 public:
  FbpStage(tomo::FilterWindow window, std::optional<std::size_t> size) : window_(window), size_(size) {}

  void run(StageIO& io, Context& context) override {
    const auto projections = io.require<Projections>("projections");
    const tomo::Geometry geometry = geometry_of(*projections, size_);
    const auto start = std::chrono::steady_clock::now();
    tomo::check_projections(projections->data, geometry);
    if (const double arc = covered_arc(geometry.angles); !is_half_or_full_turn(arc))
      context.logger().warn("tomo.fbp: the angles cover " + std::to_string(arc * 180.0 / std::numbers::pi) +
                            " degrees; FBP weights each angle for an even cover of 180 or 360 degrees, so the "
                            "reconstructed values will be off");

    // Slices are independent: each device filters and backprojects its own slab.
    const std::size_t rows = projections->num_rows();
    ArrayF slices(Shape{rows, geometry.n, geometry.n});
    context.progress().start("tomo.fbp slices", rows);
    SharedProgress progress(context.progress());
    for_each_slab(context, rows, [&](int, Slab slab, const Device& device) {
      if (slab.empty()) return;
      const tomo::FbpOptions options{.window = window_, .on_slice = [&](std::size_t) {
                                       progress.advance();
                                       context.cancellation().throw_if_cancelled();
                                     }};
      put_slices(tomo::fbp(projection_rows(projections->data, slab, device.memory_space()), geometry, options), slab,
                 slices);
    });
    share_slabs(context, slices);
    context.progress().finish();

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    char summary[256];
    std::snprintf(summary, sizeof summary,
                  "tomo.fbp: %zu slices of %zux%zu from %zu angles x %zu columns, %s filter, axis at column %.2f "
                  "(%s convention), %.3f s on %s",
                  rows, geometry.n, geometry.n, geometry.angles.size(), geometry.cols,
                  std::string(tomo::to_string(window_)).c_str(), geometry.center_or_default(),
                  to_string(geometry.convention), seconds,
                  device_count(context).c_str());
    context.logger().info(summary);
    io.send("volume", volume_from(std::move(slices), *projections,
                                  "attenuation per pixel, FBP with the " + std::string(tomo::to_string(window_)) +
                                      " filter"));
  }

 private:
  tomo::FilterWindow window_;
  std::optional<std::size_t> size_;
};

}  // namespace

ComponentSpec fbp_spec() {
  ComponentSpec spec;
  spec.name = "tomo.fbp";
  spec.summary = "Filtered backprojection of parallel-beam projections, slice by slice";
  spec.params.choice("filter", "ram-lak", tomo::filter_window_names(),
                     "window on the ramp filter: ram-lak keeps every frequency (sharpest), shepp-logan, cosine, "
                     "hamming, hann and parzen damp the high ones more and more (less noise, softer edges)");
  add_size_param(spec.params);
  spec.inputs = {{"projections", PayloadKind::projections,
                  "line integrals (angles, rows, cols); the angles should cover 180 or 360 degrees evenly"}};
  spec.outputs = {{"volume", PayloadKind::volume, "one reconstructed slice per detector row (rows, size, size)"}};
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    return std::make_unique<FbpStage>(tomo::filter_window_from_name(values.string("filter")), size_param(values));
  };
  return spec;
}

}  // namespace xrecon::tomo_plugin
