// The readings detection weighs and the cost the model gives each. Decoding
// here is done character by character through the codec's tables (with
// single-byte tables copied out once), so that scoring a reading needs no
// allocation and stops after a bounded number of characters.

#include "ingest/sniff.hpp"

#include <unicode/ucnv.h>
#include <unicode/unorm2.h>

#include <array>
#include <cctype>

#include "codec/utf8.hpp"
#include "model/scorer.hpp"

namespace mojifix::detail::ingest {
namespace {

constexpr char32_t kNoChar = 0xFFFFFFFF;
constexpr char32_t kReplacement = 0xFFFD;

// Single-byte code pages as flat tables (kNoChar for undefined bytes).
struct single_tables {
  std::array<std::array<char32_t, 256>, kEncodingCount> t{};
  single_tables() {
    for (int e = 0; e < kEncodingCount; ++e) {
      const auto enc = static_cast<encoding>(e);
      if (!is_single_byte(enc)) continue;
      for (unsigned b = 0; b < 256; ++b) {
        const auto byte = static_cast<std::uint8_t>(b);
        char32_t cp = 0;
        t[e][b] = decode_one(enc, &byte, 1, cp) == 1 ? cp : kNoChar;
      }
    }
  }
};

const single_tables& singles() {
  static const single_tables s;
  return s;
}

// Families as in legacy_candidates(); 16 is South European, 17 Thai,
// 18 Georgian.
const std::vector<code_page> kExtra = {
    {"iso-8859-6", "ISO-8859-6", 12, 2.0f},
    {"iso-8859-8", "ISO-8859-8", 11, 2.0f},
    {"iso-8859-9", "ISO-8859-9", 10, 2.0f},
    {"ibm852", "ibm-852", 7, 3.0f},
    {"ibm855", "ibm-855", 8, 4.0f},
    {"ibm865", "ibm-865", 6, 5.0f},
    {"ibm862", "ibm-862", 11, 4.0f},
    {"cp737", "ibm-737", 9, 4.0f},
    {"mac-centraleurope", "macos-29-10.2", 7, 4.0f},
    {"mac-cyrillic", "macos-7_3-10.2", 8, 3.0f},
    {"tis-620", "windows-874-2000", 17, 1.0f},
    {"koi8-u", "KOI8-U", 8, 3.0f},
};

struct extra_tables {
  std::vector<std::array<char32_t, 256>> t;
  extra_tables() {
    t.resize(kExtra.size());
    for (std::size_t k = 0; k < kExtra.size(); ++k) {
      auto& tab = t[k];
      tab.fill(kNoChar);
      UErrorCode st = U_ZERO_ERROR;
      UConverter* cv = ucnv_open(kExtra[k].icu_name, &st);
      if (U_FAILURE(st) || cv == nullptr) continue;
      for (unsigned b = 0; b < 256; ++b) {
        st = U_ZERO_ERROR;
        ucnv_reset(cv);
        ucnv_setToUCallBack(cv, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &st);
        const char in = static_cast<char>(b);
        UChar out[4];
        const int32_t len = ucnv_toUChars(cv, out, 4, &in, 1, &st);
        if (U_SUCCESS(st) && len == 1) tab[b] = out[0];
      }
      ucnv_close(cv);
    }
  }
};

const extra_tables& extras() {
  static const extra_tables s;
  return s;
}

// Double-byte encodings as flat tables, so that scoring a reading costs a
// lookup per character: singles (kNoChar, kLeadByte or the code point) and
// pairs by lead - 0x80 and trail (kNoPair, kLonger for sequences the codec
// decodes itself: GB18030 four-byte and EUC-JP three-byte forms, and
// characters beyond the BMP).
constexpr char32_t kLeadByte = 0xFFFFFFFE;
constexpr std::uint16_t kNoPair = 0xFFFF;
constexpr std::uint16_t kLonger = 0xFFFE;

struct dbcs_table {
  std::array<char32_t, 256> single{};
  std::vector<std::uint16_t> pairs;  // 128 x 256
  explicit dbcs_table(encoding e) : pairs(128 * 256, kNoPair) {
    for (unsigned b = 0; b < 256; ++b) {
      const unsigned char one[1] = {static_cast<unsigned char>(b)};
      char32_t cp = 0;
      single[b] = decode_one(e, one, 1, cp) == 1 ? cp : kNoChar;
      if (b < 0x80 || single[b] != kNoChar) continue;
      bool lead = (e == encoding::gb18030 && b >= 0x81 && b <= 0xFE) ||
                  (e == encoding::euc_jp && b == 0x8F);
      for (unsigned t = 0; t < 256; ++t) {
        const unsigned char two[2] = {static_cast<unsigned char>(b), static_cast<unsigned char>(t)};
        std::uint16_t& slot = pairs[((b - 0x80) << 8) | t];
        if (decode_one(e, two, 2, cp) == 2) {
          slot = cp < 0xFFFE ? static_cast<std::uint16_t>(cp) : kLonger;
          lead = true;
        } else if ((e == encoding::gb18030 && t >= 0x30 && t <= 0x39) ||
                   (e == encoding::euc_jp && b == 0x8F)) {
          slot = kLonger;
        }
      }
      if (lead) single[b] = kLeadByte;
    }
  }
};

const dbcs_table* dbcs_of(encoding e) {
  switch (e) {
    case encoding::gb18030: {
      static const dbcs_table t(e);
      return &t;
    }
    case encoding::big5_hkscs: {
      static const dbcs_table t(e);
      return &t;
    }
    case encoding::cp932: {
      static const dbcs_table t(e);
      return &t;
    }
    case encoding::euc_jp: {
      static const dbcs_table t(e);
      return &t;
    }
    case encoding::cp949: {
      static const dbcs_table t(e);
      return &t;
    }
    default:
      return nullptr;
  }
}

int decode_utf16(const unsigned char* p, std::size_t n, bool big, char32_t& cp) noexcept {
  if (n < 2) return 0;
  auto unit = [&](std::size_t i) -> char32_t {
    return big ? (char32_t{p[i]} << 8) | p[i + 1] : (char32_t{p[i + 1]} << 8) | p[i];
  };
  const char32_t u = unit(0);
  if (u < 0xD800 || u > 0xDFFF) {
    cp = u;
    return 2;
  }
  if (u >= 0xDC00 || n < 4) return 0;
  const char32_t v = unit(2);
  if (v < 0xDC00 || v > 0xDFFF) return 0;
  cp = 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00);
  return 4;
}

int decode_utf32(const unsigned char* p, std::size_t n, bool big, char32_t& cp) noexcept {
  if (n < 4) return 0;
  const char32_t u =
      big ? (char32_t{p[0]} << 24) | (char32_t{p[1]} << 16) | (char32_t{p[2]} << 8) | p[3]
          : (char32_t{p[3]} << 24) | (char32_t{p[2]} << 16) | (char32_t{p[1]} << 8) | p[0];
  if (u > 0x10FFFF || (u >= 0xD800 && u <= 0xDFFF)) return 0;
  cp = u;
  return 4;
}

// The 7-bit JIS forms. Designations switch between ASCII/JIS-Roman, JIS X
// 0208 (read through EUC-JP: each byte + 0x80), JIS X 0212 and halfwidth
// katakana. `stripped`: the designations lost their ESC byte.
class jis_reader {
 public:
  explicit jis_reader(bool stripped) : stripped_(stripped) {}

