// Lossy recovery: lines of held-out text (tests/data/lossy/, see
// tools/gen_lossy_cases.py) damaged by decoders that replace what they cannot
// read (U+FFFD or '?'), then given to fix_text. Prints, per chain, how many
// damaged lines come back exactly, how many characters come back, and how
// many characters recovery invented (output characters that are neither the
// original nor U+FFFD).

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "mojifix/mojifix.hpp"
#include "recover/fill_words.hpp"
#include "recover/recover.hpp"
#include "repair/repair.hpp"
#include "test_data.hpp"

namespace {

using mojifix::detail::decode_mode;
using mojifix::detail::encoding;

std::u32string u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(mojifix::detail::utf8::next(s, i));
  return out;
}

std::size_t lcs(std::u32string_view a, std::u32string_view b) {
  std::vector<std::size_t> row(b.size() + 1, 0), prev(b.size() + 1, 0);
  for (char32_t x : a) {
    for (std::size_t j = 0; j < b.size(); ++j)
      row[j + 1] = x == b[j] ? prev[j] + 1 : std::max(prev[j + 1], row[j]);
    std::swap(row, prev);
  }
  return prev[b.size()];
}

std::vector<std::string> originals(const std::string& lang) {
  std::vector<std::string> out;
  const auto text =
      mojifix::test::read_file(mojifix::test::test_data_dir() + "/lossy/" + lang + ".txt");
  if (!text) return out;
  for (std::string_view line : mojifix::test::split_lines(*text))
    if (!line.empty() && line[0] != '#') out.emplace_back(line);
  return out;
}

struct row {
  std::string original, damaged;
  // The fourth column: characters provably lost (shifted-gbk.tsv), or
  // characters with a surviving byte (python-gbk-as-utf8.tsv).
  std::size_t lost = 0;
};

struct figures {
  std::size_t lines = 0, exact = 0, chars = 0, kept = 0, invented = 0, lost_marked = 0, worse = 0;
  double line_rate() const {
    return lines ? 100.0 * static_cast<double>(exact) / static_cast<double>(lines) : 0;
  }
  double char_rate() const {
    return chars ? 100.0 * static_cast<double>(kept) / static_cast<double>(chars) : 0;
  }
};

// MOJIFIX_LOSSY_SHOW=N prints the first N lines that do not come back.
int show_limit() {
  const char* v = std::getenv("MOJIFIX_LOSSY_SHOW");
  return v ? std::atoi(v) : 0;
}

// Characters of `got` that are neither in the original (by a longest common
// subsequence), nor U+FFFD, nor characters of the damaged text left as they
// were: text recovery made up.
std::size_t invented(std::u32string_view orig, std::u32string_view damaged,
                     std::u32string_view got) {
  std::vector<std::vector<std::uint16_t>> t(got.size() + 1,
                                            std::vector<std::uint16_t>(orig.size() + 1, 0));
  for (std::size_t i = got.size(); i-- > 0;)
    for (std::size_t j = orig.size(); j-- > 0;)
      t[i][j] = got[i] == orig[j] ? static_cast<std::uint16_t>(t[i + 1][j + 1] + 1)
                                  : std::max(t[i + 1][j], t[i][j + 1]);
  std::size_t n = 0;
  for (std::size_t i = 0, j = 0; i < got.size();) {
    if (j < orig.size() && got[i] == orig[j]) {
      ++i, ++j;
    } else if (j < orig.size() && t[i][j + 1] >= t[i + 1][j]) {
      ++j;
    } else {
      if (got[i] != U'\uFFFD' && damaged.find(got[i]) == std::u32string_view::npos) ++n;
      ++i;
    }
  }
  return n;
}

