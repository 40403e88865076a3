// volume_compare RESULT.h5 REFERENCE.h5: how far a result volume is from a reference (both as
// io.hdf5_writer writes them), for tests that run the installed xrecon, which has no compare
// command. Prints "relative_l2 X rmse Y ssim Z" (SSIM over the reference's value range); exits
// non-zero when a file cannot be read, the shapes differ or the result holds NaN or Inf.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <exception>

#include <xrecon/metrics/image_quality.hpp>

#include "volume_reader.hpp"

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: %s RESULT.h5 REFERENCE.h5\n", argv[0]);
    return 2;
  }
  try {
    const xrecon::ArrayF result = xrecon::io::read_volume(argv[1]).data;
    const xrecon::ArrayF reference = xrecon::io::read_volume(argv[2]).data;
    if (result.shape() != reference.shape()) {
      std::fprintf(stderr, "shapes differ: %s against %s\n", result.shape().to_string().c_str(),
                   reference.shape().to_string().c_str());
      return 1;
    }
    const auto values = result.host_span();
    if (!std::all_of(values.begin(), values.end(), [](float v) { return std::isfinite(v); })) {
      std::fprintf(stderr, "%s holds NaN or Inf values\n", argv[1]);
      return 1;
    }
    double difference = 0, norm = 0;
    for (std::size_t i = 0; i < result.size(); ++i) {
      difference += std::pow(double(result[i]) - double(reference[i]), 2);
      norm += std::pow(double(reference[i]), 2);
    }
    const auto [low, high] = std::minmax_element(reference.host_span().begin(), reference.host_span().end());
    std::printf("relative_l2 %.6g rmse %.6g ssim %.6g\n", std::sqrt(difference / norm),
                xrecon::metrics::rmse(result, reference), xrecon::metrics::ssim(result, reference, double(*high - *low)));
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
