// Bad input is refused with an InputError whose message says what is wrong and where.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <limits>

#include "tomo_test_support.hpp"
#include "xrecon/tomo/fbp.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::tomo {
namespace {

class Validation : public ::testing::Test {
 protected:
  Geometry geometry{.angles = fixtures::uniform_angles(6), .cols = 10, .n = 8};
  ArrayF volume = fixtures::random_array(Shape{2, 8, 8}, 1);
  ArrayF projections = fixtures::random_array(Shape{6, 2, 10}, 2);
};

TEST_F(Validation, NonFiniteProjectionsNamed) {
  projections[(4 * 2 + 1) * 10 + 7] = std::numeric_limits<float>::quiet_NaN();
  fixtures::expect_input_error([&] { backproject(projections, geometry); }, "projections contain NaN at angle 4, row 1, col 7");
  fixtures::expect_input_error([&] { fbp(projections, geometry); }, "projections contain NaN at angle 4, row 1, col 7");
  projections[(4 * 2 + 1) * 10 + 7] = 0.0f;
  projections[3] = -std::numeric_limits<float>::infinity();
  fixtures::expect_input_error([&] { filter_projections(projections, FilterWindow::hann); },
                     "projections contain an infinite value at angle 0, row 0, col 3");
  ArrayF x = ArrayF::zeros(volume.shape());
  fixtures::expect_input_error([&] { sirt(projections, geometry, x); }, "projections contain an infinite value");
}

TEST_F(Validation, NonFiniteVolumeNamed) {
  volume[64 + 8 * 3 + 5] = std::numeric_limits<float>::quiet_NaN();
  fixtures::expect_input_error([&] { project(volume, geometry); }, "volume contains NaN at slice 1, row 3, col 5");
  fixtures::expect_input_error([&] { sirt(projections, geometry, volume); }, "start volume contains NaN at slice 1, row 3, col 5");
}

TEST_F(Validation, EmptyAngles) {
  geometry.angles.clear();
  fixtures::expect_input_error([&] { project(volume, geometry); }, "angles is empty");
}

TEST_F(Validation, NonFiniteAngle) {
  geometry.angles[2] = std::nan("");
  fixtures::expect_input_error([&] { project(volume, geometry); }, "projection angle 2 is not finite");
}

TEST_F(Validation, AngleCountMismatch) {
  geometry.angles.pop_back();
  fixtures::expect_input_error([&] { backproject(projections, geometry); }, "projections have 6 angles but the geometry lists 5");
}

TEST_F(Validation, ColumnMismatch) {
  geometry.cols = 12;
  fixtures::expect_input_error([&] { fbp(projections, geometry); }, "projections have 10 detector columns but the geometry says 12");
}

TEST_F(Validation, VolumeShape) {
  geometry.n = 9;
  fixtures::expect_input_error([&] { project(volume, geometry); }, "volume must have shape (slices, 9, 9), got (2x8x8)");
  fixtures::expect_input_error([&] { project(ArrayF(Shape{8, 8}), Geometry{.angles = {0.0}, .cols = 8, .n = 8}); },
                     "volume must have shape");
}

TEST_F(Validation, ZeroSizes) {
  geometry.n = 0;
  fixtures::expect_input_error([&] { backproject(projections, geometry); }, "slice width n must be positive");
  geometry.n = 8;
  geometry.cols = 0;
  fixtures::expect_input_error([&] { project(volume, geometry); }, "detector has no columns");
}

TEST_F(Validation, CenterOutsideDetector) {
  geometry.center = 9.5;
  fixtures::expect_input_error([&] { project(volume, geometry); }, "center of rotation 9.5");
  geometry.center = std::numeric_limits<double>::infinity();
  fixtures::expect_input_error([&] { fbp(projections, geometry); }, "lies outside the detector [0, 9]");
  geometry.center = 9.0;
  EXPECT_NO_THROW(project(volume, geometry));
}

TEST_F(Validation, SirtOptions) {
  ArrayF x = ArrayF::zeros(volume.shape());
  fixtures::expect_input_error([&] { sirt(projections, geometry, x, {.relaxation = 0.0}); }, "relaxation must be in (0, 2]");
  fixtures::expect_input_error([&] { sirt(projections, geometry, x, {.relaxation = 2.5}); }, "relaxation must be in (0, 2]");
  fixtures::expect_input_error([&] { sirt(projections, geometry, x, {.min = 1.0, .max = 0.5}); }, "min (1.0");
  ArrayF wrong = ArrayF::zeros(Shape{3, 8, 8});
  fixtures::expect_input_error([&] { sirt(projections, geometry, wrong); }, "start volume has 3 slices but the projections have 2 rows");
}

TEST_F(Validation, ProjectionsRank) {
  fixtures::expect_input_error([&] { filter_projections(ArrayF(Shape{6, 10}), FilterWindow::ram_lak); },
                     "projections must have shape (angles, rows, cols)");
}

}  // namespace
}  // namespace xrecon::tomo
