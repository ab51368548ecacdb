// detect_encoding: byte-order marks, NUL patterns, UTF-8 validity, then the
// candidate readings ranked by the model on a bounded sample, so the cost
// of a call stays small on large inputs (one validity pass plus a sample).

#include <uchardet.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstring>
#include <string>
#include <tuple>

#include "codec/utf8.hpp"
#include "ingest/sniff.hpp"
#include "model/scorer.hpp"
#include "mojifix/decode.hpp"

namespace mojifix {
namespace detail::ingest {
namespace {

// Bytes of non-ASCII stretches scored per call.
constexpr std::size_t kSampleBudget = 1024;
// Stage one scores the candidates left on this much of the sample, stage
// two on this much more; only those within the spread of the best go on.
constexpr std::size_t kStageOneBytes = 96;
constexpr std::size_t kStageTwoBytes = 320;
constexpr float kStageOneSpread = 24.0f;
constexpr float kStageTwoSpread = 16.0f;
// Longest piece of a non-ASCII stretch in a sample.
constexpr std::size_t kMaxPiece = 64;
// Added to the cost of a reading that left the race.
constexpr float kOutOfRace = 1e6f;
// A declared charset or a language shifts costs by this many bits.
constexpr float kDeclaredBits = 6.0f;
constexpr float kLanguageBits = 3.0f;
// When the two best are closer than this, uchardet's answer is weighed in.
constexpr float kCloseBits = 3.0f;
constexpr float kUchardetBits = 2.0f;
// Confidence temperature: a cost difference of this many bits halves the
// odds. Above 1 because the model is overconfident on short samples.
constexpr float kTemperature = 2.0f;
// Bytes after the first invalid one looked at for valid UTF-8 letters
// before the thorough look for islands.
constexpr std::size_t kQuickLook = 512;
// Bytes on which UTF-16 is weighed against the legacy readings before the
// ranking.
constexpr std::size_t kUtf16Head = 256;
// A UTF-16 reading dearer than this per byte, past the slack, is no text:
// text costs 2.5-4 bits a byte, Shift_JIS or GBK read as UTF-16 9.5-16.
constexpr float kNotTextBitsPerByte = 8.0f;
constexpr float kNotTextSlack = 64.0f;
// Bits a reading of an island gains per character that the UTF-8 text
// around it also uses.
constexpr float kSeenBits = 5.0f;

std::string lower_alnum(std::string_view s) {
  std::string k;
  for (char c : s) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_') k.push_back(static_cast<char>(std::tolower(u)));
  }
  return k;
}

// The charset named by a declaration: "text/html; charset=gbk",
// "<meta charset="big5">", or a bare name.
std::string declared_charset(std::string_view d) {
  std::string low(d);
  for (char& c : low) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::size_t at = low.find("charset");
  if (at == std::string::npos) at = low.find("encoding");
  if (at == std::string::npos) return lower_alnum(d);
  at = low.find('=', at);
  if (at == std::string::npos) return {};
  ++at;
  while (at < low.size() && (low[at] == ' ' || low[at] == '"' || low[at] == '\'')) ++at;
  std::size_t end = at;
  while (end < low.size() &&
         (std::isalnum(static_cast<unsigned char>(low[end])) || low[end] == '-' ||
          low[end] == '_' || low[end] == '.' || low[end] == ':'))
    ++end;
  return low.substr(at, end - at);
}

std::uint8_t family_of(reading r) {
  if (r.f == form::iso2022jp || r.f == form::iso2022jp_stripped) return 3;
  if (r.f != form::codec) return 15;
  for (const candidate& c : legacy_candidates()) {
    if (c.r == r) return c.family;
  }
  switch (r.enc) {
    case encoding::gbk:
    case encoding::gb2312:
      return 1;
    case encoding::big5:
    case encoding::cp950:
      return 2;
    case encoding::shift_jis:
      return 3;
    case encoding::euc_kr:
      return 5;
    case encoding::iso_8859_1:
      return 6;
    case encoding::utf16le:
    case encoding::utf16be:
      return 15;
    default:
      return 0;
  }
}

// Families a language tag points to.
bool language_fits(std::string_view lang, std::uint8_t family) {
  std::string l = lower_alnum(lang);
  auto starts = [&](std::string_view p) { return l.rfind(p, 0) == 0; };
  if (starts("zh")) {
    const bool trad = l.find("tw") != std::string::npos || l.find("hk") != std::string::npos ||
                      l.find("hant") != std::string::npos || l.find("mo") != std::string::npos;
    return family == (trad ? 2 : 1);
  }
  if (starts("ja")) return family == 3 || family == 4;
  if (starts("ko")) return family == 5;
  if (starts("ru") || starts("uk") || starts("be") || starts("bg") || starts("sr") || starts("mk"))
    return family == 8;
  if (starts("el")) return family == 9;
  if (starts("tr")) return family == 10;
  if (starts("he") || starts("iw")) return family == 11;
  if (starts("ar") || starts("fa")) return family == 12;
  if (starts("lt") || starts("lv") || starts("et")) return family == 13;
  if (starts("vi")) return family == 14;
  if (starts("eo") || starts("mt")) return family == 16;
  if (starts("ka")) return family == 18;
  if (starts("pl") || starts("cs") || starts("sk") || starts("hu") || starts("sl") ||
      starts("hr") || starts("ro"))
    return family == 7;
  return family == 6;
}

// Start of a window: just after a byte that cannot be inside a character
// of any ASCII-compatible candidate (below 0x30).
std::size_t align_start(std::string_view b, std::size_t at) {
  if (at == 0) return 0;
  const std::size_t limit = std::min(b.size(), at + 256);
  for (std::size_t i = at; i < limit; ++i) {
    if (static_cast<unsigned char>(b[i]) < 0x30) return i + 1;
  }
  return limit;
}

void append_stretches(std::string_view b, std::size_t from, std::size_t to, std::size_t budget,
                      std::string& out) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  const std::size_t n = b.size();
  const std::size_t stop = out.size() + budget;
  std::size_t i = from;
  while (i < to && out.size() < stop) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    std::size_t s = i;
    if (s > from && p[s - 1] >= 0x20 && p[s - 1] < 0x80) --s;  // one character of context
    // Lead and trail, whatever the trail; long stretches (CJK text) in
    // pieces of whole pairs, so that the stages can stop between them.
    std::size_t j = i;
    // Eight bytes at a time while the bytes at even offsets are all high.
    constexpr std::uint64_t kEvenHigh = 0x0080008000800080ull;
    while (j + 8 <= n && j + 8 - i <= kMaxPiece) {
      std::uint64_t x = 0;
      std::memcpy(&x, p + j, 8);
      if ((x & kEvenHigh) != kEvenHigh) break;
      j += 8;
    }
    while (j < n && p[j] >= 0x80 && j - i < kMaxPiece) j += 2;
    std::size_t e = j < n && p[j] >= 0x80 ? j : std::min(n, j + 1);
    out.append(b.substr(s, e - s));
    out.push_back('\n');
    i = e;
  }
}

