// The normalize stage: reading annotations (generated annotated text, legit
// parentheses from Debian's manual pages and hand-written tricky lines), each
// general fixer, CJK punctuation, the Plan's offsets, and the fast scan
// against the fixers themselves.

#include "normalize/normalize.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "codec/utf8.hpp"
#include "mojifix/fix.hpp"
#include "normalize/readings.hpp"
#include "script/classify.hpp"
#include "script/convert.hpp"
#include "test_data.hpp"

namespace {

using mojifix::test::visible;

constexpr std::size_t kMinLegitLines = 500;
constexpr std::size_t kMinAnnotatedLines = 500;

std::vector<std::string> data_lines(const std::string& name) {
  const auto text = mojifix::test::read_file(mojifix::test::test_data_dir() + "/normalize/" + name);
  std::vector<std::string> out;
  if (!text) return out;
  for (std::string_view line : mojifix::test::split_lines(*text)) {
    if (line.empty() || line[0] == '#') continue;
    out.emplace_back(line);
  }
  return out;
}

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> f;
  std::size_t at = 0;
  for (;;) {
    const std::size_t tab = line.find('\t', at);
    f.emplace_back(line.substr(at, tab == std::string_view::npos ? line.npos : tab - at));
    if (tab == std::string_view::npos) return f;
    at = tab + 1;
  }
}

std::string replay(std::string_view in, const std::vector<mojifix::step>& steps);

std::size_t count_chain(const mojifix::fix_result& r, std::string_view chain) {
  std::size_t n = 0;
  for (const auto& st : r.steps)
    if (st.chain.find(chain) != std::string::npos) ++n;
  return n;
}

// --- Reading annotations ---

TEST(Readings, GeneratedAnnotationsAreAllRemoved) {
  const auto rows = data_lines("annotated.tsv");
  ASSERT_GE(rows.size(), kMinAnnotatedLines) << "tests/data/normalize/annotated.tsv missing";
  std::map<std::string, std::pair<std::size_t, std::size_t>> by_style;  // restored, total
  std::size_t restored = 0, shown = 0;
  for (const auto& row : rows) {
    const auto f = split_tabs(row);
    ASSERT_EQ(f.size(), 3u) << row;
    const std::string out = mojifix::fix_text(f[2]);
    const bool ok = out == f[1];
    restored += ok;
    for (std::size_t at = 0; at <= f[0].size();) {  // each style the line holds
      const std::size_t comma = std::min(f[0].find(',', at), f[0].size());
      const std::string style = f[0].substr(at, comma - at);
      at = comma + 1;
      auto& [good, all] = by_style[style];
      good += ok;
      ++all;
    }
    if (!ok && ++shown <= 20) {
      std::printf("  not restored: %s\n    got:      %s\n    expected: %s\n", visible(f[2]).c_str(),
                  visible(out).c_str(), visible(f[1]).c_str());
    }
  }
  std::printf("\n%-40s %6s %6s\n", "annotation styles", "lines", "clean");
  for (const auto& [style, n] : by_style)
    std::printf("%-40s %6zu %6zu\n", style.c_str(), n.second, n.first);
  std::printf("annotated lines restored: %zu / %zu (%.1f%%)\n", restored, rows.size(),
              100.0 * static_cast<double>(restored) / static_cast<double>(rows.size()));
  EXPECT_EQ(restored, rows.size());
}

TEST(Readings, LegitParenthesesStay) {
  auto lines = data_lines("legit_parens.txt");
  const auto hand = data_lines("legit_parens_hand.txt");
  const std::size_t from_pages = lines.size();
  lines.insert(lines.end(), hand.begin(), hand.end());
  ASSERT_GE(lines.size(), kMinLegitLines);
  std::size_t wrong = 0, changed = 0;
  for (const auto& line : lines) {
    const auto r = mojifix::fix_and_explain(line);
    const std::size_t removed = count_chain(r, "remove reading");
    wrong += removed;
    if (r.text != line) {
      ++changed;
      std::printf("  changed: %s\n     into: %s\n", visible(line).c_str(), visible(r.text).c_str());
    }
  }
  std::printf(
      "legit parenthesised lines: %zu (%zu from manual pages, %zu hand-written), "
      "wrong removals: %zu, lines changed: %zu\n",
      lines.size(), from_pages, hand.size(), wrong, changed);
  EXPECT_EQ(wrong, 0u);
  EXPECT_EQ(changed, 0u);
}

