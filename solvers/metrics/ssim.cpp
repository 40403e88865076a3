#include <array>
#include <cmath>
#include <string>
#include <vector>

#include "xrecon/metrics/image_quality.hpp"

namespace xrecon::metrics {
namespace {

constexpr std::size_t kWindow = kSsimWindow;
using Weights = std::array<double, kWindow>;

// The 1-D Gaussian; the 2-D window is its outer product, which then also sums to 1.
Weights gaussian_weights() {
  Weights w{};
  double sum = 0.0;
  const double centre = double(kWindow - 1) / 2.0;
  for (std::size_t i = 0; i < kWindow; ++i) {
    const double d = double(i) - centre;
    w[i] = std::exp(-d * d / (2.0 * kSsimSigma * kSsimSigma));
    sum += w[i];
  }
  for (double& v : w) v /= sum;
  return w;
}

// The local means of a, b, a^2, b^2 and ab at each 'valid' window position of one slice.
struct LocalMoments {
  explicit LocalMoments(std::size_t size) : a(size), b(size), aa(size), bb(size), ab(size) {}
  std::vector<double> a, b, aa, bb, ab;
};

LocalMoments local_moments(const float* a, const float* b, std::size_t height, std::size_t width, const Weights& w) {
  const std::size_t out_w = width - kWindow + 1, out_h = height - kWindow + 1;
  // The window is separable: filter the rows first (height x out_w), then the columns.
  LocalMoments rows(height * out_w);
#pragma omp parallel for schedule(static)
  for (std::size_t y = 0; y < height; ++y)
    for (std::size_t x = 0; x < out_w; ++x) {
      double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (std::size_t k = 0; k < kWindow; ++k) {
        const double va = a[y * width + x + k], vb = b[y * width + x + k];
        sa += w[k] * va;
        sb += w[k] * vb;
        saa += w[k] * va * va;
        sbb += w[k] * vb * vb;
        sab += w[k] * va * vb;
      }
      const std::size_t i = y * out_w + x;
      rows.a[i] = sa, rows.b[i] = sb, rows.aa[i] = saa, rows.bb[i] = sbb, rows.ab[i] = sab;
    }
  LocalMoments out(out_h * out_w);
  const auto column_pass = [&](const std::vector<double>& in, std::vector<double>& result) {
#pragma omp parallel for schedule(static)
    for (std::size_t y = 0; y < out_h; ++y)
      for (std::size_t x = 0; x < out_w; ++x) {
        double s = 0;
        for (std::size_t k = 0; k < kWindow; ++k) s += w[k] * in[(y + k) * out_w + x];
        result[y * out_w + x] = s;
      }
  };
  column_pass(rows.a, out.a);
  column_pass(rows.b, out.b);
  column_pass(rows.aa, out.aa);
  column_pass(rows.bb, out.bb);
  column_pass(rows.ab, out.ab);
  return out;
}

}  // namespace

double ssim(const ArrayF& a, const ArrayF& b, double data_range) {
  XRECON_CHECK(a.shape() == b.shape(),
               "SSIM of arrays of different shapes " + a.shape().to_string() + " and " + b.shape().to_string());
  XRECON_CHECK(a.rank() == 2 || a.rank() == 3, "SSIM needs images (y, x) or slices (z, y, x), got " +
                                                   a.shape().to_string());
  XRECON_CHECK(std::isfinite(data_range) && data_range > 0.0,
               "the SSIM data range must be positive and finite, got " + std::to_string(data_range));
  const std::size_t slices = a.rank() == 3 ? a.extent(0) : 1;
  const std::size_t height = a.extent(a.rank() - 2), width = a.extent(a.rank() - 1);
  XRECON_CHECK(height >= kWindow && width >= kWindow && slices > 0,
               "SSIM needs slices of at least 11 x 11 pixels (the window), got " + a.shape().to_string());

  const double c1 = std::pow(kSsimK1 * data_range, 2), c2 = std::pow(kSsimK2 * data_range, 2);
  const Weights w = gaussian_weights();
  const float* pa = a.host_span().data();
  const float* pb = b.host_span().data();
  double sum = 0.0;
  std::size_t positions = 0;
  for (std::size_t z = 0; z < slices; ++z) {
    const LocalMoments m = local_moments(pa + z * height * width, pb + z * height * width, height, width, w);
    for (std::size_t i = 0; i < m.a.size(); ++i) {
      const double mu_a = m.a[i], mu_b = m.b[i];
      const double var_a = m.aa[i] - mu_a * mu_a, var_b = m.bb[i] - mu_b * mu_b;
      const double cov = m.ab[i] - mu_a * mu_b;
      sum += ((2 * mu_a * mu_b + c1) * (2 * cov + c2)) / ((mu_a * mu_a + mu_b * mu_b + c1) * (var_a + var_b + c2));
    }
    positions += m.a.size();
  }
  return sum / double(positions);
}

}  // namespace xrecon::metrics
