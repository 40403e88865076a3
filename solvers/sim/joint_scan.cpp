// Simulated joint ptycho-tomography: the complex volume, its transmissions and one far-field
// ptychographic scan per angle (model in xrecon/sim/joint_scan.hpp).
#include "xrecon/sim/joint_scan.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <numbers>

#include "random_bits.hpp"
#include "xrecon/ptycho/ptycho.hpp"
#include "xrecon/sim/phantom.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::sim {
namespace {

// Copies `inner` (nz, m, m) into the centre of a zero (nz, n, n) volume, n - m even.
ArrayF centred_in_air(const ArrayF& inner, std::size_t n) {
  const std::size_t nz = inner.extent(0), m = inner.extent(1), offset = (n - m) / 2;
  ArrayF volume = ArrayF::zeros(Shape{nz, n, n});
  for (std::size_t z = 0; z < nz; ++z)
    for (std::size_t y = 0; y < m; ++y)
      std::copy_n(inner.data() + (z * m + y) * m, m, volume.data() + (z * n + y + offset) * n + offset);
  return volume;
}

std::string number(double value) {
  char text[32];
  std::snprintf(text, sizeof text, "%.3g", value);
  return text;
}

// Evenly spread positions 0 .. field with spacing at most `step`.
std::vector<double> axis_positions(double field, double step) {
  const std::size_t intervals = field > 0.0 ? std::size_t(std::ceil(field / step - 1e-9)) : 0;
  std::vector<double> positions(intervals + 1, 0.0);
  for (std::size_t k = 1; k <= intervals; ++k) positions[k] = field * double(k) / double(intervals);
  return positions;
}

ArrayD to_positions(const std::vector<double>& pairs) {
  ArrayD positions(Shape{pairs.size() / 2, 2});
  std::copy(pairs.begin(), pairs.end(), positions.data());
  return positions;
}

// Independent generator seeds for each angle's jitter (purpose 0) and noise (purpose 1).
std::uint64_t angle_seed(std::uint64_t seed, std::size_t angle, std::uint64_t purpose) {
  return detail::mix_bits(detail::mix_bits(seed) ^ detail::mix_bits(2 * std::uint64_t(angle) + purpose));
}

}  // namespace

ComplexVolume make_complex_volume(const ComplexVolumeSpec& spec) {
  XRECON_CHECK(spec.size >= 8 && spec.slices >= 1, "a complex volume needs at least 8 x 8 voxels per slice, got " +
                                                       std::to_string(spec.size) + " and " +
                                                       std::to_string(spec.slices) + " slices");
  ComplexVolume volume;
  volume.material = refractive_index(spec.material, spec.energy_kev);
  // Both phantoms are rasterised on an inner grid `margin` voxels narrower on each side, so that
  // the material keeps kAirVoxels of air from the slice's edge (and the foam's cylinder its radius).
  const double extent = spec.phantom == VolumePhantom::foam ? 1.0 : kSheppLoganExtent;
  double margin = std::ceil((double(kAirVoxels) - (1.0 - extent) * double(spec.size) / 2.0) / extent);
  if (spec.phantom == VolumePhantom::foam)
    margin = std::max(margin, std::ceil((1.0 - kFoamRadius) * double(spec.size) / 2.0));
  const std::size_t border = std::size_t(std::max(margin, 0.0));
  XRECON_CHECK(spec.size > 2 * border + 2, "a " + std::to_string(spec.size) +
                                               " voxel slice leaves no room for the phantom inside " +
                                               std::to_string(kAirVoxels) + " voxels of air");
  const std::size_t inner = spec.size - 2 * border;
  ArrayF density;
  std::string shape;
  if (spec.phantom == VolumePhantom::foam) {
    const std::vector<Void> voids = place_foam_voids(spec.foam, false);
    volume.voids = voids.size();
    density = rasterize(voids, spec.slices, inner, inner, spec.supersample);
    shape = "foam (a cylinder " + std::to_string(inner) + " voxels wide with " + std::to_string(voids.size()) +
            " spherical voids, seed " + std::to_string(spec.foam.seed) + ")";
  } else {
    density = rasterize(shepp_logan_3d(), spec.slices, inner, inner, spec.supersample);
    for (float& v : density.host_span()) v = std::max(v, 0.0f);
    shape = "3-D Shepp-Logan phantom (Toft's contrasts as densities, 1 at the skull)";
  }
  if (border > 0) density = centred_in_air(density, spec.size);
  volume.delta = ArrayF(density.shape());
  volume.beta = ArrayF(density.shape());
  for (std::size_t i = 0; i < density.size(); ++i) {
    volume.delta[i] = float(volume.material.delta * density[i]);
    volume.beta[i] = float(volume.material.beta * density[i]);
  }
  volume.description = shape + " of " + material_name(spec.material) + " at " + number(spec.energy_kev) +
                       " keV: delta = " + number(volume.material.delta) + " x density, beta = " +
                       number(volume.material.beta) + " x density (delta/beta " +
                       number(volume.material.delta / volume.material.beta) + ")";
  return volume;
}

