// joint.admm as the engine loads it, fed scans that cannot be one tomography: each is refused
// with a message naming the scan and what was expected, before any role is created (the fake
// context creates none, so reaching them would fail otherwise).
#include <gtest/gtest.h>

#include <boost/dll/shared_library.hpp>
#include <functional>
#include <limits>

#include <xrecon/plugin.hpp>

#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"
#include "support/pin_library.hpp"

namespace xrecon {
namespace {

class JointStage : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const std::string path = std::string(XRECON_PLUGIN_BUILD_DIR) + "/xrecon_plugin_joint.so";
    library_ = std::make_unique<boost::dll::shared_library>(
        path, boost::dll::load_mode::rtld_now | boost::dll::load_mode::rtld_local);
    testing::pin_library(path);
    descriptor_ = library_->get_alias<const xrecon_plugin_descriptor*()>(XRECON_PLUGIN_SYMBOL)();
  }

  // A plausible scan at `angle`: 3 positions of an 8 x 8 probe on a 8 x 16 grid.
  static std::shared_ptr<PtychoScan> scan(double angle, std::size_t sequence) {
    auto s = std::make_shared<PtychoScan>();
    s->patterns = ArrayF::zeros(Shape{3, 8, 8});
    s->positions = ArrayD(Shape{3, 2});
    for (std::size_t j = 0; j < 3; ++j) s->positions[2 * j] = 0, s->positions[2 * j + 1] = 4.0 * double(j);
    s->probe = ArrayCF(Shape{8, 8});
    for (auto& v : s->probe.host_span()) v = {1, 0};
    s->object_rows = 8, s->object_cols = 16;
    s->angle = angle, s->sequence = sequence;
    s->energy = 1.4e-15, s->distance = 2, s->detector_pixel = 75e-6;
    return s;
  }

  static std::string error_for(const std::function<void(std::vector<std::shared_ptr<PtychoScan>>&)>& spoil) {
    std::vector<std::shared_ptr<PtychoScan>> scans{scan(0.0, 0), scan(0.5, 1), scan(1.0, 2)};
    spoil(scans);
    const auto* list = static_cast<const ComponentList*>(descriptor_->components());
    const ComponentSpec& spec = list->front();
    ParamValues values;
    for (const ParamSpec& p : spec.params.specs())
      if (p.default_value) values.set(p.name, *p.default_value);
    auto stage = spec.create(values);
    testing::FakeStageIO io;
    for (auto& s : scans) io.queue("scans", s);
    testing::FakeContext context;
    try {
      dynamic_cast<Stage&>(*stage).run(io, context);
    } catch (const InputError& e) {
      return e.what();
    }
    return "no error";
  }

  static inline std::unique_ptr<boost::dll::shared_library> library_;
  static inline const xrecon_plugin_descriptor* descriptor_ = nullptr;
};

TEST_F(JointStage, RefusesScansThatAreNotOneTomography) {
  EXPECT_NE(error_for([](auto& s) { s[2]->angle = 0.5; }).find("repeats an angle"), std::string::npos);
  EXPECT_NE(error_for([](auto& s) { s[1]->patterns = ArrayF::zeros(Shape{3, 8, 6}); }).find("detector shape differs"),
            std::string::npos);
  EXPECT_NE(error_for([](auto& s) { s[1]->object_cols = 12; }).find("object grid"), std::string::npos);
  EXPECT_NE(error_for([](auto& s) { s[2]->patterns[5] = std::numeric_limits<float>::quiet_NaN(); }).find("non-finite"),
            std::string::npos);
  EXPECT_NE(error_for([](auto& s) { s[1]->distance = 1; }).find("object pixel size"), std::string::npos);
  EXPECT_NE(error_for([](auto& s) { s.resize(1); }).find("one scan is no tomography"), std::string::npos);
  // Each message names the scan at fault.
  EXPECT_NE(error_for([](auto& s) { s[2]->angle = 0.5; }).find("message 2"), std::string::npos);
}

}  // namespace
}  // namespace xrecon
