// The general fixers of the normalize stage. Each reads UTF-8 text (invalid
// bytes are skipped and kept) and proposes edits; normalize.cpp runs them in
// order.

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/unorm2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "normalize/normalize.hpp"
#include "normalize/readings.hpp"

namespace mojifix::detail {
namespace {

// windows-1252 for 0x80-0x9F; 0 where the code page leaves the byte undefined.
constexpr std::array<char16_t, 32> kCp1252High = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

std::string utf8_of(char32_t c) {
  std::string s;
  utf8::append(s, c);
  return s;
}

// Calls f(cp, begin, end) for each valid code point; invalid bytes are
// skipped.
template <class F>
void for_each_cp(std::string_view text, F&& f) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    const char32_t c = utf8::next(text, i);
    if (c != utf8::kInvalid) f(c, b, i);
  }
}

// The code point before text[at], or kInvalid.
char32_t cp_before(std::string_view text, std::size_t at, std::size_t* begin = nullptr) {
  std::size_t b = at;
  while (b > 0 && at - b < 4) {
    --b;
    if ((static_cast<unsigned char>(text[b]) & 0xC0) != 0x80) {
      std::size_t i = b;
      const char32_t c = utf8::next(text, i);
      if (i != at) return utf8::kInvalid;
      if (begin != nullptr) *begin = b;
      return c;
    }
  }
  return utf8::kInvalid;
}

char32_t cp_at(std::string_view text, std::size_t at) {
  if (at >= text.size()) return utf8::kInvalid;
  return utf8::next(text, at);
}

bool is_kana(char32_t c) { return (c >= 0x3041 && c <= 0x309F) || (c >= 0x30A0 && c <= 0x30FF); }

bool is_hangul(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) ||
         (c >= 0x3130 && c <= 0x318F);
}

// Han, kana, Hangul, CJK punctuation and fullwidth forms.
bool is_cjk(char32_t c) {
  return is_han(c) || is_kana(c) || is_hangul(c) || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0x2E80 && c <= 0x2FDF) ||
         (c >= 0x3100 && c <= 0x312F);
}

bool is_word_char(char32_t c) {
  if (c == utf8::kInvalid) return false;
  if (c < 0x80) return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
  return c >= 0xA0 && u_isalnum(static_cast<UChar32>(c));
}

const icu::Normalizer2* nfc() {
  UErrorCode e = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFCInstance(e);
  return U_SUCCESS(e) ? n : nullptr;
}

const icu::Normalizer2* nfkc() {
  UErrorCode e = U_ZERO_ERROR;
  const icu::Normalizer2* n = icu::Normalizer2::getNFKCInstance(e);
  return U_SUCCESS(e) ? n : nullptr;
}

// The normalizer's result for s, or s when ICU fails.
std::string normalized(const icu::Normalizer2* n, std::string_view s) {
  if (n == nullptr) return std::string(s);
  UErrorCode e = U_ZERO_ERROR;
  const icu::UnicodeString u =
      icu::UnicodeString::fromUTF8(icu::StringPiece(s.data(), static_cast<std::int32_t>(s.size())));
  const icu::UnicodeString r = n->normalize(u, e);
  if (U_FAILURE(e)) return std::string(s);
  std::string out;
  r.toUTF8String(out);
  return out;
}

struct named_entity {
  std::string_view name;
  char32_t cp;
};

