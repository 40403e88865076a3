#pragma once
// What a checkpoint belongs to, so that `--resume` uses a stage's saved state only for the same
// stage, the same parameters and the same input data (issue 13). Recorded in every checkpoint
// file and compared on load; a mismatch is refused with the reason.
//
// Chosen against the whole pipeline text: a stage's state depends on its own parameters and its
// inputs, not on (say) the path a writer downstream uses. Two parameters may change between the
// runs: `iterations` (resuming exists to run further) and `checkpoint_every`.
#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "xrecon/payload.hpp"

namespace xrecon::engine {

// FNV-1a, 64 bits: stable across builds and machines (std::hash is not), and enough to tell data
// sets apart; not a defence against someone forging a checkpoint.
class Fingerprint {
 public:
  void add(const void* bytes, std::size_t size);
  void add(const std::string& text);
  std::uint64_t value() const { return state_; }

 private:
  std::uint64_t state_ = 0xcbf29ce484222325ull;
};

// The bytes and shapes of a message's arrays (data, flats, darks, weights, angles, patterns,
// positions, probe): equal digests mean equal inputs for any stage.
std::uint64_t payload_digest(const Payload& payload);

class CheckpointIdentity {
 public:
  CheckpointIdentity(std::string component, const std::string& parameter_lines);
  // The first message of each input port; later ones (a stream) are not part of the identity,
  // since a streaming stage saves and resumes while its stream still flows.
  void note_input(const std::string& port, const Payload& payload);
  // "component\nparameter lines" (without iterations and checkpoint_every).
  const std::string& settings() const { return settings_; }
  std::uint64_t inputs_digest() const;

 private:
  std::string settings_;
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> inputs_;
};

}  // namespace xrecon::engine
