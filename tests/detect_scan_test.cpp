// The fast path's three-byte walk against the general per-character path:
// on real lines (the negative corpus, both columns of every case file and
// lossy case file), on
// those lines cut and spliced, and on random text built from the characters
// the rules look at, every place the scan stops at must be the same.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "codec/utf8.hpp"
#include "detect/suspect.hpp"
#include "model/scorer.hpp"
#include "mojifix/fix.hpp"
#include "test_data.hpp"

namespace mojifix::detail {
// Defined in src/detect/suspect.cpp: every place the scan stops at, with the
// three-byte walk (walk = true, what may_hold_mojibake runs) or without it.
std::vector<std::size_t> scan_triggers(std::string_view line, bool walk);
}  // namespace mojifix::detail

namespace {

using mojifix::detail::scan_triggers;

std::string utf8_of(char32_t cp) {
  std::string s;
  mojifix::detail::utf8::append(s, cp);
  return s;
}

// Compares the two paths on one line; returns false (and says why) when
// they differ.
bool same_answers(std::string_view line, std::string_view what) {
  const auto walk = scan_triggers(line, true);
  const auto reference = scan_triggers(line, false);
  const bool may = mojifix::detail::may_hold_mojibake(line);
  if (walk == reference && may == !reference.empty()) return true;
  std::string hex;
  for (unsigned char c : line.substr(0, 64)) {
    static const char* kDigits = "0123456789ABCDEF";
    hex += kDigits[c >> 4];
    hex += kDigits[c & 15];
    hex += ' ';
  }
  ADD_FAILURE() << what << ": walk " << walk.size() << " stops, reference " << reference.size()
                << ", may_hold_mojibake " << may << "; line starts " << hex;
  return false;
}

// Pieces for random text: characters of every class the rules look at, and
// the byte sequences the walk must leave to the general path.
std::vector<std::string> pieces() {
  std::vector<std::string> out = {" ",
                                  "a",
                                  "Z",
                                  "?",
                                  "??",
                                  "1",
                                  ".",
                                  "\n",
                                  "\xE7\x83\xAB",
                                  "\xE5\xB1\xAF",  // 烫 屯
                                  "\xE2\x80\x9C",
                                  "\xE2\x80\x9D",
                                  "\xE2\x80\xA6",
                                  "\xE2\x82\xAC",  // “ ” … €
                                  "\xC3\xA9",
                                  "\xC3",
                                  "\xC2\x93",
                                  "\xEF\xBF\xBD",  // é, lone lead
                                  "\xE0\x80\x80",
                                  "\xE0\x9F\xBF",
                                  "\xED\xA0\x80",
                                  "\xED\xBF\xBF",  // overlong, surrogate
                                  "\xE4\xB8",
                                  "\xE4",
                                  "\x80",
                                  "\xBF",
                                  "\xFF",
                                  "\xF0\x9F\x98\x80",  // cut, stray, emoji
                                  "\xF0\xA0\x80\x80",
                                  "\xEF\xBF\xBE",
                                  "\xEF\xBD\xB1"};  // U+20000, U+FFFE, ｱ
  // A few code points of every class, from the same classification the
  // scan's tables come from.
  const auto& sc = mojifix::detail::scorer::get();
  std::vector<std::vector<char32_t>> by_class(
      static_cast<std::size_t>(mojifix::detail::char_class::count_));
  for (char32_t cp = 0x80; cp < 0x10000; ++cp) {
    by_class[static_cast<std::size_t>(sc.classify(cp))].push_back(cp);
  }
  std::mt19937 rng(20261129);
  for (const auto& cps : by_class) {
    if (cps.empty()) continue;
    for (int k = 0; k < 24; ++k) out.push_back(utf8_of(cps[rng() % cps.size()]));
  }
  return out;
}

TEST(DetectScan, RealLinesGiveTheSameAnswers) {
  std::size_t lines = 0, flagged = 0, failures = 0;
  const auto check = [&](std::string_view line, std::string_view what) {
    ++lines;
    if (!scan_triggers(line, false).empty()) ++flagged;
    if (!same_answers(line, what) && ++failures > 20) return false;
    return true;
  };
  for (const auto& file : mojifix::test::read_negative_files()) {
    for (const auto& line : file.lines) {
      if (!check(line, file.name)) return;
    }
  }
  // The case files, and the lossy ones (the same columns; '?' and U+FFFD
  // where a decoder gave up).
  auto files = mojifix::test::read_case_files();
  for (const auto& path :
       mojifix::test::list_files(mojifix::test::test_data_dir() + "/lossy", ".tsv"))
    files.push_back(mojifix::test::read_case_file(path));
  for (const auto& file : files) {
    for (const auto& c : file.cases) {
      if (!check(c.original, file.chain + " original") ||
          !check(c.damaged, file.chain + " damaged"))
        return;
    }
  }
  // Enough lines, and both answers among them, for the comparison to mean
  // something.
  EXPECT_GE(lines, 20000u);
  EXPECT_GT(flagged, 1000u);
  EXPECT_LT(flagged, lines);
}

TEST(DetectScan, SplicedLinesGiveTheSameAnswers) {
  // Real lines cut at any byte and glued to other lines: runs of
  // three-byte characters that start, end and break in every place.
  std::vector<std::string> real;
  for (const auto& file : mojifix::test::read_case_files()) {
    for (const auto& c : file.cases) {
      real.push_back(c.original);
      real.push_back(c.damaged);
    }
  }
  ASSERT_FALSE(real.empty());
  std::mt19937 rng(7);
  for (int k = 0; k < 10000; ++k) {
    const std::string& a = real[rng() % real.size()];
    const std::string& b = real[rng() % real.size()];
    const std::size_t cut_a = a.empty() ? 0 : rng() % (a.size() + 1);
    const std::size_t cut_b = b.empty() ? 0 : rng() % (b.size() + 1);
    std::string line = a.substr(cut_a) + b.substr(0, cut_b);
    if (!line.empty() && rng() % 4 == 0)
      line[rng() % line.size()] ^= static_cast<char>(1 << (rng() % 8));
    if (!same_answers(line, "spliced")) return;
  }
}

TEST(DetectScan, RandomTextGivesTheSameAnswers) {
  const auto pool = pieces();
  std::mt19937 rng(42);
  std::size_t flagged = 0;
  for (int k = 0; k < 10000; ++k) {
    std::string line;
    const int length = 1 + static_cast<int>(rng() % 40);
    for (int j = 0; j < length; ++j) line += pool[rng() % pool.size()];
    if (!scan_triggers(line, false).empty()) ++flagged;
    if (!same_answers(line, "random")) return;
  }
  EXPECT_GT(flagged, 100u);
}

TEST(DetectScan, RunsOfCleanCjkGiveTheSameAnswers) {
  // Long runs of common Han and punctuation with one odd character placed
  // anywhere: where the walk must stop, and what it must remember.
  const auto& sc = mojifix::detail::scorer::get();
  std::vector<std::string> plain;
  for (char32_t cp = 0x3000; cp < 0xA000; ++cp) {
    const auto c = sc.classify(cp);
    if (c == mojifix::detail::char_class::han_common || c == mojifix::detail::char_class::kana ||
        c == mojifix::detail::char_class::cjk_symbol)
      plain.push_back(utf8_of(cp));
  }
  ASSERT_FALSE(plain.empty());
  const auto odd = pieces();
  // ASCII between words: the walk steps over one such byte, but not a '?'
  // (a naive decoder's mark when it touches a run).
  const std::vector<std::string> between = {" ", "?", "??", "? ", "a", ",", "1", "\t", " ?"};
  std::mt19937 rng(3);
  std::size_t flagged = 0;
  for (int k = 0; k < 20000; ++k) {
    std::string line;
    const int length = 1 + static_cast<int>(rng() % 30);
    const int at = static_cast<int>(rng() % (length + 1));
    for (int j = 0; j < length; ++j) {
      if (j == at) line += odd[rng() % odd.size()];
      if (rng() % 5 == 0) line += between[rng() % between.size()];
      line += plain[rng() % plain.size()];
    }
    if (!scan_triggers(line, false).empty()) ++flagged;
    if (!same_answers(line, "run")) return;
  }
  EXPECT_GT(flagged, 1000u);
}

}  // namespace

