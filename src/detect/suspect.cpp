#include "detect/suspect.hpp"

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "model/scorer.hpp"
#include "repair/candidates.hpp"
#include "repair/layers.hpp"

namespace mojifix::detail {
namespace {

enum flag : std::uint8_t {
  kStrong = 1,     // suspicious on its own
  kLead = 2,       // a UTF-8 lead byte in some single-byte code page
  kCont = 4,       // a UTF-8 continuation byte in some single-byte code page
  kHighLatin = 8,  // a byte >= 0x80 of windows-1252 (or latin-1)
  kCjk = 16,       // Han, kana or Hangul
  kForeign = 32,   // Greek or Cyrillic letters and bopomofo (Big5 read as
                   // GBK puts them between Han: 家Α, и琌, ㄏノ)
  kNbspLead = 64,  // a two-byte UTF-8 lead, in a code page whose A0 is U+00A0,
                   // that with A0 makes a letter (see loses_nbsp: "voilÃ le"
                   // for voilà le)

  // A small kana (ぃ, ャ): it follows a kana, never starts a word.
  kSmallKana = 128,
};

bool ascii_letter(char32_t c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// The small kana but っ and ッ, which follow Han in every verb (待って).
bool small_kana(char32_t c) {
  constexpr std::u32string_view kSmall = U"ぁぃぅぇぉゃゅょゎァィゥェォャュョヮヵヶ";
  return kSmall.find(c) != std::u32string_view::npos;
}

// Hiragana, katakana and the marks written with them (ー, ゝ, ゛).
bool kana(char32_t c) { return (c >= 0x3041 && c <= 0x30FF) || (c >= 0xFF66 && c <= 0xFF9F); }

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

// Whether two bytes can follow each other in UTF-8: never C0, C1 or F5-FF,
// and after a lead byte one of the continuation bytes it allows.
bool utf8_pair(std::uint8_t a, std::uint8_t b) {
  if (a == 0xC0 || a == 0xC1 || a >= 0xF5 || b == 0xC0 || b == 0xC1 || b >= 0xF5) return false;
  if (a < 0xC2) return true;
  const std::uint8_t lo = a == 0xE0 ? 0xA0 : a == 0xF0 ? 0x90 : 0x80;
  const std::uint8_t hi = a == 0xED ? 0x9F : a == 0xF4 ? 0x8F : 0xBF;
  return b >= lo && b <= hi;
}

// Whether UTF-8 read as a double-byte code page can show cp. A Hangul
// syllable outside KS X 1001 comes only from UTF-8 read as cp949; one whose
// cp949 bytes never meet in UTF-8 (핧 is C1 43) is a rare syllable, not damage.
bool made_from_utf8(char32_t cp) {
  for (const layer& l : known_layers()) {
    if (l.truth != encoding::utf8 || is_single_byte(l.wrong)) continue;
    std::uint8_t b[4];
    if (encode_wrong_uncached(l, cp, b) == 2 && utf8_pair(b[0], b[1])) return true;
  }
  return false;
}

// Whether the two-byte UTF-8 sequence of lead and A0 is a letter of a
// script the model knows (à, Š, Π, Р): ß before a space (DF A0, an NKo
// letter) and the like are plain text, not worth a look.
bool letter_before_a0(std::uint8_t lead) {
  const char32_t cp = ((lead & 0x1Fu) << 6) | 0x20u;
  switch (scorer::get().classify(cp)) {
    case char_class::latin_letter:
    case char_class::greek:
    case char_class::cyrillic:
    case char_class::armenian:
    case char_class::hebrew:
    case char_class::arabic:
      return true;
    default:
      return false;
  }
}

// Flags for every BMP code point, and for the few hundred characters that
// single-byte code pages hold, which of those code pages make them a UTF-8
// lead or continuation byte (bit i = i-th single-byte layer).
// The layers plausible_layers() keeps on each sign, bit k for
// known_layers()[k].
struct layer_kinds {
  std::uint64_t utf8_single = 0;    // UTF-8 read as a single-byte code page
  std::uint64_t cesu8 = 0;          // CESU-8 read as a single-byte code page
  std::uint64_t legacy_single = 0;  // legacy double-byte text read as windows-1252
  std::uint64_t double_byte = 0;    // UTF-8 or the other double-byte code page read as CJK
};

struct suspect_table {
  std::array<std::uint8_t, 0x10000> flags{};
  // Bit k stands for known_layers()[k].
  // Per BMP code point, an index into masks (0: in no single-byte code page's
  // upper half): looked up for every pair of a damaged line.
  struct layer_masks {
    std::uint64_t lead = 0, cont = 0, nbsp_lead = 0;
    std::uint8_t w1256 = 0;       // the character's byte in windows-1256 (0: none)
    std::uint8_t w1251 = 0;       // and in windows-1251
    std::uint64_t long_lead = 0;  // the lead byte of three or four bytes
  };
  std::vector<std::uint16_t> mask_index = std::vector<std::uint16_t>(0x10000, 0);
  std::vector<layer_masks> masks = std::vector<layer_masks>(1);
  layer_masks& masks_of(char32_t cp) {
    if (mask_index[cp] == 0) {
      mask_index[cp] = static_cast<std::uint16_t>(masks.size());
      masks.emplace_back();
    }
    return masks[mask_index[cp]];
  }
  layer_kinds kinds;
  std::uint64_t cp866_bit = 0;         // UTF-8 read as cp866
  std::uint64_t iso_8859_5_bit = 0;    // UTF-8 read as ISO 8859-5
  std::uint64_t windows_1256_bit = 0;  // UTF-8 read as windows-1256
  std::uint64_t windows_1251_bit = 0;  // UTF-8 read as windows-1251
  std::uint64_t koi8_r_bit = 0;        // UTF-8 read as KOI8-R
  // The single-byte layers whose code page leaves two or more continuation
  // bytes undefined (windows-1252's 81 8D 8F 90 9D): decoders drop them.
  std::uint64_t may_lose_cont = 0;

  suspect_table() {
    const auto all = known_layers();
    for (std::size_t k = 0; k < all.size(); ++k) {
      const layer& l = all[k];
      const std::uint64_t b = 1ull << k;
      if (l.wrong == encoding::cp866 && l.truth == encoding::utf8) cp866_bit = b;
      if (l.wrong == encoding::iso_8859_5 && l.truth == encoding::utf8) iso_8859_5_bit = b;
      if (l.wrong == encoding::windows_1256 && l.truth == encoding::utf8) windows_1256_bit = b;
      if (l.wrong == encoding::windows_1251 && l.truth == encoding::utf8) windows_1251_bit = b;
      if (l.wrong == encoding::koi8_r && l.truth == encoding::utf8) koi8_r_bit = b;
      if (l.truth == encoding::utf8 && is_single_byte(l.wrong)) {
        kinds.utf8_single |= b;
      } else if (l.truth == encoding::cesu8) {
        kinds.cesu8 |= b;  // surrogates read as single bytes start like UTF-8
      } else if (is_single_byte(l.wrong)) {
        kinds.legacy_single |= b;
      } else {
        kinds.double_byte |= b;
      }
    }
    const scorer& s = scorer::get();
    for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
      const char_class c = s.classify(cp);
      if (strong_class(c) && (c != char_class::hangul_other || made_from_utf8(cp)))
        flags[cp] |= kStrong;
      if (is_cjk(c)) flags[cp] |= kCjk;
      if (c == char_class::greek || c == char_class::cyrillic) flags[cp] |= kForeign;
      // Big5 read as GBK makes bopomofo of common characters (使用 as ㄏノ).
      if (cp >= 0x3105 && cp <= 0x312F) flags[cp] |= kForeign;
      // So does it make box drawing and the vertical and small forms of
      // punctuation of GBK's symbol rows (穿┮, 磅︽代, 参∕﹚).
      if ((cp >= 0x2500 && cp <= 0x257F) || (cp >= 0xFE30 && cp <= 0xFE6F)) flags[cp] |= kForeign;
      // And kana, of which the small ones show: Japanese writes them after
      // a kana only (ぃ恨 is 不管).
      if (small_kana(cp)) flags[cp] |= kSmallKana;
    }
    // 銆 and 锛 are E3 80 and EF BC read as GBK: the first two bytes of
    // UTF-8's CJK punctuation and fullwidth forms (銆? for 。, 锛? for ，),
    // the commonest sight of UTF-8 Chinese read as GBK, and rare characters
    // of their own.
    flags[0x9286] |= kStrong;
    flags[0x951B] |= kStrong;
    int bit = -1;
    for (const layer& l : known_layers()) {
      ++bit;
      if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) continue;
      int undefined = 0;
      for (unsigned byte = 0x80; byte <= 0xBF; ++byte) {
        const auto b = static_cast<std::uint8_t>(byte);
        char32_t cp = 0;
        undefined += decode_one(l.wrong, &b, 1, cp) == 1 ? 0 : 1;
      }
      if (undefined >= 2) may_lose_cont |= 1ull << bit;
      for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
        std::uint8_t b[4];
        if (encode_wrong_uncached(l, cp, b) != 1) continue;
        if (b[0] >= 0xC2 && b[0] <= 0xF4) {
          flags[cp] |= kLead;
          masks_of(cp).lead |= 1ull << bit;
          if (b[0] >= 0xE0) masks_of(cp).long_lead |= 1ull << bit;
        }
        if (b[0] >= 0xC2 && b[0] <= 0xDF && loses_nbsp(l) && letter_before_a0(b[0])) {
          flags[cp] |= kNbspLead;
          masks_of(cp).nbsp_lead |= 1ull << bit;
        }
        if (b[0] >= 0x80 && b[0] <= 0xBF) {
          flags[cp] |= kCont;
          masks_of(cp).cont |= 1ull << bit;
        }
        if (l.wrong == encoding::windows_1252 && b[0] >= 0x80) flags[cp] |= kHighLatin;
        if (l.wrong == encoding::windows_1256 && (flags[cp] & (kLead | kCont)))
          masks_of(cp).w1256 = b[0];
        if (l.wrong == encoding::windows_1251 && (flags[cp] & (kLead | kCont)))
          masks_of(cp).w1251 = b[0];
      }
    }
  }

