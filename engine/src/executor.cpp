#include "xrecon/engine/executor.hpp"

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <map>
#include <set>
#include <mutex>
#include <new>
#include <system_error>
#include <thread>

#include <spdlog/spdlog.h>

#include "xrecon/engine/channel.hpp"
#include "xrecon/engine/run_context.hpp"
#include "xrecon/atomic_output.hpp"
#include "xrecon/stage.hpp"
#include "xrecon/version.hpp"

namespace xrecon::engine {

namespace {

using Message = std::shared_ptr<const Payload>;
using MessageChannel = Channel<Message>;

std::atomic<bool> interrupt_requested{false};

extern "C" void on_interrupt(int) { interrupt_requested.store(true); }

// One stage's ports: a channel per connected input, the consumers' channels per output.
class StageEdges final : public StageIO {
 public:
  std::shared_ptr<const Payload> receive(std::string_view port) override {
    if (const auto early = prefetched_.find(std::string(port)); early != prefetched_.end()) {
      Message message = std::move(early->second);
      prefetched_.erase(early);
      return message;
    }
    const auto it = inputs_.find(std::string(port));
    if (it == inputs_.end()) {
      if (optional_inputs_.count(std::string(port))) return nullptr;  // unconnected: an empty stream
      throw Error("the stage read from '" + std::string(port) + "', which is not one of its inputs");
    }
    std::optional<Message> message = it->second->pop();
    if (!message || !*message) return nullptr;
    if (on_message_) on_message_(it->first, **message);
    return *message;
  }

  void send(std::string_view port, std::shared_ptr<const Payload> message) override {
    const auto it = outputs_.find(std::string(port));
    if (it == outputs_.end()) throw Error("the stage sent to '" + std::string(port) + "', which is not one of its outputs");
    if (on_send_) on_send_(stage_id_, it->first, message);
    for (const auto& channel : it->second) channel->push(message);
  }

  bool connected(std::string_view port) const override {
    const auto out = outputs_.find(std::string(port));
    return inputs_.count(std::string(port)) || (out != outputs_.end() && !out->second.empty());
  }

  // The first message of every connected input, taken before the stage runs (for its memory
  // plan) and handed to it by receive() in their turn. Empty when an input ends without any: the
  // stage's own receive() then reports that as it always does.
  const std::map<std::string, Message>& take_first_messages() {
    for (const auto& [port, channel] : inputs_) {
      std::optional<Message> message = channel->pop();
      if (!message || !*message) {
        no_data_.insert(port);
        continue;
      }
      prefetched_[port] = *message;
      if (on_message_) on_message_(port, **message);
    }
    return prefetched_;
  }
  bool every_input_has_data() const { return no_data_.empty(); }

  void finished() {
    for (auto& [port, consumers] : outputs_)
      for (const auto& channel : consumers) channel->close();
    for (auto& [port, channel] : inputs_) channel->abandon();
  }

