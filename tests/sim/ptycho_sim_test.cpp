// Simulated ptychography: objects, probes, scans, far-field patterns and their photon noise.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "xrecon/error.hpp"
#include "xrecon/sim/ptycho_sim.hpp"

namespace xrecon::sim {
namespace {

// Width at half maximum of the intensity along the probe's middle row, from the two crossings
// interpolated linearly between pixels.
double measured_fwhm(const ArrayCF& probe) {
  const std::size_t n = probe.extent(1), row = n / 2;
  std::vector<double> intensity(n);
  for (std::size_t c = 0; c < n; ++c) intensity[c] = std::norm(probe[row * n + c]);
  const std::size_t peak = std::size_t(std::max_element(intensity.begin(), intensity.end()) - intensity.begin());
  const double half = intensity[peak] / 2.0;
  std::size_t left = peak, right = peak;
  while (left > 0 && intensity[left - 1] >= half) --left;
  while (right + 1 < n && intensity[right + 1] >= half) ++right;
  const double left_cross = double(left) - (intensity[left] - half) / (intensity[left] - intensity[left - 1]);
  const double right_cross = double(right) + (intensity[right] - half) / (intensity[right] - intensity[right + 1]);
  return right_cross - left_cross;
}

double mean_nearest_distance(const ArrayD& positions) {
  const std::size_t n = positions.extent(0);
  double total = 0.0;
  for (std::size_t a = 0; a < n; ++a) {
    double nearest = 1e300;
    for (std::size_t b = 0; b < n; ++b)
      if (a != b)
        nearest = std::min(nearest, std::hypot(positions[a * 2] - positions[b * 2], positions[a * 2 + 1] - positions[b * 2 + 1]));
    total += nearest;
  }
  return total / double(n);
}

struct SmallScan {
  ArrayCF object, probe;
  ArrayD positions;
};

SmallScan small_scan(double jitter, std::uint64_t seed) {
  SmallScan scan;
  scan.probe = gaussian_probe(16, 6.0);
  scan.positions = raster_scan(24.0, 6.0, jitter, seed);
  shift_to_margin(scan.positions, 1.0);
  const std::size_t extent = scan_grid_extent(24.0 + 2.0 * jitter + 1.0, 16, 1);
  scan.object = embed_in_free_space(make_complex_object({ComplexPhantom::shepp_logan, 40, 0.5, 1.0, 18}), extent, extent);
  return scan;
}

TEST(PtychoSim, GaussianProbeHasTheRequestedFwhm) {
  for (double fwhm : {4.0, 8.0, 12.5}) EXPECT_NEAR(measured_fwhm(gaussian_probe(64, fwhm)), fwhm, 0.02 * fwhm) << fwhm;
}

TEST(PtychoSim, FocusedProbeInFocusHasTheRequestedFwhmAndUnitPeak) {
  const ArrayCF probe = focused_probe(64, 8.0, 0.0);
  // The Airy relation holds for a continuous pupil; a pixelated one is within a few per cent.
  EXPECT_NEAR(measured_fwhm(probe), 8.0, 0.5);
  EXPECT_NEAR(std::abs(probe[32 * 64 + 32]), 1.0, 1e-5);
}

TEST(PtychoSim, DefocusSpreadsTheFocusedProbe) {
  const ArrayCF sharp = focused_probe(64, 6.0, 0.0), blurred = focused_probe(64, 6.0, 8.0);
  EXPECT_LT(std::abs(blurred[32 * 64 + 32]), 0.5 * std::abs(sharp[32 * 64 + 32]));
}

TEST(PtychoSim, RasterHasItsCountSpacingAndSeededJitter) {
  const ArrayD grid = raster_scan(30.0, 6.0, 0.0, 1);
  ASSERT_EQ(grid.extent(0), 36u);  // 0, 6, ..., 30 on each axis
  EXPECT_DOUBLE_EQ(grid[1 * 2 + 1] - grid[1], 6.0);
  EXPECT_DOUBLE_EQ(mean_nearest_distance(grid), 6.0);

  const ArrayD a = raster_scan(30.0, 6.0, 0.5, 7), b = raster_scan(30.0, 6.0, 0.5, 7), c = raster_scan(30.0, 6.0, 0.5, 8);
  bool differs = false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i], b[i]);
    EXPECT_LE(std::abs(a[i] - grid[i]), 0.5);
    differs |= a[i] != c[i];
  }
  EXPECT_TRUE(differs);
}

