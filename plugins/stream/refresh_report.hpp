#pragma once
// What a streaming reconstruction reports after each refresh: a log line, and one JSON object
// per line of an optional report file.
#include <cstddef>
#include <optional>
#include <string>

namespace xrecon::stream {

struct RefreshRecord {
  std::size_t refresh = 0;          // 0-based; also the sequence of the volume sent
  std::size_t projections = 0;      // consumed so far
  std::size_t last_sequence = 0;    // sequence of the message with the newest projection
  std::size_t window = 0;           // projections this refresh worked on
  std::size_t iterations = 0;       // SIRT iterations of this refresh
  double refresh_seconds = 0;       // time to produce this update
  double elapsed_seconds = 0;       // since the first projection arrived
  double sustained_rate = 0;        // projections / elapsed_seconds
  std::optional<double> rmse, ssim;  // against the truth, when it is connected
};

// {"refresh":0,"projections":16,...} without a newline; rmse and ssim only when known.
std::string json_line(const RefreshRecord& record);
std::string log_line(const RefreshRecord& record);

}  // namespace xrecon::stream