  // The single-byte layers under which a then b read as a UTF-8 lead byte
  // and a continuation byte. Not DOS Cyrillic (cp866) for a small letter
  // р-я, ё, є or ї before а-п: it shows them as a lead byte (E0-EF, F0-F5)
  // and a continuation byte (A0-AF), so clean Russian and Ukrainian have
  // such a pair in almost every line ("ро", "ре"), where UTF-8 read as cp866
  // makes one only from a CJK character's second byte A0-AF, among others
  // of box drawing and capitals ("ф╕н" for 中, "цЦЗ" for 文).
  std::uint64_t lead_then_cont_layers(char32_t a, char32_t b) const {
    if (a > 0xFFFF || b > 0xFFFF) return 0;
    std::uint64_t m = masks[mask_index[a]].lead & masks[mask_index[b]].cont;
    if (b >= 0x0430 && b <= 0x043F &&
        ((a >= 0x0440 && a <= 0x044F) || a == 0x0451 || a == 0x0454 || a == 0x0457))
      m &= ~cp866_bit;
    // Nor ISO 8859-5 for a capital Р-Я before А-П (C0-CF and B0-BF there):
    // words in capitals (ШАБЛОН); UTF-8 Cyrillic read as it starts with а or
    // б (D0, D1), and the Latin-1 letters that end up as Т or У are mostly
    // followed by signs and Ђ-Џ (é is УЉ).
    if (a >= 0x0420 && a <= 0x042F && b >= 0x0410 && b <= 0x041F) m &= ~iso_8859_5_bit;
    // Nor KOI8-R for a letter before ё or Ё (A3, B3 there; its other
    // continuation bytes are box drawing): нё, её would be Σ, ţ, where Greek
    // and Latin read as KOI8-R show box drawing.
    if ((b == 0x0451 || b == 0x0401) && a >= 0x0410 && a <= 0x044F) m &= ~koi8_r_bit;
    // Nor windows-1256 for a two-byte sequence that decodes to a character
    // of no text that readers of that code page meet: its letters are
    // UTF-8 lead bytes (C7-DF) and its Persian letters, punctuation and
    // joiners continuation bytes, so clean Persian and Arabic make pairs
    // such as اگ (ǐ), بک (Ș), د، (ϡ), رک (ј) in every line, where UTF-8 read
    // as it brings Arabic, Latin-1, Greek and Cyrillic.
    if ((m & windows_1256_bit) != 0 &&
        !plausible_pair(masks[mask_index[a]].w1256, masks[mask_index[b]].w1256, false))
      m &= ~windows_1256_bit;
    // Likewise windows-1251, whose capitals are two-byte leads and whose
    // і ї є ґ ў ё continuation bytes: Ukrainian Ві, Мі, Ці, Пі would be ³
    // and marks; Рі is г, UTF-8 Russian read as it.
    if ((m & windows_1251_bit) != 0 &&
        !plausible_pair(masks[mask_index[a]].w1251, masks[mask_index[b]].w1251,
                        common_letter_1251(b)))
      m &= ~windows_1251_bit;
    return m;
  }
  // Whether a, b and what follows (line from byte `next` on) open a UTF-8
  // sequence under some single-byte layer: a lead byte, a continuation byte,
  // and a second continuation byte where the lead wants one. A sequence
  // cut short before ASCII or the line's end counts where the code page
  // leaves continuation bytes undefined (a decoder may have lost its last
  // byte: "â€ " for ”, 9D in windows-1252); one before another letter does
  // not (дё in надёжно is E4 B8 in windows-1251, the start of 中, but ж is
  // E6; ні in Ukrainian ends a word, as no UTF-8 from windows-1251 does).
  // The masks first; the rest out of line, so the scan's loop stays as it
  // was.
  bool lead_then_cont(char32_t a, char32_t b, std::string_view line, std::size_t next) const {
    const std::uint64_t m = lead_then_cont_layers(a, b);
    return m != 0 && opens_sequence(m, a, line, next);
  }
  [[gnu::noinline]] bool opens_sequence(std::uint64_t m, char32_t a, std::string_view line,
                                        std::size_t next) const {
    if ((m & ~masks[mask_index[a]].long_lead) != 0) return true;  // two bytes make it
    if (next >= line.size() || static_cast<unsigned char>(line[next]) < 0x80)
      return (m & may_lose_cont) != 0;
    const char32_t c = utf8::next(line, next);
    return c != utf8::kInvalid && c <= 0xFFFF && (m & masks[mask_index[c]].cont) != 0;
  }
  // The Ukrainian and Russian letters among windows-1251's continuation
  // bytes (і ї є ґ ё and their capitals), which clean text puts after a
  // capital; not Ў Ј Ѕ ј, the signs' bytes of ¡ £ ½ ¼ (ВЎ, ВЈ, ВЅ, Вј).
  static bool common_letter_1251(char32_t b) {
    switch (b) {
      case 0x0456:
      case 0x0457:
      case 0x0454:
      case 0x0491:
      case 0x0451:
      case 0x0406:
      case 0x0407:
      case 0x0404:
      case 0x0490:
      case 0x0401:
        return true;
      default:
        return false;
    }
  }
  // Whether a lead and a continuation byte make a character of the scripts
  // that UTF-8 read as windows-1251 or -1256 brings: Latin-1 and Latin
  // Extended-A, Vietnamese ơ ư, Greek, basic Cyrillic, Hebrew letters,
  // Arabic; a Latin-1 sign only where the continuation was no letter (В©
  // is ©, Ві is no ³). Three- and four-byte leads are left to the caller.
  static bool plausible_pair(std::uint8_t lead, std::uint8_t cont, bool cont_is_letter) {
    if (lead < 0xC2 || lead > 0xDF || cont < 0x80 || cont > 0xBF) return true;
    const unsigned u = ((lead & 0x1Fu) << 6) | (cont & 0x3Fu);
    if (u < 0xC0) return !cont_is_letter;
    return u < 0x180 || u == 0x1A0 || u == 0x1A1 || u == 0x1AF || u == 0x1B0 ||
           (u >= 0x384 && u < 0x3CF) || (u >= 0x400 && u < 0x452) || (u >= 0x5D0 && u < 0x5F5) ||
           (u >= 0x600 && u < 0x700);
  }
  // The layers under which a is a two-byte lead whose A0 a space may stand for.
  std::uint64_t nbsp_lead_layers(char32_t a) const {
    return a > 0xFFFF ? 0 : masks[mask_index[a]].nbsp_lead;
  }
};

