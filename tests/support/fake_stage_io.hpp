#pragma once
// Feeds a stage queued messages per input port and records what it sends, without an engine.
#include <deque>
#include <map>
#include <string>
#include <vector>

#include <xrecon/stage.hpp>

namespace xrecon::testing {

class FakeStageIO final : public StageIO {
 public:
  void queue(const std::string& port, std::shared_ptr<const Payload> message) {
    inputs_[port].push_back(std::move(message));
  }

  std::shared_ptr<const Payload> receive(std::string_view port) override {
    auto it = inputs_.find(std::string(port));
    if (it == inputs_.end() || it->second.empty()) return nullptr;
    std::shared_ptr<const Payload> message = it->second.front();
    it->second.pop_front();
    return message;
  }
  void send(std::string_view port, std::shared_ptr<const Payload> message) override {
    sent_[std::string(port)].push_back(std::move(message));
  }
  bool connected(std::string_view port) const override {
    return inputs_.count(std::string(port)) != 0 || sent_.count(std::string(port)) != 0;
  }

  const std::vector<std::shared_ptr<const Payload>>& sent(const std::string& port) { return sent_[port]; }

 private:
  std::map<std::string, std::deque<std::shared_ptr<const Payload>>> inputs_;
  std::map<std::string, std::vector<std::shared_ptr<const Payload>>> sent_;
};

}  // namespace xrecon::testing