ArrayD raster_positions(double rows_field, double cols_field, double step, double jitter, std::uint64_t seed) {
  XRECON_CHECK(rows_field >= 0.0 && cols_field >= 0.0 && step > 0.0 && jitter >= 0.0,
               "a raster needs a non-negative field and jitter and a positive step");
  const std::vector<double> rows = axis_positions(rows_field, step), cols = axis_positions(cols_field, step);
  std::mt19937_64 rng(detail::mix_bits(seed));
  std::vector<double> pairs;
  pairs.reserve(rows.size() * cols.size() * 2);
  for (double row : rows)
    for (double col : cols) {
      // Jitter breaks the raster's periodic ambiguities; the clamp keeps every window on the grid.
      double r = row, c = col;
      if (jitter > 0.0) {
        r = std::clamp(r + jitter * (2.0 * detail::unit_uniform(rng) - 1.0), 0.0, rows_field);
        c = std::clamp(c + jitter * (2.0 * detail::unit_uniform(rng) - 1.0), 0.0, cols_field);
      }
      pairs.push_back(r);
      pairs.push_back(c);
    }
  return to_positions(pairs);
}

ArrayD fermat_positions(double rows_field, double cols_field, double step) {
  XRECON_CHECK(rows_field >= 0.0 && cols_field >= 0.0 && step > 0.0,
               "a Fermat spiral needs a non-negative field and a positive step");
  const double c = step / std::sqrt(std::numbers::pi);
  const double golden_angle = std::numbers::pi * (3.0 - std::sqrt(5.0));
  const double half_rows = rows_field / 2.0, half_cols = cols_field / 2.0;
  const double reach = std::hypot(half_rows, half_cols);
  std::vector<double> pairs;
  for (std::size_t k = 0;; ++k) {
    const double radius = c * std::sqrt(double(k));
    if (radius > reach) break;
    const double row = radius * std::sin(double(k) * golden_angle);
    const double col = radius * std::cos(double(k) * golden_angle);
    if (std::abs(row) > half_rows || std::abs(col) > half_cols) continue;
    pairs.push_back(row + half_rows);
    pairs.push_back(col + half_cols);
  }
  return to_positions(pairs);
}

ArrayCF transmission(const ArrayF& delta_integrals, const ArrayF& beta_integrals, double k) {
  XRECON_CHECK(delta_integrals.shape() == beta_integrals.shape(),
               "delta and beta line integrals differ in shape: " + delta_integrals.shape().to_string() + " and " +
                   beta_integrals.shape().to_string());
  ArrayCF psi(delta_integrals.shape());
  const std::int64_t n = std::int64_t(psi.size());
#pragma omp parallel for schedule(static)
  for (std::int64_t i = 0; i < n; ++i)
    psi[i] = std::complex<float>(std::polar(std::exp(-k * double(beta_integrals[i])), k * double(delta_integrals[i])));
  return psi;
}