namespace {

TEST(DetectScan, RareSyllablesUtf8CannotMakeAreNoSign) {
  // 핧 is C1 43 in cp949: C1 never occurs in UTF-8, so no UTF-8 read as
  // cp949 shows it (a typo in a Korean manual page, not damage).
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(
      "\xEC\x84\xA4\xEC\xB9\x98 \xEC\x8B\xA4\xED\x96\x89\xED\x95\xA7 \xEC\x88\x98\xEB\x8F\x84"));
  // 갂 is 81 41: a continuation byte and an ASCII letter, as UTF-8 has
  // them ("...\x81" then "A"), so it stays a sign.
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("\xEA\xB0\x82"));
}

}  // namespace

namespace {

// DOS Cyrillic (cp866) shows р-я as UTF-8 lead bytes and а-п as
// continuation bytes, so clean Russian would look like it in almost every
// word ("програм"); UTF-8 read as cp866 still shows (box drawing and
// capitals: "╨Я╤А╨╕" for При, "ф╕н" for 中). (A small letter before ё
// still is: windows-1251 shows "дё" as E4 B8, the start of 中.)
TEST(DetectScan, CleanRussianIsNoSignOfDosCyrillic) {
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(
      "\u041F\u0440\u043E\u0433\u0440\u0430\u043C\u043C\u0430 \u0440\u0430\u0431\u043E\u0442"
      "\u0430\u0435\u0442 \u0431\u044B\u0441\u0442\u0440\u043E \u0438 \u043D\u0430\u0434\u0435"
      "\u0436\u043D\u043E."));
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("\u2568\u042F\u2564\u0410\u2568\u0438"));
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("\u0444\u2555\u043D"));
}

