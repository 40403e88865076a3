// The xrecon.* metadata_props of an ONNX model (docs/model-file.md, "ONNX import"): what ONNX
// has no place for (normalisation, input channels, tiling hints) as string key/value pairs.
#if XRECON_HAVE_ONNX
#include "onnx_metadata.hpp"

#include <cmath>
#include <cstddef>
#include <map>
#include <string>
#include <utility>

#include "xrecon/error.hpp"

namespace xrecon::prior::detail {
namespace {

class Properties {
 public:
  Properties(const onnx::ModelProto& proto, std::string file) : file_(std::move(file)) {
    for (const onnx::StringStringEntryProto& p : proto.metadata_props()) {
      if (p.key().rfind("xrecon.", 0) != 0) continue;  // other tools' keys are theirs
      if (!known(p.key())) fail(p.key(), "is not an xrecon key (a typo?)");
      values_[p.key()] = p.value();
    }
  }

  bool has(const std::string& key) const { return values_.count(key) != 0; }
  const std::string& text(const std::string& key) const { return values_.at(key); }

  double number(const std::string& key, double fallback) const {
    if (!has(key)) return fallback;
    const std::string& v = values_.at(key);
    std::size_t used = 0;
    double x = 0;
    try {
      x = std::stod(v, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used == 0 || used != v.size()) fail(key, "is '" + v + "', not a number");
    return x;
  }

  int integer(const std::string& key, int fallback, int minimum) const {
    const double x = number(key, fallback);
    if (!(x >= minimum && x <= 1e9) || x != std::floor(x))
      fail(key, "is '" + values_.at(key) + "', expected an integer >= " + std::to_string(minimum));
    return int(x);
  }

  [[noreturn]] void fail(const std::string& key, const std::string& what) const {
    throw InputError("metadata_props '" + key + "' " + what, file_);
  }

 private:
  static bool known(const std::string& key) {
    static const char* const keys[] = {
        "xrecon.name", "xrecon.input_channels", "xrecon.size_multiple", "xrecon.receptive_margin",
        "xrecon.residual", "xrecon.normalization.mode", "xrecon.normalization.lo", "xrecon.normalization.hi",
        "xrecon.normalization.low_percentile", "xrecon.normalization.high_percentile",
        "xrecon.normalization.scale", "xrecon.normalization.offset"};
    for (const char* k : keys)
      if (key == k) return true;
    return false;
  }

  std::string file_;
  std::map<std::string, std::string> values_;
};

void read_normalization(const Properties& p, Normalization& n) {
  const std::string mode = p.has("xrecon.normalization.mode") ? p.text("xrecon.normalization.mode") : "fixed";
  if (mode == "fixed") {
    n.mode = Normalization::Mode::fixed;
    n.lo = p.number("xrecon.normalization.lo", 0);
    n.hi = p.number("xrecon.normalization.hi", 1);
    if (!(n.hi > n.lo)) p.fail("xrecon.normalization.hi", "must be greater than xrecon.normalization.lo");
  } else if (mode == "percentile") {
    n.mode = Normalization::Mode::percentile;
    n.low_percentile = p.number("xrecon.normalization.low_percentile", 0);
    n.high_percentile = p.number("xrecon.normalization.high_percentile", 100);
    if (!(0 <= n.low_percentile && n.low_percentile < n.high_percentile && n.high_percentile <= 100))
      p.fail("xrecon.normalization.low_percentile", "and high_percentile must satisfy 0 <= low < high <= 100");
  } else {
    p.fail("xrecon.normalization.mode", "is '" + mode + "', expected 'fixed' or 'percentile'");
  }
  n.scale = p.number("xrecon.normalization.scale", 1);
  n.offset = p.number("xrecon.normalization.offset", 0);
  if (n.scale == 0) p.fail("xrecon.normalization.scale", "must not be 0");
}

}  // namespace

bool apply_onnx_metadata(const onnx::ModelProto& proto, Model& model, const std::string& file) {
  const Properties p(proto, file);
  if (p.has("xrecon.name")) model.name = p.text("xrecon.name");
  model.size_multiple = p.integer("xrecon.size_multiple", 1, 1);
  model.receptive_margin = p.integer("xrecon.receptive_margin", 0, 0);
  model.residual = p.integer("xrecon.residual", 0, 0) != 0;
  read_normalization(p, model.normalization);
  if (!p.has("xrecon.input_channels")) return false;
  model.input_channels = p.integer("xrecon.input_channels", 1, 1);
  return true;
}

}  // namespace xrecon::prior::detail
#endif
