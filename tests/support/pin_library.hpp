#pragma once
// Keeps a loaded plugin mapped until the process ends, as the engine does (plugin_registry.cpp).
// A test's Boost.DLL handle would otherwise dlclose it at exit, unmapping with it the OpenMP
// runtime it brought in while that runtime's worker threads still spin: a crash after the tests
// have passed.
#include <dlfcn.h>

#include <string>

namespace xrecon::testing {

inline void pin_library(const std::string& path) { dlopen(path.c_str(), RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE); }

}  // namespace xrecon::testing