  // Consumes a designation at p if there is one; returns its length.
  int designation(const unsigned char* p, std::size_t n) noexcept {
    std::size_t k = 0;
    if (!stripped_) {
      if (n < 3 || p[0] != 0x1B) return 0;
      k = 1;
    }
    if (n < k + 2) return 0;
    const unsigned a = p[k];
    const unsigned b = p[k + 1];
    if (a == '$' && (b == 'B' || b == '@')) return set(mode::jis0208, k + 2);
    if (a == '(' && (b == 'B' || b == 'J')) {
      if (stripped_ && state_ == mode::ascii) return 0;  // "(B" in ASCII text is text
      return set(mode::ascii, k + 2);
    }
    if (!stripped_ && a == '(' && b == 'I') return set(mode::kana, k + 2);
    if (!stripped_ && a == '$' && b == '(' && n >= k + 3 && p[k + 2] == 'D')
      return set(mode::jis0212, k + 3);
    return 0;
  }

  // Decodes one character in the current state; 0 when invalid.
  int character(const unsigned char* p, std::size_t n, char32_t& cp) noexcept {
    if (p[0] == '\n' || p[0] == '\r') {
      state_ = stripped_ ? state_ : mode::ascii;
      cp = p[0];
      return 1;
    }
    switch (state_) {
      case mode::ascii:
        if (p[0] >= 0x80) return 0;
        cp = p[0];
        return 1;
      case mode::kana: {
        if (p[0] < 0x21 || p[0] > 0x5F) {
          if (p[0] >= 0x80) return 0;
          cp = p[0];
          return 1;
        }
        const unsigned char e[2] = {0x8E, static_cast<unsigned char>(p[0] | 0x80)};
        return decode_one(encoding::euc_jp, e, 2, cp) == 2 ? 1 : 0;
      }
      case mode::jis0208: {
        if (n < 2 || p[0] < 0x21 || p[0] > 0x7E || p[1] < 0x21 || p[1] > 0x7E) {
          if (p[0] < 0x21) {  // spaces and controls pass in any state
            cp = p[0];
            return 1;
          }
          return 0;
        }
        const unsigned char e[2] = {static_cast<unsigned char>(p[0] | 0x80),
                                    static_cast<unsigned char>(p[1] | 0x80)};
        return decode_one(encoding::euc_jp, e, 2, cp) == 2 ? 2 : 0;
      }
      case mode::jis0212: {
        if (n < 2 || p[0] < 0x21 || p[0] > 0x7E || p[1] < 0x21 || p[1] > 0x7E) return 0;
        const unsigned char e[3] = {0x8F, static_cast<unsigned char>(p[0] | 0x80),
                                    static_cast<unsigned char>(p[1] | 0x80)};
        return decode_one(encoding::euc_jp, e, 3, cp) == 3 ? 2 : 0;
      }
    }
    return 0;
  }

