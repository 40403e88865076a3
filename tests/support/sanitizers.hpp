#pragma once
// Whether this test program runs under AddressSanitizer (-DXRECON_SANITIZE=address,...). Its
// shadow memory reserves terabytes of address space, so a test that limits the address space
// (ulimit -v, RLIMIT_AS) cannot run under it.
namespace xrecon::testing {

#if defined(__SANITIZE_ADDRESS__)
inline constexpr bool kAddressSanitizer = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
inline constexpr bool kAddressSanitizer = true;
#else
inline constexpr bool kAddressSanitizer = false;
#endif
#else
inline constexpr bool kAddressSanitizer = false;
#endif

}  // namespace xrecon::testing
