// Decoders and encoders behind codec.hpp. The Unicode encodings are
// algorithmic; every other encoding is table-driven (codec_tables.cpp builds
// the tables from ICU at first use). Error handling per decode_mode follows
// the decoder it imitates:
//   strict  stop at the first invalid or unmapped sequence
//   whatwg  WHATWG Encoding Standard: U+FFFD per error; an ASCII byte after a
//           lead byte is not consumed but read again. The WHATWG indexes for
//           the encodings that are a WHATWG decoder (override_tables.hpp)
//   python  CPython errors="replace": U+FFFD, resynchronise one byte after
//           the start of the bad sequence; a sequence cut by the end of the
//           input becomes one U+FFFD. Uses CPython's own tables
//           (python_tables.hpp) and its EUC-KR make-up sequences
//   naive   double-byte: a byte >= 0x80 that is not a character by itself
//           (halfwidth katakana are) starts a pair; a bad pair is '?' and
//           swallows its second byte; single-byte: like whatwg
//   sloppy  single-byte: an undefined byte is U+0080-U+00FF of the same
//           value; otherwise like whatwg

#include "codec/codec.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstring>

#include "codec/codec_tables.hpp"
#include "codec/utf8.hpp"

namespace mojifix::detail {
namespace {

using codec::kLead;
using codec::kNone;
using codec::kSeqFlag;

constexpr char32_t kReplacement = 0xFFFD;

constexpr std::array<std::string_view, kEncodingCount> kNames = {
    "utf-8",
    "cesu-8",
    "utf-16le",
    "utf-16be",
    "gb18030",
    "gbk",
    "gb2312",
    "big5",
    "big5-hkscs",
    "cp950",
    "shift_jis",
    "cp932",
    "euc-jp",
    "euc-kr",
    "cp949",
    "windows-1250",
    "windows-1251",
    "windows-1252",
    "windows-1253",
    "windows-1254",
    "windows-1255",
    "windows-1256",
    "windows-1257",
    "windows-1258",
    "iso-8859-1",
    "iso-8859-2",
    "iso-8859-5",
    "iso-8859-7",
    "iso-8859-15",
    "koi8-r",
    "mac-roman",
    "cp437",
    "cp850",
    "cp866",
    "iso-8859-3",
    "iso-8859-4",
    "iso-8859-10",
    "iso-8859-13",
    "iso-8859-14",
    "iso-8859-16",
    "georgian-academy",
    "georgian-ps",
};

// Aliases, compared after lower-casing and dropping everything but letters
// and digits ("Shift-JIS", "shift_jis" and "SHIFTJIS" are one name). Labels
// follow the WHATWG Encoding Standard where it has them, except that labels
// naming a narrower standard keep it (gb2312, euc-kr, big5-hkscs).
struct alias {
  std::string_view key;
  encoding e;
};
constexpr alias kAliases[] = {
    {"utf8", encoding::utf8},
    {"unicode11utf8", encoding::utf8},
    {"unicode20utf8", encoding::utf8},
    {"xunicode20utf8", encoding::utf8},
    {"utf8mb4", encoding::utf8},
    {"utf8mb3", encoding::utf8},
    {"cesu8", encoding::cesu8},
    {"utf16le", encoding::utf16le},
    {"utf16", encoding::utf16le},
    {"unicode", encoding::utf16le},
    {"ucs2", encoding::utf16le},
    {"csunicode", encoding::utf16le},
    {"iso10646ucs2", encoding::utf16le},
    {"unicodefeff", encoding::utf16le},
    {"utf16be", encoding::utf16be},
    {"unicodefffe", encoding::utf16be},
    {"gb18030", encoding::gb18030},
    {"gbk", encoding::gbk},
    {"cp936", encoding::gbk},
    {"ms936", encoding::gbk},
    {"windows936", encoding::gbk},
    {"xgbk", encoding::gbk},
    {"gb2312", encoding::gb2312},
    {"euccn", encoding::gb2312},
    {"xeuccn", encoding::gb2312},
    {"csgb2312", encoding::gb2312},
    {"gb231280", encoding::gb2312},
    {"chinese", encoding::gb2312},
    {"isoir58", encoding::gb2312},
    {"csiso58gb231280", encoding::gb2312},
    {"cp20936", encoding::gb2312},
    {"big5", encoding::big5},
    {"csbig5", encoding::big5},
    {"cnbig5", encoding::big5},
    {"xxbig5", encoding::big5},
    {"big5tw", encoding::big5},
    {"big5hkscs", encoding::big5_hkscs},
    {"hkscs", encoding::big5_hkscs},
    {"cp950", encoding::cp950},
    {"ms950", encoding::cp950},
    {"windows950", encoding::cp950},
    {"xwindows950", encoding::cp950},
    {"shiftjis", encoding::shift_jis},
    {"sjis", encoding::shift_jis},
    {"csshiftjis", encoding::shift_jis},
    {"xsjis", encoding::shift_jis},
    {"mskanji", encoding::shift_jis},
    {"cp932", encoding::cp932},
    {"ms932", encoding::cp932},
    {"windows31j", encoding::cp932},
    {"windows932", encoding::cp932},
    {"csWindows31J", encoding::cp932},
    {"xmscp932", encoding::cp932},
    {"mscp932", encoding::cp932},
    {"eucjp", encoding::euc_jp},
    {"xeucjp", encoding::euc_jp},
    {"ujis", encoding::euc_jp},
    {"cseucpkdfmtjapanese", encoding::euc_jp},
    {"euckr", encoding::euc_kr},
    {"cseuckr", encoding::euc_kr},
    {"ksc5601", encoding::euc_kr},
    {"ksc56011987", encoding::euc_kr},
    {"ksx1001", encoding::euc_kr},
    {"isoir149", encoding::euc_kr},
    {"csksc56011987", encoding::euc_kr},
    {"korean", encoding::euc_kr},
    {"cp949", encoding::cp949},
    {"uhc", encoding::cp949},
    {"ms949", encoding::cp949},
    {"windows949", encoding::cp949},
    {"xwindows949", encoding::cp949},
    {"windows1250", encoding::windows_1250},
    {"cp1250", encoding::windows_1250},
    {"xcp1250", encoding::windows_1250},
    {"windows1251", encoding::windows_1251},
    {"cp1251", encoding::windows_1251},
    {"xcp1251", encoding::windows_1251},
    {"windows1252", encoding::windows_1252},
    {"cp1252", encoding::windows_1252},
    {"xcp1252", encoding::windows_1252},
    {"ascii", encoding::windows_1252},
    {"usascii", encoding::windows_1252},
    {"ansix341968", encoding::windows_1252},
    {"windows1253", encoding::windows_1253},
    {"cp1253", encoding::windows_1253},
    {"xcp1253", encoding::windows_1253},
    {"windows1254", encoding::windows_1254},
    {"cp1254", encoding::windows_1254},
    {"xcp1254", encoding::windows_1254},
    {"windows1255", encoding::windows_1255},
    {"cp1255", encoding::windows_1255},
    {"xcp1255", encoding::windows_1255},
    {"windows1256", encoding::windows_1256},
    {"cp1256", encoding::windows_1256},
    {"xcp1256", encoding::windows_1256},
    {"windows1257", encoding::windows_1257},
    {"cp1257", encoding::windows_1257},
    {"xcp1257", encoding::windows_1257},
    {"windows1258", encoding::windows_1258},
    {"cp1258", encoding::windows_1258},
    {"xcp1258", encoding::windows_1258},
    {"iso88591", encoding::iso_8859_1},
    {"latin1", encoding::iso_8859_1},
    {"l1", encoding::iso_8859_1},
    {"cp819", encoding::iso_8859_1},
    {"ibm819", encoding::iso_8859_1},
    {"isoir100", encoding::iso_8859_1},
    {"csisolatin1", encoding::iso_8859_1},
    {"iso885911987", encoding::iso_8859_1},
    {"iso88592", encoding::iso_8859_2},
    {"latin2", encoding::iso_8859_2},
    {"l2", encoding::iso_8859_2},
    {"csisolatin2", encoding::iso_8859_2},
    {"iso885921987", encoding::iso_8859_2},
    {"iso88595", encoding::iso_8859_5},
    {"cyrillic", encoding::iso_8859_5},
    {"csisolatincyrillic", encoding::iso_8859_5},
    {"iso885951988", encoding::iso_8859_5},
    {"iso88597", encoding::iso_8859_7},
    {"greek", encoding::iso_8859_7},
    {"greek8", encoding::iso_8859_7},
    {"elot928", encoding::iso_8859_7},
    {"csisolatingreek", encoding::iso_8859_7},
    {"iso885971987", encoding::iso_8859_7},
    {"iso885915", encoding::iso_8859_15},
    {"latin9", encoding::iso_8859_15},
    {"l9", encoding::iso_8859_15},
    {"csisolatin9", encoding::iso_8859_15},
    {"koi8r", encoding::koi8_r},
    {"koi8", encoding::koi8_r},
    {"cskoi8r", encoding::koi8_r},
    {"macroman", encoding::mac_roman},
    {"macintosh", encoding::mac_roman},
    {"mac", encoding::mac_roman},
    {"xmacroman", encoding::mac_roman},
    {"csmacintosh", encoding::mac_roman},
    {"cp437", encoding::cp437},
    {"ibm437", encoding::cp437},
    {"437", encoding::cp437},
    {"cspc8codepage437", encoding::cp437},
    {"cp850", encoding::cp850},
    {"ibm850", encoding::cp850},
    {"850", encoding::cp850},
    {"cspc850multilingual", encoding::cp850},
    {"cp866", encoding::cp866},
    {"ibm866", encoding::cp866},
    {"866", encoding::cp866},
    {"csibm866", encoding::cp866},
    {"iso88593", encoding::iso_8859_3},
    {"latin3", encoding::iso_8859_3},
    {"l3", encoding::iso_8859_3},
    {"csisolatin3", encoding::iso_8859_3},
    {"isoir109", encoding::iso_8859_3},
    {"iso88594", encoding::iso_8859_4},
    {"latin4", encoding::iso_8859_4},
    {"l4", encoding::iso_8859_4},
    {"csisolatin4", encoding::iso_8859_4},
    {"isoir110", encoding::iso_8859_4},
    {"iso885910", encoding::iso_8859_10},
    {"latin6", encoding::iso_8859_10},
    {"l6", encoding::iso_8859_10},
    {"csisolatin6", encoding::iso_8859_10},
    {"isoir157", encoding::iso_8859_10},
    {"iso885913", encoding::iso_8859_13},
    {"latin7", encoding::iso_8859_13},
    {"l7", encoding::iso_8859_13},
    {"iso885914", encoding::iso_8859_14},
    {"latin8", encoding::iso_8859_14},
    {"l8", encoding::iso_8859_14},
    {"isoceltic", encoding::iso_8859_14},
    {"isoir199", encoding::iso_8859_14},
    {"iso885916", encoding::iso_8859_16},
    {"latin10", encoding::iso_8859_16},
    {"l10", encoding::iso_8859_16},
    {"isoir226", encoding::iso_8859_16},
    {"georgianacademy", encoding::georgian_academy},
    {"georgianps", encoding::georgian_ps},
};

decode_result fail_at(decode_result r, std::size_t i) {
  r.ok = false;
  r.consumed = i;
  return r;
}

// ---------------------------------------------------------------- UTF-8

// One decoder for UTF-8 and CESU-8 with the WHATWG/Unicode "maximal
// subpart" replacement: a bad sequence is replaced by one U+FFFD per
// maximal prefix of a well-formed sequence, and the byte that broke it is
// read again. CESU-8 has no four-byte forms; it pairs two three-byte
// surrogates instead.
decode_result decode_utf8_like(std::string_view s, decode_mode mode, std::string& out, bool cesu) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  decode_result r;
  std::size_t i = 0;
  char32_t pending_high = 0;  // CESU-8: a decoded high surrogate
  std::size_t pending_at = 0;
  auto error = [&](std::size_t at) -> bool {
    if (mode == decode_mode::strict) return false;
    (void)at;
    ++r.errors;
    utf8::append(out, kReplacement);
    return true;
  };
  while (i < n) {
    const unsigned char b0 = p[i];
    if (b0 < 0x80 && pending_high == 0) {
      // ASCII run.
      std::size_t j = i + 1;
      while (j < n && p[j] < 0x80) ++j;
      out.append(s.data() + i, j - i);
      i = j;
      continue;
    }
    std::size_t need = 0;
    unsigned char lo = 0x80, hi = 0xBF;
    char32_t cp = 0;
    if (b0 < 0x80) {
      need = 0;
      cp = b0;
    } else if (b0 >= 0xC2 && b0 <= 0xDF) {
      need = 1;
      cp = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
      need = 2;
      cp = b0 & 0x0F;
      if (b0 == 0xE0) lo = 0xA0;
      if (b0 == 0xED && !cesu) hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4 && !cesu) {
      need = 3;
      cp = b0 & 0x07;
      if (b0 == 0xF0) lo = 0x90;
      if (b0 == 0xF4) hi = 0x8F;
    } else {
      need = static_cast<std::size_t>(-1);
    }
    std::size_t len = 1;
    bool bad = need == static_cast<std::size_t>(-1);
    if (!bad) {
      for (std::size_t k = 0; k < need; ++k) {
        if (i + len >= n) {
          bad = true;
          break;
        }
        const unsigned char b = p[i + len];
        if (b < lo || b > hi) {
          bad = true;
          break;
        }
        lo = 0x80;
        hi = 0xBF;
        cp = (cp << 6) | (b & 0x3F);
        ++len;
      }
    }
    // CESU-8 surrogate pairing: a high surrogate waits for a low one.
    if (pending_high != 0) {
      if (!bad && cp >= 0xDC00 && cp <= 0xDFFF) {
        utf8::append(out, 0x10000 + ((pending_high - 0xD800) << 10) + (cp - 0xDC00));
        pending_high = 0;
        i += len;
        continue;
      }
      pending_high = 0;
      if (!error(pending_at)) return fail_at(r, pending_at);
      continue;  // read this sequence again on its own
    }
    if (bad) {
      if (!error(i)) return fail_at(r, i);
      i += len;
      continue;
    }
    if (cesu && cp >= 0xD800 && cp <= 0xDFFF) {
      if (cp <= 0xDBFF) {
        pending_high = cp;
        pending_at = i;
        i += len;
        continue;
      }
      if (!error(i)) return fail_at(r, i);
      i += len;
      continue;
    }
    out.append(s.data() + i, len);
    i += len;
  }
  if (pending_high != 0) {
    if (!error(pending_at)) return fail_at(r, pending_at);
  }
  r.consumed = n;
  return r;
}

// --------------------------------------------------------------- UTF-16

decode_result decode_utf16(std::string_view s, decode_mode mode, std::string& out, bool big) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  decode_result r;
  auto unit = [&](std::size_t i) -> char32_t {
    return big ? (char32_t{p[i]} << 8) | p[i + 1] : (char32_t{p[i + 1]} << 8) | p[i];
  };
  std::size_t i = 0;
  while (i + 1 < n) {
    const char32_t u = unit(i);
    if (u < 0xD800 || u > 0xDFFF) {
      utf8::append(out, u);
      i += 2;
      continue;
    }
    if (u <= 0xDBFF && i + 3 < n) {
      const char32_t v = unit(i + 2);
      if (v >= 0xDC00 && v <= 0xDFFF) {
        utf8::append(out, 0x10000 + ((u - 0xD800) << 10) + (v - 0xDC00));
        i += 4;
        continue;
      }
    }
    if (mode == decode_mode::strict) return fail_at(r, i);
    ++r.errors;
    utf8::append(out, kReplacement);
    i += 2;
  }
  if (i < n) {  // odd trailing byte
    if (mode == decode_mode::strict) return fail_at(r, i);
    ++r.errors;
    utf8::append(out, kReplacement);
  }
  r.consumed = n;
  return r;
}

