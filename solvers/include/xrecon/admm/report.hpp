#pragma once
// What an ADMM host reports per iteration (tomo.admm, joint.admm): named numbers in a fixed order,
// written as one JSON line each to the stage's `report:` file, summarised in the log, and drawn as
// a convergence plot (PNG) at the end of the run. Hosts choose their own quantities (residuals,
// rho, the data term, the ptycho cost, RMSE/SSIM against a truth), so the record is a list of
// names and values rather than a struct per host.
#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "xrecon/cancellation.hpp"
#include "xrecon/context.hpp"
#include "xrecon/json_lines.hpp"

namespace xrecon::admm {

struct IterationRecord {
  int iteration = 0;  // 1-based
  std::vector<std::pair<std::string, double>> values;

  IterationRecord& add(std::string name, double value) {
    values.emplace_back(std::move(name), value);
    return *this;
  }
  std::optional<double> find(const std::string& name) const;
};

// {"iteration": 3, "primal_residual": 0.012, ...}; non-finite values become null.
std::string to_json(const IterationRecord& record);

// A series of the convergence plot: one panel, log or linear in y.
struct PlotSeries {
  std::string name;  // a key of the records' values
  bool log_scale = true;
};

class Report {
 public:
  // `path` empty: no JSON-lines file. `stage` prefixes the log lines ("tomo.admm").
  Report(std::optional<std::filesystem::path> path, std::string stage);

  // Appends the record, writes its JSON line, and logs one summary line of the values named in
  // `logged` (all of them when empty).
  void add(IterationRecord record, Logger& logger, const std::vector<std::string>& logged = {});
  const std::vector<IterationRecord>& records() const { return records_; }
  // Records of iterations before a resume, so that the plot covers the whole run.
  void restore(std::vector<IterationRecord> earlier) { records_ = std::move(earlier); }

 private:
  std::optional<JsonLinesFile> file_;
  std::string stage_;
  std::vector<IterationRecord> records_;
};

// Where a report's convergence plot goes: out/admm.jsonl -> out/admm_convergence.png (not
// out/admm.png, which is where a writer's preview of out/admm.h5 goes).
std::filesystem::path convergence_plot_path(const std::filesystem::path& report);

// One panel per series, iterations along x, written as an RGB PNG through a temporary file
// renamed over `path` when complete. Series with no finite value (or no positive one on a log
// scale) are drawn as empty panels saying so.
void write_convergence_plot(const std::vector<IterationRecord>& records, const std::vector<PlotSeries>& series,
                            const std::string& title, const std::filesystem::path& path,
                            const CancellationToken& cancellation);

// Images side by side, each with its label above (the README's comparison figures): every image
// is (H, W) in host memory, mapped to grey with the one window [low, high] so that they compare.
struct LabelledImage {
  std::string label;
  ArrayF image;
};
void write_image_row(const std::vector<LabelledImage>& images, double low, double high,
                     const std::filesystem::path& path, const CancellationToken& cancellation);

}  // namespace xrecon::admm
