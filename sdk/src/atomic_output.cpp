#include "xrecon/atomic_output.hpp"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <mutex>
#include <system_error>
#include <utility>

#include "xrecon/error.hpp"

namespace xrecon {
namespace {

namespace fs = std::filesystem;

// The open run's pending outputs (final path, temporary), in commit order, and its notes.
struct OpenRun {
  std::mutex mutex;
  struct Pending {
    fs::path final_path, temp;
    bool keep_if_failed;
  };
  std::vector<Pending> pending;
  std::vector<std::string> notes;
};

std::mutex open_run_mutex;
OpenRun* open_run = nullptr;

const std::string kPartial = ".partial-";

bool process_is_running(long pid) { return pid > 0 && (::kill(pid_t(pid), 0) == 0 || errno == EPERM); }

// FINAL.partial-PID-N files of processes that are gone: what a SIGKILL left behind.
void remove_stale_temporaries(const fs::path& final_path) {
  std::error_code ec;
  const fs::path folder = final_path.has_parent_path() ? final_path.parent_path() : fs::path(".");
  const std::string prefix = final_path.filename().string() + kPartial;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    char* rest = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &rest, 10);
    if (rest == name.c_str() + prefix.size() || *rest != '-' || process_is_running(pid)) continue;
    std::error_code removed;
    fs::remove(it->path(), removed);
    std::lock_guard lock(open_run_mutex);
    if (!removed && open_run) {
      std::lock_guard run_lock(open_run->mutex);
      open_run->notes.push_back("removed " + it->path().string() + ", left by process " + std::to_string(pid) +
                                ", which is no longer running");
    }
  }
}

}  // namespace

AtomicOutput::AtomicOutput(std::filesystem::path final_path) : final_path_(std::move(final_path)) {
  if (final_path_.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(final_path_.parent_path(), ec);
    if (ec) throw Error("cannot create folder " + final_path_.parent_path().string() + ": " + ec.message());
  }
  remove_stale_temporaries(final_path_);
  // Same folder as the result, so the rename is atomic (same file system).
  temp_path_ = final_path_;
  // pid + a per-process counter: unique across processes and across writers of one process.
  static std::atomic<unsigned> counter{0};
  temp_path_ += kPartial + std::to_string(::getpid()) + "-" + std::to_string(counter++);
}

AtomicOutput::~AtomicOutput() {
  if (committed_) return;
  std::error_code ec;
  if (keep_if_failed_ && std::filesystem::exists(temp_path_, ec)) {
    std::filesystem::path failed = final_path_;
    failed += ".failed";
    std::filesystem::rename(temp_path_, failed, ec);
    if (!ec) return;
  }
  std::filesystem::remove(temp_path_, ec);
}

void AtomicOutput::commit_now() {
  std::error_code ec;
  std::filesystem::rename(temp_path_, final_path_, ec);
  if (ec) throw Error("cannot rename " + temp_path_.string() + " to " + final_path_.string() + ": " + ec.message());
  committed_ = true;
}

void AtomicOutput::commit() {
  {
    std::lock_guard lock(open_run_mutex);
    if (open_run) {
      std::lock_guard run_lock(open_run->mutex);
      auto& pending = open_run->pending;
      for (auto it = pending.begin(); it != pending.end(); ++it)
        if (it->final_path == final_path_) {  // superseded: only the newest complete result goes in
          std::error_code ec;
          std::filesystem::remove(it->temp, ec);
          pending.erase(it);
          break;
        }
      pending.push_back({final_path_, temp_path_, keep_if_failed_});
      committed_ = true;
      return;
    }
  }
  commit_now();
}

RunOutputs::RunOutputs() {
  std::lock_guard lock(open_run_mutex);
  XRECON_CHECK(open_run == nullptr, "a pipeline run is already collecting outputs in this process");
  open_run = new OpenRun;
}

RunOutputs::~RunOutputs() {
  std::lock_guard lock(open_run_mutex);
  if (!open_run) return;
  for (const auto& [final_path, temp, keep] : open_run->pending) {
    std::error_code ec;
    if (keep) {
      fs::path failed = final_path;
      failed += ".failed";
      fs::rename(temp, failed, ec);
      if (!ec) continue;
    }
    fs::remove(temp, ec);
  }
  delete open_run;
  open_run = nullptr;
}

void RunOutputs::commit_all() {
  std::lock_guard lock(open_run_mutex);
  XRECON_CHECK(open_run != nullptr, "commit_all() on a run that is not open");
  auto& pending = open_run->pending;
  // All or nothing: each older file is first moved aside (FINAL.replaced-PID), then every new one
  // is renamed in; if any step fails, what was done is undone and the older files come back.
  struct Step {
    fs::path final_path, temp, backup;
    bool backed_up = false, placed = false;
  };
  std::vector<Step> steps;
  for (const auto& p : pending) {
    fs::path backup = p.final_path;
    backup += ".replaced-" + std::to_string(::getpid());
    steps.push_back({p.final_path, p.temp, backup});
  }
  const auto undo = [&] {
    std::error_code ec;
    for (auto it = steps.rbegin(); it != steps.rend(); ++it) {
      if (it->placed) fs::rename(it->final_path, it->temp, ec);
      if (it->backed_up) fs::rename(it->backup, it->final_path, ec);
    }
  };
  for (Step& step : steps) {
    std::error_code ec;
    if (fs::exists(fs::symlink_status(step.final_path, ec))) {
      if (fs::is_directory(step.final_path, ec)) {
        undo();
        throw Error("cannot write " + step.final_path.string() + ": it is a folder; no output of this run was put in place");
      }
      fs::rename(step.final_path, step.backup, ec);
      if (ec) {
        undo();
        throw Error("cannot replace " + step.final_path.string() + ": " + ec.message() +
                    "; no output of this run was put in place");
      }
      step.backed_up = true;
    }
    fs::rename(step.temp, step.final_path, ec);
    if (ec) {
      undo();
      throw Error("cannot rename " + step.temp.string() + " to " + step.final_path.string() + ": " + ec.message() +
                  "; no output of this run was put in place");
    }
    step.placed = true;
  }
  for (const Step& step : steps) {
    std::error_code ec;
    if (step.backed_up) fs::remove(step.backup, ec);
  }
  pending.clear();
}

std::vector<std::string> RunOutputs::notes() const {
  std::lock_guard lock(open_run_mutex);
  if (!open_run) return {};
  std::lock_guard run_lock(open_run->mutex);
  return open_run->notes;
}

}  // namespace xrecon
