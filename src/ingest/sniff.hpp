#pragma once
// Private to src/ingest: the readings of raw bytes that detection weighs, a
// decoder for each into code points, and the model cost of a reading.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"

namespace mojifix::detail::ingest {

/// How bytes are turned into code points beyond the codec room's tables.
enum class form : std::uint8_t {
  codec,               // detail::decode with `enc`
  utf32le,             //
  utf32be,             //
  iso2022jp,           // 7-bit JIS with ESC designations
  iso2022jp_stripped,  // the same with the ESC bytes lost ("$B...(B")
  extra,               // a single-byte code page outside the codec room,
                       // built from ICU (extra_code_pages()[index])
};

/// One way to read bytes: a decoder and the name it is reported under.
struct reading {
  form f = form::codec;
  encoding enc = encoding::utf8;
  std::uint8_t index = 0;  // form::extra: which code page
  [[nodiscard]] bool operator==(const reading&) const = default;
};

/// The reported name of a reading ("gbk", "big5", "utf-32le", ...).
[[nodiscard]] std::string_view reading_name(reading r) noexcept;

/// Parses an encoding name or alias (also utf-32 and iso-2022-jp ones).
[[nodiscard]] bool reading_from_name(std::string_view name, reading& out) noexcept;

/// Decodes one character at p[0..n) in reading r (not for utf-8 or the
/// stateful iso-2022-jp forms): returns its length, or 0 when the bytes are
/// not a character (then one byte is consumed as an error by the callers).
/// For the codec's UTF-16 forms, a surrogate pair is one character.
int decode_char(reading r, const unsigned char* p, std::size_t n, char32_t& cp) noexcept;

inline constexpr float kStoppedEarly = 1e6f;
/// Bits charged for a byte sequence that is not a character of a reading: a
/// little more than the rarest character costs, so one bad byte outweighs
/// any plausible text but does not rule a reading out on its own.
inline constexpr float kBadSequenceBits = 40.0f;
/// With a limit, reading_cost checks a reading against it every this many
/// characters (UTF-16 readings every 8).
inline constexpr std::size_t kCheckEvery = 4;

/// Decodes all of bytes in reading r to UTF-8, appending to out. A bad
/// sequence becomes U+FFFD; the byte offsets of the bad sequences are
/// appended to bad (when not null). Returns the number of bad sequences.
std::size_t decode_all(reading r, std::string_view bytes, std::string& out,
                       std::vector<std::size_t>* bad = nullptr);

/// Model cost, in bits, of bytes read as r, with a penalty per bad sequence.
/// At most max_chars code points are scored; scoring stops early once the
/// cost passes limit + rate x (bytes read so far), and then the result is
/// kStoppedEarly plus the cost so far.
float reading_cost(reading r, std::string_view bytes, std::size_t max_chars = 4096,
                   float limit = 3.0e38f, float rate = 0.0f);

/// The single-byte code pages detection knows beyond the codec room's
/// (ISO-8859-6/8/9, DOS and Mac code pages, TIS-620, KOI8-U), each with
/// its reported name and a 256-entry table (0xFFFFFFFF: undefined byte).
struct code_page {
  std::string_view name;
  const char* icu_name;
  std::uint8_t family;
  float prior;
};
[[nodiscard]] const std::vector<code_page>& extra_code_pages();

/// Every legacy reading detection weighs, with its prior cost in bits.
struct candidate {
  reading r;
  float prior;          // bits added to the cost: rarer encodings pay more
  std::uint8_t family;  // encodings a hint or an equivalence groups
};
[[nodiscard]] const std::vector<candidate>& legacy_candidates();

/// Valid UTF-8 check that stops at the first error; returns its offset or
/// npos, and counts the bytes of multi-byte sequences seen before it.
std::size_t first_invalid_utf8(std::string_view s, std::size_t& multibyte_bytes) noexcept;

/// Length of the valid UTF-8 sequence at s[i], or 0 (what utf8::next
/// accepts: no overlong forms, surrogates or code points past U+10FFFF).
/// Written out here because detection asks it of every non-ASCII byte.
inline int utf8_sequence_length(std::string_view s, std::size_t i) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  const unsigned b0 = p[i];
  if (b0 < 0x80) return 1;
  if (b0 < 0xC2 || b0 > 0xF4 || i + 1 >= n || (p[i + 1] & 0xC0) != 0x80) return 0;
  if (b0 < 0xE0) return 2;
  const unsigned b1 = p[i + 1];
  if ((b0 == 0xE0 && b1 < 0xA0) || (b0 == 0xED && b1 > 0x9F) || (b0 == 0xF0 && b1 < 0x90) ||
      (b0 == 0xF4 && b1 > 0x8F) || i + 2 >= n || (p[i + 2] & 0xC0) != 0x80)
    return 0;
  if (b0 < 0xF0) return 3;
  return i + 3 < n && (p[i + 3] & 0xC0) == 0x80 ? 4 : 0;
}

}  // namespace mojifix::detail::ingest

namespace mojifix {
struct detect_hints;
}

namespace mojifix::detail::ingest {

/// A reading with its total cost (model cost + prior - hint bonus).
struct scored {
  reading r;
  float cost = 0;
  std::uint8_t family = 0;
};

/// Ranks the legacy candidates (and UTF-16 when `utf16_prefix` is not empty)
/// on a sample of non-ASCII stretches, cheapest first.
std::vector<scored> rank_legacy(std::string_view sample, std::string_view utf16_prefix,
                                const detect_hints& hints, std::uint8_t favoured_family = 0);

/// The reported name of a ranked reading, given the bytes it read: gb18030
/// is "gbk" unless four-byte forms occur, cp949 "euc-kr" unless UHC forms do.
std::string report_name(reading r, std::string_view sample);

/// Joins the non-ASCII stretches of bytes (with a byte of context on each
/// side) into a sample of at most budget bytes, taken from the start and
/// from a few places further on.
std::string legacy_sample(std::string_view bytes, std::size_t budget);

/// Islands: maximal stretches of bytes that are not UTF-8, in a text that
/// otherwise is, as [begin, end) pairs.
std::vector<std::pair<std::size_t, std::size_t>> find_islands(std::string_view bytes,
                                                              std::size_t from = 0,
                                                              std::size_t max_islands = SIZE_MAX);

/// The non-ASCII characters of the UTF-8 text around the islands (sorted,
/// unique; at most the first 64 KB looked at).
std::vector<char32_t> seen_chars(std::string_view bytes,
                                 const std::vector<std::pair<std::size_t, std::size_t>>& islands);

/// A reading that gives islands the letters of the UTF-8 text around them
/// (à in French text, not ą) is more likely: each such character takes a
/// few bits off its cost; r is sorted again.
void favour_seen(std::vector<scored>& r, std::string_view islands,
                 const std::vector<char32_t>& seen);

/// Confidences (0..1, summing to 1) from ranked costs.
std::vector<double> confidences(const std::vector<scored>& ranked);

}  // namespace mojifix::detail::ingest