// ---------------------------------------------------------- table-driven

// Writes the UTF-8 form of scalar value c at w; returns the new end.
inline char* put(char* w, char32_t c) noexcept {
  if (c < 0x80) {
    *w++ = static_cast<char>(c);
  } else if (c < 0x800) {
    *w++ = static_cast<char>(0xC0 | (c >> 6));
    *w++ = static_cast<char>(0x80 | (c & 0x3F));
  } else if (c < 0x10000) {
    *w++ = static_cast<char>(0xE0 | (c >> 12));
    *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (c & 0x3F));
  } else {
    *w++ = static_cast<char>(0xF0 | (c >> 18));
    *w++ = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
    *w++ = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    *w++ = static_cast<char>(0x80 | (c & 0x3F));
  }
  return w;
}

constexpr bool in(unsigned b, unsigned lo, unsigned hi) noexcept { return b >= lo && b <= hi; }

// CPython's euc_kr reads KS X 1001:1998 Annex 3 make-up sequences: the
// filler A4 D4, then initial, medial and final jamo (each A4 xx; final A4 D4
// for none) -> one precomposed syllable. Indexed by xx - 0xA1; -1 = none.
constexpr signed char kChoseong[30] = {0,  1, -1, 2, -1, -1, 3,  4,  5,  -1, -1, -1, -1, -1, -1,
                                       -1, 6, 7,  8, -1, 9,  10, 11, 12, 13, 14, 15, 16, 17, 18};
