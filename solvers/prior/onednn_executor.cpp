// The oneDNN (2.6) CPU backend. Activations stay in whatever layout oneDNN's convolutions prefer
// (blocked nChw8c/16c), reordered only where a primitive wants another; convolutions carry their
// activation as a post-op. Plans (primitives and buffers) are made once per input size.
#include "executor.hpp"
#include "xrecon/error.hpp"

#if XRECON_HAVE_ONEDNN
#include <oneapi/dnnl/dnnl.hpp>

#include <algorithm>
#include <cstring>
#include <functional>
#include <map>
#include <unordered_map>

#include "prior_math.hpp"
#include "shapes.hpp"

namespace xrecon::prior::detail {
namespace {

using dnnl::algorithm;
using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

memory::dims nchw_dims(TensorShape s) { return {1, s.c, s.h, s.w}; }

// Right padding that makes oneDNN's output size formula give PyTorch's floor-division size.
memory::dim right_padding(int in, int out, int k, int s, int p, int d) {
  return memory::dim(out - 1) * s + memory::dim(k - 1) * d + 1 - in - p;
}

algorithm eltwise_of(Activation a) {
  switch (a) {
    case Activation::relu:
    case Activation::leaky_relu: return algorithm::eltwise_relu;
    case Activation::sigmoid: return algorithm::eltwise_logistic;
    case Activation::tanh: return algorithm::eltwise_tanh;
    default: return algorithm::undef;
  }
}

Activation activation_of(Op op) {
  switch (op) {
    case Op::relu: return Activation::relu;
    case Op::leaky_relu: return Activation::leaky_relu;
    case Op::sigmoid: return Activation::sigmoid;
    default: return Activation::tanh;
  }
}

struct Plan {
  memory input;                       // nchw, the graph input
  memory output;                      // nchw, the output layer's value
  TensorShape output_shape;
  std::vector<std::function<void(dnnl::stream&)>> steps;
};

class OnednnExecutor final : public Executor {
 public:
  explicit OnednnExecutor(const Model& model) : model_(model), engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {}

  ArrayF run(const ArrayF& input) override {
    const TensorShape in{int(input.extent(0)), int(input.extent(1)), int(input.extent(2))};
    auto it = plans_.find({in.c, in.h, in.w});
    if (it == plans_.end()) {
      if (plans_.size() >= 8) plans_.clear();  // tiles come in a few sizes; bound the memory anyway
      it = plans_.emplace(std::array<int, 3>{in.c, in.h, in.w}, make_plan(in)).first;
    }
    Plan& plan = it->second;
    std::copy_n(input.data(), input.size(), static_cast<float*>(plan.input.get_data_handle()));
    for (auto& step : plan.steps) step(stream_);
    stream_.wait();
    const TensorShape s = plan.output_shape;
    ArrayF out(Shape{std::size_t(s.c), std::size_t(s.h), std::size_t(s.w)});
    std::copy_n(static_cast<const float*>(plan.output.get_data_handle()), out.size(), out.data());
    return out;
  }

 private:
  // memcpy split over the OpenMP threads in page-sized pieces.
  static void copy_parallel(char* to, const char* from, std::size_t bytes) {
    constexpr std::size_t kPiece = std::size_t(1) << 16;
    const auto pieces = static_cast<long long>((bytes + kPiece - 1) / kPiece);
#pragma omp parallel for schedule(static)
    for (long long k = 0; k < pieces; ++k) {
      const std::size_t begin = std::size_t(k) * kPiece;
      std::memcpy(to + begin, from + begin, std::min(kPiece, bytes - begin));
    }
  }

  // A step that runs primitive `p` with `args`.
  static std::function<void(dnnl::stream&)> call(dnnl::primitive p, std::unordered_map<int, memory> args) {
    return [p = std::move(p), args = std::move(args)](dnnl::stream& s) { p.execute(s, args); };
  }

  // `m` in layout `want`: itself, or a new buffer filled by a reorder step.
  memory as(const memory& m, const memory::desc& want, Plan& plan) {
    if (m.get_desc() == want) return m;
    memory out(want, engine_);
    plan.steps.push_back(call(dnnl::reorder(m, out), {{DNNL_ARG_FROM, m}, {DNNL_ARG_TO, out}}));
    return out;
  }

  // Weights reordered once, at plan time.
  memory constant(const std::vector<float>& values, const memory::desc& user, const memory::desc& want) {
    memory src(user, engine_, const_cast<float*>(values.data()));
    memory out(want, engine_);
    dnnl::reorder(src, out).execute(stream_, src, out);
    stream_.wait();
    return out;
  }