TEST(PtychoSim, FermatSpiralCoversTheFieldAtTheRequestedDensity) {
  const double field = 60.0, step = 5.0;
  const ArrayD spiral = fermat_scan(field, step);
  // Each point owns step^2 of area: about (field / step)^2 = 144 points in the square.
  EXPECT_NEAR(double(spiral.extent(0)), 144.0, 15.0);
  for (double v : spiral.host_span()) {
    EXPECT_GE(v, 0.0);
    EXPECT_LE(v, field);
  }
  // The golden-angle spiral packs points nearly hexagonally: nearest neighbours about 0.9 step apart.
  const double spacing = mean_nearest_distance(spiral);
  EXPECT_GT(spacing, 0.75 * step);
  EXPECT_LT(spacing, 1.1 * step);
}

TEST(PtychoSim, OverlapAndGridExtent) {
  ArrayD grid = raster_scan(16.0, 4.0, 0.0, 1);
  EXPECT_DOUBLE_EQ(linear_overlap(grid, 16), 0.75);
  shift_to_margin(grid, 2.5);
  EXPECT_DOUBLE_EQ(grid[0], 2.5);
  EXPECT_DOUBLE_EQ(grid[1], 2.5);
  EXPECT_EQ(scan_grid_extent(18.5, 16, 2), 18u + 16u + 1u + 2u);
}

// Positions from a file (io.cxi): NaN and a grid beyond memory are input errors, not an undefined
// conversion to size_t (found by fuzz_cxi_reader).
TEST(PtychoSim, GridExtentRefusesPositionsNoGridCanHold) {
  EXPECT_THROW(scan_grid_extent(std::nan(""), 16, 2), xrecon::InputError);
  EXPECT_THROW(scan_grid_extent(1.6e304, 16, 2), xrecon::InputError);
  EXPECT_THROW(scan_grid_extent(double(kMaxScanGridExtent) + 1.0, 16, 2), xrecon::InputError);
  EXPECT_EQ(scan_grid_extent(double(kMaxScanGridExtent), 0, 0), kMaxScanGridExtent + 1);
}

TEST(PtychoSim, ObjectAmplitudeAndPhaseFollowThePhantom) {
  const ArrayCF object = make_complex_object({ComplexPhantom::shepp_logan, 64, 0.5, 1.0, 18});
  double low = 2.0, high = 0.0, max_phase = 0.0;
  for (const auto& v : object.host_span()) {
    low = std::min(low, double(std::abs(v)));
    high = std::max(high, double(std::abs(v)));
    max_phase = std::max(max_phase, double(std::arg(v)));
  }
  EXPECT_NEAR(low, 0.5, 1e-6);
  EXPECT_NEAR(high, 1.0, 1e-6);
  EXPECT_NEAR(max_phase, 1.0, 1e-6);

  const ArrayCF star = make_complex_object({ComplexPhantom::siemens_star, 64, 0.2, 0.5, 18});
  EXPECT_NEAR(std::abs(star[0]), 1.0, 1e-6);  // corner: outside the disc
}

