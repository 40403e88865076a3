#pragma once
// Reading an ONNX ModelProto (libonnx) for the importer: the file, a node's attributes and
// float32 constant tensors, each failing with an InputError that names the file and the node.
// Only compiled with XRECON_HAVE_ONNX.
#include <onnx/onnx_pb.h>

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace xrecon::prior::detail {

onnx::ModelProto read_onnx_file(const std::filesystem::path& path);

// A float32 constant (an initializer or a Constant node's value) in ONNX's row-major layout.
struct OnnxTensor {
  std::vector<std::int64_t> dims;
  std::vector<float> values;
};

// `what` prefixes the messages ("initializer 'conv1.weight'").
OnnxTensor read_onnx_tensor(const onnx::TensorProto& tensor, const std::string& what, const std::string& file);

// One node of the graph, for reading its attributes with messages that name it.
class OnnxNode {
 public:
  OnnxNode(const onnx::NodeProto& node, int index, std::string file);

  const onnx::NodeProto& proto() const { return node_; }
  const std::string& type() const { return node_.op_type(); }
  // The node's name, or "OpType_index" for an unnamed node: the layer label.
  const std::string& label() const { return label_; }
  const std::string& file() const { return file_; }
  [[noreturn]] void fail(const std::string& what) const;

  bool has(const std::string& attribute) const { return find(attribute) != nullptr; }
  std::vector<std::int64_t> ints(const std::string& attribute, std::vector<std::int64_t> fallback) const;
  std::int64_t integer(const std::string& attribute, std::int64_t fallback) const;
  float real(const std::string& attribute, float fallback) const;
  std::vector<float> reals(const std::string& attribute) const;  // {} when absent
  std::string text(const std::string& attribute, const std::string& fallback) const;
  const onnx::TensorProto& tensor(const std::string& attribute) const;

  // The name of input k, "" when absent (ONNX marks a skipped optional input with "").
  std::string input(int k) const { return k < node_.input_size() ? node_.input(k) : std::string(); }

 private:
  const onnx::AttributeProto* find(const std::string& attribute) const;
  const onnx::AttributeProto& get(const std::string& attribute, onnx::AttributeProto::AttributeType type) const;

  const onnx::NodeProto& node_;
  std::string label_;
  std::string file_;
};

}  // namespace xrecon::prior::detail