const suspect_table& table() {
  static const suspect_table t;
  return t;
}

// UTF-8 Greek and Cyrillic (lead bytes CE CF D0 D1) read as a double-byte
// code page turn each letter into one CJK character from a few rows (ок as
// 棘克 in cp949, αλ as 留了 in EUC-JP), and the Latin-1 signs that go with
// them (lead C2: « » as 짬 쨩 in cp949) into one more row. A line whose every
// non-ASCII character comes from those rows, two of them or more from the
// letters' rows, with no other sign, is worth a look. Bit 1: a letters' row,
// bit 2: the signs' row.
const std::vector<std::uint8_t>& letter_row_chars() {
  static const std::vector<std::uint8_t> set = [] {
    std::vector<std::uint8_t> v(0x10000, 0);
    for (const layer& l : known_layers()) {
      if (l.truth != encoding::utf8 || is_single_byte(l.wrong)) continue;
      for (std::uint8_t lead : {0xC2, 0xCE, 0xCF, 0xD0, 0xD1}) {
        for (unsigned cont = 0x80; cont <= 0xBF; ++cont) {
          const std::uint8_t bytes[2] = {lead, static_cast<std::uint8_t>(cont)};
          char32_t cp = 0;
          if (decode_one(l.wrong, bytes, 2, cp) == 2 && cp >= 0x3000 && cp < 0x10000)
            v[cp] |= lead == 0xC2 ? 2 : 1;
        }
      }
    }
    return v;
  }();
  return set;
}

