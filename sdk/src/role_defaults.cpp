// Default behaviour of the solver roles (roles.hpp), shared by every plugin that does not
// override it.
#include "xrecon/roles.hpp"

namespace xrecon {

std::optional<double> TomoSolver::solve_slab(int, const Projections& b, Volume& x, int iterations,
                                             std::optional<Proximal> proximal, Context& context) {
  if (b.data.empty() || b.num_rows() == 0) return std::nullopt;
  const MemorySpace space = x.data.space();
  const auto on_host = [](const ArrayF& a) { return a.space().is_host() ? a : a.to(MemorySpace::host()); };
  Projections host_b = b;
  host_b.data = on_host(b.data);
  if (!b.weights.empty()) host_b.weights = on_host(b.weights);
  Volume host_x = x;
  host_x.data = on_host(x.data).clone();
  Volume host_v;
  if (proximal) {
    host_v = *proximal->v;
    host_v.data = on_host(proximal->v->data);
    proximal->v = &host_v;
  }
  solve(host_b, host_x, iterations, proximal, context);
  x.data = space.is_host() ? host_x.data : host_x.data.to(space);
  return std::nullopt;
}

}  // namespace xrecon
