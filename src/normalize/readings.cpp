// Reading annotations: the table of Han readings (tools/gen_readings.py,
// layout in data/normalize/SOURCES.md) is embedded at compile time and read
// in place; an annotation is removed only when its whole content spells the
// readings of the last Han characters before it, syllable by syllable.

#include "normalize/readings.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <utility>

#include "codec/embed.hpp"
#include "codec/utf8.hpp"

MOJIFIX_EMBED(mojifix_readings_blob, "/normalize/readings.bin")

namespace mojifix::detail {
namespace {

std::uint32_t read32(const unsigned char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

std::uint16_t read16(const unsigned char* p) noexcept {
  std::uint16_t v;
  std::memcpy(&v, p, 2);
  return v;
}

struct pinyin_reading {
  std::uint16_t syllable;
  std::uint8_t tone;  // 1-4, 5 = neutral
};

// A kana reading in the blob: hiragana as code point - 0x3040, one byte each.
struct kana_view {
  const unsigned char* p;
  std::size_t len;
  [[nodiscard]] char32_t operator[](std::size_t k) const { return 0x3040 + p[k]; }
  [[nodiscard]] std::size_t size() const { return len; }
};

// The readings of one character (the table holds at most 10 pinyin and 14
// kana readings a character; more are not looked at).
struct char_readings {
  std::array<pinyin_reading, 16> pinyin_store;
  std::array<kana_view, 16> kana_store;
  std::size_t np = 0, nk = 0;
  [[nodiscard]] const pinyin_reading* pinyin_begin() const { return pinyin_store.data(); }
  [[nodiscard]] const pinyin_reading* pinyin_end() const { return pinyin_store.data() + np; }
  [[nodiscard]] const kana_view* kana_begin() const { return kana_store.data(); }
  [[nodiscard]] const kana_view* kana_end() const { return kana_store.data() + nk; }
};

class readings_table {
 public:
  readings_table() {
    const unsigned char* p = mojifix_readings_blob;
    const unsigned char* end = mojifix_readings_blob_end;
    if (end - p < 12 || std::memcmp(p, "MJRD", 4) != 0 || read32(p + 4) != 1) return;
    p += 8;
    const std::uint32_t nsyl = read32(p);
    p += 4;
    for (std::uint32_t k = 0; k < nsyl && p < end; ++k) {
      pinyin_.emplace_back(reinterpret_cast<const char*>(p + 1), p[0]);
      p += 1 + p[0];
      zhuyin_.emplace_back(reinterpret_cast<const char*>(p + 1), p[0]);
      p += 1 + p[0];
    }
    nchar_ = read32(p);
    index_ = p + 4;
    p = index_ + std::size_t{nchar_} * 8;
    blob_ = p + 4;
    ok_ = blob_ + read32(p) == end;
  }

  [[nodiscard]] bool find(char32_t cp, char_readings& out) const {
    out.np = out.nk = 0;
    if (!ok_) return false;
    std::uint32_t lo = 0, hi = nchar_;
    while (lo < hi) {
      const std::uint32_t mid = (lo + hi) / 2;
      const std::uint32_t c = read32(index_ + std::size_t{mid} * 8);
      if (c == cp) {
        const unsigned char* r = blob_ + read32(index_ + std::size_t{mid} * 8 + 4);
        const unsigned np = *r++;
        for (unsigned k = 0; k < np; ++k, r += 2) {
          const std::uint16_t v = read16(r);
          if (out.np < out.pinyin_store.size())
            out.pinyin_store[out.np++] = {static_cast<std::uint16_t>(v >> 3),
                                          static_cast<std::uint8_t>(v & 7)};
        }
        const unsigned nk = *r++;
        for (unsigned k = 0; k < nk; ++k) {
          const unsigned len = *r++;
          if (len > 0 && out.nk < out.kana_store.size()) out.kana_store[out.nk++] = {r, len};
          r += len;
        }
        return true;
      }
      if (c < cp) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return false;
  }

  [[nodiscard]] const std::string& pinyin(std::uint16_t id) const { return pinyin_[id]; }
  [[nodiscard]] const std::string& zhuyin(std::uint16_t id) const { return zhuyin_[id]; }

  static const readings_table& get() {
    static const readings_table t;
    return t;
  }

 private:
  std::vector<std::string> pinyin_, zhuyin_;
  const unsigned char* index_ = nullptr;
  const unsigned char* blob_ = nullptr;
  std::uint32_t nchar_ = 0;
  bool ok_ = false;
};

constexpr std::size_t kMaxContent = 120;  // bytes inside the parentheses
constexpr std::size_t kMaxChars = 8;      // Han characters one annotation covers

bool is_kana(char32_t c) { return (c >= 0x3041 && c <= 0x3096) || (c >= 0x30A1 && c <= 0x30FA); }

bool is_cjk_text(char32_t c) {
  return is_han(c) || is_kana(c) || c == 0x30FC || (c >= 0x3000 && c <= 0x303F) ||
         (c >= 0xFF01 && c <= 0xFF0F) || (c >= 0xFF1A && c <= 0xFF20) || c == 0xFF5E;
}

// Pinyin of the annotation: lowercase letters (ü as 'v'), separators as ' ',
// tone digits as they are; tone[k] is the tone mark carried by letter k.
struct pinyin_text {
  std::string s;
  std::vector<std::uint8_t> tone;
  bool marked = false;  // some syllable carries a tone mark or digit
  bool upper = false;
};

bool parse_pinyin(std::u32string_view c, pinyin_text& p) {
  struct marked_vowel {
    char32_t cp;
    char base;
    std::uint8_t tone;
  };
  static constexpr marked_vowel kVowels[] = {
      {0x101, 'a', 1}, {0xE1, 'a', 2},  {0x1CE, 'a', 3}, {0xE0, 'a', 4},  {0x113, 'e', 1},
      {0xE9, 'e', 2},  {0x11B, 'e', 3}, {0xE8, 'e', 4},  {0x12B, 'i', 1}, {0xED, 'i', 2},
      {0x1D0, 'i', 3}, {0xEC, 'i', 4},  {0x14D, 'o', 1}, {0xF3, 'o', 2},  {0x1D2, 'o', 3},
      {0xF2, 'o', 4},  {0x16B, 'u', 1}, {0xFA, 'u', 2},  {0x1D4, 'u', 3}, {0xF9, 'u', 4},
      {0x1D6, 'v', 1}, {0x1D8, 'v', 2}, {0x1DA, 'v', 3}, {0x1DC, 'v', 4}, {0xFC, 'v', 0},
      {0x144, 'n', 2}, {0x148, 'n', 3}, {0x1F9, 'n', 4}, {0x1E3F, 'm', 2}};
  for (char32_t ch : c) {
    if (ch >= 'a' && ch <= 'z') {
      p.s.push_back(static_cast<char>(ch));
      p.tone.push_back(0);
    } else if (ch >= 'A' && ch <= 'Z') {
      p.upper = true;
      p.s.push_back(static_cast<char>(ch - 'A' + 'a'));
      p.tone.push_back(0);
    } else if (ch >= '0' && ch <= '5') {
      if (p.s.empty() || p.s.back() < 'a') return false;
      p.marked = true;
      p.s.push_back(static_cast<char>(ch));
      p.tone.push_back(0);
    } else if (ch == ' ' || ch == '\'' || ch == '-' || ch == 0x2019) {
      p.s.push_back(' ');
      p.tone.push_back(0);
    } else if (ch == 0x304 || ch == 0x301 || ch == 0x30C || ch == 0x300) {
      if (p.s.empty() || p.s.back() < 'a') return false;
      p.tone.back() = ch == 0x304 ? 1 : ch == 0x301 ? 2 : ch == 0x30C ? 3 : 4;
      p.marked = true;
    } else {
      bool found = false;
      for (const marked_vowel& v : kVowels) {
        if (v.cp == ch) {
          p.s.push_back(v.base);
          p.tone.push_back(v.tone);
          if (v.tone != 0) p.marked = true;
          found = true;
          break;
        }
      }
      if (!found) return false;
    }
  }
  return true;
}

// Matches the annotation against the readings of chars[ci..], one syllable
// per character, from position pos of the annotation.
class matcher {
 public:
  matcher(const char_readings* chars, std::size_t n) : chars_(chars), n_(n) {}

  bool pinyin(const pinyin_text& p, std::size_t ci, std::size_t pos) const {
    const readings_table& t = readings_table::get();
    while (pos < p.s.size() && p.s[pos] == ' ') ++pos;
    if (ci == n_) return pos == p.s.size();
    for (const pinyin_reading* it = chars_[ci].pinyin_begin(); it != chars_[ci].pinyin_end();
         ++it) {
      const pinyin_reading& r = *it;
      const std::string& b = t.pinyin(r.syllable);
      if (p.s.compare(pos, b.size(), b) != 0) continue;
      std::size_t end = pos + b.size();
      // A following letter would make the syllable longer (xian is not xi an
      // unless written with a separator, but both spellings are tried).
      std::uint8_t mark = 0;
      for (std::size_t k = pos; k < end; ++k)
        if (p.tone[k] != 0) mark = p.tone[k];
      if (end < p.s.size() && p.s[end] >= '0' && p.s[end] <= '5') {
        mark = p.s[end] == '0' || p.s[end] == '5' ? 5 : static_cast<std::uint8_t>(p.s[end] - '0');
        ++end;
      }
      // An unmarked syllable among marked ones has the neutral tone, which
      // Unihan seldom lists; the neutral tone is accepted for any reading.
      if (mark != 0 && mark != 5 && r.tone != 5 && mark != r.tone) continue;
      if (pinyin(p, ci + 1, end)) return true;
    }
    return false;
  }

  bool zhuyin(std::string_view z, std::size_t ci, std::size_t pos) const {
    const readings_table& t = readings_table::get();
    while (pos < z.size() && z[pos] == ' ') ++pos;
    if (ci == n_) return pos == z.size();
    bool neutral = false;
    if (z.compare(pos, 2, "\xCB\x99") == 0) {  // ˙ precedes a neutral syllable
      neutral = true;
      pos += 2;
    }
    for (const pinyin_reading* it = chars_[ci].pinyin_begin(); it != chars_[ci].pinyin_end();
         ++it) {
      const pinyin_reading& r = *it;
      const std::string& b = t.zhuyin(r.syllable);
      if (b.empty() || z.compare(pos, b.size(), b) != 0) continue;
      std::size_t end = pos + b.size();
      std::uint8_t mark = neutral ? 5 : 1;  // the first tone is left unmarked
      if (!neutral) {
        static constexpr std::pair<const char*, std::uint8_t> kMarks[] = {
            {"\xCB\x89", 1}, {"\xCB\x8A", 2}, {"\xCB\x87", 3}, {"\xCB\x8B", 4}};
        for (const auto& [m, tone] : kMarks) {
          if (z.compare(end, 2, m) == 0) {
            mark = tone;
            end += 2;
            break;
          }
        }
      }
      if (mark != 5 && r.tone != 5 && mark != r.tone) continue;
      if (zhuyin(z, ci + 1, end)) return true;
    }
    return false;
  }

  bool kana(std::u32string_view k, std::size_t ci, std::size_t pos) const {
    while (pos < k.size() && (k[pos] == ' ' || k[pos] == 0x30FB)) ++pos;
    if (ci == n_) return pos == k.size();
    const bool last = ci + 1 == n_;
    for (const kana_view* it = chars_[ci].kana_begin(); it != chars_[ci].kana_end(); ++it) {
      const kana_view& r = *it;
      // The first kana may be voiced (rendaku), the last may be a small tsu
      // before the next character (sokuon), and a kun reading may be written
      // without its okurigana (a prefix).
      if (pos >= k.size() || unvoiced(k[pos]) != unvoiced(r[0])) continue;
      std::size_t n = 1;
      while (n < r.size() && pos + n < k.size() && k[pos + n] == r[n]) ++n;
      for (std::size_t len = n; len >= 1; --len) {
        if (kana(k, ci + 1, pos + len)) return true;
        if (!last && len < r.size() && pos + len < k.size() && k[pos + len] == 0x3063 &&
            kana(k, ci + 1, pos + len + 1))
          return true;
      }
    }
    return false;
  }

 private:
  static char32_t unvoiced(char32_t c) {
    // が..ぢ, づ..ど: voiced kana follow their plain ones; は行 has three forms.
    if (c >= 0x304B && c <= 0x3062) return ((c - 0x304B) % 2 == 1) ? c - 1 : c;
    if (c >= 0x3064 && c <= 0x3069) return ((c - 0x3064) % 2 == 1) ? c - 1 : c;
    if (c >= 0x306F && c <= 0x307D) return c - (c - 0x306F) % 3;
    if (c == 0x3094) return 0x3046;
    return c;
  }

  const char_readings* chars_;
  std::size_t n_;
};

char32_t decode_before(std::string_view text, std::size_t& at) {
  std::size_t b = at;
  while (b > 0 && (static_cast<unsigned char>(text[b - 1]) & 0xC0) == 0x80 && at - b < 3) --b;
  if (b == 0) return utf8::kInvalid;
  --b;
  std::size_t i = b;
  const char32_t c = utf8::next(text, i);
  if (i != at) return utf8::kInvalid;
  at = b;
  return c;
}

}  // namespace

bool is_han(char32_t c) noexcept {
  return (c >= 0x4E00 && c <= 0x9FFF) || (c >= 0x3400 && c <= 0x4DBF) ||
         (c >= 0x20000 && c <= 0x323AF) || (c >= 0xF900 && c <= 0xFAFF) || c == 0x3007;
}

std::size_t reading_end(std::string_view text, std::size_t open) {
  // The Han characters before the parenthesis, nearest last (checked first:
  // most parentheses follow something else).
  thread_local std::u32string han;
  han.clear();
  for (std::size_t at = open; han.size() < kMaxChars;) {
    const char32_t c = decode_before(text, at);
    if (c == utf8::kInvalid || !is_han(c)) break;
    han.insert(han.begin(), c);
  }
  if (han.empty()) return 0;

  std::size_t ci;
  if (text[open] == '(') {
    ci = open + 1;
  } else if (text.compare(open, 3, "\xEF\xBC\x88") == 0) {
    ci = open + 3;
  } else {
    return 0;
  }
  // The content runs to the first closing parenthesis; a nested one means
  // this is not an annotation.
  std::size_t close = ci, after = 0;
  while (close < text.size() && close - ci <= kMaxContent) {
    const char b = text[close];
    if (b == ')') {
      after = close + 1;
      break;
    }
    if (text.compare(close, 3, "\xEF\xBC\x89") == 0) {
      after = close + 3;
      break;
    }
    if (b == '(' || text.compare(close, 3, "\xEF\xBC\x88") == 0 || b == '\n') return 0;
    ++close;
  }
  if (after == 0 || close == ci) return 0;
  // Cheap rejections before anything is decoded: a reading starts with a
  // letter, a tone-marked vowel (Latin-1 to Latin Extended-B, ḿ), kana,
  // zhuyin or the neutral-tone dot; a word with capitals and no tone mark
  // or digit (English, PID) is no reading.
  const auto first = static_cast<unsigned char>(text[ci]);
  const bool letter = (first | 0x20) >= 'a' && (first | 0x20) <= 'z';
  if (!letter && !(first >= 0xC3 && first <= 0xC9) && first != 0xCB && first != 0xE1 &&
      first != 0xE3)
    return 0;
  if (letter) {
    bool upper = false, marked = false;
    for (std::size_t i = ci; i < close; ++i) {
      const auto b = static_cast<unsigned char>(text[i]);
      upper = upper || (b >= 'A' && b <= 'Z');
      marked = marked || b >= 0x80 || (b >= '0' && b <= '5');
    }
    if (upper && !marked) return 0;
  }
  // Reused buffers: no allocation once a thread has seen a long annotation.
  thread_local std::u32string content;
  thread_local pinyin_text p;
  content.clear();
  p.s.clear();
  p.tone.clear();
  p.marked = p.upper = false;
  for (std::size_t i = ci; i < close;) {
    const char32_t c = utf8::next(text.substr(0, close), i);
    if (c == utf8::kInvalid) return 0;
    content.push_back(c);
  }
  enum class kind { pinyin, zhuyin, kana } k = kind::pinyin;
  if (is_kana(content[0]) || content[0] == 0x30FC) {
    k = kind::kana;
    for (char32_t& c : content) {
      if (c >= 0x30A1 && c <= 0x30F6) c -= 0x60;  // katakana as hiragana
      if (!(is_kana(c) || c == ' ' || c == 0x30FB)) return 0;
    }
  } else if ((content[0] >= 0x3105 && content[0] <= 0x312F) || content[0] == 0x2D9) {
    k = kind::zhuyin;
    for (char32_t c : content)
      if (!((c >= 0x3105 && c <= 0x312F) || c == 0x2CA || c == 0x2C7 || c == 0x2CB || c == 0x2D9 ||
            c == 0x2C9 || c == ' '))
        return 0;
  }
  if (k == kind::pinyin) {
    if (!parse_pinyin(content, p)) return 0;
    // Capitals only in clearly marked pinyin: 中国(China) is a word.
    if (p.upper && !p.marked) return 0;
  }

  const readings_table& t = readings_table::get();
  // Try the shortest run of characters first: 對於(yu) covers 於 only.
  // Filled from the back: chars[kMaxChars - n] is the first of the n nearest.
  std::array<char_readings, kMaxChars> chars;
  for (std::size_t n = 1; n <= han.size(); ++n) {
    if (!t.find(han[han.size() - n], chars[kMaxChars - n])) break;
    const matcher m(chars.data() + (kMaxChars - n), n);
    bool ok = false;
    if (k == kind::pinyin) {
      ok = m.pinyin(p, 0, 0);
    } else if (k == kind::zhuyin) {
      ok = m.zhuyin(text.substr(ci, close - ci), 0, 0);
    } else {
      ok = m.kana(content, 0, 0);
    }
    if (ok) {
      // Converters that write toneless pinyin put a space after it; it goes
      // with the annotation when CJK text follows.
      if (k == kind::pinyin && !p.marked && after < text.size() && text[after] == ' ') {
        std::size_t i = after + 1;
        if (i < text.size() && is_cjk_text(utf8::next(text, i))) ++after;
      }
      return after;
    }
  }
  return 0;
}

std::vector<edit> reading_edits(std::string_view text) {
  // Every text passes here before repair: the two openers are found with
  // memchr-speed searches, and only those after a Han character are read.
  std::vector<edit> out;
  std::size_t ascii = text.find('('), full = text.find("\xEF\xBC\x88");
  while (ascii != std::string_view::npos || full != std::string_view::npos) {
    const std::size_t i = std::min(ascii, full);
    const std::size_t end = i >= 3 ? reading_end(text, i) : 0;
    std::size_t next = i + 1;
    if (end != 0) {
      out.push_back({i, end, std::string(), "remove reading"});
      next = end;
    }
    if (ascii != std::string_view::npos && ascii < next) ascii = text.find('(', next);
    if (full != std::string_view::npos && full < next) full = text.find("\xEF\xBC\x88", next);
  }
  return out;
}

}  // namespace mojifix::detail
