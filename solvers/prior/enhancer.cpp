// Enhancer: normalisation, input checks, tiling with overlap and the residual around a backend.
#include <algorithm>
#include <cmath>
#include <string>

#include "executor.hpp"
#include "normalization.hpp"
#include "shapes.hpp"
#include "xrecon/error.hpp"
#include "xrecon/prior/network.hpp"

namespace xrecon::prior {
namespace {

void require_finite(const ArrayF& a, const std::string& what) {
  const float* p = a.data();
  for (std::size_t k = 0; k < a.size(); ++k)
    if (!std::isfinite(p[k])) {
      std::string where;
      std::size_t rest = k;
      for (std::size_t axis = a.rank(); axis-- > 0;) {
        where = std::to_string(rest % a.extent(axis)) + (where.empty() ? "" : ", ") + where;
        rest /= a.extent(axis);
      }
      throw InputError(what + " has a " + (std::isnan(p[k]) ? "NaN" : "infinite") + " pixel at (" + where + ")");
    }
}

// Tiles of `tile` output pixels along an axis of `extent`, each read with `margin` more on both
// sides where the image has them.
struct Span1 {
  int read_begin, read_end, core_begin, core_end;
};
std::vector<Span1> tiles_along(int extent, int tile, int margin) {
  std::vector<Span1> spans;
  if (tile <= 0 || extent <= tile) return {{0, extent, 0, extent}};
  for (int begin = 0; begin < extent; begin += tile) {
    const int end = std::min(extent, begin + tile);
    spans.push_back({std::max(0, begin - margin), std::min(extent, end + margin), begin, end});
  }
  return spans;
}

}  // namespace

std::string to_string(Backend backend) {
  switch (backend) {
    case Backend::reference: return "reference";
    case Backend::onednn: return "onednn";
    case Backend::cudnn: return "cudnn";
  }
  return "?";
}

bool backend_available(Backend backend) {
  switch (backend) {
    case Backend::reference: return true;
    case Backend::onednn: return detail::onednn_compiled();
    case Backend::cudnn: return detail::cudnn_device_present();
  }
  return false;
}

struct Enhancer::Impl {
  Model model;
  Backend backend;
  EnhanceOptions options;
  std::unique_ptr<detail::Executor> executor;
};

Enhancer::Enhancer(Model model, Backend backend, EnhanceOptions options)
    : impl_(std::make_unique<Impl>(Impl{std::move(model), backend, options, nullptr})) {
  if (options.precision != Precision::fp32 && backend != Backend::cudnn)
    throw InputError("precision fp16/bf16 needs the cudnn backend; " + to_string(backend) + " computes in fp32");
  XRECON_CHECK(options.tile >= 0, "the tile size must be >= 0");
  switch (backend) {
    case Backend::reference: impl_->executor = detail::make_reference_executor(impl_->model); break;
    case Backend::onednn: impl_->executor = detail::make_onednn_executor(impl_->model, options); break;
    case Backend::cudnn: impl_->executor = detail::make_cudnn_executor(impl_->model, options); break;
  }
}
Enhancer::~Enhancer() = default;
Enhancer::Enhancer(Enhancer&&) noexcept = default;
Enhancer& Enhancer::operator=(Enhancer&&) noexcept = default;

const Model& Enhancer::model() const { return impl_->model; }

ArrayF Enhancer::forward(const ArrayF& input) {
  XRECON_CHECK(input.space().is_host(), "prior input must be in host memory");
  if (input.rank() != 3) throw InputError("network input must be (channels, H, W), got " + input.shape().to_string());
  require_finite(input, "the input image");
  return impl_->executor->run(input);
}

ArrayF Enhancer::enhance(const ArrayF& image) {
  const Model& m = impl_->model;
  XRECON_CHECK(image.space().is_host(), "prior input must be in host memory");
  const ArrayF img = image.rank() == 2 ? image.reshaped({1, image.extent(0), image.extent(1)}) : image;
  if (img.rank() != 3 || int(img.extent(0)) != m.input_channels)
    throw InputError("model '" + m.name + "' takes " + std::to_string(m.input_channels) +
                     "-channel images (channels, H, W), got " + image.shape().to_string());
  const int c = int(img.extent(0)), h = int(img.extent(1)), w = int(img.extent(2));
  if (h % m.size_multiple || w % m.size_multiple)
    throw InputError("model '" + m.name + "' takes images whose height and width are multiples of " +
                     std::to_string(m.size_multiple) + ", got " + std::to_string(h) + "x" + std::to_string(w));
  require_finite(img, "the input image");

  const detail::AffineMap map = detail::fit_normalization(m.normalization, img.host_span());
  ArrayF normalised(img.shape());
  for (std::size_t k = 0; k < img.size(); ++k) normalised[k] = map.forward(img[k]);

  const int tile = impl_->options.tile <= 0 ? 0
                                            : (impl_->options.tile + m.size_multiple - 1) / m.size_multiple * m.size_multiple;
  ArrayF out(Shape{std::size_t(h), std::size_t(w)});
  for (const auto& ty : tiles_along(h, tile, m.receptive_margin))
    for (const auto& tx : tiles_along(w, tile, m.receptive_margin)) {
      const int rh = ty.read_end - ty.read_begin, rw = tx.read_end - tx.read_begin;
      ArrayF piece(Shape{std::size_t(c), std::size_t(rh), std::size_t(rw)});
      for (int ch = 0; ch < c; ++ch)
        for (int y = 0; y < rh; ++y)
          std::copy_n(&normalised[(std::size_t(ch) * h + ty.read_begin + y) * w + tx.read_begin], rw,
                      &piece[(std::size_t(ch) * rh + y) * rw]);
      const ArrayF result = impl_->executor->run(piece);
      if (result.extent(0) != 1 || int(result.extent(1)) != rh || int(result.extent(2)) != rw)
        throw InputError("model '" + m.name + "' maps a " + piece.shape().to_string() + " image to " +
                         result.shape().to_string() + "; enhance needs one output channel of the input's size");
      for (int y = ty.core_begin; y < ty.core_end; ++y)
        for (int x = tx.core_begin; x < tx.core_end; ++x)
          out[std::size_t(y) * w + x] = result[std::size_t(y - ty.read_begin) * rw + (x - tx.read_begin)];
    }
  const std::size_t centre = std::size_t(c / 2) * h * w;
  for (std::size_t k = 0; k < out.size(); ++k) {
    const float y = m.residual ? out[k] + normalised[centre + k] : out[k];
    out[k] = map.inverse(y);
  }
  return out;
}

ArrayF Enhancer::enhance_stack(const ArrayF& stack) {
  if (stack.rank() != 3) throw InputError("a slice stack must be (Z, H, W), got " + stack.shape().to_string());
  const std::size_t z = stack.extent(0), h = stack.extent(1), w = stack.extent(2), plane = h * w;
  const int c = impl_->model.input_channels;
  ArrayF out(stack.shape());
  ArrayF image(Shape{std::size_t(c), h, w});
  for (std::size_t s = 0; s < z; ++s) {
    for (int ch = 0; ch < c; ++ch) {
      const long long source = std::clamp<long long>(static_cast<long long>(s) + ch - c / 2, 0, z - 1);
      std::copy_n(&stack[source * plane], plane, &image[ch * plane]);
    }
    try {
      const ArrayF result = enhance(image);
      std::copy_n(result.data(), plane, &out[s * plane]);
    } catch (const InputError& e) {
      throw InputError("slice " + std::to_string(s) + ": " + e.message(), e.where());
    }
  }
  return out;
}

ArrayF forward(const Model& model, const ArrayF& input, Backend backend, const EnhanceOptions& options) {
  return Enhancer(model, backend, options).forward(input);
}
ArrayF enhance(const Model& model, const ArrayF& image, Backend backend, const EnhanceOptions& options) {
  return Enhancer(model, backend, options).enhance(image);
}
ArrayF enhance_stack(const Model& model, const ArrayF& stack, Backend backend, const EnhanceOptions& options) {
  return Enhancer(model, backend, options).enhance_stack(stack);
}

}  // namespace xrecon::prior
