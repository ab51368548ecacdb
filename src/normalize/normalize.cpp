// The normalize stage. Order, after repair:
//   1. remove readings      (the annotations interrupt words; everything
//                            after sees the plain text)
//   2. the general fixers   html entities, c1 controls as windows-1252,
//                            surrogate pairs, terminal escapes, control
//                            characters, latin ligatures, width, line
//                            breaks, uncurl quotes, byte-order mark,
//                            zero-width characters, dakuten, cjk
//                            compatibility, and NFC/NFKC last (NFKC would
//                            turn the spacing ゛ into a space and a combining
//                            mark before the dakuten fixer joined it)
//   3. script conversion    (script/convert.hpp: sees unified ideographs)
//   4. cjk punctuation      (needs the final neighbours of each mark)
// A first pass over the text finds which fixers have anything to look at;
// clean text ends there.

#include "normalize/normalize.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "codec/utf8.hpp"
#include "normalize/readings.hpp"
#include "script/classify.hpp"
#include "script/convert.hpp"
#include "script/tables.hpp"

namespace mojifix::detail {
namespace {

// One bit per fixer (what a character may need), plus character classes.
// Bits 0-13 are what the per-code-point table holds (16 bits an entry).
enum : std::uint32_t {
  kC1 = 1u << 0,
  kControls = 1u << 1,
  kLigatures = 1u << 2,
  kWidth = 1u << 3,
  kLineBreaks = 1u << 4,
  kQuotes = 1u << 5,
  kBom = 1u << 6,
  kZeroWidth = 1u << 7,
  kDakuten = 1u << 8,
  kCompat = 1u << 9,
  kNfc = 1u << 10,
  kNfkc = 1u << 11,
  kHan = 1u << 12,  // a Han character: readings may follow, script may apply
  kCjk = 1u << 13,  // CJK punctuation may follow
  kJamo = 1u << 14,
  kEntities = 1u << 16,
  kReadings = 1u << 17,
  kPunct = 1u << 18,
  kSurrogates = 1u << 19,
  kEscapes = 1u << 20,
  kScript = 1u << 21,  // wanted: the keep-mode script flags
  // In a scan's result: the keep-mode script flags of the text (bits
  // 24-27) and whether they are exact (the text is valid UTF-8).
  kScriptShift = 24,
  kScriptFlags = 0xFu << kScriptShift,
  kScriptKnown = 1u << 28,
};

std::uint32_t cp_flags_slow(char32_t c) {
  std::uint32_t f = 0;
  if (c >= 0x80 && c <= 0x9F) f |= kC1;
  if (c == 0x85 || c == 0x2028 || c == 0x2029) f |= kLineBreaks;
  if ((c >= 0x206A && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB)) f |= kControls;
  if (c >= 0xFB00 && c <= 0xFB06) f |= kLigatures;
  if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
      (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xFF61 && c <= 0xFF9F))
    f |= kWidth;
  if (c >= 0x2018 && c <= 0x201F) f |= kQuotes;
  if (c == 0xFEFF) f |= kBom;
  if ((c >= 0x200B && c <= 0x200D) || c == 0x2060) f |= kZeroWidth;
  if (c == 0x309B || c == 0x309C) f |= kDakuten;
  if (c == 0x3164) f |= kJamo;
  if ((c >= 0x2F00 && c <= 0x2FD5) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x2F800 && c <= 0x2FA1F))
    f |= kCompat;
  const auto uc = static_cast<UChar32>(c);
  if (u_getIntPropertyValue(uc, UCHAR_NFC_QUICK_CHECK) != UNORM_YES) f |= kNfc;
  if (u_getIntPropertyValue(uc, UCHAR_NFKC_QUICK_CHECK) != UNORM_YES) f |= kNfkc;
  if (is_han(c)) f |= kHan | kCjk;
  // As the CJK punctuation fixer sees CJK: kana, Hangul (syllables and
  // jamo), bopomofo, radicals, CJK and fullwidth punctuation.
  if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF00 && c <= 0xFFEF) ||
      (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
      (c >= 0x3130 && c <= 0x318F) || (c >= 0x3100 && c <= 0x312F) || (c >= 0x2E80 && c <= 0x2FDF))
    f |= kCjk;
  return f;
}

// Flags of every BMP code point, built once (a few milliseconds).
const std::uint16_t* bmp_flags() {
  static const std::unique_ptr<std::uint16_t[]> table = [] {
    auto t = std::make_unique<std::uint16_t[]>(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c)
      t[c] = c < 0x80 ? 0 : static_cast<std::uint16_t>(cp_flags_slow(c));
    return t;
  }();
  return table.get();
}