figures measure(const std::vector<row>& rows, bool recover = true) {
  figures f;
  int shown = 0;
  mojifix::options opt;
  opt.recover_lossy = recover;
  for (const row& r : rows) {
    const std::string fixed = mojifix::fix_text(r.damaged, opt);
    if (fixed != r.original && shown < show_limit()) {
      ++shown;
      std::printf("  damaged  %s\n  fixed    %s\n  original %s\n", r.damaged.c_str(), fixed.c_str(),
                  r.original.c_str());
    }
    const std::u32string o = u32(r.original), g = u32(fixed), d = u32(r.damaged);
    ++f.lines;
    if (fixed == r.original) ++f.exact;
    const std::size_t common = lcs(o, g);
    if (common < lcs(o, d)) ++f.worse;
    f.chars += o.size();
    f.kept += common;
    f.lost_marked += static_cast<std::size_t>(std::count(g.begin(), g.end(), U'\uFFFD'));
    f.invented += invented(o, d, g);
  }
  return f;
}

void print(const char* name, const figures& f) {
  std::printf(
      "%-36s lines %4zu  exact %6.2f%%  chars %6.2f%%  invented %4zu  U+FFFD left %4zu  worse "
      "%zu\n",
      name, f.lines, f.line_rate(), f.char_rate(), f.invented, f.lost_marked, f.worse);
}

// Lines of `langs` damaged by decoding their UTF-8 with `e` in `mode`; only
// lines where the decoder lost something (U+FFFD or '?' in the result).
std::vector<row> damaged_rows(encoding e, decode_mode mode, const std::vector<std::string>& langs) {
  std::vector<row> rows;
  for (const std::string& lang : langs) {
    for (const std::string& line : originals(lang)) {
      std::string bad;
      mojifix::detail::decode(e, line, mode, bad);
      const bool lossy = mode == decode_mode::naive ? bad.find('?') != std::string::npos
                                                    : bad.find("\xEF\xBF\xBD") != std::string::npos;
      if (lossy) rows.push_back({line, bad});
    }
  }
  return rows;
}

std::vector<row> tsv_rows(const std::string& name) {
  std::vector<row> rows;
  const auto text = mojifix::test::read_file(mojifix::test::test_data_dir() + "/lossy/" + name);
  if (!text) return rows;
  for (std::string_view line : mojifix::test::split_lines(*text)) {
    if (line.empty() || line[0] == '#') continue;
    const std::size_t a = line.find('\t'), b = line.find('\t', a + 1);
    if (a == std::string_view::npos || b == std::string_view::npos) continue;
    const std::size_t c = line.find('\t', b + 1);
    row r{std::string(line.substr(a + 1, b - a - 1)),
          std::string(line.substr(b + 1, c == std::string_view::npos ? c : c - b - 1))};
    if (c != std::string_view::npos)
      r.lost = static_cast<std::size_t>(std::atoi(std::string(line.substr(c + 1)).c_str()));
    rows.push_back(std::move(r));
  }
  return rows;
}

const std::vector<std::string> kAll = {"zh_CN", "zh_TW", "ja", "ko"};

TEST(Lossy, DataFilesPresent) {
  for (const std::string& lang : kAll) EXPECT_GE(originals(lang).size(), 300u) << lang;
  EXPECT_GE(tsv_rows("python-utf8-as-gbk.tsv").size(), 1000u);
  EXPECT_GE(tsv_rows("shifted-gbk.tsv").size(), 500u);
  EXPECT_GE(tsv_rows("python-gbk-as-utf8.tsv").size(), 500u);
}

// The figures the requirement sets (lines restored exactly, characters
// restored) and the floors this build holds. A floor below its target is a
// known shortfall, measured when the floor was last raised:
//
//   chain                          target lines/chars  floor lines/chars
//   utf-8 as gb18030 (WHATWG)      95% / 99.5%         73% / 98.7%  SHORTFALL
//   utf-8 as cp932 (WHATWG)        90%                 62% / 97.1%   SHORTFALL
//   utf-8 as cp932 (CPython)       (90%)               81% / 99.2%  SHORTFALL
//   utf-8 as cp949 (WHATWG)        80%                 18.5% / 89.5% SHORTFALL
//   utf-8 as cp949 (CPython)       (80%)               64.5% / 97.5% SHORTFALL
//   utf-8 as big5-hkscs (WHATWG)   70%                 1% / 53.5%   SHORTFALL (82% of the
//                                                      lines lose every byte of some character)
//   gbk one byte out of step       90% of damaged      80.2% of the recoverable damaged
//                                  (not provably lost) characters              SHORTFALL
//
// Honesty: recovery must not invent more characters than the lossless
// layers alone do (plus 0.5% of the characters), nor make a line worse.
// Chains that break this are listed here, each counted:
const std::vector<std::string> kKnownDishonest = {
    // None at present. (Big5 is read as the WHATWG decoder damages it only
    // where fewer than about half the line's characters are U+FFFD; see
    // recover.cpp.)
};

