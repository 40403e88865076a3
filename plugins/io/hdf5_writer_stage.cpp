// io.hdf5_writer: writes volumes to an HDF5 result file with provenance and a PNG preview.
#include <xrecon/stage.hpp>

#include "png_preview.hpp"
#include "stages.hpp"
#include "volume_writer.hpp"

namespace xrecon::io {
namespace {

class Hdf5WriterStage final : public Stage {
 public:
  Hdf5WriterStage(std::filesystem::path path, bool preview, int gzip_level)
      : path_(std::move(path)), preview_(preview), gzip_level_(gzip_level) {}

  // A batch producer sends one volume; a streaming one sends refreshed volumes, and each
  // replaces the file atomically so it always holds the latest complete result.
  void run(StageIO& io, Context& context) override {
    std::size_t written = 0;
    while (std::shared_ptr<const Volume> volume = io.receive_as<Volume>("volume")) {
      write_volume(*volume, path_, context.provenance(), context.cancellation(), gzip_level_);
      std::string line = "io.hdf5_writer: wrote " + path_.string() + " " + volume->data.shape().to_string() +
                         " float32, gzip " + std::to_string(gzip_level_);
      if (preview_) {
        const std::filesystem::path preview_path = std::filesystem::path(path_).replace_extension(".png");
        write_png_preview(*volume, preview_path, context.cancellation());
        line += ", preview " + preview_path.string();
      }
      context.logger().info(line);
      ++written;
    }
    if (written == 0) throw Error("input 'volume' received no data");
  }

 private:
  std::filesystem::path path_;
  bool preview_;
  int gzip_level_;
};

}  // namespace

ComponentSpec hdf5_writer_spec() {
  ComponentSpec spec;
  spec.name = "io.hdf5_writer";
  spec.summary = "Writes a volume to HDF5 (/volume, float32) with provenance attributes and a PNG preview";
  spec.params.output_file("path", std::nullopt, "the HDF5 file to write; replaced only by a complete result")
      .boolean("preview", true, "also write the central z slice as an 8-bit PNG: same name, .png extension")
      .integer("compression", kDefaultGzipLevel, "gzip level of /volume, 0 for none", 0, 9);
  spec.inputs = {{"volume", PayloadKind::volume, "the volume to write", false, PortFlow::stream}};
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    return std::make_unique<Hdf5WriterStage>(p.string("path"), p.boolean("preview"), int(p.integer("compression")));
  };
  return spec;
}

}  // namespace xrecon::io
