// The `xrecon` command: run, validate, plugins, describe, devices, bench scaling.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <new>

#include <CLI/CLI.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "bench_scaling.hpp"
#include "xrecon/engine/describe.hpp"
#include "xrecon/engine/executor.hpp"
#include "xrecon/engine/mpi_run.hpp"
#include "xrecon/engine/param_binding.hpp"
#include "xrecon/engine/pipeline_parser.hpp"
#include "xrecon/engine/plan.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/engine/topology.hpp"
#include "xrecon/version.hpp"

namespace {

using namespace xrecon;
using namespace xrecon::engine;

// Exit codes: 0 success, 1 bad input or a failed stage, 130 interrupted by the user.
constexpr int kFailure = 1;
constexpr int kInterrupted = 130;

constexpr const char* kSetHelp =
    "Override a parameter: stage.param=value; inside a role slot stage.slot.with.param=value or "
    "stage.slot.plugin=NAME (repeatable)";

// --allow-shadowing, read before the registry is first used.
bool allow_shadowing = false;

PluginRegistry& loaded_registry() {
  // Deliberately never destroyed: plugin libraries stay loaded until the process ends.
  static PluginRegistry* loaded = [] {
    auto* r = new PluginRegistry(allow_shadowing);
    r->load_folders(PluginRegistry::default_search_path());
    // A damaged or foreign file in the plugin path must not stop the commands that do not need
    // it; saying which file and why is enough.
    for (const RefusedPlugin& refused : r->unloadable())
      spdlog::warn("plugin file {} refused: {}", refused.path.string(), refused.reason);
    for (const PluginWarning& w : r->warnings()) spdlog::warn("{}: {}", w.path.string(), w.reason);
    for (const Shadowing& s : r->shadowings())
      spdlog::warn("component '{}' is registered by {} and by {} (--allow-shadowing): {}'s is used", s.component,
                   s.winner.string(), s.shadowed.string(), s.winner.string());
    return r;
  }();
  return *loaded;
}

// The registry for commands that use components: a component name two files register stops them.
PluginRegistry& registry() {
  PluginRegistry& r = loaded_registry();
  r.require_owned_names();
  return r;
}

std::optional<std::string> given(const std::string& option) {
  return option.empty() ? std::nullopt : std::optional<std::string>(option);
}

Plan load_plan(const std::string& file, const std::vector<std::string>& sets, const std::string& devices,
               const std::string& communicator) {
  std::vector<ParamOverride> overrides;
  for (const std::string& s : sets) overrides.push_back(parse_override(s));
  const PipelineSpec spec = parse_pipeline_file(file, overrides);
  return validate_pipeline(spec, registry(), given(devices), given(communicator));
}

// Runs the plan with one communicator per stage: in-process (threads, nccl), or one rank per
// process under mpirun (mpi_run.hpp).
void run_plan(Plan plan, const std::string& file, RunOptions options) {
  std::unique_ptr<MpiRun> mpi;
  if (plan.communicator == CommunicatorKind::mpi) {
    mpi = std::make_unique<MpiRun>();
    plan.devices = mpi_rank_devices(plan.devices, mpi->size());
    const Device mine = plan.devices[std::size_t(mpi->rank())];
    options.make_communicator = [&mpi = *mpi, mine] { return mpi.make_communicator(mine); };
    options.make_communicators_first = true;
    options.process_rank = mpi->rank();
    // Every process holds the whole state (the stages share their slabs), so each can resume
    // from its own checkpoints; one folder each keeps them from writing the same files.
    if (options.checkpoint_dir) *options.checkpoint_dir /= "rank-" + std::to_string(mpi->rank());
    options.on_failure = [&mpi = *mpi](const std::string& message) {
      std::cerr << "xrecon: mpi rank " << mpi.rank() << " of " << mpi.size() << ": " << message
                << "\nxrecon: ending every process of the job\n";
      mpi.abort_job(kFailure);
    };
    if (mpi->rank() != 0) spdlog::set_level(spdlog::level::warn);  // one process tells the story
    spdlog::info("running {} ({} stages; mpi communicator, {} processes, this one rank {} on {})", file,
                 plan.stages.size(), mpi->size(), mpi->rank(), mine.to_string());
  } else {
    const std::vector<Device> devices = plan.devices;
    const CommunicatorKind kind = plan.communicator;
    options.make_communicator = [devices, kind] { return make_local_communicator(kind, devices); };
    spdlog::info("running {} ({} stages on {} device(s), {} communicator)", file, plan.stages.size(),
                 plan.devices.size(), communicator_name(plan.communicator));
  }
  install_interrupt_handler();
  execute(plan, registry(), options);
  spdlog::info("done");
}

void configure_logging(bool quiet, bool verbose) {
  auto logger = spdlog::stderr_color_mt("xrecon");
  logger->set_pattern("[%H:%M:%S.%e] [%^%l%$] %v");
  spdlog::set_default_logger(logger);
  spdlog::set_level(quiet ? spdlog::level::warn : verbose ? spdlog::level::debug : spdlog::level::info);
}

}  // namespace