TEST(Readings, EveryStyleOfTheRequirement) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"網(wǎng)路", "網路"},
      {"醫(yī)生", "醫生"},
      {"對於(yu) 這個問題", "對於這個問題"},
      {"網(ㄨㄤˇ)路", "網路"},
      {"漢字(かんじ)を書く", "漢字を書く"},
      {"漢字(カンジ)を書く", "漢字を書く"},
      {"網（wǎng）路", "網路"},
      {"發生(fā shēng)了", "發生了"},
      {"發生(fāshēng)了", "發生了"},
      {"网(wang3)络", "网络"},
      {"的(˙ㄉㄜ)", "的"},
      {"縣(市)", "縣(市)"},
      {"鄉(鎮)", "鄉(鎮)"},
      {"中国(China)", "中国(China)"},
      {"他(he)", "他(he)"},
      {"A(1)", "A(1)"},
      {"他(ta)", "他"},  // a toneless reading of 他 is an annotation
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(mojifix::fix_text(in), want) << in;
  mojifix::options off;
  off.remove_readings = false;
  EXPECT_EQ(mojifix::fix_text("網(wǎng)路", off), "網(wǎng)路");
}

// --- General fixers, one by one ---

struct fixer_case {
  std::string_view what;
  std::string in;
  std::string want;
};

TEST(Fixers, DefaultsDoWhatOptionsSay) {
  const std::vector<fixer_case> cases = {
      {"entities", "caf&eacute; &amp; &#233;t&#xE9;", "café & été"},
      {"entities kept in markup", "<p>caf&eacute;</p>", "<p>caf&eacute;</p>"},
      {"&amp; before an entity stays (idempotence)", "&amp;lt;", "&amp;lt;"},
      {"c1 as windows-1252", "\xC2\x93quoted\xC2\x94", "\xE2\x80\x9Cquoted\xE2\x80\x9D"},
      {"surrogate pair", "a\xED\xA0\xBD\xED\xB8\x80z", "a\xF0\x9F\x98\x80z"},
      {"lone surrogate kept", "a\xED\xA0\xBDz", "a\xED\xA0\xBDz"},
      {"terminal escapes", "\x1b[31mred\x1b[0m text", "red text"},
      {"control inside a word", "wo\x08rd", "word"},
      {"control as a separator stays", "a \x01 b", "a \x01 b"},
      {"NUL stays", std::string("a\0b", 3), std::string("a\0b", 3)},
      {"deprecated format char",
       "ab\xE2\x81\xAA"
       "cd",
       "abcd"},
      {"ligatures",
       "signi\xEF\xAC\x81"
       "cant",
       "significant"},
      {"fullwidth latin", "\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F world",
       "hello world"},
      {"fullwidth digits in CJK stay", "２０２３年", "２０２３年"},
      {"a combining mark is part of its letter", "中文 e\xCC\x81 ＡＢＣ d", "中文 \xC3\xA9 ABC d"},
      {"halfwidth kana glued to katakana", "パスﾜｰド", "パスワード"},
      {"halfwidth kana on their own stay", "ｶﾀｶﾅ", "ｶﾀｶﾅ"},
      {"bom", "\xEF\xBB\xBFtext", "text"},
      {"zero width kept by default",
       "a\xE2\x80\x8B"
       "b",
       "a\xE2\x80\x8B"
       "b"},
      {"dakuten", "か゛き", "がき"},
      {"handakuten", "は゜", "ぱ"},
      {"no dakuten for a", "あ゛", "あ゛"},
      {"kangxi radical", "\xE2\xBC\x80", "\xE4\xB8\x80"},
      {"compatibility ideograph", "\xEF\xA4\x80", "\xE8\xB1\x88"},
      // EUC-KR's eight-byte syllables as four jamo: filler, initial, vowel,
      // final (or the filler for none); KS X 1001's own syllables stay.
      {"jamo", "ㅤㄸㅗㅁ방각하", "똠방각하"},
      {"jamo without a final", "ㅤㄲㅒㅤ", "꺠"},
      {"jamo of a KS X 1001 syllable stay", "ㅤㄸㅏㅤ", "ㅤㄸㅏㅤ"},
      {"a filler alone stays", "ㅤ ㄱ", "ㅤ ㄱ"},
      {"nfc", "e\xCC\x81", "\xC3\xA9"},
      {"nfc keeps precomposed nukta", "\xE0\xA5\x9B", "\xE0\xA5\x9B"},
      {"quotes kept by default", "\xE2\x80\x9Cq\xE2\x80\x9D", "\xE2\x80\x9Cq\xE2\x80\x9D"},
      {"fullwidth CJK punctuation kept", "你好，世界！", "你好，世界！"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(mojifix::fix_text(c.in), c.want) << c.what << ": " << visible(c.in);
    EXPECT_EQ(mojifix::fix_text(c.want), c.want) << c.what << " (idempotence)";
  }
}

// Each change is a step of the Plan named after its fixer, and replaying the
// steps on the input gives the output.
TEST(Plan, EveryFixerShowsAsAStep) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"caf&eacute;", "html entities"},
      {"\xC2\x93q\xC2\x94", "c1 controls as windows-1252"},
      {"a\xED\xA0\xBD\xED\xB8\x80z", "surrogate pair"},
      {"\x1b[31mred", "terminal escapes"},
      {"wo\x08rd", "control characters"},
      {"\xEF\xAC\x81", "latin ligatures"},
      {"\xEF\xBD\x88\xEF\xBD\x89 there", "width"},
      {"\xEF\xBB\xBFtext", "byte-order mark"},
      {"か゛", "dakuten"},
      {"\xE2\xBC\x80", "cjk compatibility"},
      {"ㅤㄸㅗㅁ", "hangul jamo"},
      {"e\xCC\x81", "nfc"},
      {"網(wǎng)", "remove reading"},
  };
  for (const auto& [in, chain] : cases) {
    const auto r = mojifix::fix_and_explain(in);
    EXPECT_GE(count_chain(r, chain), 1u) << chain << ": " << visible(in);
    EXPECT_EQ(replay(in, r.steps), r.text) << chain;
    EXPECT_EQ(r.text, mojifix::fix_text(in)) << chain;
  }
}

