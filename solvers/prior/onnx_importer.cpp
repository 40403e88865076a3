// load_onnx_model: an ONNX graph of the model file's op set (docs/model-file.md, "ONNX import")
// into a Model, node by node; finalize_model then folds batch norms and fuses activations as it
// does for the HDF5 format.
#include "xrecon/error.hpp"
#include "xrecon/prior/model.hpp"

#if XRECON_HAVE_ONNX
#include <cmath>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "onnx_metadata.hpp"
#include "onnx_proto.hpp"

namespace xrecon::prior {
namespace {

using detail::OnnxNode;
using detail::OnnxTensor;

// The largest Resize/Upsample factor taken: networks upsample by 2 (or 4); a factor from a file
// beyond this is damage, and beyond int its conversion would be undefined.
constexpr int kMaxUpsampleFactor = 64;

constexpr const char* kSupported =
    "Conv, ConvTranspose, BatchNormalization, MaxPool, Resize, Upsample, Concat, Add, Sub, Relu, "
    "LeakyRelu, Sigmoid, Tanh, Constant, Identity";

struct Builder {
  std::string file;
  Model model;
  std::map<std::string, const onnx::TensorProto*> constants;  // initializers and Constant outputs
  std::map<std::string, int> values;                           // value name -> layer or kGraphInput

  int layer_input(const OnnxNode& node, int k) const {
    const std::string name = node.input(k);
    const auto it = values.find(name);
    if (it != values.end()) return it->second;
    if (constants.count(name))
      node.fail("input " + std::to_string(k) + " ('" + name + "') is a constant; this op takes only computed values");
    node.fail("input " + std::to_string(k) + " ('" + name + "') is computed by no earlier node");
  }

