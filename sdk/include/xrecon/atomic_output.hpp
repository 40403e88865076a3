#pragma once
#include <filesystem>
#include <string>
#include <vector>

#include "xrecon/export.hpp"

namespace xrecon {

// An output file written under a temporary name in the same folder and renamed over the final
// path only by commit(): a crash or a cancelled run never leaves a partial file, and an
// existing result is replaced only by a complete one. Without commit() the temporary is removed
// (or, with keep_if_failed(), kept beside the result as FINAL.failed).
//
// While the engine runs a pipeline (RunOutputs below), commit() hands the finished temporary to
// the run, which renames every output into place together once every stage has succeeded: a run
// that fails anywhere (a preview after its volume, a later stage) leaves every older result as it
// was. commit_now() renames at once, for files that must survive a crash (checkpoints).
//
// Temporaries are FINAL.partial-PID-N; those of processes no longer running (a SIGKILL) are
// removed when the next AtomicOutput for the same final path is made (RunOutputs::notes names them).
class XRECON_SDK_API AtomicOutput {
 public:
  explicit AtomicOutput(std::filesystem::path final_path);
  ~AtomicOutput();
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;

  const std::filesystem::path& temp_path() const { return temp_path_; }
  const std::filesystem::path& final_path() const { return final_path_; }
  void commit();
  void commit_now();
  // For reports a monitor follows: a run that fails keeps what it wrote as FINAL.failed.
  void keep_if_failed() { keep_if_failed_ = true; }

 private:
  std::filesystem::path final_path_;
  std::filesystem::path temp_path_;
  bool committed_ = false;
  bool keep_if_failed_ = false;
};

// The outputs of one pipeline run (the engine opens one around its stages; one at a time per
// process). Thread-safe: stages commit from their own threads.
class XRECON_SDK_API RunOutputs {
 public:
  RunOutputs();
  // Without commit_all(): removes every output handed over (the run failed).
  ~RunOutputs();
  RunOutputs(const RunOutputs&) = delete;
  RunOutputs& operator=(const RunOutputs&) = delete;
  // Renames every output into place, in the order they were committed; a later commit of the same
  // final path (a streaming writer's refreshed result) replaced the earlier one.
  void commit_all();
  // What happened to files outside the run's own (stale temporaries removed), for the log.
  std::vector<std::string> notes() const;
};

}  // namespace xrecon
