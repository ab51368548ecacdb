// fix_text on any bytes: no crash, valid UTF-8 in gives valid UTF-8 out, and
// a second pass changes nothing (fix(fix(x)) == fix(x)).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include <mojifix/mojifix.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const std::string once = mojifix::fix_text(text);
  if (mojifix::fuzz::valid_utf8(text)) {
    MOJIFIX_FUZZ_CHECK(mojifix::fuzz::valid_utf8(once));
    MOJIFIX_FUZZ_CHECK(mojifix::fix_text(once) == once);
  }
  return 0;
}
