#include "hdf5_handle.hpp"

#include <xrecon/error.hpp>

namespace xrecon::io {

std::string last_hdf5_error() {
  std::string innermost;
  // Walking upward starts where the failure was detected, which says the most ("truncated
  // file: eof = ...") where the outer entries only repeat "unable to open file".
  auto keep_innermost = [](unsigned position, const H5E_error2_t* entry, void* client) -> herr_t {
    auto* out = static_cast<std::string*>(client);
    if (position == 0 && entry->desc != nullptr) *out = entry->desc;
    return 0;
  };
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, keep_innermost, &innermost);
  return innermost;
}

void throw_file_error(Hdf5Access access, const std::filesystem::path& file, std::string_view what) {
  if (access == Hdf5Access::read) throw InputError(std::string(what), file.string());
  throw Error(std::string(what), file.string());
}

void throw_hdf5_error(Hdf5Access access, const std::filesystem::path& file, std::string_view what) {
  std::string message(what);
  if (std::string reason = last_hdf5_error(); !reason.empty()) message += " (HDF5: " + reason + ")";
  throw_file_error(access, file, message);
}

}  // namespace xrecon::io
