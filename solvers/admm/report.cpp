#include "xrecon/admm/report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace xrecon::admm {

std::optional<double> IterationRecord::find(const std::string& name) const {
  for (const auto& [key, value] : values)
    if (key == name) return value;
  return std::nullopt;
}

std::string to_json(const IterationRecord& record) {
  std::string line = "{\"iteration\": " + std::to_string(record.iteration);
  for (const auto& [key, value] : record.values)
    line += ", \"" + key + "\": " + (std::isfinite(value) ? json_number(value) : std::string("null"));
  return line + "}";
}

std::filesystem::path convergence_plot_path(const std::filesystem::path& report) {
  std::filesystem::path p = report;
  p.replace_extension();
  return p.string() + "_convergence.png";
}

Report::Report(std::optional<std::filesystem::path> path, std::string stage) : stage_(std::move(stage)) {
  if (path) file_.emplace(*path);
}

void Report::add(IterationRecord record, Logger& logger, const std::vector<std::string>& logged) {
  if (file_) file_->write(to_json(record));
  std::string line = stage_ + ": iteration " + std::to_string(record.iteration);
  for (const auto& [key, value] : record.values) {
    if (!logged.empty() && std::find(logged.begin(), logged.end(), key) == logged.end()) continue;
    char number[32];
    std::snprintf(number, sizeof number, "%.4g", value);
    line += ", " + key + " " + number;
  }
  logger.info(line);
  records_.push_back(std::move(record));
}

}  // namespace xrecon::admm
