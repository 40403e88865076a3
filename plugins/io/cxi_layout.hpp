#pragma once
// Where a CXI file (Coherent X-ray Imaging format, Maia 2012) keeps a ptychography scan: the
// datasets io.cxi reads and io.cxi_writer writes. Units are SI: metres and joules.
namespace xrecon::io::cxi_layout {

inline constexpr const char* kData = "/entry_1/data_1/data";                // (N, H, W) intensities
inline constexpr const char* kTranslation = "/entry_1/data_1/translation";  // (N, 3) x, y, z, metres
inline constexpr const char* kDistance = "/entry_1/instrument_1/detector_1/distance";          // metres
inline constexpr const char* kXPixelSize = "/entry_1/instrument_1/detector_1/x_pixel_size";    // metres
inline constexpr const char* kYPixelSize = "/entry_1/instrument_1/detector_1/y_pixel_size";    // metres
inline constexpr const char* kEnergy = "/entry_1/instrument_1/source_1/energy";                // joules
// (H, W) probe, complex stored as h5py stores complex64: a compound {r, i} of float32. Readers
// also accept complex128 and a real (amplitude-only) array. Optional.
inline constexpr const char* kIllumination = "/entry_1/instrument_1/source_1/illumination";
// (6) the sample's orientation as CXI direction cosines [x'.x, x'.y, x'.z, y'.x, y'.y, y'.z]: for
// a tomographic angle theta (xrecon's, tomo/projector.hpp) the sample frame turned by theta about
// the vertical axis y, [cos theta, 0, -sin theta, 0, 1, 0]. Optional; written by io.cxi_writer.
inline constexpr const char* kOrientation = "/entry_1/sample_1/geometry_1/orientation";
// (2) xrecon's object grid (rows, cols) in object pixels, on which the positions lie as they are,
// -translation / pixel size without a shift: for joint ptycho-tomography the tomographic
// projection grid (slices, detector columns). Optional; written by io.cxi_writer when the scan has
// one, read by io.cxi from an index of per-angle files.
inline constexpr const char* kObjectGrid = "/entry_1/sample_1/geometry_1/xrecon_object_grid";

}  // namespace xrecon::io::cxi_layout