// Whether every non-ASCII character of line, from `from` on, is one of
// letter_row_chars, and at least two are from the letters' rows.
bool all_from_letter_rows(std::string_view line, std::size_t from) {
  const std::vector<std::uint8_t>& set = letter_row_chars();
  std::size_t count = 0;
  for (std::size_t i = from; i < line.size();) {
    if (static_cast<unsigned char>(line[i]) < 0x80) {
      ++i;
      continue;
    }
    const char32_t cp = utf8::next(line, i);
    if (cp == utf8::kInvalid || cp >= 0x10000 || set[cp] == 0) return false;
    count += set[cp] & 1;
  }
  return count >= 2;
}

// Whether, from `from` on, a line of Greek or Cyrillic holds CJK characters
// only from letter_row_chars, two of them or more from the letters' rows: a
// clause read as a double-byte code page in a line whose other clauses are
// clean (о том, 泻邪泻 for о том, как). Returns the first such character's
// byte, or npos. Other non-ASCII characters may be Greek or Cyrillic
// letters and punctuation (Latin-1 signs, dashes, quotes).
std::size_t letter_rows_among_letters(std::string_view line, std::size_t from) {
  const std::vector<std::uint8_t>& set = letter_row_chars();
  std::size_t letters = 0, first = std::string_view::npos;
  for (std::size_t i = from; i < line.size();) {
    if (static_cast<unsigned char>(line[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t at = i;
    const char32_t cp = utf8::next(line, i);
    if (cp >= 0x3000 && cp < 0x10000 && set[cp] != 0) {
      if (first == std::string_view::npos) first = at;
      letters += set[cp] & 1;
    } else if (!((cp >= 0x0370 && cp < 0x0530) || (cp >= 0xA0 && cp < 0xC0) ||
                 (cp >= 0x2000 && cp < 0x2070))) {
      return std::string_view::npos;
    }
  }
  return letters >= 2 ? first : std::string_view::npos;
}

// Two small accented letters inside a Latin word (ção, ções, přes): the
// words of Portuguese, Czech and others, not two bytes of a legacy CJK
// character read as windows-1252, whose bytes fall among capitals, signs and
// small letters alike and stand in runs of such characters, not between
// ASCII letters. b starts at byte b_at and ends before byte b_end; a comes
// right before it.
bool small_letters_in_word(char32_t a, char32_t b, std::string_view line, std::size_t b_at,
                           std::size_t b_end) {
  const auto small = [](char32_t c) {
    return (c >= 0xDF && c <= 0xFF && c != 0xF7) || c == 0x161 || c == 0x17E || c == 0x153;
  };
  if (!small(a) || !small(b)) return false;
  std::size_t a_at = b_at - 1;  // a is two bytes (U+00DF-U+017E)
  while (a_at > 0 && (static_cast<unsigned char>(line[a_at]) & 0xC0) == 0x80) --a_at;
  const auto letter = [](char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; };
  return (a_at > 0 && letter(line[a_at - 1])) || (b_end < line.size() && letter(line[b_end]));
}

// The walk over runs of three-byte characters (CJK text) goes on while each
// character is plain: its flags are kCjk or nothing, so no rule fires on it
// after another plain one. This is the set of the others, one bit a code
// point (8 KB, small enough to stay in the first-level cache): every other
// flag, the debug fill characters, and the overlongs and surrogates that the
// walk's bit-pattern check lets through.
constexpr std::size_t kWalkCjkBits = 0x10000 / 64;

const std::uint64_t* walk_stops() {
  static const std::unique_ptr<std::uint64_t[]> stops = [] {
    // Then, at kWalkCjkBits, one bit a code point for the flag kCjk: what
    // the walk asks of the character it stops after.
    auto s = std::make_unique<std::uint64_t[]>(2 * 0x10000 / 64);
    const suspect_table& t = table();
    for (char32_t cp = 0; cp < 0x10000; ++cp) {
      const bool plain = cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF) &&
                         (t.flags[cp] & ~kCjk) == 0 && cp != U'\u70EB' && cp != U'\u5C6F';
      if (!plain) s[cp / 64] |= 1ull << (cp % 64);
      if (t.flags[cp] & kCjk) s[kWalkCjkBits + cp / 64] |= 1ull << (cp % 64);
    }
    return s;
  }();
  return stops.get();
}

bool walk_stop(const std::uint64_t* stops, char32_t cp) {
  return (stops[cp / 64] >> (cp % 64)) & 1;
}

// The code point of a three-byte sequence held in the low bytes of w (first
// byte lowest); only its bit pattern is checked, by the caller.
char32_t three_byte_cp(std::uint64_t w) {
  return static_cast<char32_t>(((w & 0x0Fu) << 12) | ((w >> 2) & 0xFC0u) | ((w >> 16) & 0x3Fu));
}

// Calls on_trigger(byte offset) at each place that looks like mojibake, until
// it returns false. Returns false when stopped early. kWalk: runs of
// three-byte characters take the walk; without it every character goes the
// general way (the reference the walk is tested against).
template <bool kWalk, class OnTrigger>
bool scan(std::string_view line, OnTrigger&& on_trigger) {
  const suspect_table& t = table();
  const std::uint64_t* stops = kWalk ? walk_stops() : nullptr;
  const char* p = line.data();
  const std::size_t n = line.size();
  std::size_t i = 0;
  char32_t prev = 0;
  std::uint8_t prev_flags = 0;
  int fill_run = 0;
  // Accented Latin read as a double-byte code page turns one letter into one
  // CJK character inside a Latin word (termin茅, l鈥檃ccr): track the current
  // CJK run, its length and whether an ASCII letter touches it.
  std::size_t cjk_run = 0;
  bool run_letter_before = false;
  bool prev_letter = false;
  bool run_ascii_before = false;
  bool prev_ascii = true;  // the line start counts as a break before a lone character
  // Lone CJK characters count only in lines without CJK words of three or
  // more characters: in Chinese text "sh 和 csh" is normal, in French text
  // "termin茅" is not. Their places are kept until the line is read.
  bool cjk_text = false;
  std::vector<std::size_t> lone;
  // Once the line is CJK text lone characters are not reported: no need to
  // keep them (nor to allocate for them, line after line).
  auto note_lone = [&](std::size_t at) {
    if (!cjk_text) lone.push_back(at);
  };
  std::size_t first_high = n;   // the first non-ASCII byte
  std::uint8_t seen_flags = 0;  // of the general path's characters
  // A run of two counts when a letter touches it on either side: two
  // characters are one accented letter read through two layers (stock鑼卻 is
  // stockés).
  auto end_of_run = [&](bool letter_after, bool ascii_after) {
    if (cjk_run >= 3) cjk_text = true;
    return cjk_run == 1 ? (run_letter_before || letter_after || (run_ascii_before && ascii_after))
                        : cjk_run == 2 && (run_letter_before || letter_after);
  };
  while (i < n) {
    // Skip ASCII eight bytes at a time (only outside a CJK run).
    if (cjk_run == 0 && i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ull) == 0) {
        i += 8;
        if constexpr (kWalk) {
          // The rest of the ASCII run without touching the state: only its
          // last letter counts.
          while (i + 8 <= n) {
            std::memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ull) != 0) break;
            i += 8;
          }
        }
        prev_letter = ascii_letter(static_cast<unsigned char>(p[i - 1]));
        prev_ascii = true;
        prev_flags = 0;
        continue;
      }
    }
    const auto b = static_cast<unsigned char>(p[i]);
    if (b >= 0x80 && first_high == n) first_high = i;
    // A run of three-byte characters: each checked by its bit pattern and
    // one lookup, while it is plain CJK or plain punctuation and nothing
    // before it could pair with it (the pair rules need a flag other than
    // kCjk on the character before).
    if (kWalk && (b & 0xF0) == 0xE0 && (prev_flags & ~kCjk) == 0) {
      const std::size_t start = i;
      seen_flags |= kCjk;  // or CJK punctuation: letter_rows_among_letters tells
      // Until the line holds a CJK word, runs are tracked as the general
      // path tracks them (lone CJK characters in Latin words).
      while (!cjk_text && i + 4 <= n) {
        std::uint32_t w;
        std::memcpy(&w, p + i, 4);
        if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
        if ((w & 0xC0C0F0u) != 0x8080E0u) break;
        const char32_t cp = three_byte_cp(w);
        if (walk_stop(stops, cp)) break;
        const std::uint8_t f = t.flags[cp];
        if (f == kCjk) {
          if (cjk_run == 0) {
            run_letter_before = prev_letter;
            run_ascii_before = prev_ascii;
          }
          ++cjk_run;
        } else {
          if (cjk_run > 0 && end_of_run(false, false)) note_lone(i);
          cjk_run = 0;
        }
        prev_letter = false;
        prev_ascii = false;
        prev = cp;
        prev_flags = f;
        i += 3;
      }
      // Then lone characters no longer count, and of the run only whether
      // it goes on matters: the walk checks two characters at a time and
      // looks at the last one when it stops.
      if (cjk_text) {
        const std::size_t from = i;
        const auto plain = [&](std::uint32_t w) {
          return (w & 0xC0C0F0u) == 0x8080E0u && !walk_stop(stops, three_byte_cp(w));
        };
        for (;;) {
          while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap64(w);
            if ((w & 0xC0C0F0C0C0F0ull) != 0x8080E08080E0ull ||
                (walk_stop(stops, three_byte_cp(w)) | walk_stop(stops, three_byte_cp(w >> 24))))
              break;
            i += 6;
          }
          if (i + 4 > n) break;
          std::uint32_t w;
          std::memcpy(&w, p + i, 4);
          if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
          if (plain(w)) {
            i += 3;
            continue;
          }
          // One ASCII byte between words (a space, a comma) before a plain
          // character: it only ends the run. A '?' may be a sign.
          const unsigned a = w & 0xFFu;
          if (a >= 0x80 || a == '?' || i + 5 > n) break;
          std::memcpy(&w, p + i + 1, 4);
          if constexpr (std::endian::native == std::endian::big) w = __builtin_bswap32(w);
          if (!plain(w)) break;
          i += 4;
        }
        if (i != from) {
          const auto* q = reinterpret_cast<const unsigned char*>(p + i - 3);
          prev = ((q[0] & 0x0Fu) << 12) | ((q[1] & 0x3Fu) << 6) | (q[2] & 0x3Fu);
          prev_flags = walk_stop(stops + kWalkCjkBits, prev) ? kCjk : 0;
          // A count that is not the run's length, but is one past nothing
          // exactly when the run goes on: all that is asked of it now.
          cjk_run = prev_flags == kCjk ? cjk_run + 1 : 0;
        }
      }
      if (i != start) {
        prev_letter = false;
        prev_ascii = false;
        continue;
      }
    }
    if (b < 0x80) {
      // A naive double-byte decoder writes '?' for a pair it cannot read:
      // "中??刀ㄊ?4". A '?' glued between CJK characters, doubled after one,
      // between one and an ASCII letter (一個?c), or ending the line after
      // one (Chinese ends a question with ？), is worth a look (lossy
      // recovery judges it).
      if (b == '?' && cjk_run > 0 &&
          (i + 1 == n || p[i + 1] == '?' || static_cast<unsigned char>(p[i + 1]) >= 0xE2 ||
           ascii_letter(static_cast<unsigned char>(p[i + 1]))) &&
          !on_trigger(i))
        return false;
      const bool letter = ascii_letter(b);
      if (cjk_run > 0 && end_of_run(letter, true)) note_lone(i);
      cjk_run = 0;
      prev_letter = letter;
      prev_ascii = true;
      ++i;
      prev_flags = 0;
      if constexpr (kWalk) {
        // Outside a run the ASCII that follows only moves the letter state
        // along (too short for the eight-byte skip: " GNU ", "3.5").
        if (i < n && static_cast<unsigned char>(p[i]) < 0x80) {
          while (i < n && static_cast<unsigned char>(p[i]) < 0x80) ++i;
          prev_letter = ascii_letter(static_cast<unsigned char>(p[i - 1]));
        }
      }
      continue;
    }
    const std::size_t at = i;
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
    if ((f & kStrong) && !on_trigger(at)) return false;
    seen_flags |= f;
    // 烫烫烫 and 屯屯屯: the fill bytes of debug builds (CC, CD) read as GBK.
    fill_run = (cp == U'\u70EB' || cp == U'\u5C6F') && cp == prev ? fill_run + 1 : 1;
    if (fill_run == 3 && !on_trigger(at)) return false;
    if ((prev_flags & kLead) && (f & kCont) && t.lead_then_cont(prev, cp, line, i) &&
        !on_trigger(at))
      return false;
    // A lead byte's character glued to a small letter before a space
    // ("voilÃ le"): UTF-8 whose A0 became a space, where clean text has a
    // capital after a small letter only in names written together.
    if ((f & kNbspLead) && i < n && p[i] == ' ' && at > 0 && p[at - 1] >= 'a' && p[at - 1] <= 'z' &&
        !on_trigger(at))
      return false;
    if ((prev_flags & kHighLatin) && (f & kHighLatin) &&
        !small_letters_in_word(prev, cp, line, at, i) && !on_trigger(at))
      return false;
    if ((f & kSmallKana) && !kana(prev) && !on_trigger(at)) return false;
    if ((((prev_flags & kCjk) && (f & kForeign)) || ((prev_flags & kForeign) && (f & kCjk))) &&
        !on_trigger(at))
      return false;
    if (f & kCjk) {
      if (cjk_run == 0) {
        run_letter_before = prev_letter;
        run_ascii_before = prev_ascii;
      }
      ++cjk_run;
    } else {
      if (cjk_run > 0 && end_of_run(false, false)) note_lone(at);
      cjk_run = 0;
    }
    prev_letter = false;
    prev_ascii = false;
    prev = cp;
    prev_flags = f;
  }
  if (cjk_run > 0 && end_of_run(false, true)) note_lone(n);
  if (!cjk_text)
    for (std::size_t at : lone)
      if (!on_trigger(at == n && n > 0 ? n - 1 : at)) return false;
  if (first_high < n && all_from_letter_rows(line, first_high) && !on_trigger(first_high))
    return false;
  // (kForeign: Greek and Cyrillic, and box drawing and bopomofo, which
  // letter_rows_among_letters turns down at once.)
  if ((seen_flags & kForeign) && ((seen_flags & kCjk) || cjk_text)) {
    const std::size_t at = letter_rows_among_letters(line, first_high);
    if (at != std::string_view::npos && !on_trigger(at)) return false;
  }
  return true;
}

}  // namespace