constexpr signed char kJongseong[30] = {1,  2,  3,  4,  5,  6,  7,  -1, 8,  9,  10, 11, 12, 13, 14,
                                        15, 16, 17, -1, 18, 19, 20, 21, 22, -1, 23, 24, 25, 26, 27};

// The syllable of the eight bytes at p (which start A4 D4), or kNone.
char32_t euc_kr_makeup(const unsigned char* p) noexcept {
  if (p[2] != 0xA4 || p[4] != 0xA4 || p[6] != 0xA4) return kNone;
  const int cho = in(p[3], 0xA1, 0xBE) ? kChoseong[p[3] - 0xA1] : -1;
  const int jung = in(p[5], 0xBF, 0xD3) ? p[5] - 0xBF : -1;
  const int jong = p[7] == 0xD4 ? 0 : in(p[7], 0xA1, 0xBE) ? kJongseong[p[7] - 0xA1] : -1;
  if (cho < 0 || jung < 0 || jong < 0) return kNone;
  return 0xAC00 + static_cast<char32_t>(cho * 588 + jung * 28 + jong);
}

decode_result decode_table(const codec::table& t, std::string_view s, decode_mode mode,
                           std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  decode_result r;
  const int family = mode == decode_mode::strict   ? codec::kStrictSingles
                     : mode == decode_mode::python ? codec::kPythonSingles
                                                   : codec::kWhatwgSingles;
  const auto& single = t.single[family];
  const bool sloppy_single = mode == decode_mode::sloppy && t.kind == codec::shape::single;
  const bool four = t.kind == codec::shape::gb18030 &&
                    (!t.four_in_whatwg_only || family == codec::kWhatwgSingles);
  const bool euc_jp = t.kind == codec::shape::euc_jp;
  // WHATWG and CPython read 0x8E only before halfwidth katakana A1-DF.
  const bool euc_jp_kana_only = euc_jp && family != codec::kStrictSingles;
  const bool py = family == codec::kPythonSingles;
  const bool py_euc_kr = py && t.enc == encoding::euc_kr;
  const bool ww = family == codec::kWhatwgSingles && !t.ww_pairs.empty();
  const char32_t* pairs = py ? t.py_pairs.data() : ww ? t.ww_pairs.data() : t.pairs.data();
  const char32_t* triples = py ? t.py_triples.data() : ww ? t.ww_triples.data() : t.triples.data();

  // Every input byte gives at most three output bytes (a pair at most six).
  const std::size_t base = out.size();
  out.resize(base + 3 * n + 8);
  char* const w0 = out.data() + base;
  char* w = w0;
  auto finish = [&](std::size_t consumed) {
    out.resize(base + static_cast<std::size_t>(w - w0));
    r.consumed = consumed;
    return r;
  };

  std::size_t i = 0;
  while (i < n) {
    // ASCII, eight bytes at a time.
    while (i + 8 <= n) {
      std::uint64_t x;
      std::memcpy(&x, p + i, 8);
      if (x & 0x8080808080808080ull) break;
      std::memcpy(w, &x, 8);
      w += 8;
      i += 8;
    }
    if (i == n) break;
    const unsigned b = p[i];
    if (b < 0x80) {
      *w++ = static_cast<char>(b);
      ++i;
      continue;
    }
    const char32_t c = single[b];
    if (c < kSeqFlag) {
      w = put(w, c);
      ++i;
      continue;
    }
    const std::size_t rem = n - i;
    char32_t v = kNone;
    std::size_t len = 0;
    std::size_t whatwg_skip = 1;  // bytes a WHATWG decoder consumes on error
    std::size_t need = 1;         // bytes a CPython decoder needs to decide
    if (c == kLead) {
      need = 2;
      whatwg_skip = rem;  // cut by the end of input: one error for the rest
      if (rem >= 2) {
        const unsigned b1 = p[i + 1];
        if (four && in(b1, 0x30, 0x39)) {
          need = 4;
          if (rem >= 3 && !in(p[i + 2], 0x81, 0xFE)) {
            whatwg_skip = 1;
          } else if (rem >= 4) {
            if (!in(p[i + 3], 0x30, 0x39)) {
              whatwg_skip = 1;
            } else {
              whatwg_skip = len = 4;
              const std::uint32_t idx = codec::gb_four_index(b, b1, p[i + 2], p[i + 3]);
              if (idx < codec::kGbFourBmpCount) {
                if (t.four[idx] != 0) v = t.four[idx];
              } else if (idx >= codec::kGbFourAstralBase &&
                         idx < codec::kGbFourAstralBase + 0x100000) {
                v = 0x10000 + (idx - codec::kGbFourAstralBase);
              }
            }
          }
        } else if (euc_jp && b == 0x8F) {
          need = 3;
          if (!in(b1, 0xA1, 0xFE)) {
            whatwg_skip = b1 < 0x80 ? 1 : 2;
          } else if (rem >= 3) {
            const unsigned b2 = p[i + 2];
            if (in(b2, 0xA1, 0xFE)) {
              whatwg_skip = len = 3;
              v = triples[(b1 - 0xA1) * 94 + (b2 - 0xA1)];
            } else {
              whatwg_skip = b2 < 0x80 ? 2 : 3;
            }
          }
        } else if (py_euc_kr && b == 0xA4 && b1 == 0xD4) {
          need = 8;
          if (rem >= 8) {
            v = euc_kr_makeup(p + i);
            len = 8;
          }
        } else {
          len = 2;
          whatwg_skip = b1 < 0x80 ? 1 : 2;
          v = pairs[((b - 0x80) << 8) | b1];
          if (euc_jp_kana_only && b == 0x8E && !in(b1, 0xA1, 0xDF)) v = kNone;
        }
      }
      if (v < kSeqFlag) {
        w = put(w, v);
        i += len;
        continue;
      }
      if (v != kNone) {
        for (char32_t x : t.seqs[v & ~kSeqFlag]) w = put(w, x);
        i += len;
        continue;
      }
    } else if (sloppy_single) {
      w = put(w, b);
      ++i;
      continue;
    }
    // Error at i.
    switch (mode) {
      case decode_mode::strict:
        r.ok = false;
        return finish(i);
      case decode_mode::python:
        w = put(w, kReplacement);
        i = rem < need ? n : i + 1;
        break;
      case decode_mode::naive:
        if (t.kind == codec::shape::single) {
          w = put(w, kReplacement);
          ++i;
        } else {
          *w++ = '?';
          i += rem >= 2 ? 2 : 1;
        }
        break;
      case decode_mode::whatwg:
      case decode_mode::sloppy:
        w = put(w, kReplacement);
        i += whatwg_skip;
        break;
    }
    ++r.errors;
  }
  return finish(n);
}

