#include "xrecon/for_each_device.hpp"

#include <exception>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace xrecon {

void for_each_device(Context& context, const std::function<void(int rank, const Device& device)>& work) {
  const std::vector<Device>& devices = context.devices();
  XRECON_CHECK(!devices.empty(), "the context lists no devices");
  Communicator& communicator = context.communicator();
  XRECON_CHECK(communicator.size() == int(devices.size()),
               "the communicator has " + std::to_string(communicator.size()) + " ranks for " +
                   std::to_string(devices.size()) + " devices");
  // In a multi-process run this process drives only some of the ranks; the others run elsewhere.
  std::vector<int> mine;
  for (int rank = 0; rank < communicator.size(); ++rank)
    if (communicator.drives_rank(rank)) mine.push_back(rank);
  XRECON_CHECK(!mine.empty(), "this process drives none of the communicator's " +
                                  std::to_string(communicator.size()) + " ranks");
  if (mine.size() == 1) {
    work(mine[0], devices[std::size_t(mine[0])]);
    return;
  }

  std::mutex first_failure_mutex;
  std::exception_ptr first_failure;
  std::vector<std::thread> threads;
  threads.reserve(mine.size());
  for (const int rank : mine) {
    threads.emplace_back([&, rank] {
      try {
        work(rank, devices[std::size_t(rank)]);
      } catch (...) {
        {
          std::lock_guard lock(first_failure_mutex);
          if (!first_failure) first_failure = std::current_exception();
        }
        communicator.abort();
      }
    });
  }
  for (std::thread& t : threads) t.join();
  if (first_failure) std::rethrow_exception(first_failure);
}

}  // namespace xrecon
