#pragma once
// What the ADMM hosts that split a volume's slices over devices (tomo.admm, joint.admm) share
// beyond the slabs themselves: one Prior per rank prepared for its widened slab, the prior applied
// to a slab with its halo, the penalty scale of the projector, and the vector sums of the loops.
#include <memory>
#include <vector>

#include <xrecon/context.hpp>
#include <xrecon/roles.hpp>
#include <xrecon/slabs.hpp>
#include <xrecon/tomo/projector.hpp>

namespace xrecon::tomo_plugin {

// `slab` of a volume of `total` slices, widened by `halo` slices on each side within the volume.
Slab widened_slab(Slab slab, std::size_t halo, std::size_t total);

// One instance of the prior per rank (ranks run at once), each prepared (model loaded, shape
// checked) for its slab widened by the prior's halo, so that a mismatch stops the run before any
// iteration. `volume` is the whole volume's shape.
std::vector<std::unique_ptr<Prior>> make_slab_priors(Context& context, const ComponentChoice& choice,
                                                     const Shape& volume);

// z = prior(w) on rank `rank`'s slab w, the slab widened by the prior's halo from its neighbours
// (collective: every rank calls it); w itself is left as it was. No prior: w.
ArrayF prior_on_slab(Prior* prior, const ArrayF& w, double strength, int rank, const std::vector<Slab>& slabs,
                     Context& context);

// max_j (A^T A 1)_j for one slice of `geometry`, computed in `space` (about angles x slice width
// for the Joseph pair): the scale the hosts' tomography penalties are relative to.
double normal_operator_scale(const tomo::Geometry& geometry, MemorySpace space);

// ||a - b||^2 wherever the arrays live (0 for empty arrays).
double squared_distance(const ArrayF& a, const ArrayF& b);

// `a` in host memory: itself when it is there, a copy otherwise.
ArrayF on_host(const ArrayF& a);

}  // namespace xrecon::tomo_plugin
