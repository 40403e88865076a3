// The ModelProto file, node attributes and constant tensors for the ONNX importer.
#if XRECON_HAVE_ONNX
#include "onnx_proto.hpp"

#include <bit>
#include <cstring>
#include <limits>
#include <fstream>
#include <utility>

#include "xrecon/error.hpp"

namespace xrecon::prior::detail {

onnx::ModelProto read_onnx_file(const std::filesystem::path& path) {
  if (!std::filesystem::exists(path)) throw InputError("model file does not exist", path.string());
  std::ifstream in(path, std::ios::binary);
  onnx::ModelProto model;
  if (!in || !model.ParseFromIstream(&in))
    throw InputError("not an ONNX model (the ModelProto does not parse; truncated?)", path.string());
  if (!model.has_graph()) throw InputError("the ONNX model has no graph", path.string());
  return model;
}

OnnxTensor read_onnx_tensor(const onnx::TensorProto& tensor, const std::string& what, const std::string& file) {
  auto fail = [&](const std::string& why) { throw InputError(what + ": " + why, file); };
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    fail("stored as external data, which the importer does not read (save the model with its weights inside)");
  if (tensor.data_type() != onnx::TensorProto::FLOAT)
    fail("has ONNX data type " + std::to_string(tensor.data_type()) + ", expected float32 (1)");
  OnnxTensor out;
  std::size_t count = 1;
  for (std::int64_t d : tensor.dims()) {
    if (d < 0) fail("has a negative dimension");
    // A product that wraps around would let a tiny data field pass for an enormous shape.
    if (d > 0 && count > std::numeric_limits<std::size_t>::max() / sizeof(float) / std::size_t(d))
      fail("declares dimensions whose product is too large to hold in memory");
    out.dims.push_back(d);
    count *= std::size_t(d);
  }
  if (!tensor.raw_data().empty()) {
    // raw_data is little-endian by the ONNX spec; so is every host this builds for.
    static_assert(std::endian::native == std::endian::little);
    if (tensor.raw_data().size() != count * sizeof(float))
      fail("raw_data holds " + std::to_string(tensor.raw_data().size()) + " bytes, the dimensions need " +
           std::to_string(count * sizeof(float)));
    out.values.resize(count);
    std::memcpy(out.values.data(), tensor.raw_data().data(), count * sizeof(float));
  } else {
    if (std::size_t(tensor.float_data_size()) != count)
      fail("float_data holds " + std::to_string(tensor.float_data_size()) + " values, the dimensions need " +
           std::to_string(count));
    out.values.assign(tensor.float_data().begin(), tensor.float_data().end());
  }
  return out;
}

OnnxNode::OnnxNode(const onnx::NodeProto& node, int index, std::string file)
    : node_(node),
      label_(node.name().empty() ? node.op_type() + "_" + std::to_string(index) : node.name()),
      file_(std::move(file)) {}

void OnnxNode::fail(const std::string& what) const {
  throw InputError("node '" + label_ + "' (" + node_.op_type() + "): " + what, file_);
}

const onnx::AttributeProto* OnnxNode::find(const std::string& attribute) const {
  for (const onnx::AttributeProto& a : node_.attribute())
    if (a.name() == attribute) return &a;
  return nullptr;
}

const onnx::AttributeProto& OnnxNode::get(const std::string& attribute,
                                          onnx::AttributeProto::AttributeType type) const {
  const onnx::AttributeProto* a = find(attribute);
  if (!a) fail("missing attribute '" + attribute + "'");
  if (a->type() != type)
    fail("attribute '" + attribute + "' has type " + onnx::AttributeProto::AttributeType_Name(a->type()) +
         ", expected " + onnx::AttributeProto::AttributeType_Name(type));
  return *a;
}

std::vector<std::int64_t> OnnxNode::ints(const std::string& attribute, std::vector<std::int64_t> fallback) const {
  if (!has(attribute)) return fallback;
  const auto& values = get(attribute, onnx::AttributeProto::INTS).ints();
  return {values.begin(), values.end()};
}

std::int64_t OnnxNode::integer(const std::string& attribute, std::int64_t fallback) const {
  return has(attribute) ? get(attribute, onnx::AttributeProto::INT).i() : fallback;
}

float OnnxNode::real(const std::string& attribute, float fallback) const {
  return has(attribute) ? get(attribute, onnx::AttributeProto::FLOAT).f() : fallback;
}

std::vector<float> OnnxNode::reals(const std::string& attribute) const {
  if (!has(attribute)) return {};
  const auto& values = get(attribute, onnx::AttributeProto::FLOATS).floats();
  return {values.begin(), values.end()};
}

std::string OnnxNode::text(const std::string& attribute, const std::string& fallback) const {
  return has(attribute) ? get(attribute, onnx::AttributeProto::STRING).s() : fallback;
}

const onnx::TensorProto& OnnxNode::tensor(const std::string& attribute) const {
  return get(attribute, onnx::AttributeProto::TENSOR).t();
}

}  // namespace xrecon::prior::detail
#endif