// A clause of Russian read as GBK among clean Russian clauses: its CJK
// characters all come from the rows that UTF-8 Cyrillic makes.
TEST(DetectScan, CyrillicReadAsGbkAmongCleanCyrillic) {
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake(
      "\u041E \u0442\u043E\u043C, \u6CFB\u90AA\u6CFB \u0441\u0434\u0435\u043B\u0430\u0442"
      "\u044C."));
}

}  // namespace

namespace {

// Two small accented letters inside a word are Portuguese or Czech, not the
// two bytes of a GBK character read as windows-1252 (ÎÒÊÇ for 我是 stands
// alone, among capitals and signs).
TEST(DetectScan, SmallAccentedPairsInWordsAreNoSign) {
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(
      "A configura\u00E7\u00E3o das informa\u00E7\u00F5es \u00E9 feita pelo administrador."));
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake("Nejv\u00ED\u0161e p\u0159\u00ED\u0161t\u00ED."));
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("\u00CE\u00D2\u00CA\u00C7"));
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("Linux \u00CF\u00B5\u00CD\u00B3"));
}

}  // namespace

namespace {

// Persian and Arabic letters are UTF-8 lead bytes in windows-1256 and
// Persian letters, Arabic punctuation and joiners continuation bytes: only
// a pair that decodes to a character of the scripts UTF-8 read as
// windows-1256 brings counts (ط and ظ before a sign, for Arabic).
TEST(DetectScan, CleanPersianIsNoSignOfWindows1256) {
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(
      "\u0627\u06CC\u0646 \u06CC\u06A9 \u0645\u062A\u0646 \u0641\u0627\u0631\u0633\u06CC "
      "\u0627\u0633\u062A \u06A9\u0647 \u0628\u0627 \u0646\u06AF\u0627\u0647 \u062F\u0631 "
      "\u0645\u0648\u0631\u062F \u062F\u0641\u062A\u0631\u060C \u06A9\u0627\u0631 \u0645\u06CC"
      "\u200C\u06A9\u0646\u062F."));
  const std::string damaged =
      "\u0638\u2026\u0637\u00B1\u0637\u00AD\u0637\u00A8\u0637\u00A7 \u0637\u00A8\u0637\u00A7"
      "\u0638\u201E\u0637\u00B9\u0637\u00A7\u0638\u201E\u0638\u2026\u0637\u0152 \u0638\u0192"
      "\u0638\u0679\u0638\u067E \u0637\u00AD\u0637\u00A7\u0638\u201E\u0638\u0192\u0637\u06BA";
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake(damaged));
  EXPECT_EQ(mojifix::fix_text(damaged),
            "\u0645\u0631\u062D\u0628\u0627 \u0628\u0627\u0644\u0639\u0627\u0644\u0645\u060C "
            "\u0643\u064A\u0641 \u062D\u0627\u0644\u0643\u061F");
}

}  // namespace