std::vector<std::pair<std::size_t, std::size_t>> windows_of(std::size_t n) {
  constexpr std::size_t kHead = 64 << 10;
  constexpr std::size_t kMore = 16 << 10;
  std::vector<std::pair<std::size_t, std::size_t>> w;
  w.emplace_back(0, std::min(n, kHead));
  if (n > kHead + 4 * kMore) {
    for (int k = 1; k <= 3; ++k) {
      const std::size_t at = n / 4 * static_cast<std::size_t>(k);
      w.emplace_back(at, std::min(n, at + kMore));
    }
  }
  return w;
}

// The non-ASCII letters of the Latin alphabets (lower case), by language:
// a text's letters come from one of them, with few loans. A single-byte
// reading whose letters no one alphabet holds (ş with ù, ć with ř) is
// likely wrong, however plausible each letter is on its own; on short
// inputs this tells the rare ISO-8859 parts from the common code pages.
// Orthographies as the languages' standards give them.
constexpr std::u32string_view kAlphabets[] = {
    U"àâæçéèêëîïôœùûüÿ",        // fr
    U"äöüßé",                   // de
    U"áéíñóúü",                 // es
    U"áàâãçéêíóôõú",            // pt
    U"àèéìíîòóùú",              // it
    U"àçèéíïòóúü",              // ca
    U"áäéëèïóöüú",              // nl
    U"æøåé",                    // da, no
    U"åäöé",                    // sv
    U"äöåšž",                   // fi
    U"áðéíóúýþæö",              // is
    U"áðíóúýæø",                // fo
    U"äõöüšž",                  // et
    U"āčēģīķļņšūž",             // lv
    U"ąčęėįšųūž",               // lt
    U"ąćęłńóśźż",               // pl
    U"áčďéěíňóřšťúůýž",         // cs
    U"áäčďéíĺľňóôŕšťúýž",       // sk
    U"čćđšž",                   // sl, hr, bs
    U"áéíóöőúüű",               // hu
    U"ăâîșțşţ",                 // ro
    U"çğıöşüâîû",               // tr
    U"çəğıöşü",                 // az
    U"ĉĝĥĵŝŭ",                  // eo
    U"ċġħżàèìòù",               // mt
    U"âêîôûŵŷäëïöüáéíóúàèìòù",  // cy
    U"çë",                      // sq
    U"àáâãèéêìíòóôõùúýăđĩũơư",  // vi
};
// Bits per letter of a reading outside its best alphabet.
constexpr float kStrayLetterBits = 8.0f;
// Letters and the currency sign are weighed on samples with at most this
// many distinct bytes >= 0x80.
constexpr std::size_t kMaxLetterBytes = 48;
// Bits for the currency sign, which code pages hold as a placeholder but
// text hardly uses (ISO-8859-15 has the euro sign there).
constexpr float kCurrencySignBits = 3.0f;

using letter_set = std::array<std::uint64_t, 4>;

// Per candidate: whether it reads one byte per character (scored after the
// others), and for those, the letter each byte >= 0x80 gives (an index
// into the letters of all candidates, 0xFF for none) and the alphabets as
// sets of those indices.
struct unigram_tables {
  std::vector<std::uint8_t> single;
  std::vector<std::array<std::uint8_t, 128>> letter;
  std::vector<std::uint8_t> currency;  // byte - 0x80 of U+00A4, or 0xFF
  std::vector<letter_set> alphabets;
  unigram_tables() {
    const auto& cands = legacy_candidates();
    single.resize(cands.size());
    letter.resize(cands.size());
    currency.assign(cands.size(), 0xFF);
    std::vector<char32_t> seen;
    auto index_of = [&](char32_t c) -> std::uint8_t {
      for (std::size_t k = 0; k < seen.size(); ++k)
        if (seen[k] == c) return static_cast<std::uint8_t>(k);
      if (seen.size() >= 255) return 254;  // shared overflow slot
      seen.push_back(c);
      return static_cast<std::uint8_t>(seen.size() - 1);
    };
    for (std::u32string_view a : kAlphabets) {
      letter_set set{};
      for (char32_t c : a) {
        const std::uint8_t i = index_of(c);
        set[i >> 6] |= std::uint64_t{1} << (i & 63);
      }
      alphabets.push_back(set);
    }
    for (std::size_t k = 0; k < cands.size(); ++k) {
      const reading r = cands[k].r;
      single[k] = r.f == form::extra || (r.f == form::codec && is_single_byte(r.enc));
      letter[k].fill(0xFF);
      if (!single[k]) continue;
      for (unsigned b = 0x80; b < 0x100; ++b) {
        const auto byte = static_cast<unsigned char>(b);
        char32_t cp = 0;
        if (decode_char(r, &byte, 1, cp) != 1) continue;
        if (cp == 0xA4) currency[k] = static_cast<std::uint8_t>(b - 0x80);
        const int type = u_charType(static_cast<UChar32>(cp));
        UErrorCode st = U_ZERO_ERROR;
        if ((type != U_LOWERCASE_LETTER && type != U_UPPERCASE_LETTER) ||
            uscript_getScript(static_cast<UChar32>(cp), &st) != USCRIPT_LATIN)
          continue;
        letter[k][b - 0x80] = index_of(static_cast<char32_t>(u_tolower(static_cast<UChar32>(cp))));
      }
    }
  }

