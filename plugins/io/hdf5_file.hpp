#pragma once
// An open HDF5 file and its datasets, with every failure reported as "FILE: what went wrong".
#include <complex>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "hdf5_handle.hpp"

namespace xrecon::io {

class Hdf5Dataset;

class Hdf5File {
 public:
  // Opens an existing file read-only. InputError naming the file when it does not exist, is not
  // HDF5, or is truncated (an interrupted copy).
  static Hdf5File open_read_only(const std::filesystem::path& path);
  // Creates `path` (replacing it). Messages name `reported_as`, the path the user asked for,
  // when `path` is a temporary name on its way there.
  static Hdf5File create(const std::filesystem::path& path, const std::filesystem::path& reported_as);

  hid_t id() const { return handle_.get(); }
  const std::filesystem::path& reported_path() const { return reported_path_; }
  Hdf5Access access() const { return access_; }

  // True when every component of `dataset_path` ("/exchange/data") exists and the last one
  // is a dataset.
  bool has_dataset(std::string_view dataset_path) const;
  // Throws "FILE: missing dataset PATH" when it is absent.
  Hdf5Dataset open_dataset(std::string_view dataset_path) const;
  // A new float32 dataset; `chunk` empty means contiguous; `gzip_level` 0 means no compression.
  Hdf5Dataset create_float_dataset(std::string_view dataset_path, std::span<const std::size_t> extents,
                                   std::span<const std::size_t> chunk, int gzip_level);
  // A new float64 dataset holding `values`, written at once; empty `extents` make a scalar.
  void write_doubles(std::string_view dataset_path, std::span<const std::size_t> extents,
                     std::span<const double> values);
  // A new complex dataset stored as h5py stores complex64 (a compound of float32 fields "r" and
  // "i"), so numpy reads it back as complex.
  void write_complex(std::string_view dataset_path, std::span<const std::size_t> extents,
                     std::span<const std::complex<float>> values);

  // Attributes on the root group.
  std::optional<std::string> string_attribute(std::string_view name) const;
  void write_string_attribute(std::string_view name, std::string_view value);

  // Closes the file, flushing it; throws when the flush fails (only a writer needs this).
  void close();

 private:
  Hdf5File(FileHandle handle, std::filesystem::path reported_path, Hdf5Access access);
  FileHandle handle_;
  std::filesystem::path reported_path_;
  Hdf5Access access_;
};

// One dataset of an open file. Its messages name the file and the dataset path.
class Hdf5Dataset {
 public:
  Hdf5Dataset(DatasetHandle handle, std::string path, std::filesystem::path file, Hdf5Access access);

  hid_t id() const { return handle_.get(); }
  const std::string& path() const { return path_; }

  std::vector<std::size_t> extents() const;
  std::size_t element_count() const;
  // Throws "PATH holds strings, expected numbers" for anything but integers and floats.
  void require_numeric() const;

  // Reads the whole dataset into `destination` (element_count() values); HDF5 converts from
  // the stored type (uint16, float32, float64, ...) to T. T is float or double.
  template <typename T>
  void read(std::span<T> destination) const;
  // True for a compound with fields "r" and "i" (h5py's complex64 and complex128).
  bool is_complex() const;
  // Reads a complex dataset (is_complex()) whole, converting the fields to float.
  void read_complex(std::span<std::complex<float>> destination) const;
  // Reads the block [start, start + count) into `destination` (product of `count` values).
  template <typename T>
  void read_block(std::span<const std::size_t> start, std::span<const std::size_t> count,
                  std::span<T> destination) const;
  // Writes float32 values to the block [start, start + count).
  void write_block(std::span<const std::size_t> start, std::span<const std::size_t> count,
                   std::span<const float> values);

  std::optional<std::string> string_attribute(std::string_view name) const;
  std::optional<double> real_attribute(std::string_view name) const;
  void write_string_attribute(std::string_view name, std::string_view value);
  void write_real_attribute(std::string_view name, double value);

  // Throws "FILE: PATH WHAT" as InputError (reading) or Error (writing).
  [[noreturn]] void fail(std::string_view what) const;

 private:
  // The file dataspace with the block [start, start + count) selected, and a memory dataspace of
  // the block's shape: what a block read and a block write both hand to HDF5.
  struct BlockSpaces {
    DataspaceHandle file;
    DataspaceHandle memory;
  };
  BlockSpaces select_block(std::span<const std::size_t> start, std::span<const std::size_t> count,
                           const std::string& what) const;

  DatasetHandle handle_;
  std::string path_;
  std::filesystem::path file_;
  Hdf5Access access_;
};

}  // namespace xrecon::io