// HTML's names for U+00A0..U+00FF, in order.
constexpr std::string_view kLatin1Names[96] = {
    "nbsp",   "iexcl",  "cent",   "pound",  "curren", "yen",    "brvbar", "sect",   "uml",
    "copy",   "ordf",   "laquo",  "not",    "shy",    "reg",    "macr",   "deg",    "plusmn",
    "sup2",   "sup3",   "acute",  "micro",  "para",   "middot", "cedil",  "sup1",   "ordm",
    "raquo",  "frac14", "frac12", "frac34", "iquest", "Agrave", "Aacute", "Acirc",  "Atilde",
    "Auml",   "Aring",  "AElig",  "Ccedil", "Egrave", "Eacute", "Ecirc",  "Euml",   "Igrave",
    "Iacute", "Icirc",  "Iuml",   "ETH",    "Ntilde", "Ograve", "Oacute", "Ocirc",  "Otilde",
    "Ouml",   "times",  "Oslash", "Ugrave", "Uacute", "Ucirc",  "Uuml",   "Yacute", "THORN",
    "szlig",  "agrave", "aacute", "acirc",  "atilde", "auml",   "aring",  "aelig",  "ccedil",
    "egrave", "eacute", "ecirc",  "euml",   "igrave", "iacute", "icirc",  "iuml",   "eth",
    "ntilde", "ograve", "oacute", "ocirc",  "otilde", "ouml",   "divide", "oslash", "ugrave",
    "uacute", "ucirc",  "uuml",   "yacute", "thorn",  "yuml"};

constexpr named_entity kOtherNames[] = {
    {"amp", '&'},       {"lt", '<'},        {"gt", '>'},       {"quot", '"'},
    {"apos", '\''},     {"OElig", 0x152},   {"oelig", 0x153},  {"Scaron", 0x160},
    {"scaron", 0x161},  {"Yuml", 0x178},    {"fnof", 0x192},   {"circ", 0x2C6},
    {"tilde", 0x2DC},   {"ensp", 0x2002},   {"emsp", 0x2003},  {"thinsp", 0x2009},
    {"ndash", 0x2013},  {"mdash", 0x2014},  {"lsquo", 0x2018}, {"rsquo", 0x2019},
    {"sbquo", 0x201A},  {"ldquo", 0x201C},  {"rdquo", 0x201D}, {"bdquo", 0x201E},
    {"dagger", 0x2020}, {"Dagger", 0x2021}, {"bull", 0x2022},  {"hellip", 0x2026},
    {"permil", 0x2030}, {"prime", 0x2032},  {"Prime", 0x2033}, {"lsaquo", 0x2039},
    {"rsaquo", 0x203A}, {"euro", 0x20AC},   {"trade", 0x2122}, {"larr", 0x2190},
    {"uarr", 0x2191},   {"rarr", 0x2192},   {"darr", 0x2193},  {"harr", 0x2194},
    {"minus", 0x2212},  {"infin", 0x221E},  {"ne", 0x2260},    {"le", 0x2264},
    {"ge", 0x2265},     {"hearts", 0x2665}, {"alpha", 0x3B1},  {"beta", 0x3B2},
    {"gamma", 0x3B3},   {"delta", 0x3B4},   {"pi", 0x3C0},     {"mu", 0x3BC},
    {"sigma", 0x3C3},   {"omega", 0x3C9},   {"Omega", 0x3A9},  {"lambda", 0x3BB}};

char32_t lookup_entity(std::string_view name) {
  for (std::size_t k = 0; k < 96; ++k)
    if (kLatin1Names[k] == name) return static_cast<char32_t>(0xA0 + k);
  for (const named_entity& e : kOtherNames)
    if (e.name == name) return e.cp;
  return 0;
}

