// sim.phantom: a test object as a volume (Shepp-Logan head or random foam).
#include <algorithm>

#include <xrecon/sim/foam.hpp>
#include <xrecon/sim/phantom.hpp>
#include <xrecon/stage.hpp>

#include "number_text.hpp"
#include "stages.hpp"

namespace xrecon::sim {
namespace {

struct PhantomOptions {
  std::string kind;
  std::size_t size = 0;
  std::size_t slices = 0;
  int supersample = 0;
  FoamSpec foam;
};

class PhantomStage final : public Stage {
 public:
  explicit PhantomStage(PhantomOptions options) : options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    auto volume = std::make_shared<Volume>();
    if (options_.kind == "foam")
      make_foam(*volume, context);
    else
      make_shepp_logan(*volume, context);
    io.send("volume", volume);
  }

 private:
  void make_shepp_logan(Volume& volume, Context& context) const {
    const std::size_t n = options_.size;
    if (options_.slices == 1) {
      // One slice is the 2-D phantom rather than the thin middle of the 3-D one, whose z = 0
      // section lacks the two small discs that make the 2-D phantom familiar.
      const ArrayF slice = rasterize(shepp_logan_2d(), n, options_.supersample);
      volume.data = ArrayF(Shape{1, n, n});
      std::copy(slice.data(), slice.data() + slice.size(), volume.data.data());
      volume.description = "2-D modified Shepp-Logan phantom (Toft's contrasts), attenuation per pixel";
    } else {
      volume.data = rasterize(shepp_logan_3d(), options_.slices, n, n, options_.supersample);
      volume.description = "3-D modified Shepp-Logan phantom (Toft's contrasts), attenuation per voxel";
    }
    context.logger().info("sim.phantom: Shepp-Logan " + volume.data.shape().to_string());
  }

  void make_foam(Volume& volume, Context& context) const {
    const bool planar = options_.slices == 1;
    const std::vector<Void> voids = place_foam_voids(options_.foam, planar);
    volume.data = rasterize(voids, options_.slices, options_.size, options_.size, options_.supersample);
    volume.description = "random foam: material 1 in the unit cylinder with " + std::to_string(voids.size()) +
                         (planar ? " circular" : " spherical") + " voids (seed " + std::to_string(options_.foam.seed) +
                         ")";
    const std::string message = "sim.phantom: foam " + volume.data.shape().to_string() + " with " +
                                std::to_string(voids.size()) + " voids";
    if (voids.size() < options_.foam.voids)
      context.logger().warn(message + ": only these of the " + std::to_string(options_.foam.voids) +
                            " requested found room");
    else
      context.logger().info(message);
  }

  PhantomOptions options_;
};

}  // namespace

ComponentSpec phantom_spec() {
  ComponentSpec spec;
  spec.name = "sim.phantom";
  spec.summary = "Makes a test volume: the modified Shepp-Logan head phantom or a random foam";
  spec.params.choice("kind", "shepp_logan", {"shepp_logan", "foam"}, "which phantom to make")
      .integer("size", 128, "width and height of a slice, pixels", 8, 8192)
      .integer("slices", 1,
               "number of slices along z: 1 gives the 2-D phantom (or a planar foam), more samples the 3-D "
               "phantom at that many heights over [-1, 1]",
               1, 8192)
      .integer("voids", 100, "foam: number of voids to place (fewer when they do not fit)", 0, 100000)
      .real("min_radius", 0.02, "foam: smallest void radius, in units of the half-width of a slice", 0.001, 0.5)
      .real("max_radius", 0.1, "foam: largest void radius, in units of the half-width of a slice", 0.001, 0.5)
      .integer("seed", 1, "foam: random seed; the same seed gives the same foam", 0)
      .integer("supersample", 3, "sub-samples per pixel along each axis, for partial-volume edges", 1, 8);
  spec.outputs = {{"volume", PayloadKind::volume, "the phantom (slices, size, size), values per pixel"}};
  spec.check = [](const ParamValues& p) {
    if (p.has("min_radius") && p.has("max_radius") && p.real("min_radius") > p.real("max_radius"))
      throw ParamError("min_radius", "is " + number_text(p.real("min_radius")) + ", expected at most max_radius (" +
                                         number_text(p.real("max_radius")) + ")");
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    PhantomOptions options;
    options.kind = p.string("kind");
    options.size = std::size_t(p.integer("size"));
    options.slices = std::size_t(p.integer("slices"));
    options.supersample = int(p.integer("supersample"));
    options.foam.voids = std::size_t(p.integer("voids"));
    options.foam.min_radius = p.real("min_radius");
    options.foam.max_radius = p.real("max_radius");
    options.foam.seed = std::uint64_t(p.integer("seed"));
    return std::make_unique<PhantomStage>(std::move(options));
  };
  return spec;
}

}  // namespace xrecon::sim
