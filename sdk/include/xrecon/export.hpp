#pragma once
// Symbols of libxrecon_sdk keep default visibility so that plugins built with
// -fvisibility=hidden still share one copy of the SDK's typeinfo and vtables
// (dynamic_cast from Component to a role works across library boundaries).
#define XRECON_SDK_API __attribute__((visibility("default")))