bool is_ascii_alnum(char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// Parses a character reference at text[at] == '&'; returns its length (0 if
// none) and sets cp.
std::size_t parse_entity(std::string_view text, std::size_t at, char32_t& cp) {
  std::size_t i = at + 1;
  if (i < text.size() && text[i] == '#') {
    ++i;
    const bool hex = i < text.size() && (text[i] == 'x' || text[i] == 'X');
    if (hex) ++i;
    const std::size_t digits = i;
    std::uint32_t v = 0;
    while (i < text.size() && i - digits < 8) {
      const char c = text[i];
      int d = -1;
      if (c >= '0' && c <= '9') {
        d = c - '0';
      } else if (hex && (c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
        d = (c | 0x20) - 'a' + 10;
      }
      if (d < 0) break;
      v = v * (hex ? 16 : 10) + static_cast<std::uint32_t>(d);
      ++i;
    }
    if (i == digits || i >= text.size() || text[i] != ';') return 0;
    cp = v;
    return i + 1 - at;
  }
  const std::size_t name = i;
  while (i < text.size() && i - name < 32 && is_ascii_alnum(text[i])) ++i;
  if (i == name || i >= text.size() || text[i] != ';') return 0;
  cp = lookup_entity(text.substr(name, i - name));
  return cp == 0 ? 0 : i + 1 - at;
}

}  // namespace

std::vector<edit> entity_edits(std::string_view text, entity_mode mode) {
  std::vector<edit> out;
  if (mode == entity_mode::never) return out;
  if (mode == entity_mode::outside_markup) {
    // A tag (<p, </a, <!--) says the text is markup, where references are
    // the right way to write these characters.
    for (std::size_t i = text.find('<'); i != std::string_view::npos; i = text.find('<', i + 1)) {
      if (i + 1 < text.size()) {
        const char c = text[i + 1];
        if (c == '/' || c == '!' || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) return out;
      }
    }
  }
  for (std::size_t i = text.find('&'); i != std::string_view::npos; i = text.find('&', i + 1)) {
    char32_t cp = 0;
    const std::size_t len = parse_entity(text, i, cp);
    if (len == 0) continue;
    // &amp;lt; decoded once would be read again as &lt;: keep it, so that
    // fixing twice gives what fixing once gave.
    char32_t next = 0;
    if (cp == '&' && i + len < text.size() && parse_entity(text, i + len - 1, next) != 0) continue;
    if (cp >= 0x80 && cp <= 0x9F) cp = kCp1252High[cp - 0x80];  // as browsers read them
    if (cp == 0 || (cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0x7F ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF)
      continue;
    out.push_back({i, i + len, utf8_of(cp), "html entities"});
    i += len - 1;
  }
  return out;
}

std::vector<edit> c1_edits(std::string_view text) {
  std::vector<edit> out;
  for (std::size_t i = 0; i + 1 < text.size(); ++i) {
    if (text[i] != '\xC2') continue;
    const auto b = static_cast<unsigned char>(text[i + 1]);
    if (b < 0x80 || b > 0x9F || kCp1252High[b - 0x80] == 0) continue;
    out.push_back({i, i + 2, utf8_of(kCp1252High[b - 0x80]), "c1 controls as windows-1252"});
    ++i;
  }
  return out;
}

std::vector<edit> surrogate_edits(std::string_view text) {
  // A surrogate pair written as two three-byte sequences (CESU-8, or WTF-8
  // joined) is the character it encodes. A lone surrogate stays as it is,
  // like every other invalid byte.
  std::vector<edit> out;
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  for (std::size_t i = 0; i + 6 <= text.size(); ++i) {
    if (p[i] != 0xED || p[i + 1] < 0xA0 || p[i + 1] > 0xAF || (p[i + 2] & 0xC0) != 0x80 ||
        p[i + 3] != 0xED || p[i + 4] < 0xB0 || p[i + 4] > 0xBF || (p[i + 5] & 0xC0) != 0x80)
      continue;
    const char32_t hi = 0xD000 | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
    const char32_t lo = 0xD000 | ((p[i + 4] & 0x3Fu) << 6) | (p[i + 5] & 0x3Fu);
    const char32_t cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
    out.push_back({i, i + 6, utf8_of(cp), "surrogate pair"});
    i += 5;
  }
  return out;
}

std::vector<edit> terminal_escape_edits(std::string_view text) {
  std::vector<edit> out;
  for (std::size_t i = text.find('\x1b'); i != std::string_view::npos;
       i = text.find('\x1b', i + 1)) {
    if (i + 1 >= text.size()) break;
    std::size_t j = i + 2;
    if (text[i + 1] == '[') {  // CSI: parameters, intermediates, final byte
      while (j < text.size() && text[j] >= 0x30 && text[j] <= 0x3F) ++j;
      while (j < text.size() && text[j] >= 0x20 && text[j] <= 0x2F) ++j;
      if (j >= text.size() || text[j] < 0x40 || text[j] > 0x7E) continue;
      ++j;
    } else if (text[i + 1] == ']') {  // OSC: up to BEL or ESC backslash
      while (j < text.size() && text[j] >= 0x20 && text[j] <= 0x7E) ++j;
      if (j < text.size() && text[j] == '\x07') {
        ++j;
      } else if (j + 1 < text.size() && text[j] == '\x1b' && text[j + 1] == '\\') {
        j += 2;
      } else {
        continue;
      }
    } else {
      continue;
    }
    out.push_back({i, j, std::string(), "terminal escapes"});
    i = j - 1;
  }
  return out;
}

std::vector<edit> control_edits(std::string_view text) {
  // Deprecated format characters and interlinear annotation marks are never
  // text. C0 controls and DEL are removed only inside a word, where they
  // break it: at a line's start, next to spaces or between fields they may
  // be separators the text means (and the project keeps NUL as given).
  std::vector<edit> out;
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    bool remove = false;
    if ((c >= 0x206A && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB)) {
      remove = true;
    } else if ((c >= 0x01 && c <= 0x08) || c == 0x0B || (c >= 0x0E && c <= 0x1F) || c == 0x7F) {
      remove = c != 0x1B && is_word_char(cp_before(text, b)) && is_word_char(cp_at(text, e));
    }
    if (remove) out.push_back({b, e, std::string(), "control characters"});
  });
  return out;
}