  [[nodiscard]] bool in_jis() const noexcept { return state_ != mode::ascii; }

 private:
  enum class mode : std::uint8_t { ascii, jis0208, jis0212, kana };
  int set(mode m, std::size_t len) noexcept {
    state_ = m;
    return static_cast<int>(len);
  }
  bool stripped_;
  mode state_ = mode::ascii;
};

// Walks bytes in reading r, calling emit(cp, begin, end, bad) per character.
// Stops early when emit returns false.
template <typename Emit>
void walk(reading r, std::string_view bytes, Emit&& emit) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  if (r.f == form::iso2022jp || r.f == form::iso2022jp_stripped) {
    jis_reader jr(r.f == form::iso2022jp_stripped);
    for (std::size_t i = 0; i < n;) {
      if (const int d = jr.designation(p + i, n - i)) {
        i += static_cast<std::size_t>(d);
        continue;
      }
      char32_t cp = 0;
      const int len = jr.character(p + i, n - i, cp);
      const bool bad = len == 0;
      const std::size_t step = bad ? 1 : static_cast<std::size_t>(len);
      if (!emit(bad ? kReplacement : cp, i, i + step, bad)) return;
      i += step;
    }
    return;
  }
  if (r.f == form::codec && (r.enc == encoding::utf8 || r.enc == encoding::cesu8)) {
    // Valid sequences, with CESU-8 surrogate pairs joined for cesu8.
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      char32_t cp = utf8::next(bytes, j);
      if (cp == utf8::kInvalid && r.enc == encoding::cesu8 && i + 6 <= n && p[i] == 0xED &&
          p[i + 1] >= 0xA0 && p[i + 1] <= 0xAF && p[i + 3] == 0xED && p[i + 4] >= 0xB0 &&
          p[i + 4] <= 0xBF && (p[i + 2] & 0xC0) == 0x80 && (p[i + 5] & 0xC0) == 0x80) {
        const char32_t hi = 0xD000 | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
        const char32_t lo = 0xD000 | ((p[i + 4] & 0x3Fu) << 6) | (p[i + 5] & 0x3Fu);
        cp = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
        j = i + 6;
      }
      const bool bad = cp == utf8::kInvalid;
      if (!emit(bad ? kReplacement : cp, i, j, bad)) return;
      i = j;
    }
    return;
  }
  const bool single = (r.f == form::codec && is_single_byte(r.enc)) || r.f == form::extra;
  const auto& table =
      r.f == form::extra ? extras().t[r.index] : singles().t[static_cast<std::size_t>(r.enc)];
  const dbcs_table* dbcs = r.f == form::codec && !single ? dbcs_of(r.enc) : nullptr;
  for (std::size_t i = 0; i < n;) {
    char32_t cp = 0;
    int len = 0;
    if (single) {
      cp = table[p[i]];
      len = cp == kNoChar ? 0 : 1;
    } else if (dbcs != nullptr && dbcs->single[p[i]] != kLeadByte) {
      cp = dbcs->single[p[i]];
      len = cp == kNoChar ? 0 : 1;
    } else if (dbcs != nullptr && i + 1 < n &&
               dbcs->pairs[((p[i] - 0x80u) << 8) | p[i + 1]] < kLonger) {
      cp = dbcs->pairs[((p[i] - 0x80u) << 8) | p[i + 1]];
      len = 2;
    } else {
      len = decode_char(r, p + i, n - i, cp);
    }
    const bool bad = len == 0;
    std::size_t step = bad ? 1 : static_cast<std::size_t>(len);
    // UTF-16/32: a bad unit is skipped whole.
    if (bad && (r.f == form::utf32le || r.f == form::utf32be))
      step = std::min<std::size_t>(4, n - i);
    if (bad && r.f == form::codec && (r.enc == encoding::utf16le || r.enc == encoding::utf16be))
      step = std::min<std::size_t>(2, n - i);
    if (!emit(bad ? kReplacement : cp, i, i + step, bad)) return;
    i += step;
  }
}

}  // namespace

