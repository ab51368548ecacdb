#include "detect/suspect.hpp"

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <unordered_map>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "model/scorer.hpp"
#include "repair/layers.hpp"

namespace mojifix::detail {
namespace {

enum flag : std::uint8_t {
  kStrong = 1,    // suspicious on its own
  kLead = 2,      // a UTF-8 lead byte in some single-byte code page
  kCont = 4,      // a UTF-8 continuation byte in some single-byte code page
  kHighLatin = 8, // a byte >= 0x80 of windows-1252 (or latin-1)
  kCjk = 16,      // Han, kana or Hangul
};

bool cjk_class(char_class c) {
  switch (c) {
    case char_class::han_common:
    case char_class::han_uncommon:
    case char_class::han_rare:
    case char_class::kana:
    case char_class::hangul_ksx1001:
    case char_class::hangul_other:
      return true;
    default:
      return false;
  }
}

bool ascii_letter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

bool strong_class(char_class c) {
  switch (c) {
    case char_class::c1_control:
    case char_class::private_use:
    case char_class::replacement:
    case char_class::unassigned:
    case char_class::noncharacter:
    case char_class::surrogate:
    case char_class::halfwidth_kana:
    case char_class::han_uncommon:
    case char_class::han_rare:
    case char_class::hangul_other:
      return true;
    default:
      return false;
  }
}

// Flags for every BMP code point, and for the few hundred characters that
// single-byte code pages hold, which of those code pages make them a UTF-8
// lead or continuation byte (bit i = i-th single-byte layer).
struct suspect_table {
  std::array<std::uint8_t, 0x10000> flags{};
  std::unordered_map<char32_t, std::uint32_t> lead_mask, cont_mask;

  suspect_table() {
    const scorer& s = scorer::get();
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      const char_class c = s.classify(cp);
      if (strong_class(c)) flags[cp] |= kStrong;
      if (cjk_class(c)) flags[cp] |= kCjk;
    }
    int bit = 0;
    for (const layer& l : known_layers()) {
      if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) continue;
      for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
        std::uint8_t b[4];
        int n = encode_cp(l.wrong, cp, b);
        if (n == 0 && l.c1_as_latin1 && cp <= 0x9F) { b[0] = static_cast<std::uint8_t>(cp); n = 1; }
        if (n != 1) continue;
        if (b[0] >= 0xC2 && b[0] <= 0xF4) { flags[cp] |= kLead; lead_mask[cp] |= 1u << bit; }
        if (b[0] >= 0x80 && b[0] <= 0xBF) { flags[cp] |= kCont; cont_mask[cp] |= 1u << bit; }
        if (l.wrong == encoding::windows_1252 && b[0] >= 0x80) flags[cp] |= kHighLatin;
      }
      ++bit;
    }
  }

  bool lead_then_cont(char32_t a, char32_t b) const {
    auto i = lead_mask.find(a);
    auto j = cont_mask.find(b);
    return i != lead_mask.end() && j != cont_mask.end() && (i->second & j->second) != 0;
  }
};

const suspect_table& table() {
  static const suspect_table t;
  return t;
}

}  // namespace

bool may_hold_mojibake(std::string_view line) noexcept {
  const suspect_table& t = table();
  const char* p = line.data();
  const std::size_t n = line.size();
  std::size_t i = 0;
  char32_t prev = 0;
  std::uint8_t prev_flags = 0;
  // Accented Latin read as a double-byte code page turns one letter into one
  // CJK character inside a Latin word (termin茅, l鈥檃ccr): track the current
  // CJK run, its length and whether an ASCII letter touches it.
  std::size_t cjk_run = 0;
  bool run_letter_before = false;
  bool prev_letter = false;
  bool run_ascii_before = false;
  bool prev_ascii = false;
  auto end_of_run = [&](bool letter_after, bool ascii_after) {
    return cjk_run == 1 ? (run_letter_before || letter_after || (run_ascii_before && ascii_after))
                        : cjk_run == 2 && run_letter_before && letter_after;
  };
  while (i < n) {
    // Skip ASCII eight bytes at a time (only outside a CJK run).
    if (cjk_run == 0 && i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        prev_letter = ascii_letter(static_cast<unsigned char>(p[i + 7]));
        prev_ascii = true;
        i += 8;
        prev_flags = 0;
        continue;
      }
    }
    const auto b = static_cast<unsigned char>(p[i]);
    if (b < 0x80) {
      const bool letter = ascii_letter(b);
      if (cjk_run > 0 && end_of_run(letter, true)) return true;
      cjk_run = 0;
      prev_letter = letter;
      prev_ascii = true;
      ++i;
      prev_flags = 0;
      continue;
    }
    char32_t cp = utf8::next(line, i);
    if (cp == utf8::kInvalid) {
      cjk_run = 0;
      prev_letter = false;
      prev_ascii = false;
      prev_flags = 0;
      continue;
    }
    std::uint8_t f;
    if (cp < 0x10000) {
      f = t.flags[cp];
    } else {
      f = strong_class(scorer::get().classify(cp)) ? kStrong : 0;
    }
    if (f & kStrong) return true;
    if ((prev_flags & kLead) && (f & kCont) && t.lead_then_cont(prev, cp)) return true;
    if ((prev_flags & kHighLatin) && (f & kHighLatin)) return true;
    if (f & kCjk) {
      if (cjk_run == 0) {
        run_letter_before = prev_letter;
        run_ascii_before = prev_ascii;
      }
      ++cjk_run;
    } else {
      if (cjk_run > 0 && end_of_run(false, false)) return true;
      cjk_run = 0;
    }
    prev_letter = false;
    prev_ascii = false;
    prev = cp;
    prev_flags = f;
  }
  return cjk_run > 0 && end_of_run(false, true);
}

}  // namespace mojifix::detail