int decode_one_table(const codec::table& t, const unsigned char* p, std::size_t n,
                     char32_t& cp) noexcept {
  if (n == 0) return 0;
  const unsigned b = p[0];
  const char32_t c = t.single[codec::kStrictSingles][b];
  if (c < kSeqFlag) {
    cp = c;
    return 1;
  }
  if (c != kLead || n < 2) return 0;
  const unsigned b1 = p[1];
  char32_t v = kNone;
  int len = 2;
  if (t.kind == codec::shape::gb18030 && !t.four_in_whatwg_only && in(b1, 0x30, 0x39)) {
    if (n < 4 || !in(p[2], 0x81, 0xFE) || !in(p[3], 0x30, 0x39)) return 0;
    len = 4;
    const std::uint32_t idx = codec::gb_four_index(b, b1, p[2], p[3]);
    if (idx < codec::kGbFourBmpCount) {
      if (t.four[idx] != 0) v = t.four[idx];
    } else if (idx >= codec::kGbFourAstralBase && idx < codec::kGbFourAstralBase + 0x100000) {
      v = 0x10000 + (idx - codec::kGbFourAstralBase);
    }
  } else if (t.kind == codec::shape::euc_jp && b == 0x8F) {
    if (n < 3 || !in(b1, 0xA1, 0xFE) || !in(p[2], 0xA1, 0xFE)) return 0;
    len = 3;
    v = t.triples[(b1 - 0xA1) * 94 + (p[2] - 0xA1)];
  } else {
    v = t.pairs[((b - 0x80) << 8) | b1];
  }
  if (v >= kSeqFlag) return 0;
  cp = v;
  return len;
}