std::string_view reading_name(reading r) noexcept {
  switch (r.f) {
    case form::utf32le:
      return "utf-32le";
    case form::utf32be:
      return "utf-32be";
    case form::iso2022jp:
    case form::iso2022jp_stripped:
      return "iso-2022-jp";
    case form::extra:
      return r.index < kExtra.size() ? kExtra[r.index].name : std::string_view{};
    case form::codec:
      break;
  }
  return name(r.enc);
}

bool reading_from_name(std::string_view n, reading& out) noexcept {
  std::string key;
  for (char c : n) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) key.push_back(static_cast<char>(std::tolower(u)));
  }
  if (key == "utf32le" || key == "utf32" || key == "ucs4") {
    out = {form::utf32le, encoding::utf8};
    return true;
  }
  if (key == "utf32be") {
    out = {form::utf32be, encoding::utf8};
    return true;
  }
  if (key == "iso2022jpstripped") {
    out = {form::iso2022jp_stripped, encoding::utf8};
    return true;
  }
  if (key == "iso2022jp" || key == "csiso2022jp" || key == "jis") {
    out = {form::iso2022jp, encoding::utf8};
    return true;
  }
  if (key == "ascii" || key == "usascii" || key == "ansix3.41968" || key == "ansix341968") {
    out = {form::codec, encoding::utf8};
    return true;
  }
  if (key == "utf8sig" || key == "utf8bom") {
    out = {form::codec, encoding::utf8};
    return true;
  }
  if (key == "big5tw" || key == "xbig5") {
    out = {form::codec, encoding::big5};
    return true;
  }
  if (const auto e = encoding_from_name(n)) {
    out = {form::codec, *e};
    return true;
  }
  static const std::pair<std::string_view, std::string_view> kExtraAliases[] = {
      {"arabic", "iso-8859-6"},
      {"hebrew", "iso-8859-8"},
      {"iso88598i", "iso-8859-8"},
      {"latin5", "iso-8859-9"},
      {"cp852", "ibm852"},
      {"cp855", "ibm855"},
      {"cp865", "ibm865"},
      {"cp862", "ibm862"},
      {"ibm737", "cp737"},
      {"xmaccyrillic", "mac-cyrillic"},
      {"maccentraleurope", "mac-centraleurope"},
      {"xmaccentraleurroman", "mac-centraleurope"},
      {"tis620", "tis-620"},
      {"iso885911", "tis-620"},
      {"windows874", "tis-620"},
      {"cp874", "tis-620"},
  };
  for (std::size_t k = 0; k < kExtra.size(); ++k) {
    std::string own;
    for (char c : kExtra[k].name)
      if (std::isalnum(static_cast<unsigned char>(c))) own.push_back(c);
    bool hit = own == key;
    for (const auto& [alias, target] : kExtraAliases)
      hit = hit || (alias == key && target == kExtra[k].name);
    if (hit) {
      out = {form::extra, encoding::utf8, static_cast<std::uint8_t>(k)};
      return true;
    }
  }
  return false;
}

