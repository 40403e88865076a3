#include "xrecon/hdf5_library.hpp"

#include <hdf5.h>

namespace xrecon {

void prepare_hdf5_library() {
  // Only effective before the library initialises (on its first call); harmless after.
  H5dont_atexit();
  // The default error stack is per thread in thread-safe builds, and stages run on threads.
  thread_local bool silenced = false;
  if (!silenced) {
    H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    silenced = true;
  }
}

}  // namespace xrecon