std::vector<edit> ligature_edits(std::string_view text) {
  static constexpr std::string_view kLetters[] = {"ff", "fi", "fl", "ffi", "ffl", "st", "st"};
  std::vector<edit> out;
  for (std::size_t i = text.find("\xEF\xAC"); i != std::string_view::npos;
       i = text.find("\xEF\xAC", i + 1)) {
    if (i + 2 >= text.size()) break;
    const auto b = static_cast<unsigned char>(text[i + 2]);
    if (b < 0x80 || b > 0x86) continue;
    out.push_back({i, i + 3, std::string(kLetters[b - 0x80]), "latin ligatures"});
  }
  return out;
}

namespace {

bool is_fullwidth_alnum(char32_t c) {
  return (c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
         (c >= 0xFF41 && c <= 0xFF5A);
}

bool is_halfwidth_kana(char32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }

bool holds_cjk(std::string_view text) {
  bool found = false;
  for_each_cp(text, [&](char32_t c, std::size_t, std::size_t) {
    if (!found && (is_han(c) || is_kana(c) || is_hangul(c))) found = true;
  });
  return found;
}

// The nearest character before b (after e), spaces skipped; kInvalid at the
// text's edge. Combining marks count as the letter they sit on (e + U+0301
// is Latin, before and after NFC).
char32_t context_before(std::string_view text, std::size_t b) {
  for (;;) {
    std::size_t begin = 0;
    const char32_t c = cp_before(text, b, &begin);
    if (c == utf8::kInvalid) return c;
    if (c != ' ' && c != 0x3000 && u_getCombiningClass(static_cast<UChar32>(c)) == 0) return c;
    b = begin;
  }
}

char32_t context_after(std::string_view text, std::size_t e) {
  while (e < text.size()) {
    const char32_t c = utf8::next(text, e);
    if (c == utf8::kInvalid) return c;
    if (c != ' ' && c != 0x3000 && u_getCombiningClass(static_cast<UChar32>(c)) == 0) return c;
  }
  return utf8::kInvalid;
}

}  // namespace

std::vector<edit> width_edits(std::string_view text) {
  std::vector<edit> out;
  const icu::Normalizer2* k = nfkc();
  int cjk_text = -1;  // computed when first needed
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    const char32_t c = utf8::next(text, i);
    if (is_halfwidth_kana(c) && c != 0xFF9E && c != 0xFF9F) {
      // The run with its sound marks, composed as fullwidth kana, but only
      // where it is glued to fullwidth katakana (パスﾜｰド): halfwidth kana on
      // their own are how receipts and bank records write, and they are the
      // evidence of UTF-8 read as Shift_JIS in quoted mojibake.
      std::size_t e = i;
      for (std::size_t j = i; j < text.size();) {
        if (!is_halfwidth_kana(utf8::next(text, j))) break;
        e = j;
      }
      i = e;
      const auto katakana = [](char32_t x) { return x >= 0x30A1 && x <= 0x30FC; };
      if (!katakana(cp_before(text, b)) && !katakana(cp_at(text, e))) continue;
      out.push_back({b, e, normalized(k, text.substr(b, e - b)), "width"});
    } else if (is_fullwidth_alnum(c)) {
      std::size_t e = i;
      for (std::size_t j = i; j < text.size();) {
        if (!is_fullwidth_alnum(utf8::next(text, j))) break;
        e = j;
      }
      i = e;
      // Latin context: no CJK character on either side; at the text's edge
      // only when the text holds no CJK at all (２０２３年 stays).
      if (cjk_text < 0) cjk_text = holds_cjk(text) ? 1 : 0;
      const char32_t before = context_before(text, b);
      const char32_t after = context_after(text, e);
      const auto latin = [&](char32_t x) {
        if (x == utf8::kInvalid) return cjk_text == 0;
        return x < 0x250 && x != 0x3000;
      };
      if (!latin(before) || !latin(after)) continue;
      std::string ascii;
      for (std::size_t j = b; j < e;)
        ascii.push_back(static_cast<char>(utf8::next(text, j) - 0xFEE0));
      out.push_back({b, e, std::move(ascii), "width"});
    }
  }
  return out;
}