int decode_char(reading r, const unsigned char* p, std::size_t n, char32_t& cp) noexcept {
  switch (r.f) {
    case form::utf32le:
      return decode_utf32(p, n, false, cp);
    case form::utf32be:
      return decode_utf32(p, n, true, cp);
    case form::iso2022jp:
    case form::iso2022jp_stripped:
      return 0;
    case form::extra:
      cp = extras().t[r.index][p[0]];
      return cp == kNoChar ? 0 : 1;
    case form::codec:
      break;
  }
  if (r.enc == encoding::utf16le) return decode_utf16(p, n, false, cp);
  if (r.enc == encoding::utf16be) return decode_utf16(p, n, true, cp);
  if (is_single_byte(r.enc)) {
    cp = singles().t[static_cast<std::size_t>(r.enc)][p[0]];
    return cp == kNoChar ? 0 : 1;
  }
  if (const dbcs_table* t = dbcs_of(r.enc)) {
    const char32_t c = t->single[p[0]];
    if (c != kLeadByte) {
      cp = c;
      return c == kNoChar ? 0 : 1;
    }
    if (n < 2) return 0;
    const std::uint16_t v = t->pairs[((p[0] - 0x80u) << 8) | p[1]];
    if (v == kNoPair) return 0;
    if (v != kLonger) {
      cp = v;
      return 2;
    }
  }
  return decode_one(r.enc, p, n, cp);
}

std::size_t decode_all(reading r, std::string_view bytes, std::string& out,
                       std::vector<std::size_t>* bad) {
  std::size_t errors = 0;
  out.reserve(out.size() + bytes.size() + bytes.size() / 2);
  walk(r, bytes, [&](char32_t cp, std::size_t begin, std::size_t, bool is_bad) {
    if (is_bad) {
      ++errors;
      if (bad != nullptr) bad->push_back(begin);
    }
    utf8::append(out, cp);
    return true;
  });
  return errors;
}

namespace {

// windows-1258 writes Vietnamese tones as combining marks after the letter;
// the model knows the composed letters of Vietnamese text, so a reading's
// cost is taken on the composed form (the same text). 0: no composition.
char32_t compose(char32_t base, char32_t mark) {
  static const UNormalizer2* nfc = [] {
    UErrorCode st = U_ZERO_ERROR;
    const UNormalizer2* n = unorm2_getNFCInstance(&st);
    return U_SUCCESS(st) ? n : nullptr;
  }();
  if (nfc == nullptr) return 0;
  const UChar32 c = unorm2_composePair(nfc, static_cast<UChar32>(base), static_cast<UChar32>(mark));
  return c < 0 ? 0 : static_cast<char32_t>(c);
}

}  // namespace

