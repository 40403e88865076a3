#pragma once
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/export.hpp"

namespace xrecon {

// Ports are typed by payload kind; the planner matches kinds when a pipeline is built
// (as GStreamer matches caps), so a mismatch is reported before any stage runs.
enum class PayloadKind { volume, projections, image_stack, ptycho_scan, complex_projections };

XRECON_SDK_API std::string_view to_string(PayloadKind kind);

// A message on an edge: immutable once sent, shared between all consumers of a port.
class XRECON_SDK_API Payload {
 public:
  virtual ~Payload();
  virtual PayloadKind kind() const = 0;
  // Streaming producers number their messages; batch producers send one message with index 0.
  std::size_t sequence = 0;
};

// A 3-D volume z x y x x (for 2-D work z = 1). Values in the units of the quantity
// reconstructed (attenuation per pixel for tomography).
class XRECON_SDK_API Volume : public Payload {
 public:
  ~Volume() override;
  PayloadKind kind() const override { return PayloadKind::volume; }
  ArrayF data;              // (z, y, x)
  double voxel_size = 1.0;  // metres; 1 when unknown
  std::string description;  // what the values are, for the provenance record
};

// Where the rotation axis sits on the reconstruction grid and on the detector when `center` is not
// given (docs/geometry.md). Both put the axis at the grid's centre; they differ in what "centre"
// means for an even width, by half a pixel:
// - tomopy: the axis passes through the centre of pixel n / 2 (integer division) of an n-wide
//   slice, and the default axis is detector column cols / 2 (integer division), as
//   scikit-image's radon/iradon and TomoPy's gridrec have it (a sinogram made with either
//   reconstructs unshifted; TomoPy's default center dx / 2 differs for an odd width only);
// - astra: the axis passes through the slice's geometric centre (n - 1) / 2 and the default axis
//   is column (cols - 1) / 2, as ASTRA's parallel geometry has it (and xrecon before SDK 5.0).
enum class CentreConvention { tomopy, astra };

// The slice coordinate (pixel index, sub-pixel) that the rotation axis passes through.
inline double axis_pixel(std::size_t n, CentreConvention convention) {
  return convention == CentreConvention::tomopy ? double(n / 2) : (double(n) - 1.0) / 2.0;
}
inline const char* to_string(CentreConvention convention) {
  return convention == CentreConvention::tomopy ? "tomopy" : "astra";
}
// The detector column of the rotation axis when none is given.
inline double default_center(std::size_t cols, CentreConvention convention) {
  return convention == CentreConvention::tomopy ? double(cols / 2) : (double(cols) - 1.0) / 2.0;
}

// Parallel-beam projections angles x rows x cols, already normalised (line integrals).
class XRECON_SDK_API Projections : public Payload {
 public:
  ~Projections() override;
  PayloadKind kind() const override { return PayloadKind::projections; }
  ArrayF data;                // (angles, rows, cols)
  std::vector<double> angles; // radians, one per projection
  // Detector column of the rotation axis, sub-pixel (column j's centre is at j); < 0: the
  // convention's default_center.
  double center = -1.0;
  CentreConvention convention = CentreConvention::tomopy;
  double pixel_size = 1.0;    // metres; 1 when unknown
  // Raw detector counts travel with their flat (white) and dark fields (n, rows, cols) until a
  // normalisation stage turns them into line integrals; both are empty once data is normalised.
  ArrayF flats;
  ArrayF darks;
  bool normalized() const { return flats.empty() && darks.empty(); }
  // Per-ray weights >= 0 of a weighted least-squares solve (data's shape and memory space), e.g.
  // |t|^2 of joint ptycho-tomography's linearised log; empty: every ray weighs 1. Only solvers
  // whose TomoSolver::takes_weights() is true may be given them.
  ArrayF weights;

  std::size_t num_angles() const { return data.extent(0); }
  std::size_t num_rows() const { return data.extent(1); }
  std::size_t num_cols() const { return data.extent(2); }
  double center_or_default() const { return center < 0 ? default_center(num_cols(), convention) : center; }
};

// A stack of 2-D images (n, y, x), e.g. refreshed slices of a stream.
class XRECON_SDK_API ImageStack : public Payload {
 public:
  ~ImageStack() override;
  PayloadKind kind() const override { return PayloadKind::image_stack; }
  ArrayF data;
};

// Far-field ptychography scan: patterns N x H x W with positions and instrument geometry.
// Positions are in pixels of the object grid (whose pixel size is wavelength * distance /
// (W * detector_pixel)): the (row, col) of the top-left corner of the probe window, sub-pixel.
class XRECON_SDK_API PtychoScan : public Payload {
 public:
  ~PtychoScan() override;
  PayloadKind kind() const override { return PayloadKind::ptycho_scan; }
  ArrayF patterns;            // (N, H, W) measured intensities (photon counts), zero frequency at the centre
  ArrayD positions;           // (N, 2) (row, col) of the probe window's top-left corner, object pixels
  ArrayCF probe;              // (H, W) initial or known probe
  std::size_t object_rows = 0;  // object grid; 0: just large enough for every probe window
  std::size_t object_cols = 0;
  double angle = 0;           // radians, the tomographic angle of this scan (joint ptycho-tomography)
  double energy = 0;          // joules
  double distance = 0;        // metres, sample to detector
  double detector_pixel = 0;  // metres
};

// Complex transmission per angle (psi), the ptychography result that tomography consumes.
class XRECON_SDK_API ComplexProjections : public Payload {
 public:
  ~ComplexProjections() override;
  PayloadKind kind() const override { return PayloadKind::complex_projections; }
  ArrayCF data;  // (angles, rows, cols)
  std::vector<double> angles;
};

}  // namespace xrecon
