// ptycho.cg: reconstructs every scan it receives (one per tomographic angle in a joint pipeline)
// from a flat object and the scan's probe, and publishes psi with its phase and amplitude.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

#include <xrecon/stage.hpp>

#include "distributed_cg.hpp"
#include "settings_params.hpp"
#include "stages.hpp"

namespace xrecon::ptycho_plugin {
namespace {

std::shared_ptr<Volume> image_of(const ArrayCF& psi, double (*part)(const std::complex<float>&), std::size_t sequence,
                                 const char* what) {
  auto v = std::make_shared<Volume>();
  v->data = ArrayF({1, psi.extent(0), psi.extent(1)});
  for (std::size_t i = 0; i < psi.size(); ++i) v->data[i] = float(part(psi[i]));
  v->sequence = sequence;
  v->description = what;
  return v;
}

class CgStage final : public Stage {
 public:
  explicit CgStage(CgSettings settings) : settings_(settings) {}

  void run(StageIO& io, Context& context) override {
    std::size_t scans = 0;
    while (auto scan = io.receive_as<PtychoScan>("scan")) {
      const auto start = std::chrono::steady_clock::now();
      ArrayCF object = ArrayCF(object_shape(*scan));
      for (auto& v : object.host_span()) v = {1.0f, 0.0f};
      ArrayCF probe = scan->probe.clone();
      context.progress().start("ptycho.cg iterations", settings_.iterations);
      const ptycho::CgResult result = reconstruct_on_devices(
          *scan, object, probe, settings_, std::nullopt, context,
          [&](const ptycho::CgIteration&) { context.progress().advance(); });
      context.progress().finish();

      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      char line[300];
      std::snprintf(line, sizeof line,
                    "ptycho.cg: scan %zu, %zu patterns of %zux%zu, object %zux%zu; cost %.5g -> %.5g in %zu "
                    "iterations; %.2f s on %zu device(s)",
                    scan->sequence, scan->patterns.extent(0), scan->patterns.extent(1), scan->patterns.extent(2),
                    object.extent(0), object.extent(1), result.costs.empty() ? 0.0 : result.costs.front(),
                    result.costs.empty() ? 0.0 : result.costs.back(), result.costs.size(), seconds,
                    context.devices().size());
      context.logger().info(line);

      auto psi = std::make_shared<ComplexProjections>();
      psi->data = object.reshaped({1, object.extent(0), object.extent(1)});
      psi->angles = {scan->angle};
      psi->sequence = scan->sequence;
      io.send("psi", psi);
      io.send("phase", image_of(object, [](const std::complex<float>& c) { return double(std::arg(c)); },
                                scan->sequence, "phase of psi, radians"));
      io.send("amplitude", image_of(object, [](const std::complex<float>& c) { return double(std::abs(c)); },
                                    scan->sequence, "amplitude of psi"));
      ++scans;
    }
    if (scans == 0) throw Error("input 'scan' received no data");
  }

 private:
  CgSettings settings_;
};

}  // namespace

ComponentSpec cg_stage_spec() {
  ComponentSpec spec;
  spec.name = "ptycho.cg";
  spec.summary = "Far-field ptychography by Dai-Yuan conjugate gradients (positions split across devices)";
  add_cg_params(spec.params, true);
  spec.inputs = {{"scan", PayloadKind::ptycho_scan, "diffraction patterns, positions and probe (one or many scans)", false, PortFlow::stream}};
  spec.outputs = {{"psi", PayloadKind::complex_projections, "the complex object, one per scan", false, PortFlow::as_inputs},
                  {"phase", PayloadKind::volume, "its phase (1, rows, cols), radians", false, PortFlow::as_inputs},
                  {"amplitude", PayloadKind::volume, "its amplitude (1, rows, cols)", false, PortFlow::as_inputs}};
  spec.create = [](const ParamValues& values) {
    return std::make_unique<CgStage>(cg_settings(values, std::size_t(values.integer("iterations"))));
  };
  return spec;
}

}  // namespace xrecon::ptycho_plugin
