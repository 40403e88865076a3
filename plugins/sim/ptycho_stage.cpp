// sim.ptycho: a simulated far-field ptychography scan of a complex test object.
#include <numbers>

#include <xrecon/sim/ptycho_sim.hpp>
#include <xrecon/stage.hpp>

#include "number_text.hpp"
#include "stages.hpp"

namespace xrecon::sim {
namespace {

// CODATA: one electronvolt in joules.
constexpr double kElectronvolt = 1.602176634e-19;

struct PtychoStageOptions {
  PtychoSimSpec simulation;
  double energy_kev = 0;
  double distance = 0;
  double detector_pixel = 0;
};

class PtychoStage final : public Stage {
 public:
  explicit PtychoStage(PtychoStageOptions options) : options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    PtychoSimulation simulation = simulate_ptycho(options_.simulation);
    auto scan = std::make_shared<PtychoScan>();
    scan->patterns = std::move(simulation.patterns);
    scan->positions = std::move(simulation.positions);
    scan->probe = std::move(simulation.probe);
    scan->object_rows = simulation.object.extent(0);
    scan->object_cols = simulation.object.extent(1);
    scan->energy = options_.energy_kev * 1e3 * kElectronvolt;
    scan->distance = options_.distance;
    scan->detector_pixel = options_.detector_pixel;
    const PtychoSimSpec& spec = options_.simulation;
    context.logger().info("sim.ptycho: " + std::to_string(scan->positions.extent(0)) + " positions, patterns " +
                          scan->patterns.shape().to_string() + ", object grid " +
                          std::to_string(scan->object_rows) + "x" + std::to_string(scan->object_cols) +
                          ", linear overlap " + number_text(simulation.overlap) +
                          (spec.photons > 0 ? ", " + number_text(spec.photons) + " photons per exposure"
                                            : ", noiseless"));
    if (simulation.overlap < 0.5)
      context.logger().warn("sim.ptycho: linear overlap " + number_text(simulation.overlap) +
                            " is below 0.5; ptychography needs more (reduce step or widen the probe)");
    io.send("scan", std::move(scan));
  }

 private:
  PtychoStageOptions options_;
};

}  // namespace

ComponentSpec ptycho_spec() {
  ComponentSpec spec;
  spec.name = "sim.ptycho";
  spec.summary = "Simulates a far-field ptychography scan of a complex test object, optionally with Poisson noise";
  spec.params.choice("object", "shepp_logan", {"shepp_logan", "siemens_star"},
                     "the phantom: amplitude 1 - absorption * density, phase phase_shift * density")
      .integer("size", 128, "width and height of the phantom, pixels; the scan covers it", 8, 8192)
      .real("absorption", 0.5, "fraction of the amplitude absorbed where the phantom is densest", 0.0, 1.0)
      .real("phase_shift", 1.0, "phase where the phantom is densest", -100.0, 100.0, "rad")
      .choice("probe", "gaussian", {"gaussian", "focused"},
              "gaussian beam, or the focus of a circular lens pupil (optionally defocused)")
      .integer("probe_size", 64, "probe window and detector width and height, pixels", 4, 4096)
      .real("fwhm", 24.0, "full width at half maximum of the probe's (in-focus) intensity", 0.5, 4096.0, "px")
      .real("defocus", 0.0, "focused: quadratic pupil phase at the pupil edge", -1000.0, 1000.0, "rad")
      .choice("scan", "raster", {"raster", "fermat"}, "raster grid or Fermat spiral")
      .real("step", 16.0, "distance between neighbouring positions", 0.1, 4096.0, "px")
      .real("jitter", 0.0, "raster: random displacement up to this much per axis, against raster pathology", 0.0,
            4096.0, "px")
      .real("photons", 0.0, "incident photons per exposure (sum of |probe|^2); 0 gives noiseless intensities", 0.0,
            1e15)
      .integer("seed", 1, "random seed of the jitter and the noise", 0)
      .integer("margin", 2, "free-space pixels around the scanned windows", 0, 4096)
      .real("energy_kev", 8.8, "photon energy", 0.01, 1000.0, "keV")
      .real("distance", 2.0, "sample to detector", 1e-6, 1000.0, "m")
      .real("detector_pixel", 75e-6, "detector pixel size", 1e-9, 1.0, "m");
  spec.outputs = {{"scan", PayloadKind::ptycho_scan,
                   "patterns (N, probe_size, probe_size), positions, the probe used, geometry"}};
  spec.check = [](const ParamValues& p) {
    // The lens pupil must span at least 2 pixels and at most the window (see focused_probe).
    if (!p.has("probe") || p.string("probe") != "focused" || !p.has("fwhm") || !p.has("probe_size")) return;
    const double smallest = 1.029, largest = 1.029 * double(p.integer("probe_size")) / 2.0;
    if (p.real("fwhm") < smallest || p.real("fwhm") > largest)
      throw ParamError("fwhm", "is " + number_text(p.real("fwhm")) + ", a focused probe in a " +
                                   std::to_string(p.integer("probe_size")) + " px window needs " +
                                   number_text(smallest) + " to " + number_text(largest));
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    PtychoStageOptions options;
    PtychoSimSpec& s = options.simulation;
    s.object.phantom = p.string("object") == "siemens_star" ? ComplexPhantom::siemens_star : ComplexPhantom::shepp_logan;
    s.object.size = std::size_t(p.integer("size"));
    s.object.absorption = p.real("absorption");
    s.object.phase_shift = p.real("phase_shift");
    s.probe = p.string("probe") == "focused" ? ProbeKind::focused : ProbeKind::gaussian;
    s.probe_size = std::size_t(p.integer("probe_size"));
    s.fwhm = p.real("fwhm");
    s.defocus = p.real("defocus");
    s.scan = p.string("scan") == "fermat" ? ScanKind::fermat : ScanKind::raster;
    s.step = p.real("step");
    s.jitter = p.real("jitter");
    s.photons = p.real("photons");
    s.seed = std::uint64_t(p.integer("seed"));
    s.margin = std::size_t(p.integer("margin"));
    options.energy_kev = p.real("energy_kev");
    options.distance = p.real("distance");
    options.detector_pixel = p.real("detector_pixel");
    return std::make_unique<PtychoStage>(std::move(options));
  };
  return spec;
}

}  // namespace xrecon::sim
