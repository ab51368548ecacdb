// detail::decode and detail::encode for every encoding and decode mode.
// Input: byte 0 picks the encoding, byte 1 the mode, the rest is the data.
// Checks the documented contracts: output is valid UTF-8, only strict mode
// stops early, a sloppy single-byte decode encodes back to the same bytes,
// and (single-byte) encode_cp agrees with encode.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "fuzz_check.hpp"

namespace {

using mojifix::detail::decode_mode;
constexpr int kModeCount = 5;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace d = mojifix::detail;
  if (size < 2) return 0;
  const auto e = static_cast<d::encoding>(data[0] % d::kEncodingCount);
  const auto mode = static_cast<decode_mode>(data[1] % kModeCount);
  const std::string_view bytes(reinterpret_cast<const char*>(data + 2), size - 2);

  // Names round-trip, and any string is safe to look up.
  const auto named = d::encoding_from_name(d::name(e));
  MOJIFIX_FUZZ_CHECK(named && *named == e);
  (void)d::encoding_from_name(bytes.substr(0, 64));

  std::string text = "kept";  // decode appends
  const d::decode_result r = d::decode(e, bytes, mode, text);
  MOJIFIX_FUZZ_CHECK(text.compare(0, 4, "kept") == 0);
  text.erase(0, 4);
  MOJIFIX_FUZZ_CHECK(mojifix::fuzz::valid_utf8(text));
  MOJIFIX_FUZZ_CHECK(r.consumed <= bytes.size());
  if (mode == decode_mode::strict) {
    if (r.ok) MOJIFIX_FUZZ_CHECK(r.consumed == bytes.size() && r.errors == 0);
  } else {
    MOJIFIX_FUZZ_CHECK(r.ok && r.consumed == bytes.size());
  }

  // Encoding back. Any decoded text is safe to encode; for single-byte
  // encodings the whole-string encode agrees with encode_cp code point by
  // code point, and undoes a sloppy decode exactly.
  std::string back;
  const bool encoded = d::encode(e, text, back);
  if (d::is_single_byte(e)) {
    std::string by_cp;
    bool all = true;
    for (std::size_t i = 0; i < text.size() && all;) {
      std::uint8_t buf[4];
      const int n = d::encode_cp(e, mojifix::detail::utf8::next(text, i), buf);
      MOJIFIX_FUZZ_CHECK(n == 0 || n == 1);
      all = n == 1;
      by_cp.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
    MOJIFIX_FUZZ_CHECK(encoded == all);
    if (encoded) MOJIFIX_FUZZ_CHECK(back == by_cp);
    if (mode == decode_mode::sloppy) MOJIFIX_FUZZ_CHECK(encoded && back == bytes);
  } else {
    for (std::size_t i = 0; i < text.size();) {
      std::uint8_t buf[4];
      const int n = d::encode_cp(e, mojifix::detail::utf8::next(text, i), buf);
      MOJIFIX_FUZZ_CHECK(n >= 0 && n <= 4);
    }
  }

  // encode on raw bytes: invalid UTF-8 is refused, never read past.
  std::string raw;
  const bool raw_ok = d::encode(e, bytes, raw);
  if (!mojifix::fuzz::valid_utf8(bytes)) MOJIFIX_FUZZ_CHECK(!raw_ok);
  return 0;
}
