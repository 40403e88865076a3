// finalize_model: batch norms folded into convs, activations fused, channel counts checked,
// the receptive margin and size multiple worked out from the graph.
#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>

#include "shapes.hpp"
#include "xrecon/error.hpp"
#include "xrecon/prior/model.hpp"

namespace xrecon::prior {
namespace {

bool is_activation(Op op) { return op == Op::relu || op == Op::leaky_relu || op == Op::sigmoid || op == Op::tanh; }

Activation activation_of(Op op) {
  switch (op) {
    case Op::relu: return Activation::relu;
    case Op::leaky_relu: return Activation::leaky_relu;
    case Op::sigmoid: return Activation::sigmoid;
    case Op::tanh: return Activation::tanh;
    default: return Activation::none;
  }
}

void fold_batch_norm(Layer& conv, const Layer& bn) {
  const int out = conv.out_channels;
  const std::size_t per_out = conv.weight.size() / out;
  for (std::size_t k = 0; k < conv.weight.size(); ++k) {
    // conv: (out, in, kh, kw); conv_transpose: (in, out, kh, kw).
    const int o = conv.op == Op::conv ? int(k / per_out)
                                      : int(k / (conv.kernel[0] * conv.kernel[1]) % out);
    conv.weight[k] *= bn.bn_scale[o];
  }
  for (int o = 0; o < out; ++o) conv.bias[o] = conv.bias[o] * bn.bn_scale[o] + bn.bn_shift[o];
}

// Merges a batch norm or activation into the conv it reads when nothing else reads that conv.
void fold_and_fuse(Model& m) {
  const int n = int(m.layers.size());
  std::vector<int> readers(n, 0);
  for (const Layer& l : m.layers)
    for (int j : l.inputs)
      if (j >= 0) ++readers[j];
  std::vector<int> remap(n);
  std::vector<Layer> kept;
  std::vector<int> kept_readers;
  std::vector<bool> kept_is_output;
  for (int i = 0; i < n; ++i) {
    Layer l = std::move(m.layers[i]);
    for (int& j : l.inputs)
      if (j >= 0) j = remap[j];
    const int p = l.inputs[0];
    const bool mergeable = (l.op == Op::batch_norm || is_activation(l.op)) && p >= 0 &&
                           (kept[p].op == Op::conv || kept[p].op == Op::conv_transpose) &&
                           kept[p].activation == Activation::none && kept_readers[p] == 1 && !kept_is_output[p];
    if (mergeable) {
      if (l.op == Op::batch_norm) {
        fold_batch_norm(kept[p], l);
      } else {
        kept[p].activation = activation_of(l.op);
        kept[p].slope = l.slope;
      }
      kept_readers[p] = readers[i];
      kept_is_output[p] = i == m.output;
      remap[i] = p;
      continue;
    }
    remap[i] = int(kept.size());
    kept.push_back(std::move(l));
    kept_readers.push_back(readers[i]);
    kept_is_output.push_back(i == m.output);
  }
  m.output = remap[m.output];
  m.layers = std::move(kept);
}

// Each output pixel depends on input pixels within `margin` of it; `step` is how many input
// pixels one pixel of the layer spans. Bilinear and nearest upsampling reach one source pixel
// further (rounding); a strided op's grid must start at multiples of its step.
struct Reach {
  double margin = 0;
  double step = 1;
  int alignment = 1;
};

int receptive_margin(const Model& m, int& alignment) {
  std::vector<Reach> reach(m.layers.size());
  for (std::size_t i = 0; i < m.layers.size(); ++i) {
    const Layer& l = m.layers[i];
    Reach r;
    for (int j : l.inputs) {
      const Reach in = j == kGraphInput ? Reach{} : reach[j];
      r.margin = std::max(r.margin, in.margin);
      r.step = in.step;
      r.alignment = std::max(r.alignment, in.alignment);
    }
    if (l.op == Op::conv || l.op == Op::max_pool) {
      int extent = 0;
      for (int a = 0; a < 2; ++a) {
        const int dil = l.op == Op::conv ? l.dilation[a] : 1;
        extent = std::max({extent, l.padding[a], (l.kernel[a] - 1) * dil - l.padding[a]});
      }
      r.margin += extent * r.step;
      const int s = std::max(l.stride[0], l.stride[1]);
      r.step *= s;
      r.alignment *= s;
    } else if (l.op == Op::conv_transpose) {
      const int s = std::max(l.stride[0], l.stride[1]);
      const int k = std::max((l.kernel[0] - 1) * l.dilation[0], (l.kernel[1] - 1) * l.dilation[1]);
      const int p = std::max(l.padding[0], l.padding[1]);
      r.margin += std::ceil(double(k + p) / s + 1) * r.step;
      r.step /= s;
      r.alignment = std::max(1, r.alignment / s);
    } else if (l.op == Op::upsample) {
      r.margin += r.step;
      const int s = std::max(l.scale[0], l.scale[1]);
      r.step /= s;
      r.alignment = std::max(1, r.alignment / s);
    }
    reach[i] = r;
  }
  alignment = 1;
  for (const Reach& r : reach) alignment = std::lcm(alignment, r.alignment);
  return int(std::ceil(reach[m.output].margin - 1e-9));
}

}  // namespace

std::string Model::layer_name(int index) const {
  const std::string layer = index == kGraphInput ? "the input" : "layer " + layers.at(index).label;
  return source.empty() ? layer : source + ": " + layer;
}

std::size_t Model::parameter_count() const {
  std::size_t n = 0;
  for (const Layer& l : layers) n += l.weight.size() + l.bias.size() + l.bn_scale.size() + l.bn_shift.size();
  return n;
}

int set_batch_norm(Layer& layer, std::span<const float> gamma, std::span<const float> beta,
                   std::span<const float> mean, std::span<const float> variance, double epsilon) {
  const std::size_t c = gamma.size();
  layer.op = Op::batch_norm;
  layer.in_channels = layer.out_channels = int(c);
  layer.bn_scale.resize(c);
  layer.bn_shift.resize(c);
  for (std::size_t i = 0; i < c; ++i) {
    if (variance[i] + epsilon <= 0) return int(i);
    const double s = gamma[i] / std::sqrt(double(variance[i]) + epsilon);
    layer.bn_scale[i] = float(s);
    layer.bn_shift[i] = float(beta[i] - mean[i] * s);
  }
  return -1;
}

void finalize_model(Model& m) {
  XRECON_CHECK(!m.layers.empty(), "a model needs at least one layer");
  XRECON_CHECK(m.output >= 0 && m.output < int(m.layers.size()), "the output layer index is out of range");
  // Channel counts do not depend on the image size: check them once, before anything is merged.
  detail::infer_shapes(m, {m.input_channels, 1 << 12, 1 << 12});
  fold_and_fuse(m);
  int alignment = 1;
  const int margin = receptive_margin(m, alignment);
  m.size_multiple = std::lcm(m.size_multiple, alignment);
  m.receptive_margin = std::max(m.receptive_margin, margin);
  // Tiles start at multiples of the size multiple so that pooling grids line up with the image's.
  m.receptive_margin = (m.receptive_margin + m.size_multiple - 1) / m.size_multiple * m.size_multiple;
}

}  // namespace xrecon::prior
