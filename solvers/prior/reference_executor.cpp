// The reference backend: obvious loops accumulating in double, the oracle of the tests.
#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "executor.hpp"
#include "prior_math.hpp"
#include "shapes.hpp"

namespace xrecon::prior::detail {
namespace {

struct Tensor {
  TensorShape shape;
  std::vector<float> v;
  float at(int c, int y, int x) const { return v[(std::size_t(c) * shape.h + y) * shape.w + x]; }
};

Tensor conv(const Layer& l, const Tensor& in, TensorShape out_shape) {
  Tensor out{out_shape, std::vector<float>(out_shape.size())};
  const int kh = l.kernel[0], kw = l.kernel[1], ci = in.shape.c;
#pragma omp parallel for collapse(2)
  for (int o = 0; o < out_shape.c; ++o)
    for (int y = 0; y < out_shape.h; ++y)
      for (int x = 0; x < out_shape.w; ++x) {
        double sum = l.bias[o];
        for (int i = 0; i < ci; ++i)
          for (int ky = 0; ky < kh; ++ky) {
            const int iy = y * l.stride[0] - l.padding[0] + ky * l.dilation[0];
            if (iy < 0 || iy >= in.shape.h) continue;
            for (int kx = 0; kx < kw; ++kx) {
              const int ix = x * l.stride[1] - l.padding[1] + kx * l.dilation[1];
              if (ix < 0 || ix >= in.shape.w) continue;
              sum += double(l.weight[((std::size_t(o) * ci + i) * kh + ky) * kw + kx]) * in.at(i, iy, ix);
            }
          }
        out.v[(std::size_t(o) * out_shape.h + y) * out_shape.w + x] =
            float(activate<double>(sum, int(l.activation), l.slope));
      }
  return out;
}

// Each output pixel gathers the (input pixel, kernel tap) pairs that land on it.
Tensor conv_transpose(const Layer& l, const Tensor& in, TensorShape out_shape) {
  Tensor out{out_shape, std::vector<float>(out_shape.size())};
  const int kh = l.kernel[0], kw = l.kernel[1], ci = in.shape.c, co = out_shape.c;
#pragma omp parallel for collapse(2)
  for (int o = 0; o < co; ++o)
    for (int y = 0; y < out_shape.h; ++y)
      for (int x = 0; x < out_shape.w; ++x) {
        double sum = l.bias[o];
        for (int ky = 0; ky < kh; ++ky) {
          const int ty = y + l.padding[0] - ky * l.dilation[0];
          if (ty < 0 || ty % l.stride[0] != 0 || ty / l.stride[0] >= in.shape.h) continue;
          for (int kx = 0; kx < kw; ++kx) {
            const int tx = x + l.padding[1] - kx * l.dilation[1];
            if (tx < 0 || tx % l.stride[1] != 0 || tx / l.stride[1] >= in.shape.w) continue;
            for (int i = 0; i < ci; ++i)
              sum += double(l.weight[((std::size_t(i) * co + o) * kh + ky) * kw + kx]) *
                     in.at(i, ty / l.stride[0], tx / l.stride[1]);
          }
        }
        out.v[(std::size_t(o) * out_shape.h + y) * out_shape.w + x] =
            float(activate<double>(sum, int(l.activation), l.slope));
      }
  return out;
}

Tensor max_pool(const Layer& l, const Tensor& in, TensorShape s) {
  Tensor out{s, std::vector<float>(s.size())};
  for (int c = 0; c < s.c; ++c)
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) {
        float m = -std::numeric_limits<float>::infinity();
        for (int ky = 0; ky < l.kernel[0]; ++ky)
          for (int kx = 0; kx < l.kernel[1]; ++kx) {
            const int iy = y * l.stride[0] - l.padding[0] + ky, ix = x * l.stride[1] - l.padding[1] + kx;
            if (iy >= 0 && iy < in.shape.h && ix >= 0 && ix < in.shape.w) m = std::max(m, in.at(c, iy, ix));
          }
        out.v[(std::size_t(c) * s.h + y) * s.w + x] = m;
      }
  return out;
}

Tensor upsample(const Layer& l, const Tensor& in, TensorShape s) {
  Tensor out{s, std::vector<float>(s.size())};
  for (int c = 0; c < s.c; ++c)
    for (int y = 0; y < s.h; ++y)
      for (int x = 0; x < s.w; ++x) {
        double value;
        if (l.mode == UpsampleMode::nearest) {
          value = in.at(c, nearest_source(y, in.shape.h, l.scale[0]), nearest_source(x, in.shape.w, l.scale[1]));
        } else {
          const LinearSource sy = linear_source(y, in.shape.h, s.h, l.scale[0], l.align_corners);
          const LinearSource sx = linear_source(x, in.shape.w, s.w, l.scale[1], l.align_corners);
          const double top = (1.0 - sx.t) * in.at(c, sy.i0, sx.i0) + double(sx.t) * in.at(c, sy.i0, sx.i1);
          const double bottom = (1.0 - sx.t) * in.at(c, sy.i1, sx.i0) + double(sx.t) * in.at(c, sy.i1, sx.i1);
          value = (1.0 - sy.t) * top + double(sy.t) * bottom;
        }
        out.v[(std::size_t(c) * s.h + y) * s.w + x] = float(value);
      }
  return out;
}

class ReferenceExecutor final : public Executor {
 public:
  explicit ReferenceExecutor(const Model& model) : model_(model) {}

