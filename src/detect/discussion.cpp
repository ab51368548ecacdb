#include "detect/discussion.hpp"

#include <unicode/uchar.h>

#include <array>
#include <bitset>
#include <string>
#include <utility>

namespace mojifix::detail {
namespace {

// Lower-case; Latin entries match case-insensitively.
constexpr std::array<std::u32string_view, 43> kWords = {
    U"mojibake", U"ftfy",      U"utf-8",       U"utf8",   U"utf-16", U"latin-1",
    U"latin1",   U"iso-8859",  U"windows-125", U"cp125",  U"cp437",  U"cp850",
    U"cp866",    U"cp932",     U"cp936",       U"cp949",  U"cp950",  U"mac roman",
    U"macroman", U"shift_jis", U"shift-jis",   U"sjis",   U"euc-jp", U"euc-kr",
    U"gbk",      U"gb2312",    U"gb18030",     U"big5",   U"koi8",   U"encoding",
    U"encoded",  U"decoded",   U"charset",     U"乱码",   U"亂碼",   U"编码",
    U"編碼",     U"文字化け",  U"エンコード",  U"인코딩", U"깨짐",   U"кракозябр",
    U"кодировк"};

// Of kWords, the names of encodings are [kFirstName, kEndOfNames); the
// others name the phenomenon or the act of encoding, words of talk about it.
constexpr std::size_t kFirstName = 2, kEndOfNames = 29;
static_assert(kWords[kFirstName] == U"utf-8" && kWords[kEndOfNames - 1] == U"koi8");

char32_t fold(char32_t c) {
  if (c >= 'A' && c <= 'Z') return c + 32;
  if (c >= U'А' && c <= U'Я') return c + 32;
  return c;
}

}  // namespace

bool mentions_encodings(std::u32string_view line) noexcept {
  // Most characters start no keyword: a table of first characters keeps the
  // scan at one lookup per character.
  // (All first characters are in the BMP.)
  static const auto starts = [] {
    std::bitset<0x10000> first;
    for (std::u32string_view w : kWords) first.set(w[0]);
    return first;
  }();
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char32_t first = fold(line[i]);
    if (first > 0xFFFF || !starts[first]) continue;
    for (std::u32string_view w : kWords) {
      if (w[0] != first || i + w.size() > line.size()) continue;
      std::size_t k = 1;
      while (k < w.size() && fold(line[i + k]) == w[k]) ++k;
      if (k == w.size()) return true;
    }
  }
  return false;
}

bool names_encodings_only(std::u32string_view text) noexcept {
  auto letter = [](char32_t c) { return u_isalpha(static_cast<UChar32>(c)) != 0; };
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == ' ') {
      ++i;
      continue;
    }
    // Punctuation and symbols lay out a label or a table ("GBK: 鎴戞槸",
    // "| Latin-1 | Ã© |"), as talk about mojibake does.
    if (!letter(text[i])) return false;
    // A word starts here: it must be an encoding's name, with the digits,
    // hyphens and underscores glued to it ("windows-1252", "ISO-8859-15").
    std::size_t name_end = 0;
    for (std::size_t k = kFirstName; k < kEndOfNames && name_end == 0; ++k) {
      const std::u32string_view w = kWords[k];
      if (i + w.size() > text.size()) continue;
      std::size_t n = 0;
      while (n < w.size() && fold(text[i + n]) == w[n]) ++n;
      if (n == w.size()) name_end = i + n;
    }
    if (name_end == 0) return false;
    i = name_end;
    while (i < text.size() &&
           ((text[i] >= '0' && text[i] <= '9') || text[i] == '-' || text[i] == '_'))
      ++i;
  }
  return true;
}

}  // namespace mojifix::detail