void check(const char* name, const std::vector<row>& rows, double min_lines, double min_chars) {
  const figures f = measure(rows);
  const figures base = measure(rows, false);
  print(name, f);
  print("  (without recovery)", base);
  EXPECT_GE(f.line_rate(), min_lines) << name;
  EXPECT_GE(f.char_rate(), min_chars) << name;
  EXPECT_LE(f.worse, base.worse + f.lines / 100) << name;
  const bool honest = static_cast<double>(f.invented) <=
                      static_cast<double>(base.invented) + 0.005 * static_cast<double>(f.chars);
  const bool listed =
      std::find(kKnownDishonest.begin(), kKnownDishonest.end(), name) != kKnownDishonest.end();
  if (listed && honest) std::printf("  listed as inventing text, now passes: %s\n", name);
  if (!listed) {
    EXPECT_TRUE(honest) << name << ": invented " << f.invented << " vs " << base.invented
                        << " without recovery";
  }
}

TEST(Lossy, Utf8ReadAsGbkWithReplacement) {
  check("utf-8 as gb18030 (whatwg)", damaged_rows(encoding::gb18030, decode_mode::whatwg, kAll),
        73.0, 98.7);
  check("utf-8 as gbk (CPython, replace)", tsv_rows("python-utf8-as-gbk.tsv"), 61.0, 97.85);
  check("utf-8 as gb18030 (CPython, replace)", tsv_rows("python-utf8-as-gb18030.tsv"), 71.5, 98.55);
}

TEST(Lossy, Utf8ReadAsOtherDoubleByteWithReplacement) {
  check("utf-8 as cp932 (whatwg)",
        damaged_rows(encoding::cp932, decode_mode::whatwg, {"ja", "zh_CN"}), 62.0, 97.1);
  check("utf-8 as cp949 (whatwg)", damaged_rows(encoding::cp949, decode_mode::whatwg, {"ko"}), 18.5,
        89.5);
  check("utf-8 as big5-hkscs (whatwg)",
        damaged_rows(encoding::big5_hkscs, decode_mode::whatwg, {"zh_TW"}), 1.0, 53.5);
  check("utf-8 as cp932 (CPython, replace)", tsv_rows("python-utf8-as-cp932.tsv"), 81.0, 99.2);
  check("utf-8 as cp949 (CPython, replace)", tsv_rows("python-utf8-as-cp949.tsv"), 64.5, 97.5);
  check("utf-8 as big5 (CPython, replace)", tsv_rows("python-utf8-as-big5.tsv"), 0.0, 28.0);
}

TEST(Lossy, Utf8ReadAsGbkByNaiveDecoder) {
  check("utf-8 as gbk (naive, '?')", damaged_rows(encoding::gbk, decode_mode::naive, kAll), 12.3,
        86.2);
}