// Cached table pointers for the hot encode path.
const codec::table& table_of(encoding e) { return codec::get_table(e); }

int encode_table(const codec::table& t, char32_t cp, std::uint8_t out[4]) noexcept {
  std::uint32_t entry = 0;
  if (cp < 0x10000) {
    entry = t.bmp_entry(cp);
  } else if (cp <= 0x10FFFF) {
    if (t.kind == codec::shape::gb18030 && t.enc == encoding::gb18030) {
      std::uint32_t idx = codec::kGbFourAstralBase + (cp - 0x10000);
      out[3] = static_cast<std::uint8_t>(0x30 + idx % 10);
      idx /= 10;
      out[2] = static_cast<std::uint8_t>(0x81 + idx % 126);
      idx /= 126;
      out[1] = static_cast<std::uint8_t>(0x30 + idx % 10);
      out[0] = static_cast<std::uint8_t>(0x81 + idx / 10);
      return 4;
    }
    auto it = std::lower_bound(t.astral.begin(), t.astral.end(), cp,
                               [](const auto& a, char32_t c) { return a.first < c; });
    if (it != t.astral.end() && it->first == cp) entry = it->second;
  }
  const int len = static_cast<int>(entry & 0xFF);
  if (len == 4) {
    std::uint32_t idx = entry >> 8;
    out[3] = static_cast<std::uint8_t>(0x30 + idx % 10);
    idx /= 10;
    out[2] = static_cast<std::uint8_t>(0x81 + idx % 126);
    idx /= 126;
    out[1] = static_cast<std::uint8_t>(0x30 + idx % 10);
    out[0] = static_cast<std::uint8_t>(0x81 + idx / 10);
    return 4;
  }
  for (int k = 0; k < len; ++k) out[k] = static_cast<std::uint8_t>(entry >> (8 * (k + 1)));
  return len;
}

}  // namespace

