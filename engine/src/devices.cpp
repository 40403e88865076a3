#include "xrecon/engine/devices.hpp"

#include <regex>
#include <set>
#include <sstream>

#include "xrecon/error.hpp"

namespace xrecon::engine {

std::vector<Device> parse_devices(const std::string& text, bool allow_shared_gpus) {
  static const std::regex cpu_re(R"(cpu(?::([0-9]+))?)");
  static const std::regex cuda_re(R"(cuda(?::([0-9]+(?:,[0-9]+)*))?)");
  std::smatch m;
  if (text == "auto") {
    const int gpus = cuda_device_count();
    return parse_devices(gpus > 0 ? "cuda" : "cpu", allow_shared_gpus);
  }
  if (std::regex_match(text, m, cpu_re)) {
    const int count = m[1].matched ? std::stoi(m[1]) : 1;
    if (count < 1 || count > 1024) throw InputError("devices '" + text + "': the CPU device count must be 1 .. 1024");
    std::vector<Device> devices;
    for (int i = 0; i < count; ++i) devices.push_back({Device::Kind::cpu, i});
    return devices;
  }
  if (std::regex_match(text, m, cuda_re)) {
    const int gpus = cuda_device_count();
    if (gpus < 0) throw NotCompiled("devices '" + text + "' requested, but this xrecon was built without CUDA");
    if (gpus == 0) {
      const std::string problem = cuda_device_problem();
      const std::string why = problem.empty() ? "no CUDA device is present" : "no CUDA device is usable: " + problem;
      throw InputError("devices '" + text + "' requested, but " + why);
    }
    std::vector<Device> devices;
    if (!m[1].matched) {
      for (int i = 0; i < gpus; ++i) devices.push_back({Device::Kind::cuda, i});
      return devices;
    }
    std::set<int> seen;
    std::stringstream list(m[1].str());
    for (std::string item; std::getline(list, item, ',');) {
      const int index = std::stoi(item);
      if (index >= gpus)
        throw InputError("devices '" + text + "': cuda:" + item + " does not exist (" + std::to_string(gpus) +
                         " CUDA devices present)");
      if (!seen.insert(index).second && !allow_shared_gpus)
        throw InputError("devices '" + text + "': cuda:" + item +
                         " is listed twice, which communicator 'nccl' refuses (NCCL needs one GPU per rank; "
                         "'threads' places several ranks on one GPU, exchanging through host memory)");
      devices.push_back({Device::Kind::cuda, index});
    }
    return devices;
  }
  throw InputError("devices '" + text + "': expected auto, cpu, cpu:N, cuda or cuda:I,J,...");
}

}  // namespace xrecon::engine