std::uint64_t single_byte_lead_then_cont(char32_t a, char32_t b) noexcept {
  const suspect_table& t = table();
  if (a > 0xFFFF || b > 0xFFFF) return 0;
  return t.masks[t.mask_index[a]].lead & t.masks[t.mask_index[b]].cont;
}

std::uint64_t plausible_layers(std::u32string_view text) {
  const suspect_table& t = table();
  const scorer& sc = scorer::get();
  std::uint64_t lead_cont = 0;
  bool high_latin_pair = false, cjk = false;
  std::uint8_t prev_flags = 0;
  char32_t prev = 0;
  for (char32_t cp : text) {
    const std::uint8_t f = cp < 0x10000 ? t.flags[cp] : 0;
    if ((prev_flags & kLead) && (f & kCont)) lead_cont |= t.lead_then_cont_layers(prev, cp);
    if ((prev_flags & kNbspLead) && cp == U' ') lead_cont |= t.nbsp_lead_layers(prev);
    if ((prev_flags & kHighLatin) && (f & kHighLatin)) high_latin_pair = true;
    // Halfwidth kana and other strong signs count: UTF-8 read as cp932 is
    // mostly halfwidth kana.
    if ((f & kCjk) || ((f & kStrong) && sc.classify(cp) == char_class::halfwidth_kana) ||
        (cp >= 0x10000 && is_cjk(sc.classify(cp))))
      cjk = true;
    prev = cp;
    prev_flags = f;
  }
  const layer_kinds& kinds = t.kinds;
  std::uint64_t mask = lead_cont & kinds.utf8_single;
  if (lead_cont != 0) mask |= kinds.cesu8;
  if (high_latin_pair) mask |= kinds.legacy_single;
  if (cjk) mask |= kinds.double_byte;
  return mask;
}