  // Bits for candidate k given the bytes >= 0x80 that occur (minus 0x80).
  // Letters are looked at only when few distinct bytes occur: text in a
  // Latin alphabet uses few, and on CJK text (most bytes occur) the
  // single-byte readings lose on the model alone.
  [[nodiscard]] float stray_bits(std::size_t k, const std::array<std::uint64_t, 2>& present,
                                 const std::uint8_t* bytes, std::size_t count) const {
    if (count > kMaxLetterBytes) return 0.0f;
    const std::uint8_t cur = currency[k];
    float bits = cur != 0xFF && (present[cur >> 6] >> (cur & 63) & 1) ? kCurrencySignBits : 0.0f;
    std::uint8_t letters[kMaxLetterBytes];
    std::size_t n = 0;
    for (std::size_t j = 0; j < count; ++j) {
      const std::uint8_t i = letter[k][bytes[j]];
      if (i == 0xFF) continue;
      bool dup = false;
      for (std::size_t m = 0; m < n && !dup; ++m) dup = letters[m] == i;
      if (!dup) letters[n++] = i;
    }
    if (n == 0) return bits;
    std::size_t fewest = n;
    for (const letter_set& a : alphabets) {
      std::size_t stray = 0;
      for (std::size_t m = 0; m < n; ++m)
        stray += (a[letters[m] >> 6] >> (letters[m] & 63) & 1) ^ 1;
      fewest = std::min(fewest, stray);
    }
    return bits + kStrayLetterBits * static_cast<float>(fewest);
  }
};

const unigram_tables& unigrams() {
  static const unigram_tables t;
  return t;
}

// Could these bytes be UTF-16? Its high bytes take few values (a script's
// block, 00 for ASCII), its low bytes many; in legacy text both lanes look
// alike. Short inputs always could. le: the odd lane (high bytes of
// UTF-16LE) holds fewer values; clearly: it holds under 5/9 as many values
// as the other (UTF-16 text in the tests: 0.4-0.56; legacy text 0.8-0.95).
bool utf16_lanes(std::string_view b, bool& le, bool& clearly) {
  le = true;
  clearly = false;
  if (b.size() < 256) return true;
  std::uint8_t seen[2][256] = {};
  std::size_t distinct[2] = {0, 0};
  for (std::size_t i = 0; i < 256; i += 2) {
    const auto v0 = static_cast<unsigned char>(b[i]);
    const auto v1 = static_cast<unsigned char>(b[i + 1]);
    distinct[0] += seen[0][v0] ^ 1u;
    seen[0][v0] = 1;
    distinct[1] += seen[1][v1] ^ 1u;
    seen[1][v1] = 1;
  }
  le = distinct[1] <= distinct[0];
  const std::size_t lo = std::min(distinct[0], distinct[1]);
  const std::size_t hi = std::max(distinct[0], distinct[1]);
  clearly = lo * 9 < hi * 5;
  return lo * 3 < hi * 2;
}

// Whether s holds a byte '0'-'9', eight bytes at a time.
bool has_digit(std::string_view s) {
  constexpr std::uint64_t k01 = 0x0101010101010101ull;
  constexpr std::uint64_t k80 = k01 * 0x80;
  std::size_t i = 0;
  for (; i + 8 <= s.size(); i += 8) {
    std::uint64_t x = 0;
    std::memcpy(&x, s.data() + i, 8);
    const std::uint64_t low = x & (k01 * 0x7F);  // no carry between bytes below
    const std::uint64_t from_30 = (low + k01 * (0x80 - 0x30)) & k80;
    const std::uint64_t from_3a = (low + k01 * (0x80 - 0x3A)) & k80;
    if ((from_30 & ~from_3a & ~x) != 0) return true;
  }
  for (; i < s.size(); ++i)
    if (s[i] >= '0' && s[i] <= '9') return true;
  return false;
}

// The legacy candidate likely to read head best, so that it sets the bar
// early: kana rows give Shift_JIS (82/83 leads) and EUC-JP (A4/A5 leads)
// away; GB18030 otherwise.
std::size_t likely_first(std::string_view head) {
  std::size_t sjis_kana = 0;
  std::size_t euc_kana = 0;
  for (std::size_t i = 0; i + 1 < head.size(); ++i) {
    const auto b0 = static_cast<unsigned char>(head[i]);
    const auto b1 = static_cast<unsigned char>(head[i + 1]);
    if (b0 < 0x80) continue;
    sjis_kana += (b0 == 0x82 || b0 == 0x83) && b1 >= 0x40;
    euc_kana += (b0 == 0xA4 || b0 == 0xA5) && b1 >= 0xA1;
    ++i;
  }
  const encoding first = sjis_kana >= 3 && sjis_kana >= euc_kana ? encoding::cp932
                         : euc_kana >= 3                         ? encoding::euc_jp
                                                                 : encoding::gb18030;
  const auto& cands = legacy_candidates();
  for (std::size_t k = 0; k < cands.size(); ++k)
    if (cands[k].r == reading{form::codec, first}) return k;
  return 0;
}