JointScanSimulation::JointScanSimulation(const JointScanSpec& spec) : spec_(spec) {
  const std::size_t rows = spec.object.slices, cols = spec.object.size;
  detector_ = spec.detector == 0 ? spec.probe_size : spec.detector;
  XRECON_CHECK(spec.probe_size >= 1 && spec.probe_size <= rows && spec.probe_size <= cols,
               "the " + std::to_string(spec.probe_size) + " px probe window does not fit the " + std::to_string(rows) +
                   " x " + std::to_string(cols) + " projection grid (slices x size)");
  XRECON_CHECK(detector_ >= spec.probe_size, "the detector (" + std::to_string(detector_) +
                                                 " px) is smaller than the probe window (" +
                                                 std::to_string(spec.probe_size) + " px)");
  XRECON_CHECK(spec.angles >= 1 && spec.arc_degrees > 0.0, "a scan needs at least one angle and a positive arc");
  XRECON_CHECK(spec.max_phase > 0.0 && spec.max_phase < std::numbers::pi,
               "max_phase must lie in (0, pi), got " + std::to_string(spec.max_phase));
  XRECON_CHECK(spec.distance > 0.0 && spec.step > 0.0 && spec.photons > 0.0,
               "distance, step and photons must be positive");

  volume_ = make_complex_volume(spec.object);
  tomo::Geometry geometry;
  geometry.n = cols;
  geometry.cols = cols;
  // The axis at the centre of the slice and of the detector, as joint.admm reconstructs with.
  geometry.convention = CentreConvention::astra;
  // Evenly spaced over the arc without repeating its end, as sim.tomo.
  const double increment = spec.arc_degrees * std::numbers::pi / 180.0 / double(spec.angles);
  for (std::size_t a = 0; a < spec.angles; ++a) geometry.angles.push_back(double(a) * increment);
  angles_ = geometry.angles;
  delta_integrals_ = tomo::project(volume_.delta, geometry);
  beta_integrals_ = tomo::project(volume_.beta, geometry);

  const auto values = delta_integrals_.host_span();
  const double largest = double(*std::max_element(values.begin(), values.end()));
  XRECON_CHECK(largest > 0.0, "the volume holds no material: every projection of delta is zero");
  wavelength_ = wavelength_from_kev(spec.object.energy_kev);
  const double nu = 2.0 * std::numbers::pi / wavelength_;
  voxel_size_ = spec.max_phase / (nu * largest);
  detector_pixel_ = wavelength_ * spec.distance / (double(detector_) * voxel_size_);
  transmission_ = sim::transmission(delta_integrals_, beta_integrals_, nu * voxel_size_);

  probe_ = spec.probe == ProbeKind::focused ? focused_probe(spec.probe_size, spec.fwhm, spec.defocus)
                                            : gaussian_probe(spec.probe_size, spec.fwhm);
  normalize_probe_photons(probe_, spec.photons);
}

ArrayD JointScanSimulation::positions(std::size_t angle) const {
  XRECON_CHECK(angle < angles_.size(), "angle " + std::to_string(angle) + " of " + std::to_string(angles_.size()));
  const double rows_field = double(spec_.object.slices - spec_.probe_size);
  const double cols_field = double(spec_.object.size - spec_.probe_size);
  if (spec_.scan == ScanKind::fermat) return fermat_positions(rows_field, cols_field, spec_.step);
  return raster_positions(rows_field, cols_field, spec_.step, spec_.jitter, angle_seed(spec_.seed, angle, 0));
}

JointScanSimulation::AngleScan JointScanSimulation::scan(std::size_t angle) const {
  AngleScan result;
  result.positions = positions(angle);
  const std::size_t rows = spec_.object.slices, cols = spec_.object.size;
  ArrayCF psi(Shape{rows, cols});
  std::copy_n(transmission_.data() + angle * rows * cols, rows * cols, psi.data());
  const ArrayCF farfield = ptycho::farfield(psi, probe_, result.positions, detector_, detector_);
  ArrayF intensities(farfield.shape());
  for (std::size_t i = 0; i < farfield.size(); ++i) intensities[i] = std::norm(farfield[i]);
  result.patterns = spec_.poisson ? poisson_counts(intensities, angle_seed(spec_.seed, angle, 1)) : intensities;
  return result;
}

}  // namespace xrecon::sim