float reading_cost(reading r, std::string_view bytes, std::size_t max_chars, float limit,
                   float rate) {
  // Scored in chunks of 8 characters (the scorer reads a chunk's context
  // from the character before it, or the start of text after U+0000, so the
  // chunking is part of the cost); with a limit, checked every kCheckEvery
  // characters, so that a reading far behind stops within a few (most
  // readings of a sample do).
  constexpr std::size_t kLongChunk = 8;
  const bool single = r.f == form::extra || (r.f == form::codec && is_single_byte(r.enc));
  const bool utf16 =
      r.f == form::codec && (r.enc == encoding::utf16le || r.enc == encoding::utf16be);
  const std::size_t chunk = limit >= 1e37f ? kLongChunk : utf16 ? 8 : kCheckEvery;
  char32_t buf[kLongChunk];
  std::size_t k = 0;
  std::size_t total = 0;
  std::size_t errors = 0;
  char32_t before = 0;
  float cost = 0;
  const scorer& sc = scorer::get();
  bool stopped = false;
  const bool combining = r.f == form::codec && r.enc == encoding::windows_1258;
  // The written-out loops below share these: add one character, scoring a
  // full chunk and saying whether the reading has fallen behind the bar
  // after `consumed` bytes; and score what is left.
  auto add = [&](char32_t cp, std::size_t consumed) {
    buf[k++] = cp;
    if (k != chunk) return false;
    cost += sc.cost(std::u32string_view(buf, k), before);
    before = buf[k - 1];
    k = 0;
    return cost + kBadSequenceBits * static_cast<float>(errors) >
           limit + rate * static_cast<float>(consumed);
  };
  auto finish = [&] {
    if (k != 0) cost += sc.cost(std::u32string_view(buf, k), before);
    return cost + kBadSequenceBits * static_cast<float>(errors);
  };
  if (single && !combining) {
    // The common case written out: a table lookup per byte (as walk).
    const auto& table =
        r.f == form::extra ? extras().t[r.index] : singles().t[static_cast<std::size_t>(r.enc)];
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = std::min(bytes.size(), max_chars);
    for (std::size_t i = 0; i < n; ++i) {
      char32_t cp = table[p[i]];
      if (cp == kNoChar) {
        ++errors;
        cp = kReplacement;
      }
      if (add(cp, i + 1)) return kStoppedEarly + cost;
    }
    return finish();
  }
  if (const dbcs_table* t = r.f == form::codec && !single ? dbcs_of(r.enc) : nullptr) {
    // The double-byte candidates, as walk reads them.
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    for (std::size_t i = 0; i < n && total < max_chars; ++total) {
      char32_t cp = t->single[p[i]];
      int len = 1;
      if (cp == kLeadByte) {
        const std::uint16_t v = i + 1 < n ? t->pairs[((p[i] - 0x80u) << 8) | p[i + 1]] : kNoPair;
        if (v < kLonger) {
          cp = v;
          len = 2;
        } else {
          len = decode_char(r, p + i, n - i, cp);
        }
      } else if (cp == kNoChar) {
        len = 0;
      }
      if (len == 0) {
        ++errors;
        cp = kReplacement;
        len = 1;
      }
      i += static_cast<std::size_t>(len);
      if (add(cp, i)) return kStoppedEarly + cost;
    }
    return finish();
  }
  if (r.f == form::codec && (r.enc == encoding::utf16le || r.enc == encoding::utf16be)) {
    // Written out too, as walk reads it: a bad unit is skipped whole.
    const bool big = r.enc == encoding::utf16be;
    const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
    const std::size_t n = bytes.size();
    for (std::size_t i = 0; i < n && total < max_chars; ++total) {
      char32_t cp = 0;
      const int len = decode_utf16(p + i, n - i, big, cp);
      if (len == 0) {
        ++errors;
        cp = kReplacement;
        i += std::min<std::size_t>(2, n - i);
      } else {
        i += static_cast<std::size_t>(len);
      }
      if (add(cp, i)) return kStoppedEarly + cost;
    }
    return finish();
  }
  // A full chunk is scored when the next character comes and does not join
  // its last one (a windows-1258 tone mark), so that what is composed does
  // not depend on where chunks end.
  std::size_t chunk_end = 0;
  auto flush = [&] {
    cost += sc.cost(std::u32string_view(buf, k), before);
    before = buf[k - 1];
    k = 0;
    return cost + kBadSequenceBits * static_cast<float>(errors) >
           limit + rate * static_cast<float>(chunk_end);
  };
  walk(r, bytes, [&](char32_t cp, std::size_t, std::size_t end, bool is_bad) {
    if (is_bad) ++errors;
    if (combining && cp >= 0x300 && cp <= 0x323 && k != 0) {
      if (const char32_t c = compose(buf[k - 1], cp)) {
        buf[k - 1] = c;
        chunk_end = end;
        return ++total < max_chars;
      }
    }
    if (k == chunk && flush()) {
      stopped = true;
      return false;
    }
    buf[k++] = cp;
    chunk_end = end;
    return ++total < max_chars;
  });
  if (!stopped && k == chunk) stopped = flush();
  if (stopped) return kStoppedEarly + cost;
  return finish();
}

