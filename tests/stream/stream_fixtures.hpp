#pragma once
// What the stream stage tests share: the loaded sim and stream plugins, a small phantom, and
// running a stage on queued inputs.
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "loaded_plugin.hpp"
#include "support/fake_context.hpp"
#include "support/fake_stage_io.hpp"
#include "xrecon/sim/phantom.hpp"

namespace xrecon::testing {

inline const LoadedPlugin& sim_plugin() {
  static const LoadedPlugin plugin("sim");
  return plugin;
}

inline const LoadedPlugin& stream_plugin() {
  static const LoadedPlugin plugin("stream");
  return plugin;
}

// The 2-D Shepp-Logan phantom as a (1, n, n) volume, values 0 to 1.
inline std::shared_ptr<Volume> phantom_volume(std::size_t n) {
  auto volume = std::make_shared<Volume>();
  volume->data = sim::rasterize(sim::shepp_logan_2d(), n, 3).reshaped({1, n, n});
  volume->voxel_size = 1e-6;
  return volume;
}

using Overrides = std::map<std::string, ParamValue>;
using Messages = std::vector<std::shared_ptr<const Payload>>;

// Runs sim.detector_stream on `volume`; returns what it sent on each port.
inline std::map<std::string, Messages> detect(std::shared_ptr<const Volume> volume, const Overrides& with) {
  FakeStageIO io;
  io.queue("volume", std::move(volume));
  FakeContext context;
  sim_plugin().stage("sim.detector_stream", with)->run(io, context);
  return {{"projections", io.sent("projections")}, {"truth", io.sent("truth")}};
}

struct StreamResult {
  std::vector<std::shared_ptr<const Volume>> volumes;
  std::vector<std::string> log;
};

// Runs tomo.sirt_stream on a stream of projection messages, with the truth when one is given.
inline StreamResult reconstruct(const Messages& projections, std::shared_ptr<const Payload> truth,
                                const Overrides& with) {
  FakeStageIO io;
  for (const auto& message : projections) io.queue("projections", message);
  if (truth) io.queue("truth", std::move(truth));
  FakeContext context;
  stream_plugin().stage("tomo.sirt_stream", with)->run(io, context);
  StreamResult result;
  for (const auto& message : io.sent("volume")) result.volumes.push_back(std::static_pointer_cast<const Volume>(message));
  for (const LogLine& line : context.log_lines()) result.log.push_back(line.text);
  return result;
}

}  // namespace xrecon::testing