  memory convolution(const Layer& l, const memory& src, TensorShape in, TensorShape out, Plan& plan) {
    const bool transpose = l.op == Op::conv_transpose;
    const memory::desc src_any(nchw_dims(in), dt::f32, tag::any);
    const memory::desc dst_any(nchw_dims(out), dt::f32, tag::any);
    const memory::dims wdims{l.out_channels, l.in_channels, l.kernel[0], l.kernel[1]};
    const memory::desc w_any(wdims, dt::f32, tag::any);
    const memory::desc b_md({l.out_channels}, dt::f32, tag::x);
    const memory::dims strides{l.stride[0], l.stride[1]};
    const memory::dims dilates{l.dilation[0] - 1, l.dilation[1] - 1};
    const memory::dims pad_l{l.padding[0], l.padding[1]};
    memory::dims pad_r;
    if (transpose)
      pad_r = {l.padding[0] - l.output_padding[0], l.padding[1] - l.output_padding[1]};
    else
      pad_r = {right_padding(in.h, out.h, l.kernel[0], l.stride[0], l.padding[0], l.dilation[0]),
               right_padding(in.w, out.w, l.kernel[1], l.stride[1], l.padding[1], l.dilation[1])};
    dnnl::primitive_attr attr;
    if (l.activation != Activation::none) {
      dnnl::post_ops ops;
      ops.append_eltwise(1.0f, eltwise_of(l.activation), l.activation == Activation::leaky_relu ? l.slope : 0.0f, 0.0f);
      attr.set_post_ops(ops);
    }
    const memory::desc w_user(wdims, dt::f32, transpose ? tag::iohw : tag::oihw);
    memory::desc src_want, w_want, dst_want;
    dnnl::primitive prim;
    if (transpose) {
      const dnnl::deconvolution_forward::desc d(dnnl::prop_kind::forward_inference, algorithm::deconvolution_direct,
                                                src_any, w_any, b_md, dst_any, strides, dilates, pad_l, pad_r);
      const dnnl::deconvolution_forward::primitive_desc pd(d, attr, engine_);
      src_want = pd.src_desc(), w_want = pd.weights_desc(), dst_want = pd.dst_desc();
      prim = dnnl::deconvolution_forward(pd);
    } else {
      const dnnl::convolution_forward::desc d(dnnl::prop_kind::forward_inference, algorithm::convolution_direct,
                                              src_any, w_any, b_md, dst_any, strides, dilates, pad_l, pad_r);
      const dnnl::convolution_forward::primitive_desc pd(d, attr, engine_);
      src_want = pd.src_desc(), w_want = pd.weights_desc(), dst_want = pd.dst_desc();
      prim = dnnl::convolution_forward(pd);
    }
    const memory weights = constant(l.weight, w_user, w_want);
    const memory bias = constant(l.bias, b_md, b_md);
    const memory source = as(src, src_want, plan);
    memory dst(dst_want, engine_);
    plan.steps.push_back(call(prim, {{DNNL_ARG_SRC, source}, {DNNL_ARG_WEIGHTS, weights}, {DNNL_ARG_BIAS, bias},
                                     {DNNL_ARG_DST, dst}}));
    return dst;
  }

  memory max_pool(const Layer& l, const memory& src, TensorShape in, TensorShape out, Plan& plan) {
    const memory::desc dst_any(nchw_dims(out), dt::f32, tag::any);
    const dnnl::pooling_forward::desc d(
        dnnl::prop_kind::forward_inference, algorithm::pooling_max, src.get_desc(), dst_any, {l.stride[0], l.stride[1]},
        {l.kernel[0], l.kernel[1]}, {l.padding[0], l.padding[1]},
        {right_padding(in.h, out.h, l.kernel[0], l.stride[0], l.padding[0], 1),
         right_padding(in.w, out.w, l.kernel[1], l.stride[1], l.padding[1], 1)});
    const dnnl::pooling_forward::primitive_desc pd(d, engine_);
    memory dst(pd.dst_desc(), engine_);
    plan.steps.push_back(call(dnnl::pooling_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}));
    return dst;
  }

