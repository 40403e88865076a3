// The oneDNN (2.6) CPU backend.
#include "executor.hpp"
#include "xrecon/error.hpp"

namespace xrecon::prior::detail {

bool onednn_compiled() { return false; }
std::unique_ptr<Executor> make_onednn_executor(const Model&, const EnhanceOptions&) {
  throw NotCompiled("the onednn prior backend needs a build with oneDNN (Debian libdnnl-dev)");
}

}  // namespace xrecon::prior::detail
