// tomo.sirt_stream: sliding-window SIRT (Bicer's Trace) on a stream of projections; sends the
// refreshed image after every `step` new projections.
#include <chrono>
#include <filesystem>
#include <optional>

#include <xrecon/json_lines.hpp>
#include <xrecon/stage.hpp>
#include <xrecon/tomo/streaming_sirt.hpp>

#include "refresh_report.hpp"
#include "stages.hpp"
#include "stream_format.hpp"
#include "truth_score.hpp"

namespace xrecon::stream {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) { return std::chrono::duration<double>(Clock::now() - start).count(); }

struct SirtStreamOptions {
  tomo::StreamingSirtOptions streaming;
  std::optional<std::size_t> size;
  std::optional<std::filesystem::path> report;
  bool flush = true;
};

// One run of the stage: the reconstruction, made when the first projection tells its shape,
// and what each refresh reports.
class StreamRun {
 public:
  StreamRun(const SirtStreamOptions& options, StageIO& io, Context& context)
      : options_(options), io_(io), context_(context) {
    options_.streaming.sirt.on_iteration = [&context](const tomo::SirtIteration&) {
      context.cancellation().throw_if_cancelled();
    };
    // Before the stream: the producer sends the truth first (bounded channels; see sim.detector_stream).
    if (io.connected("truth")) {
      auto truth = io.receive_as<Volume>("truth");
      if (!truth) throw InputError("input 'truth' is connected but received no volume");
      truth_.emplace(std::move(truth));
    }
    if (options_.report) report_.emplace(*options_.report);
  }

  void take(const Projections& message) {
    if (!sirt_) start(message);
    check_message(message, format_);
    const std::size_t values = format_.rows * format_.cols;
    for (std::size_t k = 0; k < message.num_angles(); ++k) {
      const Clock::time_point begin = Clock::now();
      if (sirt_->add(message.data.data() + k * values, message.angles[k])) publish(begin, message.sequence);
    }
    last_sequence_ = message.sequence;
  }

  void finish() {
    if (!sirt_) throw InputError("input 'projections' received no data");
    const Clock::time_point begin = Clock::now();
    if (options_.flush && sirt_->flush()) publish(begin, last_sequence_);
    if (sirt_->refreshes() == 0)
      throw InputError("the stream ended after " + std::to_string(sirt_->consumed()) +
                       " projections, before the first refresh (step " + std::to_string(options_.streaming.step) +
                       "); set flush: true to reconstruct from them anyway");
    context_.logger().info("tomo.sirt_stream: " + std::to_string(sirt_->refreshes()) + " refreshes of " +
                           sirt_->image().shape().to_string() + " from " + std::to_string(sirt_->consumed()) +
                           " projections in " + std::to_string(seconds_since(first_)) + " s");
  }

 private:
  void start(const Projections& first) {
    first_ = Clock::now();
    format_ = format_of(first);
    tomo::Geometry detector;
    detector.cols = format_.cols;
    detector.center = format_.center;
    detector.convention = format_.convention;
    detector.n = options_.size.value_or(format_.cols);
    // A stream is one sequence of refreshes, each depending on the last: it runs on the first
    // device of the stage (a GPU when one is listed), not split over several.
    const Device& device = context_.devices().front();
    if (context_.devices().size() > 1)
      context_.logger().info("tomo.sirt_stream: refreshing on " + device.to_string() + ", the first of " +
                             std::to_string(context_.devices().size()) + " devices");
    sirt_.emplace(detector, format_.rows, options_.streaming, device.memory_space());
    if (truth_) truth_->check_shape(sirt_->image().shape());
  }

  void publish(Clock::time_point begin, std::size_t sequence) {
    auto volume = std::make_shared<Volume>();
    volume->data = sirt_->image().to(MemorySpace::host());  // the image goes on changing; the message may not
    volume->voxel_size = format_.pixel_size;
    volume->description = "attenuation per pixel, streaming sliding-window SIRT";
    volume->sequence = sirt_->refreshes() - 1;

    RefreshRecord record;
    record.refresh_seconds = seconds_since(begin);
    record.refresh = volume->sequence;
    record.projections = sirt_->consumed();
    record.last_sequence = sequence;
    record.window = sirt_->last_window();
    record.iterations = options_.streaming.sirt.iterations;
    record.elapsed_seconds = seconds_since(first_);
    record.sustained_rate = double(record.projections) / record.elapsed_seconds;
    if (truth_) {
      const Score score = truth_->score(volume->data);
      record.rmse = score.rmse;
      record.ssim = score.ssim;
    }
    context_.logger().info(log_line(record));
    if (report_) report_->write(json_line(record));
    io_.send("volume", std::move(volume));
  }

