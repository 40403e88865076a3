#pragma once
// Checks of a plugin file made before the dynamic loader sees it: dlopen of a damaged library
// is not an error it reports but a crash (a truncated file's segments are mapped past its end,
// and the first touch of them is SIGBUS), and it runs the library's code.
#include <filesystem>
#include <string>

namespace xrecon::engine {

// Why `path` cannot be a loadable shared library for this machine (not ELF, another class,
// byte order or machine, not a shared object, or shorter than its headers say: truncated);
// empty when its headers are whole and consistent.
std::string damaged_library_reason(const std::filesystem::path& path);

// Why `path` (a plugin file or folder) is unsafe to load code from: writable by users other than
// its owner, who could put code there that xrecon runs (shells warn alike about such folders in
// PATH); empty when it is not.
std::string unsafe_write_permission(const std::filesystem::path& path);

}  // namespace xrecon::engine
