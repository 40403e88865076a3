// One simulated ptychography experiment from its description: object, probe, scan, patterns.
#include <algorithm>

#include "random_bits.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {

PtychoSimulation simulate_ptycho(const PtychoSimSpec& spec) {
  PtychoSimulation result;
  result.probe = spec.probe == ProbeKind::focused ? focused_probe(spec.probe_size, spec.fwhm, spec.defocus)
                                                  : gaussian_probe(spec.probe_size, spec.fwhm);
  if (spec.photons > 0.0) normalize_probe_photons(result.probe, spec.photons);

  const double field = double(spec.object.size > spec.probe_size ? spec.object.size - spec.probe_size : 0);
  result.positions = spec.scan == ScanKind::fermat ? fermat_scan(field, spec.step)
                                                   : raster_scan(field, spec.step, spec.jitter, spec.seed);
  shift_to_margin(result.positions, double(spec.margin));
  result.overlap = linear_overlap(result.positions, spec.probe_size);

  double max_row = 0.0, max_col = 0.0;
  for (std::size_t j = 0; j < result.positions.extent(0); ++j) {
    max_row = std::max(max_row, result.positions[j * 2]);
    max_col = std::max(max_col, result.positions[j * 2 + 1]);
  }
  result.object = embed_in_free_space(make_complex_object(spec.object),
                                      scan_grid_extent(max_row, spec.probe_size, spec.margin),
                                      scan_grid_extent(max_col, spec.probe_size, spec.margin));

  result.patterns = farfield_intensities(result.object, result.probe, result.positions);
  // The noise draws its own stream, so changing the jitter does not change the noise.
  if (spec.photons > 0.0) result.patterns = poisson_counts(result.patterns, detail::mix_bits(spec.seed) + 1);
  return result;
}

}  // namespace xrecon::sim
