#include "enhancement_report.hpp"

#include <xrecon/json_lines.hpp>

namespace xrecon::prior_plugin {

std::string json_line(const EnhancementRecord& r) {
  std::string line = "{\"sequence\":" + std::to_string(r.sequence) + ",\"enhance_seconds\":" + json_number(r.enhance_seconds);
  if (r.scores)
    line += ",\"rmse_raw\":" + json_number(r.scores->rmse_raw) + ",\"ssim_raw\":" + json_number(r.scores->ssim_raw) +
            ",\"rmse_enhanced\":" + json_number(r.scores->rmse_enhanced) +
            ",\"ssim_enhanced\":" + json_number(r.scores->ssim_enhanced);
  return line + "}";
}

}  // namespace xrecon::prior_plugin
