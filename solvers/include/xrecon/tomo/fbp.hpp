#pragma once
// Filtered backprojection (ALGORITHMS.md, tomography): ramp filter in Fourier space times a
// window, then a pixel-driven backprojection scaled so that a uniform disc of value 1
// reconstructs to 1 whatever the number of angles. Like the projectors (projector.hpp), these run
// on the CPU for host arrays and on GPU k for cuda:k arrays.
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projector.hpp"

namespace xrecon::tomo {

enum class FilterWindow { ram_lak, shepp_logan, cosine, hann, hamming, parzen };

// "ram-lak", "shepp-logan", "cosine", "hann", "hamming", "parzen", in enum order.
const std::vector<std::string>& filter_window_names();
std::string_view to_string(FilterWindow window);
// InputError naming the choices when `name` is none of them.
FilterWindow filter_window_from_name(std::string_view name);

// The window's gain at `frequency`, a fraction of the Nyquist frequency in [0, 1].
double filter_window_gain(FilterWindow window, double frequency);

// Length of the zero-padded rows the filter transforms: the next power of two >= 2 * cols, so
// the circular convolution equals the linear one over the detector.
std::size_t filter_padded_length(std::size_t cols);

// Filters every detector row of projections (angles, rows, cols): zero padding to the next power
// of two >= 2 * cols, the Fourier transform of the spatial discrete ramp
// (h[0] = 1/4, h[odd k] = -1/(pi k)^2, h[even k] = 0) times the window.
ArrayF filter_projections(const ArrayF& projections, FilterWindow window);

// Pixel-driven backprojection: every pixel centre is projected onto the detector and the row is
// sampled there by linear interpolation (zero off the detector); the sum over angles is
// multiplied by `scale`. Smoother than the exact adjoint backproject(), whose per-angle hat widths
// differ, so FBP uses this one.
ArrayF backproject_pixel_driven(const ArrayF& projections, const Geometry& geometry, double scale = 1.0);

struct FbpOptions {
  FilterWindow window = FilterWindow::ram_lak;
  // Called on the calling thread after each reconstructed slice with the number done so far;
  // may throw (e.g. Cancelled) to stop the reconstruction. On a GPU the slices are done in groups
  // and the calls for a group come together when it has finished.
  std::function<void(std::size_t slices_done)> on_slice;
};

// projections (angles, rows, cols) -> volume (rows, n, n). The angles are taken to cover
// [0, pi) or [0, 2 pi) evenly: each one is weighted pi / num_angles, right for both.
ArrayF fbp(const ArrayF& projections, const Geometry& geometry, const FbpOptions& options = {});

}  // namespace xrecon::tomo
