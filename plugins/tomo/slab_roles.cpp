#include "slab_roles.hpp"

#include <algorithm>

#include <xrecon/linalg/array_ops.hpp>

namespace xrecon::tomo_plugin {

Slab widened_slab(Slab slab, std::size_t halo, std::size_t total) {
  return {slab.begin >= halo ? slab.begin - halo : 0, std::min(total, slab.end + halo)};
}

std::vector<std::unique_ptr<Prior>> make_slab_priors(Context& context, const ComponentChoice& choice,
                                                     const Shape& volume) {
  std::vector<std::unique_ptr<Prior>> priors;
  for (const Slab& slab : split_slices(volume[0], context.devices().size())) {
    std::unique_ptr<Prior> prior = context.make<Prior>(choice);
    if (!slab.empty())
      prior->prepare(Shape{widened_slab(slab, prior->halo_slices(), volume[0]).size(), volume[1], volume[2]}, context);
    priors.push_back(std::move(prior));
  }
  return priors;
}

ArrayF prior_on_slab(Prior* prior, const ArrayF& w, double strength, int rank, const std::vector<Slab>& slabs,
                     Context& context) {
  if (prior == nullptr) return w;
  std::size_t before = 0;
  Volume widened;
  widened.data = widen_with_halo(context, rank, slabs, w, prior->halo_slices(), before);
  if (w.extent(0) == 0) return w;  // a rank without slices still joined the halo exchange
  if (widened.data.data() == w.data()) widened.data = w.clone();  // the prior works in place; w stays
  const Shape given = widened.data.shape();
  prior->apply(widened, strength, context);
  XRECON_CHECK(widened.data.shape() == given && widened.data.space() == w.space(),
               "the prior returned a volume of shape " + widened.data.shape().to_string() + " in " +
                   widened.data.space().to_string() + " for one of shape " + given.to_string() + " in " +
                   w.space().to_string());
  return drop_halo(widened.data, before, w.extent(0));
}

double normal_operator_scale(const tomo::Geometry& geometry, MemorySpace space) {
  ArrayF ones(Shape{1, geometry.n, geometry.n});
  std::fill(ones.host_span().begin(), ones.host_span().end(), 1.0f);
  const ArrayF normal = on_host(tomo::backproject(tomo::project(space.is_host() ? ones : ones.to(space), geometry), geometry));
  const double scale = *std::max_element(normal.host_span().begin(), normal.host_span().end());
  XRECON_CHECK(scale > 0, "the projector sees no pixel of the slice: check the geometry");
  return scale;
}

double squared_distance(const ArrayF& a, const ArrayF& b) {
  if (a.size() == 0) return 0;
  ArrayF d = a.clone();
  linalg::axpy(-1.0f, b, d);
  return linalg::squared_norm(d);
}

ArrayF on_host(const ArrayF& a) { return a.space().is_host() ? a : a.to(MemorySpace::host()); }

}  // namespace xrecon::tomo_plugin
