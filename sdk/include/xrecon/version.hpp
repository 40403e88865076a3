#pragma once
#include <cstdint>

// The SDK ABI: a plugin built against a different major, or a newer minor, than the
// engine's is refused before any C++ object crosses the library boundary. A change to the layout
// of a struct that crosses (ParamSpec, ComponentSpec, ...) bumps the major; new functions alone,
// the minor. 3.0: ParamSpec's exclusive bounds; Projections::weights and TomoSolver::takes_weights.
// 3.1: the multi-device helpers (xrecon/slabs.hpp) and MemoryNeed (xrecon/memory_need.hpp).
// 4.0: ComponentSpec::memory_need (the engine plans a stage's chunks) and Context::planned_chunks;
// PortSpec::flow (streams told from single messages at validate).
// 5.0: the plugin stamp (xrecon/plugin_stamp.hpp), read from the file before it is loaded; a
// library without one is refused unloaded. Projections::convention and the geometry of TomoPy,
// ASTRA and scikit-image (docs/geometry.md; xrecon/axis_params.hpp).
#define XRECON_SDK_ABI_MAJOR 5
#define XRECON_SDK_ABI_MINOR 0

#define XRECON_VERSION_STRING "0.1.0"

#define XRECON_SDK_ABI_STRING XRECON_STRINGIFY(XRECON_SDK_ABI_MAJOR) "." XRECON_STRINGIFY(XRECON_SDK_ABI_MINOR)

// Build tag: what must agree between engine and plugin for C++ objects to be shared safely.
#define XRECON_STRINGIFY_DETAIL(x) #x
#define XRECON_STRINGIFY(x) XRECON_STRINGIFY_DETAIL(x)
#if defined(__clang__)
#define XRECON_COMPILER_TAG "clang-" XRECON_STRINGIFY(__clang_major__)
#elif defined(__GNUC__)
#define XRECON_COMPILER_TAG "gcc-" XRECON_STRINGIFY(__GNUC__)
#else
#define XRECON_COMPILER_TAG "unknown"
#endif
#if defined(_GLIBCXX_USE_CXX11_ABI)
#define XRECON_STDLIB_TAG "libstdc++-abi" XRECON_STRINGIFY(_GLIBCXX_USE_CXX11_ABI)
#else
#define XRECON_STDLIB_TAG "stdlib-unknown"
#endif
#define XRECON_BUILD_TAG XRECON_COMPILER_TAG ";" XRECON_STDLIB_TAG

namespace xrecon {
struct SdkVersion {
  std::uint32_t abi_major;
  std::uint32_t abi_minor;
  const char* version;
  const char* build_tag;
};
// The engine's own view, compiled into libxrecon_sdk.
SdkVersion sdk_version();
}  // namespace xrecon
