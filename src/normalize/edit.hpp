#pragma once
// One change a normalizer proposes, in bytes of the UTF-8 text it read. The
// normalize stage applies edits in order and maps them back to input offsets
// for the Plan.

#include <cstddef>
#include <string>
#include <string_view>

namespace mojifix::detail {

struct edit {
  std::size_t begin = 0;  // first byte replaced
  std::size_t end = 0;    // one past the last byte replaced
  std::string after;      // the replacement
  std::string_view what;  // the Plan's name for the change: "remove reading", ...
};

}  // namespace mojifix::detail
