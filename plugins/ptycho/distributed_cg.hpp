#pragma once
// ptycho::reconstruct over the context's devices: positions split into bands, the object and
// probe replicated, gradients and line-search costs summed through the communicator, so every
// rank takes the same steps and the result is the one-device result.
#include <functional>
#include <optional>

#include <xrecon/context.hpp>
#include <xrecon/payload.hpp>
#include <xrecon/ptycho/ptycho.hpp>

namespace xrecon::ptycho_plugin {

struct CgSettings {
  std::size_t iterations = 50;
  ptycho::Likelihood likelihood = ptycho::Likelihood::gaussian;
  bool recover_probe = false;
  std::optional<double> max_amplitude;
};

// The object grid of a scan: as stated, or just large enough for every probe window.
Shape object_shape(const PtychoScan& scan);

// Runs CG from `object` and `probe` (host, hold the result on return). `observe` sees every
// iteration once; every rank stops when the run is cancelled.
ptycho::CgResult reconstruct_on_devices(const PtychoScan& scan, ArrayCF& object, ArrayCF& probe,
                                        const CgSettings& settings, std::optional<ptycho::CgOptions::Proximal> proximal,
                                        Context& context, const std::function<void(const ptycho::CgIteration&)>& observe);

}  // namespace xrecon::ptycho_plugin
