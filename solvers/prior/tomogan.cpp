// The TomoGAN generator of ALGORITHMS.md with random weights.
#include <cmath>
#include <cstdio>
#include <random>
#include <string>

#include "xrecon/error.hpp"
#include "xrecon/prior/model.hpp"

namespace xrecon::prior {
namespace {

class Builder {
 public:
  Builder(Model& m, std::uint64_t seed) : m_(m), rng_(seed) {}

  int conv(const std::string& label, int input, int in, int out, int k, Activation act) {
    Layer l = base(label, Op::conv, {input});
    l.in_channels = in;
    l.out_channels = out;
    l.kernel = {k, k};
    l.padding = {k / 2, k / 2};
    l.activation = act;
    fill(l, in * k * k, std::size_t(out) * in * k * k);
    return push(std::move(l));
  }
  int up_conv(const std::string& label, int input, int channels) {
    Layer l = base(label, Op::conv_transpose, {input});
    l.in_channels = l.out_channels = channels;
    l.kernel = {2, 2};
    l.stride = {2, 2};
    fill(l, channels * 4, std::size_t(channels) * channels * 4);
    return push(std::move(l));
  }
  int pool(const std::string& label, int input) {
    Layer l = base(label, Op::max_pool, {input});
    l.kernel = l.stride = {2, 2};
    return push(std::move(l));
  }
  int upsample(const std::string& label, int input, UpsampleMode mode) {
    Layer l = base(label, Op::upsample, {input});
    l.mode = mode;
    return push(std::move(l));
  }
  int concat(const std::string& label, int a, int b) { return push(base(label, Op::concat, {a, b})); }

 private:
  Layer base(const std::string& label, Op op, std::vector<int> inputs) {
    Layer l;
    char prefix[8];
    std::snprintf(prefix, sizeof prefix, "%03d_", int(m_.layers.size()));
    l.label = prefix + label;
    l.op = op;
    l.inputs = std::move(inputs);
    return l;
  }
  // He-uniform weights keep activations of the same order through the ReLU stack.
  void fill(Layer& l, int fan_in, std::size_t count) {
    std::uniform_real_distribution<float> w(-std::sqrt(6.0f / fan_in), std::sqrt(6.0f / fan_in));
    std::uniform_real_distribution<float> b(-0.1f, 0.1f);
    l.weight.resize(count);
    for (float& x : l.weight) x = w(rng_);
    l.bias.resize(l.out_channels);
    for (float& x : l.bias) x = b(rng_);
  }
  int push(Layer l) {
    m_.layers.push_back(std::move(l));
    return int(m_.layers.size()) - 1;
  }
  Model& m_;
  std::mt19937_64 rng_;
};

}  // namespace

Model tomogan_generator(int input_channels, TomoganUpsample upsample, std::uint64_t seed) {
  XRECON_CHECK(input_channels == 1 || input_channels == 3, "TomoGAN takes 1 or 3 input channels");
  Model m;
  m.name = "tomogan-random";
  m.input_channels = input_channels;
  m.size_multiple = 8;
  m.normalization.scale = 255;
  Builder b(m, seed);
  const auto relu = Activation::relu;
  auto up = [&](const std::string& label, int input, int channels) {
    switch (upsample) {
      case TomoganUpsample::nearest: return b.upsample(label, input, UpsampleMode::nearest);
      case TomoganUpsample::bilinear: return b.upsample(label, input, UpsampleMode::bilinear);
      case TomoganUpsample::conv_transpose: return b.up_conv(label, input, channels);
    }
    return -1;
  };
  int x = b.conv("conv0", kGraphInput, input_channels, 8, 1, relu);
  x = b.conv("conv1", x, 8, 32, 3, relu);
  const int s1 = b.conv("conv2", x, 32, 32, 3, relu);
  x = b.pool("pool1", s1);
  x = b.conv("conv3", x, 32, 64, 3, relu);
  const int s2 = b.conv("conv4", x, 64, 64, 3, relu);
  x = b.pool("pool2", s2);
  x = b.conv("conv5", x, 64, 128, 3, relu);
  const int s3 = b.conv("conv6", x, 128, 128, 3, relu);
  x = b.pool("pool3", s3);
  x = b.conv("conv7", x, 128, 128, 3, relu);
  x = b.concat("cat3", s3, up("up3", x, 128));
  x = b.conv("conv8", x, 256, 64, 3, relu);
  x = b.conv("conv9", x, 64, 64, 3, relu);
  x = b.concat("cat2", s2, up("up2", x, 64));
  x = b.conv("conv10", x, 128, 32, 3, relu);
  x = b.conv("conv11", x, 32, 32, 3, relu);
  x = b.concat("cat1", s1, up("up1", x, 32));
  x = b.conv("conv12", x, 64, 32, 3, relu);
  x = b.conv("conv13", x, 32, 32, 3, relu);
  x = b.conv("conv14", x, 32, 16, 1, relu);
  m.output = b.conv("conv15", x, 16, 1, 1, Activation::none);
  finalize_model(m);
  return m;
}

}  // namespace xrecon::prior
