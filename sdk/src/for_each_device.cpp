#include "xrecon/for_each_device.hpp"

#include <exception>
#include <mutex>
#include <string>
#include <system_error>
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
  const auto record_failure = [&](std::exception_ptr failure) {
    {
      std::lock_guard lock(first_failure_mutex);
      if (!first_failure) first_failure = std::move(failure);
    }
    communicator.abort();  // wakes the ranks waiting in a collective for one that failed
  };
  {
    // jthread joins when destroyed: a rank whose thread cannot be created must not leave the
    // started ones to be destroyed while running (std::terminate with std::thread).
    std::vector<std::jthread> threads;
    threads.reserve(mine.size());
    for (const int rank : mine) {
      try {
        threads.emplace_back([&, rank] {
          try {
            work(rank, devices[std::size_t(rank)]);
          } catch (...) {
            record_failure(std::current_exception());
          }
        });
      } catch (const std::system_error& e) {
        record_failure(std::make_exception_ptr(Error(
            "could not start a thread for rank " + std::to_string(rank) + " on " +
            devices[std::size_t(rank)].to_string() + ": the system refused a new thread (" + e.what() +
            "); a limit on processes or threads (ulimit -u) or on memory (ulimit -v) is too low for " +
            std::to_string(mine.size()) + " devices")));
        break;
      }
    }
  }
  if (first_failure) std::rethrow_exception(first_failure);
}

}  // namespace xrecon
