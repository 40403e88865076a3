#include "bench_scaling.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "scaling_report.hpp"
#include "xrecon/engine/executor.hpp"
#include "xrecon/engine/pipeline_parser.hpp"
#include "xrecon/engine/plan.hpp"
#include "xrecon/engine/topology.hpp"
#include "xrecon/error.hpp"
#include "xrecon/version.hpp"

namespace xrecon::cli {

using namespace xrecon::engine;
namespace fs = std::filesystem;

std::vector<int> parse_device_counts(const std::string& text) {
  const std::string usage = "--devices wants a comma-separated list of device counts, e.g. 1,2,4; got '" + text + "'";
  std::vector<int> counts;
  std::set<int> seen;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = text.find(',', start);
    const std::string item = text.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
    if (item.empty() || item.find_first_not_of("0123456789-+") != std::string::npos) throw InputError(usage);
    int value = 0;
    try {
      std::size_t used = 0;
      value = std::stoi(item, &used);
      if (used != item.size()) throw InputError(usage);
    } catch (const std::logic_error&) {
      throw InputError(usage);
    }
    if (value < 1) throw InputError("--devices: a device count must be at least 1; got " + item);
    if (!seen.insert(value).second) throw InputError("--devices: the count " + item + " is given twice");
    counts.push_back(value);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  std::sort(counts.begin(), counts.end());
  return counts;
}

namespace {

std::string devices_for(const std::string& kind, int count) {
  if (kind == "cpu") return "cpu:" + std::to_string(count);
  std::string list = "cuda:";
  for (int i = 0; i < count; ++i) list += (i ? "," : "") + std::to_string(i);
  return list;
}

Plan load(const ScalingOptions& o, const std::vector<std::string>& extra_sets, const std::string& devices,
          const PluginRegistry& registry) {
  std::vector<ParamOverride> overrides;
  for (const std::string& s : o.sets) overrides.push_back(parse_override(s));
  for (const std::string& s : extra_sets) overrides.push_back(parse_override(s));
  const PipelineSpec spec = parse_pipeline_file(o.pipeline, overrides);
  return validate_pipeline(spec, registry, devices, std::nullopt);
}

// The --set that multiplies the weak-scaling parameter by `factor`.
std::string weak_set(const Plan& base, const std::string& weak_param, int factor) {
  const std::size_t dot = weak_param.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == weak_param.size())
    throw InputError("--weak-param wants stage.param, e.g. phantom.slices; got '" + weak_param + "'");
  const std::string stage = weak_param.substr(0, dot), param = weak_param.substr(dot + 1);
  for (const PlannedStage& s : base.stages) {
    if (s.id != stage) continue;
    const auto it = s.params.all().find(param);
    if (it == s.params.all().end()) throw InputError("--weak-param: stage '" + stage + "' has no parameter '" + param + "'");
    if (const auto* i = std::get_if<std::int64_t>(&it->second))
      return weak_param + "=" + std::to_string(*i * factor);
    if (const auto* d = std::get_if<double>(&it->second)) return weak_param + "=" + std::to_string(*d * factor);
    throw InputError("--weak-param: " + weak_param + " is not a number");
  }
  throw InputError("--weak-param: no stage '" + stage + "' in " + base.spec.path);
}

void check_stage(const Plan& plan, const std::string& stage) {
  std::string ids;
  for (const PlannedStage& s : plan.stages) {
    if (s.id == stage) return;
    ids += (ids.empty() ? "" : ", ") + s.id;
  }
  throw InputError("--stage: no stage '" + stage + "' in " + plan.spec.path + "; its stages are " + ids);
}

// The report's files must not replace the pipeline file or any input file the stages read.
void check_outputs_spare_inputs(const Plan& plan, const std::vector<fs::path>& outputs) {
  std::vector<fs::path> inputs{fs::weakly_canonical(plan.spec.path)};
  for (const PlannedStage& s : plan.stages)
    for (const ParamSpec& p : s.component->params.specs())
      if (p.must_exist && s.params.has(p.name))
        if (const auto* path = std::get_if<std::string>(&s.params.all().at(p.name)))
          inputs.push_back(fs::weakly_canonical(*path));
  for (const fs::path& out : outputs)
    for (const fs::path& in : inputs)
      if (fs::weakly_canonical(out) == in)
        throw InputError("--out: " + out.string() + " is an input of the pipeline; choose another folder");
}

double run_once(const Plan& plan, const PluginRegistry& registry, const std::string& stage) {
  RunOptions options;
  const std::vector<Device> devices = plan.devices;
  const CommunicatorKind kind = plan.communicator;
  options.make_communicator = [devices, kind] { return make_local_communicator(kind, devices); };
  std::mutex mutex;
  std::optional<double> stage_seconds;
  if (!stage.empty())
    options.on_stage_done = [&](const std::string& id, double seconds) {
      std::lock_guard lock(mutex);
      if (id == stage) stage_seconds = seconds;
    };
  const auto start = std::chrono::steady_clock::now();
  execute(plan, registry, options);
  const double whole = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (stage.empty()) return whole;
  if (!stage_seconds) throw Error("stage '" + stage + "' did not report a time (it did not run to its end)");
  return *stage_seconds;
}

std::string utc_now() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buffer;
}

