// load_model: the model file of docs/model-file.md into a Model.
#include <map>
#include <string>

#include "hdf5_reader.hpp"
#include "xrecon/error.hpp"
#include "xrecon/prior/model.hpp"

namespace xrecon::prior {
namespace {

using detail::H5Object;

const std::map<std::string, Op>& op_names() {
  static const std::map<std::string, Op> names{
      {"conv", Op::conv},       {"conv_transpose", Op::conv_transpose}, {"batch_norm", Op::batch_norm},
      {"max_pool", Op::max_pool}, {"upsample", Op::upsample},         {"concat", Op::concat},
      {"add", Op::add},         {"sub", Op::sub},                       {"relu", Op::relu},
      {"leaky_relu", Op::leaky_relu}, {"sigmoid", Op::sigmoid},         {"tanh", Op::tanh}};
  return names;
}

std::array<int, 2> pair_attribute(const H5Object& g, const std::string& name, std::array<int, 2> fallback,
                                  bool required, int minimum) {
  if (!g.has_attribute(name)) {
    if (required) g.fail("missing attribute '" + name + "'");
    return fallback;
  }
  const auto v = g.ints_attribute(name, 2);
  for (long long x : v)
    if (x < minimum) g.fail("attribute '" + name + "' must be >= " + std::to_string(minimum));
  return {int(v[0]), int(v[1])};
}

std::vector<float> tensor(const H5Object& g, const std::string& name, const std::vector<std::size_t>& expected) {
  std::vector<std::size_t> extents;
  std::vector<float> values = g.floats_dataset(name, extents);
  if (extents != expected) {
    auto text = [](const std::vector<std::size_t>& e) {
      std::string s = "(";
      for (std::size_t i = 0; i < e.size(); ++i) s += (i ? ", " : "") + std::to_string(e[i]);
      return s + ")";
    };
    g.fail("tensor '" + name + "' has shape " + text(extents) + ", expected " + text(expected));
  }
  return values;
}

// Conv weights fix the channel counts; the bias must agree.
void read_conv(const H5Object& g, Layer& layer) {
  const bool transpose = layer.op == Op::conv_transpose;
  std::vector<std::size_t> extents;
  layer.weight = g.floats_dataset("weight", extents);
  if (extents.size() != 4)
    g.fail("tensor 'weight' should have 4 dimensions (" + std::string(transpose ? "in, out" : "out, in") +
           ", kh, kw), has " + std::to_string(extents.size()));
  layer.out_channels = int(transpose ? extents[1] : extents[0]);
  layer.in_channels = int(transpose ? extents[0] : extents[1]);
  layer.kernel = {int(extents[2]), int(extents[3])};
  layer.stride = pair_attribute(g, "stride", {1, 1}, true, 1);
  layer.padding = pair_attribute(g, "padding", {0, 0}, true, 0);
  layer.dilation = pair_attribute(g, "dilation", {1, 1}, false, 1);
  if (transpose) layer.output_padding = pair_attribute(g, "output_padding", {0, 0}, false, 0);
  layer.bias = g.has_child("bias") ? tensor(g, "bias", {std::size_t(layer.out_channels)})
                                   : std::vector<float>(layer.out_channels, 0.0f);
}

void read_batch_norm(const H5Object& g, Layer& layer) {
  std::vector<std::size_t> extents;
  const auto gamma = g.floats_dataset("gamma", extents);
  if (extents.size() != 1) g.fail("tensor 'gamma' should have 1 dimension (channels)");
  const std::size_t c = extents[0];
  const auto beta = tensor(g, "beta", {c});
  const auto mean = tensor(g, "mean", {c});
  const auto variance = tensor(g, "variance", {c});
  if (const int bad = set_batch_norm(layer, gamma, beta, mean, variance, g.real_attribute("epsilon")); bad >= 0)
    g.fail("tensor 'variance' has a value <= -epsilon at channel " + std::to_string(bad));
}

void read_upsample(const H5Object& g, Layer& layer) {
  layer.scale = pair_attribute(g, "scale", {2, 2}, true, 1);
  const std::string mode = g.string_attribute("mode");
  if (mode == "nearest") layer.mode = UpsampleMode::nearest;
  else if (mode == "bilinear") layer.mode = UpsampleMode::bilinear;
  else g.fail("attribute 'mode' is '" + mode + "', expected 'nearest' or 'bilinear'");
  if (layer.mode == UpsampleMode::bilinear) {
    const long long ac = g.int_attribute("align_corners");
    if (ac != 0 && ac != 1) g.fail("attribute 'align_corners' must be 0 or 1");
    layer.align_corners = ac == 1;
  }
}

Layer read_layer(const H5Object& g, const std::map<std::string, int>& earlier) {
  Layer layer;
  layer.label = g.path().substr(g.path().rfind('/') + 1);
  const std::string op = g.string_attribute("op");
  const auto it = op_names().find(op);
  if (it == op_names().end()) g.fail("unknown op '" + op + "'");
  layer.op = it->second;
  for (const std::string& name : g.strings_attribute("inputs")) {
    if (name == "input") {
      layer.inputs.push_back(kGraphInput);
      continue;
    }
    const auto found = earlier.find(name);
    if (found == earlier.end()) g.fail("input '" + name + "' is neither 'input' nor an earlier layer");
    layer.inputs.push_back(found->second);
  }
  const std::size_t n = layer.inputs.size();
  const bool many = layer.op == Op::concat, two = layer.op == Op::add || layer.op == Op::sub;
  if ((many && n < 2) || (two && n != 2) || (!many && !two && n != 1))
    g.fail("op '" + op + "' takes " + (many ? "2 or more inputs" : two ? "2 inputs" : "1 input") + ", got " +
           std::to_string(n));
  switch (layer.op) {
    case Op::conv:
    case Op::conv_transpose: read_conv(g, layer); break;
    case Op::batch_norm: read_batch_norm(g, layer); break;
    case Op::max_pool:
      layer.kernel = pair_attribute(g, "kernel", {2, 2}, true, 1);
      layer.stride = pair_attribute(g, "stride", layer.kernel, false, 1);
      layer.padding = pair_attribute(g, "padding", {0, 0}, false, 0);
      break;
    case Op::upsample: read_upsample(g, layer); break;
    case Op::leaky_relu: layer.slope = float(g.real_attribute("slope")); break;
    default: break;
  }
  return layer;
}

void read_normalization(const H5Object& root, Normalization& n) {
  if (!root.has_child("normalization")) return;
  const H5Object g = root.open_group("normalization");
  const std::string mode = g.string_attribute("mode");
  if (mode == "fixed") {
    n.mode = Normalization::Mode::fixed;
    n.lo = g.real_attribute("lo");
    n.hi = g.real_attribute("hi");
    if (!(n.hi > n.lo)) g.fail("attribute 'hi' must be greater than 'lo'");
  } else if (mode == "percentile") {
    n.mode = Normalization::Mode::percentile;
    n.low_percentile = g.real_attribute("low_percentile");
    n.high_percentile = g.real_attribute("high_percentile");
    if (!(0 <= n.low_percentile && n.low_percentile < n.high_percentile && n.high_percentile <= 100))
      g.fail("percentiles must satisfy 0 <= low_percentile < high_percentile <= 100");
  } else {
    g.fail("attribute 'mode' is '" + mode + "', expected 'fixed' or 'percentile'");
  }
  n.scale = g.has_attribute("scale") ? g.real_attribute("scale") : 1.0;
  n.offset = g.has_attribute("offset") ? g.real_attribute("offset") : 0.0;
  if (n.scale == 0) g.fail("attribute 'scale' must not be 0");
}

}  // namespace

Model load_model(const std::filesystem::path& path) {
  if (path.extension() == ".onnx") return load_onnx_model(path);
  const H5Object root = H5Object::open_file(path);
  Model model;
  model.source = path.string();
  if (const std::string format = root.string_attribute("format"); format != "xrecon-model")
    root.fail("attribute 'format' is '" + format + "', expected 'xrecon-model'");
  if (const long long version = root.int_attribute("format_version"); version != 1)
    root.fail("format_version " + std::to_string(version) + " is not supported (this build reads 1)");
  model.name = root.has_attribute("name") ? root.string_attribute("name") : path.stem().string();
  model.input_channels = int(root.int_attribute("input_channels"));
  if (model.input_channels < 1) root.fail("input_channels must be >= 1");
  model.size_multiple = root.has_attribute("size_multiple") ? int(root.int_attribute("size_multiple")) : 1;
  model.receptive_margin = root.has_attribute("receptive_margin") ? int(root.int_attribute("receptive_margin")) : 0;
  model.residual = root.has_attribute("residual") && root.int_attribute("residual") != 0;
  if (model.size_multiple < 1 || model.receptive_margin < 0)
    root.fail("size_multiple must be >= 1 and receptive_margin >= 0");
  read_normalization(root, model.normalization);

  const H5Object layers = root.open_group("layers");
  std::map<std::string, int> index_of;
  for (const std::string& name : layers.children()) {
    const auto underscore = name.find('_');
    if (underscore == std::string::npos || underscore == 0 || underscore + 1 == name.size())
      layers.fail("layer '" + name + "' is not named NNN_label");
    const H5Object g = layers.open_group(name);
    model.layers.push_back(read_layer(g, index_of));
    index_of[name.substr(underscore + 1)] = int(model.layers.size()) - 1;
  }
  if (model.layers.empty()) layers.fail("no layers");
  const std::string output = root.string_attribute("output");
  const auto out = index_of.find(output);
  if (out == index_of.end()) root.fail("attribute 'output' names '" + output + "', which is no layer");
  model.output = out->second;
  finalize_model(model);
  return model;
}

}  // namespace xrecon::prior
