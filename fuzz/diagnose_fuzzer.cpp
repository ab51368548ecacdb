// diagnose on any bytes: findings lie inside the input, in order, with a
// confidence in [0, 1].
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "fuzz_check.hpp"
#include <mojifix/mojifix.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::vector<mojifix::finding> found = mojifix::diagnose(text);
  std::size_t last_begin = 0;
  for (const mojifix::finding& f : found) {
    MOJIFIX_FUZZ_CHECK(f.begin <= f.end && f.end <= text.size());
    MOJIFIX_FUZZ_CHECK(f.begin >= last_begin);
    MOJIFIX_FUZZ_CHECK(f.confidence >= 0.0 && f.confidence <= 1.0);
    last_begin = f.begin;
  }
  return 0;
}
