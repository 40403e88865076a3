#pragma once
// Reads far-field ptychography scans from a CXI file, or from a series of CXI files listed in an
// index, one per tomographic angle (layouts in cxi_layout.hpp and cxi_index.hpp).
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <xrecon/payload.hpp>

namespace xrecon::io {

struct CxiOptions {
  // Free-space pixels before the first and after the last probe window on the object grid
  // (files without xrecon's object grid).
  std::size_t margin = 2;
};

struct CxiResult {
  std::shared_ptr<PtychoScan> scan;
  double pixel_size = 0;        // metres per object pixel
  bool probe_guessed = false;   // no illumination in the file: a Gaussian stands in
  std::vector<std::string> warnings;
};

// Positions come out in object pixels (cxi_geometry.hpp), the object grid just large enough for
// every window plus the margin. Patterns must be square (the object pixel is the same along both
// axes). Throws InputError "FILE: DATASET ..." for a missing dataset, a wrong rank or shape, a
// count of translations unlike the count of patterns, a negative or NaN intensity (with its
// pattern, row and column), geometry that is not positive and finite, and a probe larger than
// the detector. The scan's angle comes from the sample orientation when the file has one.
CxiResult read_cxi(const std::filesystem::path& path, const CxiOptions& options = {});

// A tomographic series: the index and every file it lists, checked against each other when the
// series is opened, before any pattern is read:
// - every listed file exists and is a CXI scan (as read_cxi checks it);
// - all have the same detector (H, W), probe shape and object pixel size (energy, distance,
//   detector pixel), and either all carry xrecon's object grid (the same one) or none does;
// - a file's orientation, when present, is a rotation about the vertical axis by the index's angle.
// Each failure is an InputError naming the file (and the index line) and what was expected.
//
// Positions: with the object grid, -translation / pixel size as they are, each window inside the
// grid; without it, one shift for the whole series (the translations of all angles share the
// stage's frame) so that the smallest row and column are the margin, and one grid just large
// enough for every window of every angle plus the margin.
class CxiSeries {
 public:
  CxiSeries(std::filesystem::path index, const CxiOptions& options = {});

  const std::filesystem::path& index() const { return index_; }
  std::size_t size() const { return files_.size(); }
  const std::filesystem::path& file(std::size_t k) const { return files_[k].path; }
  double angle(std::size_t k) const { return files_[k].angle; }
  std::size_t object_rows() const { return rows_; }
  std::size_t object_cols() const { return cols_; }
  double pixel_size() const { return pixel_size_; }

  // The scan of the k-th file (index order): sequence k, the index's angle, the series' grid.
  CxiResult read(std::size_t k) const;

 private:
  struct File {
    std::filesystem::path path;
    std::size_t line = 0;
    double angle = 0;
    std::size_t patterns = 0;
    ArrayD positions;
    std::vector<std::string> warnings;
  };
  std::filesystem::path index_;
  std::vector<File> files_;
  std::size_t detector_rows_ = 0, detector_cols_ = 0;
  std::size_t rows_ = 0, cols_ = 0;
  double pixel_size_ = 0;
};

}  // namespace xrecon::io
