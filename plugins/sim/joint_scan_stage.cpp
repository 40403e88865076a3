// sim.joint_scan: a 3-D complex object and a far-field ptychographic scan of its transmission at
// every tomographic angle, the data joint ptycho-tomography (joint.admm) reconstructs.
#include <algorithm>
#include <memory>
#include <string>

#include <xrecon/sim/joint_scan.hpp>
#include <xrecon/stage.hpp>

#include "number_text.hpp"
#include "stages.hpp"

namespace xrecon::sim {
namespace {

// CODATA: one electronvolt in joules.
constexpr double kElectronvolt = 1.602176634e-19;

class JointScanStage final : public Stage {
 public:
  explicit JointScanStage(JointScanSpec spec) : spec_(std::move(spec)) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    const JointScanSimulation simulation(spec_);
    const ComplexVolume& volume = simulation.volume();
    log_summary(simulation, context);

    // The truth goes first: each port is its own bounded channel, so a consumer that reads it
    // before the scans (or after them) never waits behind a stream it cannot take yet.
    send_volume(io, "delta", volume.delta, "delta, the refractive index decrement, of the " + volume.description,
                simulation.voxel_size());
    send_volume(io, "beta", volume.beta, "beta, the absorption index, of the " + volume.description,
                simulation.voxel_size());
    auto psi = std::make_shared<ComplexProjections>();
    psi->data = simulation.transmission();
    psi->angles = simulation.angles();
    io.send("psi", std::move(psi));

    const std::size_t count = simulation.angles().size();
    context.progress().start("sim.joint_scan", count);
    for (std::size_t a = 0; a < count; ++a) {
      context.cancellation().throw_if_cancelled();
      JointScanSimulation::AngleScan angle_scan = simulation.scan(a);
      auto scan = std::make_shared<PtychoScan>();
      scan->sequence = a;
      scan->angle = simulation.angles()[a];
      scan->patterns = std::move(angle_scan.patterns);
      scan->positions = std::move(angle_scan.positions);
      scan->probe = simulation.probe();
      scan->object_rows = spec_.object.slices;
      scan->object_cols = spec_.object.size;
      scan->energy = spec_.object.energy_kev * 1e3 * kElectronvolt;
      scan->distance = spec_.distance;
      scan->detector_pixel = simulation.detector_pixel();
      io.send("scans", std::move(scan));
      context.progress().advance(1);
    }
    context.progress().finish();
  }

 private:
  static void send_volume(StageIO& io, const char* port, const ArrayF& data, std::string description,
                          double voxel_size) {
    auto message = std::make_shared<Volume>();
    message->data = data;
    message->voxel_size = voxel_size;
    message->description = std::move(description);
    io.send(port, std::move(message));
  }

  void log_summary(const JointScanSimulation& simulation, Context& context) const {
    const ComplexVolume& volume = simulation.volume();
    const ArrayD positions = simulation.positions(0);
    const double overlap = linear_overlap(positions, spec_.probe_size);
    context.logger().info(
        "sim.joint_scan: " + volume.delta.shape().to_string() + " " + volume.description + "; voxel " +
        number_text(simulation.voxel_size()) + " m for a largest phase of " + number_text(spec_.max_phase) +
        " rad; " + std::to_string(simulation.angles().size()) + " angles x " + std::to_string(positions.extent(0)) +
        " positions on the " + std::to_string(spec_.object.slices) + "x" + std::to_string(spec_.object.size) +
        " projection grid, linear overlap " + number_text(overlap) + ", " + std::to_string(simulation.detector()) +
        " px detector of " + number_text(simulation.detector_pixel()) + " m pixels at " +
        number_text(spec_.distance) + " m, " + number_text(spec_.photons) + " photons per exposure" +
        (spec_.poisson ? " (Poisson)" : " (noiseless)"));
    if (spec_.object.phantom == VolumePhantom::foam && volume.voids < spec_.object.foam.voids)
      context.logger().warn("sim.joint_scan: only " + std::to_string(volume.voids) + " of the " +
                            std::to_string(spec_.object.foam.voids) + " requested voids found room");
    if (positions.extent(0) > 1 && overlap < 0.5)
      context.logger().warn("sim.joint_scan: linear overlap " + number_text(overlap) +
                            " is below 0.5; ptychography alone needs more (reduce step or widen the probe)");
  }

