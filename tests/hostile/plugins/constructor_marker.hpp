#pragma once
// A library whose static constructor leaves a mark: it creates the file named by
// XRECON_TEST_CONSTRUCTOR_MARK. A library the engine refuses from its file must leave none,
// because none of its code may run.
#include <cstdio>
#include <cstdlib>

namespace {

[[gnu::constructor]] void leave_constructor_mark() {
  if (const char* path = std::getenv("XRECON_TEST_CONSTRUCTOR_MARK"))
    if (std::FILE* f = std::fopen(path, "w")) std::fclose(f);
}

}  // namespace