  // oneDNN's linear resampling has half-pixel centres only; align_corners runs our own loop.
  memory upsample(const Layer& l, const memory& src, TensorShape in, TensorShape out, Plan& plan) {
    if (l.mode == UpsampleMode::bilinear && l.align_corners) {
      const memory plain = as(src, memory::desc(nchw_dims(in), dt::f32, tag::nchw), plan);
      memory dst(memory::desc(nchw_dims(out), dt::f32, tag::nchw), engine_);
      const std::array<int, 2> scale = l.scale;
      plan.steps.push_back([plain, dst, in, out, scale](dnnl::stream& s) {
        s.wait();
        const float* x = static_cast<const float*>(plain.get_data_handle());
        float* y = static_cast<float*>(dst.get_data_handle());
#pragma omp parallel for collapse(2)
        for (int c = 0; c < out.c; ++c)
          for (int oy = 0; oy < out.h; ++oy) {
            const LinearSource sy = linear_source(oy, in.h, out.h, scale[0], true);
            const float* plane = x + std::size_t(c) * in.h * in.w;
            for (int ox = 0; ox < out.w; ++ox) {
              const LinearSource sx = linear_source(ox, in.w, out.w, scale[1], true);
              const float top = (1 - sx.t) * plane[sy.i0 * in.w + sx.i0] + sx.t * plane[sy.i0 * in.w + sx.i1];
              const float bottom = (1 - sx.t) * plane[sy.i1 * in.w + sx.i0] + sx.t * plane[sy.i1 * in.w + sx.i1];
              y[(std::size_t(c) * out.h + oy) * out.w + ox] = (1 - sy.t) * top + sy.t * bottom;
            }
          }
      });
      return dst;
    }
    const memory::desc dst_any(nchw_dims(out), dt::f32, tag::any);
    const dnnl::resampling_forward::desc d(
        dnnl::prop_kind::forward_inference,
        l.mode == UpsampleMode::nearest ? algorithm::resampling_nearest : algorithm::resampling_linear,
        src.get_desc(), dst_any);
    const dnnl::resampling_forward::primitive_desc pd(d, engine_);
    memory dst(pd.dst_desc(), engine_);
    plan.steps.push_back(call(dnnl::resampling_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}));
    return dst;
  }

  // With a batch of 1 and the channel block outermost (nchw, nChw8c, nChw16c, channels whole
  // blocks), each input of a channel concat is one contiguous run of the output: the concat is
  // a few parallel copies. oneDNN 2.6's own concat ("simple:any") moved well under 1 GB/s here
  // and took a quarter of TomoGAN's time; it remains the fallback for other layouts.
  memory concat(const std::vector<memory>& srcs, Plan& plan) {
    for (const tag t : {tag::nChw16c, tag::nChw8c, tag::nchw}) {
      const memory::dim block = t == tag::nChw16c ? 16 : t == tag::nChw8c ? 8 : 1;
      memory::dims dims = srcs[0].get_desc().dims();
      dims[1] = 0;
      bool runs = dims[0] == 1;
      for (const memory& m : srcs) {
        const memory::dims d = m.get_desc().dims();
        runs = runs && d[1] % block == 0 && m.get_desc() == memory::desc(d, dt::f32, t);
        dims[1] += d[1];
      }
      if (!runs) continue;
      memory dst(memory::desc(dims, dt::f32, t), engine_);
      plan.steps.push_back([srcs, dst](dnnl::stream& s) {
        s.wait();
        char* out = static_cast<char*>(dst.get_data_handle());
        for (const memory& m : srcs) {
          const std::size_t bytes = m.get_desc().get_size();
          copy_parallel(out, static_cast<const char*>(m.get_data_handle()), bytes);
          out += bytes;
        }
      });
      return dst;
    }
    std::vector<memory::desc> descs;
    for (const memory& m : srcs) descs.push_back(m.get_desc());
    const dnnl::concat::primitive_desc pd(1, descs, engine_);
    memory dst(pd.dst_desc(), engine_);
    std::unordered_map<int, memory> args{{DNNL_ARG_DST, dst}};
    for (std::size_t k = 0; k < srcs.size(); ++k) args[DNNL_ARG_MULTIPLE_SRC + int(k)] = srcs[k];
    plan.steps.push_back(call(dnnl::concat(pd), std::move(args)));
    return dst;
  }

  memory binary(algorithm alg, const memory& a, const memory& b, Plan& plan) {
    const dnnl::binary::desc d(alg, a.get_desc(), b.get_desc(), a.get_desc());
    const dnnl::binary::primitive_desc pd(d, engine_);
    memory dst(pd.dst_desc(), engine_);
    plan.steps.push_back(call(dnnl::binary(pd), {{DNNL_ARG_SRC_0, a}, {DNNL_ARG_SRC_1, b}, {DNNL_ARG_DST, dst}}));
    return dst;
  }

