#pragma once
// The complex vector algebra of joint.admm's psi-level, wherever its arrays live (host or cuda:k;
// the operands of one call in one space): the conjugate-gradient solver's own operations
// (ptycho/complex_ops), so that no kernel is written twice. Reductions accumulate in double.
#include <cstddef>
#include <string>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/memory.hpp"

namespace xrecon::joint {

// y += alpha * x.
void axpy(double alpha, const ArrayCF& x, ArrayCF& y);
// ||a||^2.
double squared_norm(const ArrayCF& a);
// ||a - b||^2.
double squared_distance(const ArrayCF& a, const ArrayCF& b);
// y *= alpha, as y += (alpha - 1) y through the CG's axpy: exact when alpha is a power of two,
// as residual balancing's factors are.
void scale(double alpha, ArrayCF& y);

// Image k (rows, cols) of a (count, rows, cols) stack: a copy in the stack's memory space.
template <typename T>
Array<T> image(const Array<T>& stack, std::size_t k) {
  XRECON_CHECK(stack.rank() == 3 && k < stack.extent(0),
               "image " + std::to_string(k) + " of a stack of shape " + stack.shape().to_string());
  Array<T> out(Shape{stack.extent(1), stack.extent(2)}, stack.space());
  copy_bytes(out.data(), out.space(), stack.data() + k * out.size(), stack.space(), out.size() * sizeof(T));
  return out;
}

// (images.size(), rows, cols) in `space` from images of shape (rows, cols) = `image_shape`, each
// in any memory space; `image_shape` gives the stack its shape when there are no images.
template <typename T>
Array<T> stacked(const std::vector<Array<T>>& images, const Shape& image_shape, MemorySpace space) {
  XRECON_CHECK(image_shape.rank() == 2, "stacked: images are (rows, cols), not " + image_shape.to_string());
  Array<T> out(Shape{images.size(), image_shape[0], image_shape[1]}, space);
  for (std::size_t k = 0; k < images.size(); ++k) {
    XRECON_CHECK(images[k].shape() == image_shape, "stacked: image " + std::to_string(k) + " is " +
                                                       images[k].shape().to_string() + ", not " +
                                                       image_shape.to_string());
    copy_bytes(out.data() + k * image_shape.size(), space, images[k].data(), images[k].space(),
               image_shape.size() * sizeof(T));
  }
  return out;
}

}  // namespace xrecon::joint
