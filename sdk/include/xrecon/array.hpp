#pragma once
#include <algorithm>
#include <array>
#include <complex>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <span>
#include <string>

#include "xrecon/error.hpp"
#include "xrecon/memory.hpp"

namespace xrecon {

inline constexpr std::size_t kMaxRank = 4;

// Shape of an n-dimensional array (rank 0..4), C order.
class Shape {
 public:
  Shape() = default;
  Shape(std::initializer_list<std::size_t> extents) {
    XRECON_CHECK(extents.size() <= kMaxRank, "arrays have at most 4 dimensions");
    for (std::size_t e : extents) extents_[rank_++] = e;
  }
  std::size_t rank() const { return rank_; }
  std::size_t operator[](std::size_t axis) const { return extents_[axis]; }
  std::size_t size() const {
    std::size_t n = 1;
    for (std::size_t i = 0; i < rank_; ++i) n *= extents_[i];
    return n;
  }
  bool operator==(const Shape& other) const {
    if (rank_ != other.rank_) return false;
    for (std::size_t i = 0; i < rank_; ++i)
      if (extents_[i] != other.extents_[i]) return false;
    return true;
  }
  std::string to_string() const {
    std::string s = "(";
    for (std::size_t i = 0; i < rank_; ++i) {
      if (i) s += 'x';
      s += std::to_string(extents_[i]);
    }
    s += ')';
    return s;
  }

 private:
  std::array<std::size_t, kMaxRank> extents_{};
  std::size_t rank_ = 0;
};

// Contiguous n-d array with shared ownership of its buffer. Copies of an Array alias the same
// bytes (cheap to pass through channels); `clone()` and `to()` make explicit deep copies.
template <typename T>
class Array {
 public:
  using value_type = T;

  Array() = default;
  explicit Array(Shape shape, MemorySpace space = MemorySpace::host())
      : shape_(shape), space_(space), owner_(allocate_bytes(shape.size() * sizeof(T), space)) {}

  // An array over memory someone else owns (a NumPy array's buffer): `owner` keeps those bytes
  // alive for as long as any copy of the array exists, and its deleter releases them. Nothing is
  // copied, so the bytes must be contiguous, C order, and in `space`. Not counted by
  // bytes_in_use (memory.hpp), which sees only what allocate_bytes handed out.
  static Array borrowed(T* data, Shape shape, std::shared_ptr<void> owner, MemorySpace space = MemorySpace::host()) {
    Array a;
    a.shape_ = shape;
    a.space_ = space;
    a.owner_ = std::shared_ptr<void>(std::move(owner), data);  // aliasing: owner's count, data's address
    return a;
  }

  // Zero-filled host array.
  static Array zeros(Shape shape) {
    Array a(shape);
    std::fill(a.data(), a.data() + a.size(), T{});
    return a;
  }

  const Shape& shape() const { return shape_; }
  std::size_t size() const { return shape_.size(); }
  std::size_t rank() const { return shape_.rank(); }
  std::size_t extent(std::size_t axis) const { return shape_[axis]; }
  MemorySpace space() const { return space_; }
  // A default-constructed array holds nothing, although its rank-0 shape counts one element.
  bool empty() const { return !owner_ || size() == 0; }

  T* data() { return static_cast<T*>(owner_.get()); }
  const T* data() const { return static_cast<const T*>(owner_.get()); }

  // Host-only element views; device arrays must be copied to the host first.
  std::span<T> host_span() {
    XRECON_CHECK(space_.is_host(), "host_span() on an array in " + space_.to_string());
    return {data(), size()};
  }
  std::span<const T> host_span() const {
    XRECON_CHECK(space_.is_host(), "host_span() on an array in " + space_.to_string());
    return {data(), size()};
  }
  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }

  Array to(MemorySpace target) const {
    Array out(shape_, target);
    copy_bytes(out.data(), target, data(), space_, size() * sizeof(T));
    return out;
  }
  Array clone() const { return to(space_); }

  // Same bytes, another shape of the same total size.
  Array reshaped(Shape shape) const {
    XRECON_CHECK(shape.size() == size(),
                 "cannot reshape " + shape_.to_string() + " to " + shape.to_string());
    Array out = *this;
    out.shape_ = shape;
    return out;
  }

 private:
  Shape shape_;
  MemorySpace space_;
  std::shared_ptr<void> owner_;
};

using ArrayF = Array<float>;
using ArrayD = Array<double>;
using ArrayCF = Array<std::complex<float>>;

}  // namespace xrecon
