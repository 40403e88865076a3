#include "scaling_report.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace xrecon::cli {

double median_of(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

void compute_scaling(std::vector<ScalingPoint>& points, bool weak) {
  for (ScalingPoint& p : points) {
    p.median = median_of(p.seconds);
    p.min = p.seconds.empty() ? 0 : *std::min_element(p.seconds.begin(), p.seconds.end());
    p.max = p.seconds.empty() ? 0 : *std::max_element(p.seconds.begin(), p.seconds.end());
  }
  if (points.empty()) return;
  const ScalingPoint& base = points.front();
  for (ScalingPoint& p : points) {
    const double ratio = p.median > 0 ? base.median / p.median : 0;
    const double n = double(p.devices) / base.devices;
    p.speedup = weak ? ratio * n : ratio;
    p.efficiency = weak ? ratio : ratio / n;
  }
}

namespace {

std::string fixed(double value, int digits) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return buffer;
}

}  // namespace

std::string scaling_table(const ScalingHeader& h, const std::vector<ScalingPoint>& points) {
  std::ostringstream s;
  s << "xrecon bench scaling: " << h.pipeline << ", " << h.measured << ", " << h.mode << " scaling";
  if (!h.weak_param.empty()) s << " (" << h.weak_param << " x N)";
  s << "\n" << h.date << ", xrecon " << h.version << ", host " << h.host << ", " << h.cores << " cores, " << h.kind
    << " devices, " << h.repeat << " repeat(s)\n";
  if (!h.note.empty()) s << "note: " << h.note << "\n";
  char line[160];
  std::snprintf(line, sizeof line, "%8s %12s %12s %12s %9s %11s\n", "devices", "median [s]", "min [s]", "max [s]",
                "speedup", "efficiency");
  s << line;
  for (const ScalingPoint& p : points) {
    std::snprintf(line, sizeof line, "%8d %12.4f %12.4f %12.4f %9.3f %11.3f\n", p.devices, p.median, p.min, p.max,
                  p.speedup, p.efficiency);
    s << line;
  }
  return s.str();
}

std::string scaling_json(const ScalingHeader& h, const std::vector<ScalingPoint>& points) {
  nlohmann::ordered_json j;
  j["header"] = {{"date", h.date},         {"xrecon_version", h.version}, {"host", h.host},
                 {"cores", h.cores},       {"device_kind", h.kind},       {"pipeline", h.pipeline},
                 {"measured", h.measured}, {"mode", h.mode},              {"weak_param", h.weak_param},
                 {"repeat", h.repeat},     {"note", h.note}};
  j["points"] = nlohmann::ordered_json::array();
  for (const ScalingPoint& p : points)
    j["points"].push_back({{"devices", p.devices},
                           {"seconds", p.seconds},
                           {"median", p.median},
                           {"min", p.min},
                           {"max", p.max},
                           {"speedup", p.speedup},
                           {"efficiency", p.efficiency}});
  return j.dump(2) + "\n";
}

std::string scaling_csv(const ScalingHeader& h, const std::vector<ScalingPoint>& points) {
  std::ostringstream s;
  // The header as comment lines, so that a CSV reader told to skip '#' lines sees one table.
  s << "# date: " << h.date << "\n# xrecon: " << h.version << "\n# host: " << h.host << "\n# cores: " << h.cores
    << "\n# device kind: " << h.kind << "\n# pipeline: " << h.pipeline << "\n# measured: " << h.measured
    << "\n# mode: " << h.mode << (h.weak_param.empty() ? "" : " (" + h.weak_param + " x N)") << "\n# repeat: " << h.repeat
    << "\n";
  if (!h.note.empty()) s << "# note: " << h.note << "\n";
  s << "devices,median_s,min_s,max_s,speedup,efficiency,seconds\n";
  for (const ScalingPoint& p : points) {
    s << p.devices << "," << fixed(p.median, 6) << "," << fixed(p.min, 6) << "," << fixed(p.max, 6) << ","
      << fixed(p.speedup, 6) << "," << fixed(p.efficiency, 6) << ",";
    for (std::size_t i = 0; i < p.seconds.size(); ++i) s << (i ? ";" : "") << fixed(p.seconds[i], 6);
    s << "\n";
  }
  return s.str();
}

void write_file_replacing(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path temporary = path;
  temporary += ".tmp-" + std::to_string(::getpid());
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    file << text;
    file.close();
    if (!file) {
      std::error_code ignored;
      std::filesystem::remove(temporary, ignored);
      throw std::runtime_error("could not write " + temporary.string());
    }
  }
  std::filesystem::rename(temporary, path);
}

}  // namespace xrecon::cli
