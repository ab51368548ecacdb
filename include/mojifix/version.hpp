#pragma once

#define MOJIFIX_VERSION_MAJOR 0
#define MOJIFIX_VERSION_MINOR 1
#define MOJIFIX_VERSION_PATCH 0

namespace mojifix {
/// "0.1.0"
inline constexpr const char* kVersion = "0.1.0";
}  // namespace mojifix