const std::vector<candidate>& legacy_candidates() {
  // Families: 1 simplified Chinese, 2 Big5, 3 Shift_JIS, 4 EUC-JP, 5 Korean,
  // 6 Western, 7 Central European, 8 Cyrillic, 9 Greek, 10 Turkish,
  // 11 Hebrew, 12 Arabic, 13 Baltic, 14 Vietnamese, 15 UTF-16, 16 South
  // European (Esperanto, Maltese). The Georgian code pages of the codec
  // room are not candidates: the model knows no Georgian text, so a
  // Cyrillic misreading always costs less.
  static const std::vector<candidate> c = {
      {{form::codec, encoding::gb18030}, 0.0f, 1},
      {{form::codec, encoding::big5_hkscs}, 1.0f, 2},
      {{form::codec, encoding::cp932}, 0.0f, 3},
      {{form::codec, encoding::euc_jp}, 1.0f, 4},
      {{form::codec, encoding::cp949}, 0.5f, 5},
      {{form::codec, encoding::windows_1252}, 0.0f, 6},
      {{form::codec, encoding::windows_1250}, 1.0f, 7},
      {{form::codec, encoding::iso_8859_2}, 2.0f, 7},
      {{form::codec, encoding::windows_1251}, 0.0f, 8},
      {{form::codec, encoding::koi8_r}, 1.0f, 8},
      {{form::codec, encoding::iso_8859_5}, 2.0f, 8},
      {{form::codec, encoding::cp866}, 2.0f, 8},
      {{form::codec, encoding::windows_1253}, 0.5f, 9},
      {{form::codec, encoding::iso_8859_7}, 1.0f, 9},
      {{form::codec, encoding::windows_1254}, 1.5f, 10},
      {{form::codec, encoding::windows_1255}, 1.0f, 11},
      {{form::codec, encoding::windows_1256}, 1.0f, 12},
      {{form::codec, encoding::windows_1257}, 3.0f, 13},
      {{form::codec, encoding::windows_1258}, 5.0f, 14},
      {{form::codec, encoding::iso_8859_15}, 1.0f, 6},
      {{form::codec, encoding::mac_roman}, 4.0f, 6},
      {{form::codec, encoding::cp850}, 4.0f, 6},
      {{form::codec, encoding::cp437}, 4.0f, 6},
      {{form::codec, encoding::iso_8859_3}, 3.0f, 16},
      {{form::codec, encoding::iso_8859_4}, 3.0f, 13},
      {{form::codec, encoding::iso_8859_10}, 4.0f, 13},
      {{form::codec, encoding::iso_8859_13}, 2.5f, 13},
      {{form::codec, encoding::iso_8859_14}, 5.0f, 6},
      {{form::codec, encoding::iso_8859_16}, 3.0f, 7},
  };
  static const std::vector<candidate> all = [] {
    std::vector<candidate> v = c;
    for (std::size_t k = 0; k < kExtra.size(); ++k) {
      v.push_back({{form::extra, encoding::utf8, static_cast<std::uint8_t>(k)},
                   kExtra[k].prior,
                   kExtra[k].family});
    }
    return v;
  }();
  return all;
}

std::size_t first_invalid_utf8(std::string_view s, std::size_t& multibyte_bytes) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  std::size_t mb = 0;
  while (i < n) {
    i = utf8::skip_ascii_blocks(s, i);
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const std::size_t start = i;
    if (utf8::next(s, i) == utf8::kInvalid) {
      multibyte_bytes = mb;
      return start;
    }
    mb += i - start;
  }
  multibyte_bytes = mb;
  return std::string_view::npos;
}

}  // namespace mojifix::detail::ingest

namespace mojifix::detail::ingest {
const std::vector<code_page>& extra_code_pages() { return kExtra; }
}  // namespace mojifix::detail::ingest
