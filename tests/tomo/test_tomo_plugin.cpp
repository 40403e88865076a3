// The built plugin as the engine sees it: loaded with Boost.DLL, its descriptor and schemas
// checked, its stages run on analytic data through a fake StageIO and Context.
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <limits>

#include <xrecon/plugin.hpp>
#include <xrecon/roles.hpp>
#include <xrecon/tomo/fbp.hpp>

#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"
#include "support/pin_library.hpp"
#include "tomo_test_support.hpp"

namespace xrecon::tomo {
namespace {

class TomoPlugin : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = std::string(XRECON_PLUGIN_BUILD_DIR) + "/xrecon_plugin_tomo.so";
    library_ = std::make_unique<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    xrecon::testing::pin_library(path);
    descriptor_ = library_->get_alias<const xrecon_plugin_descriptor*()>(XRECON_PLUGIN_SYMBOL)();
  }

  static const ComponentSpec& spec(const std::string& name) {
    const auto* list = static_cast<const ComponentList*>(descriptor_->components());
    for (const ComponentSpec& s : *list)
      if (s.name == name) return s;
    throw std::runtime_error("no component " + name);
  }

  // The schema's defaults with `overrides` on top, as the engine binds a pipeline's `with:`.
  static ParamValues values(const ComponentSpec& spec, const std::map<std::string, ParamValue>& overrides = {}) {
    ParamValues v;
    for (const ParamSpec& p : spec.params.specs())
      if (p.default_value) v.set(p.name, *p.default_value);
    for (const auto& [name, value] : overrides) v.set(name, value);
    if (spec.check) spec.check(v);
    return v;
  }

  // A disc of value 1 and radius 0.6 in every slice, from exact line integrals.
  static std::shared_ptr<Projections> disc_projections(std::size_t n, std::size_t slices, std::size_t angles) {
    const Geometry geometry{.angles = fixtures::uniform_angles(angles), .cols = n, .n = n};
    const ArrayF sinogram = fixtures::analytic_sinogram({{1.0, 0.6, 0.6, 0.0, 0.0, 0.0}}, geometry);
    auto p = std::make_shared<Projections>();
    p->data = ArrayF(Shape{angles, slices, n});
    for (std::size_t k = 0; k < angles; ++k)
      for (std::size_t z = 0; z < slices; ++z)
        std::copy_n(sinogram.data() + k * n, n, p->data.data() + (k * slices + z) * n);
    p->angles = geometry.angles;
    p->pixel_size = 2e-6;
    return p;
  }

  // The same disc in every slice, scaled by 1 + z / 10 so that a slice in the wrong place shows.
  static std::shared_ptr<Projections> graded_projections(std::size_t n, std::size_t slices, std::size_t angles) {
    auto p = disc_projections(n, slices, angles);
    for (std::size_t k = 0; k < angles; ++k)
      for (std::size_t z = 0; z < slices; ++z)
        for (std::size_t j = 0; j < n; ++j) p->data[(k * slices + z) * n + j] *= 1.0f + 0.1f * float(z);
    return p;
  }

  struct Run {
    explicit Run(std::size_t devices) : context(testing::cpu_devices(devices)) {}
    std::shared_ptr<const Volume> volume;
    testing::FakeContext context;
  };

  static std::unique_ptr<Run> run(const std::string& component, std::shared_ptr<const Projections> input,
                                  const std::map<std::string, ParamValue>& overrides = {}, bool cancelled = false,
                                  std::size_t devices = 1) {
    const ComponentSpec& s = spec(component);
    std::unique_ptr<Component> created = s.create(values(s, overrides));
    auto* stage = dynamic_cast<Stage*>(created.get());
    EXPECT_NE(stage, nullptr);
    auto result = std::make_unique<Run>(devices);
    if (cancelled) result->context.cancel();
    testing::FakeStageIO io;
    io.queue("projections", std::move(input));
    stage->run(io, result->context);
    EXPECT_EQ(io.sent("volume").size(), 1u);
    result->volume = std::static_pointer_cast<const Volume>(io.sent("volume").at(0));
    return result;
  }

