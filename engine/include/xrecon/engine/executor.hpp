#pragma once
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "xrecon/engine/plan.hpp"
#include "xrecon/engine/plugin_registry.hpp"
#include "xrecon/engine/run_context.hpp"

namespace xrecon::engine {

struct RunOptions {
  std::size_t channel_capacity = 2;
  std::optional<std::filesystem::path> checkpoint_dir;  // enables checkpoints
  bool resume = false;                                  // hand stages their last checkpoint
  bool progress_bars = false;                           // draw bars (a terminal) instead of log lines
  // Each stage's communicator over plan.devices; a ThreadCommunicator when unset. Made on the
  // stage's first use, or, when `make_communicators_first`, for every stage in stage order before
  // any stage starts (the mpi backend: making one is collective across the processes).
  CommunicatorMaker make_communicator;
  bool make_communicators_first = false;
  // This process's rank in a multi-process (mpi) run: stages without outputs, which exist to
  // write files, run only on rank 0; elsewhere their inputs are dropped (mpi_run.hpp).
  int process_rank = 0;
  // Called once with the first failure's message, before the run winds down: an mpi run ends
  // the whole job there, since peers may wait for this process in a collective.
  std::function<void(const std::string&)> on_failure;
  // Sees every message a stage sends, with the stage id and output port, on the sending stage's
  // thread: the Python package keeps the messages of a pipeline's terminal outputs this way.
  std::function<void(const std::string& stage, const std::string& port, const std::shared_ptr<const Payload>&)>
      on_send;
  // Polled while the stages run (every 20 ms); true cancels the run as Ctrl-C does. For hosts that
  // keep their own interrupt handling (Python's KeyboardInterrupt) instead of install_interrupt_handler.
  std::function<bool()> stop_requested;
  // Called once per stage that ran to the end, on that stage's thread, with the wall time of its
  // run() in seconds: waits for inputs included, except, for a stage whose memory the engine plans
  // (ComponentSpec::memory_need), the wait for its first messages. `xrecon bench scaling --stage`.
  std::function<void(const std::string& stage, double seconds)> on_stage_done;
};

// Runs a validated plan: one thread per stage, bounded channels on the edges. The first stage
// error (or Ctrl-C, see install_interrupt_handler) cancels every stage and drains the channels;
// the error is rethrown as an xrecon::Error naming the stage (an InputError when the stage's was
// one, so that a host can tell bad input from an internal failure). Completed outputs stay as
// they are.
void execute(const Plan& plan, const PluginRegistry& registry, const RunOptions& options);

// Ctrl-C (SIGINT/SIGTERM) cancels a running execute() instead of killing the process.
void install_interrupt_handler();
bool interrupted();

}  // namespace xrecon::engine
