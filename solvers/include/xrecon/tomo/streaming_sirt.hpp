#pragma once
// Streaming sliding-window SIRT after Bicer's Trace (ALGORITHMS.md, tomography): projections
// arrive one at a time; every `step` new projections the persistent image gets `iterations` SIRT
// iterations on the last `window` projections only, starting from where it was.
#include <cstddef>

#include "xrecon/array.hpp"
#include "xrecon/tomo/projection_window.hpp"
#include "xrecon/tomo/projector.hpp"
#include "xrecon/tomo/sirt.hpp"

namespace xrecon::tomo {

struct StreamingSirtOptions {
  std::size_t window = 16;  // W: the most recent projections a refresh works on
  std::size_t step = 16;    // S: new projections between refreshes; S <= W, or some would never be used
  SirtOptions sirt;         // iterations per refresh (I), relaxation, bounds, per-iteration callback
};

class StreamingSirt {
 public:
  // `detector` gives the detector width, rotation axis and slice size n (its angles are ignored);
  // `rows` detector rows, one slice of the image each. The image lives in `space` (host or one
  // GPU) and every refresh runs there; the window of projections stays in host memory, where they
  // arrive, and travels to the image's space once per refresh (W projections against I SIRT
  // iterations over the whole image: small next to the refresh itself).
  StreamingSirt(Geometry detector, std::size_t rows, StreamingSirtOptions options,
                MemorySpace space = MemorySpace::host());

  // Takes one projection (rows x cols values, copied) acquired at `angle` radians, and refreshes
  // the image once `step` projections have arrived since the last refresh. Returns whether it did.
  bool add(const float* projection, double angle);
  // Refreshes once more if projections arrived since the last refresh: the end of a stream that
  // stopped between two refreshes. Returns whether it did.
  bool flush();

  // (rows, n, n) in the space given at construction; zero before the first refresh.
  const ArrayF& image() const { return image_; }
  std::size_t consumed() const { return consumed_; }
  std::size_t refreshes() const { return refreshes_; }
  std::size_t last_window() const { return last_window_; }  // projections the last refresh used

 private:
  void refresh();

  Geometry geometry_;
  StreamingSirtOptions options_;
  ProjectionWindow window_;
  ArrayF image_;
  std::size_t consumed_ = 0, pending_ = 0, refreshes_ = 0, last_window_ = 0;
};

}  // namespace xrecon::tomo