// The table of the walk over runs of three-byte characters while the script
// flags are wanted: bits 0-12 as bmp_flags() (the fixer bits and kHan; a
// fixer's bit stops nothing, as the options decide what is wanted), the
// keep-mode script flags in bits 13-15, and kWalkStop for what the walk
// leaves to the general path: code points no three-byte sequence may encode
// (below U+0800, surrogates), U+FF08, which may open a reading, and the
// Hangul filler (its fixer bit is above the walk's).
constexpr std::uint32_t kWalkFixers = 0x1FFF;
constexpr std::uint16_t kWalkKana = 1u << 13, kWalkTraditional = 1u << 14,
                        kWalkSimplified = 1u << 15;  // or weak: keep mode reads them together
constexpr std::uint16_t kWalkStop = 0xFFFF;          // no character has every bit

const std::uint16_t* cjk_walk_flags() {
  static const std::unique_ptr<std::uint16_t[]> table = [] {
    const std::uint16_t* bmp = bmp_flags();
    const std::uint8_t* script = keep_mode_flags();
    auto t = std::make_unique<std::uint16_t[]>(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c) {
      auto f = static_cast<std::uint16_t>(bmp[c] & kWalkFixers);
      if (c >= script_tables::kFlagsBegin && c < script_tables::kFlagsEnd) {
        const unsigned s = script[c - script_tables::kFlagsBegin];
        if (s & script_tables::kFlagKana) f |= kWalkKana;
        if (s & script_tables::kFlagTraditional) f |= kWalkTraditional;
        if (s & (script_tables::kFlagSimplified | script_tables::kFlagWeak)) f |= kWalkSimplified;
      }
      if (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF) || c == 0xFF08 || (bmp[c] & kJamo) != 0)
        f = kWalkStop;
      t[c] = f;
    }
    return t;
  }();
  return table.get();
}

unsigned walk_script_flags(unsigned f) {
  return ((f & kWalkKana) ? script_tables::kFlagKana : 0u) |
         ((f & kWalkTraditional) ? script_tables::kFlagTraditional : 0u) |
         ((f & kWalkSimplified) ? script_tables::kFlagSimplified : 0u);
}

std::uint32_t cp_flags(const std::uint16_t* bmp, char32_t c) {
  if (c < 0x10000) return bmp[c];
  if (c >= 0x1F000 && c <= 0x1FAFF) return 0;  // emoji and symbols: nothing to do
  return cp_flags_slow(c);
}

constexpr std::array<std::uint32_t, 128> kAsciiFlags = [] {
  std::array<std::uint32_t, 128> t{};
  for (int b = 1; b < 0x20; ++b) t[b] = kControls;  // NUL is kept
  t['\t'] = t['\n'] = t['\f'] = 0;
  t['\r'] = kLineBreaks;
  t[0x1B] = kEscapes | kControls;
  t[0x7F] = kControls;
  t['&'] = kEntities;
  for (char c : {',', ':', ';', '!', '?', '(', ')'}) t[static_cast<unsigned char>(c)] = kPunct;
  return t;
}();

// The fixer bits the options switch on.
std::uint32_t wanted(const options& opt) {
  std::uint32_t w = 0;
  if (opt.html_entities != entity_mode::never) w |= kEntities;
  if (opt.fix_c1_controls) w |= kC1;
  if (opt.fix_surrogates) w |= kSurrogates;
  if (opt.remove_terminal_escapes) w |= kEscapes;
  if (opt.remove_control_chars) w |= kControls;
  if (opt.fix_latin_ligatures) w |= kLigatures;
  if (opt.fix_width) w |= kWidth;
  if (opt.fix_line_breaks) w |= kLineBreaks;
  if (opt.uncurl_quotes) w |= kQuotes;
  if (opt.remove_bom) w |= kBom;
  if (opt.remove_zero_width) w |= kZeroWidth;
  if (opt.fix_dakuten) w |= kDakuten;
  if (opt.fix_cjk_compatibility) w |= kCompat;
  if (opt.compose_jamo) w |= kJamo;
  if (opt.normalization == normal_form::nfc) w |= kNfc;
  if (opt.normalization == normal_form::nfkc) w |= kNfkc;
  if (opt.remove_readings) w |= kReadings;
  if (opt.restore_cjk_punct) w |= kPunct;
  if (opt.script == script::keep) w |= kScript;
  return w | kHan;
}

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

