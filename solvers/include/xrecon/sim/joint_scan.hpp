#pragma once
// Simulated joint ptycho-tomography (ALGORITHMS.md, joint ptycho-tomography): a 3-D complex
// object u = delta + i beta, its transmission at each tomographic angle and a far-field
// ptychographic scan of every transmission.
//
// Model, the one joint.admm inverts:
// - u: delta and beta volumes (slices, size, size), one material (materials.hpp) whose density is
//   the phantom's value (Shepp-Logan with Toft's contrasts, 1 at the skull; foam: 1 in the
//   material, 0 in the voids), zero outside a disc of radius < 1 of the slice (air);
// - R: the parallel-beam Joseph projector of xrecon/tomo/projector.hpp (angles k * arc / A, the
//   slice width as detector columns, rotation axis at (size - 1) / 2), line integrals in voxels;
// - psi_a = exp(i nu voxel (R delta + i R beta)) at angle a, nu = 2 pi / lambda: phase
//   nu voxel R delta, amplitude exp(-nu voxel R beta), on the (slices, size) projection grid;
// - the voxel size is chosen so that the largest phase over all angles is max_phase (below pi,
//   so that the phase stays on one branch of the log);
// - per angle, the far-field ptychography model of xrecon/ptycho/ptycho.hpp: windows of the
//   probe at the scan positions (every window inside the projection grid), exit waves zero padded
//   to the detector at their top-left corner, |F|^2 with the zero frequency at the centre, and
//   Poisson counts when asked; the detector pixel is chosen so that lambda * distance /
//   (detector * detector_pixel) equals the voxel size.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/sim/foam.hpp"
#include "xrecon/sim/materials.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {

enum class VolumePhantom { shepp_logan, foam };

struct ComplexVolumeSpec {
  VolumePhantom phantom = VolumePhantom::shepp_logan;
  std::size_t size = 64;     // slice width and height, voxels
  std::size_t slices = 32;   // along the rotation axis
  FoamSpec foam;             // radii in units of the foam cylinder's radius
  int supersample = 3;
  Material material = Material::water;
  double energy_kev = 8.8;
};

struct ComplexVolume {
  ArrayF delta;              // (slices, size, size), dimensionless
  ArrayF beta;
  RefractiveIndex material;  // of the dense material at the energy
  std::size_t voids = 0;     // foam: the voids placed
  std::string description;
};

// Shepp-Logan: the 3-D phantom sampled over its whole height (phantom.hpp's rasterize), densities
// below 0 clipped. Foam: the material fills a cylinder kFoamRadius of the slice's half-width, the
// voids placed as place_foam_voids does. Either phantom is shrunk where needed (small slices) so
// that at least kAirVoxels of air surround it in every slice: the projections' edges are air.
inline constexpr double kFoamRadius = 0.9;
inline constexpr std::size_t kAirVoxels = 2;
// The head's largest semi-axis in a slice (the skull's 0.92), in the phantom's normalised units.
inline constexpr double kSheppLoganExtent = 0.92;
ComplexVolume make_complex_volume(const ComplexVolumeSpec& spec);

// (N, 2) (row, col) window corners covering a field of rows_field x cols_field corner positions
// (the grid less the window): along each axis ceil(field / step) + 1 positions spread evenly from
// 0 to the field (spacing at most `step`; one position at 0 for an empty field), row-major, each
// moved by a uniform draw in [-jitter, jitter] per axis from `seed` and kept inside the field.
ArrayD raster_positions(double rows_field, double cols_field, double step, double jitter, std::uint64_t seed);

// Fermat spiral (as fermat_scan) centred on the rows_field x cols_field rectangle, the points inside it.
ArrayD fermat_positions(double rows_field, double cols_field, double step);

// psi = exp(i k (delta_integrals + i beta_integrals)) element by element, k = nu * voxel size.
ArrayCF transmission(const ArrayF& delta_integrals, const ArrayF& beta_integrals, double k);

struct JointScanSpec {
  ComplexVolumeSpec object;
  std::size_t angles = 48;
  double arc_degrees = 180.0;     // angles k * arc / angles, k = 0 .. angles - 1
  double max_phase = 1.0;         // radians: the largest nu * voxel * R delta over all angles
  double distance = 2.0;          // metres, sample to detector
  ProbeKind probe = ProbeKind::gaussian;
  std::size_t probe_size = 16;    // probe window, pixels
  std::size_t detector = 0;       // detector width and height, >= probe_size; 0: probe_size
  double fwhm = 8.0;              // of the probe's (in-focus) intensity, pixels
  double defocus = 0.0;           // focused probe: radians at the pupil edge
  ScanKind scan = ScanKind::raster;
  double step = 8.0;              // pixels between neighbouring positions
  double jitter = 0.0;            // raster: uniform displacement per axis, drawn anew at every angle
  double photons = 1e5;           // incident photons per exposure, sum |P|^2
  bool poisson = true;            // Poisson counts, or the noiseless intensities
  std::uint64_t seed = 1;         // jitter and noise
};

// The volume, the transmissions and the probe are made once; scan(a) then simulates angle a on
// its own (deterministic for the spec and a, whatever the order or the threads), so a stage can
// stream the angles without holding every pattern.
class JointScanSimulation {
 public:
  // InputError for a probe larger than the projection grid (slices x size) or than the detector,
  // and for a volume with no material.
  explicit JointScanSimulation(const JointScanSpec& spec);

  const JointScanSpec& spec() const { return spec_; }
  const ComplexVolume& volume() const { return volume_; }
  const std::vector<double>& angles() const { return angles_; }   // radians
  double wavelength() const { return wavelength_; }               // metres
  double voxel_size() const { return voxel_size_; }               // metres, also the object pixel
  double detector_pixel() const { return detector_pixel_; }       // metres
  std::size_t detector() const { return detector_; }
  const ArrayCF& probe() const { return probe_; }                 // (probe_size, probe_size)
  // psi (angles, slices, size).
  const ArrayCF& transmission() const { return transmission_; }
  // R delta and R beta (angles, slices, size), voxel units.
  const ArrayF& delta_integrals() const { return delta_integrals_; }
  const ArrayF& beta_integrals() const { return beta_integrals_; }

  struct AngleScan {
    ArrayD positions;  // (N, 2), windows inside the (slices, size) grid
    ArrayF patterns;   // (N, detector, detector)
  };
  AngleScan scan(std::size_t angle) const;
  ArrayD positions(std::size_t angle) const;

 private:
  JointScanSpec spec_;
  ComplexVolume volume_;
  std::vector<double> angles_;
  double wavelength_ = 0, voxel_size_ = 0, detector_pixel_ = 0;
  std::size_t detector_ = 0;
  ArrayCF probe_;
  ArrayF delta_integrals_, beta_integrals_;
  ArrayCF transmission_;
};

}  // namespace xrecon::sim