TEST(Lossy, ShiftedGbk) {
  const std::vector<row> rows = tsv_rows("shifted-gbk.tsv");
  check("gbk one byte out of step (naive)", rows, 33.0, 94.5);
  // Of the characters the damage changed, how many come back: of all of
  // them, and of those not provably lost (every byte of a provably lost
  // character went into a '?'; the generator counts them), which is the
  // rate the requirement sets.
  std::size_t damaged = 0, recovered = 0, lost = 0;
  for (const row& r : rows) {
    const std::u32string o = u32(r.original), d = u32(r.damaged);
    const std::u32string g = u32(mojifix::fix_text(r.damaged));
    const std::size_t before = lcs(o, d), after = lcs(o, g);
    damaged += o.size() - before;
    lost += std::min(r.lost, o.size() - before);
    if (after > before) recovered += after - before;
  }
  const double rate =
      damaged ? 100.0 * static_cast<double>(recovered) / static_cast<double>(damaged) : 0;
  const double recoverable_rate =
      damaged > lost ? 100.0 * static_cast<double>(recovered) / static_cast<double>(damaged - lost)
                     : 0;
  std::printf(
      "gbk one byte out of step: %zu of %zu damaged characters recovered (%.1f%%); "
      "%zu provably lost; %.1f%% of the recoverable ones (target 90%%)\n",
      recovered, damaged, rate, lost, recoverable_rate);
  EXPECT_GE(rate, 71.8);
  EXPECT_GE(recoverable_rate, 80.2);
}

// GBK read as UTF-8 (口字码): the decoder replaced every invalid byte
// sequence, so most characters are gone. Where a byte survived (a trail byte
// in 40-7E comes out as ASCII; bytes that happen to form valid UTF-8 come out
// as Cyrillic, Greek, Latin ... letters: й for 中) the character may come
// back. Counted: of the characters with a surviving byte (the generator's
// fourth column), how many come back, and what recovery invents.
// SHORTFALL: only the runs of letters whose pairs are known to start (after
// the line start or an ASCII byte below 0x40) or end come back; between two
// gaps a pair is as likely to start one byte later, and with gaps all
// around, the fills that would tell were wrong more often than not.
TEST(Lossy, GbkReadAsUtf8) {
  const std::vector<row> rows = tsv_rows("python-gbk-as-utf8.tsv");
  ASSERT_GE(rows.size(), 500u);
  check("gbk as utf-8 (CPython, replace)", rows, 0.0, 28.0);
  std::size_t with_evidence = 0, recovered = 0;
  for (const row& r : rows) {
    const std::u32string o = u32(r.original), d = u32(r.damaged);
    const std::u32string g = u32(mojifix::fix_text(r.damaged));
    with_evidence += r.lost;  // here: characters with a surviving byte
    const std::size_t before = lcs(o, d), after = lcs(o, g);
    if (after > before) recovered += after - before;
  }
  const double rate =
      with_evidence ? 100.0 * static_cast<double>(recovered) / static_cast<double>(with_evidence)
                    : 0;
  std::printf("gbk as utf-8: %zu of %zu characters with a surviving byte recovered (%.1f%%)\n",
              recovered, with_evidence, rate);
  EXPECT_GE(rate, 5.5);
}

// The dictionary fills are weighed with: jieba's words in Simplified and
// Taiwan standard characters, two to four Han characters.
TEST(Lossy, FillWordsTable) {
  const auto& w = mojifix::detail::fill_words::get();
  ASSERT_TRUE(w.ok());
  auto weight = [&](std::u32string_view s) { return w.weight(s.data(), s.size()); };
  EXPECT_GE(weight(U"\u5EB7\u5B9A"), 0);                        // 康定
  EXPECT_GE(weight(U"\u4E2D\u56FD"), weight(U"\u5EB7\u5B9A"));  // 中国, more frequent
  EXPECT_GE(weight(U"\u9EE8\u54E1"), 0);                        // 黨員 (Taiwan form of 党员)
  EXPECT_GE(weight(U"\u7269\u7406\u5C42"), 0);                  // 物理层
  EXPECT_EQ(weight(U"\u5B9A\u5E02"), -1);                       // 定市: no word
  EXPECT_EQ(weight(U"\u5EB7\u5B9A\u5E02"), -1);                 // 康定市: not in the dictionary
  EXPECT_EQ(weight(U"\u4E2D"), -1);                             // one character
  EXPECT_EQ(weight(U"ab"), -1);                                 // not Han
}

std::string fix(const std::string& s, bool drop = false) {
  mojifix::options o;
  o.drop_lost = drop;
  return mojifix::fix_text(s, o);
}

