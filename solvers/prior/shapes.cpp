#include "shapes.hpp"

#include <string>

#include "xrecon/error.hpp"

namespace xrecon::prior::detail {
namespace {

std::string text(TensorShape s) {
  return std::to_string(s.c) + "x" + std::to_string(s.h) + "x" + std::to_string(s.w);
}

int conv_extent(int in, int k, int s, int p, int d) { return (in + 2 * p - d * (k - 1) - 1) / s + 1; }

}  // namespace

const char* op_name(Op op) {
  switch (op) {
    case Op::conv: return "conv";
    case Op::conv_transpose: return "conv_transpose";
    case Op::batch_norm: return "batch_norm";
    case Op::max_pool: return "max_pool";
    case Op::upsample: return "upsample";
    case Op::concat: return "concat";
    case Op::add: return "add";
    case Op::sub: return "sub";
    case Op::relu: return "relu";
    case Op::leaky_relu: return "leaky_relu";
    case Op::sigmoid: return "sigmoid";
    case Op::tanh: return "tanh";
  }
  return "?";
}

std::vector<TensorShape> infer_shapes(const Model& model, TensorShape input) {
  std::vector<TensorShape> shapes;
  shapes.reserve(model.layers.size());
  for (std::size_t i = 0; i < model.layers.size(); ++i) {
    const Layer& l = model.layers[i];
    auto fail = [&](const std::string& what) {
      throw InputError(model.layer_name(int(i)) + " (" + op_name(l.op) + "): " + what);
    };
    std::vector<TensorShape> in;
    for (int j : l.inputs) in.push_back(j == kGraphInput ? input : shapes.at(j));
    TensorShape out = in[0];
    switch (l.op) {
      case Op::conv:
      case Op::conv_transpose:
        if (in[0].c != l.in_channels)
          fail("weights take " + std::to_string(l.in_channels) + " input channels, the input has " +
               std::to_string(in[0].c));
        out.c = l.out_channels;
        if (l.op == Op::conv) {
          out.h = conv_extent(in[0].h, l.kernel[0], l.stride[0], l.padding[0], l.dilation[0]);
          out.w = conv_extent(in[0].w, l.kernel[1], l.stride[1], l.padding[1], l.dilation[1]);
        } else {
          out.h = (in[0].h - 1) * l.stride[0] - 2 * l.padding[0] + l.dilation[0] * (l.kernel[0] - 1) +
                  l.output_padding[0] + 1;
          out.w = (in[0].w - 1) * l.stride[1] - 2 * l.padding[1] + l.dilation[1] * (l.kernel[1] - 1) +
                  l.output_padding[1] + 1;
        }
        break;
      case Op::max_pool:
        out.h = conv_extent(in[0].h, l.kernel[0], l.stride[0], l.padding[0], 1);
        out.w = conv_extent(in[0].w, l.kernel[1], l.stride[1], l.padding[1], 1);
        break;
      case Op::upsample:
        out.h *= l.scale[0];
        out.w *= l.scale[1];
        break;
      case Op::batch_norm:
        if (in[0].c != int(l.bn_scale.size()))
          fail("has " + std::to_string(l.bn_scale.size()) + " channels, the input has " + std::to_string(in[0].c));
        break;
      case Op::concat:
        out.c = 0;
        for (const TensorShape& s : in) {
          if (s.h != in[0].h || s.w != in[0].w)
            fail("inputs of different sizes " + text(in[0]) + " and " + text(s) +
                 " (the image size must be a multiple of " + std::to_string(model.size_multiple) + ")");
          out.c += s.c;
        }
        break;
      case Op::add:
      case Op::sub:
        if (!(in[0] == in[1]))
          fail("inputs of different shapes " + text(in[0]) + " and " + text(in[1]) +
               " (the image size must be a multiple of " + std::to_string(model.size_multiple) + ")");
        break;
      default: break;
    }
    if (out.h < 1 || out.w < 1)
      fail("an input of " + text(in[0]) + " leaves no output pixels: the image is too small for the network");
    shapes.push_back(out);
  }
  return shapes;
}

}  // namespace xrecon::prior::detail