  static float centre_value(const Volume& v, std::size_t slice) {
    const std::size_t n = v.data.extent(1);
    return v.data[(slice * n + n / 2) * n + n / 2];
  }

  static inline std::unique_ptr<boost::dll::shared_library> library_;
  static inline const xrecon_plugin_descriptor* descriptor_ = nullptr;
};

TEST_F(TomoPlugin, DescriptorNamesThePluginAndItsComponents) {
  EXPECT_STREQ(descriptor_->name, "tomo");
  EXPECT_EQ(descriptor_->abi_major, XRECON_SDK_ABI_MAJOR);
  EXPECT_STREQ(descriptor_->build_tag, XRECON_PLUGIN_BUILD_TAG);
  for (const char* name : {"tomo.fbp", "tomo.sirt", "tomo.cgls"}) {
    const ComponentSpec& s = spec(name);
    EXPECT_EQ(s.kind, ComponentKind::stage);
    ASSERT_EQ(s.inputs.size(), 1u);
    EXPECT_EQ(s.inputs[0].name, "projections");
    EXPECT_EQ(s.inputs[0].kind, PayloadKind::projections);
    ASSERT_EQ(s.outputs.size(), 1u);
    EXPECT_EQ(s.outputs[0].name, "volume");
    EXPECT_EQ(s.outputs[0].kind, PayloadKind::volume);
    for (const ParamSpec& p : s.params.specs()) EXPECT_FALSE(p.doc.empty()) << name << "." << p.name;
  }
  const ComponentSpec& solver = spec("tomo.cgls_solver");
  EXPECT_EQ(solver.kind, ComponentKind::tomo_solver);
  EXPECT_TRUE(solver.inputs.empty());
  EXPECT_NE(dynamic_cast<TomoSolver*>(solver.create(values(solver)).get()), nullptr);

  // tomo.admm hosts a TomoSolver (CGLS by default) and a Prior (none by default) by name.
  const ComponentSpec& admm = spec("tomo.admm");
  const ParamSpec* tomo_slot = admm.params.find("tomo");
  ASSERT_NE(tomo_slot, nullptr);
  EXPECT_EQ(tomo_slot->type, ParamType::component);
  EXPECT_EQ(tomo_slot->role, ComponentKind::tomo_solver);
  EXPECT_EQ(std::get<ComponentChoice>(*tomo_slot->default_value).plugin, "tomo.cgls_solver");
  const ParamSpec* prior_slot = admm.params.find("prior");
  ASSERT_NE(prior_slot, nullptr);
  EXPECT_EQ(prior_slot->role, ComponentKind::prior);
  EXPECT_FALSE(prior_slot->default_value.has_value());
  ASSERT_EQ(admm.inputs.size(), 2u);
  EXPECT_TRUE(admm.inputs[1].optional);
  EXPECT_THROW(admm.check(values(admm, {{"min", 1.0}, {"max", 0.5}})), ParamError);
}

TEST_F(TomoPlugin, Schemas) {
  const ParamSpec* filter = spec("tomo.fbp").params.find("filter");
  ASSERT_NE(filter, nullptr);
  EXPECT_EQ(filter->type, ParamType::choice);
  EXPECT_EQ(std::get<std::string>(*filter->default_value), "ram-lak");
  EXPECT_EQ(filter->choices, filter_window_names());

  const ParamSchema& sirt = spec("tomo.sirt").params;
  EXPECT_EQ(std::get<std::int64_t>(*sirt.find("iterations")->default_value), 100);
  EXPECT_EQ(sirt.find("iterations")->min, 1.0);
  EXPECT_EQ(sirt.find("iterations")->max, 100000.0);
  EXPECT_EQ(std::get<double>(*sirt.find("relaxation")->default_value), 1.0);
  EXPECT_EQ(sirt.find("relaxation")->max, 2.0);
  // (0, 2]: the binder refuses 0 from the schema, with the line of the value.
  EXPECT_EQ(sirt.find("relaxation")->min, 0.0);
  EXPECT_TRUE(sirt.find("relaxation")->min_exclusive);
  EXPECT_FALSE(sirt.find("relaxation")->max_exclusive);
  for (const char* optional : {"min", "max", "size"}) {
    EXPECT_FALSE(sirt.find(optional)->default_value.has_value()) << optional;
    EXPECT_FALSE(sirt.find(optional)->required) << optional;
  }

  const ParamSchema& cgls = spec("tomo.cgls").params;
  EXPECT_EQ(std::get<std::int64_t>(*cgls.find("iterations")->default_value), 20);
  EXPECT_EQ(cgls.find("iterations")->min, 1.0);
  EXPECT_FALSE(cgls.find("size")->default_value.has_value());
  EXPECT_EQ(cgls.specs().size(), 2u);  // CGLS has no bounds: clamping would break its conjugacy
}

