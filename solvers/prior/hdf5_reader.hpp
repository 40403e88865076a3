#pragma once
// Just enough of the HDF5 C API to read a model file: attributes and datasets of groups, every
// failure an InputError "FILE: OBJECT: what" (the io plugin's reader is not reachable from
// solvers, and a model file needs attributes of many small groups rather than block reads).
#include <hdf5.h>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace xrecon::prior::detail {

class H5Object {
 public:
  H5Object() = default;
  H5Object(hid_t id, std::string path, std::filesystem::path file);
  H5Object(H5Object&& other) noexcept;
  H5Object& operator=(H5Object&& other) noexcept;
  H5Object(const H5Object&) = delete;
  H5Object& operator=(const H5Object&) = delete;
  ~H5Object();

  static H5Object open_file(const std::filesystem::path& file);

  hid_t id() const { return id_; }
  const std::string& path() const { return path_; }
  const std::filesystem::path& file() const { return file_; }

  bool has_attribute(const std::string& name) const;
  bool has_child(const std::string& name) const;
  H5Object open_group(const std::string& name) const;
  // Names of the children in name order (the model file's NNN_ prefixes make it layer order).
  std::vector<std::string> children() const;

  std::string string_attribute(const std::string& name) const;
  std::vector<std::string> strings_attribute(const std::string& name) const;
  // Integer and real attributes, scalars or 1-D; `count` > 0 requires that many elements.
  std::vector<long long> ints_attribute(const std::string& name, std::size_t count = 0) const;
  long long int_attribute(const std::string& name) const;
  double real_attribute(const std::string& name) const;
  // A float dataset read whole, with its extents.
  std::vector<float> floats_dataset(const std::string& name, std::vector<std::size_t>& extents) const;

  [[noreturn]] void fail(const std::string& what) const;

 private:
  // Fails naming `what` when a dataset of `values` elements is more than the file holds or
  // than memory could.
  void require_plausible_size(hid_t dataset, const std::string& what, std::size_t values) const;

  hid_t id_ = H5I_INVALID_HID;
  std::string path_;
  std::filesystem::path file_;
};

}  // namespace xrecon::prior::detail
