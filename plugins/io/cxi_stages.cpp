// io.cxi and io.cxi_writer: far-field ptychography scans from and to CXI files, one file or a
// tomographic series of files with an index.
#include <cstdio>
#include <numbers>
#include <optional>

#include <xrecon/stage.hpp>

#include "cxi_index.hpp"
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
    if (is_cxi_index(path_)) {
      read_series(io, context);
      return;
    }
    CxiResult result = read_cxi(path_, options_);
    report(result, path_, context);
    const PtychoScan& scan = *result.scan;
    context.logger().info("io.cxi: read " + path_.string() + ": patterns " + scan.patterns.shape().to_string() +
                          ", object pixel " + scientific(result.pixel_size) + " m, object grid " +
                          std::to_string(scan.object_rows) + "x" + std::to_string(scan.object_cols));
    io.send("scan", std::move(result.scan));
  }

 private:
  // Every file is checked against the index and the others before the first scan goes out.
  void read_series(StageIO& io, Context& context) {
    const CxiSeries series(path_, options_);
    const double degrees = 180.0 / std::numbers::pi;
    context.logger().info("io.cxi: " + path_.string() + " lists " + std::to_string(series.size()) +
                          " scans from " + scientific(series.angle(0) * degrees) + " to " +
                          scientific(series.angle(series.size() - 1) * degrees) + " degrees, object pixel " +
                          scientific(series.pixel_size()) + " m, object grid " +
                          std::to_string(series.object_rows()) + "x" + std::to_string(series.object_cols()));
    context.progress().start("io.cxi", series.size());
    for (std::size_t k = 0; k < series.size(); ++k) {
      context.cancellation().throw_if_cancelled();
      CxiResult result = series.read(k);
      report(result, series.file(k), context);
      io.send("scan", std::move(result.scan));
      context.progress().advance(1);
    }
    context.progress().finish();
  }

  static void report(const CxiResult& result, const std::filesystem::path& file, Context& context) {
    for (const std::string& warning : result.warnings)
      context.logger().warn("io.cxi: " + file.string() + ": " + warning);
    if (result.probe_guessed)
      context.logger().warn("io.cxi: " + file.string() +
                            " has no illumination; a Gaussian a quarter of the detector wide stands in for the probe");
  }

  std::filesystem::path path_;
  CxiOptions options_;
};

class CxiWriterStage final : public Stage {
 public:
  CxiWriterStage(std::string path, std::optional<std::string> index)
      : path_(std::move(path)), index_(std::move(index)) {}

  void run(StageIO& io, Context& context) override {
    if (is_cxi_series_path(path_)) {
      write_series(io, context);
      return;
    }
    const std::shared_ptr<const PtychoScan> scan = io.receive_as<PtychoScan>("scan");
    if (!scan) throw Error("input 'scan' received no data");
    if (const std::shared_ptr<const PtychoScan> another = io.receive_as<PtychoScan>("scan"))
      throw InputError("received a second scan (sequence " + std::to_string(another->sequence) +
                           ", angle " + scientific(another->angle) + " rad) for the one file " + path_ +
                           "; to write a series, put {angle} in the path or give a folder");
    write_cxi(*scan, path_, context.cancellation());
    context.logger().info("io.cxi_writer: wrote " + path_ + " " + scan->patterns.shape().to_string());
  }

 private:
  void write_series(StageIO& io, Context& context) {
    CxiSeriesWriter writer(path_, index_ ? std::filesystem::path(*index_) : std::filesystem::path());
    while (const std::shared_ptr<const PtychoScan> scan = io.receive_as<PtychoScan>("scan")) {
      context.cancellation().throw_if_cancelled();
      writer.write(*scan, context.cancellation());
    }
    if (writer.size() == 0) throw Error("input 'scan' received no data");
    writer.commit();
    context.logger().info("io.cxi_writer: wrote " + std::to_string(writer.size()) + " scans as " +
                          writer.file_for(0).parent_path().string() + "/... with the index " +
                          writer.index().string());
  }

  std::string path_;
  std::optional<std::string> index_;
};

}  // namespace

ComponentSpec cxi_spec() {
  ComponentSpec spec;
  spec.name = "io.cxi";
  spec.summary =
      "Reads a far-field ptychography scan from a CXI file (/entry_1/data_1/data, translation, geometry), or one scan "
      "per tomographic angle from an index of CXI files";
  spec.params
      .input_file("path",
                  "the CXI (HDF5) file, or an index of CXI files, one per tomographic angle (a text file whose first "
                  "line is '# xrecon-cxi-index 1', then 'ANGLE_RAD FILE' per line, angles increasing, as "
                  "io.cxi_writer writes it)")
      .integer("margin", 2,
               "free-space object pixels around the scanned windows (files without xrecon's object grid)", 0, 4096);
  spec.outputs = {{"scan", PayloadKind::ptycho_scan,
                   "patterns, positions in object pixels, the probe (a Gaussian guess when the file has none); from "
                   "an index, a stream: one scan per file in angle order, sequence = line order, angle in radians, "
                   "one object grid for all",
                   false, PortFlow::stream}};
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
  spec.summary =
      "Writes a far-field ptychography scan to a CXI file, or a stream of scans to one CXI file per angle plus an "
      "index";
  spec.params
      .output_file("path", std::nullopt,
                   "the CXI file to write; or, for a stream of scans (one per tomographic angle), a pattern with "
                   "{angle} (replaced by the scan's sequence number, 0000, 0001, ...) or a folder (ending with /) "
                   "that gets angle_{angle}.cxi files. Files are replaced only by complete ones")
      .string("index", std::nullopt,
              "series: the index file listing the files and their angles; absent: index.txt next to the files");
  spec.inputs = {{"scan", PayloadKind::ptycho_scan, "the scan to write, or a stream of scans for a series", false, PortFlow::stream}};
  spec.check = [](const ParamValues& p) {
    if (p.has("index") && p.has("path") && !is_cxi_series_path(p.string("path")))
      throw ParamError("index", "is given but path '" + p.string("path") +
                                    "' names one file; put {angle} in the path or give a folder to write a series");
  };
  spec.create = [](const ParamValues& p) -> std::unique_ptr<Component> {
    return std::make_unique<CxiWriterStage>(
        p.string("path"), p.has("index") ? std::optional<std::string>(p.string("index")) : std::nullopt);
  };
  return spec;
}

}  // namespace xrecon::io
