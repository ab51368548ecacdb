// decode and detect_encoding on any bytes: no crash, the output is always
// valid UTF-8, confidences stay in 0..1, and per-line mode keeps the same
// promise.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.hpp"
#include <mojifix/mojifix.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const mojifix::detection d = mojifix::detect_encoding(bytes);
  MOJIFIX_FUZZ_CHECK(!d.encoding.empty());
  MOJIFIX_FUZZ_CHECK(d.confidence >= 0 && d.confidence <= 1);
  for (const auto& alt : d.alternatives)
    MOJIFIX_FUZZ_CHECK(alt.confidence >= 0 && alt.confidence <= 1);
  const mojifix::fix_result whole = mojifix::decode(bytes);
  MOJIFIX_FUZZ_CHECK(mojifix::fuzz::valid_utf8(whole.text));
  mojifix::decode_options per_line;
  per_line.per_line = true;
  const mojifix::fix_result lines = mojifix::decode(bytes, {}, per_line);
  MOJIFIX_FUZZ_CHECK(mojifix::fuzz::valid_utf8(lines.text));
  return 0;
}