  // A batch norm that could not be folded: y = x * scale + shift per channel, one binary
  // multiply with the add as its post-op.
  memory batch_norm(const Layer& l, const memory& src, Plan& plan) {
    const memory::desc per_channel({1, memory::dim(l.bn_scale.size()), 1, 1}, dt::f32, tag::nchw);
    const memory scale = constant(l.bn_scale, per_channel, per_channel);
    const memory shift = constant(l.bn_shift, per_channel, per_channel);
    dnnl::post_ops ops;
    ops.append_binary(algorithm::binary_add, per_channel);
    dnnl::primitive_attr attr;
    attr.set_post_ops(ops);
    const dnnl::binary::desc d(algorithm::binary_mul, src.get_desc(), per_channel, src.get_desc());
    const dnnl::binary::primitive_desc pd(d, attr, engine_);
    memory dst(pd.dst_desc(), engine_);
    plan.steps.push_back(call(dnnl::binary(pd), {{DNNL_ARG_SRC_0, src},
                                                 {DNNL_ARG_SRC_1, scale},
                                                 {DNNL_ARG_ATTR_MULTIPLE_POST_OP(0) | DNNL_ARG_SRC_1, shift},
                                                 {DNNL_ARG_DST, dst}}));
    return dst;
  }

  memory eltwise(const Layer& l, const memory& src, Plan& plan) {
    const Activation a = activation_of(l.op);
    const dnnl::eltwise_forward::desc d(dnnl::prop_kind::forward_inference, eltwise_of(a), src.get_desc(),
                                        a == Activation::leaky_relu ? l.slope : 0.0f);
    const dnnl::eltwise_forward::primitive_desc pd(d, engine_);
    memory dst(pd.dst_desc(), engine_);
    plan.steps.push_back(call(dnnl::eltwise_forward(pd), {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}}));
    return dst;
  }

  Plan make_plan(TensorShape in) {
    const std::vector<TensorShape> shapes = infer_shapes(model_, in);
    Plan plan;
    plan.input = memory(memory::desc(nchw_dims(in), dt::f32, tag::nchw), engine_);
    std::vector<memory> values(model_.layers.size());
    for (std::size_t i = 0; i < model_.layers.size(); ++i) {
      const Layer& l = model_.layers[i];
      std::vector<memory> args;
      std::vector<TensorShape> arg_shapes;
      for (int j : l.inputs) {
        args.push_back(j == kGraphInput ? plan.input : values[j]);
        arg_shapes.push_back(j == kGraphInput ? in : shapes[j]);
      }
      try {
        switch (l.op) {
          case Op::conv:
          case Op::conv_transpose: values[i] = convolution(l, args[0], arg_shapes[0], shapes[i], plan); break;
          case Op::max_pool: values[i] = max_pool(l, args[0], arg_shapes[0], shapes[i], plan); break;
          case Op::upsample: values[i] = upsample(l, args[0], arg_shapes[0], shapes[i], plan); break;
          case Op::concat: values[i] = concat(args, plan); break;
          case Op::add:
          case Op::sub:
            values[i] = binary(l.op == Op::add ? algorithm::binary_add : algorithm::binary_sub, args[0],
                               as(args[1], args[0].get_desc(), plan), plan);
            break;
          case Op::batch_norm: values[i] = batch_norm(l, args[0], plan); break;
          default: values[i] = eltwise(l, args[0], plan); break;
        }
      } catch (const dnnl::error& e) {
        throw InputError(model_.layer_name(int(i)) + " (" + op_name(l.op) + "): oneDNN cannot run it: " + e.what());
      }
    }
    plan.output_shape = shapes[model_.output];
    plan.output = as(values[model_.output], memory::desc(nchw_dims(plan.output_shape), dt::f32, tag::nchw), plan);
    return plan;
  }

  const Model& model_;
  dnnl::engine engine_;
  dnnl::stream stream_;
  std::map<std::array<int, 3>, Plan> plans_;
};

}  // namespace

bool onednn_compiled() { return true; }
std::unique_ptr<Executor> make_onednn_executor(const Model& model, const EnhanceOptions&) {
  return std::make_unique<OnednnExecutor>(model);
}

}  // namespace xrecon::prior::detail

#else

namespace xrecon::prior::detail {

bool onednn_compiled() { return false; }
std::unique_ptr<Executor> make_onednn_executor(const Model&, const EnhanceOptions&) {
  throw NotCompiled("the onednn prior backend needs a build with oneDNN (Debian libdnnl-dev)");
}

}  // namespace xrecon::prior::detail

#endif
