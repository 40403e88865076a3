// prior.tomogan_enhance: runs the network on every incoming volume (a batch result, or each
// refresh of a streaming reconstruction) on its own thread, so the reconstruction upstream keeps
// going while an image is enhanced, as in the TomoGAN streaming setting.
#include <algorithm>
#include <chrono>
#include <memory>
#include <optional>

#include <xrecon/metrics/image_quality.hpp>
#include <xrecon/json_lines.hpp>
#include <xrecon/stage.hpp>

#include "enhancement_report.hpp"
#include "tomogan_settings.hpp"
#include "tomogan_specs.hpp"

namespace xrecon::prior_plugin {
namespace {

// SSIM's data range is the truth's span: the range the reconstruction is meant to have.
double data_range(const ArrayF& truth) {
  const auto values = truth.host_span();
  const auto [low, high] = std::minmax_element(values.begin(), values.end());
  return *high > *low ? double(*high) - double(*low) : 1.0;
}

class TomoganEnhanceStage final : public Stage {
 public:
  TomoganEnhanceStage(TomoganSettings settings, std::optional<std::filesystem::path> report)
      : settings_(std::move(settings)), report_path_(std::move(report)) {}

  void run(StageIO& io, Context& context) override {
    std::shared_ptr<const Volume> truth;
    if (io.connected("truth")) {
      truth = io.receive_as<Volume>("truth");
      if (!truth) throw InputError("input 'truth' is connected but received no volume");
    }
    std::optional<JsonLinesFile> report;
    if (report_path_) report.emplace(*report_path_);
    std::unique_ptr<prior::Enhancer> enhancer;
    std::size_t count = 0;
    while (auto volume = io.receive_as<Volume>("volume")) {
      context.cancellation().throw_if_cancelled();
      if (!enhancer) enhancer = make_enhancer(settings_, context);
      const ArrayF raw = volume->data.space().is_host() ? volume->data : volume->data.to(MemorySpace::host());
      const auto start = std::chrono::steady_clock::now();
      ArrayF enhanced = blend_enhanced(*enhancer, raw, settings_.strength);
      EnhancementRecord record;
      record.sequence = volume->sequence;
      record.enhance_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (truth) record.scores = scores(raw, enhanced, truth->data);
      context.logger().info("prior.tomogan_enhance: " + json_line(record));
      if (report) report->write(json_line(record));
      auto out = std::make_shared<Volume>(*volume);
      out->data = std::move(enhanced);
      out->description = volume->description + ", enhanced by " + enhancer->model().name;
      io.send("volume", out);
      ++count;
    }
    if (count == 0) throw InputError("input 'volume' received no data");
  }

 private:
  static EnhancementRecord::Scores scores(const ArrayF& raw, const ArrayF& enhanced, const ArrayF& truth) {
    if (!(truth.shape() == raw.shape()))
      throw InputError("the truth volume has shape " + truth.shape().to_string() + " but the image to enhance is " +
                       raw.shape().to_string());
    const double range = data_range(truth);
    return {.rmse_raw = metrics::rmse(raw, truth),
            .ssim_raw = metrics::ssim(raw, truth, range),
            .rmse_enhanced = metrics::rmse(enhanced, truth),
            .ssim_enhanced = metrics::ssim(enhanced, truth, range)};
  }

  TomoganSettings settings_;
  std::optional<std::filesystem::path> report_path_;
};

}  // namespace

ComponentSpec tomogan_enhance_spec() {
  ComponentSpec spec;
  spec.name = "prior.tomogan_enhance";
  spec.summary = "Enhances every incoming volume slice by slice with a learned network (TomoGAN): z = (1 - s) v + s D(v)";
  add_tomogan_params(spec.params);
  spec.params.output_file("report", std::nullopt,
                          "JSON lines, one per volume: time to enhance and, with a truth, RMSE and SSIM before and "
                          "after");
  spec.inputs = {{"volume", PayloadKind::volume, "images to enhance (slices, rows, cols), one or a stream", false, PortFlow::stream},
                 {"truth", PayloadKind::volume, "the object imaged, to score each image before and after", true}};
  spec.outputs = {{"volume", PayloadKind::volume, "the enhanced images, same shape and sequence", false, PortFlow::as_inputs}};
  spec.create = [](const ParamValues& values) -> std::unique_ptr<Component> {
    std::optional<std::filesystem::path> report;
    if (values.has("report")) report = values.string("report");
    return std::make_unique<TomoganEnhanceStage>(tomogan_settings(values), report);
  };
  return spec;
}

}  // namespace xrecon::prior_plugin
