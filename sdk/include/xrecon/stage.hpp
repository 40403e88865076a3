#pragma once
#include <memory>
#include <string>
#include <string_view>

#include "xrecon/component.hpp"
#include "xrecon/context.hpp"
#include "xrecon/error.hpp"
#include "xrecon/export.hpp"
#include "xrecon/payload.hpp"

namespace xrecon {

// A stage's view of its edges. Each input port is a bounded channel: receive() blocks until a
// message arrives and returns nullptr once the producer has finished (end of stream). A batch
// stage receives one message per port; a streaming stage loops until nullptr.
class XRECON_SDK_API StageIO {
 public:
  virtual ~StageIO();
  virtual std::shared_ptr<const Payload> receive(std::string_view port) = 0;
  // Blocks while the consumers' channels are full (back-pressure).
  virtual void send(std::string_view port, std::shared_ptr<const Payload> message) = 0;
  virtual bool connected(std::string_view port) const = 0;

  template <typename T>
  std::shared_ptr<const T> receive_as(std::string_view port) {
    return std::static_pointer_cast<const T>(receive(port));
  }
  // The one message a batch stage needs on `port`; an error if the producer sent none.
  template <typename T>
  std::shared_ptr<const T> require(std::string_view port) {
    auto message = receive_as<T>(port);
    if (!message) throw Error("input '" + std::string(port) + "' received no data");
    return message;
  }
};

class XRECON_SDK_API Stage : public Component {
 public:
  static constexpr ComponentKind component_kind = ComponentKind::stage;
  ~Stage() override;
  virtual void run(StageIO& io, Context& context) = 0;
};

}  // namespace xrecon