  JointScanSpec spec_;
};

// The scan step the parameters ask for: `step`, or (1 - overlap) windows, 0.5 when neither is given.
double requested_step(const ParamValues& p) {
  if (p.has("step")) return p.real("step");
  const double overlap = p.has("overlap") ? p.real("overlap") : 0.5;
  return (1.0 - overlap) * double(p.integer("probe_size"));
}

}  // namespace

ComponentSpec joint_scan_spec() {
  ComponentSpec spec;
  spec.name = "sim.joint_scan";
  spec.summary =
      "Simulates joint ptycho-tomography: a 3-D object delta + i beta of a real material, and a far-field "
      "ptychographic scan of its transmission exp(i nu voxel R(delta + i beta)) at every tomographic angle";
  spec.params.choice("kind", "shepp_logan", {"shepp_logan", "foam"},
                     "the object's shape: the 3-D Shepp-Logan head (Toft's contrasts as densities, 1 at the skull) "
                     "or a random foam (material 1, voids 0) in a cylinder 0.9 of the slice wide")
      .integer("size", 64, "width and height of a slice, voxels; also the detector columns of a projection", 8, 8192)
      .integer("slices", 32,
               "slices along the rotation axis (the phantom's whole height); also the rows of a projection", 1, 8192)
      .integer("angles", 48, "tomographic angles, evenly spaced over the arc", 1, 100000)
      .real("arc", 180.0, "the angles are k * arc / angles for k = 0 .. angles - 1", 0.001, 360.0, "deg")
      .choice("material", "water", {"water", "aluminium"},
              "the dense material. delta from its electron density (r_e lambda^2 n_e / 2 pi), beta = mu lambda / "
              "4 pi from NIST's mass attenuation table (Hubbell & Seltzer, SRD 126), log-log interpolated. At "
              "8.8 keV: water delta 2.98e-6, beta 8.75e-9, delta/beta 340; aluminium delta 6.97e-6, beta "
              "1.15e-7, delta/beta 60")
      .real("energy_kev", 8.8, "photon energy (the material tables cover 5 to 30 keV)", 5.0, 30.0, "keV")
      .real("max_phase", 1.0,
            "phase of the thickest projection, which sets the voxel size: voxel = max_phase / (nu * max R delta); "
            "below pi so the phase stays on one branch",
            0.001, 3.0, "rad")
      .real("distance", 2.0, "sample to detector; the detector pixel follows so that the object pixel is the voxel",
            1e-6, 1000.0, "m")
      .choice("probe", "gaussian", {"gaussian", "focused"},
              "gaussian beam, or the focus of a circular lens pupil (optionally defocused)")
      .integer("probe_size", 16, "probe window, pixels; at most slices and size", 4, 4096)
      .integer("detector", std::nullopt,
               "detector width and height, pixels; exit waves are zero padded to it. Absent: probe_size", 4, 8192)
      .real("fwhm", std::nullopt,
            "full width at half maximum of the probe's (in-focus) intensity; absent: probe_size / 2",
            0.5, 4096.0, "px")
      .real("defocus", 0.0, "focused: quadratic pupil phase at the pupil edge", -1000.0, 1000.0, "rad")
      .choice("scan", "raster", {"raster", "fermat"},
              "raster: positions spread evenly from 0 to slices - probe_size and size - probe_size, at most step "
              "apart; fermat: a Fermat spiral over the same field")
      .real("step", std::nullopt, "distance between neighbouring positions; absent: from overlap", 0.1, 4096.0, "px")
      .real("overlap", std::nullopt,
            "linear overlap of neighbouring windows, step = (1 - overlap) * probe_size; 0.5 when neither step nor "
            "overlap is given",
            0.0, 0.95)
      .real("jitter", 0.0, "raster: random displacement up to this much per axis, drawn anew at every angle", 0.0,
            4096.0, "px")
      .choice("noise", "poisson", {"none", "poisson"},
              "poisson: photon counts; none: the exact intensities |F(P psi)|^2")
      .real("photons", 1e5, "incident photons per exposure: sum |probe|^2", 1e-3, 1e15)
      .integer("seed", 1, "random seed of the foam, the jitter and the noise", 0, 4294967295)
      .integer("voids", 100, "foam: number of voids to place (fewer when they do not fit)", 0, 100000)
      .real("min_radius", 0.02, "foam: smallest void radius, in units of the cylinder's radius", 0.001, 0.5)
      .real("max_radius", 0.1, "foam: largest void radius, in units of the cylinder's radius", 0.001, 0.5);
  spec.outputs = {
      {"scans", PayloadKind::ptycho_scan,
       "a stream: one scan per angle in angle order, sequence = angle index, angle in radians, patterns (N, "
       "detector, detector), positions inside the (slices, size) object grid, the true probe", false, PortFlow::stream},
      {"delta", PayloadKind::volume,
       "the true delta (slices, size, size), voxel_size in metres; sent before the scans"},
      {"beta", PayloadKind::volume, "the true beta (slices, size, size), voxel_size in metres; sent before the scans"},
      {"psi", PayloadKind::complex_projections,
       "the true transmission per angle (angles, slices, size); sent before the scans"}};
  spec.check = [](const ParamValues& p) {
    if (p.has("step") && p.has("overlap"))
      throw ParamError("overlap", "is given with step; give one of them");
    if (p.has("min_radius") && p.has("max_radius") && p.real("min_radius") > p.real("max_radius"))
      throw ParamError("min_radius", "is " + number_text(p.real("min_radius")) + ", expected at most max_radius (" +
                                         number_text(p.real("max_radius")) + ")");
    if (!p.has("probe_size") || !p.has("slices") || !p.has("size")) return;
    const std::int64_t probe = p.integer("probe_size");
    for (const char* extent : {"slices", "size"})
      if (p.integer(extent) < probe)
        throw ParamError("probe_size", "is " + std::to_string(probe) + ", larger than " + extent + " (" +
                                           std::to_string(p.integer(extent)) +
                                           "): every probe window must lie inside the slices x size projection grid");
    if (p.has("detector") && p.integer("detector") < probe)
      throw ParamError("detector", "is " + std::to_string(p.integer("detector")) + ", smaller than probe_size (" +
                                       std::to_string(probe) + ")");
    const double fwhm = p.has("fwhm") ? p.real("fwhm") : double(probe) / 2.0;
    // The lens pupil must span at least 2 pixels and at most the window (see focused_probe).
    const double smallest = 1.029, largest = 1.029 * double(probe) / 2.0;
    if (p.has("probe") && p.string("probe") == "focused" && (fwhm < smallest || fwhm > largest))
      throw ParamError("fwhm", "is " + number_text(fwhm) + ", a focused probe in a " + std::to_string(probe) +
                                   " px window needs " + number_text(smallest) + " to " + number_text(largest));
    const double step = requested_step(p);
    const double rows_field = double(p.integer("slices") - probe), cols_field = double(p.integer("size") - probe);
    if (p.has("scan") && p.string("scan") == "fermat" && std::min(rows_field, cols_field) < step)
      throw ParamError("scan", "fermat needs a field of at least one step along both axes, got " +
                                   number_text(rows_field) + " x " + number_text(cols_field) +
                                   " px (slices and size less probe_size) for a step of " + number_text(step) +
                                   " px; use raster");
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    JointScanSpec s;
    s.object.phantom = p.string("kind") == "foam" ? VolumePhantom::foam : VolumePhantom::shepp_logan;
    s.object.size = std::size_t(p.integer("size"));
    s.object.slices = std::size_t(p.integer("slices"));
    s.object.material = p.string("material") == "aluminium" ? Material::aluminium : Material::water;
    s.object.energy_kev = p.real("energy_kev");
    s.object.foam.voids = std::size_t(p.integer("voids"));
    s.object.foam.min_radius = p.real("min_radius");
    s.object.foam.max_radius = p.real("max_radius");
    s.object.foam.seed = std::uint64_t(p.integer("seed"));
    s.angles = std::size_t(p.integer("angles"));
    s.arc_degrees = p.real("arc");
    s.max_phase = p.real("max_phase");
    s.distance = p.real("distance");
    s.probe = p.string("probe") == "focused" ? ProbeKind::focused : ProbeKind::gaussian;
    s.probe_size = std::size_t(p.integer("probe_size"));
    s.detector = p.has("detector") ? std::size_t(p.integer("detector")) : s.probe_size;
    s.fwhm = p.has("fwhm") ? p.real("fwhm") : double(s.probe_size) / 2.0;
    s.defocus = p.real("defocus");
    s.scan = p.string("scan") == "fermat" ? ScanKind::fermat : ScanKind::raster;
    s.step = requested_step(p);
    s.jitter = p.real("jitter");
    s.poisson = p.string("noise") == "poisson";
    s.photons = p.real("photons");
    s.seed = std::uint64_t(p.integer("seed"));
    return std::make_unique<JointScanStage>(std::move(s));
  };
  return spec;
}

}  // namespace xrecon::sim