std::string_view name(encoding e) noexcept {
  const auto i = static_cast<std::size_t>(e);
  return i < kNames.size() ? kNames[i] : std::string_view{};
}

std::optional<encoding> encoding_from_name(std::string_view n) noexcept {
  char key[48];
  std::size_t k = 0;
  for (char ch : n) {
    const auto u = static_cast<unsigned char>(ch);
    if (!std::isalnum(u)) continue;
    if (k == sizeof key) return std::nullopt;
    key[k++] = static_cast<char>(std::tolower(u));
  }
  const std::string_view kv(key, k);
  for (const auto& a : kAliases) {
    if (a.key.size() != kv.size()) continue;
    bool same = true;
    for (std::size_t j = 0; j < kv.size() && same; ++j)
      same = std::tolower(static_cast<unsigned char>(a.key[j])) == kv[j];
    if (same) return a.e;
  }
  return std::nullopt;
}

bool is_single_byte(encoding e) noexcept {
  return e >= encoding::windows_1250 && e < encoding::count_;
}

encoding whatwg_decoder(encoding label) noexcept {
  switch (label) {
    case encoding::gb2312:
      return encoding::gbk;
    case encoding::big5:
      return encoding::big5_hkscs;
    case encoding::euc_kr:
      return encoding::cp949;
    case encoding::shift_jis:
      return encoding::cp932;
    case encoding::iso_8859_1:
      return encoding::windows_1252;
    default:
      return label;
  }
}

