#pragma once
// RAII owners for HDF5 identifiers and the translation of HDF5 failures into xrecon errors.
#include <hdf5.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <utility>

namespace xrecon::io {

// Owns one HDF5 identifier and closes it with `Close`. HDF5 keeps a file open while any object
// in it is open, so a leaked id after an exception would keep a half-written file locked.
template <herr_t (*Close)(hid_t)>
class Hdf5Handle {
 public:
  Hdf5Handle() = default;
  explicit Hdf5Handle(hid_t id) noexcept : id_(id) {}
  Hdf5Handle(Hdf5Handle&& other) noexcept : id_(std::exchange(other.id_, H5I_INVALID_HID)) {}
  Hdf5Handle& operator=(Hdf5Handle&& other) noexcept {
    if (this != &other) {
      close();
      id_ = std::exchange(other.id_, H5I_INVALID_HID);
    }
    return *this;
  }
  Hdf5Handle(const Hdf5Handle&) = delete;
  Hdf5Handle& operator=(const Hdf5Handle&) = delete;
  ~Hdf5Handle() { close(); }

  hid_t get() const noexcept { return id_; }
  bool valid() const noexcept { return id_ >= 0; }

  // Closes now and returns HDF5's status: a writer must check it, because closing a file is
  // when HDF5 flushes its metadata and may first see a full disk. The id is forgotten even when
  // the close failed: HDF5 1.10 crashes when a file whose close failed is closed again.
  herr_t close() noexcept {
    herr_t status = 0;
    if (id_ >= 0) status = Close(id_);
    id_ = H5I_INVALID_HID;
    return status;
  }

 private:
  hid_t id_ = H5I_INVALID_HID;
};

using FileHandle = Hdf5Handle<&H5Fclose>;
using GroupHandle = Hdf5Handle<&H5Gclose>;
using DatasetHandle = Hdf5Handle<&H5Dclose>;
using DataspaceHandle = Hdf5Handle<&H5Sclose>;
using AttributeHandle = Hdf5Handle<&H5Aclose>;
using TypeHandle = Hdf5Handle<&H5Tclose>;
using PropertyListHandle = Hdf5Handle<&H5Pclose>;

// Reading a file the user gave us fails as bad input (InputError); writing a result fails as
// an engine error (xrecon::Error), e.g. a full disk.
enum class Hdf5Access { read, write };

// HDF5's own description of the most recent failure on this thread, "" when there is none.
std::string last_hdf5_error();

// Throws InputError (read) or Error (write) "FILE: WHAT", adding HDF5's own reason when it has
// one, so that unexpected failures stay diagnosable.
[[noreturn]] void throw_hdf5_error(Hdf5Access access, const std::filesystem::path& file, std::string_view what);

// Throws with exactly "FILE: WHAT", for failures our own checks detected.
[[noreturn]] void throw_file_error(Hdf5Access access, const std::filesystem::path& file, std::string_view what);

// Passes a non-negative HDF5 result through; a negative one (failure) throws as above.
template <typename Status>
Status check_hdf5(Status status, Hdf5Access access, const std::filesystem::path& file, std::string_view what) {
  if (status < 0) throw_hdf5_error(access, file, what);
  return status;
}

}  // namespace xrecon::io
