// A Prior role in one file: smooth.gaussian, x <- (1 - s) x + s (G * x), with G a 3-D Gaussian of
// width sigma and s = min(1, weight x strength). A host passes the strength (tomo.admm: rho0 / rho,
// 1 at the start); 0 leaves x as it is.
#include <algorithm>
#include <cmath>
#include <memory>
#include <span>
#include <vector>

#include <xrecon/plugin.hpp>
#include <xrecon/roles.hpp>

namespace {

using namespace xrecon;

// Convolves every line of v (z, y, x) along `axis` with `kernel` (taps -r..r), edges replicated.
void convolve_axis(std::vector<float>& v, const Shape& shape, int axis, const std::vector<float>& kernel) {
  const long n = long(shape[axis]), r = long(kernel.size() / 2);
  const std::size_t stride = axis == 2 ? 1 : axis == 1 ? shape[2] : shape[1] * shape[2];
  std::vector<float> line(n);
  for (std::size_t start = 0; start < v.size(); ++start) {
    if ((start / stride) % n != 0) continue;  // not the first element of a line along `axis`
    for (long k = 0; k < n; ++k) line[k] = v[start + k * stride];
    for (long k = 0; k < n; ++k) {
      double sum = 0;
      for (long t = -r; t <= r; ++t) sum += kernel[t + r] * line[std::clamp(k + t, 0L, n - 1)];
      v[start + k * stride] = float(sum);
    }
  }
}

class GaussianPrior final : public Prior {
 public:
  GaussianPrior(double sigma, double weight) : weight_(weight), radius_(std::size_t(std::ceil(3 * sigma))) {
    double total = 0;
    for (long t = -long(radius_); t <= long(radius_); ++t)
      total += kernel_.emplace_back(float(std::exp(-0.5 * double(t * t) / (sigma * sigma))));
    for (float& k : kernel_) k = float(k / total);
  }

  void apply(Volume& x, double strength, Context&) override {
    const double s = std::min(1.0, weight_ * strength);
    if (s <= 0) return;
    // A host on a GPU hands over device arrays: this prior works on a host copy.
    ArrayF host = x.data.to(MemorySpace::host());
    std::span<float> values = host.host_span();
    std::vector<float> smooth(values.begin(), values.end());
    for (int axis = 0; axis < 3; ++axis) convolve_axis(smooth, host.shape(), axis, kernel_);
    for (std::size_t i = 0; i < values.size(); ++i) values[i] = float((1 - s) * values[i] + s * smooth[i]);
    x.data = host.to(x.data.space());
  }

  // The z convolution reads `radius_` slices beyond each side: a host that splits the slices over
  // devices widens each slab by that much, so the result does not depend on the device count.
  std::size_t halo_slices() const override { return radius_; }

  void prepare(const Shape& volume, Context&) override {
    XRECON_CHECK(volume.rank() == 3, "smooth.gaussian: needs a volume (slices, rows, cols), got " + volume.to_string());
  }

 private:
  double weight_;
  std::size_t radius_;
  std::vector<float> kernel_;
};

ComponentSpec gaussian_spec() {
  ComponentSpec spec;
  spec.name = "smooth.gaussian";
  spec.kind = ComponentKind::prior;
  spec.summary = "3-D Gaussian smoothing as a Prior, blended by weight x strength (an out-of-tree example)";
  spec.params.real("sigma", 1.0, "standard deviation of the Gaussian", 0.1, 20.0, "voxels")
      .real("weight", 0.003, "share of the smoothed volume at strength 1 (tomo.admm's strength grows as rho falls)",
            0.0, 1e6);
  spec.create = [](const ParamValues& p) { return std::make_unique<GaussianPrior>(p.real("sigma"), p.real("weight")); };
  return spec;
}

}  // namespace

XRECON_PLUGIN("smooth", "1.0.0", gaussian_spec())
