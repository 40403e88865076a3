#include "enhancement_report.hpp"

#include <cstdio>

#include <xrecon/error.hpp>

namespace xrecon::prior_plugin {
namespace {

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace

std::string json_line(const EnhancementRecord& r) {
  std::string line = "{\"sequence\":" + std::to_string(r.sequence) + ",\"enhance_seconds\":" + number(r.enhance_seconds);
  if (r.scores)
    line += ",\"rmse_raw\":" + number(r.scores->rmse_raw) + ",\"ssim_raw\":" + number(r.scores->ssim_raw) +
            ",\"rmse_enhanced\":" + number(r.scores->rmse_enhanced) +
            ",\"ssim_enhanced\":" + number(r.scores->ssim_enhanced);
  return line + "}";
}

EnhancementReport::EnhancementReport(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  if (ec) throw Error("cannot create folder " + path_.parent_path().string() + ": " + ec.message());
  out_.open(path_, std::ios::out | std::ios::trunc);
  if (!out_) throw Error("cannot write the report " + path_.string());
}

void EnhancementReport::write(const EnhancementRecord& record) {
  out_ << json_line(record) << '\n';
  out_.flush();
  if (!out_) throw Error("writing the report " + path_.string() + " failed");
}

}  // namespace xrecon::prior_plugin