std::vector<edit> line_break_edits(std::string_view text) {
  std::vector<edit> out;
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    if (c == '\r') {
      if (e < text.size() && text[e] == '\n') {
        out.push_back({b, e, std::string(), "line breaks"});
      } else {
        out.push_back({b, e, "\n", "line breaks"});
      }
    } else if (c == 0x2028 || c == 0x2029 || c == 0x85) {
      out.push_back({b, e, "\n", "line breaks"});
    }
  });
  return out;
}

std::vector<edit> quote_edits(std::string_view text) {
  std::vector<edit> out;
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    if (c >= 0x2018 && c <= 0x201B) out.push_back({b, e, "'", "uncurl quotes"});
    if (c >= 0x201C && c <= 0x201F) out.push_back({b, e, "\"", "uncurl quotes"});
  });
  return out;
}

std::vector<edit> bom_edits(std::string_view text) {
  std::vector<edit> out;
  for (std::size_t i = text.find("\xEF\xBB\xBF"); i != std::string_view::npos;
       i = text.find("\xEF\xBB\xBF", i + 3))
    out.push_back({i, i + 3, std::string(), "byte-order mark"});
  return out;
}

std::vector<edit> zero_width_edits(std::string_view text) {
  // ZWJ and ZWNJ shape emoji, Indic and Arabic text; they go only between
  // ASCII or CJK characters, where they do nothing.
  std::vector<edit> out;
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    bool remove = c == 0x200B || c == 0x2060;
    if (c == 0x200C || c == 0x200D) {
      const char32_t x = cp_before(text, b);
      const char32_t y = cp_at(text, e);
      const auto plain = [](char32_t z) { return z == utf8::kInvalid || z < 0x80 || is_cjk(z); };
      remove = plain(x) && plain(y);
    }
    if (remove) out.push_back({b, e, std::string(), "zero-width characters"});
  });
  return out;
}