TEST(Lossy, GarbageRunsBecomeReplacementCharacters) {
  EXPECT_EQ(fix("\u6587\u4EF6\u951F\u65A4\u62F7\u951F\u65A4\u62F7\u5DF2"),
            "\u6587\u4EF6\uFFFD\uFFFD\uFFFD\uFFFD\u5DF2");  // 文件锟斤拷锟斤拷已
  EXPECT_EQ(fix("\u6587\u4EF6\u951F\u65A4\u62F7\u951F\u65A4\u62F7\u5DF2", true),
            "\u6587\u4EF6\u5DF2");
  EXPECT_EQ(fix("\u70EB\u70EB\u70EB\u70EB\u70EB\u70EB"), "\uFFFD");  // 烫烫烫烫烫烫
  EXPECT_EQ(fix("\u5C6F\u5C6F\u5C6F\u5C6F", true), "");              // 屯屯屯屯
  // Text about the phenomenon keeps its examples.
  const std::string about = "\u4E71\u7801\u201C\u951F\u65A4\u62F7\u201D";  // 乱码“锟斤拷”
  EXPECT_EQ(fix(about), about);
  // 烫 as a word stays: 很烫 (hot), and two in a row.
  EXPECT_EQ(fix("\u6C34\u5F88\u70EB\u70EB"), "\u6C34\u5F88\u70EB\u70EB");
}

TEST(Lossy, BriefExamples) {
  // 我是中国人 read as gb18030 (WHATWG): the last byte lost; 人 = E4 BA BA is
  // the only common character of E4 BA xx after 中国.
  EXPECT_EQ(fix("\u93B4\u621E\u69F8\u6D93\uE15E\u6D57\u6D5C\uFFFD"),
            "\u6211\u662F\u4E2D\u56FD\u4EBA");
  // 你好。 at the end of a line: 銆� is 。
  EXPECT_EQ(fix("\u6D63\u72B2\u30BD\u9286\uFFFD"), "\u4F60\u597D\u3002");
  // このバナー read as Shift_JIS (WHATWG): の's last two bytes, 81 AE, are no
  // pair of the code page and went into one U+FFFD; of the characters E3 xx yy
  // whose (xx, yy) the decoder rejects, の reads best between こ and バ.
  EXPECT_EQ(fix("\u7E3A\u8599\uFFFD\u7E5D\u820C\u30EA\u7E5D\uFF7C"),
            "\u3053\u306E\u30D0\u30CA\u30FC");
}

// The requirement's example: Traditional 中。康定市14名黨員 stored as GBK,
// one stray byte before 。, read by a naive double-byte decoder (and ？
// folded to ?). Known failure, listed: the out-of-step reading is found
// (定 from its two known bytes), but the model cannot tell 康 (BF B5) and
// 市 (CA D0) from the other characters with those known bytes by the fill
// margin (the pair 康定 is too rare in its training text), and the first '?'
// reads as well as a question mark typed in ASCII. They stay as marks.
// A dictionary does not settle it either: jieba has 康定 (frequency 52), but
// also 说定, whose 说 has the same trail byte (only the script of 黨員 rules
// it out, and nothing in the Simplified line), and 值 and 系, which make no
// word with 定, read within a bit of 康 even with its word's 2 bits; it has
// no 康定市, and 定式 (CA BD) is a word where 市 is none.
// The same damage in Simplified text must read the same way: between its
// gaps, 刀ㄊ is also Big5 taken for GBK (絮京), a story that explains less
// of the line.
TEST(Lossy, RequirementShiftedExample) {
  struct example {
    const char* script;
    std::string damaged, want;
  };
  const example examples[] = {
      {"Traditional", "\u4E2D??\u5200\u310A?4\u540D\u9EE8\u54E1",
       "\u4E2D\uFFFD\u5EB7\u5B9A\u5E02\uFFFD4\u540D\u9EE8\u54E1"},
      {"Simplified", "\u4E2D??\u5200\u310A?4\u540D\u515A\u5458",
       "\u4E2D\uFFFD\u5EB7\u5B9A\u5E02\uFFFD4\u540D\u515A\u5458"},
  };
  for (const example& x : examples) {
    const std::string got = mojifix::fix_text(x.damaged);
    std::printf("requirement example (%s): %s -> %s (want %s)%s\n", x.script, x.damaged.c_str(),
                got.c_str(), x.want.c_str(), got == x.want ? "" : "  KNOWN FAILURE");
    // What must hold already: the damage is read (定 comes back), and
    // nothing is invented: every character that is not U+FFFD (or a '?'
    // left as it was) is the original's, in order.
    EXPECT_NE(got.find("\u5B9A"), std::string::npos) << x.script;
    const std::u32string g = u32(got), w = u32(x.want);
    std::size_t at = 0;
    for (char32_t c : g) {
      if (c == U'\uFFFD' || c == U'?') continue;  // marks of what was lost
      while (at < w.size() && w[at] != c) ++at;
      ASSERT_LT(at, w.size()) << x.script << ": invented character U+" << std::hex
                              << static_cast<unsigned>(c);
      ++at;
    }
  }
}

