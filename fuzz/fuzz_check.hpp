#pragma once
// What every fuzz target shares: a check that aborts with a message (so the
// fuzzer, or the replay main under a sanitizer, reports the input), and a
// UTF-8 validity test that does not depend on the code under test.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "codec/utf8.hpp"

#define MOJIFIX_FUZZ_CHECK(cond)                                                    \
  do {                                                                              \
    if (!(cond)) {                                                                  \
      std::fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                 \
    }                                                                               \
  } while (0)

namespace mojifix::fuzz {

inline bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    if (detail::utf8::next(s, i) == detail::utf8::kInvalid) return false;
  }
  return true;
}

}  // namespace mojifix::fuzz