TEST(Fixers, OptInAndOff) {
  mojifix::options o;
  o.uncurl_quotes = true;
  EXPECT_EQ(mojifix::fix_text("\xE2\x80\x9Cq\xE2\x80\x9D \xE2\x80\x98s\xE2\x80\x99", o),
            "\"q\" 's'");
  o = {};
  o.remove_zero_width = true;
  EXPECT_EQ(mojifix::fix_text("a\xE2\x80\x8B"
                              "b",
                              o),
            "ab");
  // ZWJ of an emoji sequence stays.
  const std::string family = "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9";
  EXPECT_EQ(mojifix::fix_text(family, o), family);
  o = {};
  o.html_entities = mojifix::entity_mode::always;
  EXPECT_EQ(mojifix::fix_text("<p>caf&eacute;</p>", o), "<p>café</p>");
  o.html_entities = mojifix::entity_mode::never;
  EXPECT_EQ(mojifix::fix_text("caf&eacute;", o), "caf&eacute;");
  o = {};
  o.normalization = mojifix::normal_form::nfkc;
  EXPECT_EQ(mojifix::fix_text("\xE2\x91\xA0", o), "1");
  o.normalization = mojifix::normal_form::none;
  EXPECT_EQ(mojifix::fix_text("e\xCC\x81", o), "e\xCC\x81");
  o = {};
  EXPECT_EQ(mojifix::fix_text("a\r\nb\rc", o), o.fix_line_breaks ? "a\nb\nc" : "a\r\nb\rc");
  o.fix_line_breaks = true;
  EXPECT_EQ(mojifix::fix_text("a\r\nb\rc\xE2\x80\xA8"
                              "d",
                              o),
            "a\nb\nc\nd");
  o = {};
  o.fix_c1_controls = false;
  EXPECT_EQ(mojifix::fix_text("\xC2\x93q\xC2\x94", o), "\xC2\x93q\xC2\x94");
  o = {};
  o.fix_width = false;
  EXPECT_EQ(mojifix::fix_text("\xEF\xBD\x88\xEF\xBD\x89", o), "\xEF\xBD\x88\xEF\xBD\x89");
}

