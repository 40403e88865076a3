#pragma once
// The last few projections of a stream, the data of one sliding-window SIRT refresh.
#include <cstddef>
#include <vector>

#include "xrecon/array.hpp"

namespace xrecon::tomo {

// A ring of the `capacity` most recent projections (rows x cols each) and their angles. SIRT
// treats the angles of a refresh as a set (their order only changes float rounding), so a full
// ring is handed over as it lies instead of being rotated into acquisition order.
class ProjectionWindow {
 public:
  ProjectionWindow(std::size_t capacity, std::size_t rows, std::size_t cols);

  // Copies rows x cols values, replacing the oldest projection once the ring is full.
  void add(const float* projection, double angle);

  std::size_t size() const { return angles_.size(); }
  std::size_t capacity() const { return capacity_; }
  // The held projections (size, rows, cols), in the order of angles(). A full window returns the
  // ring itself, which the next add() overwrites: use it before adding more.
  ArrayF projections() const;
  const std::vector<double>& angles() const { return angles_; }

 private:
  std::size_t capacity_, rows_, cols_;
  ArrayF ring_;                  // (capacity, rows, cols)
  std::vector<double> angles_;  // one per filled slot
  std::size_t next_ = 0;        // the slot the next projection goes to
};

}  // namespace xrecon::tomo