// Cheapest first, equal costs in their order, without the allocation of
// std::stable_sort (lists of about 40 readings): each cost becomes an
// unsigned key that sorts as the float does, with the position below it.
void sort_by_cost(std::vector<scored>& v) {
  constexpr std::size_t kMax = 256;
  if (v.size() > kMax) {
    std::stable_sort(v.begin(), v.end(),
                     [](const scored& a, const scored& b) { return a.cost < b.cost; });
    return;
  }
  std::uint64_t key[kMax];
  scored copy[kMax];
  for (std::size_t i = 0; i < v.size(); ++i) {
    std::uint32_t bits = 0;
    std::memcpy(&bits, &v[i].cost, 4);
    bits = (bits & 0x80000000u) != 0 ? ~bits : bits | 0x80000000u;
    key[i] = (std::uint64_t{bits} << 8) | i;
    copy[i] = v[i];
  }
  std::sort(key, key + v.size());
  for (std::size_t i = 0; i < v.size(); ++i) v[i] = copy[key[i] & 0xFF];
}

std::string uchardet_guess(std::string_view bytes) {
  uchardet_t u = uchardet_new();
  if (u == nullptr) return {};
  const std::size_t n = std::min<std::size_t>(bytes.size(), 16 << 10);
  uchardet_handle_data(u, bytes.data(), n);
  uchardet_data_end(u);
  std::string r = uchardet_get_charset(u);
  uchardet_delete(u);
  return r;
}

}  // namespace

std::string legacy_sample(std::string_view bytes, std::size_t budget) {
  std::string out;
  out.reserve(budget + 64);
  const auto w = windows_of(bytes.size());
  const std::size_t share = w.size() == 1 ? budget : budget / 2;
  append_stretches(bytes, 0, w[0].second, share, out);
  for (std::size_t k = 1; k < w.size(); ++k) {
    const std::size_t from = align_start(bytes, w[k].first);
    append_stretches(bytes, from, w[k].second, (budget - share) / (w.size() - 1), out);
  }
  return out;
}

std::string report_name(reading r, std::string_view sample) {
  const auto* p = reinterpret_cast<const unsigned char*>(sample.data());
  const std::size_t n = sample.size();
  if (r.f != form::codec) return std::string(reading_name(r));
  switch (r.enc) {
    case encoding::gb18030: {
      if (!has_digit(sample)) return "gbk";  // four-byte forms have a digit second
      for (std::size_t i = 0; i + 1 < n; ++i) {
        if (p[i] < 0x81) continue;
        if (p[i + 1] >= 0x30 && p[i + 1] <= 0x39) return "gb18030";
        ++i;
      }
      return "gbk";
    }
    case encoding::cp949: {
      for (std::size_t i = 0; i + 1 < n; ++i) {
        if (p[i] < 0x81) continue;
        if (p[i] < 0xA1 || p[i + 1] < 0xA1) return "cp949";
        ++i;
      }
      return "euc-kr";
    }
    case encoding::big5_hkscs:
    case encoding::cp950:
      return "big5";
    case encoding::cp932:
      return "shift_jis";
    default:
      return std::string(name(r.enc));
  }
}