// Per-byte tests on eight ASCII bytes (no byte above 0x7F, so no carry
// crosses into a byte that is kept): the high bit of each byte that matches.
constexpr std::uint64_t below_space(std::uint64_t w) {
  return ~(w + 0x6060606060606060ull) & kHighs;
}
constexpr std::uint64_t equal(std::uint64_t w, unsigned char c) {
  return ~((w ^ (kOnes * c)) + 0x7F7F7F7F7F7F7F7Full) & kHighs;
}

#if defined(__SSE2__)
// Bytes of v in [lo, hi] (unsigned), as 0xFF.
inline __m128i in_range(__m128i v, unsigned char lo, unsigned char hi) {
  const __m128i x = _mm_sub_epi8(v, _mm_set1_epi8(static_cast<char>(lo)));
  return _mm_cmpeq_epi8(_mm_min_epu8(x, _mm_set1_epi8(static_cast<char>(hi - lo))), x);
}
inline __m128i is(__m128i v, unsigned char c) {
  return _mm_cmpeq_epi8(v, _mm_set1_epi8(static_cast<char>(c)));
}

// Sixteen bytes of valid UTF-8, sorted for the scan (one bit per byte):
//   flagged  ASCII bytes a fixer wants to see (controls, '&', '(' ...)
//   lookup   lead bytes of characters looked up in the table one by one
//            (E2, E3, EA, ED, EF: punctuation, kana, fullwidth forms)
//   lookup2  lead bytes of two-byte characters, looked up the same way
//            (accented Latin, Greek, Cyrillic, Hebrew, Arabic)
//   other    bytes the block path does not handle: the scalar path reads
//            from the first of them
// Continuation bytes, plain ASCII and the leads of Han U+4000-U+9FFF and
// Hangul U+B000-U+CFFF need nothing.
struct block_kinds {
  unsigned flagged, lookup, lookup2, other;
  bool han;
};

// v and v1 are the block and the block one byte on; cont the continuation
// bytes (already known from the validation).
inline block_kinds sort_block(const unsigned char* p, __m128i v, __m128i v1, unsigned high,
                              unsigned cont, std::uint32_t want) {
  // Signed compare: bytes above 0x7F count as below space; cut off below.
  __m128i flag = _mm_andnot_si128(_mm_or_si128(is(v, '\n'), is(v, '\t')),
                                  _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
  flag = _mm_or_si128(flag, is(v, 0x7F));
  if (want & kEntities) flag = _mm_or_si128(flag, is(v, '&'));
  if (want & (kReadings | kPunct)) flag = _mm_or_si128(flag, is(v, '('));
  if (want & kPunct) {
    flag = _mm_or_si128(flag, _mm_or_si128(_mm_or_si128(is(v, ','), is(v, ':')), is(v, ';')));
    flag = _mm_or_si128(flag, _mm_or_si128(_mm_or_si128(is(v, '!'), is(v, '?')), is(v, ')')));
  }
  const auto han = static_cast<unsigned>(_mm_movemask_epi8(in_range(v, 0xE4, 0xE9)));
  unsigned none = han | cont | (~high & 0xFFFFu) |
                  static_cast<unsigned>(_mm_movemask_epi8(in_range(v, 0xEB, 0xEC)));
  // Hangul syllables U+AC00-U+AFFF and U+D000-U+D79F too.
  none |= static_cast<unsigned>(
      _mm_movemask_epi8(_mm_or_si128(_mm_and_si128(is(v, 0xEA), in_range(v1, 0xB0, 0xBF)),
                                     _mm_and_si128(is(v, 0xED), in_range(v1, 0x80, 0x9D)))));
  const __m128i e3 = is(v, 0xE3);
  if (!(want & kNfkc) && _mm_movemask_epi8(e3) != 0) {
    // CJK punctuation U+3000-U+303F and kana U+3040-U+30FF but the sound
    // marks U+3099-U+309C need nothing either (NFKC would fold some).
    const __m128i v2 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 2));
    const __m128i marks = _mm_and_si128(is(v1, 0x82), in_range(v2, 0x99, 0x9C));
    none |= static_cast<unsigned>(
        _mm_movemask_epi8(_mm_and_si128(e3, _mm_andnot_si128(marks, in_range(v1, 0x80, 0x83)))));
  }
  const unsigned lookup = static_cast<unsigned>(_mm_movemask_epi8(_mm_or_si128(
                              _mm_or_si128(e3, is(v, 0xE2)),
                              _mm_or_si128(is(v, 0xEA), _mm_or_si128(is(v, 0xED), is(v, 0xEF)))))) &
                          ~none;
  block_kinds k;
  k.flagged = static_cast<unsigned>(_mm_movemask_epi8(flag)) & ~high;
  k.lookup = lookup;
  k.lookup2 = static_cast<unsigned>(_mm_movemask_epi8(in_range(v, 0xC2, 0xDF)));
  k.other = ~(none | lookup | k.lookup2) & 0xFFFFu;
  k.han = han != 0;
  return k;
}
#endif