namespace {

// Cyrillic code pages show Cyrillic letters as UTF-8 bytes too. Clean
// Ukrainian and Russian are no sign; the same text read as each of them
// still is, and comes back.
TEST(DetectScan, CyrillicCodePagesStillShowTheirMojibake) {
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(
      "\u0412\u0456\u043D \u0441\u043A\u0430\u0437\u0430\u0432, \u0449\u043E \u043B\u0456\u0441 "
      "\u0456 \u043F\u043E\u043B\u0435 \u2014 \u0446\u0435 \u0457\u0457 \u0434\u0456\u043C, "
      "\u0430 \u043F\u0456\u0441\u043D\u044F \u0437\u0432\u0443\u0447\u0438\u0442\u044C "
      "\u0433\u0430\u0440\u043D\u043E."));
  const std::string original =
      "\u041F\u0440\u0438\u0432\u0435\u0442, \u043A\u0430\u043A \u0434\u0435\u043B\u0430? "
      "\u0412\u0441\u0451 \u0445\u043E\u0440\u043E\u0448\u043E.";
  EXPECT_FALSE(mojifix::detail::may_hold_mojibake(original));
  const char* damaged[] = {
      // KOI8-R
      "\u043F\u00F7\u044F\u2500\u043F\u2566\u043F\u2561\u043F\u2563\u044F\u250C, \u043F\u2568"
      "\u043F\u255F\u043F\u2568 \u043F\u2562\u043F\u2563\u043F\u2569\u043F\u255F? \u043F\u2593"
      "\u044F\u2502\u044F\u2592 \u044F\u2518\u043F\u256C\u044F\u2500\u043F\u256C\u044F\u252C"
      "\u043F\u256C.",
      // windows-1251
      "\u0420\u045F\u0421\u0402\u0420\u0451\u0420\u0406\u0420\u00B5\u0421\u201A, \u0420\u0454"
      "\u0420\u00B0\u0420\u0454 \u0420\u0491\u0420\u00B5\u0420\u00BB\u0420\u00B0? \u0420\u2019"
      "\u0421\u0403\u0421\u2018 \u0421\u2026\u0420\u0455\u0421\u0402\u0420\u0455\u0421\u20AC"
      "\u0420\u0455.",
      // cp866
      "\u2568\u042F\u2564\u0410\u2568\u2555\u2568\u2593\u2568\u2561\u2564\u0412, \u2568\u2551"
      "\u2568\u2591\u2568\u2551 \u2568\u2524\u2568\u2561\u2568\u2557\u2568\u2591? \u2568\u0422"
      "\u2564\u0411\u2564\u0421 \u2564\u0415\u2568\u255B\u2564\u0410\u2568\u255B\u2564\u0418"
      "\u2568\u255B.",
  };
  for (const char* d : damaged) {
    EXPECT_TRUE(mojifix::detail::may_hold_mojibake(d)) << d;
    EXPECT_EQ(mojifix::fix_text(d), original) << d;
  }
}

}  // namespace

namespace {

// 銆 and 锛 are the first two bytes of UTF-8's CJK punctuation and
// fullwidth forms read as GBK: a sign wherever they stand (如果未指定文件名，
// stored as GBK out of step, 。 as UTF-8 before it, read by a naive decoder).
TEST(DetectScan, CjkPunctuationLeadsReadAsGbkAreASign) {
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake(
      "\u5982\u679C\u672A\u6307\u5B9A\u6587\u4EF6\u540D\u9286\u5045?"));
  EXPECT_TRUE(mojifix::detail::may_hold_mojibake("\u4F60\u597D\u951B\u4E16\u754C"));
}

}  // namespace
