#pragma once
// Per-layer output shapes for an input size: what every backend plans with.
#include <vector>

#include "xrecon/prior/model.hpp"

namespace xrecon::prior::detail {

struct TensorShape {
  int c = 0, h = 0, w = 0;
  long long size() const { return 1LL * c * h * w; }
  bool operator==(const TensorShape&) const = default;
};

// Output shape of every layer for a (channels, h, w) input; InputError naming the layer when the
// size does not go through it (a pool leaving nothing, concat/add inputs of different sizes,
// a channel count the weights do not take).
std::vector<TensorShape> infer_shapes(const Model& model, TensorShape input);

const char* op_name(Op op);

}  // namespace xrecon::prior::detail
