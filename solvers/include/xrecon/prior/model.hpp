#pragma once
// A learned prior as a layer graph with its weights and input normalisation: what a model file
// (docs/model-file.md) holds once loaded. Backends (network.hpp) run it.
#include <array>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

namespace xrecon::prior {

enum class Op {
  conv, conv_transpose, batch_norm, max_pool, upsample, concat, add, sub,
  relu, leaky_relu, sigmoid, tanh,
};

// An activation applied to a conv's output in the same step (folded in at load time).
enum class Activation { none, relu, leaky_relu, sigmoid, tanh };

enum class UpsampleMode { nearest, bilinear };

// Index of a layer's input: kGraphInput for the network input, else an earlier layer's index.
inline constexpr int kGraphInput = -1;

struct Layer {
  std::string label;               // the file's subgroup name without the index ("conv1")
  Op op = Op::relu;
  std::vector<int> inputs;         // kGraphInput or indices of earlier layers
  // conv, conv_transpose, max_pool: (height, width) pairs.
  std::array<int, 2> kernel{1, 1};
  std::array<int, 2> stride{1, 1};
  std::array<int, 2> padding{0, 0};
  std::array<int, 2> dilation{1, 1};
  std::array<int, 2> output_padding{0, 0};
  // conv: weight (out, in, kh, kw); conv_transpose: weight (in, out, kh, kw); bias (out).
  std::vector<float> weight;
  std::vector<float> bias;
  int in_channels = 0;
  int out_channels = 0;
  Activation activation = Activation::none;  // conv / conv_transpose: fused activation
  float slope = 0.01f;                       // leaky_relu (as a layer or fused)
  // batch_norm (only when it could not be folded into a conv): per-channel y = x * scale + shift.
  std::vector<float> bn_scale;
  std::vector<float> bn_shift;
  // upsample
  std::array<int, 2> scale{2, 2};
  UpsampleMode mode = UpsampleMode::nearest;
  bool align_corners = false;
};

struct Normalization {
  enum class Mode { fixed, percentile };
  Mode mode = Mode::fixed;
  double lo = 0, hi = 1;                               // fixed
  double low_percentile = 0, high_percentile = 100;    // percentile, in percent
  double scale = 1, offset = 0;
};

struct Model {
  std::string name;
  std::string source;               // the file it came from ("" when built in memory), for messages
  int input_channels = 1;           // 1, or 3 (slices z-1, z, z+1)
  int size_multiple = 1;            // image height and width must be multiples of this
  int receptive_margin = 0;         // overlap of tiles, in pixels (at least the graph's own margin)
  bool residual = false;            // output = centre input channel + network(input)
  Normalization normalization;
  std::vector<Layer> layers;        // batch norms folded, activations fused, in evaluation order
  int output = 0;                   // index of the output layer

  // "FILE: layer NNN_label" (or "layer NNN_label" for an in-memory model), for messages.
  std::string layer_name(int index) const;
  std::size_t parameter_count() const;
};

// Reads a model file (docs/model-file.md); a path ending in .onnx goes to load_onnx_model.
// InputError naming the file, the layer and the tensor or attribute for anything missing,
// mis-shaped or unknown.
Model load_model(const std::filesystem::path& path);

// Imports an ONNX model of the same op set (docs/model-file.md, "ONNX import"): input channels,
// normalisation and tiling hints from its xrecon.* metadata_props. InputError naming the file,
// the node and its op type for anything the model cannot hold; NotCompiled in a build without
// libonnx.
Model load_onnx_model(const std::filesystem::path& path);

// Folds batch norms into the conv before them, fuses activations into convs and computes the
// receptive margin; load_model calls it, and so must code that builds a Model by hand.
void finalize_model(Model& model);

// Makes `layer` a batch_norm (y = x * scale + shift per channel) from PyTorch's parameters, all of
// one length. Returns the first channel whose variance + epsilon <= 0, or -1 when there is none.
int set_batch_norm(Layer& layer, std::span<const float> gamma, std::span<const float> beta,
                   std::span<const float> mean, std::span<const float> variance, double epsilon);

// The TomoGAN generator of ALGORITHMS.md with random (He-uniform) weights, deterministic in `seed`.
// Normalisation fixed [0, 1] -> [0, 255] as TomoGAN's. For tests and benchmarks.
enum class TomoganUpsample { nearest, bilinear, conv_transpose };
Model tomogan_generator(int input_channels, TomoganUpsample upsample, std::uint64_t seed);

}  // namespace xrecon::prior