  SirtStreamOptions options_;
  StageIO& io_;
  Context& context_;
  std::optional<TruthScore> truth_;
  std::optional<JsonLinesFile> report_;
  std::optional<tomo::StreamingSirt> sirt_;
  StreamFormat format_;
  Clock::time_point first_;
  std::size_t last_sequence_ = 0;
};

class SirtStreamStage final : public Stage {
 public:
  explicit SirtStreamStage(SirtStreamOptions options) : options_(std::move(options)) {}

  void run(StageIO& io, Context& context) override {
    StreamRun run(options_, io, context);
    while (auto message = io.receive_as<Projections>("projections")) {
      context.cancellation().throw_if_cancelled();
      run.take(*message);
    }
    run.finish();
  }

 private:
  SirtStreamOptions options_;
};

}  // namespace

ComponentSpec sirt_stream_spec() {
  ComponentSpec spec;
  spec.name = "tomo.sirt_stream";
  spec.summary =
      "Streaming sliding-window SIRT (Bicer's Trace): refreshes a persistent image from the last `window` "
      "projections every `step` new ones";
  spec.params.integer("window", 16, "W: the most recent projections each refresh works on", 1, 1000000)
      .integer("step", std::nullopt,
               "S: new projections between refreshes, at most W; default W, so that each projection is used by "
               "exactly one refresh (as in the TomoGAN streaming benchmarks)",
               1, 1000000)
      .integer("iterations", 1, "I: SIRT iterations per refresh, from the image the last refresh left", 1, 100000)
      .real("relaxation", 1.0, "relaxation factor lambda, in (0, 2]", 0.0, 2.0)
      .exclusive_min()
      .real("min", std::nullopt, "lower bound applied after every iteration (e.g. 0 for attenuation); none by default")
      .real("max", std::nullopt, "upper bound applied after every iteration; none by default")
      .integer("size", std::nullopt,
               "width and height of the reconstructed slices in detector pixels, centred on the rotation axis; "
               "default: the detector width",
               1, 65536)
      // A string rather than output_file(): the SDK's output files are required, and this one is not.
      .string("report", std::nullopt,
              "path of a JSON-lines file with one object per refresh (refresh, projections, window, iterations, "
              "refresh_seconds, sustained_rate, and rmse and ssim when the truth is connected); none by default")
      .boolean("flush", true,
               "refresh once more at the end of the stream when projections arrived after the last refresh, so "
               "that the final image uses every projection");
  spec.inputs = {{"projections", PayloadKind::projections,
                  "a stream of normalised projections (angles, rows, cols), one or more angles per message", false, PortFlow::stream},
                 {"truth", PayloadKind::volume,
                  "the imaged object (rows, size, size), sent before the stream; each refresh is scored against it",
                  true}};
  spec.outputs = {{"volume", PayloadKind::volume,
                   "a stream: the image after each refresh (rows, size, size), sequence = refresh index", false, PortFlow::stream}};
  spec.check = [](const ParamValues& values) {
    if (values.has("step") && values.integer("step") > values.integer("window"))
      throw ParamError("step", "is " + std::to_string(values.integer("step")) + ", more than the window (" +
                                   std::to_string(values.integer("window")) +
                                   "): the projections between two windows would never be used");
    const auto min = values.optional_real("min"), max = values.optional_real("max");
    if (min && max && *min > *max)
      throw ParamError("min", "min (" + std::to_string(*min) + ") is greater than max (" + std::to_string(*max) + ")");
  };
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    SirtStreamOptions options;
    options.streaming.window = std::size_t(values.integer("window"));
    options.streaming.step = values.has("step") ? std::size_t(values.integer("step")) : options.streaming.window;
    options.streaming.sirt.iterations = std::size_t(values.integer("iterations"));
    options.streaming.sirt.relaxation = values.real("relaxation");
    options.streaming.sirt.min = values.optional_real("min");
    options.streaming.sirt.max = values.optional_real("max");
    if (values.has("size")) options.size = std::size_t(values.integer("size"));
    if (values.has("report")) options.report = values.string("report");
    options.flush = values.boolean("flush");
    return std::make_unique<SirtStreamStage>(std::move(options));
  };
  return spec;
}

}  // namespace xrecon::stream