// The fixers (and kHan) that have something to look at in text; *valid (if
// given) learns whether text is well-formed UTF-8. Blocks of sixteen bytes
// are validated and sorted at once; a block that does not validate, and the
// tail, go through the scalar path, which decodes character by character.
std::uint32_t scan(std::string_view text, std::uint32_t want, bool* valid = nullptr) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::uint16_t* bmp = bmp_flags();
  const bool amp = (want & kEntities) != 0;
  const bool readings = (want & kReadings) != 0;
  const bool punct = (want & kPunct) != 0;
  std::uint32_t seen = 0;
  // An opening parenthesis may start a reading of the Han characters before
  // it; ASCII punctuation after a CJK character may be restored.
  const auto opener = [&](std::size_t at) {
    if (readings && (seen & kReadings) == 0 && reading_end(text, at) != 0) seen |= kReadings;
  };
  const auto ascii_mark = [&](std::size_t at) {
    const unsigned char c = p[at];
    if (c == '(') opener(at);
    if (punct && (kAsciiFlags[c] & kPunct) && at > 0) {
      std::size_t b = at - 1;
      while (b > 0 && (p[b] & 0xC0) == 0x80) --b;
      std::size_t k = b;
      const char32_t prev = utf8::next(text, k);
      if (k == at && prev != utf8::kInvalid && (cp_flags(bmp, prev) & kCjk)) seen |= kPunct;
    }
    seen |= kAsciiFlags[c] & ~kPunct;
  };
  std::size_t i = 0;
  std::size_t scalar_until = 0;  // a block that was not plain is read up to here
  bool invalid = false;
  // The keep-mode script flags, gathered until they settle the verdict;
  // the table is opened at the first character that has flags.
  bool gather = (want & kScript) != 0;
  unsigned sflags = 0;
  const std::uint8_t* sflags_table = nullptr;  // from U+3000
  const std::uint16_t* walk = nullptr;
  unsigned pending = 0;  // continuation bytes the last block's characters expect next
  // Leaves block mode: back to the start of a character the blocks split.
  const auto to_char_start = [&] {
    if (pending != 0)
      while (i > 0 && (p[i] & 0xC0) == 0x80) --i;
    pending = 0;
  };
  while (i < n) {
#if defined(__SSE2__)
    if (i >= scalar_until && i + 18 <= n) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
      const auto high = static_cast<unsigned>(_mm_movemask_epi8(v));
      if (high == 0 && pending == 0) {
        // All ASCII: only the flagged bytes are looked at.
        __m128i x = _mm_andnot_si128(_mm_or_si128(is(v, '\n'), is(v, '\t')),
                                     _mm_cmplt_epi8(v, _mm_set1_epi8(0x20)));
        x = _mm_or_si128(x, is(v, 0x7F));
        if (amp) x = _mm_or_si128(x, is(v, '&'));
        if (readings || punct) x = _mm_or_si128(x, is(v, '('));
        if (punct) {
          x = _mm_or_si128(x, _mm_or_si128(_mm_or_si128(is(v, ','), is(v, ':')), is(v, ';')));
          x = _mm_or_si128(x, _mm_or_si128(_mm_or_si128(is(v, '!'), is(v, '?')), is(v, ')')));
        }
        for (auto hit = static_cast<unsigned>(_mm_movemask_epi8(x)); hit != 0; hit &= hit - 1)
          ascii_mark(i + static_cast<std::size_t>(std::countr_zero(hit)));
        i += 16;
        continue;
      }
      // Han or kana while the script flags are wanted: the scalar walk
      // reads them a character at a time and gathers the flags on the way
      // (cheaper than a lookup per lead byte of the block).
      if (gather && _mm_movemask_epi8(in_range(v, 0xE3, 0xE9)) != 0) {
        to_char_start();
        scalar_until = i + 16;
        goto scalar;
      }
      {
        // UTF-8 structure by bit masks: every continuation byte exactly where
        // a lead byte expects one, no byte that never occurs, and the second
        // byte of E0, ED, F0, F4 in range (no overlongs, surrogates or
        // code points past U+10FFFF).
        const __m128i v1 = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i + 1));
        const auto mask = [](__m128i m) { return static_cast<unsigned>(_mm_movemask_epi8(m)); };
        const unsigned cont = mask(in_range(v, 0x80, 0xBF));
        const unsigned l2 = mask(in_range(v, 0xC2, 0xDF));
        const unsigned l3 = mask(in_range(v, 0xE0, 0xEF));
        const unsigned l4 = mask(in_range(v, 0xF0, 0xF4));
        unsigned odd = 0;
        if (mask(_mm_or_si128(_mm_or_si128(is(v, 0xE0), is(v, 0xED)),
                              _mm_or_si128(is(v, 0xF0), is(v, 0xF4)))) != 0) {
          __m128i o = _mm_and_si128(is(v, 0xE0), in_range(v1, 0x80, 0x9F));
          o = _mm_or_si128(o, _mm_and_si128(is(v, 0xED), in_range(v1, 0xA0, 0xBF)));
          o = _mm_or_si128(o, _mm_and_si128(is(v, 0xF0), in_range(v1, 0x80, 0x8F)));
          o = _mm_or_si128(o, _mm_and_si128(is(v, 0xF4), in_range(v1, 0x90, 0xBF)));
          odd = mask(o);
        }
        const unsigned expect =
            pending | (l2 << 1) | (l3 << 1) | (l3 << 2) | (l4 << 1) | (l4 << 2) | (l4 << 3);
        const bool ok = ((~high | cont | l2 | l3 | l4) & 0xFFFFu) == 0xFFFFu && odd == 0 &&
                        (expect & 0xFFFFu) == cont;
        if (!ok) {
          to_char_start();
          scalar_until = i + 16;
        } else {
          const block_kinds k = sort_block(p + i, v, v1, high, cont, want);
          if (k.han) seen |= kHan;
          // Up to the first byte the block path does not handle (it starts a
          // character: continuation bytes are always handled).
          const std::size_t end =
              k.other != 0 ? static_cast<std::size_t>(std::countr_zero(k.other)) : 16;
          const unsigned upto = end == 16 ? 0xFFFFu : (1u << end) - 1;
          for (unsigned hit = k.flagged & upto; hit != 0; hit &= hit - 1)
            ascii_mark(i + static_cast<std::size_t>(std::countr_zero(hit)));
          for (unsigned hit = k.lookup & upto; hit != 0; hit &= hit - 1) {
            const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(hit));
            const char32_t c =
                ((p[at] & 0x0Fu) << 12) | ((p[at + 1] & 0x3Fu) << 6) | (p[at + 2] & 0x3Fu);
            if (c == 0xFF08) opener(at);
            seen |= bmp[c];
          }
          for (unsigned hit = k.lookup2 & upto; hit != 0; hit &= hit - 1) {
            const std::size_t at = i + static_cast<std::size_t>(std::countr_zero(hit));
            seen |= bmp[((p[at] & 0x1Fu) << 6) | (p[at + 1] & 0x3Fu)];
          }
          if (end == 16) {
            pending = expect >> 16;
            i += 16;
            continue;
          }
          i += end;
          pending = 0;
          scalar_until = i + 16;
        }
      }
    } else {
      to_char_start();
    }
  scalar:
#endif
    const unsigned b = p[i];
    if (b < 0x80) {
      // An ASCII run, eight bytes at a time; only flagged bytes are looked up.
      while (i + 8 <= n) {
        std::uint64_t w;
        std::memcpy(&w, p + i, 8);
        const std::uint64_t high = w & kHighs;
        const std::size_t ascii =
            high != 0 ? static_cast<std::size_t>(std::countr_zero(high)) / 8 : 8;
        // Exact per byte for ASCII bytes; bytes from the first high one on
        // are cut off below.
        std::uint64_t hit = (below_space(w) & ~equal(w, '\n') & ~equal(w, '\t')) | equal(w, 0x7F);
        if (amp) hit |= equal(w, '&');
        if (readings) hit |= equal(w, '(');
        if (punct)
          hit |= equal(w, ',') | equal(w, ':') | equal(w, ';') | equal(w, '!') | equal(w, '?') |
                 equal(w, '(') | equal(w, ')');
        if (ascii < 8) hit &= (std::uint64_t{1} << (ascii * 8)) - 1;
        for (; hit != 0; hit &= hit - 1)
          ascii_mark(i + static_cast<std::size_t>(std::countr_zero(hit)) / 8);
        i += ascii;
        if (ascii < 8 || i >= scalar_until) break;
      }
      if (i + 8 > n) {
        for (; i < n && p[i] < 0x80; ++i) {
          if (kAsciiFlags[p[i]] != 0) ascii_mark(i);
        }
      }
      continue;
    }
    if (b >= 0xE0 && b <= 0xEF && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      if (gather) {
        // A run of three-byte characters (CJK text): each validated by its
        // bit pattern and one lookup that gives its fixer bits and script
        // flags; the characters the lookup stops at go the general way.
        if (walk == nullptr) walk = cjk_walk_flags();
        unsigned f = 0;
        const std::size_t start = i;
        while (i + 4 <= n) {
          std::uint32_t w;
          std::memcpy(&w, p + i, 4);
          if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
          if ((w & 0xC0C0F0u) != 0x8080E0u) break;
          const unsigned e = walk[((w & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | ((w >> 16) & 0x3Fu)];
          if (e == kWalkStop) break;
          f |= e;
          i += 3;
        }
        seen |= f & kWalkFixers;
        sflags |= walk_script_flags(f);
        gather = !keep_mode_settled(sflags);
        if (i != start) continue;
      }
      const char32_t c = ((b & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
      if (gather && b >= 0xE3 && b <= 0xE9) {
        if (sflags_table == nullptr) sflags_table = keep_mode_flags();
        sflags |= sflags_table[c - script_tables::kFlagsBegin];
        gather = !keep_mode_settled(sflags);
      }
      // U+4000-U+9FFF, most Han text: nothing to fix in the character itself.
      if (b >= 0xE4 && b <= 0xE9) {
        i += 3;
        seen |= kHan;
        continue;
      }
      if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
        if (c == 0xFF08) opener(i);
        i += 3;
        seen |= bmp[c];
        continue;
      }
    }
    const std::size_t at = i;
    const char32_t c = utf8::next(text, i);
    if (c == utf8::kInvalid) {
      invalid = true;
      if (b == 0xED && at + 1 < n && p[at + 1] >= 0xA0 && p[at + 1] <= 0xAF) seen |= kSurrogates;
      continue;
    }
    seen |= cp_flags(bmp, c);
  }
  if (valid != nullptr) *valid = !invalid;
  seen &= want | kHan;
  // Flags of a text that is not UTF-8 may miss what the script stage reads.
  if ((want & kScript) != 0 && !invalid) seen |= (sflags << kScriptShift) | kScriptKnown;
  return seen;
}

std::vector<change> to_changes(std::vector<edit>&& edits) {
  std::vector<change> out;
  out.reserve(edits.size());
  for (edit& e : edits) out.push_back({e.begin, e.end, std::move(e.after), std::string(e.what)});
  return out;
}

}  // namespace

