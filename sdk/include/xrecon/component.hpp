#pragma once
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "xrecon/error.hpp"
#include "xrecon/export.hpp"
#include "xrecon/memory_need.hpp"
#include "xrecon/params.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

class XRECON_SDK_API Component {
 public:
  virtual ~Component();
};

// How many messages go through a port. A batch stage reads one message and would silently ignore
// the rest of a stream, so validate refuses a stream into an input that takes one.
enum class PortFlow {
  one,        // input: reads one message; output: sends one
  stream,     // input: reads until end of stream; output: sends any number
  as_inputs,  // output only: one per message of the stage's stream inputs (a filter)
};

struct PortSpec {
  std::string name;
  PayloadKind kind;
  std::string doc;
  // An optional input may stay unconnected (StageIO::connected() tells the stage); e.g. the
  // ground truth a streaming reconstruction scores itself against when it is known.
  bool optional = false;
  PortFlow flow = PortFlow::one;
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
  // Optional, stages over slices: what a run will hold, from its parameters and the first message
  // of each connected input (by port name). When set, the engine receives those messages before
  // the stage runs (the stage then receives them as usual), plans the chunks of each rank's slab
  // against its device's memory and XRECON_MEMORY_LIMIT, and either fails before any work with
  // the numbers or hands the plan over as Context::planned_chunks (chunks_for in xrecon/slabs.hpp).
  std::function<SliceMemory(const ParamValues&, const std::map<std::string, std::shared_ptr<const Payload>>&)>
      memory_need;
};

using ComponentList = std::vector<ComponentSpec>;

}  // namespace xrecon
