#pragma once
// The xrecon.* metadata_props of an ONNX model into a Model. Only compiled with XRECON_HAVE_ONNX.
#include <onnx/onnx_pb.h>

#include <string>

#include "xrecon/prior/model.hpp"

namespace xrecon::prior::detail {

// Sets the model's name (when given), size multiple, receptive margin, residual flag and
// normalisation (identity when absent) from the metadata; returns whether it gave
// xrecon.input_channels (otherwise the graph input's shape must). InputError naming the key for
// an unknown xrecon.* key or a value that does not parse.
bool apply_onnx_metadata(const onnx::ModelProto& proto, Model& model, const std::string& file);

}  // namespace xrecon::prior::detail
