// fix_and_explain on any bytes, with the default options and with the most
// eager ones: the text agrees with fix_text, and every step lies inside the
// input, in text order (a later pass may refine an earlier step's span, so
// steps may overlap).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.hpp"
#include <mojifix/mojifix.hpp>

namespace {

void check(std::string_view text, const mojifix::options& opt) {
  const mojifix::fix_result r = mojifix::fix_and_explain(text, opt);
  MOJIFIX_FUZZ_CHECK(r.text == mojifix::fix_text(text, opt));
  if (r.error == mojifix::error::unsupported_option) MOJIFIX_FUZZ_CHECK(r.text == text);
  if (!r.changed()) MOJIFIX_FUZZ_CHECK(r.text == text);
  std::size_t last_begin = 0;
  for (const mojifix::step& s : r.steps) {
    MOJIFIX_FUZZ_CHECK(s.begin <= s.end && s.end <= text.size());
    MOJIFIX_FUZZ_CHECK(s.begin >= last_begin);
    MOJIFIX_FUZZ_CHECK(s.before != s.after);
    last_begin = s.begin;
  }
  if (mojifix::fuzz::valid_utf8(text)) MOJIFIX_FUZZ_CHECK(mojifix::fuzz::valid_utf8(r.text));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  check(text, mojifix::options{});
  mojifix::options eager;
  eager.max_layers = 3;
  eager.margin = 0.0;
  check(text, eager);
  return 0;
}
