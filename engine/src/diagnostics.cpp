#include "xrecon/engine/diagnostics.hpp"

namespace xrecon::engine {

void Diagnostics::throw_if_any() const {
  if (messages_.empty()) return;
  std::string all;
  for (const std::string& m : messages_) all += (all.empty() ? "" : "\n") + m;
  throw InputError(all);
}

}  // namespace xrecon::engine
