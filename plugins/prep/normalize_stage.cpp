// prep.normalize: raw counts with their flat and dark fields -> transmission -> line integrals.
#include <memory>

#include <xrecon/stage.hpp>
#include <xrecon/tomo/preprocess.hpp>

#include "stages.hpp"

namespace xrecon::prep_plugin {
namespace {

class NormalizeStage final : public Stage {
 public:
  explicit NormalizeStage(bool take_log) : take_log_(take_log) {}

  void run(StageIO& io, Context& context) override {
    while (auto raw = io.receive_as<Projections>("projections")) {
      if (raw->normalized())
        throw InputError("the projections carry no flat and dark fields (already normalised?); read raw data with "
                         "io.dxchange normalize: false, minus_log: false");
      auto out = std::make_shared<Projections>(*raw);
      out->data = raw->data.clone();
      tomo::normalize_flat_dark(out->data, raw->flats, raw->darks);
      if (take_log_) {
        if (const tomo::TransmissionCheck check = tomo::check_transmission(out->data); !check.looks_like_transmission())
          throw ParamError("minus_log", "is true, but the normalised projections are not a transmission: " +
                                            check.describe() +
                                            " (flat and dark fields swapped, or of another scan?). For "
                                            "transmission without the logarithm set minus_log: false");
        tomo::minus_log(out->data);
      }
      context.logger().info("prep.normalize: " + out->data.shape().to_string() + " with " +
                            std::to_string(raw->flats.extent(0)) + " flat and " + std::to_string(raw->darks.extent(0)) +
                            " dark frame(s)" + (take_log_ ? ", -log" : ""));
      out->flats = {};
      out->darks = {};
      io.send("projections", out);
    }
  }

 private:
  bool take_log_;
};

}  // namespace

ComponentSpec normalize_spec() {
  ComponentSpec spec;
  spec.name = "prep.normalize";
  spec.summary = "Flat/dark normalisation (data - dark) / (flat - dark), then -log: counts to line integrals";
  spec.params.boolean("minus_log", true, "take -log of the transmission (false: stop at transmission)");
  spec.inputs = {{"projections", PayloadKind::projections, "raw counts carrying their flat and dark fields, one or a stream", false, PortFlow::stream}};
  spec.outputs = {{"projections", PayloadKind::projections, "line integrals (or transmission), one per input", false, PortFlow::as_inputs}};
  spec.create = [](const ParamValues& p) { return std::make_unique<NormalizeStage>(p.boolean("minus_log")); };
  return spec;
}

}  // namespace xrecon::prep_plugin
