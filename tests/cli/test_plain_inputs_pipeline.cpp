// A TomoPy user's files through `xrecon run`: the sinogram of a disk saved as np.save writes
// skimage.transform.radon(...).T (float64, Fortran order), its angles as np.savetxt writes them,
// then io.npy -> tomo.fbp -> io.hdf5_writer, and the slice read back against the disk.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include "command.hpp"
#include "volume_reader.hpp"

namespace {

constexpr std::size_t kAngles = 180;
constexpr std::size_t kCols = 65;  // odd: the middle column is the axis in every convention
constexpr double kAxis = 32;
constexpr double kRadius = 20;

// The .npy bytes of a (kAngles, kCols) float64 array stored column-major, as np.save writes a
// transposed array: header dict padded with blanks to a multiple of 64 bytes, newline last.
void write_fortran_sinogram(const std::string& file, const std::vector<double>& column_major) {
  std::string header = "{'descr': '<f8', 'fortran_order': True, 'shape': (" + std::to_string(kAngles) + ", " +
                       std::to_string(kCols) + "), }";
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::ofstream out(file, std::ios::binary);
  out << "\x93NUMPY" << char(1) << char(0) << char(header.size() & 0xff) << char(header.size() >> 8) << header;
  out.write(reinterpret_cast<const char*>(column_major.data()), std::streamsize(column_major.size() * sizeof(double)));
}

}  // namespace

TEST(PlainInputsPipeline, NpySinogramOfADiskReconstructsTheDisk) {
  TempDir dir;
  // A disk of attenuation 1 per pixel centred on the axis: every angle sees the chord 2 sqrt(R^2 - s^2).
  std::vector<double> sinogram(kAngles * kCols);
  for (std::size_t c = 0; c < kCols; ++c) {
    const double s = double(c) - kAxis;
    const double chord = std::abs(s) < kRadius ? 2 * std::sqrt(kRadius * kRadius - s * s) : 0.0;
    for (std::size_t a = 0; a < kAngles; ++a) sinogram[a + kAngles * c] = chord;
  }
  write_fortran_sinogram(dir / "sino.npy", sinogram);
  {
    std::ofstream theta(dir / "theta.txt");  // np.savetxt of numpy.linspace(0, 180, 180, endpoint=False)
    for (std::size_t a = 0; a < kAngles; ++a) theta << double(a) << "\n";
  }
  std::ofstream(dir / "pipeline.yaml") << "version: 1\nstages:\n"
                                       << "  - {id: load, plugin: io.npy, with: {path: " << (dir / "sino.npy")
                                       << ", theta_file: " << (dir / "theta.txt") << "}}\n"
                                       << "  - {id: recon, plugin: tomo.fbp, inputs: {projections: load.projections}}\n"
                                       << "  - {id: save, plugin: io.hdf5_writer, inputs: {volume: recon.volume}, "
                                          "with: {path: "
                                       << (dir / "disk.h5") << ", preview: false}}\n";
  const CommandResult r = run_command(xrecon_command("run " + (dir / "pipeline.yaml")));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("io.npy: read " + (dir / "sino.npy") +
                          ": 180 projections x 1 rows x 65 cols (float64, Fortran order); theta 0.00..179.00 deg (" +
                          (dir / "theta.txt") + " in degrees, auto: values up to 179"),
            std::string::npos)
      << r.output;

  const xrecon::Volume volume = xrecon::io::read_volume(dir / "disk.h5");
  ASSERT_EQ(volume.data.shape(), xrecon::Shape({1, kCols, kCols}));
  // Inside and outside the disk, away from its edge (FBP rings there) and inside the field of view.
  double inside = 0, outside = 0, error = 0;
  std::size_t inside_count = 0, outside_count = 0;
  for (std::size_t i = 0; i < kCols; ++i)
    for (std::size_t j = 0; j < kCols; ++j) {
      const double r_pixel = std::hypot(double(i) - kAxis, double(j) - kAxis);
      const double v = volume.data[i * kCols + j];
      if (r_pixel < kRadius - 2) {
        inside += v;
        error += (v - 1) * (v - 1);
        ++inside_count;
      } else if (r_pixel > kRadius + 2 && r_pixel < kAxis - 2) {
        outside += v;
        error += v * v;
        ++outside_count;
      }
    }
  inside /= double(inside_count);
  outside /= double(outside_count);
  const double rmse = std::sqrt(error / double(inside_count + outside_count));
  std::cout << "disk: mean inside " << inside << ", outside " << outside << ", RMSE away from the edge " << rmse << "\n";
  // Measured 1.007, -0.0002 and 0.0066 (ram-lak, noiseless).
  EXPECT_NEAR(inside, 1.0, 0.02);
  EXPECT_NEAR(outside, 0.0, 0.01);
  EXPECT_LT(rmse, 0.01);
}