std::vector<scored> rank_legacy(std::string_view sample, std::string_view utf16_prefix,
                                const detect_hints& hints, std::uint8_t favoured_family) {
  const auto& cands = legacy_candidates();
  std::vector<scored> out;
  out.reserve(cands.size() + 2);

  reading declared{};
  bool has_declared = false;
  if (!hints.declared.empty()) {
    has_declared = reading_from_name(declared_charset(hints.declared), declared);
  }
  auto adjust = [&](scored& s) {
    if (has_declared) {
      if (s.r == declared) {
        s.cost -= kDeclaredBits;
      } else if (family_of(declared) == s.family && s.family != 0) {
        s.cost -= kDeclaredBits * 0.75f;
      }
    }
    if (!hints.language.empty() && language_fits(hints.language, s.family)) {
      s.cost -= kLanguageBits;
    }
    if (favoured_family != 0 && s.family == favoured_family) s.cost -= kDeclaredBits;
  };

  const unigram_tables& uni = unigrams();
  // Which bytes >= 0x80 the sample holds, for the letters of each reading.
  // Past kMaxLetterBytes distinct bytes (CJK text) the letters are not
  // weighed and the scan stops.
  std::array<std::uint64_t, 2> present{};
  std::uint8_t present_bytes[128];
  std::size_t present_count = 0;
  for (const char ch : sample) {
    const auto b = static_cast<unsigned char>(ch);
    if (b < 0x80) continue;
    const unsigned v = b - 0x80u;
    const std::uint64_t bit = std::uint64_t{1} << (v & 63);
    if (present[v >> 6] & bit) continue;
    present[v >> 6] |= bit;
    present_bytes[present_count++] = static_cast<std::uint8_t>(v);
    if (present_count > kMaxLetterBytes) break;
  }

  // Stages one to three on growing parts of the sample, cut at stretch
  // boundaries; a reading far behind the best leaves the race.
  auto cut_at = [&](std::size_t at) {
    if (at >= sample.size()) return sample.size();
    const std::size_t nl = sample.find('\n', at);
    return nl == std::string_view::npos ? sample.size() : nl + 1;
  };
  const std::size_t c1 = cut_at(kStageOneBytes);
  const std::size_t c2 = cut_at(kStageTwoBytes);
  // The double-byte readings first: on CJK text they set a bar that the
  // single-byte readings pass within a few characters, and stop there.
  float best = 1e30f;
  out.resize(cands.size());
  const float slack = kStageOneSpread + kDeclaredBits * 2 + kLanguageBits + 16.0f;
  // The reading likely to win goes first, so that it sets the bar early:
  // kana rows give Shift_JIS (82/83 leads) and EUC-JP (A4/A5 leads) away.
  std::vector<std::size_t> order(cands.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  {
    const std::size_t k = likely_first(sample.substr(0, c1));
    std::rotate(order.begin(), order.begin() + static_cast<std::ptrdiff_t>(k),
                order.begin() + static_cast<std::ptrdiff_t>(k) + 1);
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const std::size_t k : order) {
      const candidate& c = cands[k];
      if (uni.single[k] != (pass == 1)) continue;
      // A reading whose cost per byte runs well above the best so far's
      // stops early (the model is slow on the odd characters of wrong
      // readings).
      const float rate =
          best < 1e29f && c1 != 0 ? std::max(best, 0.0f) / static_cast<float>(c1) : 0.0f;
      scored s{c.r, c.prior, c.family};
      if (uni.single[k]) s.cost += uni.stray_bits(k, present, present_bytes, present_count);
      s.cost += rate > 0 ? reading_cost(c.r, sample.substr(0, c1), 4096, slack, rate)
                         : reading_cost(c.r, sample.substr(0, c1));
      adjust(s);
      best = std::min(best, s.cost);
      out[k] = s;
    }
  }
  for (const auto& [from, to, spread] :
       {std::tuple{c1, c2, kStageOneSpread}, std::tuple{c2, sample.size(), kStageTwoSpread}}) {
    if (from >= to) continue;
    std::size_t left = 0;
    for (scored& s : out) {
      if (s.cost >= kOutOfRace) continue;
      if (s.cost - best > spread) {
        s.cost += kOutOfRace;  // keeps its order among the alternatives
      } else {
        ++left;
      }
    }
    // One reading left: the rest of the sample would not change the answer.
    if (left <= 1) break;
    float next_best = 1e30f;
    for (scored& s : out) {
      if (s.cost >= kOutOfRace) continue;
      s.cost += reading_cost(s.r, sample.substr(from, to - from));
      next_best = std::min(next_best, s.cost);
    }
    best = next_best;
  }
  sort_by_cost(out);

  if (!utf16_prefix.empty() && !out.empty()) {
    // UTF-16 is weighed against the best legacy reading on the same bytes;
    // a UTF-16 reading whose cost per byte runs far above it stops early.
    const float legacy = reading_cost(out[0].r, utf16_prefix) + 0.0f;
    const float base = out[0].cost;
    const float rate = std::max(legacy, 0.0f) / static_cast<float>(utf16_prefix.size());
    for (encoding e : {encoding::utf16le, encoding::utf16be}) {
      scored s{{form::codec, e},
               reading_cost({form::codec, e}, utf16_prefix, 4096, kStageOneSpread, rate) + 1.0f,
               15};
      adjust(s);
      // Expressed on the scale of the legacy ranking.
      s.cost = base + (s.cost - legacy);
      out.push_back(s);
    }
    sort_by_cost(out);
  }
  return out;
}

std::vector<char32_t> seen_chars(std::string_view bytes,
                                 const std::vector<std::pair<std::size_t, std::size_t>>& islands) {
  std::vector<char32_t> seen;
  const std::size_t limit = std::min(bytes.size(), std::size_t{64} << 10);
  std::size_t at = 0;
  auto take = [&](std::size_t from, std::size_t to) {
    for (std::size_t k = from; k < to;) {
      const char32_t cp = utf8::next(bytes, k);
      if (cp >= 0x80 && cp != utf8::kInvalid) seen.push_back(cp);
    }
  };
  for (const auto& [s, e] : islands) {
    if (at >= limit) break;
    take(at, std::min(s, limit));
    at = e;
  }
  if (at < limit) take(at, limit);
  std::sort(seen.begin(), seen.end());
  seen.erase(std::unique(seen.begin(), seen.end()), seen.end());
  return seen;
}

void favour_seen(std::vector<scored>& r, std::string_view islands,
                 const std::vector<char32_t>& seen) {
  if (seen.empty()) return;
  for (std::size_t k = 0; k < r.size() && k < 24; ++k) {
    std::string text;
    decode_all(r[k].r, islands, text);
    for (std::size_t i = 0; i < text.size();) {
      const char32_t cp = utf8::next(text, i);
      if (cp >= 0x80 && std::binary_search(seen.begin(), seen.end(), cp)) r[k].cost -= kSeenBits;
    }
  }
  sort_by_cost(r);
}

std::vector<double> confidences(const std::vector<scored>& ranked) {
  std::vector<double> c(ranked.size(), 0.0);
  if (ranked.empty()) return c;
  double sum = 0;
  for (std::size_t i = 0; i < ranked.size(); ++i) {
    const double d = static_cast<double>(ranked[i].cost - ranked[0].cost) / kTemperature;
    c[i] = d > 60 ? 0.0 : std::exp2(-d);
    sum += c[i];
  }
  for (double& x : c) x /= sum;
  return c;
}