TEST_F(TomoPlugin, SirtRejectsParameterCombinations) {
  const ComponentSpec& s = spec("tomo.sirt");
  EXPECT_THROW(values(s, {{"min", 2.0}, {"max", 1.0}}), ParamError);
}

TEST_F(TomoPlugin, FbpReconstructsEverySlice) {
  auto result = run("tomo.fbp", disc_projections(64, 3, 90), {{"filter", std::string("hann")}});
  const Volume& v = *result->volume;
  EXPECT_EQ(v.data.shape(), (Shape{3, 64, 64}));
  EXPECT_EQ(v.voxel_size, 2e-6);
  for (std::size_t z = 0; z < 3; ++z) EXPECT_NEAR(centre_value(v, z), 1.0f, 0.01f) << "slice " << z;
  EXPECT_EQ(result->context.progress_total(), 3u);
  EXPECT_EQ(result->context.progress_done(), 3u);
  EXPECT_TRUE(result->context.progress_finished());
  ASSERT_EQ(result->context.log_lines().size(), 1u);
  EXPECT_NE(result->context.log_lines()[0].text.find("tomo.fbp: 3 slices of 64x64 from 90 angles"), std::string::npos)
      << result->context.log_lines()[0].text;
}

TEST_F(TomoPlugin, FbpWarnsWhenTheAnglesDoNotCoverAHalfTurn) {
  auto limited = disc_projections(32, 1, 30);
  for (double& theta : limited->angles) theta /= 2.0;
  const auto warned = [](const Run& r) {
    for (const testing::LogLine& line : r.context.log_lines())
      if (line.text.find("the angles cover 90.0") != std::string::npos) return true;
    return false;
  };
  EXPECT_TRUE(warned(*run("tomo.fbp", limited)));
  EXPECT_FALSE(warned(*run("tomo.fbp", disc_projections(32, 1, 30))));
}

TEST_F(TomoPlugin, SizeSetsTheSliceWidth) {
  auto result = run("tomo.fbp", disc_projections(64, 1, 60), {{"size", std::int64_t{40}}});
  EXPECT_EQ(result->volume->data.shape(), (Shape{1, 40, 40}));
  EXPECT_NEAR(centre_value(*result->volume, 0), 1.0f, 0.02f);
}

TEST_F(TomoPlugin, SirtRunsTheRequestedIterations) {
  auto result = run("tomo.sirt", disc_projections(48, 2, 60), {{"iterations", std::int64_t{30}}, {"min", 0.0}});
  const Volume& v = *result->volume;
  EXPECT_EQ(v.data.shape(), (Shape{2, 48, 48}));
  for (std::size_t z = 0; z < 2; ++z) EXPECT_NEAR(centre_value(v, z), 1.0f, 0.05f) << "slice " << z;
  EXPECT_EQ(*std::min_element(v.data.data(), v.data.data() + v.data.size()), 0.0f);
  EXPECT_EQ(result->context.progress_total(), 30u);
  EXPECT_EQ(result->context.progress_done(), 30u);
  ASSERT_EQ(result->context.log_lines().size(), 1u);
  EXPECT_NE(result->context.log_lines()[0].text.find("tomo.sirt: 30 iterations"), std::string::npos)
      << result->context.log_lines()[0].text;
}