int main(int argc, char** argv) {
  // Several stages may run OpenMP regions at once; spinning idle OpenMP workers would steal their
  // cores (measured 2-4x slower SIRT on a busy 2-core machine). A user's own setting wins.
  setenv("OMP_WAIT_POLICY", "passive", 0);
  CLI::App app{"xrecon: X-ray reconstruction pipelines (tomography, ptychography, joint ADMM)"};
  app.require_subcommand(0, 1);
  app.fallthrough();  // -q and -v work after the subcommand too
  app.set_version_flag("--version",
                       "xrecon " XRECON_VERSION_STRING " (SDK ABI " XRECON_SDK_ABI_STRING ", " XRECON_BUILD_TAG ")");
  bool quiet = false, verbose = false;
  app.add_flag("-q,--quiet", quiet, "Only warnings and errors");
  app.add_flag("-v,--verbose", verbose, "Debug messages");
  app.add_flag("--allow-shadowing", allow_shadowing,
               "Let a plugin register a component name that another plugin file registers too (e.g. your own "
               "tomo.sirt on XRECON_PLUGIN_PATH): the file nearer the front of the search path wins, with a "
               "warning naming both. Without it such a plugin is refused, and every command that loads plugins fails "
               "naming both files ('plugins' lists what it found first)");

  std::string file, devices, communicator, checkpoint_dir, component;
  std::vector<std::string> sets;
  bool resume = false;

  CLI::App* run = app.add_subcommand("run", "Validate and run a pipeline file");
  run->add_option("file", file, "Pipeline file (YAML)")->required();
  run->add_option("--set", sets, kSetHelp);
  run->add_option("--devices", devices, "auto | cpu | cpu:N | cuda | cuda:I,J (overrides the file)");
  run->add_option("--communicator", communicator,
                  "auto | threads | nccl | mpi (overrides the file; mpi: one rank per process of mpirun -np P)");
  run->add_option("--checkpoint", checkpoint_dir, "Write checkpoints to this folder");
  run->add_flag("--resume", resume, "Continue from the checkpoints in --checkpoint");

  CLI::App* validate = app.add_subcommand("validate", "Check a pipeline file without running it");
  validate->add_option("file", file, "Pipeline file (YAML)")->required();
  validate->add_option("--set", sets, kSetHelp);
  validate->add_option("--devices", devices, "auto | cpu | cpu:N | cuda | cuda:I,J");
  validate->add_option("--communicator", communicator, "auto | threads | nccl | mpi");

  CLI::App* plugins = app.add_subcommand("plugins", "List the plugins found and the components they provide");
  CLI::App* describe = app.add_subcommand("describe", "Show a component's ports, parameters and a YAML template");
  describe->add_option("name", component, "Component name, e.g. tomo.sirt")->required();
  bool json = false;
  describe->add_flag("--json", json,
                     "Print the description as JSON (name, kind, summary, params with type, default, bounds, "
                     "choices, required, doc; inputs and outputs with payload kinds)");

  CLI::App* devices_command =
      app.add_subcommand("devices", "List the CPU and GPUs, the links between GPUs and their NVLink cliques");

  CLI::App* bench = app.add_subcommand("bench", "Benchmarks of pipelines on this node's devices");
  bench->require_subcommand(1);
  xrecon::cli::ScalingOptions scaling;
  CLI::App* scaling_command = bench->add_subcommand(
      "scaling", "Strong or weak scaling of a pipeline (or one stage) over device counts: table, JSON, CSV, plots");
  scaling_command->add_option("--pipeline", scaling.pipeline, "Pipeline file (YAML)")->required();
  scaling_command->add_option("--devices", scaling.devices, "Device counts, comma-separated (default 1,2,4)");
  scaling_command->add_option("--kind", scaling.kind, "cpu (virtual devices cpu:N) or cuda (cuda:0..N-1)");
  scaling_command->add_flag("--weak", scaling.weak, "Weak scaling: --weak-param grows with the device count");
  scaling_command->add_option("--weak-param", scaling.weak_param, "stage.param multiplied by N under --weak");
  scaling_command->add_option("--repeat", scaling.repeat, "Runs per device count (default 3)");
  scaling_command->add_option("--stage", scaling.stage, "Time only this stage (its own run time)");
  scaling_command->add_option("--set", scaling.sets, kSetHelp);
  scaling_command->add_option("--out", scaling.out, "Folder for scaling.json, scaling.csv and plots (default out/bench)");
  scaling_command->add_flag("--plot", scaling.plot, "Draw speedup.png and efficiency.png (tools/plot_scaling.py)");

  CLI11_PARSE(app, argc, argv);
  configure_logging(quiet, verbose);

  try {
    if (*run) {
      if (resume && checkpoint_dir.empty()) throw InputError("--resume needs --checkpoint FOLDER");
      RunOptions options;
      if (!checkpoint_dir.empty()) options.checkpoint_dir = checkpoint_dir;
      options.resume = resume;
      options.progress_bars = !quiet && isatty(STDERR_FILENO);
      run_plan(load_plan(file, sets, devices, communicator), file, options);
    } else if (*validate) {
      const Plan plan = load_plan(file, sets, devices, communicator);
      std::cout << file << ": valid (" << plan.stages.size() << " stages)\n";
    } else if (*plugins) {
      std::cout << describe_registry(loaded_registry());
      loaded_registry().require_owned_names();
    } else if (*describe) {
      const ComponentSpec* spec = registry().find(component);
      if (!spec) throw InputError(unknown_plugin_message(component, registry()));
      const LoadedPlugin& provider = *registry().provider(component);
      std::cout << (json ? describe_component_json(*spec, provider, registry())
                         : describe_component(*spec, provider, registry()));
    } else if (*scaling_command) {
      scaling.verbose = verbose;
      xrecon::cli::bench_scaling(scaling, registry());
    } else if (*devices_command) {
      std::cout << describe_topology(read_topology());
    } else {
      std::cout << app.help();
    }
  } catch (const Cancelled& e) {
    std::cerr << "xrecon: " << e.what() << "\n";
    return interrupted() ? kInterrupted : kFailure;
  } catch (const std::bad_alloc& e) {
    // Outside any stage (reading the pipeline, planning): the stages report their own.
    std::cerr << "xrecon: out of memory (" << e.what() << "): an allocation larger than the memory available failed\n";
    return kFailure;
  } catch (const std::exception& e) {
    std::cerr << "xrecon: " << e.what() << "\n";
    return kFailure;
  }
  return 0;
}
