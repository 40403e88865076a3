#pragma once
// The stamp: an ELF note (section .note.xrecon, read like .note.ABI-tag) saying which plugin a
// library is, the SDK ABI and the build tag it was built with. The engine reads it from the file
// before loading the library, so that a library built for another ABI or compiler, or not built
// as a plugin at all, is refused before any of its code (static constructors) runs.
#include <cstdint>

#include "xrecon/version.hpp"

#if defined(CUDART_VERSION)
#define XRECON_PLUGIN_BUILD_TAG XRECON_BUILD_TAG ";cudart-" XRECON_STRINGIFY(CUDART_VERSION)
#else
#define XRECON_PLUGIN_BUILD_TAG XRECON_BUILD_TAG
#endif

// The note's owner name and type, and the room its text has (notes have fixed sizes).
#define XRECON_PLUGIN_STAMP_OWNER "xrecon"
#define XRECON_PLUGIN_STAMP_TYPE 1
#define XRECON_PLUGIN_STAMP_CAPACITY 256

extern "C" {
// The layout of an ELF note: sizes, type, then the owner name and the text, each padded to 4.
struct xrecon_plugin_stamp_note {
  std::uint32_t name_size;
  std::uint32_t text_size;
  std::uint32_t type;
  char name[8];
  char text[XRECON_PLUGIN_STAMP_CAPACITY];
};
}

// The stamp's text: one `key=value` per line. `plugin_name` must be a string literal.
#define XRECON_PLUGIN_STAMP_TEXT(plugin_name) \
  "name=" plugin_name "\nsdk-abi=" XRECON_SDK_ABI_STRING "\nbuild=" XRECON_PLUGIN_BUILD_TAG

// Emits a stamp with the given text. XRECON_PLUGIN does this; a plugin written by hand (without
// XRECON_PLUGIN) must too, or the engine refuses it unloaded.
#define XRECON_PLUGIN_STAMP_WITH_TEXT(stamp_text)                                                 \
  static_assert(sizeof(stamp_text) <= XRECON_PLUGIN_STAMP_CAPACITY, "plugin stamp text too long"); \
  namespace {                                                                                     \
  [[gnu::section(".note.xrecon"), gnu::used, gnu::aligned(4)]] const xrecon_plugin_stamp_note     \
      xrecon_plugin_stamp{sizeof(XRECON_PLUGIN_STAMP_OWNER), XRECON_PLUGIN_STAMP_CAPACITY,        \
                          XRECON_PLUGIN_STAMP_TYPE, XRECON_PLUGIN_STAMP_OWNER, stamp_text};        \
  }

#define XRECON_PLUGIN_STAMP(plugin_name) XRECON_PLUGIN_STAMP_WITH_TEXT(XRECON_PLUGIN_STAMP_TEXT(plugin_name))