TEST(Lossy, RequirementExampleInItsArticle) {
  const std::string damaged = "\u4E2D??\u5200\u310A?4\u540D\u9EE8\u54E1";
  const std::string before =
      "\u5EB7\u5B9A\u5E02\u4F4D\u65BC\u56DB\u5DDD\u7701\u897F\u90E8\u3002";  // 康定市位於四川省西部。
  const std::string article = before + "\n" + damaged + "\n";
  const std::string got = mojifix::fix_text(article);
  const std::string line = got.substr(got.find('\n') + 1);
  std::printf("requirement example in its article: %s", line.c_str());
  EXPECT_EQ(got.substr(0, before.size()), before);
  // 康定市, then the lost 1 of 14 marked, not dropped
  EXPECT_NE(line.find("\u5EB7\u5B9A\u5E02\uFFFD4\u540D\u9EE8\u54E1"), std::string::npos);
  const mojifix::context around(article);
  std::string alone = mojifix::fix_text(damaged, {}, around);
  alone.push_back('\n');
  EXPECT_EQ(alone, line);
  // Without the article, the line alone does not tell.
  EXPECT_EQ(mojifix::fix_text(damaged).find("\u5EB7"), std::string::npos);
}

// UTF-8 read as a single-byte code page whose decoder wrote U+FFFD or '?'
// for a byte the code page leaves undefined: the damaged sequence becomes
// one character, U+FFFD where the lost byte is not clear.
TEST(Lossy, SingleByteGaps) {
  // Á = C3 81 through windows-1250 (81 undefined): Á, Ã, È, Ð, Ø are the
  // readings; none wins clearly before "frica".
  EXPECT_EQ(fix("Asia, \u0102\uFFFDfrica"), "Asia, \uFFFDfrica");
  // ” = E2 80 9D through windows-1252, written as '?'.
  EXPECT_EQ(fix("upgraded to \u201Cbb+\u00E2\u20AC? from"), "upgraded to \u201Cbb+\uFFFD from");
  // Clean text: a question mark after a capital with a tilde (Portuguese),
  // and Íπå? (까? through mac-roman), where the '?' is a question mark.
  EXPECT_EQ(fix("IRM\u00C3? VOC\u00CA?"), "IRM\u00C3? VOC\u00CA?");
  EXPECT_EQ(fix("\u00CD\u03C0\u00E5?"), "\uAE4C?");
}

// Question marks typed in ASCII between common Chinese characters are no
// gaps: text read out of step shows rare characters or symbols somewhere.
TEST(Lossy, TypedQuestionMarksStay) {
  for (const char* clean : {"你好?世界", "真的?假的?", "他说?好吧?我们走。",
                            "子曰:\u201C能以礼让为国乎?何有?不能以礼让为国,如礼何?\u201D",
                            "心乎愛矣,遐不謂矣?中心藏之,何日忘之?", "糖胺?", "楸?", "种植楸?树"})
    EXPECT_EQ(fix(clean), clean);
}

