#pragma once
#include <filesystem>
#include <optional>
#include <string>

#include "xrecon/engine/plan.hpp"
#include "xrecon/engine/plugin_registry.hpp"

namespace xrecon::engine {

struct RunOptions {
  std::size_t channel_capacity = 2;
  std::optional<std::filesystem::path> checkpoint_dir;  // enables checkpoints
  bool resume = false;                                  // hand stages their last checkpoint
  bool progress_bars = false;                           // draw bars (a terminal) instead of log lines
};

// Runs a validated plan: one thread per stage, bounded channels on the edges. The first stage
// error (or Ctrl-C, see install_interrupt_handler) cancels every stage and drains the channels;
// the error is rethrown as an xrecon::Error naming the stage. Completed outputs stay as they are.
void execute(const Plan& plan, const PluginRegistry& registry, const RunOptions& options);

// Ctrl-C (SIGINT/SIGTERM) cancels a running execute() instead of killing the process.
void install_interrupt_handler();
bool interrupted();

}  // namespace xrecon::engine