TEST(PtychoSim, PatternEnergyEqualsTheExitWaveEnergy) {
  const SmallScan scan = small_scan(0.4, 3);
  const ArrayF patterns = farfield_intensities(scan.object, scan.probe, scan.positions);
  const std::size_t n = 16, cols = scan.object.extent(1);
  for (std::size_t j = 0; j < scan.positions.extent(0); ++j) {
    // The exit wave by hand: bilinear weights of the corner's fractional part.
    const double row = scan.positions[j * 2], col = scan.positions[j * 2 + 1];
    const std::size_t r0 = std::size_t(row), c0 = std::size_t(col);
    const double fy = row - double(r0), fx = col - double(c0);
    double exit_energy = 0.0;
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t k = 0; k < n; ++k) {
        auto at = [&](std::size_t r, std::size_t c) { return std::complex<double>(scan.object[r * cols + c]); };
        const std::complex<double> psi = (1 - fy) * ((1 - fx) * at(r0 + i, c0 + k) + fx * at(r0 + i, c0 + k + 1)) +
                                         fy * ((1 - fx) * at(r0 + i + 1, c0 + k) + fx * at(r0 + i + 1, c0 + k + 1));
        exit_energy += std::norm(std::complex<double>(scan.probe[i * n + k]) * psi);
      }
    const double pattern_energy = std::accumulate(patterns.data() + j * n * n, patterns.data() + (j + 1) * n * n, 0.0);
    EXPECT_NEAR(pattern_energy, exit_energy, 1e-5 * exit_energy) << "position " << j;
  }
}

TEST(PtychoSim, FreeSpacePatternIsCentred) {
  ArrayCF object(Shape{20, 20});
  std::fill(object.data(), object.data() + object.size(), std::complex<float>(1.0f, 0.0f));
  ArrayCF flat(Shape{8, 8});
  std::fill(flat.data(), flat.data() + flat.size(), std::complex<float>(1.0f, 0.0f));
  ArrayD corner(Shape{1, 2});
  corner[0] = 2.0;
  corner[1] = 3.0;
  const ArrayF pattern = farfield_intensities(object, flat, corner);
  // A flat wave puts all of its 64 units of energy in the zero frequency, at (4, 4).
  EXPECT_NEAR(pattern[4 * 8 + 4], 64.0f, 1e-4);
  EXPECT_NEAR(pattern[0], 0.0f, 1e-6);
}

TEST(PtychoSim, SimulationIsDeterministicForASeed) {
  const SmallScan a = small_scan(0.4, 11), b = small_scan(0.4, 11);
  ArrayCF probe = a.probe.clone();
  normalize_probe_photons(probe, 1e5);
  const ArrayF counts_a = poisson_counts(farfield_intensities(a.object, probe, a.positions), 5);
  const ArrayF counts_b = poisson_counts(farfield_intensities(b.object, probe, b.positions), 5);
  const ArrayF counts_c = poisson_counts(farfield_intensities(b.object, probe, b.positions), 6);
  ASSERT_EQ(counts_a.shape(), counts_b.shape());
  EXPECT_TRUE(std::equal(counts_a.data(), counts_a.data() + counts_a.size(), counts_b.data()));
  EXPECT_FALSE(std::equal(counts_a.data(), counts_a.data() + counts_a.size(), counts_c.data()));
}

TEST(PtychoSim, PoissonCountsHaveTheirMeanAsVariance) {
  for (double mean : {3.0, 250.0}) {
    ArrayF intensities(Shape{20, 100, 100});
    std::fill(intensities.data(), intensities.data() + intensities.size(), float(mean));
    const ArrayF counts = poisson_counts(intensities, 42);
    double sum = 0.0, sum2 = 0.0;
    for (float v : counts.host_span()) {
      EXPECT_EQ(v, std::floor(v));
      sum += v;
      sum2 += double(v) * v;
    }
    const double n = double(counts.size()), m = sum / n, variance = sum2 / n - m * m;
    // 2e5 samples: the standard error of the mean is sqrt(mean / 2e5), of the variance ~ mean * 0.003.
    EXPECT_NEAR(m, mean, 5.0 * std::sqrt(mean / n)) << mean;
    EXPECT_NEAR(variance, mean, 0.02 * mean) << mean;
  }
}

TEST(PtychoSim, ProbeNormalisedToPhotons) {
  ArrayCF probe = gaussian_probe(32, 8.0);
  normalize_probe_photons(probe, 1e6);
  double total = 0.0;
  for (const auto& v : probe.host_span()) total += std::norm(v);
  EXPECT_NEAR(total, 1e6, 1.0);
}

}  // namespace
}  // namespace xrecon::sim
