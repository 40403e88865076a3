#pragma once
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "xrecon/error.hpp"
#include "xrecon/export.hpp"
#include "xrecon/params.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

class XRECON_SDK_API Component {
 public:
  virtual ~Component();
};

struct PortSpec {
  std::string name;
  PayloadKind kind;
  std::string doc;
  // An optional input may stay unconnected (StageIO::connected() tells the stage); e.g. the
  // ground truth a streaming reconstruction scores itself against when it is known.
  bool optional = false;
};

// A parameter combination the schema alone cannot reject (e.g. min >= max). `param` names the
// key at fault so the engine can point at its line in the pipeline file.
class XRECON_SDK_API ParamError : public InputError {
 public:
  ParamError(std::string param, const std::string& message);
  ~ParamError() override;
  const std::string& param() const { return param_; }

 private:
  std::string param_;
};

// Everything the engine needs to know about a component before creating it.
struct ComponentSpec {
  std::string name;  // dotted, e.g. "tomo.sirt"
  ComponentKind kind = ComponentKind::stage;
  std::string summary;
  ParamSchema params;
  std::vector<PortSpec> inputs;   // stages only
  std::vector<PortSpec> outputs;  // stages only
  // Optional checks across parameters; throw ParamError.
  std::function<void(const ParamValues&)> check;
  std::function<std::unique_ptr<Component>(const ParamValues&)> create;
};

using ComponentList = std::vector<ComponentSpec>;

}  // namespace xrecon
