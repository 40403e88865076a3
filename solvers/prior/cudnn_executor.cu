// The cuDNN 9 GPU backend: convolutions and transposed convolutions through cuDNN's legacy
// convolution API (deprecated in 9 but present; fastest algorithm found once per input size),
// everything else through the small kernels of cudnn_kernels.cu. Activations are NHWC in fp32,
// fp16 or bf16 (tensor-core math for the half types, accumulation in fp32; plain FMA math for
// fp32 so that TF32 cannot blur the 1e-4 agreement with PyTorch).
#include <cuda_bf16.h>
#include <cuda_fp16.h>
#include <cuda_runtime_api.h>

#include <algorithm>
#include <functional>
#include <map>
#include <string>

#include "executor.hpp"
#include "xrecon/cuda_check.hpp"
#include "xrecon/error.hpp"

#if XRECON_HAVE_CUDNN
#include <cudnn.h>

#include "cudnn_kernels.hpp"
#include "shapes.hpp"

#define XRECON_CUDNN_CHECK(call)                                                                      \
  do {                                                                                                \
    const cudnnStatus_t xrecon_cudnn_status_ = (call);                                                \
    if (xrecon_cudnn_status_ != CUDNN_STATUS_SUCCESS)                                                 \
      throw ::xrecon::Error(std::string(#call) + " failed: " + cudnnGetErrorString(xrecon_cudnn_status_), \
                            std::string(__FILE__) + ":" + std::to_string(__LINE__));                  \
  } while (false)

namespace xrecon::prior::detail {
namespace {

template <typename T> constexpr cudnnDataType_t cudnn_type();
template <> constexpr cudnnDataType_t cudnn_type<float>() { return CUDNN_DATA_FLOAT; }
template <> constexpr cudnnDataType_t cudnn_type<__half>() { return CUDNN_DATA_HALF; }
template <> constexpr cudnnDataType_t cudnn_type<__nv_bfloat16>() { return CUDNN_DATA_BFLOAT16; }

Extent extent(TensorShape s) { return {s.c, s.h, s.w}; }

// Device memory owned by a shared pointer, so steps can hold on to what they use.
struct Buffer {
  std::shared_ptr<void> owner;
  template <typename T> T* as() const { return static_cast<T*>(owner.get()); }
};

using TensorDesc = std::shared_ptr<cudnnTensorStruct>;
using FilterDesc = std::shared_ptr<cudnnFilterStruct>;
using ConvDesc = std::shared_ptr<cudnnConvolutionStruct>;

template <typename T> TensorDesc tensor_desc(TensorShape s) {
  cudnnTensorDescriptor_t d;
  XRECON_CUDNN_CHECK(cudnnCreateTensorDescriptor(&d));
  TensorDesc owner(d, cudnnDestroyTensorDescriptor);
  XRECON_CUDNN_CHECK(cudnnSetTensor4dDescriptor(d, CUDNN_TENSOR_NHWC, cudnn_type<T>(), 1, s.c, s.h, s.w));
  return owner;
}

template <typename T> FilterDesc filter_desc(int k, int c, int kh, int kw) {
  cudnnFilterDescriptor_t d;
  XRECON_CUDNN_CHECK(cudnnCreateFilterDescriptor(&d));
  FilterDesc owner(d, cudnnDestroyFilterDescriptor);
  XRECON_CUDNN_CHECK(cudnnSetFilter4dDescriptor(d, cudnn_type<T>(), CUDNN_TENSOR_NHWC, k, c, kh, kw));
  return owner;
}

template <typename T> ConvDesc conv_desc(const Layer& l) {
  cudnnConvolutionDescriptor_t d;
  XRECON_CUDNN_CHECK(cudnnCreateConvolutionDescriptor(&d));
  ConvDesc owner(d, cudnnDestroyConvolutionDescriptor);
  XRECON_CUDNN_CHECK(cudnnSetConvolution2dDescriptor(d, l.padding[0], l.padding[1], l.stride[0], l.stride[1],
                                                     l.dilation[0], l.dilation[1], CUDNN_CROSS_CORRELATION,
                                                     CUDNN_DATA_FLOAT));
  XRECON_CUDNN_CHECK(cudnnSetConvolutionMathType(
      d, std::is_same_v<T, float> ? CUDNN_FMA_MATH : CUDNN_TENSOR_OP_MATH));
  return owner;
}

struct Plan {
  Buffer input_float, output_float;   // NCHW float
  Buffer input;                       // NHWC T
  TensorShape output_shape;
  std::size_t workspace_bytes = 0;
  Buffer workspace;
  std::vector<std::function<void(const Plan&)>> steps;
};

// Per-layer constants on the device.
struct LayerData {
  Buffer weight;  // T, NHWC filter layout (K, kh, kw, C)
  Buffer bias, scale, shift;  // float
};

template <typename T>
class CudnnExecutor final : public Executor {
 public:
  CudnnExecutor(const Model& model, int device) : model_(model), device_(device), space_(MemorySpace::cuda(device)) {
    XRECON_CUDA_CHECK(cudaSetDevice(device_));
    XRECON_CUDA_CHECK(cudaStreamCreate(&stream_));
    XRECON_CUDNN_CHECK(cudnnCreate(&handle_));
    XRECON_CUDNN_CHECK(cudnnSetStream(handle_, stream_));
    for (const Layer& l : model_.layers) data_.push_back(upload_layer(l));
    XRECON_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  ~CudnnExecutor() override {
    cudaSetDevice(device_);
    cudaStreamSynchronize(stream_);
    plans_.clear();
    data_.clear();
    cudnnDestroy(handle_);
    cudaStreamDestroy(stream_);
  }

  ArrayF run(const ArrayF& input) override {
    XRECON_CUDA_CHECK(cudaSetDevice(device_));
    const TensorShape in{int(input.extent(0)), int(input.extent(1)), int(input.extent(2))};
    auto it = plans_.find({in.c, in.h, in.w});
    if (it == plans_.end()) {
      if (plans_.size() >= 4) plans_.clear();
      it = plans_.emplace(std::array<int, 3>{in.c, in.h, in.w}, make_plan(in)).first;
    }
    const Plan& plan = it->second;
    XRECON_CUDA_CHECK(cudaMemcpyAsync(plan.input_float.as<float>(), input.data(), input.size() * sizeof(float),
                                      cudaMemcpyHostToDevice, stream_));
    nchw_float_to_nhwc(plan.input_float.as<float>(), plan.input.as<T>(), extent(in), stream_);
    for (const auto& step : plan.steps) step(plan);
    const TensorShape s = plan.output_shape;
    ArrayF out(Shape{std::size_t(s.c), std::size_t(s.h), std::size_t(s.w)});
    XRECON_CUDA_CHECK(cudaMemcpyAsync(out.data(), plan.output_float.as<float>(), out.size() * sizeof(float),
                                      cudaMemcpyDeviceToHost, stream_));
    XRECON_CUDA_CHECK(cudaStreamSynchronize(stream_));
    return out;
  }

 private:
  Buffer allocate(std::size_t bytes) { return {allocate_bytes(std::max<std::size_t>(bytes, 16), space_)}; }

  Buffer upload_floats(const std::vector<float>& host) {
    Buffer b = allocate(host.size() * sizeof(float));
    XRECON_CUDA_CHECK(cudaMemcpy(b.as<float>(), host.data(), host.size() * sizeof(float), cudaMemcpyHostToDevice));
    return b;
  }

  LayerData upload_layer(const Layer& l) {
    LayerData d;
    if (l.op == Op::conv || l.op == Op::conv_transpose) {
      // conv (out, in, kh, kw) and conv_transpose (in, out, kh, kw) both become (dim0, kh, kw, dim1).
      const int d0 = l.op == Op::conv ? l.out_channels : l.in_channels;
      const int d1 = l.op == Op::conv ? l.in_channels : l.out_channels;
      const int kh = l.kernel[0], kw = l.kernel[1];
      std::vector<float> nhwc(l.weight.size());
      for (int a = 0; a < d0; ++a)
        for (int b = 0; b < d1; ++b)
          for (int y = 0; y < kh; ++y)
            for (int x = 0; x < kw; ++x)
              nhwc[((std::size_t(a) * kh + y) * kw + x) * d1 + b] = l.weight[((std::size_t(a) * d1 + b) * kh + y) * kw + x];
      const Buffer staging = upload_floats(nhwc);
      d.weight = allocate(nhwc.size() * sizeof(T));
      convert(staging.as<float>(), d.weight.as<T>(), (long long)nhwc.size(), stream_);
      XRECON_CUDA_CHECK(cudaStreamSynchronize(stream_));
      d.bias = upload_floats(l.bias);
    }
    if (l.op == Op::batch_norm) {
      d.scale = upload_floats(l.bn_scale);
      d.shift = upload_floats(l.bn_shift);
    }
    return d;
  }

  Buffer tensor(TensorShape s) { return allocate(std::size_t(s.size()) * sizeof(T)); }

  void convolution(std::size_t i, const Buffer& x, TensorShape in, const Buffer& y, TensorShape out, Plan& plan) {
    const Layer& l = model_.layers[i];
    const bool transpose = l.op == Op::conv_transpose;
    const TensorDesc xd = tensor_desc<T>(in), yd = tensor_desc<T>(out);
    const FilterDesc wd = transpose ? filter_desc<T>(l.in_channels, l.out_channels, l.kernel[0], l.kernel[1])
                                    : filter_desc<T>(l.out_channels, l.in_channels, l.kernel[0], l.kernel[1]);
    const ConvDesc cd = conv_desc<T>(l);
    const LayerData& d = data_[i];
    int found = 0;
    std::size_t workspace = 0;
    std::function<void(const Plan&)> run;
    if (!transpose) {
      cudnnConvolutionFwdAlgoPerf_t perf[CUDNN_CONVOLUTION_FWD_ALGO_COUNT];
      XRECON_CUDNN_CHECK(cudnnFindConvolutionForwardAlgorithm(handle_, xd.get(), wd.get(), cd.get(), yd.get(),
                                                              CUDNN_CONVOLUTION_FWD_ALGO_COUNT, &found, perf));
      const auto* best = std::find_if(perf, perf + found, [](const auto& p) { return p.status == CUDNN_STATUS_SUCCESS; });
      if (best == perf + found) throw Error(model_.layer_name(int(i)) + ": cuDNN has no algorithm for this convolution");
      workspace = best->memory;
      const cudnnConvolutionFwdAlgo_t algo = best->algo;
      run = [=, this](const Plan& p) {
        const float one = 1, zero = 0;
        XRECON_CUDNN_CHECK(cudnnConvolutionForward(handle_, &one, xd.get(), x.as<T>(), wd.get(), d.weight.as<T>(),
                                                   cd.get(), algo, p.workspace.as<void>(), p.workspace_bytes, &zero,
                                                   yd.get(), y.as<T>()));
      };
    } else {
      cudnnConvolutionBwdDataAlgoPerf_t perf[CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT];
      XRECON_CUDNN_CHECK(cudnnFindConvolutionBackwardDataAlgorithm(handle_, wd.get(), xd.get(), cd.get(), yd.get(),
                                                                   CUDNN_CONVOLUTION_BWD_DATA_ALGO_COUNT, &found, perf));
      const auto* best = std::find_if(perf, perf + found, [](const auto& p) { return p.status == CUDNN_STATUS_SUCCESS; });
      if (best == perf + found)
        throw Error(model_.layer_name(int(i)) + ": cuDNN has no algorithm for this transposed convolution");
      workspace = best->memory;
      const cudnnConvolutionBwdDataAlgo_t algo = best->algo;
      run = [=, this](const Plan& p) {
        const float one = 1, zero = 0;
        XRECON_CUDNN_CHECK(cudnnConvolutionBackwardData(handle_, &one, wd.get(), d.weight.as<T>(), xd.get(),
                                                        x.as<T>(), cd.get(), algo, p.workspace.as<void>(),
                                                        p.workspace_bytes, &zero, yd.get(), y.as<T>()));
      };
    }
    plan.workspace_bytes = std::max(plan.workspace_bytes, workspace);
    const int act = int(l.activation);
    const float slope = l.slope;
    const Buffer bias = d.bias;
    plan.steps.push_back([=, this](const Plan& p) {
      run(p);
      bias_activation(y.as<T>(), bias.as<float>(), extent(out), act, slope, stream_);
    });
  }

  Plan make_plan(TensorShape in) {
    const std::vector<TensorShape> shapes = infer_shapes(model_, in);
    Plan plan;
    plan.input_float = allocate(std::size_t(in.size()) * sizeof(float));
    plan.input = tensor(in);
    std::vector<Buffer> values(model_.layers.size());
    for (std::size_t i = 0; i < model_.layers.size(); ++i) {
      const Layer& l = model_.layers[i];
      std::vector<Buffer> args;
      std::vector<TensorShape> arg_shapes;
      for (int j : l.inputs) {
        args.push_back(j == kGraphInput ? plan.input : values[j]);
        arg_shapes.push_back(j == kGraphInput ? in : shapes[j]);
      }
      const TensorShape out = shapes[i];
      const Buffer y = tensor(out);
      values[i] = y;
      const Buffer x = args[0];
      const Extent ei = extent(arg_shapes[0]), eo = extent(out);
      cudaStream_t s = stream_;
      try {
        switch (l.op) {
          case Op::conv:
          case Op::conv_transpose: convolution(i, x, arg_shapes[0], y, out, plan); break;
          case Op::max_pool:
            plan.steps.push_back([=, k = l.kernel, st = l.stride, p = l.padding](const Plan&) {
              max_pool(x.as<T>(), y.as<T>(), ei, eo, k[0], k[1], st[0], st[1], p[0], p[1], s);
            });
            break;
          case Op::upsample:
            plan.steps.push_back([=, mode = int(l.mode), ac = l.align_corners, sc = l.scale](const Plan&) {
              upsample(x.as<T>(), y.as<T>(), ei, eo, mode, ac, sc[0], sc[1], s);
            });
            break;
          case Op::concat: {
            int offset = 0;
            for (std::size_t k = 0; k < args.size(); ++k) {
              const Buffer src = args[k];
              const Extent ek = extent(arg_shapes[k]);
              plan.steps.push_back([=](const Plan&) { copy_channels(src.as<T>(), y.as<T>(), ek, eo.c, offset, s); });
              offset += ek.c;
            }
            break;
          }
          case Op::add:
          case Op::sub:
            plan.steps.push_back([=, b = args[1], sign = l.op == Op::add ? 1.0f : -1.0f](const Plan&) {
              add(x.as<T>(), b.as<T>(), y.as<T>(), eo.size(), sign, s);
            });
            break;
          case Op::batch_norm:
            plan.steps.push_back([=, d = data_[i]](const Plan&) {
              affine(x.as<T>(), y.as<T>(), d.scale.as<float>(), d.shift.as<float>(), eo, s);
            });
            break;
          default: {
            const int act = l.op == Op::relu ? 1 : l.op == Op::leaky_relu ? 2 : l.op == Op::sigmoid ? 3 : 4;
            plan.steps.push_back([=, slope = l.slope](const Plan&) {
              activation(x.as<T>(), y.as<T>(), eo.size(), act, slope, s);
            });
          }
        }
      } catch (const Error& e) {
        throw Error(model_.layer_name(int(i)) + " (" + op_name(l.op) + "): " + e.message(), e.where());
      }
    }
    plan.output_shape = shapes[model_.output];
    plan.output_float = allocate(std::size_t(plan.output_shape.size()) * sizeof(float));
    const Buffer result = values[model_.output];
    plan.steps.push_back([=, e = extent(plan.output_shape), s = stream_](const Plan& p) {
      nhwc_to_nchw_float(result.as<T>(), p.output_float.as<float>(), e, s);
    });
    plan.workspace = allocate(plan.workspace_bytes);
    return plan;
  }

  const Model& model_;
  int device_;
  MemorySpace space_;
  cudaStream_t stream_{};
  cudnnHandle_t handle_{};
  std::vector<LayerData> data_;
  std::map<std::array<int, 3>, Plan> plans_;
};

}  // namespace

std::unique_ptr<Executor> make_cudnn_executor(const Model& model, const EnhanceOptions& options) {
  if (!cudnn_device_present()) throw Error("the cudnn prior backend needs a CUDA device; none is present");
  switch (options.precision) {
    case Precision::fp16: return std::make_unique<CudnnExecutor<__half>>(model, options.device);
    case Precision::bf16: return std::make_unique<CudnnExecutor<__nv_bfloat16>>(model, options.device);
    default: return std::make_unique<CudnnExecutor<float>>(model, options.device);
  }
}

}  // namespace xrecon::prior::detail

#else

namespace xrecon::prior::detail {

std::unique_ptr<Executor> make_cudnn_executor(const Model&, const EnhanceOptions&) {
  throw NotCompiled("the cudnn prior backend needs cuDNN, which this CUDA build did not find");
}

}  // namespace xrecon::prior::detail

#endif

namespace xrecon::prior::detail {

bool cudnn_device_present() {
#if XRECON_HAVE_CUDNN
  int count = 0;
  return cudaGetDeviceCount(&count) == cudaSuccess && count > 0;
#else
  return false;
#endif
}

}  // namespace xrecon::prior::detail