std::vector<edit> dakuten_edits(std::string_view text) {
  std::vector<edit> out;
  const icu::Normalizer2* n = nfc();
  if (n == nullptr) return out;
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    if (c != 0x309B && c != 0x309C) return;
    std::size_t kb = 0;
    const char32_t kana = cp_before(text, b, &kb);
    if (kana == utf8::kInvalid || !is_kana(kana)) return;
    const UChar32 joined =
        n->composePair(static_cast<UChar32>(kana), c == 0x309B ? 0x3099 : 0x309A);
    if (joined < 0) return;
    if (!out.empty() && out.back().end > kb) return;
    out.push_back({kb, e, utf8_of(static_cast<char32_t>(joined)), "dakuten"});
  });
  return out;
}

std::vector<edit> cjk_compatibility_edits(std::string_view text) {
  std::vector<edit> out;
  const icu::Normalizer2* k = nfkc();
  for_each_cp(text, [&](char32_t c, std::size_t b, std::size_t e) {
    const bool kangxi = c >= 0x2F00 && c <= 0x2FD5;
    const bool compat = (c >= 0xF900 && c <= 0xFAFF) || (c >= 0x2F800 && c <= 0x2FA1F);
    if (!kangxi && !compat) return;
    // Both map to one unified ideograph (canonically for the compatibility
    // ideographs, which NFKC includes); the twelve unified ones in
    // F900-FAFF map to themselves.
    std::string u = normalized(k, text.substr(b, e - b));
    if (u != text.substr(b, e - b)) out.push_back({b, e, std::move(u), "cjk compatibility"});
  });
  return out;
}

// EUC-KR's eight-byte syllables: the filler A4D4 (U+3164), then the
// initial, the vowel and the final (or the filler again) as compatibility
// jamo.
std::vector<edit> jamo_edits(std::string_view text) {
  // The compatibility consonants (U+3131-U+314E) as initials and finals.
  static constexpr std::array<std::int8_t, 30> kInitial = {0,  1,  -1, 2,  -1, -1, 3,  4,  5,  -1,
                                                           -1, -1, -1, -1, -1, -1, 6,  7,  8,  -1,
                                                           9,  10, 11, 12, 13, 14, 15, 16, 17, 18};
  static constexpr std::array<std::int8_t, 30> kFinal = {1,  2,  3,  4,  5,  6,  7,  -1, 8,  9,
                                                         10, 11, 12, 13, 14, 15, 16, 17, -1, 18,
                                                         19, 20, 21, 22, -1, 23, 24, 25, 26, 27};
  constexpr char32_t kFiller = 0x3164;
  std::vector<edit> out;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    if (utf8::next(text, i) != kFiller) continue;
    std::size_t e = i;
    const char32_t l = utf8::next(text, e), v = utf8::next(text, e), t = utf8::next(text, e);
    const bool consonant_l = l >= 0x3131 && l <= 0x314E && kInitial[l - 0x3131] >= 0;
    const bool vowel = v >= 0x314F && v <= 0x3163;
    const bool final_t = t == kFiller || (t >= 0x3131 && t <= 0x314E && kFinal[t - 0x3131] >= 0);
    if (!consonant_l || !vowel || !final_t) continue;
    const int fin = t == kFiller ? 0 : kFinal[t - 0x3131];
    const auto syllable = static_cast<char32_t>(
        0xAC00 + (kInitial[l - 0x3131] * 21 + static_cast<int>(v - 0x314F)) * 28 + fin);
    // A syllable KS X 1001 has is written in two bytes, never so.
    std::uint8_t two[4];
    if (encode_cp(encoding::euc_kr, syllable, two) == 2) continue;
    out.push_back({b, e, utf8_of(syllable), "hangul jamo"});
    i = e;
  }
  return out;
}

