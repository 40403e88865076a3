// Simulated joint ptycho-tomography: material constants, the complex volume, the transmission at
// each angle against the projector, the far-field patterns against a plain DFT, photon counts and
// scan positions.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>

#include "xrecon/sim/joint_scan.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::sim {
namespace {

// hc = 12.398419843320026 keV Angstrom (exact SI constants), written out rather than taken from
// the code under test.
double wavelength_metres(double energy_kev) { return 12.398419843320026e-10 / energy_kev; }

JointScanSpec small_spec() {
  JointScanSpec spec;
  spec.object.size = 20;
  spec.object.slices = 12;
  spec.angles = 5;
  spec.probe_size = 6;
  spec.detector = 9;  // odd and larger than the probe: padding and centring both matter
  spec.fwhm = 3.0;
  spec.step = 3.0;
  spec.jitter = 0.7;
  spec.photons = 1e3;
  spec.poisson = false;
  spec.seed = 4;
  return spec;
}

// The window's pixel (y, x) of psi at the sub-pixel corner (row, col): bilinear, the neighbour
// past the grid's last row or column clamped (it has zero weight there).
std::complex<double> crop(const ArrayCF& psi, std::size_t rows, std::size_t cols, double row, double col,
                          std::size_t y, std::size_t x) {
  const std::size_t r0 = std::size_t(std::floor(row)) + y, c0 = std::size_t(std::floor(col)) + x;
  const std::size_t r1 = std::min(r0 + 1, rows - 1), c1 = std::min(c0 + 1, cols - 1);
  const double fr = row - std::floor(row), fc = col - std::floor(col);
  const auto at = [&](std::size_t r, std::size_t c) { return std::complex<double>(psi[r * cols + c]); };
  return (1 - fr) * ((1 - fc) * at(r0, c0) + fc * at(r0, c1)) + fr * ((1 - fc) * at(r1, c0) + fc * at(r1, c1));
}

TEST(JointScanMaterials, WaterAndAluminiumAt8p8KevMatchTheDocumentedNumbers) {
  // delta = r_e lambda^2 n_e / 2 pi by hand: water n_e = 3.3428e29 / m^3, aluminium 7.8312e29 / m^3.
  const double lambda = wavelength_metres(8.8);
  const double scale = 2.8179403262e-15 * lambda * lambda / (2.0 * std::numbers::pi);
  const RefractiveIndex water = refractive_index(Material::water, 8.8);
  const RefractiveIndex aluminium = refractive_index(Material::aluminium, 8.8);
  EXPECT_NEAR(water.delta, scale * 3.3428e29, 1e-3 * water.delta);
  EXPECT_NEAR(aluminium.delta, scale * 7.8312e29, 1e-3 * aluminium.delta);
  EXPECT_NEAR(water.delta, 2.98e-6, 0.01e-6);
  EXPECT_NEAR(water.beta, 8.75e-9, 0.02e-9);
  EXPECT_NEAR(aluminium.delta, 6.97e-6, 0.01e-6);
  EXPECT_NEAR(aluminium.beta, 1.153e-7, 0.003e-7);
  // Light materials at ~9 keV have delta/beta of a few hundred; aluminium absorbs more.
  EXPECT_GT(water.delta / water.beta, 300.0);
  EXPECT_LT(water.delta / water.beta, 400.0);
  EXPECT_NEAR(aluminium.delta / aluminium.beta, 60.0, 3.0);
}

TEST(JointScanMaterials, TablePointsComeBackAndDeltaFallsAsTheSquareOfTheEnergy) {
  // beta = mu lambda / 4 pi with NIST's water mu / rho = 5.329 cm^2 / g at 10 keV.
  const double lambda = wavelength_metres(10.0);
  EXPECT_NEAR(refractive_index(Material::water, 10.0).beta, 532.9 * lambda / (4.0 * std::numbers::pi), 1e-15);
  EXPECT_NEAR(refractive_index(Material::water, 17.6).delta * 4.0, refractive_index(Material::water, 8.8).delta, 1e-12);
  EXPECT_GT(refractive_index(Material::water, 20.0).delta / refractive_index(Material::water, 20.0).beta, 1000.0);
  EXPECT_THROW(refractive_index(Material::water, 4.0), Error);
  EXPECT_THROW(refractive_index(Material::aluminium, 31.0), Error);
}

TEST(JointScanVolume, DeltaAndBetaAreOneMaterialInsideAir) {
  for (VolumePhantom phantom : {VolumePhantom::shepp_logan, VolumePhantom::foam}) {
    ComplexVolumeSpec spec;
    spec.phantom = phantom;
    spec.size = 32;  // small enough that the head phantom needs a margin of air
    spec.slices = 8;
    const ComplexVolume volume = make_complex_volume(spec);
    ASSERT_EQ(volume.delta.shape(), (Shape{8, 32, 32}));
    ASSERT_EQ(volume.beta.shape(), volume.delta.shape());
    const double ratio = volume.material.delta / volume.material.beta;
    double largest = 0.0;
    for (std::size_t i = 0; i < volume.delta.size(); ++i) {
      ASSERT_GE(volume.delta[i], 0.0f);
      largest = std::max(largest, double(volume.delta[i]));
      if (volume.delta[i] > 1e-9f) EXPECT_NEAR(volume.delta[i] / volume.beta[i], ratio, 1e-3 * ratio);
    }
    // The densest voxels are the material itself, or nearly (partial volume at thin parts).
    EXPECT_LE(largest, volume.material.delta * (1.0 + 1e-6));
    EXPECT_GE(largest, volume.material.delta * 0.9);
    // Air in the two outer columns and rows of every slice: the projections' edges are air.
    for (std::size_t z = 0; z < 8; ++z)
      for (std::size_t k = 0; k < 32; ++k)
        for (std::size_t edge : {std::size_t(0), std::size_t(1), std::size_t(30), std::size_t(31)})
          for (std::size_t index : {(z * 32 + k) * 32 + edge, (z * 32 + edge) * 32 + k})
            EXPECT_EQ(volume.delta[index], 0.0f) << int(phantom) << " z " << z << " k " << k << " edge " << edge;
    EXPECT_NE(volume.description.find("water"), std::string::npos) << volume.description;
  }
}

TEST(JointScanSimulation, TransmissionIsTheProjectorsPhaseAndAttenuation) {
  const JointScanSpec spec = small_spec();
  const JointScanSimulation simulation(spec);
  const ComplexVolume& volume = simulation.volume();

  tomo::Geometry geometry;
  geometry.n = geometry.cols = 20;
  geometry.convention = CentreConvention::astra;  // the simulation's
  for (std::size_t a = 0; a < 5; ++a) geometry.angles.push_back(double(a) * std::numbers::pi / 5.0);
  const ArrayF r_delta = tomo::project(volume.delta, geometry), r_beta = tomo::project(volume.beta, geometry);
  const double nu = 2.0 * std::numbers::pi / wavelength_metres(8.8);
  const double largest = *std::max_element(r_delta.data(), r_delta.data() + r_delta.size());
  const double voxel = 1.0 / (nu * largest);  // max_phase 1 rad
  EXPECT_NEAR(simulation.voxel_size(), voxel, 1e-6 * voxel);
  // The object pixel of the far-field geometry is the voxel.
  EXPECT_NEAR(wavelength_metres(8.8) * 2.0 / (9.0 * simulation.detector_pixel()), voxel, 1e-9 * voxel);

  const ArrayCF& psi = simulation.transmission();
  ASSERT_EQ(psi.shape(), (Shape{5, 12, 20}));
  double worst_phase = 0.0, worst_amplitude = 0.0, largest_phase = 0.0;
  for (std::size_t i = 0; i < psi.size(); ++i) {
    const double phase = nu * voxel * r_delta[i], amplitude = std::exp(-nu * voxel * r_beta[i]);
    worst_phase = std::max(worst_phase, std::abs(std::arg(psi[i]) - phase));
    worst_amplitude = std::max(worst_amplitude, std::abs(std::abs(psi[i]) - amplitude));
    largest_phase = std::max(largest_phase, double(std::arg(psi[i])));
  }
  EXPECT_LT(worst_phase, 1e-5);
  EXPECT_LT(worst_amplitude, 1e-6);
  EXPECT_NEAR(largest_phase, 1.0, 1e-5);
  // Some absorption, as much as delta/beta says: the amplitude dips by about max_phase / 340.
  const double darkest = std::abs(*std::min_element(psi.data(), psi.data() + psi.size(),
                                                    [](auto a, auto b) { return std::abs(a) < std::abs(b); }));
  EXPECT_NEAR(-std::log(darkest), volume.material.beta / volume.material.delta, 1e-5);
  // Air at the left and right edges of every projection: transmission 1.
  for (std::size_t a = 0; a < 5; ++a)
    for (std::size_t row = 0; row < 12; ++row)
      for (std::size_t col : {std::size_t(0), std::size_t(19)})
        EXPECT_NEAR(std::abs(psi[(a * 12 + row) * 20 + col] - std::complex<float>(1.0f)), 0.0, 1e-6);
}

TEST(JointScanSimulation, NoiselessPatternsAreTheExactFarfieldIntensities) {
  const JointScanSpec spec = small_spec();
  const JointScanSimulation simulation(spec);
  const std::size_t rows = 12, cols = 20, h = 6, d = 9;
  const ArrayCF& probe = simulation.probe();
  for (std::size_t a : {std::size_t(0), std::size_t(3)}) {
    const JointScanSimulation::AngleScan scan = simulation.scan(a);
    ASSERT_EQ(scan.patterns.extent(1), d);
    ArrayCF psi(Shape{rows, cols});
    std::copy_n(simulation.transmission().data() + a * rows * cols, rows * cols, psi.data());
    double worst = 0.0, peak = 0.0;
    for (std::size_t j = 0; j < scan.positions.extent(0); ++j) {
      const double row = scan.positions[j * 2], col = scan.positions[j * 2 + 1];
      for (std::size_t u = 0; u < d; ++u)
        for (std::size_t v = 0; v < d; ++v) {
          std::complex<double> sum = 0.0;
          for (std::size_t y = 0; y < h; ++y)
            for (std::size_t x = 0; x < h; ++x) {
              const double turn = -2.0 * std::numbers::pi * double(u * y + v * x) / double(d);
              sum += std::complex<double>(probe[y * h + x]) * crop(psi, rows, cols, row, col, y, x) *
                     std::polar(1.0, turn);
            }
          const double intensity = std::norm(sum) / double(d * d);
          const float measured = scan.patterns[(j * d + (u + d / 2) % d) * d + (v + d / 2) % d];
          worst = std::max(worst, std::abs(measured - intensity));
          peak = std::max(peak, intensity);
        }
    }
    EXPECT_LT(worst, 1e-5 * peak) << "angle " << a;
  }
}

TEST(JointScanSimulation, PatternTotalsCarryThePhotonsPerExposure) {
  JointScanSpec spec = small_spec();
  const JointScanSimulation noiseless(spec);
  double probe_power = 0.0;
  for (const auto& value : noiseless.probe().host_span()) probe_power += std::norm(value);
  EXPECT_NEAR(probe_power, 1e3, 1e-3);

  const JointScanSimulation::AngleScan clean = noiseless.scan(2);
  const std::size_t frame = 9 * 9, count = clean.positions.extent(0);
  double clean_total = 0.0;
  for (std::size_t j = 0; j < count; ++j) {
    double total = 0.0;
    for (std::size_t i = 0; i < frame; ++i) total += clean.patterns[j * frame + i];
    // Parseval: the exit wave's power, the incident photons less what the object absorbs (and
    // what sub-pixel interpolation between neighbours of different phase loses).
    EXPECT_LE(total, 1e3 * (1.0 + 1e-5));
    EXPECT_GE(total, 1e3 * 0.95);
    clean_total += total;
  }

  spec.poisson = true;
  const JointScanSimulation noisy(spec);
  const JointScanSimulation::AngleScan counted = noisy.scan(2);
  double counted_total = 0.0;
  for (float v : counted.patterns.host_span()) {
    ASSERT_EQ(v, std::floor(v));
    counted_total += v;
  }
  EXPECT_NEAR(counted_total, clean_total, 5.0 * std::sqrt(clean_total));
  EXPECT_NE(counted_total, clean_total);
}

TEST(JointScanSimulation, SameSpecSameDataAndEachAngleItsOwnNoise) {
  JointScanSpec spec = small_spec();
  spec.poisson = true;
  const JointScanSimulation first(spec), second(spec);
  const JointScanSimulation::AngleScan a = first.scan(1), b = second.scan(1), c = first.scan(2);
  EXPECT_TRUE(std::equal(a.patterns.data(), a.patterns.data() + a.patterns.size(), b.patterns.data()));
  EXPECT_TRUE(std::equal(a.positions.data(), a.positions.data() + a.positions.size(), b.positions.data()));
  // Jitter is drawn anew at every angle.
  EXPECT_FALSE(std::equal(a.positions.data(), a.positions.data() + a.positions.size(), c.positions.data()));
  spec.jitter = 0.0;
  const JointScanSimulation still(spec);
  const ArrayD p0 = still.positions(0), p4 = still.positions(4);
  EXPECT_TRUE(std::equal(p0.data(), p0.data() + p0.size(), p4.data()));
}

TEST(JointScanPositions, RasterSpreadsFromEdgeToEdgeAtMostAStepApart) {
  const ArrayD grid = raster_positions(16.0, 48.0, 8.0, 0.0, 1);
  ASSERT_EQ(grid.extent(0), 3u * 7u);
  EXPECT_EQ(grid[0], 0.0);
  EXPECT_EQ(grid[1], 0.0);
  EXPECT_EQ(grid[(3 * 7 - 1) * 2], 16.0);
  EXPECT_EQ(grid[(3 * 7 - 1) * 2 + 1], 48.0);
  EXPECT_EQ(grid[3], 8.0);

  const ArrayD uneven = raster_positions(10.0, 0.0, 4.0, 0.0, 1);  // ceil(10 / 4) = 3 intervals
  ASSERT_EQ(uneven.extent(0), 4u);
  EXPECT_NEAR(uneven[2], 10.0 / 3.0, 1e-12);
  EXPECT_EQ(uneven[6], 10.0);
  EXPECT_EQ(uneven[7], 0.0);

  const ArrayD jittered = raster_positions(16.0, 48.0, 8.0, 3.0, 7);
  bool moved = false;
  for (std::size_t j = 0; j < jittered.extent(0); ++j) {
    EXPECT_GE(jittered[j * 2], 0.0);
    EXPECT_LE(jittered[j * 2], 16.0);
    EXPECT_GE(jittered[j * 2 + 1], 0.0);
    EXPECT_LE(jittered[j * 2 + 1], 48.0);
    moved = moved || jittered[j * 2] != grid[j * 2];
  }
  EXPECT_TRUE(moved);
}

TEST(JointScanPositions, FermatSpiralStaysInsideTheField) {
  const ArrayD spiral = fermat_positions(16.0, 48.0, 4.0);
  // About one point per step^2 of the field.
  EXPECT_GT(spiral.extent(0), 16u * 48u / 16u / 2u);
  EXPECT_LT(spiral.extent(0), 16u * 48u / 16u * 2u);
  for (std::size_t j = 0; j < spiral.extent(0); ++j) {
    EXPECT_GE(spiral[j * 2], 0.0);
    EXPECT_LE(spiral[j * 2], 16.0);
    EXPECT_GE(spiral[j * 2 + 1], 0.0);
    EXPECT_LE(spiral[j * 2 + 1], 48.0);
  }
}

TEST(JointScanSimulation, WindowsInsideTheProjectionGridAtEveryAngle) {
  JointScanSpec spec = small_spec();
  spec.jitter = 2.0;
  const JointScanSimulation simulation(spec);
  for (std::size_t a = 0; a < 5; ++a) {
    const ArrayD positions = simulation.positions(a);
    for (std::size_t j = 0; j < positions.extent(0); ++j) {
      EXPECT_GE(positions[j * 2], 0.0);
      EXPECT_LE(positions[j * 2] + 6.0, 12.0);
      EXPECT_GE(positions[j * 2 + 1], 0.0);
      EXPECT_LE(positions[j * 2 + 1] + 6.0, 20.0);
    }
  }
}

TEST(JointScanSimulation, RefusesAProbeLargerThanTheGridOrTheDetector) {
  JointScanSpec spec = small_spec();
  spec.probe_size = 13;  // slices are 12
  EXPECT_THROW(JointScanSimulation{spec}, Error);
  spec = small_spec();
  spec.detector = 5;
  EXPECT_THROW(JointScanSimulation{spec}, Error);
  spec = small_spec();
  spec.max_phase = 4.0;
  EXPECT_THROW(JointScanSimulation{spec}, Error);
}

}  // namespace
}  // namespace xrecon::sim
