// io.cxi and io.cxi_writer: far-field ptychography scans from and to CXI files.
#include <cstdio>

#include <xrecon/stage.hpp>

#include "cxi_reader.hpp"
#include "cxi_writer.hpp"
#include "stages.hpp"

namespace xrecon::io {
namespace {

std::string scientific(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.4g", value);
  return text;
}

class CxiReaderStage final : public Stage {
 public:
  CxiReaderStage(std::filesystem::path path, CxiOptions options) : path_(std::move(path)), options_(options) {}

  void run(StageIO& io, Context& context) override {
    context.cancellation().throw_if_cancelled();
    CxiResult result = read_cxi(path_, options_);
    for (const std::string& warning : result.warnings) context.logger().warn("io.cxi: " + path_.string() + ": " + warning);
    if (result.probe_guessed)
      context.logger().warn("io.cxi: " + path_.string() +
                            " has no illumination; a Gaussian a quarter of the detector wide stands in for the probe");
    const PtychoScan& scan = *result.scan;
    context.logger().info("io.cxi: read " + path_.string() + ": patterns " + scan.patterns.shape().to_string() +
                          ", object pixel " + scientific(result.pixel_size) + " m, object grid " +
                          std::to_string(scan.object_rows) + "x" + std::to_string(scan.object_cols));
    io.send("scan", std::move(result.scan));
  }

 private:
  std::filesystem::path path_;
  CxiOptions options_;
};

class CxiWriterStage final : public Stage {
 public:
  explicit CxiWriterStage(std::filesystem::path path) : path_(std::move(path)) {}

  void run(StageIO& io, Context& context) override {
    const std::shared_ptr<const PtychoScan> scan = io.receive_as<PtychoScan>("scan");
    if (!scan) throw Error("input 'scan' received no data");
    write_cxi(*scan, path_, context.cancellation());
    context.logger().info("io.cxi_writer: wrote " + path_.string() + " " + scan->patterns.shape().to_string());
  }

 private:
  std::filesystem::path path_;
};

}  // namespace

ComponentSpec cxi_spec() {
  ComponentSpec spec;
  spec.name = "io.cxi";
  spec.summary = "Reads a far-field ptychography scan from a CXI file (/entry_1/data_1/data, translation, geometry)";
  spec.params.input_file("path", "the CXI (HDF5) file")
      .integer("margin", 2, "free-space object pixels around the scanned windows", 0, 4096);
  spec.outputs = {{"scan", PayloadKind::ptycho_scan,
                   "patterns, positions in object pixels, the probe (a Gaussian guess when the file has none)"}};
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    CxiOptions options;
    options.margin = std::size_t(p.integer("margin"));
    return std::make_unique<CxiReaderStage>(p.string("path"), options);
  };
  return spec;
}

ComponentSpec cxi_writer_spec() {
  ComponentSpec spec;
  spec.name = "io.cxi_writer";
  spec.summary = "Writes a far-field ptychography scan to a CXI file";
  spec.params.output_file("path", std::nullopt, "the CXI file to write; replaced only by a complete one");
  spec.inputs = {{"scan", PayloadKind::ptycho_scan, "the scan to write"}};
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    return std::make_unique<CxiWriterStage>(p.string("path"));
  };
  return spec;
}

}  // namespace xrecon::io
