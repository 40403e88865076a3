#include "xrecon/engine/run_context.hpp"

#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include <spdlog/spdlog.h>

#include "xrecon/atomic_output.hpp"
#include "xrecon/engine/param_binding.hpp"
#include "xrecon/slabs.hpp"

namespace xrecon::engine {

namespace fs = std::filesystem;

void StageLogger::log(LogLevel level, std::string_view message) {
  const std::string line = prefix_ + std::string(message);
  switch (level) {
    case LogLevel::debug: spdlog::debug(line); break;
    case LogLevel::info: spdlog::info(line); break;
    case LogLevel::warn: spdlog::warn(line); break;
    case LogLevel::error: spdlog::error(line); break;
  }
}

namespace {
std::mutex& terminal_mutex() {
  static std::mutex m;
  return m;
}
}  // namespace

void StageProgress::start(std::string_view task, std::size_t total) {
  task_ = task;
  total_ = total;
  done_ = 0;
  last_decile_ = 0;
  if (!bars_) logger_.info(task_ + ": 0/" + std::to_string(total_));
}

void StageProgress::advance(std::size_t steps) {
  done_ += steps;
  if (bars_) {
    draw();
    return;
  }
  const std::size_t decile = total_ ? done_ * 10 / total_ : 0;
  if (decile > last_decile_ && done_ < total_) {
    last_decile_ = decile;
    logger_.info(task_ + ": " + std::to_string(done_) + "/" + std::to_string(total_));
  }
}

void StageProgress::finish() {
  if (bars_) {
    std::lock_guard lock(terminal_mutex());
    std::fputs("\n", stderr);
  } else {
    logger_.info(task_ + ": done (" + std::to_string(done_) + "/" + std::to_string(total_) + ")");
  }
}

void StageProgress::draw() {
  constexpr int width = 30;
  const int filled = total_ ? int(width * std::min(done_, total_) / total_) : width;
  std::lock_guard lock(terminal_mutex());
  std::fprintf(stderr, "\r[%s] %s [%s%s] %zu/%zu", stage_id_.c_str(), task_.c_str(), std::string(filled, '#').c_str(),
               std::string(width - filled, '.').c_str(), done_, total_);
  std::fflush(stderr);
}

namespace {
// 02: with the identity (settings text, inputs digest) after the step. 01 files had none.
constexpr char kCheckpointMagic[8] = {'X', 'R', 'C', 'K', 'P', 'T', '0', '2'};
constexpr char kCheckpointMagicWithoutIdentity[8] = {'X', 'R', 'C', 'K', 'P', 'T', '0', '1'};
constexpr std::uint64_t kMaxSettingsBytes = 1 << 20;

// The first line where two settings texts differ, for the message: "relaxation: 1.5 then, relaxation: 1 now".
std::string first_difference(const std::string& then, const std::string& now) {
  std::istringstream a(then), b(now);
  std::string x, y;
  while (true) {
    const bool more_a = bool(std::getline(a, x)), more_b = bool(std::getline(b, y));
    if (!more_a && !more_b) return "";
    if (!more_a) x = "(nothing)";
    if (!more_b) y = "(nothing)";
    if (x != y) return "'" + x + "' then, '" + y + "' now";
  }
}
}

fs::path FileCheckpointStore::file_for(const std::string& key) const { return *dir_ / stage_id_ / (key + ".ckpt"); }

void FileCheckpointStore::save(const std::string& key, const ArrayF& array, std::int64_t step) {
  if (!dir_) return;
  AtomicOutput out(file_for(key));
  {
    std::ofstream f(out.temp_path(), std::ios::binary);
    const std::uint64_t rank = array.rank();
    f.write(kCheckpointMagic, sizeof kCheckpointMagic);
    f.write(reinterpret_cast<const char*>(&step), sizeof step);
    const std::string& settings = identity_.settings();
    const std::uint64_t settings_size = settings.size(), inputs = identity_.inputs_digest();
    f.write(reinterpret_cast<const char*>(&settings_size), sizeof settings_size);
    f.write(settings.data(), std::streamsize(settings.size()));
    f.write(reinterpret_cast<const char*>(&inputs), sizeof inputs);
    f.write(reinterpret_cast<const char*>(&rank), sizeof rank);
    for (std::size_t i = 0; i < rank; ++i) {
      const std::uint64_t e = array.extent(i);
      f.write(reinterpret_cast<const char*>(&e), sizeof e);
    }
    const ArrayF host = array.space().is_host() ? array : array.to(MemorySpace::host());
    f.write(reinterpret_cast<const char*>(host.data()), std::streamsize(host.size() * sizeof(float)));
    if (!f) throw Error("cannot write checkpoint " + out.temp_path().string());
  }
  out.commit_now();  // a checkpoint must survive a crash of this run
}

std::optional<std::pair<ArrayF, std::int64_t>> FileCheckpointStore::load(const std::string& key) {
  if (!dir_ || !resume_) return std::nullopt;
  const fs::path path = file_for(key);
  std::ifstream f(path, std::ios::binary);
  if (!f) return std::nullopt;
  char magic[sizeof kCheckpointMagic];
  std::int64_t step = 0;
  std::uint64_t rank = 0;
  f.read(magic, sizeof magic);
  if (f && std::memcmp(magic, kCheckpointMagicWithoutIdentity, sizeof magic) == 0)
    throw InputError("checkpoint " + path.string() +
                     " was written by an older xrecon that did not record what it belongs to; delete it, or run "
                     "without --resume");
  f.read(reinterpret_cast<char*>(&step), sizeof step);
  std::uint64_t settings_size = 0, inputs = 0;
  f.read(reinterpret_cast<char*>(&settings_size), sizeof settings_size);
  if (!f || std::memcmp(magic, kCheckpointMagic, sizeof magic) != 0 || settings_size > kMaxSettingsBytes)
    throw InputError("checkpoint " + path.string() + " is not an xrecon checkpoint (or is damaged)");
  std::string settings(settings_size, '\0');
  f.read(settings.data(), std::streamsize(settings_size));
  f.read(reinterpret_cast<char*>(&inputs), sizeof inputs);
  f.read(reinterpret_cast<char*>(&rank), sizeof rank);
  if (!f || rank > kMaxRank)
    throw InputError("checkpoint " + path.string() + " is not an xrecon checkpoint (or is damaged)");
  if (step < 0) throw InputError("checkpoint " + path.string() + " records step " + std::to_string(step) + ", which is negative (a damaged file)");
  if (settings != identity_.settings())
    throw InputError("checkpoint " + path.string() + " belongs to stage '" + stage_id_ +
                     "' with other settings (" + first_difference(settings, identity_.settings()) +
                     "); --resume continues only the same computation: run without --resume, or with a new "
                     "--checkpoint folder");
  if (inputs != identity_.inputs_digest())
    throw InputError("checkpoint " + path.string() + " was made from other input data than stage '" + stage_id_ +
                     "' receives now; --resume continues only the same computation: run without --resume, or with a "
                     "new --checkpoint folder");
  std::uint64_t e[kMaxRank] = {1, 1, 1, 1};
  for (std::size_t i = 0; i < rank; ++i) f.read(reinterpret_cast<char*>(&e[i]), sizeof e[i]);
  const Shape shape = rank == 1 ? Shape{e[0]} : rank == 2 ? Shape{e[0], e[1]} : rank == 3 ? Shape{e[0], e[1], e[2]}
                                                                                        : Shape{e[0], e[1], e[2], e[3]};
  ArrayF array(shape);
  f.read(reinterpret_cast<char*>(array.data()), std::streamsize(array.size() * sizeof(float)));
  if (!f) throw InputError("checkpoint " + path.string() + " is truncated");
  return std::make_pair(std::move(array), step);
}

std::unique_ptr<Component> RegistryFactory::create(const std::string& name, ComponentKind expected,
                                                   const ParamValues& given) {
  const ComponentSpec* spec = registry_.find(name);
  if (!spec) throw InputError(unknown_plugin_message(name, registry_));
  if (spec->kind != expected)
    throw InputError("'" + name + "' is a " + to_string(spec->kind) + ", but a " + to_string(expected) + " is needed here");
  return spec->create(bind_params(*spec, given, registry_));
}

StageContext::StageContext(const std::vector<Device>& devices, const CancellationToken& token,
                           const PluginRegistry& registry, Provenance provenance,
                           std::optional<fs::path> checkpoint_dir, bool resume, bool bars, CommunicatorMaker make,
                           std::string component)
    : devices_(devices),
      token_(token),
      logger_(provenance.stage_id),
      progress_(provenance.stage_id, bars, logger_),
      checkpoints_(std::move(checkpoint_dir), provenance.stage_id, resume, std::move(component), provenance.parameters),
      factory_(registry),
      provenance_(std::move(provenance)),
      make_(std::move(make)) {}

Communicator& StageContext::communicator() {
  std::call_once(made_, [&] {
    communicator_ = make_ ? make_() : std::make_unique<ThreadCommunicator>(int(devices_.size()));
    XRECON_CHECK(communicator_ && communicator_->size() == int(devices_.size()),
                 "the stage's communicator does not have one rank per device");
    logger_.debug("communicator: " + std::string(communicator_->backend()) + ", " +
                  std::to_string(communicator_->size()) + " rank(s)");
  });
  return *communicator_;
}

void StageContext::plan_memory(const ComponentSpec& spec, const ParamValues& params,
                               const std::map<std::string, std::shared_ptr<const Payload>>& first_messages) {
  const SliceMemory memory = spec.memory_need(params, first_messages);
  planned_ = plan_chunks(*this, memory.slices, memory.need, spec.name, memory.whole_slab);
  logger_.debug(spec.name + ": memory planned by the engine for " + std::to_string(memory.slices) + " slices");
}

}  // namespace xrecon::engine
