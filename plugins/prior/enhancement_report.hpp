#pragma once
// What prior.tomogan_enhance reports per image, a JSON object per line of an xrecon::JsonLinesFile;
// scores against the truth when one is connected.
#include <cstddef>
#include <optional>
#include <string>

namespace xrecon::prior_plugin {

struct EnhancementRecord {
  std::size_t sequence = 0;   // the incoming volume's sequence (a streaming refresh index)
  double enhance_seconds = 0;
  struct Scores {
    double rmse_raw = 0, ssim_raw = 0, rmse_enhanced = 0, ssim_enhanced = 0;
  };
  std::optional<Scores> scores;
};

std::string json_line(const EnhancementRecord& record);

}  // namespace xrecon::prior_plugin
