#include "xrecon/engine/checkpoint_identity.hpp"

#include <sstream>

namespace xrecon::engine {

void Fingerprint::add(const void* bytes, std::size_t size) {
  const auto* p = static_cast<const unsigned char*>(bytes);
  for (std::size_t i = 0; i < size; ++i) {
    state_ ^= p[i];
    state_ *= 0x100000001b3ull;
  }
}

void Fingerprint::add(const std::string& text) {
  const std::uint64_t size = text.size();
  add(&size, sizeof size);
  add(text.data(), text.size());
}

namespace {

template <typename T>
void add_array(Fingerprint& f, const Array<T>& array) {
  const std::uint64_t rank = array.rank();
  f.add(&rank, sizeof rank);
  for (std::size_t i = 0; i < array.rank(); ++i) {
    const std::uint64_t extent = array.extent(i);
    f.add(&extent, sizeof extent);
  }
  // A payload's unused array (flats after normalising) is default-constructed: rank 0, no storage.
  if (array.rank() == 0 || array.size() == 0) return;
  const Array<T> host = array.space().is_host() ? array : array.to(MemorySpace::host());
  f.add(host.data(), host.size() * sizeof(T));
}

}  // namespace

std::uint64_t payload_digest(const Payload& payload) {
  Fingerprint f;
  f.add(std::string(to_string(payload.kind())));
  if (const auto* v = dynamic_cast<const Volume*>(&payload)) {
    add_array(f, v->data);
  } else if (const auto* p = dynamic_cast<const Projections*>(&payload)) {
    add_array(f, p->data);
    add_array(f, p->flats);
    add_array(f, p->darks);
    add_array(f, p->weights);
    f.add(p->angles.data(), p->angles.size() * sizeof(double));
    f.add(&p->center, sizeof p->center);
    f.add(std::string(to_string(p->convention)));  // the same column is another axis in the other convention
  } else if (const auto* s = dynamic_cast<const ImageStack*>(&payload)) {
    add_array(f, s->data);
  } else if (const auto* scan = dynamic_cast<const PtychoScan*>(&payload)) {
    add_array(f, scan->patterns);
    add_array(f, scan->positions);
    add_array(f, scan->probe);
    f.add(&scan->angle, sizeof scan->angle);
  } else if (const auto* c = dynamic_cast<const ComplexProjections*>(&payload)) {
    add_array(f, c->data);
  }
  return f.value();
}

CheckpointIdentity::CheckpointIdentity(std::string component, const std::string& parameter_lines) {
  settings_ = std::move(component) + "\n";
  std::istringstream lines(parameter_lines);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind("iterations: ", 0) != 0 && line.rfind("checkpoint_every: ", 0) != 0) settings_ += line + "\n";
}

void CheckpointIdentity::note_input(const std::string& port, const Payload& payload) {
  {
    std::lock_guard lock(mutex_);
    if (inputs_.count(port)) return;
  }
  const std::uint64_t digest = payload_digest(payload);
  std::lock_guard lock(mutex_);
  inputs_.emplace(port, digest);
}

std::uint64_t CheckpointIdentity::inputs_digest() const {
  std::lock_guard lock(mutex_);
  Fingerprint f;
  for (const auto& [port, digest] : inputs_) {
    f.add(port);
    f.add(&digest, sizeof digest);
  }
  return f.value();
}

}  // namespace xrecon::engine