std::string apply_changes(std::string_view text, const std::vector<change>& changes) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const change& c : changes) {
    out.append(text.substr(at, c.begin - at));
    out += c.after;
    at = c.end;
  }
  out.append(text.substr(at));
  return out;
}

std::vector<change> compose(std::string_view text0, const std::vector<change>& first,
                            const std::vector<change>& second) {
  if (second.empty()) return first;
  const std::string text1 = apply_changes(text0, first);
  // Where each change of `first` sits in text1.
  struct placed {
    std::size_t b1, e1;
  };
  std::vector<placed> where;
  where.reserve(first.size());
  std::ptrdiff_t shift = 0;
  for (const change& c : first) {
    const auto b1 = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c.begin) + shift);
    where.push_back({b1, b1 + c.after.size()});
    shift +=
        static_cast<std::ptrdiff_t>(c.after.size()) - static_cast<std::ptrdiff_t>(c.end - c.begin);
  }
  // Intervals of text0: every change of `first`, and every change of
  // `second` mapped back (widened where it starts or ends inside a result
  // of `first`). delta is how much the change grows the text.
  struct interval {
    std::size_t b0, e0;
    std::ptrdiff_t delta;
    const std::string* chain;
    int stage;
  };
  std::vector<interval> all;
  all.reserve(first.size() + second.size());
  for (const change& c : first)
    all.push_back(
        {c.begin, c.end,
         static_cast<std::ptrdiff_t>(c.after.size()) - static_cast<std::ptrdiff_t>(c.end - c.begin),
         &c.chain, 0});
  const auto growth = [&](std::size_t x) {
    return static_cast<std::ptrdiff_t>(where[x].e1 - where[x].b1) -
           static_cast<std::ptrdiff_t>(first[x].end - first[x].begin);
  };
  std::size_t k = 0;  // changes of `first` ending at or before s.begin
  std::ptrdiff_t passed = 0;
  for (const change& s : second) {
    while (k < first.size() && where[k].e1 <= s.begin) passed += growth(k++);
    // A begin inside the result of a change of `first` widens to its start.
    const std::size_t b0 =
        k < first.size() && where[k].b1 <= s.begin
            ? first[k].begin
            : static_cast<std::size_t>(static_cast<std::ptrdiff_t>(s.begin) - passed);
    std::size_t j = k;
    std::ptrdiff_t passed_end = passed;
    while (j < first.size() && where[j].e1 < s.end) passed_end += growth(j++);
    // An end inside such a result widens to its end.
    std::size_t e0 =
        j < first.size() && where[j].b1 < s.end
            ? first[j].end
            : static_cast<std::size_t>(static_cast<std::ptrdiff_t>(s.end) - passed_end);
    e0 = std::max(e0, b0);
    all.push_back(
        {b0, e0,
         static_cast<std::ptrdiff_t>(s.after.size()) - static_cast<std::ptrdiff_t>(s.end - s.begin),
         &s.chain, 1});
  }
  std::stable_sort(all.begin(), all.end(), [](const interval& a, const interval& b) {
    return a.b0 != b.b0 ? a.b0 < b.b0 : a.e0 < b.e0;
  });
  const std::string text2 = apply_changes(text1, second);
  std::vector<change> out;
  std::ptrdiff_t total = 0;  // growth of the text before the current group
  for (std::size_t g = 0; g < all.size();) {
    std::size_t b0 = all[g].b0, e0 = all[g].e0;
    std::ptrdiff_t delta = 0;
    std::vector<const interval*> group;
    std::size_t h = g;
    for (; h < all.size(); ++h) {
      const interval& x = all[h];
      const bool joins = h == g || x.b0 < e0 || (x.b0 == e0 && (x.b0 == x.e0 || b0 == e0));
      if (!joins) break;
      e0 = std::max(e0, x.e0);
      delta += x.delta;
      group.push_back(&x);
    }
    change c;
    c.begin = b0;
    c.end = e0;
    const auto from = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(b0) + total);
    const auto len = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(e0 - b0) + delta);
    c.after = text2.substr(std::min(from, text2.size()), len);
    // Chains in stage order, each once.
    for (int stage = 0; stage < 2; ++stage) {
      for (const interval* x : group) {
        if (x->stage != stage) continue;
        const std::string& name = *x->chain;
        if (c.chain == name || c.chain.find(name) != std::string::npos) continue;
        if (!c.chain.empty()) c.chain += " \u2192 ";
        c.chain += name;
      }
    }
    total += delta;
    if (c.after != text0.substr(c.begin, c.end - c.begin)) out.push_back(std::move(c));
    g = h;
  }
  return out;
}

