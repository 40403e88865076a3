// Out-of-line destructors and names: they anchor the vtables and typeinfo of the SDK's
// polymorphic types in libxrecon_sdk, so dynamic_cast works across plugin libraries.
#include "xrecon/communicator.hpp"
#include "xrecon/context.hpp"
#include "xrecon/payload.hpp"
#include "xrecon/roles.hpp"
#include "xrecon/stage.hpp"
#include "xrecon/version.hpp"

namespace xrecon {

SdkVersion sdk_version() {
  return {XRECON_SDK_ABI_MAJOR, XRECON_SDK_ABI_MINOR, XRECON_VERSION_STRING, XRECON_BUILD_TAG};
}

std::string_view to_string(PayloadKind kind) {
  switch (kind) {
    case PayloadKind::volume: return "Volume";
    case PayloadKind::projections: return "Projections";
    case PayloadKind::image_stack: return "ImageStack";
    case PayloadKind::ptycho_scan: return "PtychoScan";
    case PayloadKind::complex_projections: return "ComplexProjections";
  }
  return "?";
}

const char* to_string(ComponentKind kind) {
  switch (kind) {
    case ComponentKind::stage: return "stage";
    case ComponentKind::tomo_solver: return "TomoSolver";
    case ComponentKind::ptycho_solver: return "PtychoSolver";
    case ComponentKind::prior: return "Prior";
  }
  return "?";
}

std::string Device::to_string() const {
  return (kind == Kind::cpu ? "cpu:" : "cuda:") + std::to_string(index);
}

Payload::~Payload() = default;
Volume::~Volume() = default;
Projections::~Projections() = default;
ImageStack::~ImageStack() = default;
PtychoScan::~PtychoScan() = default;
ComplexProjections::~ComplexProjections() = default;
Component::~Component() = default;
Stage::~Stage() = default;
StageIO::~StageIO() = default;
TomoSolver::~TomoSolver() = default;
PtychoSolver::~PtychoSolver() = default;
Prior::~Prior() = default;
Logger::~Logger() = default;
Progress::~Progress() = default;
CheckpointStore::~CheckpointStore() = default;
ComponentFactory::~ComponentFactory() = default;
Context::~Context() = default;

const ChunkPlan& Context::planned_chunks() const {
  static const ChunkPlan none;
  return none;
}
Communicator::~Communicator() = default;

}  // namespace xrecon
