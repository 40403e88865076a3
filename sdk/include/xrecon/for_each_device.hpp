#pragma once
#include <functional>

#include "xrecon/context.hpp"
#include "xrecon/export.hpp"

namespace xrecon {

// Runs `work(rank, device)` once per device of the context that this process drives (all of
// them, except in a multi-process mpi run where each process drives its own ranks), each on its
// own thread (on the calling thread when there is only one), and returns when all have finished. The first
// exception thrown by any rank aborts the context's communicator, so ranks waiting for it in a
// collective stop with Cancelled instead of waiting forever, and is rethrown here once every
// thread has been joined.
XRECON_SDK_API void for_each_device(Context& context, const std::function<void(int rank, const Device& device)>& work);

}  // namespace xrecon