  OnnxTensor constant(const OnnxNode& node, int k, const std::string& role) const {
    const std::string name = node.input(k);
    const auto it = constants.find(name);
    if (it == constants.end())
      node.fail("input " + std::to_string(k) + " (" + role + ", '" + name +
                "') must be an initializer or a Constant node's output");
    return detail::read_onnx_tensor(*it->second, "node '" + node.label() + "' (" + node.type() + "): " + role,
                                    file);
  }
};

// ONNX gives per-axis lists; the model holds (height, width) pairs.
std::array<int, 2> pair(const OnnxNode& node, const std::string& name, std::array<int, 2> fallback, int minimum) {
  const auto v = node.ints(name, {fallback[0], fallback[1]});
  if (v.size() != 2)
    node.fail("attribute '" + name + "' should have 2 values (2-D images), has " + std::to_string(v.size()));
  for (auto x : v)
    if (x < minimum) node.fail("attribute '" + name + "' must be >= " + std::to_string(minimum));
  return {int(v[0]), int(v[1])};
}

// ONNX pads are (top, left, bottom, right); the model pads both sides of an axis alike.
std::array<int, 2> symmetric_pads(const OnnxNode& node) {
  if (const std::string a = node.text("auto_pad", "NOTSET"); a != "NOTSET")
    node.fail("auto_pad '" + a + "' is not supported; export with explicit pads");
  const auto p = node.ints("pads", {0, 0, 0, 0});
  if (p.size() != 4) node.fail("attribute 'pads' should have 4 values, has " + std::to_string(p.size()));
  if (p[0] != p[2] || p[1] != p[3] || p[0] < 0 || p[1] < 0)
    node.fail("pads (" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + ", " + std::to_string(p[2]) + ", " +
              std::to_string(p[3]) + ") are not the same on both sides of each axis, which is all xrecon runs");
  return {int(p[0]), int(p[1])};
}

void read_conv(const Builder& b, const OnnxNode& node, Layer& layer) {
  const bool transpose = layer.op == Op::conv_transpose;
  if (node.integer("group", 1) != 1)
    node.fail("group " + std::to_string(node.integer("group", 1)) + " is not supported (only 1)");
  if (transpose && node.has("output_shape"))
    node.fail("attribute 'output_shape' is not supported; use pads and output_padding");
  OnnxTensor w = b.constant(node, 1, "weight");
  if (w.dims.size() != 4) node.fail("weight should have 4 dimensions, has " + std::to_string(w.dims.size()));
  layer.out_channels = int(transpose ? w.dims[1] : w.dims[0]);
  layer.in_channels = int(transpose ? w.dims[0] : w.dims[1]);
  layer.kernel = {int(w.dims[2]), int(w.dims[3])};
  if (pair(node, "kernel_shape", layer.kernel, 1) != layer.kernel) node.fail("kernel_shape differs from the weight's");
  layer.stride = pair(node, "strides", {1, 1}, 1);
  layer.dilation = pair(node, "dilations", {1, 1}, 1);
  layer.padding = symmetric_pads(node);
  if (transpose) layer.output_padding = pair(node, "output_padding", {0, 0}, 0);
  layer.weight = std::move(w.values);
  if (node.input(2).empty()) {
    layer.bias.assign(layer.out_channels, 0.0f);
    return;
  }
  OnnxTensor bias = b.constant(node, 2, "bias");
  if (bias.values.size() != std::size_t(layer.out_channels))
    node.fail("bias has " + std::to_string(bias.values.size()) + " values for " + std::to_string(layer.out_channels) +
              " output channels");
  layer.bias = std::move(bias.values);
}

void read_batch_norm(const Builder& b, const OnnxNode& node, Layer& layer) {
  if (node.integer("training_mode", 0) != 0)
    node.fail("training_mode 1 is not supported (export the model in eval mode)");
  const OnnxTensor gamma = b.constant(node, 1, "scale"), beta = b.constant(node, 2, "B"),
                   mean = b.constant(node, 3, "mean"), variance = b.constant(node, 4, "var");
  const std::size_t c = gamma.values.size();
  for (const OnnxTensor* t : {&beta, &mean, &variance})
    if (t->values.size() != c) node.fail("scale, B, mean and var should have one value per channel each");
  const int bad = set_batch_norm(layer, gamma.values, beta.values, mean.values, variance.values,
                                 node.real("epsilon", 1e-5f));
  if (bad >= 0) node.fail("var + epsilon <= 0 at channel " + std::to_string(bad));
}

void read_max_pool(const OnnxNode& node, Layer& layer) {
  if (node.integer("ceil_mode", 0) != 0) node.fail("ceil_mode 1 is not supported");
  if (pair(node, "dilations", {1, 1}, 1) != std::array<int, 2>{1, 1})
    node.fail("dilations other than 1 are not supported");
  if (!node.has("kernel_shape")) node.fail("missing attribute 'kernel_shape'");
  layer.kernel = pair(node, "kernel_shape", {1, 1}, 1);
  layer.stride = pair(node, "strides", {1, 1}, 1);  // ONNX's default, not the kernel as in PyTorch
  layer.padding = symmetric_pads(node);
}

// Resize (opsets 10, 11+) and the older Upsample, integer scales only. Nearest is PyTorch's
// (floor(i / scale)): asymmetric with floor, or the half-pixel modes, which give the same for
// integer scales; linear maps align_corners to align_corners and the half-pixel modes to
// PyTorch's align_corners=False. Upsample and opset 10's Resize (X, scales) are asymmetric with
// floor and have no attributes to say otherwise.
void read_resize(const Builder& b, const OnnxNode& node, Layer& layer) {
  const bool modern = node.type() == "Resize" && node.proto().input_size() > 2;  // X, roi, scales[, sizes]
  const int scales_input = modern ? 2 : 1;
  if (modern && !node.input(3).empty())
    node.fail("Resize by 'sizes' is not supported; export with a scale factor (F.interpolate(scale_factor=...))");
  std::vector<float> scales;
  if (!node.input(scales_input).empty()) scales = b.constant(node, scales_input, "scales").values;
  else scales = node.reals("scales");  // Upsample before opset 9
  if (scales.size() != 4 || scales[0] != 1 || scales[1] != 1)
    node.fail("scales should be 4 values (1, 1, height scale, width scale)");
  for (int a = 0; a < 2; ++a) {
    const float s = scales[2 + a];
    // NaN and factors beyond int (undefined to convert) fail here too.
    if (!(s >= 1 && s <= float(kMaxUpsampleFactor)) || s != std::floor(s))
      node.fail("scale " + std::to_string(s) + " is not a whole number from 1 to " + std::to_string(kMaxUpsampleFactor));
    layer.scale[a] = int(s);
  }
  const std::string mode = node.text("mode", "nearest");
  const std::string coordinates = modern ? node.text("coordinate_transformation_mode", "half_pixel") : "asymmetric";
  const bool half_pixel = coordinates == "half_pixel" || coordinates == "pytorch_half_pixel";
  if (mode == "nearest") {
    layer.mode = UpsampleMode::nearest;
    const bool floor = !modern || node.text("nearest_mode", "round_prefer_floor") == "floor";
    if (!half_pixel && !(coordinates == "asymmetric" && floor))
      node.fail("nearest with coordinate_transformation_mode '" + coordinates +
                "' is not supported (asymmetric with nearest_mode floor, half_pixel or pytorch_half_pixel are)");
  } else if (mode == "linear" || mode == "bilinear") {
    layer.mode = UpsampleMode::bilinear;
    layer.align_corners = coordinates == "align_corners";
    if (!half_pixel && !layer.align_corners)
      node.fail("linear with coordinate_transformation_mode '" + coordinates +
                "' is not supported (align_corners, half_pixel or pytorch_half_pixel are)");
  } else {
    node.fail("mode '" + mode + "' is not supported (nearest or linear are)");
  }
}

const std::map<std::string, Op>& op_of_type() {
  static const std::map<std::string, Op> ops{
      {"Conv", Op::conv},         {"ConvTranspose", Op::conv_transpose}, {"BatchNormalization", Op::batch_norm},
      {"MaxPool", Op::max_pool},  {"Resize", Op::upsample},             {"Upsample", Op::upsample},
      {"Concat", Op::concat},     {"Add", Op::add},                     {"Sub", Op::sub},
      {"Relu", Op::relu},         {"LeakyRelu", Op::leaky_relu},        {"Sigmoid", Op::sigmoid},
      {"Tanh", Op::tanh}};
  return ops;
}

// Adds the node's layer, or for Constant and Identity (and a one-input Concat) only records
// what its output stands for.
void add_node(Builder& b, const OnnxNode& node) {
  const onnx::NodeProto& proto = node.proto();
  if (proto.output_size() != 1) node.fail("has " + std::to_string(proto.output_size()) + " outputs, expected 1");
  if (!proto.domain().empty() && proto.domain() != "ai.onnx")
    node.fail("domain '" + proto.domain() + "' is not the standard ONNX op set");
  const std::string& out = proto.output(0);
  if (node.type() == "Constant") {
    b.constants[out] = &node.tensor("value");
    return;
  }
  if (node.type() == "Identity" || (node.type() == "Concat" && proto.input_size() == 1)) {
    // PyTorch's export puts Identity on shared weights as well as on values.
    if (const auto c = b.constants.find(node.input(0)); c != b.constants.end()) b.constants[out] = c->second;
    else b.values[out] = b.layer_input(node, 0);
    return;
  }
  const auto op = op_of_type().find(node.type());
  if (op == op_of_type().end())
    node.fail("op type '" + node.type() + "' is not supported; the importer reads " + kSupported);
  Layer layer;
  layer.label = node.label();
  layer.op = op->second;
  switch (layer.op) {
    case Op::conv:
    case Op::conv_transpose: read_conv(b, node, layer); break;
    case Op::batch_norm: read_batch_norm(b, node, layer); break;
    case Op::max_pool: read_max_pool(node, layer); break;
    case Op::upsample: read_resize(b, node, layer); break;
    case Op::leaky_relu: layer.slope = node.real("alpha", 0.01f); break;
    case Op::concat:
      if (const auto axis = node.integer("axis", 0); axis != 1 && axis != -3)
        node.fail("axis " + std::to_string(axis) + " is not supported (only the channel axis, 1)");
      break;
    default: break;
  }
  // Weights and parameters are constants; only the data inputs are layers.
  const bool many = layer.op == Op::concat, two = layer.op == Op::add || layer.op == Op::sub;
  const int data_inputs = many ? proto.input_size() : two ? 2 : 1;
  if (proto.input_size() < data_inputs)
    node.fail("has " + std::to_string(proto.input_size()) + " inputs, expected " + std::to_string(data_inputs));
  for (int k = 0; k < data_inputs; ++k) layer.inputs.push_back(b.layer_input(node, k));
  b.model.layers.push_back(std::move(layer));
  b.values[out] = int(b.model.layers.size()) - 1;
}

// The graph's one data input (initializers may be listed as inputs too) and its channel count,
// 0 when its shape does not say.
std::string graph_input(const Builder& b, const onnx::GraphProto& graph, int& channels) {
  const onnx::ValueInfoProto* input = nullptr;
  for (const onnx::ValueInfoProto& v : graph.input()) {
    if (b.constants.count(v.name())) continue;
    if (input)
      throw InputError("the graph has more than one input ('" + input->name() + "', '" + v.name() + "')", b.file);
    input = &v;
  }
  if (!input) throw InputError("the graph has no input", b.file);
  channels = 0;
  if (input->type().has_tensor_type() && input->type().tensor_type().has_shape()) {
    const auto& shape = input->type().tensor_type().shape();
    if (shape.dim_size() != 4)
      throw InputError("the graph input '" + input->name() + "' has " + std::to_string(shape.dim_size()) +
                       " dimensions, expected 4 (batch, channels, height, width)", b.file);
    if (shape.dim(1).has_dim_value()) channels = int(shape.dim(1).dim_value());
  }
  return input->name();
}

}  // namespace

Model load_onnx_model(const std::filesystem::path& path) {
  const onnx::ModelProto proto = detail::read_onnx_file(path);
  const onnx::GraphProto& graph = proto.graph();
  Builder b;
  b.file = path.string();
  b.model.source = b.file;
  b.model.name = path.stem().string();
  for (const onnx::TensorProto& t : graph.initializer()) b.constants[t.name()] = &t;
  int channels = 0;
  b.values[graph_input(b, graph, channels)] = kGraphInput;
  if (!detail::apply_onnx_metadata(proto, b.model, b.file)) {
    if (channels < 1)
      throw InputError("the input's channel count is unknown: the graph input has no fixed channel dimension "
                       "and metadata_props has no xrecon.input_channels", b.file);
    b.model.input_channels = channels;
  }
  for (int i = 0; i < graph.node_size(); ++i) add_node(b, OnnxNode(graph.node(i), i, b.file));
  if (graph.output_size() != 1)
    throw InputError("the graph has " + std::to_string(graph.output_size()) + " outputs, expected 1", b.file);
  const auto out = b.values.find(graph.output(0).name());
  if (out == b.values.end() || out->second == kGraphInput)
    throw InputError("the graph output '" + graph.output(0).name() + "' is computed by no node", b.file);
  if (b.model.layers.empty()) throw InputError("the graph has no layers", b.file);
  b.model.output = out->second;
  finalize_model(b.model);
  return std::move(b.model);
}

}  // namespace xrecon::prior

#else

namespace xrecon::prior {

Model load_onnx_model(const std::filesystem::path& path) {
  throw NotCompiled("reading ONNX models needs a build with ONNX (Debian libonnx-dev and libprotobuf-dev)",
                    path.string());
}

}  // namespace xrecon::prior

#endif
