#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "xrecon/engine/channel.hpp"

using xrecon::Cancelled;
using xrecon::engine::Channel;

TEST(Channel, DeliversInOrderThenEndOfStream) {
  Channel<int> c(2);
  std::thread producer([&] {
    for (int i = 0; i < 100; ++i) c.push(i);
    c.close();
  });
  for (int i = 0; i < 100; ++i) EXPECT_EQ(c.pop(), i);
  EXPECT_EQ(c.pop(), std::nullopt);
  producer.join();
}

TEST(Channel, PushBlocksWhileFull) {
  Channel<int> c(1);
  c.push(1);
  std::atomic<bool> pushed{false};
  std::thread producer([&] {
    c.push(2);
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(pushed.load());
  EXPECT_EQ(c.pop(), 1);
  producer.join();
  EXPECT_TRUE(pushed.load());
}

TEST(Channel, CancelWakesBothEnds) {
  Channel<int> full(1), empty(1);
  full.push(0);
  std::thread blocked_push([&] { EXPECT_THROW(full.push(1), Cancelled); });
  std::thread blocked_pop([&] { EXPECT_THROW(empty.pop(), Cancelled); });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  full.cancel();
  empty.cancel();
  blocked_push.join();
  blocked_pop.join();
}

TEST(Channel, AbandonedChannelDropsInsteadOfBlocking) {
  Channel<int> c(1);
  c.push(0);
  c.abandon();
  for (int i = 0; i < 10; ++i) c.push(i);  // would deadlock without abandon()
  SUCCEED();
}