// Out of step with no '?': a UTF-8 。 (E3 80 82) inside GBK text before 个t
// (B8 F6 74) reads 銆偢鰐; skipping the three stray bytes re-pairs them.
TEST(Lossy, ShiftedByStrayFullStop) {
  EXPECT_EQ(mojifix::fix_text("\u5230\u4E00\u9286\u5062\u9C10ar\u6587\u4EF6"),
            "\u5230\u4E00\u4E2Atar\u6587\u4EF6");
}

// Recovery works in pieces: long damaged lines cost linear time and little
// memory (a bound loose enough for a loaded machine; quadratic work on these
// lines took minutes).
// A bound far above what linear work needs (a quadratic search takes hours
// here); sanitizers slow everything down about ten-fold.
#if defined(__SANITIZE_ADDRESS__)
constexpr double kHangSeconds = 300;
#else
constexpr double kHangSeconds = 30;
#endif

TEST(Lossy, LongDamagedLinesStayLinear) {
  std::string q, r;
  for (int i = 0; i < 50000; ++i) q += "\u6D93?";  // 涓?
  for (int i = 0; i < 100000; ++i) r += "\uFFFD";  // U+FFFD
  const auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(mojifix::fix_text(q).empty());
  EXPECT_FALSE(mojifix::fix_text(r).empty());
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("two long damaged lines (250,000 characters): %.2f s\n", seconds);
  EXPECT_LT(seconds, kHangSeconds);
}

// Where no reading of a gap wins clearly, the gap stays U+FFFD and the
// change says how many characters were lost.
TEST(Lossy, UncertainGapsStayMarked) {
  // 核 心 (spaced) read as GBK: 鏍� 蹇�; the third byte of each is gone and
  // nothing around them tells which of 64 characters each was.
  std::u32string line = U"\u934D\uFFFD \u8E47\uFFFD";
  mojifix::detail::repair_settings s;
  std::vector<mojifix::detail::repair_change> seen;
  mojifix::detail::repair_line(line, s, [&](const std::vector<mojifix::detail::repair_change>& p) {
    seen.insert(seen.end(), p.begin(), p.end());
  });
  EXPECT_EQ(line, U"\uFFFD \uFFFD");
  ASSERT_FALSE(seen.empty());
  EXPECT_EQ(seen.front().lost, 1u);
  EXPECT_EQ(seen.front().note, "1 character lost");
  ASSERT_EQ(seen.front().layers.size(), 1u);
  EXPECT_EQ(mojifix::detail::describe(*seen.front().layers.front()),
            "encode gb18030 \u2192 decode utf-8");
}

// fix(fix(x)) == fix(x) over every damaged row of the reference files. Known
// failures, counted: lines a run recovers only in part, where the next run
// reads the part left (shifted GBK, UTF-8 read as EUC-KR or Big5 by the
// lossless layers). The bound is the count when it was last lowered.
TEST(Lossy, ReferenceRowsMostlyIdempotent) {
  constexpr std::size_t kKnownUnstable = 20;
  std::size_t rows = 0, unstable = 0;
  for (const char* name :
       {"python-utf8-as-gbk.tsv", "python-utf8-as-gb18030.tsv", "python-utf8-as-big5.tsv",
        "python-utf8-as-cp932.tsv", "python-utf8-as-cp949.tsv", "python-utf8-as-euc-kr.tsv",
        "shifted-gbk.tsv"}) {
    for (const row& r : tsv_rows(name)) {
      ++rows;
      const std::string once = mojifix::fix_text(r.damaged);
      if (mojifix::fix_text(once) != once) ++unstable;
    }
  }
  std::printf("reference rows not idempotent: %zu of %zu (known: %zu)\n", unstable, rows,
              kKnownUnstable);
  EXPECT_LE(unstable, kKnownUnstable);
}

TEST(Lossy, RecoveryIsIdempotent) {
  int n = 0;
  for (const row& r : damaged_rows(encoding::gb18030, decode_mode::whatwg, {"zh_CN"})) {
    if (++n > 150) break;
    const std::string once = mojifix::fix_text(r.damaged);
    EXPECT_EQ(mojifix::fix_text(once), once) << r.damaged;
  }
}

}  // namespace
