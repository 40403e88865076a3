#include "refresh_report.hpp"

#include <xrecon/json_lines.hpp>

namespace xrecon::stream {

std::string json_line(const RefreshRecord& r) {
  std::string line = "{\"refresh\":" + std::to_string(r.refresh) + ",\"projections\":" + std::to_string(r.projections) +
                     ",\"last_sequence\":" + std::to_string(r.last_sequence) +
                     ",\"window\":" + std::to_string(r.window) + ",\"iterations\":" + std::to_string(r.iterations) +
                     ",\"refresh_seconds\":" + json_number(r.refresh_seconds) +
                     ",\"elapsed_seconds\":" + json_number(r.elapsed_seconds) +
                     ",\"sustained_rate\":" + json_number(r.sustained_rate);
  if (r.rmse) line += ",\"rmse\":" + json_number(*r.rmse);
  if (r.ssim) line += ",\"ssim\":" + json_number(*r.ssim);
  return line + "}";
}

std::string log_line(const RefreshRecord& r) {
  std::string line = "tomo.sirt_stream: refresh " + std::to_string(r.refresh) + " after " +
                     std::to_string(r.projections) + " projections (window " + std::to_string(r.window) + ", " +
                     std::to_string(r.iterations) + (r.iterations == 1 ? " iteration" : " iterations") + ") in " +
                     json_number(r.refresh_seconds) + " s; sustained " + json_number(r.sustained_rate) + " projections/s";
  if (r.rmse) line += "; RMSE " + json_number(*r.rmse);
  if (r.ssim) line += ", SSIM " + json_number(*r.ssim);
  return line;
}

}  // namespace xrecon::stream