std::string host_name() {
  char buffer[256] = {};
  return ::gethostname(buffer, sizeof buffer - 1) == 0 ? buffer : "unknown";
}

// A python with matplotlib: python3 on PATH first, then Debian's (python3-matplotlib).
std::optional<std::string> python_with_matplotlib() {
  for (const char* python : {"python3", "/usr/bin/python3"}) {
    const std::string probe = std::string(python) + " -c 'import matplotlib' >/dev/null 2>&1";
    if (std::system(probe.c_str()) == 0) return std::string(python);
  }
  return std::nullopt;
}

fs::path plot_script() {
  if (const char* env = std::getenv("XRECON_PLOT_SCALING")) return env;
  return fs::path(XRECON_SOURCE_DIR) / "tools" / "plot_scaling.py";
}

void plot(const fs::path& json, const fs::path& out) {
  const fs::path script = plot_script();
  const auto python = python_with_matplotlib();
  const std::string how = "python3 " + script.string() + " " + json.string() + " --out " + out.string();
  if (!python || !fs::exists(script)) {
    std::cout << "plots: not drawn (" << (python ? script.string() + " not found" : "no python3 with matplotlib")
              << "); install python3-matplotlib (scripts/install-deps.sh) and run: " << how << "\n";
    return;
  }
  std::cout.flush();  // the table before the script's lines
  const std::string command = *python + " '" + script.string() + "' '" + json.string() + "' --out '" + out.string() + "'";
  if (std::system(command.c_str()) != 0) throw Error("plotting failed: " + command);
}

}  // namespace

void bench_scaling(const ScalingOptions& o, const PluginRegistry& registry) {
  if (o.kind != "cpu" && o.kind != "cuda") throw InputError("--kind is cpu or cuda; got '" + o.kind + "'");
  if (o.repeat < 1) throw InputError("--repeat must be at least 1");
  if (!fs::is_regular_file(o.pipeline)) throw InputError("no pipeline file " + o.pipeline);
  if (o.weak && o.weak_param.empty()) throw InputError("--weak needs --weak-param stage.param (the size grown with N)");
  if (!o.weak && !o.weak_param.empty()) throw InputError("--weak-param is for --weak");
  const std::vector<int> counts = parse_device_counts(o.devices);
  if (o.kind == "cuda") {
    const Topology topology = read_topology();
    const std::size_t present = topology.gpus.size();
    if (std::size_t(counts.back()) > present)
      throw InputError("--devices: " + std::to_string(counts.back()) + " cuda devices asked, " + std::to_string(present) +
                       " present" + (present == 0 && !topology.gpu_note.empty() ? " (" + topology.gpu_note + ")" : ""));
  }

  const Plan base = load(o, {}, devices_for(o.kind, counts.front()), registry);
  if (base.communicator == CommunicatorKind::mpi)
    throw InputError("bench scaling runs the stages in-process; the mpi communicator is not supported");
  if (!o.stage.empty()) check_stage(base, o.stage);
  const fs::path out = o.out;
  const fs::path json = out / "scaling.json", csv = out / "scaling.csv";
  check_outputs_spare_inputs(base, {json, csv, out / "speedup.png", out / "efficiency.png"});

  ScalingHeader header;
  header.date = utc_now();
  header.version = XRECON_VERSION_STRING;
  header.host = host_name();
  header.cores = std::thread::hardware_concurrency();
  header.kind = o.kind;
  header.pipeline = o.pipeline;
  header.measured = o.stage.empty() ? "whole run" : "stage " + o.stage;
  header.mode = o.weak ? "weak" : "strong";
  header.weak_param = o.weak ? o.weak_param : "";
  header.repeat = o.repeat;
  if (o.kind == "cpu" && unsigned(counts.back()) > header.cores)
    header.note = "virtual cpu devices on a machine with fewer cores (" + std::to_string(header.cores) + ") than devices (" +
                  std::to_string(counts.back()) + "): the scaling of virtual cpu devices here is not a performance claim";

  const auto level = spdlog::get_level();
  if (!o.verbose) spdlog::set_level(spdlog::level::warn);
  std::vector<ScalingPoint> points;
  for (int n : counts) {
    std::vector<std::string> extra;
    if (o.weak) extra.push_back(weak_set(base, o.weak_param, n));
    const Plan plan = load(o, extra, devices_for(o.kind, n), registry);
    ScalingPoint point;
    point.devices = n;
    for (int r = 0; r < o.repeat; ++r) {
      point.seconds.push_back(run_once(plan, registry, o.stage));
      std::cerr << "bench scaling: " << n << " device(s), run " << r + 1 << "/" << o.repeat << ": "
                << point.seconds.back() << " s\n";
    }
    points.push_back(std::move(point));
  }
  spdlog::set_level(level);
  compute_scaling(points, o.weak);

  std::cout << scaling_table(header, points);
  fs::create_directories(out);
  write_file_replacing(json, scaling_json(header, points));
  write_file_replacing(csv, scaling_csv(header, points));
  std::cout << "wrote " << json.string() << " and " << csv.string() << "\n";
  if (o.plot) plot(json, out);
}

}  // namespace xrecon::cli