TEST_F(TomoPlugin, CglsRunsTheRequestedIterations) {
  auto result = run("tomo.cgls", disc_projections(48, 2, 60), {{"iterations", std::int64_t{12}}});
  const Volume& v = *result->volume;
  EXPECT_EQ(v.data.shape(), (Shape{2, 48, 48}));
  EXPECT_EQ(v.description, "attenuation per pixel, CGLS");
  for (std::size_t z = 0; z < 2; ++z) EXPECT_NEAR(centre_value(v, z), 1.0f, 0.05f) << "slice " << z;
  EXPECT_EQ(result->context.progress_total(), 12u);
  EXPECT_EQ(result->context.progress_done(), 12u);
  EXPECT_TRUE(result->context.progress_finished());
  ASSERT_EQ(result->context.log_lines().size(), 1u);
  EXPECT_NE(result->context.log_lines()[0].text.find("tomo.cgls: 12 iterations on 2 slices of 48x48 from 60 angles"),
            std::string::npos)
      << result->context.log_lines()[0].text;
}

// Slabs of 7 slices on 1 to 4 virtual CPU devices (7 divides by none of 2, 3, 4) give the
// one-device volume: FBP and SIRT slabs are independent, CGLS sums its scalars over the devices.
TEST_F(TomoPlugin, EveryDeviceCountGivesTheSameVolume) {
  const auto input = graded_projections(32, 7, 40);
  const std::map<std::string, std::map<std::string, ParamValue>> stages{
      {"tomo.fbp", {}},
      {"tomo.sirt", {{"iterations", std::int64_t{15}}, {"min", 0.0}}},
      {"tomo.cgls", {{"iterations", std::int64_t{15}}}}};
  for (const auto& [component, overrides] : stages) {
    const auto one = run(component, input, overrides);
    for (std::size_t devices : {2u, 3u, 4u}) {
      const auto many = run(component, input, overrides, false, devices);
      ASSERT_EQ(many->volume->data.shape(), one->volume->data.shape());
      EXPECT_LT(fixtures::relative_max(many->volume->data, one->volume->data), 1e-5)
          << component << " on " << devices << " devices";
      EXPECT_EQ(many->context.progress_done(), one->context.progress_done()) << component;
      ASSERT_EQ(many->context.log_lines().size(), 1u);
      EXPECT_NE(many->context.log_lines()[0].text.find("on " + std::to_string(devices) + " devices"), std::string::npos)
          << many->context.log_lines()[0].text;
    }
  }
}

TEST_F(TomoPlugin, MoreDevicesThanSlices) {
  const auto input = graded_projections(24, 2, 30);
  for (const char* component : {"tomo.fbp", "tomo.sirt", "tomo.cgls"}) {
    const std::map<std::string, ParamValue> overrides =
        std::string(component) == "tomo.fbp" ? std::map<std::string, ParamValue>{}
                                             : std::map<std::string, ParamValue>{{"iterations", std::int64_t{5}}};
    const auto one = run(component, input, overrides);
    const auto five = run(component, input, overrides, false, 5);
    EXPECT_LT(fixtures::relative_max(five->volume->data, one->volume->data), 1e-5) << component;
  }
}

TEST_F(TomoPlugin, CglsSolverRoleMatchesTheStage) {
  const auto input = graded_projections(32, 3, 40);
  const auto stage = run("tomo.cgls", input, {{"iterations", std::int64_t{8}}});
  for (std::size_t devices : {1u, 2u}) {
    const ComponentSpec& s = spec("tomo.cgls_solver");
    std::unique_ptr<Component> created = s.create(values(s));
    auto* solver = dynamic_cast<TomoSolver*>(created.get());
    ASSERT_NE(solver, nullptr);
    testing::FakeContext context(testing::cpu_devices(devices));
    Volume x;  // empty: start from zeros as wide as the detector
    solver->solve(*input, x, 8, std::nullopt, context);
    EXPECT_LT(fixtures::relative_max(x.data, stage->volume->data), 1e-5) << devices << " devices";

    // Warm started from that result with a heavy pull towards v, it lands on v.
    Volume v;
    v.data = fixtures::random_array(x.data.shape(), 3);
    solver->solve(*input, x, 5, TomoSolver::Proximal{1e7, &v}, context);
    EXPECT_LT(fixtures::relative_l2(x.data, v.data), 1e-4);
  }
}

