#include "xrecon/tomo/projection_window.hpp"

#include <algorithm>

namespace xrecon::tomo {

ProjectionWindow::ProjectionWindow(std::size_t capacity, std::size_t rows, std::size_t cols)
    : capacity_(capacity), rows_(rows), cols_(cols) {
  XRECON_CHECK(capacity > 0, "a projection window holds at least one projection");
  XRECON_CHECK(rows > 0 && cols > 0, "projections need at least one row and column");
  ring_ = ArrayF(Shape{capacity, rows, cols});
  angles_.reserve(capacity);
}

void ProjectionWindow::add(const float* projection, double angle) {
  const std::size_t values = rows_ * cols_;
  std::copy_n(projection, values, ring_.data() + next_ * values);
  if (angles_.size() < capacity_)
    angles_.push_back(angle);
  else
    angles_[next_] = angle;
  next_ = (next_ + 1) % capacity_;
}

ArrayF ProjectionWindow::projections() const {
  if (size() == capacity_) return ring_;
  // Not yet full: the filled slots are the first size() ones.
  ArrayF held(Shape{size(), rows_, cols_});
  std::copy_n(ring_.data(), held.size(), held.data());
  return held;
}

}  // namespace xrecon::tomo
