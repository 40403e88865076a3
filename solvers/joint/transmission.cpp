// Dispatch of the transmission maps by memory space: the checks once, then the backend
// (transmission_cpu.cpp or transmission_cuda.cu). The side means come to the host on either
// backend: they are checked there, one per image, and go back as the references of the images.
#include "xrecon/joint/transmission.hpp"

#include <cmath>
#include <string>
#include <vector>

#include "transmission_kernels.hpp"
#include "xrecon/error.hpp"

namespace xrecon::joint {
namespace {

struct Images {
  std::size_t count = 0, rows = 0, cols = 0;
};

// An image (rows, cols) is a stack of one.
Images images_of(const ArrayCF& t) {
  XRECON_CHECK((t.rank() == 2 || t.rank() == 3) && t.extent(t.rank() - 2) >= 1 && t.extent(t.rank() - 1) >= 2,
               "a transmission image is (rows, cols), a stack of them (count, rows, cols), at least 1 x 2 each; got " +
                   t.shape().to_string());
  if (t.rank() == 2) return {1, t.extent(0), t.extent(1)};
  return {t.extent(0), t.extent(1), t.extent(2)};
}

}  // namespace

ArrayCF transmission(const ArrayF& phase, const ArrayF& attenuation) {
  XRECON_CHECK(phase.shape() == attenuation.shape(), "phase and attenuation projections differ in shape");
  XRECON_CHECK(phase.space() == attenuation.space(), "phase projections in " + phase.space().to_string() +
                                                         ", attenuation in " + attenuation.space().to_string());
  const MemorySpace space = phase.space();
  ArrayCF h(phase.shape(), space);
  if (space.is_host())
    kernels::cpu::transmission(phase.data(), attenuation.data(), h.data(), h.size());
  else
    kernels::cuda::transmission(space.device, phase.data(), attenuation.data(), h.data(), h.size());
  return h;
}

ArrayF ray_weights(const ArrayF& attenuation) {
  const MemorySpace space = attenuation.space();
  ArrayF weights(attenuation.shape(), space);
  if (space.is_host())
    kernels::cpu::ray_weights(attenuation.data(), weights.data(), weights.size());
  else
    kernels::cuda::ray_weights(space.device, attenuation.data(), weights.data(), weights.size());
  return weights;
}

LinearisedLog linearised_log(const ArrayCF& t) {
  const Images images = images_of(t);
  const MemorySpace space = t.space();
  std::vector<detail::SideMean> means(images.count);
  if (space.is_host())
    kernels::cpu::side_means(t.data(), images.count, images.rows, images.cols, means.data());
  else
    kernels::cuda::side_means(space.device, t.data(), images.count, images.rows, images.cols, means.data());
  std::vector<detail::SideReference> references;
  for (std::size_t k = 0; k < images.count; ++k) {
    references.push_back(detail::side_reference(means[k]));
    const double amplitude = references.back().amplitude;
    XRECON_CHECK(amplitude > 0 && std::isfinite(amplitude),
                 "the transmission estimate has no amplitude at its sides" +
                     (t.rank() == 3 ? " in image " + std::to_string(k) : std::string()) + " (air expected there)");
  }
  LinearisedLog out{ArrayF(t.shape(), space), ArrayF(t.shape(), space)};
  const std::size_t frame = images.rows * images.cols;
  if (space.is_host())
    kernels::cpu::linearised_log(t.data(), references.data(), images.count, frame, out.phase.data(),
                                 out.attenuation.data());
  else
    kernels::cuda::linearised_log(space.device, t.data(), references.data(), images.count, frame, out.phase.data(),
                                  out.attenuation.data());
  return out;
}

}  // namespace xrecon::joint