bool quick_check_yes(char32_t c, normal_form form) noexcept {
  if (c < 0xA0 || form == normal_form::none) return true;
  const std::uint32_t bit = form == normal_form::nfc ? kNfc : kNfkc;
  if (c < 0x10000) return (bmp_flags()[c] & bit) == 0;
  return (cp_flags(bmp_flags(), c) & bit) == 0;
}

std::uint32_t normalize_scan(std::string_view text, const options& opt, bool& valid) noexcept {
  return scan(text, wanted(opt), &valid);
}

bool scan_found_readings(std::uint32_t bits) noexcept { return (bits & kReadings) != 0; }

bool scan_found_controls(std::uint32_t bits) noexcept { return (bits & kControls) != 0; }

bool scan_script_flags(std::uint32_t bits, unsigned& flags) noexcept {
  flags = (bits & kScriptFlags) >> kScriptShift;
  return (bits & kScriptKnown) != 0;
}

bool may_need_normalize(std::string_view text, const options& opt) noexcept {
  return (scan(text, wanted(opt)) & ~(kScriptFlags | kScriptKnown)) != 0 ||
         opt.script != script::keep;
}

std::vector<change> normalize(std::string_view text, const options& opt, std::string* out,
                              const std::vector<std::pair<std::size_t, std::size_t>>* kept,
                              const std::uint32_t* scanned, bool plan,
                              const document_script* around) {
  const std::uint32_t want = wanted(opt);
  std::uint32_t need = scanned != nullptr ? *scanned : scan(text, want);
  if ((need & ~(kScriptFlags | kScriptKnown)) == 0 && opt.script == script::keep) return {};
  std::vector<change> done;
  bool changed = false;
  std::string cur;              // the text so far, once something changed
  std::string_view now = text;  // what the next fixer reads
  // The spans repair restored, in bytes of `now`.
  std::vector<std::pair<std::size_t, std::size_t>> keep;
  if (kept != nullptr) keep = *kept;
  // Moves the kept spans through changes of `now` (a span end inside a
  // change moves to that change's edge).
  const auto move_kept = [&](const std::vector<change>& c) {
    std::size_t k = 0;
    std::ptrdiff_t shift = 0;
    const auto map = [&](std::size_t pos, bool is_end) {
      while (k < c.size() && c[k].end <= pos && !(is_end && c[k].begin == pos && c[k].end == pos)) {
        shift += static_cast<std::ptrdiff_t>(c[k].after.size()) -
                 static_cast<std::ptrdiff_t>(c[k].end - c[k].begin);
        ++k;
      }
      if (k < c.size() && c[k].begin < pos) {  // inside a change
        const auto b = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c[k].begin) + shift);
        return is_end ? b + c[k].after.size() : b;
      }
      return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(pos) + shift);
    };
    for (auto& [b, e] : keep) {
      // Spans are sorted and apart, so positions only grow.
      b = map(b, false);
      e = std::max(b, map(e, true));
    }
  };
  // Runs one fixer when its bit is needed; after a change, what the new text
  // needs is looked up again (an entity may decode to a ligature). The Plan
  // (composed changes) is built only when asked for.
  const auto run = [&](std::uint32_t bit, auto&& fixer) {
    if ((need & bit) == 0) return;
    std::vector<edit> e = fixer(now);
    if (e.empty()) return;
    std::vector<change> c = to_changes(std::move(e));
    if (plan) done = compose(text, done, c);
    changed = true;
    if (!keep.empty()) move_kept(c);
    cur = apply_changes(now, c);
    now = cur;
    need = scan(now, want);
  };
  // Style fixers leave the characters repair restored as they are: those are
  // what the author wrote (ftfy's cases keep the ﬁ of a repaired "signiﬁcantly").
  const auto outside_kept = [&](std::vector<edit> e) {
    if (keep.empty()) return e;
    std::size_t k = 0;
    std::erase_if(e, [&](const edit& x) {
      while (k < keep.size() && keep[k].second <= x.begin) ++k;
      return k < keep.size() && keep[k].first < std::max(x.end, x.begin + 1);
    });
    return e;
  };
  const auto all = ~0u;
  run(kReadings, [](std::string_view t) { return reading_edits(t); });
  run(kEntities, [&](std::string_view t) { return entity_edits(t, opt.html_entities); });
  run(kC1, [](std::string_view t) { return c1_edits(t); });
  run(kSurrogates, [](std::string_view t) { return surrogate_edits(t); });
  run(kEscapes, [](std::string_view t) { return terminal_escape_edits(t); });
  run(kControls, [](std::string_view t) { return control_edits(t); });
  run(kLigatures, [&](std::string_view t) { return outside_kept(ligature_edits(t)); });
  run(kWidth, [&](std::string_view t) { return outside_kept(width_edits(t)); });
  run(kLineBreaks, [](std::string_view t) { return line_break_edits(t); });
  run(kQuotes, [&](std::string_view t) { return outside_kept(quote_edits(t)); });
  run(kBom, [](std::string_view t) { return bom_edits(t); });
  run(kZeroWidth, [](std::string_view t) { return zero_width_edits(t); });
  run(kDakuten, [](std::string_view t) { return dakuten_edits(t); });
  run(kCompat, [](std::string_view t) { return cjk_compatibility_edits(t); });
  run(kJamo, [](std::string_view t) { return jamo_edits(t); });
  run(kNfc | kNfkc, [&](std::string_view t) { return normalization_edits(t, opt.normalization); });
  // Script conversion decides for itself; text without Han has nothing for
  // it, and in keep mode neither has text whose flags the scan gathered
  // (the scan of the text as it is now) say it stays.
  const bool script_stays =
      opt.script == script::keep &&
      ((need & kHan) == 0 ||
       ((need & kScriptKnown) != 0 && !keep_mode_may_change(need >> kScriptShift & 0xFu)) ||
       (around != nullptr && around->japanese()));
  if (!script_stays) {
    need |= kHan;
    run(all, [&](std::string_view t) { return script_edits(t, opt); });
  }
  run(kPunct, [](std::string_view t) { return cjk_punct_edits(t); });
  if (!changed) return {};
  if (out != nullptr) *out = std::string(now);
  // Without a Plan, one change stands for all: the whole text.
  if (!plan) done.push_back({0, text.size(), std::string(), "normalize"});
  return done;
}

}  // namespace mojifix::detail
