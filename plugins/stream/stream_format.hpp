#pragma once
// What every message of a projection stream must share with the first one.
#include <cstddef>

#include <xrecon/payload.hpp>

namespace xrecon::stream {

struct StreamFormat {
  std::size_t rows = 0, cols = 0;
  double center = 0;      // column of the rotation axis
  CentreConvention convention = CentreConvention::tomopy;
  double pixel_size = 1;  // metres
};

// The format of the first message (checked as any other by check_message()).
StreamFormat format_of(const Projections& first);

// Throws InputError naming the message's sequence index when it is not normalised line
// integrals of the stream's detector shape and rotation axis, or holds a non-finite value.
void check_message(const Projections& message, const StreamFormat& format);

}  // namespace xrecon::stream
