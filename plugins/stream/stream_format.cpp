#include "stream_format.hpp"

#include <algorithm>
#include <cmath>
#include <string>

namespace xrecon::stream {
namespace {

std::string which(const Projections& message) {
  return "the projections message with sequence " + std::to_string(message.sequence);
}

}  // namespace

StreamFormat format_of(const Projections& first) {
  if (first.data.rank() != 3)
    throw InputError(which(first) + " has shape " + first.data.shape().to_string() +
                     ", expected (angles, rows, cols)");
  return {.rows = first.num_rows(), .cols = first.num_cols(), .center = first.center_or_default(),
          .convention = first.convention,
          .pixel_size = first.pixel_size};
}

void check_message(const Projections& message, const StreamFormat& format) {
  const Shape& shape = message.data.shape();
  if (shape.rank() != 3 || shape[1] != format.rows || shape[2] != format.cols)
    throw InputError(which(message) + " has shape " + shape.to_string() + " but the stream started with (angles x " +
                     std::to_string(format.rows) + "x" + std::to_string(format.cols) + ")");
  if (message.angles.size() != message.num_angles())
    throw InputError(which(message) + " has " + std::to_string(message.angles.size()) + " angles for " +
                     std::to_string(message.num_angles()) + " projections");
  if (!message.normalized())
    throw InputError(which(message) + " holds raw counts with flat and dark fields; normalise them first");
  if (message.center_or_default() != format.center || message.convention != format.convention)
    throw InputError(which(message) + " has its rotation axis at column " +
                     std::to_string(message.center_or_default()) + " (" + to_string(message.convention) +
                     " convention) but the stream started with " + std::to_string(format.center) + " (" +
                     to_string(format.convention) + ")");
  if (!std::all_of(message.angles.begin(), message.angles.end(), [](double a) { return std::isfinite(a); }))
    throw InputError(which(message) + " has a non-finite angle");
  const auto values = message.data.host_span();
  const auto bad = std::find_if(values.begin(), values.end(), [](float v) { return !std::isfinite(v); });
  if (bad != values.end())
    throw InputError(which(message) + " holds a non-finite value (" + std::to_string(*bad) + ") at element " +
                     std::to_string(bad - values.begin()));
}

}  // namespace xrecon::stream
