#pragma once
// Simulated far-field ptychography: a complex test object, a probe, scan positions and the
// diffraction patterns they give, so ptychography solvers and CXI files can be tested without
// beamtime. Conventions are those of xrecon::PtychoScan (payload.hpp): positions are the
// (row, col) of the probe window's top-left corner in object pixels, patterns have their zero
// frequency at index (H/2, W/2).
#include <cstddef>
#include <cstdint>

#include "xrecon/array.hpp"

namespace xrecon::sim {

enum class ComplexPhantom { shepp_logan, siemens_star };

// psi = amplitude * exp(i * phase), (size, size). Shepp-Logan: amplitude 1 - absorption * SL,
// phase phase_shift * SL (SL in [0, 1]); Siemens star: `spokes` dark/bright sector pairs inside
// the unit disc, amplitude 1 - absorption and phase phase_shift on the bright sectors.
struct ComplexObjectSpec {
  ComplexPhantom phantom = ComplexPhantom::shepp_logan;
  std::size_t size = 128;
  double absorption = 0.5;   // a: fraction of the amplitude the densest part absorbs
  double phase_shift = 1.0;  // b: radians of phase at the densest part
  int spokes = 18;
};
ArrayCF make_complex_object(const ComplexObjectSpec& spec);

// (n, n) Gaussian probe, flat phase, peak amplitude 1, centred at (n/2, n/2); `fwhm` is
// the full width at half maximum of its intensity |P|^2, in pixels.
ArrayCF gaussian_probe(std::size_t n, double fwhm);

// (n, n) probe of a lens: a circular pupil whose diameter makes the in-focus intensity spot
// `fwhm` pixels wide (Airy: fwhm = 1.029 n / D), times exp(i * defocus * rho^2) with rho the
// pupil radius normalised to 1 (defocus in radians at the pupil edge), inverse-FFT'd to the
// sample plane and centred at (n/2, n/2). Peak amplitude of the in-focus probe is 1.
ArrayCF focused_probe(std::size_t n, double fwhm, double defocus);

// Scales `probe` in place so that sum |P|^2 = photons (incident photons per exposure).
void normalize_probe_photons(ArrayCF& probe, double photons);

// Raster scan over a square field `field` x `field` pixels (window corners): positions
// k * step along each axis for k = 0..floor(field / step), row-major, each moved by a uniform
// draw in [-jitter, jitter] per axis from `seed` (no draws when jitter is 0). (N, 2) (row, col).
ArrayD raster_scan(double field, double step, double jitter, std::uint64_t seed);

// Fermat spiral (Huang et al. 2014): point k at radius c sqrt(k) and angle k * golden angle,
// c = step / sqrt(pi) so that each point owns step^2 of area as in a raster of that step; the
// points that fall inside the field's square, centred on it. (N, 2) (row, col).
ArrayD fermat_scan(double field, double step);

// Moves positions so that their smallest row and smallest column are both `margin`.
void shift_to_margin(ArrayD& positions, double margin);

// The largest position (object pixels along an axis) a scan may have: a grid of 2^24 x 2^24
// complex pixels would not fit in any memory. Beyond it scan_grid_extent throws InputError.
inline constexpr std::size_t kMaxScanGridExtent = std::size_t(1) << 24;
// Object grid extent along one axis just large enough for every window (bilinear cropping reads
// one pixel past floor(position) + window - 1) plus `margin` pixels after the last window.
std::size_t scan_grid_extent(double max_position, std::size_t window, std::size_t margin);

// Fraction of the probe-sized area that nearest scan neighbours share, 1 - d / window with d the
// mean nearest-neighbour distance (the linear overlap the field quotes; 0 for one position).
double linear_overlap(const ArrayD& positions, std::size_t window);

// Embeds `object` centred in a (rows, cols) grid of free space (1 + 0i); a larger object is cropped.
ArrayCF embed_in_free_space(const ArrayCF& object, std::size_t rows, std::size_t cols);

// Noiseless far-field intensities |F(P * crop(psi, r_j))|^2, (N, H, W): bilinear sub-pixel crop,
// orthonormal 2-D FFT (so sum of a pattern = sum |P * crop|^2), zero frequency shifted to (H/2, W/2).
ArrayF farfield_intensities(const ArrayCF& object, const ArrayCF& probe, const ArrayD& positions);

// Photon counts ~ Poisson(intensity) per pixel, deterministic for a seed whatever the threads.
ArrayF poisson_counts(const ArrayF& intensities, std::uint64_t seed);

// A whole simulated experiment, as sim.ptycho makes it.
enum class ProbeKind { gaussian, focused };
enum class ScanKind { raster, fermat };
struct PtychoSimSpec {
  ComplexObjectSpec object;    // the phantom, object.size pixels square
  ProbeKind probe = ProbeKind::gaussian;
  std::size_t probe_size = 64;  // window and detector, pixels
  double fwhm = 24.0;           // of the probe's (in-focus) intensity, pixels
  double defocus = 0.0;         // focused probe: radians of quadratic phase at the pupil edge
  ScanKind scan = ScanKind::raster;
  double step = 16.0;           // pixels between neighbouring positions
  double jitter = 0.0;          // raster: uniform displacement in [-jitter, jitter] per axis
  double photons = 0.0;         // incident photons per exposure, sum |P|^2; 0: noiseless, probe unscaled
  std::uint64_t seed = 1;       // jitter and noise
  std::size_t margin = 2;       // free-space pixels around the scanned windows
};
struct PtychoSimulation {
  ArrayCF object;     // the true object on the scan's grid, free space (1) outside the phantom
  ArrayCF probe;      // (probe_size, probe_size)
  ArrayD positions;   // (N, 2), smallest row and col equal to the margin
  ArrayF patterns;    // (N, probe_size, probe_size), photon counts (or noiseless intensities)
  double overlap = 0; // linear_overlap of the positions
};
// The windows' corners cover the phantom (a field of object.size - probe_size pixels); the
// object grid is scan_grid_extent of the farthest corner, so windows never leave it.
PtychoSimulation simulate_ptycho(const PtychoSimSpec& spec);

}  // namespace xrecon::sim