TEST_F(TomoPlugin, CglsSolverRefusesMismatchedVolumes) {
  const auto input = graded_projections(16, 3, 20);
  const ComponentSpec& s = spec("tomo.cgls_solver");
  std::unique_ptr<Component> created = s.create(values(s));
  auto& solver = dynamic_cast<TomoSolver&>(*created);
  testing::FakeContext context;
  Volume x;
  x.data = ArrayF::zeros(Shape{2, 16, 16});
  EXPECT_THROW(solver.solve(*input, x, 3, std::nullopt, context), InputError);
  x.data = ArrayF::zeros(Shape{3, 16, 16});
  Volume v;
  v.data = ArrayF::zeros(Shape{3, 12, 12});
  EXPECT_THROW(solver.solve(*input, x, 3, TomoSolver::Proximal{1.0, &v}, context), InputError);
}

TEST_F(TomoPlugin, CancellationStopsTheStages) {
  for (std::size_t devices : {1u, 3u}) {
    for (const char* component : {"tomo.sirt", "tomo.fbp", "tomo.cgls"})
      EXPECT_THROW(run(component, disc_projections(32, 4, 20), {}, /*cancelled=*/true, devices), Cancelled)
          << component << " on " << devices << " devices";
  }
}

TEST_F(TomoPlugin, AdmmRefusesNonFiniteProjectionsBeforeCreatingItsRoles) {
  // The fake context can create no nested roles: reaching them would throw another error.
  for (float bad : {std::numeric_limits<float>::quiet_NaN(), std::numeric_limits<float>::infinity()}) {
    auto p = disc_projections(32, 2, 20);
    p->data[(3 * 2 + 1) * 32 + 7] = bad;
    try {
      run("tomo.admm", p);
      ADD_FAILURE() << "no error for " << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("projections contain"), std::string::npos) << e.what();
    }
  }
}

TEST_F(TomoPlugin, BadDataIsAnInputError) {
  auto p = disc_projections(32, 2, 20);
  p->data[(5 * 2 + 1) * 32 + 9] = std::numeric_limits<float>::quiet_NaN();
  try {
    run("tomo.fbp", p);
    ADD_FAILURE() << "NaN accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("projections contain NaN at angle 5, row 1, col 9"), std::string::npos)
        << e.what();
  }
  auto q = disc_projections(32, 1, 20);
  q->angles.pop_back();
  EXPECT_THROW(run("tomo.sirt", q), InputError);
}

// Checked whole before the slices are split, so messages name the rows of the data, not of a slab.
TEST_F(TomoPlugin, BadDataIsAnInputErrorOnEveryDeviceCount) {
  const auto expect_error = [&](const char* component, std::shared_ptr<const Projections> p, std::size_t devices,
                                const std::string& expected) {
    try {
      run(component, std::move(p), {}, false, devices);
      ADD_FAILURE() << component << ": no error, expected '" << expected << "'";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << component << ": " << e.what();
    }
  };
  for (const char* component : {"tomo.fbp", "tomo.sirt", "tomo.cgls"}) {
    for (std::size_t devices : {1u, 3u}) {
      auto nan = disc_projections(32, 5, 20);
      nan->data[(7 * 5 + 4) * 32 + 3] = std::numeric_limits<float>::quiet_NaN();
      expect_error(component, nan, devices, "projections contain NaN at angle 7, row 4, col 3");
      auto fewer_angles = disc_projections(32, 5, 20);
      fewer_angles->angles.resize(18);
      expect_error(component, fewer_angles, devices, "projections have 20 angles but the geometry lists 18");
      auto off_axis = disc_projections(32, 5, 20);
      off_axis->center = 40;
      expect_error(component, off_axis, devices, "the center of rotation 40.000000 lies outside the detector [0, 31]");
    }
  }
}

}  // namespace
}  // namespace xrecon::tomo