// The ASCII skip of scan is the whole cost on Latin text; aligned, its loop
// never straddles a cache line (where it did, clean English ran ~20% slower,
// depending only on where the linker put the function).
#if defined(__GNUC__) && !defined(__clang__)
#define MOJIFIX_ALIGNED_LOOPS [[gnu::optimize("align-loops=32")]]
#else
#define MOJIFIX_ALIGNED_LOOPS
#endif
MOJIFIX_ALIGNED_LOOPS bool may_hold_mojibake(std::string_view line) {
  return !scan<true>(line, [](std::size_t) { return false; });
}

// Every place the scan stops at, with the three-byte walk or without it
// (the reference). Not in the header: tests/detect_scan_test.cpp declares it.
std::vector<std::size_t> scan_triggers(std::string_view line, bool walk) {
  std::vector<std::size_t> at;
  const auto keep = [&](std::size_t i) {
    at.push_back(i);
    return true;
  };
  if (walk) {
    scan<true>(line, keep);
  } else {
    scan<false>(line, keep);
  }
  return at;
}

std::vector<std::pair<std::size_t, std::size_t>> suspicious_windows(std::string_view line,
                                                                    std::size_t reach) {
  std::vector<std::pair<std::size_t, std::size_t>> windows;
  scan<true>(line, [&](std::size_t at) {
    std::size_t b = at > reach ? at - reach : 0;
    std::size_t e = std::min(line.size(), at + reach);
    // Windows start and end on character boundaries.
    while (b > 0 && (static_cast<unsigned char>(line[b]) & 0xC0) == 0x80) --b;
    while (e < line.size() && (static_cast<unsigned char>(line[e]) & 0xC0) == 0x80) ++e;
    if (!windows.empty() && b <= windows.back().second) {
      windows.back().second = std::max(windows.back().second, e);
    } else {
      windows.emplace_back(b, e);
    }
    // Once a window reaches the end of the line, every later place (the
    // ones reported at the end of the scan too) merges into it unchanged.
    return windows.back().second < line.size();
  });
  return windows;
}

}  // namespace mojifix::detail