  std::map<std::string, std::shared_ptr<MessageChannel>> inputs_;
  std::set<std::string> optional_inputs_;
  std::map<std::string, Message> prefetched_;
  // Sees every message the stage receives (the checkpoint identity takes the first of each port).
  std::function<void(const std::string& port, const Payload&)> on_message_;
  std::set<std::string> no_data_;  // inputs that ended before their first message
  std::map<std::string, std::vector<std::shared_ptr<MessageChannel>>> outputs_;
  std::string stage_id_;
  std::function<void(const std::string&, const std::string&, const std::shared_ptr<const Payload>&)> on_send_;
};

std::string describe(const PlannedStage& stage) { return "stage '" + stage.id + "' (" + stage.component->name + ")"; }

std::string parameter_lines(const ParamValues& values) {
  std::string lines;
  for (const auto& [name, value] : values.all()) lines += name + ": " + to_string(value) + "\n";
  return lines;
}

// A role slot may choose a plugin from another library (a solver's prior): it was used too.
void add_slot_plugins(const ParamValues& values, const PluginRegistry& registry,
                      std::map<std::string, std::string>& used) {
  for (const auto& [name, value] : values.all()) {
    const auto* choice = std::get_if<ComponentChoice>(&value);
    if (!choice) continue;
    if (const LoadedPlugin* p = registry.provider(choice->plugin)) used[p->name] = p->version;
    if (choice->with) add_slot_plugins(*choice->with, registry, used);
  }
}

std::string plugin_versions(const Plan& plan, const PluginRegistry& registry) {
  std::map<std::string, std::string> used;
  for (const PlannedStage& s : plan.stages) {
    used[s.plugin->name] = s.plugin->version;
    add_slot_plugins(s.params, registry, used);
  }
  std::string text;
  for (const auto& [name, version] : used) text += (text.empty() ? "" : ", ") + name + " " + version;
  return text;
}

// The system refused a thread (a process or thread limit, or an address-space limit that leaves
// no room for its stack): said as such, rather than the bare errno text.
std::string thread_failure_message(const PlannedStage& stage, const std::system_error& e) {
  return describe(stage) + " could not start: the system refused a new thread (" + e.what() +
         "); a limit on processes or threads (ulimit -u) or on memory (ulimit -v) is too low for this pipeline";
}

// std::bad_alloc says nothing; the stage that ran out is what the user can act on.
std::string out_of_memory_message(const PlannedStage& stage, const std::bad_alloc& e) {
  return "out of memory while running " + describe(stage) + " (" + e.what() +
         "): an allocation larger than the memory available failed; use smaller data or fewer devices, or "
         "raise the memory limit";
}

}  // namespace

void install_interrupt_handler() {
  std::signal(SIGINT, on_interrupt);
  std::signal(SIGTERM, on_interrupt);
}

bool interrupted() { return interrupt_requested.load(); }

void execute(const Plan& plan, const PluginRegistry& registry, const RunOptions& options) {
  // Every output the stages commit is held until the whole run has succeeded (atomic_output.hpp).
  RunOutputs outputs;
  CancellationToken token;
  std::vector<std::shared_ptr<MessageChannel>> channels;
  std::map<std::string, StageEdges> edges;
  for (const PlannedStage& stage : plan.stages) {
    edges[stage.id].stage_id_ = stage.id;
    edges[stage.id].on_send_ = options.on_send;
    for (const PortSpec& out : stage.component->outputs) edges[stage.id].outputs_[out.name];
    for (const PortSpec& in : stage.component->inputs)
      if (in.optional) edges[stage.id].optional_inputs_.insert(in.name);
  }
  for (const PlannedStage& stage : plan.stages) {
    for (const auto& [port, ref] : stage.inputs) {
      auto channel = std::make_shared<MessageChannel>(options.channel_capacity);
      edges[stage.id].inputs_[port] = channel;
      edges[ref.stage].outputs_[ref.port].push_back(channel);
      channels.push_back(channel);
    }
  }

  std::vector<std::unique_ptr<Stage>> instances;
  std::vector<std::unique_ptr<StageContext>> contexts;
  const std::string plugins = plugin_versions(plan, registry);
  for (const PlannedStage& stage : plan.stages) {
    std::unique_ptr<Component> component;
    try {
      component = stage.component->create(stage.params);
    } catch (const std::exception& e) {
      throw Error(describe(stage) + " could not be created: " + e.what());
    }
    auto* as_stage = dynamic_cast<Stage*>(component.get());
    if (!as_stage) throw Error(describe(stage) + " does not implement xrecon::Stage");
    component.release();
    instances.emplace_back(as_stage);
    Provenance provenance{plan.spec.path, plan.spec.text, stage.id, parameter_lines(stage.params),
                          XRECON_VERSION_STRING, plugins};
    CommunicatorMaker make = options.make_communicator;
    if (options.make_communicators_first && make) {
      auto made = std::make_shared<std::unique_ptr<Communicator>>(make());
      make = [made] { return std::move(*made); };
    }
    contexts.push_back(std::make_unique<StageContext>(plan.devices, token, registry, std::move(provenance),
                                                      options.checkpoint_dir, options.resume, options.progress_bars,
                                                      std::move(make), stage.component->name));
  }

  for (std::size_t i = 0; i < plan.stages.size(); ++i)
    if (options.checkpoint_dir)
      edges[plan.stages[i].id].on_message_ = [context = contexts[i].get()](const std::string& port,
                                                                              const Payload& payload) {
        context->checkpoint_store().note_input(port, payload);
      };

  std::mutex failure_mutex;
  std::optional<std::string> failure;
  bool failure_is_interrupt = false;
  bool failure_is_input = false;
  const auto fail = [&](const std::string& message, bool is_interrupt, bool is_input = false) {
    {
      std::lock_guard lock(failure_mutex);
      if (failure) return;
      failure = message;
      failure_is_interrupt = is_interrupt;
      failure_is_input = is_input;
    }
    if (options.on_failure) options.on_failure(message);
    token.cancel();
    for (const auto& channel : channels) channel->cancel();
  };

  // Counts the stage threads that started and have not finished; the wait below ends at zero.
  std::atomic<std::size_t> running{0};
  // jthread joins when destroyed, so no path out of here (a thread that could not be created,
  // an exception) destroys a running thread, which std::thread answers with std::terminate. It is
  // declared after everything the threads use, so it is joined before any of that goes away.
  std::vector<std::jthread> threads;
  threads.reserve(plan.stages.size());
  for (std::size_t i = 0; i < plan.stages.size(); ++i) {
    ++running;
    try {
      threads.emplace_back([&, i] {
        const PlannedStage& stage = plan.stages[i];
        StageEdges& io = edges[stage.id];
        try {
          if (options.process_rank == 0 || !stage.component->outputs.empty()) {
            if (stage.component->memory_need) {
              const auto& first = io.take_first_messages();
              if (io.every_input_has_data()) contexts[i]->plan_memory(*stage.component, stage.params, first);
            }
            const auto start = std::chrono::steady_clock::now();
            instances[i]->run(io, *contexts[i]);
            if (options.on_stage_done)
              options.on_stage_done(stage.id, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
          }
          io.finished();
        } catch (const Cancelled& e) {
          // Expected in every other stage once the run is cancelled; an error only if it started here.
          if (!token.cancelled()) fail(describe(stage) + ": " + e.what(), false);
        } catch (const std::bad_alloc& e) {
          fail(out_of_memory_message(stage, e), false);
        } catch (const InputError& e) {
          fail(describe(stage) + ": " + e.what(), false, true);
        } catch (const std::exception& e) {
          fail(describe(stage) + ": " + e.what(), false);
        } catch (...) {
          fail(describe(stage) + ": an exception that is not a std::exception", false);
        }
        --running;
      });
    } catch (const std::system_error& e) {
      // The stages already started are cancelled by fail() and wait for no input from this one.
      --running;
      fail(thread_failure_message(plan.stages[i], e), false);
      break;
    }
  }
  // Ctrl-C only sets a flag (async-signal-safe); this loop turns it into a cancellation.
  while (running.load() > 0) {
    if (interrupt_requested.load() || (options.stop_requested && options.stop_requested()))
      fail("interrupted by the user (Ctrl-C)", true);
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  threads.clear();  // joins
  instances.clear();  // a stage's members (a report file) hand their outputs over now
  for (const std::string& note : outputs.notes()) spdlog::info(note);
  if (failure) {
    if (failure_is_interrupt) throw Cancelled(*failure);
    if (failure_is_input) throw InputError(*failure);
    throw Error(*failure);
  }
  outputs.commit_all();
}

}  // namespace xrecon::engine