  ArrayF run(const ArrayF& input) override {
    const TensorShape in_shape{int(input.extent(0)), int(input.extent(1)), int(input.extent(2))};
    const std::vector<TensorShape> shapes = infer_shapes(model_, in_shape);
    Tensor graph_input{in_shape, std::vector<float>(input.data(), input.data() + input.size())};
    std::vector<Tensor> values(model_.layers.size());
    for (std::size_t i = 0; i < model_.layers.size(); ++i) {
      const Layer& l = model_.layers[i];
      auto arg = [&](int k) -> const Tensor& { return l.inputs[k] == kGraphInput ? graph_input : values[l.inputs[k]]; };
      const TensorShape s = shapes[i];
      Tensor out{s, {}};
      switch (l.op) {
        case Op::conv: out = conv(l, arg(0), s); break;
        case Op::conv_transpose: out = conv_transpose(l, arg(0), s); break;
        case Op::max_pool: out = max_pool(l, arg(0), s); break;
        case Op::upsample: out = upsample(l, arg(0), s); break;
        case Op::concat:
          for (std::size_t k = 0; k < l.inputs.size(); ++k) out.v.insert(out.v.end(), arg(k).v.begin(), arg(k).v.end());
          break;
        case Op::add:
        case Op::sub: {
          out.v = arg(0).v;
          const float sign = l.op == Op::add ? 1.0f : -1.0f;
          for (std::size_t k = 0; k < out.v.size(); ++k) out.v[k] += sign * arg(1).v[k];
          break;
        }
        case Op::batch_norm: {
          out.v = arg(0).v;
          const std::size_t plane = std::size_t(s.h) * s.w;
          for (std::size_t k = 0; k < out.v.size(); ++k)
            out.v[k] = float(double(out.v[k]) * l.bn_scale[k / plane] + l.bn_shift[k / plane]);
          break;
        }
        case Op::relu:
        case Op::leaky_relu:
        case Op::sigmoid:
        case Op::tanh: {
          const int code = l.op == Op::relu ? 1 : l.op == Op::leaky_relu ? 2 : l.op == Op::sigmoid ? 3 : 4;
          out.v = arg(0).v;
          for (float& x : out.v) x = float(activate<double>(x, code, l.slope));
          break;
        }
      }
      values[i] = std::move(out);
    }
    const Tensor& result = values[model_.output];
    ArrayF output(Shape{std::size_t(result.shape.c), std::size_t(result.shape.h), std::size_t(result.shape.w)});
    std::copy(result.v.begin(), result.v.end(), output.data());
    return output;
  }

 private:
  const Model& model_;
};

}  // namespace

std::unique_ptr<Executor> make_reference_executor(const Model& model) {
  return std::make_unique<ReferenceExecutor>(model);
}

}  // namespace xrecon::prior::detail
