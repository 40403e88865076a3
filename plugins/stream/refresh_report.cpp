#include "refresh_report.hpp"

#include <cstdio>

#include <xrecon/error.hpp>

namespace xrecon::stream {
namespace {

// Enough digits to compare runs; JSON has no NaN, and every value here is finite.
std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.6g", value);
  return text;
}

}  // namespace

std::string json_line(const RefreshRecord& r) {
  std::string line = "{\"refresh\":" + std::to_string(r.refresh) + ",\"projections\":" + std::to_string(r.projections) +
                     ",\"last_sequence\":" + std::to_string(r.last_sequence) +
                     ",\"window\":" + std::to_string(r.window) + ",\"iterations\":" + std::to_string(r.iterations) +
                     ",\"refresh_seconds\":" + number(r.refresh_seconds) +
                     ",\"elapsed_seconds\":" + number(r.elapsed_seconds) +
                     ",\"sustained_rate\":" + number(r.sustained_rate);
  if (r.rmse) line += ",\"rmse\":" + number(*r.rmse);
  if (r.ssim) line += ",\"ssim\":" + number(*r.ssim);
  return line + "}";
}

std::string log_line(const RefreshRecord& r) {
  std::string line = "tomo.sirt_stream: refresh " + std::to_string(r.refresh) + " after " +
                     std::to_string(r.projections) + " projections (window " + std::to_string(r.window) + ", " +
                     std::to_string(r.iterations) + (r.iterations == 1 ? " iteration" : " iterations") + ") in " +
                     number(r.refresh_seconds) + " s; sustained " + number(r.sustained_rate) + " projections/s";
  if (r.rmse) line += "; RMSE " + number(*r.rmse);
  if (r.ssim) line += ", SSIM " + number(*r.ssim);
  return line;
}

ReportFile::ReportFile(std::filesystem::path path) : path_(std::move(path)) {
  std::error_code ec;
  if (path_.has_parent_path()) std::filesystem::create_directories(path_.parent_path(), ec);
  if (ec) throw Error("cannot create folder " + path_.parent_path().string() + ": " + ec.message());
  out_.open(path_, std::ios::out | std::ios::trunc);
  if (!out_) throw Error("cannot write the report " + path_.string());
}

void ReportFile::write(const RefreshRecord& record) {
  out_ << json_line(record) << '\n';
  out_.flush();
  if (!out_) throw Error("cannot write the report " + path_.string());
}

}  // namespace xrecon::stream
