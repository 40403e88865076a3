// Array storage is counted per memory space while it lives, the peak holds the most ever held
// since its reset, and XRECON_MEMORY_LIMIT caps what a planner may count on.
#include <gtest/gtest.h>

#include <cstdlib>

#include "xrecon/array.hpp"
#include "xrecon/error.hpp"
#include "xrecon/memory.hpp"

namespace xrecon {
namespace {

const MemorySpace kHost = MemorySpace::host();

TEST(MemoryAccounting, CountsArraysWhileAnyCopyLives) {
  const std::size_t before = bytes_in_use(kHost);
  {
    ArrayF a(Shape{1000});
    EXPECT_EQ(bytes_in_use(kHost), before + 4000);
    ArrayF shared = a;  // the same bytes: counted once
    EXPECT_EQ(bytes_in_use(kHost), before + 4000);
    {
      ArrayCF b(Shape{10, 10});
      EXPECT_EQ(bytes_in_use(kHost), before + 4000 + 800);
    }
    EXPECT_EQ(bytes_in_use(kHost), before + 4000);
  }
  EXPECT_EQ(bytes_in_use(kHost), before);
}

TEST(MemoryAccounting, PeakIsTheMostHeldSinceTheReset) {
  reset_peak_bytes(kHost);
  const std::size_t before = bytes_in_use(kHost);
  EXPECT_EQ(peak_bytes(kHost), before);
  { ArrayF big(Shape{5000}); }
  { ArrayF small(Shape{100}); }
  EXPECT_EQ(peak_bytes(kHost), before + 20000);
  reset_peak_bytes(kHost);
  EXPECT_EQ(peak_bytes(kHost), before);
}

TEST(MemoryAccounting, TheLimitCapsTheAvailableBytes) {
  ASSERT_GT(available_bytes(kHost), 1u << 20) << "the host reports almost no memory available";
  setenv("XRECON_MEMORY_LIMIT", "1M", 1);
  EXPECT_EQ(available_bytes(kHost), 1u << 20);
  setenv("XRECON_MEMORY_LIMIT", "2.5K", 1);
  EXPECT_EQ(available_bytes(kHost), 2560u);
  setenv("XRECON_MEMORY_LIMIT", "lots", 1);
  try {
    available_bytes(kHost);
    ADD_FAILURE() << "a limit that is not a number was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("XRECON_MEMORY_LIMIT='lots'"), std::string::npos) << e.what();
  }
  unsetenv("XRECON_MEMORY_LIMIT");
}

// Issue 13: huge and infinite values used to convert to 0 bytes ("not even one slice fits").
TEST(MemoryAccounting, InfiniteHugeOrTinyLimitsAreRefusedByName) {
  for (const char* bad : {"inf", "1e30", "1e30G", "nan", "0.5", "-1M", "0"}) {
    setenv("XRECON_MEMORY_LIMIT", bad, 1);
    try {
      memory_limit_from_environment();
      ADD_FAILURE() << "XRECON_MEMORY_LIMIT=" << bad << " was accepted";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("XRECON_MEMORY_LIMIT='" + std::string(bad) + "'"), std::string::npos)
          << e.what();
    }
  }
  setenv("XRECON_MEMORY_LIMIT", "16G", 1);
  EXPECT_EQ(memory_limit_from_environment(), std::optional<std::size_t>(std::size_t(16) << 30));
  unsetenv("XRECON_MEMORY_LIMIT");
  EXPECT_EQ(memory_limit_from_environment(), std::nullopt);
}

}  // namespace
}  // namespace xrecon