std::vector<edit> normalization_edits(std::string_view text, normal_form form) {
  std::vector<edit> out;
  if (form == normal_form::none) return out;
  const icu::Normalizer2* n = form == normal_form::nfc ? nfc() : nfkc();
  if (n == nullptr) return out;
  // Segments between characters with a boundary before them normalize on
  // their own; only those holding a character whose quick check is not "yes"
  // are looked at. An invalid byte ends a segment.
  std::size_t done = 0;  // text before this is settled
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t b = i;
    const char32_t c = utf8::next(text, i);
    if (c == utf8::kInvalid || quick_check_yes(c, form)) continue;
    std::size_t seg = b;
    while (seg > done) {
      std::size_t pb = 0;
      const char32_t p = cp_before(text, seg, &pb);
      if (p == utf8::kInvalid || pb < done) break;
      if (n->hasBoundaryBefore(static_cast<UChar32>(cp_at(text, seg)))) break;
      seg = pb;
    }
    std::size_t e = i;
    while (e < text.size()) {
      std::size_t j = e;
      const char32_t d = utf8::next(text, j);
      if (d == utf8::kInvalid || n->hasBoundaryBefore(static_cast<UChar32>(d))) break;
      e = j;
    }
    const std::string_view piece = text.substr(seg, e - seg);
    std::string r = normalized(n, piece);
    // Composition exclusions (Devanagari क़, Hebrew presentation forms) are
    // written precomposed in clean text; NFC would decompose them. Only a
    // result with no more characters than before is taken: composing what
    // was decomposed, or a singleton like the ohm sign.
    const auto count = [](std::string_view x) {
      return static_cast<std::size_t>(
          std::count_if(x.begin(), x.end(), [](char ch) { return (ch & 0xC0) != 0x80; }));
    };
    if (r != piece && count(r) <= count(piece))
      out.push_back({seg, e, std::move(r), form == normal_form::nfc ? "nfc" : "nfkc"});
    i = e;
    done = e;
  }
  return out;
}

std::vector<edit> cjk_punct_edits(std::string_view text) {
  std::vector<edit> out;
  const auto cjk = [](char32_t c) { return c != utf8::kInvalid && is_cjk(c); };
  std::size_t paired_close = std::string_view::npos;  // a ')' already taken by its '('
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char b = text[i];
    if (b != ',' && b != ':' && b != ';' && b != '!' && b != '?' && b != '(' && b != ')') continue;
    if (i == paired_close) {
      out.push_back({i, i + 1, "\xEF\xBC\x89", "cjk punctuation"});
      continue;
    }
    const char32_t prev = cp_before(text, i);
    const char32_t next = cp_at(text, i + 1);
    if (b == '(') {
      // 中文(中文) both ways; 中文(English) stays.
      const std::size_t close = text.find_first_of("()\n", i + 1);
      if (!cjk(prev) || !cjk(next) || close == std::string_view::npos || text[close] != ')' ||
          !cjk(cp_before(text, close)))
        continue;
      out.push_back({i, i + 1, "\xEF\xBC\x88", "cjk punctuation"});
      paired_close = close;
      continue;
    }
    if (b == ')') continue;  // only with its '(' (above): never one half of a pair
    const bool end_ok = (b == '!' || b == '?') && (next == utf8::kInvalid || next == '\n');
    if (!cjk(prev) || !(cjk(next) || end_ok)) continue;
    static constexpr std::string_view kFull[] = {"\xEF\xBC\x8C", "\xEF\xBC\x9A", "\xEF\xBC\x9B",
                                                 "\xEF\xBC\x81", "\xEF\xBC\x9F", "\xEF\xBC\x89"};
    const std::size_t k = std::string_view(",:;!?)").find(b);
    out.push_back({i, i + 1, std::string(kFull[k]), "cjk punctuation"});
  }
  return out;
}

}  // namespace mojifix::detail
