// sim.detector_stream: a detector that acquires a volume's projections one at a time during a
// continuous scan, as a stream of one-angle Projections messages.
#include <chrono>
#include <thread>

#include <xrecon/sim/acquisition.hpp>
#include <xrecon/sim/noise.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/projector.hpp>

#include "number_text.hpp"
#include "stages.hpp"
#include "volume_checks.hpp"

namespace xrecon::sim {
namespace {

using Clock = std::chrono::steady_clock;

struct DetectorStreamOptions {
  std::size_t angles = 0;
  std::size_t rotations = 0;
  AngleOrder order = AngleOrder::sequential;
  double rate = 0;  // projections per second; 0: as fast as the consumers take them
  bool poisson = false;
  PoissonNoise noise;
};

class DetectorStreamStage final : public Stage {
 public:
  explicit DetectorStreamStage(DetectorStreamOptions options) : options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    auto truth = io.require<Volume>("volume");
    const ArrayF& volume = truth->data;
    require_square_slices(volume, "sim.detector_stream");
    // Before the stream: channels are bounded, so a consumer that reads the truth first would
    // otherwise wait behind projections it cannot take yet.
    io.send("truth", truth);

    const std::vector<double> angles = acquisition_angles(options_.angles, options_.rotations, options_.order);
    // The detector centred on the phantom, as sim.tomo's default.
    tomo::Geometry geometry{
        .angles = {0.0}, .cols = volume.extent(2), .n = volume.extent(2), .convention = CentreConvention::astra};
    std::optional<double> k;  // one attenuation scale for the whole scan: one object, one beam
    const Clock::time_point start = Clock::now();
    for (std::size_t index = 0; index < angles.size(); ++index) {
      if (options_.rate > 0) {
        const std::chrono::duration<double> due(double(index) / options_.rate);
        wait_until(start + std::chrono::duration_cast<Clock::duration>(due), context);
      }
      context.cancellation().throw_if_cancelled();
      geometry.angles[0] = angles[index];
      auto projection = std::make_shared<Projections>();
      projection->data = tomo::project(volume, geometry);
      if (options_.poisson) {
        if (!k) k = attenuation_scale(projection->data, options_.noise.max_attenuation);
        PoissonNoise noise = options_.noise;
        noise.seed = (options_.noise.seed << 32) ^ index;  // fresh noise for every projection
        projection->data = add_poisson_noise(projection->data, noise, *k);
      }
      projection->angles = geometry.angles;
      projection->center = geometry.center_or_default();
      projection->convention = geometry.convention;
      projection->pixel_size = truth->voxel_size;
      projection->sequence = index;
      io.send("projections", std::move(projection));
    }
    const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
    context.logger().info("sim.detector_stream: " + std::to_string(angles.size()) + " projections of " +
                          volume.shape().to_string() + " (" + std::to_string(options_.rotations) + " x " +
                          std::to_string(options_.angles) + ", " +
                          (options_.order == AngleOrder::interleaved ? "interleaved" : "sequential") + ") in " +
                          number_text(seconds) + " s, " + number_text(double(angles.size()) / seconds) +
                          " projections/s" + (k ? ", Poisson noise with k = " + number_text(*k) : ""));
  }

 private:
  // Sleeps in short slices so that a cancelled pipeline does not wait for a slow detector.
  static void wait_until(Clock::time_point due, Context& context) {
    constexpr auto slice = std::chrono::milliseconds(20);
    for (Clock::time_point now = Clock::now(); now < due; now = Clock::now()) {
      context.cancellation().throw_if_cancelled();
      std::this_thread::sleep_for(std::min<Clock::duration>(due - now, slice));
    }
  }

  DetectorStreamOptions options_;
};

}  // namespace

ComponentSpec detector_stream_spec() {
  ComponentSpec spec;
  spec.name = "sim.detector_stream";
  spec.summary = "Streams a volume's parallel-beam projections one angle at a time, as a detector acquires them";
  spec.params.integer("angles", 180, "projections per rotation, evenly spaced over a half turn", 1, 100000)
      .integer("rotations", 1, "rotations acquired one after the other; each repeats the angles of the first", 1,
               100000)
      .choice("order", "sequential", {"sequential", "interleaved"},
              "sequential: k * 180 / angles degrees for k = 0, 1, ...; interleaved: the same angles in bit-reversed "
              "order of k, so that any run of recent projections covers the whole half turn")
      .real("rate", 0.0, "projections per second the detector delivers; 0: as fast as the consumer takes them", 0.0,
            1e9, "1/s")
      .choice("noise", "none", {"none", "poisson"}, "poisson: photon counts ~ Poisson(photons * exp(-k p))")
      .real("photons", 1e4, "poisson: incident photons per detector pixel", 1e-3, 1e15)
      .real("max_attenuation", 2.0,
            "poisson: k, fixed for the scan, is chosen so that the largest line integral of the first projection "
            "attenuates the beam by exp(-max_attenuation)",
            1e-3, 50.0)
      .integer("seed", 1, "poisson: random seed; the same seed gives the same noise", 0, 4294967295);
  spec.inputs = {{"volume", PayloadKind::volume, "the object (z, n, n), attenuation per pixel"}};
  spec.outputs = {{"projections", PayloadKind::projections,
                   "a stream: one message (1, z, n) per projection, sequence = acquisition index", false, PortFlow::stream},
                  {"truth", PayloadKind::volume, "the input volume, sent once before the stream, for scoring"}};
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    DetectorStreamOptions options;
    options.angles = std::size_t(p.integer("angles"));
    options.rotations = std::size_t(p.integer("rotations"));
    options.order = p.string("order") == "interleaved" ? AngleOrder::interleaved : AngleOrder::sequential;
    options.rate = p.real("rate");
    options.poisson = p.string("noise") == "poisson";
    options.noise.photons = p.real("photons");
    options.noise.max_attenuation = p.real("max_attenuation");
    options.noise.seed = std::uint64_t(p.integer("seed"));
    return std::make_unique<DetectorStreamStage>(std::move(options));
  };
  return spec;
}

}  // namespace xrecon::sim