TEST(Fixers, CjkPunctuationRestoredOnRequest) {
  mojifix::options o;
  o.restore_cjk_punct = true;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"你好,世界!", "你好，世界！"},
      {"注意:这是(重要的)内容;请看?", "注意：这是（重要的）内容；请看？"},
      {"中文(English)", "中文(English)"},
      {"时间:12:00", "时间:12:00"},
      {"a, b: c", "a, b: c"},
  };
  for (const auto& [in, want] : cases) EXPECT_EQ(mojifix::fix_text(in, o), want) << in;
  EXPECT_EQ(mojifix::fix_text("你好,世界!"), "你好,世界!");  // off by default
  // After NFKC folded them, restoration brings them back.
  o.normalization = mojifix::normal_form::nfkc;
  EXPECT_EQ(mojifix::fix_text("你好，世界！", o), "你好，世界！");
}

// The opt-in restoration on clean Chinese and Japanese text: how many lines
// it would change (printed, not asserted: it is off by default because
// ASCII punctuation between CJK characters is sometimes what the text means,
// as in code and file names).
TEST(Fixers, CjkPunctuationOnCleanText) {
  mojifix::options o;
  o.restore_cjk_punct = true;
  for (const auto& file : mojifix::test::read_negative_files()) {
    if (file.name != "zh_Hans" && file.name != "zh_Hant" && file.name != "ja") continue;
    std::size_t changed = 0, shown = 0;
    for (const auto& line : file.lines) {
      const std::string out = mojifix::fix_text(line, o);
      if (out == line) continue;
      ++changed;
      if (++shown <= 3) std::printf("  %s\n  -> %s\n", line.c_str(), out.c_str());
    }
    std::printf("--cjk-punct on clean %s: %zu of %zu lines changed\n", file.name.c_str(), changed,
                file.lines.size());
  }
}

// --- The Plan ---

// Replays the steps on the input, as the Plan promises.
std::string replay(std::string_view in, const std::vector<mojifix::step>& steps) {
  std::string out;
  std::size_t at = 0;
  for (const auto& st : steps) {
    EXPECT_LE(at, st.begin);
    EXPECT_LE(st.begin, st.end);
    EXPECT_LE(st.end, in.size());
    EXPECT_EQ(in.substr(st.begin, st.end - st.begin), st.before);
    out.append(in.substr(at, st.begin - at));
    out += st.after;
    at = st.end;
  }
  out.append(in.substr(at));
  return out;
}

TEST(Plan, NormalizeStepsSpeakOfTheInput) {
  // Mojibake first (its repair shifts everything after it), then a reading,
  // then a ligature.
  const std::string damaged = "The Mona Lisa doesn\xC3\xA2\xE2\x82\xAC\xE2\x84\xA2t";
  const std::string in = damaged +
                         " 網(wǎng)路 signi\xEF\xAC\x81"
                         "cant";
  const auto r = mojifix::fix_and_explain(in);
  EXPECT_EQ(r.text, "The Mona Lisa doesn\xE2\x80\x99t 網路 significant");
  EXPECT_EQ(replay(in, r.steps), r.text);
  ASSERT_EQ(r.steps.size(), 3u);
  EXPECT_EQ(r.steps[1].chain, "remove reading");
  EXPECT_EQ(r.steps[1].before, "(wǎng)");
  EXPECT_EQ(r.steps[1].begin, in.find("(w"));
  EXPECT_EQ(r.steps[2].chain, "latin ligatures");
  EXPECT_EQ(r.steps[2].begin, in.find("\xEF\xAC\x81"));
  // A normalize change inside a repaired span widens to it: one step, both
  // chains.
  const std::string both = "caf\xC3\x83\xC2\xA9 \xEF\xBC\xA1\xEF\xBC\xA2 x";
  const auto r2 = mojifix::fix_and_explain(both);
  EXPECT_EQ(replay(both, r2.steps), r2.text);
  for (const auto& st : r2.steps) std::printf("  %zu-%zu %s\n", st.begin, st.end, st.chain.c_str());
}

