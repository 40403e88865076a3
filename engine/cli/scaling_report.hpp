#pragma once
// The numbers and files of `xrecon bench scaling`: per device count the repeated times, their
// median and spread, speedup and parallel efficiency; a terminal table, scaling.json, scaling.csv.
#include <filesystem>
#include <string>
#include <vector>

namespace xrecon::cli {

struct ScalingPoint {
  int devices = 1;
  std::vector<double> seconds;  // one per repeat, in run order
  double median = 0, min = 0, max = 0;
  double speedup = 0, efficiency = 0;
};

struct ScalingHeader {
  std::string date;  // UTC, ISO 8601
  std::string version;
  std::string host;
  unsigned cores = 0;
  std::string kind;  // cpu | cuda
  std::string pipeline;
  std::string measured;  // "whole run" or "stage ID"
  std::string mode;      // strong | weak
  std::string weak_param;  // weak: the stage.param multiplied by the device count
  int repeat = 1;
  std::string note;  // e.g. virtual cpu devices on fewer cores than devices: not a performance claim
};

double median_of(std::vector<double> values);

// Fills median/min/max of each point and speedup/efficiency against the first (smallest) count:
// strong: speedup = T(base)/T(N), efficiency = speedup * base / N; weak (the problem grows with N):
// efficiency = T(base)/T(N), speedup = efficiency * N / base.
void compute_scaling(std::vector<ScalingPoint>& points, bool weak);

std::string scaling_table(const ScalingHeader& header, const std::vector<ScalingPoint>& points);
std::string scaling_json(const ScalingHeader& header, const std::vector<ScalingPoint>& points);
std::string scaling_csv(const ScalingHeader& header, const std::vector<ScalingPoint>& points);

// Writes under a temporary name in the same folder, then renames into place.
void write_file_replacing(const std::filesystem::path& path, const std::string& text);

}  // namespace xrecon::cli