decode_result decode(encoding e, std::string_view bytes, decode_mode mode, std::string& out) {
  switch (e) {
    case encoding::utf8:
      return decode_utf8_like(bytes, mode, out, false);
    case encoding::cesu8:
      return decode_utf8_like(bytes, mode, out, true);
    case encoding::utf16le:
      return decode_utf16(bytes, mode, out, false);
    case encoding::utf16be:
      return decode_utf16(bytes, mode, out, true);
    default:
      if (static_cast<int>(e) >= kEncodingCount) return fail_at({}, 0);
      return decode_table(table_of(e), bytes, mode, out);
  }
}

int decode_one(encoding e, const std::uint8_t* p, std::size_t n, char32_t& cp) noexcept {
  if (e == encoding::utf8 || e == encoding::cesu8 || e == encoding::utf16le ||
      e == encoding::utf16be)
    return 0;
  return decode_one_table(table_of(e), p, n, cp);
}

int encode_cp(encoding e, char32_t cp, std::uint8_t out[4]) noexcept {
  switch (e) {
    case encoding::utf8:
    case encoding::cesu8: {
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
      if (e == encoding::cesu8 && cp > 0xFFFF) return 0;  // six bytes; see encode()
      if (cp < 0x80) {
        out[0] = static_cast<std::uint8_t>(cp);
        return 1;
      }
      if (cp < 0x800) {
        out[0] = static_cast<std::uint8_t>(0xC0 | (cp >> 6));
        out[1] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
        return 2;
      }
      if (cp < 0x10000) {
        out[0] = static_cast<std::uint8_t>(0xE0 | (cp >> 12));
        out[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
        out[2] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
        return 3;
      }
      out[0] = static_cast<std::uint8_t>(0xF0 | (cp >> 18));
      out[1] = static_cast<std::uint8_t>(0x80 | ((cp >> 12) & 0x3F));
      out[2] = static_cast<std::uint8_t>(0x80 | ((cp >> 6) & 0x3F));
      out[3] = static_cast<std::uint8_t>(0x80 | (cp & 0x3F));
      return 4;
    }
    case encoding::utf16le:
    case encoding::utf16be: {
      if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
      const bool big = e == encoding::utf16be;
      auto put = [&](int at, char32_t u) {
        out[at + (big ? 0 : 1)] = static_cast<std::uint8_t>(u >> 8);
        out[at + (big ? 1 : 0)] = static_cast<std::uint8_t>(u & 0xFF);
      };
      if (cp < 0x10000) {
        put(0, cp);
        return 2;
      }
      put(0, 0xD800 + ((cp - 0x10000) >> 10));
      put(2, 0xDC00 + ((cp - 0x10000) & 0x3FF));
      return 4;
    }
    default:
      if (static_cast<int>(e) >= kEncodingCount) return 0;
      return encode_table(table_of(e), cp, out);
  }
}

bool encode(encoding e, std::string_view text, std::string& out) {
  if (static_cast<int>(e) >= kEncodingCount) return false;
  const codec::table* t = nullptr;
  if (e != encoding::utf8 && e != encoding::cesu8 && e != encoding::utf16le &&
      e != encoding::utf16be)
    t = &table_of(e);
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  // No code point takes more than twice its UTF-8 length (gb18030 four-byte
  // forms of U+0080-U+07FF, UTF-16 of ASCII); +8 leaves room for the word
  // copies below.
  const std::size_t base = out.size();
  out.resize(base + 2 * n + 8);
  char* const w0 = out.data() + base;
  char* w = w0;
  bool ok = true;
  std::size_t i = 0;
  std::uint8_t buf[4];
  while (i < n) {
    if (t != nullptr) {
      // Every table encoding writes ASCII as itself.
      while (i + 8 <= n) {
        std::uint64_t x;
        std::memcpy(&x, p + i, 8);
        if (x & 0x8080808080808080ull) break;
        std::memcpy(w, &x, 8);
        w += 8;
        i += 8;
      }
      if (i == n) break;
      if (p[i] < 0x80) {
        *w++ = static_cast<char>(p[i++]);
        continue;
      }
    }
    const char32_t cp = utf8::next(text, i);
    if (cp == utf8::kInvalid) {
      ok = false;
      break;
    }
    if (t != nullptr && cp < 0x10000) {
      const std::uint32_t entry = t->bmp_entry(cp);
      const unsigned len = entry & 0xFF;
      if (len != 0 && len < 4 && !(e == encoding::big5_hkscs && (cp == 0xCA || cp == 0xEA))) {
        w[0] = static_cast<char>(entry >> 8);
        w[1] = static_cast<char>(entry >> 16);
        w[2] = static_cast<char>(entry >> 24);
        w += len;
        continue;
      }
    }
    if (e == encoding::big5_hkscs && (cp == 0xCA || cp == 0xEA) && i < n) {
      // The four pairs that decode to a letter plus a combining mark.
      std::size_t j = i;
      const char32_t mark = utf8::next(text, j);
      if (mark == 0x304 || mark == 0x30C) {
        *w++ = static_cast<char>(0x88);
        *w++ = static_cast<char>(cp == 0xCA ? (mark == 0x304 ? 0x62 : 0x64)
                                            : (mark == 0x304 ? 0xA3 : 0xA5));
        i = j;
        continue;
      }
    }
    if (e == encoding::cesu8 && cp > 0xFFFF) {
      for (const char32_t u :
           {0xD800 + ((cp - 0x10000) >> 10), 0xDC00 + ((cp - 0x10000) & 0x3FF)}) {
        *w++ = static_cast<char>(0xE0 | (u >> 12));
        *w++ = static_cast<char>(0x80 | ((u >> 6) & 0x3F));
        *w++ = static_cast<char>(0x80 | (u & 0x3F));
      }
      continue;
    }
    const int len = t != nullptr ? encode_table(*t, cp, buf) : encode_cp(e, cp, buf);
    if (len == 0) {
      ok = false;
      break;
    }
    std::memcpy(w, buf, static_cast<std::size_t>(len));
    w += len;
  }
  out.resize(base + static_cast<std::size_t>(w - w0));
  return ok;
}

}  // namespace mojifix::detail
