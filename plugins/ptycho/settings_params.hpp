#pragma once
// The parameters the ptycho.cg stage and the ptycho.cg_solver role share.
#include <xrecon/params.hpp>

#include "distributed_cg.hpp"

namespace xrecon::ptycho_plugin {

inline void add_cg_params(ParamSchema& params, bool with_iterations) {
  if (with_iterations) params.integer("iterations", 50, "conjugate-gradient iterations", 1, 100000);
  params.choice("noise", "gaussian", {"gaussian", "poisson"}, "likelihood: gaussian (amplitude) or poisson (counts)")
      .boolean("recover_probe", false, "also refine the probe (an object step, then a probe step, per iteration)")
      .real("max_amplitude", std::nullopt, "constrain |psi| to at most this after every object step", 0.0, 1e6);
}

inline CgSettings cg_settings(const ParamValues& values, std::size_t iterations) {
  return {.iterations = iterations,
          .likelihood = values.string("noise") == "poisson" ? ptycho::Likelihood::poisson : ptycho::Likelihood::gaussian,
          .recover_probe = values.boolean("recover_probe"),
          .max_amplitude = values.optional_real("max_amplitude")};
}

}  // namespace xrecon::ptycho_plugin
