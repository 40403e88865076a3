#pragma once
// Inference of a learned prior (TomoGAN, DnCNN, RED-CNN, U-Nets) on images: the public entry
// points. The model (graph, weights, normalisation) is model.hpp; docs/model-file.md its file.
#include <memory>
#include <string>

#include "xrecon/array.hpp"
#include "xrecon/prior/model.hpp"

namespace xrecon::prior {

// reference: plain loops accumulating in double (the test oracle, slow);
// onednn: oneDNN on the CPU; cudnn: cuDNN on a CUDA device.
enum class Backend { reference, onednn, cudnn };
enum class Precision { fp32, fp16, bf16 };  // fp16/bf16: cudnn only (tensor cores)

struct EnhanceOptions {
  // Output pixels per tile side; images larger than this are cut into tiles that overlap by the
  // model's receptive margin, so the result has no seams. Rounded up to the model's size
  // multiple. 0: never tile.
  int tile = 1024;
  Precision precision = Precision::fp32;
  int device = 0;  // cudnn: the CUDA device index
};

std::string to_string(Backend backend);
// False when this build lacks the backend (no oneDNN, no CUDA); cudnn also needs a device.
bool backend_available(Backend backend);

// A model bound to a backend; keeps the backend's plans (primitives, descriptors, device buffers)
// between calls, so reuse one for many images. Not thread-safe: one per thread.
class Enhancer {
 public:
  Enhancer(Model model, Backend backend, EnhanceOptions options = {});
  ~Enhancer();
  Enhancer(Enhancer&&) noexcept;
  Enhancer& operator=(Enhancer&&) noexcept;

  // The bare network on a host (channels, H, W) input: no normalisation, tiling or residual.
  // Returns (out_channels, H', W').
  ArrayF forward(const ArrayF& input);
  // One image: (input_channels, H, W), or (H, W) for a 1-channel model. Normalised, tiled,
  // run, mapped back; returns (H, W). InputError for NaN/Inf pixels, a wrong channel count or a
  // size that is not a multiple of the model's size_multiple.
  ArrayF enhance(const ArrayF& image);
  // A slice stack (Z, H, W): each slice enhanced, a 3-channel model seeing slices z-1, z, z+1
  // (the edge slices repeated at the ends). Returns (Z, H, W).
  ArrayF enhance_stack(const ArrayF& stack);

  const Model& model() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot conveniences over Enhancer.
ArrayF forward(const Model& model, const ArrayF& input, Backend backend, const EnhanceOptions& options = {});
ArrayF enhance(const Model& model, const ArrayF& image, Backend backend, const EnhanceOptions& options = {});
ArrayF enhance_stack(const Model& model, const ArrayF& stack, Backend backend,
                     const EnhanceOptions& options = {});

}  // namespace xrecon::prior