TEST(Plan, ComposeWidensIntoEarlierChanges) {
  using mojifix::detail::change;
  const std::string t0 = "abcdef";
  const std::vector<change> first = {{1, 2, "XYZ", "one"}, {4, 5, "", "gone"}};   // aXYZcdf
  const std::vector<change> second = {{2, 3, "q", "two"}, {6, 7, "F", "three"}};  // aXqZcdF
  const auto all = mojifix::detail::compose(t0, first, second);
  ASSERT_EQ(mojifix::detail::apply_changes(t0, all), "aXqZcdF");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].begin, 1u);
  EXPECT_EQ(all[0].end, 2u);
  EXPECT_EQ(all[0].after, "XqZ");
  EXPECT_EQ(all[0].chain, "one \u2192 two");
  EXPECT_EQ(all[1].begin, 4u);
  EXPECT_EQ(all[1].end, 5u);
  EXPECT_EQ(all[1].after, "");
  EXPECT_EQ(all[2].begin, 5u);
  EXPECT_EQ(all[2].end, 6u);
  EXPECT_EQ(all[2].after, "F");
  // A change of the second text that spans a deletion of the first.
  const auto over = mojifix::detail::compose(t0, first, {{5, 7, "Q", "four"}});
  ASSERT_EQ(mojifix::detail::apply_changes(t0, over), "aXYZcQ");
}

// --- Fast scan against the fixers ---

TEST(Scan, NeverSkipsTextAFixerWouldChange) {
  std::mt19937_64 rng(11);
  static const std::pair<char32_t, char32_t> kRanges[] = {
      {0x20, 0x7E},     {0x00, 0x1F},     {0x80, 0x9F},     {0xA0, 0x2FF},    {0x300, 0x36F},
      {0x900, 0x97F},   {0x1100, 0x11FF}, {0x2000, 0x206F}, {0x2E80, 0x2FDF}, {0x3000, 0x30FF},
      {0x4E00, 0x9FFF}, {0xAC00, 0xD7A3}, {0xF900, 0xFAFF}, {0xFB00, 0xFB06}, {0xFE00, 0xFFFF}};
  mojifix::options all_on;
  all_on.uncurl_quotes = true;
  all_on.remove_zero_width = true;
  all_on.restore_cjk_punct = true;
  all_on.fix_line_breaks = true;
  std::size_t texts = 0, missed = 0;
  std::size_t with_changes = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int len = 1 + static_cast<int>(rng() % 40);
    // Half the texts are mostly clean (ASCII, Han, kana, Hangul, fullwidth
    // punctuation) with a rare character from anywhere: misses hide there.
    static const std::pair<char32_t, char32_t> kClean[] = {
        {0x20, 0x7E}, {0x4E00, 0x9FFF}, {0x3040, 0x30FF}, {0xAC00, 0xD7A3}, {0xFF01, 0xFF0F}};
    const bool clean = n % 2 == 0;
    const auto& [lo0, hi0] =
        clean ? kClean[rng() % std::size(kClean)] : kRanges[rng() % std::size(kRanges)];
    for (int k = 0; k < len; ++k) {
      const bool any = clean ? rng() % 25 == 0 : rng() % 3 == 0;
      const auto& [lo, hi] =
          any ? kRanges[rng() % std::size(kRanges)] : std::pair<char32_t, char32_t>{lo0, hi0};
      char32_t c = lo + static_cast<char32_t>(rng() % (hi - lo + 1));
      if (c >= 0xD800 && c <= 0xDFFF) c = 'x';
      if (rng() % (clean ? 30 : 7) == 0) c = U"(,&!\r"[rng() % 5];
      mojifix::detail::utf8::append(s, c);
    }
    ++texts;
    // Every fixer on its own, without the scan.
    namespace d = mojifix::detail;
    const bool changes = !d::reading_edits(s).empty() ||
                         !d::entity_edits(s, mojifix::entity_mode::outside_markup).empty() ||
                         !d::c1_edits(s).empty() || !d::surrogate_edits(s).empty() ||
                         !d::terminal_escape_edits(s).empty() || !d::control_edits(s).empty() ||
                         !d::ligature_edits(s).empty() || !d::width_edits(s).empty() ||
                         !d::line_break_edits(s).empty() || !d::quote_edits(s).empty() ||
                         !d::bom_edits(s).empty() || !d::zero_width_edits(s).empty() ||
                         !d::dakuten_edits(s).empty() || !d::cjk_compatibility_edits(s).empty() ||
                         !d::jamo_edits(s).empty() ||
                         !d::normalization_edits(s, mojifix::normal_form::nfc).empty() ||
                         !d::cjk_punct_edits(s).empty();
    const bool flagged = mojifix::detail::may_need_normalize(s, all_on);
    with_changes += changes;
    if (changes && !flagged && ++missed <= 10) ADD_FAILURE() << "scan missed " << visible(s);
  }
  std::printf("scan: %zu random texts, %zu with work for a fixer, %zu missed\n", texts,
              with_changes, missed);
  EXPECT_EQ(missed, 0u);
}