std::vector<std::pair<std::size_t, std::size_t>> find_islands(std::string_view b, std::size_t from,
                                                              std::size_t max_islands) {
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  const std::size_t n = b.size();
  std::vector<std::pair<std::size_t, std::size_t>> out;
  std::size_t i = from;
  std::size_t last_end = from;
  while (i < n && out.size() < max_islands) {
    i = utf8::skip_ascii_blocks(b, i);
    if (i >= n) break;
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const int len = utf8_sequence_length(b, i);
    if (len > 0) {
      i += static_cast<std::size_t>(len);
      continue;
    }
    // The whole run of non-ASCII bytes around the first invalid one (an
    // ASCII byte right after a lead byte is its trail); decode() trims UTF-8
    // text glued to either end.
    std::size_t s = i;
    while (s > last_end && p[s - 1] >= 0x80) --s;
    std::size_t j = s;
    while (j < n && p[j] >= 0x80) j += 2;
    j = std::min(j, n);
    out.emplace_back(s, j);
    i = last_end = j;
  }
  return out;
}

}  // namespace detail::ingest

detection detect_encoding(std::string_view bytes, const detect_hints& hints) {
  using namespace detail::ingest;
  using detail::encoding;
  detection d;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();

  // Byte-order marks (UTF-32LE before UTF-16LE: FF FE 00 00 starts both).
  auto has = [&](std::initializer_list<unsigned char> m) {
    if (n < m.size()) return false;
    std::size_t k = 0;
    for (unsigned char c : m) {
      if (p[k++] != c) return false;
    }
    return true;
  };
  auto with_bom = [&](std::string name, std::size_t len) {
    d.encoding = std::move(name);
    d.confidence = 1.0;
    d.bom = true;
    d.bom_length = len;
    return d;
  };
  if (has({0xEF, 0xBB, 0xBF})) return with_bom("utf-8", 3);
  if (has({0xFF, 0xFE, 0x00, 0x00})) return with_bom("utf-32le", 4);
  if (has({0x00, 0x00, 0xFE, 0xFF})) return with_bom("utf-32be", 4);
  if (has({0xFF, 0xFE}) || has({0xFE, 0xFF})) {
    // A mark that names the wrong byte order (a byte-swapped copy) is
    // caught by reading both orders.
    const bool le = p[0] == 0xFF;
    const std::string_view body = bytes.substr(2, std::min<std::size_t>(n - 2, 1024) & ~1u);
    const reading as_marked{form::codec, le ? encoding::utf16le : encoding::utf16be};
    const reading swapped{form::codec, le ? encoding::utf16be : encoding::utf16le};
    const float a = reading_cost(as_marked, body);
    const float b = reading_cost(swapped, body);
    const std::size_t units = body.size() / 2;
    if (units >= 2 && b + 4.0f * static_cast<float>(units) < a) {
      d = with_bom(std::string(reading_name(swapped)), 2);
      d.confidence = 0.9;
      d.alternatives.push_back({std::string(reading_name(as_marked)), 0.1});
      return d;
    }
    return with_bom(std::string(reading_name(as_marked)), 2);
  }

  // NUL and other control bytes in one lane: UTF-16 or UTF-32 text whose
  // characters share their high bytes (ASCII, Latin, Cyrillic, Greek ...
  // give 00, 04, 03 ...). Text has no such bytes outside \t \n \r \f ESC.
  {
    const std::size_t m = std::min<std::size_t>(n, 512) & ~std::size_t{3};
    std::size_t z[4] = {0, 0, 0, 0};
    std::size_t c[4] = {0, 0, 0, 0};
    for (std::size_t w = 0; w < m; w += 8) {
      // Eight bytes at a time: most words of text hold no byte below 0x20.
      const std::size_t end = std::min(m, w + 8);
      if (end == w + 8) {
        std::uint64_t x = 0;
        std::memcpy(&x, p + w, 8);
        constexpr std::uint64_t kOnes = 0x0101010101010101ull;
        if (((x - kOnes * 0x20) & ~x & kOnes * 0x80) == 0) continue;
      }
      // Control bytes other than \t \n \f \r and ESC, as a mask.
      constexpr std::uint32_t kControls =
          ~((1u << '\t') | (1u << '\n') | (1u << '\f') | (1u << '\r') | (1u << 0x1B));
      for (std::size_t i = w; i < end; ++i) {
        const unsigned b = p[i];
        z[i & 3] += b == 0;
        c[i & 3] += b < 0x20 ? (kControls >> b) & 1u : 0u;
      }
    }
    const std::size_t q = m / 4;
    if (q >= 2) {
      auto most = [&](std::size_t x) { return x * 10 >= q * 9; };
      auto many = [&](std::size_t x) { return x * 10 >= q * 4; };
      auto few = [&](std::size_t x) { return x * 10 <= q; };
      if (most(z[2]) && most(z[3]) && few(z[0])) {
        d.encoding = "utf-32le";
      } else if (most(z[0]) && most(z[1]) && few(z[3])) {
        d.encoding = "utf-32be";
      } else if (many(c[1]) && many(c[3]) && few(c[0]) && few(c[2])) {
        d.encoding = "utf-16le";
      } else if (many(c[0]) && many(c[2]) && few(c[1]) && few(c[3])) {
        d.encoding = "utf-16be";
      }
      if (!d.encoding.empty()) {
        d.confidence = 0.99;
        return d;
      }
    }
  }

  std::size_t multibyte = 0;
  const std::size_t bad = first_invalid_utf8(bytes, multibyte);
  if (bad == std::string_view::npos) {
    // Stripped ISO-2022-JP hides in 7-bit text.
    if (multibyte == 0) {
      const bool esc = bytes.find("\x1B$B") != std::string_view::npos ||
                       bytes.find("\x1B$@") != std::string_view::npos;
      if (esc) {
        d.encoding = "iso-2022-jp";
        d.confidence = 0.99;
        return d;
      }
      const std::size_t at = bytes.find("$B");
      if (at != std::string_view::npos) {
        const std::string_view head = bytes.substr(0, std::min<std::size_t>(n, 2048));
        const float jis = reading_cost({form::iso2022jp_stripped, encoding::utf8}, head);
        const float plain = reading_cost({form::codec, encoding::utf8}, head);
        if (jis + 16.0f < plain) {
          d.encoding = "iso-2022-jp";
          d.confidence = 0.9;
          d.alternatives.push_back({"ascii", 0.1});
          return d;
        }
      }
    }
    // UTF-16 of kana (30 xx) and the like is 7-bit too: one lane repeats
    // one byte that is not a space. The model decides between the readings.
    if (multibyte == 0 && n >= 8) {
      const std::size_t m = std::min<std::size_t>(n, 256) & ~std::size_t{1};
      for (int lane = 0; lane < 2; ++lane) {
        unsigned count[128] = {};
        unsigned top = 0;
        unsigned char top_byte = 0;
        for (std::size_t i = static_cast<std::size_t>(lane); i < m; i += 2) {
          if (++count[p[i]] > top) {
            top = count[p[i]];
            top_byte = p[i];
          }
        }
        if (top_byte == ' ' || top * 5 < m) continue;  // below 40% of the lane
        const std::string_view head = bytes.substr(0, m);
        const reading r16{form::codec, lane == 1 ? encoding::utf16le : encoding::utf16be};
        const float as16 = reading_cost(r16, head);
        const float as8 = reading_cost({form::codec, encoding::utf8}, head);
        if (as16 + 8.0f < as8) {
          d.encoding = std::string(reading_name(r16));
          d.confidence = 0.9;
          d.alternatives.push_back({"ascii", 0.1});
          return d;
        }
      }
    }
    d.encoding = multibyte == 0 ? "ascii" : "utf-8";
    d.confidence = 1.0;
    return d;
  }

  // CESU-8: invalid only where surrogates are written as two sequences.
  if (p[bad] == 0xED) {
    std::string tmp;
    if (decode_all({form::codec, encoding::cesu8},
                   bytes.substr(0, std::min<std::size_t>(n, 1 << 16)), tmp) == 0) {
      d.encoding = "cesu-8";
      d.confidence = 0.99;
      return d;
    }
  }

  // Mostly UTF-8 with islands: count valid multi-byte bytes against island
  // bytes around the first island and in the head. A quick look first:
  // legacy text holds few valid UTF-8 sequences after its first bad byte.
  std::size_t quick_valid = multibyte;
  std::size_t quick_high = 0;
  for (std::size_t i = bad, end = std::min(n, bad + kQuickLook); i < end;) {
    if (p[i] < 0x80) {
      ++i;
      continue;
    }
    const int len = utf8_sequence_length(bytes, i);
    if (len > 0) {
      // Legacy double-byte text forms valid two-byte sequences by chance
      // (GBK 一 is D2 BB); those of real text mostly have the lead bytes of
      // Latin, Greek, Cyrillic, Hebrew or Arabic letters.
      const unsigned lead = p[i];
      const bool letters = len > 2 || (lead >= 0xC2 && lead <= 0xC5) ||
                           (lead >= 0xCE && lead <= 0xD1) || (lead >= 0xD7 && lead <= 0xDB);
      if (letters) quick_valid += static_cast<std::size_t>(len);
      quick_high += static_cast<std::size_t>(len);
      i += static_cast<std::size_t>(len);
    } else {
      ++quick_high;
      ++i;
    }
  }
  if (quick_valid >= 2 && quick_valid * 4 >= quick_high) {
    const std::size_t from = bad > (8 << 10) ? bad - (8 << 10) : 0;
    std::size_t valid_mb = 0;
    std::size_t island_bytes = 0;
    std::size_t islands_seen = 0;
    const std::size_t to = std::min(n, bad + (16 << 10));
    const std::string_view win = bytes.substr(0, to);
    std::size_t mb_head = 0;
    (void)first_invalid_utf8(bytes.substr(from, bad - from), mb_head);
    valid_mb += mb_head;
    std::string island_sample;
    const auto islands = find_islands(win, bad, 4096);
    std::size_t i = bad;
    for (const auto& [s, e] : islands) {
      island_bytes += e - s;
      ++islands_seen;
      if (island_sample.size() < kSampleBudget) {
        const std::size_t cs = s > 0 && p[s - 1] < 0x80 && p[s - 1] >= 0x20 ? s - 1 : s;
        const std::size_t ce = std::min(n, e + 1);
        island_sample.append(bytes.substr(cs, ce - cs));
        island_sample.push_back('\n');
      }
      // Valid multi-byte text between the islands.
      if (s > i) {
        std::size_t mb = 0;
        (void)first_invalid_utf8(bytes.substr(i, s - i), mb);
        valid_mb += mb;
      }
      i = e;
    }
    bool mixed = valid_mb >= 6 && valid_mb >= island_bytes;
    // (Legacy CJK text forms a few valid UTF-8 pairs by chance, far fewer
    // than a quarter of its bytes.)
    if (!mixed && valid_mb >= 2 && valid_mb * 4 >= island_bytes) {
      // Few UTF-8 characters: the model decides between UTF-8 with islands
      // and one legacy reading of the same bytes around the first island.
      const std::size_t wf = bad > 2048 ? align_start(bytes, bad - 2048) : 0;
      std::size_t wt = std::min(n, bad + 2048);
      while (wt < n && wt < bad + 2304 && p[wt - 1] >= 0x30) ++wt;
      const std::string_view w = bytes.substr(wf, wt - wf);
      const std::vector<scored> isl = rank_legacy(island_sample, {}, hints);
      float as_mixed = 0;
      std::size_t i = 0;
      for (const auto& [s, e] : find_islands(w)) {
        as_mixed += reading_cost({form::codec, encoding::utf8}, w.substr(i, s - i));
        as_mixed += reading_cost(isl[0].r, w.substr(s, e - s));
        i = e;
      }
      as_mixed += reading_cost({form::codec, encoding::utf8}, w.substr(i));
      const std::string ws = legacy_sample(w, kSampleBudget);
      const std::vector<scored> one = rank_legacy(ws, {}, hints);
      mixed = as_mixed < reading_cost(one[0].r, w);
    }
    if (mixed) {
      d.encoding = "utf-8";
      d.mixed = true;
      std::vector<scored> r = rank_legacy(island_sample, {}, hints);
      favour_seen(r, island_sample, seen_chars(win, islands));
      d.island_encoding = report_name(r[0].r, island_sample);
      d.confidence = std::min(
          0.99, static_cast<double>(valid_mb) / static_cast<double>(valid_mb + island_bytes));
      (void)islands_seen;
      return d;
    }
  }

  const std::string_view prefix = bytes.substr(0, std::min<std::size_t>(n, 512) & ~std::size_t{1});
  // Bytes that look clearly like UTF-16 (one lane of few values) and read
  // well as it: when no legacy reading comes near on the same bytes, that
  // is the answer, without ranking a sample. (Lanes a little apart, as
  // Shift_JIS text may have them, go to the ranking, which weighs UTF-16
  // too; lanes alike rule UTF-16 out.)
  bool le_first = true;
  bool clearly_apart = false;
  bool utf16_plausible = utf16_lanes(prefix, le_first, clearly_apart);
  if (prefix.size() >= 256 && clearly_apart) {
    const std::string_view head = prefix.substr(0, kUtf16Head);
    const reading le{form::codec, encoding::utf16le};
    const reading be{form::codec, encoding::utf16be};
    // The byte order the lanes point to first; the other stops once it
    // runs well above it. Both stop where they are no text at all: then
    // UTF-16 is out (Shift_JIS kana rows can set the lanes apart).
    const float c_first =
        reading_cost(le_first ? le : be, head, 4096, kNotTextSlack, kNotTextBitsPerByte);
    const float c_second =
        c_first >= kStoppedEarly
            ? reading_cost(le_first ? be : le, head, 4096, kNotTextSlack, kNotTextBitsPerByte)
            : reading_cost(le_first ? be : le, head, 4096, kStageOneSpread + 16.0f,
                           std::max(c_first, 0.0f) / static_cast<float>(head.size()));
    const float c_le = le_first ? c_first : c_second;
    const float c_be = le_first ? c_second : c_first;
    const reading best16 = c_le <= c_be ? le : be;
    const float c16 = std::min(c_le, c_be);
    utf16_plausible = c16 < kStoppedEarly;
    const float rate = c16 / static_cast<float>(head.size());
    bool beaten = !utf16_plausible;
    // The likely legacy reading first: when one comes near, it usually is.
    const auto& cands = legacy_candidates();
    const std::size_t likely = likely_first(head.substr(0, 128));
    for (std::size_t j = 0; j < cands.size() && !beaten; ++j) {
      const std::size_t k = j == 0 ? likely : j <= likely ? j - 1 : j;
      beaten = reading_cost(cands[k].r, head, 4096, kStageOneSpread, rate) < c16 + kStageOneSpread;
    }
    if (!beaten) {
      d.encoding = std::string(reading_name(best16));
      d.confidence = 0.99;
      d.alternatives.push_back({std::string(reading_name(best16 == le ? be : le)), 0.0});
      return d;
    }
  }

  // Legacy encodings (and UTF-16 without NULs), ranked by the model.
  const std::string sample = legacy_sample(bytes, kSampleBudget);
  // UTF-16 against the best legacy reading on the first 96 code units.
  // (Not UTF-16 where both lanes of the first 256 bytes look alike, or
  // where it read as no text above.)
  std::vector<scored> r = rank_legacy(
      sample, n >= 4 && utf16_plausible ? prefix.substr(0, 192) : std::string_view{}, hints);
  if (r.size() >= 2 && r[1].cost - r[0].cost < kCloseBits) {
    reading u{};
    if (reading_from_name(uchardet_guess(bytes), u)) {
      for (std::size_t k = 0; k < std::min<std::size_t>(r.size(), 3); ++k) {
        const bool same =
            r[k].r == u || (family_of(u) == r[k].family && r[k].family != 0 && r[k].family <= 5);
        if (same) {
          r[k].cost -= kUchardetBits;
          break;
        }
      }
      sort_by_cost(r);
    }
  }
  std::vector<double> conf = confidences(r);
  // Readings that give the winner's text on the sample (windows-1252 and
  // iso-8859-15 without the bytes where they differ) are the same answer:
  // their share goes to the winner.
  for (std::size_t k = 1; k < r.size() && k < 8; ++k) {
    if (conf[k] < 1e-3) continue;
    std::string a;
    std::string b;
    if (decode_all(r[0].r, sample, a) == 0 && decode_all(r[k].r, sample, b) == 0 && a == b) {
      conf[0] += conf[k];
      conf[k] = 0;
    }
  }
  const std::string_view named_sample =
      r[0].r.f == form::codec &&
              (r[0].r.enc == encoding::utf16le || r[0].r.enc == encoding::utf16be)
          ? std::string_view{}
          : std::string_view(sample);
  d.encoding = report_name(r[0].r, named_sample);
  d.confidence = conf[0];
  for (std::size_t k = 1; k < r.size() && d.alternatives.size() < 4; ++k) {
    if (conf[k] == 0 && k < 8) continue;
    std::string nm = report_name(r[k].r, sample);
    if (nm == d.encoding) continue;
    bool dup = false;
    for (const auto& a : d.alternatives) dup = dup || a.name == nm;
    if (!dup) d.alternatives.push_back({std::move(nm), conf[k]});
  }
  return d;
}

}  // namespace mojifix
