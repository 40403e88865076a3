// tomo.sirt: SIRT from a zero start image, or from the last checkpoint when resuming; the slices
// split into slabs across the devices.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>
#include <vector>

#include <xrecon/admm/rank_checkpoint.hpp>
#include <xrecon/slabs.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/input_checks.hpp>
#include <xrecon/tomo/memory_need.hpp>
#include <xrecon/tomo/sirt.hpp>

#include "stage_geometry.hpp"
#include "stages.hpp"

namespace xrecon::tomo_plugin {
namespace {

class SirtStage final : public Stage {
 public:
  SirtStage(tomo::SirtOptions options, std::optional<std::size_t> size, std::size_t checkpoint_every)
      : options_(std::move(options)), size_(size), checkpoint_every_(checkpoint_every) {}

  void run(StageIO& io, Context& context) override {
    const auto projections = io.require<Projections>("projections");
    const tomo::Geometry geometry = geometry_of(*projections, size_);
    tomo::check_projections(projections->data, geometry);
    const auto start = std::chrono::steady_clock::now();

    const std::size_t rows = projections->num_rows();
    const Shape shape{rows, geometry.n, geometry.n};
    ArrayF volume = ArrayF::zeros(shape);
    std::size_t done = 0;
    // SIRT is a fixed-point iteration: continuing from the image after k iterations is the
    // same as never having stopped, so the image is the whole state worth saving.
    if (auto saved = context.checkpoints().load("volume"); saved && saved->first.shape() == shape) {
      volume = std::move(saved->first);
      done = std::size_t(saved->second);
      admm::require_resumable_step(done, options_.iterations, "tomo.sirt");
      context.logger().info("tomo.sirt: resuming after iteration " + std::to_string(done));
    }

    // For the same reason the run goes in rounds between checkpoints: each device runs a round on
    // its slab of slices, then the whole image is saved.
    const std::size_t ranks = context.devices().size();
    std::vector<double> first_squared(ranks), last_squared(ranks);  // residuals of each slab
    const bool checkpointing = context.checkpoints().enabled();
    // Slices are independent, so a slab too large for its device runs in chunks, one after another.
    // Planned by the engine before the stage ran (spec.memory_need below).
    const ChunkPlan chunks = chunks_for(context, rows, tomo::sirt_memory(geometry), "tomo.sirt");
    context.progress().start("tomo.sirt iterations", (options_.iterations - done) * chunks[0].size());
    for (std::size_t completed = done; completed < options_.iterations;) {
      const std::size_t round_end =
          checkpointing ? std::min(options_.iterations, (completed / checkpoint_every_ + 1) * checkpoint_every_)
                        : options_.iterations;
      const bool first_round = completed == done;
      for_each_slab(context, rows, [&](int rank, Slab slab, const Device& device) {
        if (slab.empty()) return;
        // The slab's residual is the sum over its chunks of each chunk's (squared).
        double round_last = 0;
        for (const Slab chunk : chunks[std::size_t(rank)]) {
          ArrayF x = volume_slices(volume, chunk, device.memory_space());
          tomo::SirtOptions options = options_;
          options.iterations = round_end - completed;
          double chunk_last = 0;
          options.on_iteration = [&](const tomo::SirtIteration& it) {
            const double squared = it.residual_norm * it.residual_norm;
            if (first_round && it.iteration == 1) first_squared[std::size_t(rank)] += squared;
            chunk_last = squared;
            if (rank == 0) context.progress().advance();
            context.cancellation().throw_if_cancelled();
          };
          tomo::sirt(projection_rows(projections->data, chunk, device.memory_space()), geometry, x, options);
          put_slices(x, chunk, volume);
          round_last += chunk_last;
        }
        last_squared[std::size_t(rank)] = round_last;
      });
      share_slabs(context, volume);
      completed = round_end;
      if (checkpointing) context.checkpoints().save("volume", volume, std::int64_t(completed));
    }
    context.progress().finish();
    share_per_rank(context, first_squared);
    share_per_rank(context, last_squared);

    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    const auto norm_over_slabs = [](const std::vector<double>& squared) {
      return std::sqrt(std::accumulate(squared.begin(), squared.end(), 0.0));
    };
    char summary[320];
    std::snprintf(summary, sizeof summary,
                  "tomo.sirt: %zu iterations (relaxation %.3g) on %zu slices of %zux%zu from %zu angles x %zu "
                  "columns; residual %.4g -> %.4g (at the start of the first and last iteration); %.3f s on %s",
                  options_.iterations - done, options_.relaxation, rows, geometry.n, geometry.n,
                  geometry.angles.size(), geometry.cols, norm_over_slabs(first_squared), norm_over_slabs(last_squared),
                  seconds, device_count(context).c_str());
    context.logger().info(summary);
    io.send("volume", volume_from(std::move(volume), *projections, "attenuation per pixel, SIRT"));
  }

 private:
  tomo::SirtOptions options_;
  std::optional<std::size_t> size_;
  std::size_t checkpoint_every_;
};

}  // namespace

ComponentSpec sirt_spec() {
  ComponentSpec spec;
  spec.name = "tomo.sirt";
  spec.summary = "SIRT (ASTRA's definition) on parallel-beam projections, from a zero start image";
  spec.params.integer("iterations", 100, "number of SIRT iterations", 1, 100000)
      .real("relaxation", 1.0, "relaxation factor lambda, in (0, 2]; larger steps converge faster until they oscillate",
            0.0, 2.0)
      .exclusive_min()
      .real("min", std::nullopt, "lower bound applied after every iteration (e.g. 0 for attenuation); none by default")
      .real("max", std::nullopt, "upper bound applied after every iteration; none by default")
      .integer("checkpoint_every", 10, "iterations between checkpoints (with xrecon run --checkpoint DIR)", 1, 100000);
  add_size_param(spec.params);
  spec.inputs = {{"projections", PayloadKind::projections, "line integrals (angles, rows, cols)"}};
  spec.outputs = {{"volume", PayloadKind::volume, "one reconstructed slice per detector row (rows, size, size)"}};
  spec.memory_need = slice_memory_of_projections(tomo::sirt_memory, false);
  spec.check = [](const ParamValues& values) {
    const auto min = values.optional_real("min"), max = values.optional_real("max");
    if (min && max && *min > *max)
      throw ParamError("min", "min (" + std::to_string(*min) + ") is greater than max (" + std::to_string(*max) + ")");
  };
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    tomo::SirtOptions options{.iterations = static_cast<std::size_t>(values.integer("iterations")),
                              .relaxation = values.real("relaxation"),
                              .min = values.optional_real("min"),
                              .max = values.optional_real("max")};
    return std::make_unique<SirtStage>(std::move(options), size_param(values),
                                       static_cast<std::size_t>(values.integer("checkpoint_every")));
  };
  return spec;
}

}  // namespace xrecon::tomo_plugin
