// The prior plugin's Prior roles as a host uses them: created by name through Context::make<Prior>
// (the engine's StageContext and registry, parameters bound against the role's schema), then
// apply(x, strength) on a noisy foam. prior.tv: the identity at strength 0, the host's strength
// scaling its lambda, lower total variation close to the input and nearer the truth. prior.tomogan
// (models/tomogan-foam-admm.h5): the identity at strength 0, a higher SSIM against the truth,
// deterministic, and prepare() refusing sizes its network cannot take.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <random>

#include <xrecon/metrics/image_quality.hpp>
#include <xrecon/sim/foam.hpp>
#include <xrecon/sim/noise.hpp>
#include <xrecon/tomo/fbp.hpp>
#include <xrecon/tomo/projector.hpp>
#include <xrecon/tv/tv.hpp>

#include "support/role_context.hpp"

namespace xrecon {
namespace {

using testing::RoleContext;

const sim::FoamSpec kFoam{.voids = 40, .min_radius = 0.05, .max_radius = 0.2, .seed = 3};

// A foam (slices, n, n) in [0, 1] with Gaussian noise of standard deviation sigma added.
struct NoisyFoam {
  NoisyFoam(std::size_t slices, std::size_t n, float sigma) : clean(sim::random_foam(kFoam, slices, n, n)) {
    noisy = clean.clone();
    std::mt19937 rng(7);
    std::normal_distribution<float> noise(0.0f, sigma);
    for (float& v : noisy.host_span()) v += noise(rng);
  }
  ArrayF clean, noisy;
};

Volume volume_of(const ArrayF& data) {
  Volume v;
  v.data = data.clone();
  return v;
}

double max_difference(const ArrayF& a, const ArrayF& b) {
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, double(std::fabs(a[i] - b[i])));
  return worst;
}

TEST(PriorRoles, TvIsTheIdentityAtStrengthZeroAndDenoisesAboveIt) {
  RoleContext roles("prior");
  const std::unique_ptr<Prior> tv = roles.make<Prior>("prior.tv", {{"lambda", 0.1}});
  EXPECT_EQ(tv->halo_slices(), 0u);  // 2-D TV per slice (the default coupling)
  const NoisyFoam foam(3, 48, 0.15f);

  Volume x = volume_of(foam.noisy);
  tv->apply(x, 0.0, roles.context());
  EXPECT_EQ(max_difference(x.data, foam.noisy), 0.0);

  tv->apply(x, 1.0, roles.context());
  const double tv_noisy = tv::total_variation(foam.noisy, tv::Coupling::slices);
  const double tv_denoised = tv::total_variation(x.data, tv::Coupling::slices);
  const double moved = metrics::rmse(x.data, foam.noisy);
  const double error_before = metrics::rmse(foam.noisy, foam.clean), error_after = metrics::rmse(x.data, foam.clean);
  std::printf("prior.tv: TV %.1f -> %.1f, moved %.3f, error %.3f -> %.3f\n", tv_noisy, tv_denoised, moved, error_before,
              error_after);
  EXPECT_LT(tv_denoised, 0.5 * tv_noisy);  // measured 0.34
  EXPECT_LT(moved, 0.15 * 1.2);           // about the noise it removed, no more
  EXPECT_LT(error_after, 0.7 * error_before);  // measured 0.150 -> 0.063

  // The host's strength scales lambda: strength 2 at lambda 0.05 is strength 1 at lambda 0.1.
  const std::unique_ptr<Prior> half = roles.make<Prior>("prior.tv", {{"lambda", 0.05}});
  Volume y = volume_of(foam.noisy);
  half->apply(y, 2.0, roles.context());
  EXPECT_LT(max_difference(y.data, x.data), 1e-6);

  // 3-D TV reads iterations + 2 slices beyond a slab.
  EXPECT_EQ(roles.make<Prior>("prior.tv", {{"coupling", std::string("volume")}, {"iterations", std::int64_t{20}}})
                ->halo_slices(),
            22u);
  // The factory binds the block against the schema: lambda >= 0.
  EXPECT_THROW(roles.make<Prior>("prior.tv", {{"lambda", -1.0}}), InputError);
}

// FBP of a Poisson-noisy scan of a foam: the kind of image the network was trained on.
struct NoisyFbp {
  NoisyFbp(std::size_t slices, std::size_t n) : clean(sim::random_foam(kFoam, slices, n, n)) {
    tomo::Geometry geometry{.cols = n, .n = n};
    for (std::size_t k = 0; k < 90; ++k) geometry.angles.push_back(double(k) * M_PI / 90.0);
    const ArrayF projections =
        sim::add_poisson_noise(tomo::project(clean, geometry), {.photons = 3000, .max_attenuation = 2.0, .seed = 5});
    noisy = tomo::fbp(projections, geometry);
  }
  ArrayF clean, noisy;
};

TEST(PriorRoles, TomoganRaisesTheSsimOfANoisyFoamAndIsTheIdentityAtZero) {
  RoleContext roles("prior");
  const std::string model = XRECON_SOURCE_DIR "/models/tomogan-foam-admm.h5";
  const std::unique_ptr<Prior> gan = roles.make<Prior>("prior.tomogan", {{"model", model}});
  EXPECT_EQ(gan->halo_slices(), 1u);  // a 3-slice input
  const NoisyFbp scan(5, 64);
  gan->prepare(scan.noisy.shape(), roles.context());

  Volume x = volume_of(scan.noisy);
  gan->apply(x, 0.0, roles.context());
  EXPECT_EQ(max_difference(x.data, scan.noisy), 0.0);

  gan->apply(x, 1.0, roles.context());
  const double before = metrics::ssim(scan.noisy, scan.clean, 1.0), after = metrics::ssim(x.data, scan.clean, 1.0);
  std::printf("prior.tomogan: SSIM %.3f -> %.3f\n", before, after);
  EXPECT_GT(after, before + 0.3);  // measured 0.324 -> 0.887

  // The same input gives the same output, from the same instance and from a new one.
  Volume again = volume_of(scan.noisy);
  gan->apply(again, 1.0, roles.context());
  EXPECT_EQ(max_difference(again.data, x.data), 0.0);
  Volume fresh = volume_of(scan.noisy);
  roles.make<Prior>("prior.tomogan", {{"model", model}})->apply(fresh, 1.0, roles.context());
  EXPECT_EQ(max_difference(fresh.data, x.data), 0.0);

  // Half the strength is half way between the input and the network's output.
  Volume blend = volume_of(scan.noisy);
  roles.make<Prior>("prior.tomogan", {{"model", model}, {"strength", 0.5}})->apply(blend, 1.0, roles.context());
  for (std::size_t i = 0; i < blend.data.size(); i += 97)
    EXPECT_NEAR(blend.data[i], 0.5f * (scan.noisy[i] + x.data[i]), 1e-5f) << i;

  EXPECT_THROW(gan->prepare(Shape{5, 63, 63}, roles.context()), InputError);  // odd: no multiple of the model's
  EXPECT_THROW(roles.make<Prior>("prior.tomogan", {{"model", std::string("/nonexistent.h5")}}), InputError);
}

}  // namespace
}  // namespace xrecon