// The scan validates UTF-8 in blocks; it must agree with the byte-by-byte
// reference on every input, whatever the block boundaries.
TEST(Scan, ValidatesLikeTheReference) {
  std::mt19937_64 rng(5);
  const std::vector<std::string> pieces = {"a",
                                           "\n",
                                           "(",
                                           "\xC3\xA9",
                                           "\xE4\xB8\xAD",
                                           "\xEF\xBC\x8C",
                                           "\xF0\x9F\x98\x80",
                                           "\xED\xA0\x80",
                                           "\xE0\x80\xAF",
                                           "\xC0\xAF",
                                           "\x80",
                                           "\xFF",
                                           "\xE4\xB8",
                                           "\xF4\x90\x80\x80",
                                           "\xE3\x82\x9B"};
  const mojifix::options opt;
  std::size_t texts = 0, wrong = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int len = static_cast<int>(rng() % 40);
    const bool mostly_valid = rng() % 2 == 0;
    for (int k = 0; k < len; ++k) {
      const std::size_t pick = rng() % pieces.size();
      s += mostly_valid && pick >= 7 && rng() % 8 != 0 ? pieces[pick % 7] : pieces[pick];
    }
    bool valid = false;
    (void)mojifix::detail::normalize_scan(s, opt, valid);
    ++texts;
    if (valid != mojifix::detail::utf8::valid(s) && ++wrong <= 10)
      ADD_FAILURE() << "scan says " << (valid ? "valid" : "invalid") << ": " << visible(s);
  }
  std::printf("validation: %zu texts, %zu disagree with the reference\n", texts, wrong);
  EXPECT_EQ(wrong, 0u);
}

