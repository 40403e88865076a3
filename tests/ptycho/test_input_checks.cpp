// Input the model cannot take is refused with InputError naming the offending item.
#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "ptycho_test_support.hpp"
#include "xrecon/error.hpp"
#include "xrecon/ptycho/ptycho.hpp"

namespace xrecon::ptycho {
namespace {

struct Scan {
  ArrayCF object = fixtures::random_complex(Shape{20, 20}, 21);
  ArrayCF probe = fixtures::gaussian_probe(8, 2.0);
  ArrayD positions = fixtures::raster_positions(20, 8, 4.0, 0.3, 22);
  ArrayF patterns = fixtures::intensities(farfield(object, probe, positions));
};

// Runs `call`, expecting InputError whose message contains every one of `parts`.
template <typename Call>
void expect_refused(Call call, std::initializer_list<std::string> parts) {
  try {
    call();
    FAIL() << "no InputError";
  } catch (const InputError& e) {
    for (const std::string& part : parts) EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
  }
}

TEST(PtychoInput, PositionOutsideTheObjectIsNamed) {
  Scan s;
  s.positions[2 * 3] = 12.5;  // row 12.5 + 8 rows > 20
  expect_refused([&] { farfield(s.object, s.probe, s.positions); }, {"position 3", "12.5", "outside"});
  s.positions[2 * 3] = -0.25;
  expect_refused([&] { reconstruct(s.patterns, s.positions, s.object, s.probe); }, {"position 3", "-0.25"});
}

TEST(PtychoInput, ProbeLargerThanTheDetector) {
  Scan s;
  const ArrayCF big = fixtures::gaussian_probe(10, 2.0);
  const ArrayD at_origin = ArrayD::zeros(s.positions.shape());  // every 10x10 window inside the object
  expect_refused([&] { object_gradient(s.patterns, s.object, big, at_origin, Likelihood::gaussian); },
                 {"larger than the 8x8 detector"});
}

TEST(PtychoInput, CountsMustAgree) {
  Scan s;
  const ArrayF fewer = ArrayF::zeros(Shape{s.positions.extent(0) - 1, 8, 8});
  expect_refused([&] { reconstruct(fewer, s.positions, s.object, s.probe); }, {"diffraction patterns but"});
}

TEST(PtychoInput, NegativeOrNanIntensityIsNamed) {
  Scan s;
  s.patterns[2 * 64 + 9] = -1.0f;
  expect_refused([&] { reconstruct(s.patterns, s.positions, s.object, s.probe); }, {"pattern 2", "(1, 1)"});
  s.patterns[2 * 64 + 9] = std::numeric_limits<float>::quiet_NaN();
  expect_refused([&] { probe_gradient(s.patterns, s.object, s.probe, s.positions, Likelihood::poisson); },
                 {"pattern 2", "nan"});
}

TEST(PtychoInput, ProximalNeedsAMatchingCentre) {
  Scan s;
  const ArrayCF wrong = ArrayCF::zeros(Shape{4, 4});
  CgOptions options;
  options.proximal = CgOptions::Proximal{1.0, &wrong};
  expect_refused([&] { reconstruct(s.patterns, s.positions, s.object, s.probe, options); }, {"proximal centre"});
}

}  // namespace
}  // namespace xrecon::ptycho