// The scan gathers the keep-mode script flags on the way (the script stage
// is skipped when they say the text stays): whenever they say so, the
// script stage's own check must agree and keep mode must change nothing.
TEST(Scan, ScriptFlagsAgreeWithTheScriptStage) {
  std::mt19937_64 rng(17);
  // Simplified-only, Traditional-only, weak, neutral Han; kana; punctuation
  // and Hangul; ASCII; Extension A; fullwidth forms; a four-byte character;
  // three-byte characters beside what the scan's walk stops at (E0 and ED
  // leads, private use).
  const std::vector<std::string> pieces = {
      "\u8FD9", "\u4EEC", "\u4E2A", "\u9019", "\u5011", "\u500B", "\u540E",     "\u5E72",
      "\u7684", "\u662F", "\u4EBA", "\u3042", "\u30AB", "\u3002", "\uFF0C",     "\uAC00",
      "a",      " ",      "\n",     "(",      "\u3400", "\uFF08", "\U0001F600", "\u00E9",
      "\u309B", "\u3000", "\u9F8D", "\u0800", "\uD7A3", "\uE000", "\uFF10"};
  const mojifix::detail::script_tables& t = mojifix::detail::get_script_tables();
  mojifix::options opt;  // keep mode
  std::size_t texts = 0, stays = 0, wrong = 0;
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const int len = static_cast<int>(rng() % 60);
    // Mostly one kind of character, as in real text, with others between.
    const std::size_t main_piece = rng() % pieces.size();
    for (int k = 0; k < len; ++k) s += pieces[rng() % 4 == 0 ? rng() % pieces.size() : main_piece];
    bool valid = false;
    const std::uint32_t bits = mojifix::detail::normalize_scan(s, opt, valid);
    unsigned flags = 0;
    ++texts;
    if (!mojifix::detail::scan_script_flags(bits, flags)) {
      if (++wrong <= 10) ADD_FAILURE() << "no script flags for valid text " << visible(s);
      continue;
    }
    if (mojifix::detail::keep_mode_may_change(flags)) continue;
    ++stays;
    if ((mojifix::detail::keep_mode_may_change(mojifix::detail::script_flags(t, s)) ||
         !mojifix::detail::script_edits(s, opt).empty()) &&
        ++wrong <= 10)
      ADD_FAILURE() << "scan says keep mode leaves " << visible(s);
  }
  std::printf("script flags: %zu texts, %zu left as they are, %zu wrong\n", texts, stays, wrong);
  EXPECT_EQ(wrong, 0u);
  EXPECT_GT(stays, texts / 4);
  // Mixed scripts are looked at; text that is not UTF-8 has no flags.
  unsigned flags = 0;
  bool valid = true;
  EXPECT_TRUE(mojifix::detail::scan_script_flags(
      mojifix::detail::normalize_scan("\u9019\u4E2A", opt, valid), flags));
  EXPECT_TRUE(mojifix::detail::keep_mode_may_change(flags));
  EXPECT_FALSE(mojifix::detail::scan_script_flags(
      mojifix::detail::normalize_scan("\u9019\xE4\u4E2A", opt, valid), flags));
  opt.script = mojifix::script::simplified;
  EXPECT_FALSE(mojifix::detail::scan_script_flags(
      mojifix::detail::normalize_scan("\u9019\u4E2A", opt, valid), flags));
}

TEST(Scan, CleanTextIsSkipped) {
  const mojifix::options opt;
  EXPECT_FALSE(mojifix::detail::may_need_normalize("plain ASCII text, nothing to do.", opt));
  EXPECT_FALSE(mojifix::detail::may_need_normalize("Ça va très bien, merci.", opt));
  EXPECT_FALSE(mojifix::detail::may_need_normalize("ひらがなとカタカナです。", opt));
  EXPECT_FALSE(mojifix::detail::may_need_normalize("한국어 문장입니다.", opt));
  EXPECT_TRUE(mojifix::detail::may_need_normalize("caf&eacute;", opt));
  EXPECT_TRUE(mojifix::detail::may_need_normalize("網(wǎng)", opt));
}

TEST(Normalize, IdempotentOnTheTestData) {
  std::vector<std::string> inputs = data_lines("legit_parens.txt");
  for (const auto& row : data_lines("annotated.tsv")) inputs.push_back(split_tabs(row).back());
  for (const auto& line : data_lines("legit_parens_hand.txt")) inputs.push_back(line);
  std::size_t unstable = 0;
  for (const auto& x : inputs) {
    const std::string once = mojifix::fix_text(x);
    if (mojifix::fix_text(once) != once && ++unstable <= 10) ADD_FAILURE() << visible(x);
  }
  std::printf("idempotence: %zu inputs, %zu unstable\n", inputs.size(), unstable);
  EXPECT_EQ(unstable, 0u);
}

// Found by fix_text_fuzzer: a control character inside mojibake hid it from
// repair, and the control fixer took it out only afterwards, so a second run
// repaired what the first left (娴\a嬭瘯 -> 娴嬭瘯 -> 测试). Controls inside
// words now go before repair, as reading annotations do.
TEST(Normalize, ControlInsideMojibakeIsRepairedInOneRun) {
  const std::string x =
      "The Mon\xE5\xA8\xB4\x07\xE5\xAC\xAD\xE7\x98\xAF"
      "a";
  const std::string once = mojifix::fix_text(x);
  EXPECT_EQ(once, "The Mon\u6D4B\u8BD5a");  // 测试
  EXPECT_EQ(mojifix::fix_text(once), once);
  const mojifix::fix_result r = mojifix::fix_and_explain(x);
  EXPECT_EQ(r.text, once);
  EXPECT_FALSE(r.steps.empty());
}

}  // namespace
