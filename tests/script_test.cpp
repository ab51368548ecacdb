// Chinese script: OpenCC's own test cases for every configuration
// (tests/data/script/opencc_testcases.json, Apache-2.0, see README.md
// there), classification of human-written text the tables were not built
// from, keep-mode unification and residue repair.

#include "mojifix/script.hpp"

#include <gtest/gtest.h>
#include <unicode/translit.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdio>
#include <initializer_list>
#include <map>
#include <memory>
#include <string>

#include "codec/utf8.hpp"
#include "mojifix/fix.hpp"
#include "script/classify.hpp"
#include "script/convert.hpp"
#include "script/tables.hpp"
#include "test_data.hpp"

namespace {

using mojifix::test::visible;

std::string data(const std::string& name) {
  auto text = mojifix::test::read_file(mojifix::test::test_data_dir() + "/script/" + name);
  return text ? *text : std::string();
}

// OpenCC's file allows trailing commas; standard JSON does not.
std::string strip_trailing_commas(std::string_view s) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char ch = s[i];
    if (in_string) {
      out += ch;
      if (ch == '\\' && i + 1 < s.size()) {
        out += s[++i];
      } else if (ch == '"') {
        in_string = false;
      }
      continue;
    }
    if (ch == '"') in_string = true;
    if (ch == ',') {
      std::size_t j = i + 1;
      while (j < s.size() && (s[j] == ' ' || s[j] == '\n' || s[j] == '\r' || s[j] == '\t')) ++j;
      if (j < s.size() && (s[j] == '}' || s[j] == ']')) continue;
    }
    out += ch;
  }
  return out;
}

TEST(Script, OpenccTestcases) {
  const std::string text = data("opencc_testcases.json");
  ASSERT_FALSE(text.empty());
  const std::string json = strip_trailing_commas(text);
  mojifix::test::json_reader reader(json);
  const auto doc = reader.parse();
  ASSERT_TRUE(doc) << reader.error();
  const auto* cases = doc->find("cases");
  ASSERT_NE(cases, nullptr);
  std::map<std::string, std::pair<int, int>> per_config;  // pass, total
  int failed = 0;
  for (const auto& c : cases->array) {
    const auto input = c.get_string("input");
    const auto* expected = c.find("expected");
    ASSERT_TRUE(input && expected);
    for (const auto& [name, want] : expected->object) {
      mojifix::conversion conv;
      if (!mojifix::parse_conversion(name, conv)) continue;  // jp2t, s2hkp, ...: not ours
      const std::string got = mojifix::convert_chinese(*input, conv);
      auto& [pass, total] = per_config[name];
      ++total;
      if (got == want.string) {
        ++pass;
      } else if (++failed <= 40) {
        ADD_FAILURE() << name << " " << visible(*input) << "\n  want " << visible(want.string)
                      << "\n  got  " << visible(got);
      }
    }
  }
  // For comparison: ICU's transliterators on the same cases, where one
  // stands for the configuration.
  std::map<std::string, std::pair<int, int>> icu;  // pass, total
  for (const auto& c : cases->array) {
    const auto input = c.get_string("input");
    for (const auto& [name, want] : c.find("expected")->object) {
      const char* id = name == "s2t" ? "Hans-Hant" : name == "t2s" ? "Hant-Hans" : nullptr;
      if (id == nullptr) continue;
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::Transliterator> tr(icu::Transliterator::createInstance(
          icu::UnicodeString::fromUTF8(id), UTRANS_FORWARD, status));
      if (U_FAILURE(status) || !tr) continue;
      icu::UnicodeString u = icu::UnicodeString::fromUTF8(*input);
      tr->transliterate(u);
      std::string got;
      u.toUTF8String(got);
      auto& [pass, total] = icu[name];
      ++total;
      pass += got == want.string;
    }
  }
  for (const auto& [name, r] : icu)
    std::printf("ICU %s on the %s cases: %d of %d (%.1f%%)\n",
                name == "s2t" ? "Hans-Hant" : "Hant-Hans", name.c_str(), r.first, r.second,
                100.0 * r.first / r.second);
  std::printf("\n%-6s %5s %5s %7s\n", "config", "pass", "cases", "rate");
  int all = 0;
  for (const auto& [name, r] : per_config) {
    std::printf("%-6s %5d %5d %6.1f%%\n", name.c_str(), r.first, r.second,
                100.0 * r.first / r.second);
    all += r.second;
  }
  EXPECT_GT(all, 100);
  EXPECT_EQ(failed, 0);
}

TEST(Script, ConvertsPhrases) {
  EXPECT_EQ(mojifix::convert_chinese("汉字转换测试", mojifix::conversion::s2t), "漢字轉換測試");
  EXPECT_EQ(mojifix::convert_chinese("干部", mojifix::conversion::s2t), "幹部");
  EXPECT_EQ(mojifix::convert_chinese("漢字", mojifix::conversion::t2s), "汉字");
}

TEST(Script, KeepRepairsResidue) {
  using mojifix::script;
  EXPECT_EQ(mojifix::convert_script("各級黨員干部", script::keep), "各級黨員幹部");
  EXPECT_EQ(mojifix::convert_script("共生理論對后疫情時代", script::keep), "共生理論對後疫情時代");
  EXPECT_EQ(mojifix::convert_script("台灣的群眾", script::keep), "台灣的群眾");
  // Classical Chinese writes 于 on purpose; modern text that kept it from a
  // conversion does not.
  for (const char* classical :
       {"緜蠻黃鳥，止于丘隅。豈敢憚行？畏不能趨。", "胡臭亶時？后稷肇祀，庶無罪悔，以迄于今。"})
    EXPECT_EQ(mojifix::convert_script(classical, script::keep), classical);
  EXPECT_EQ(mojifix::convert_script("這樣的話對于使用者就比較麻煩了。", script::keep),
            "這樣的話對於使用者就比較麻煩了。");
  // The residue takes the text's own forms of the characters around it.
  EXPECT_EQ(
      mojifix::convert_script("EUC-TW為台灣使用的編碼；但是台湾普遍使用大五碼。", script::keep),
      "EUC-TW為台灣使用的編碼；但是台灣普遍使用大五碼。");
  EXPECT_EQ(mojifix::convert_script("汉字转换测试", script::keep), "汉字转换测试");
}

// Characters both scripts write, in Traditional sentences that use them
// rightly (sentences written for mojifix): nothing changes, even where a
// greedy phrase match would read 再干 or 不干.
TEST(Script, KeepLeavesSharedCharactersInTraditionalText) {
  const char* lines[] = {
      "這位皇后與太后都住在宮裡，王后則在別處。",
      "從這裡到那裡大約有三公里，鄰里之間關係很好。",
      "若干年後，他們不再干涉彼此的生活，也不干擾鄰居。",
      "于右任是著名的書法家，范仲淹是宋朝的名臣。",
      "后羿射日的故事很有名，他寫了一首詞。",
      "這個產品的麵包很好吃，他們一起吃了一頓飯。",
      "台北的天氣很熱，群眾在廣場上集合。",
      "他的姓是余，名字叫做余光中，是台灣有名的詩人。",
  };
  std::string all;
  for (const char* line : lines) {
    EXPECT_EQ(mojifix::convert_script(line, mojifix::script::keep), line);
    all += line;
    all += '\n';
  }
  EXPECT_EQ(mojifix::convert_script(all, mojifix::script::keep), all);
}

}  // namespace

namespace {

// Keep mode on clean text: every line of the negative corpus comes back,
// but those listed in test_data.hpp, counted.
TEST(Script, KeepLeavesCleanTextAlone) {
  const auto files = mojifix::test::read_negative_files();
  ASSERT_FALSE(files.empty());
  std::size_t lines = 0;
  std::size_t changed = 0;
  std::size_t known = 0;
  for (const auto& file : files) {
    for (const auto& line : file.lines) {
      ++lines;
      const std::string out = mojifix::convert_script(line, mojifix::script::keep);
      const bool listed = mojifix::test::is_known_clean_change(file.name, line);
      if (listed) {
        known += out != line;
        continue;
      }
      if (out != line && ++changed <= 20)
        ADD_FAILURE() << file.name << "\n  before: " << visible(line)
                      << "\n  after:  " << visible(out);
    }
  }
  std::printf("keep mode on the negative corpus: %zu of %zu lines changed (known: %zu of %zu)\n",
              changed, lines, known, mojifix::test::known_clean_changes().size());
  EXPECT_EQ(changed, 0u);
}

}  // namespace

namespace {

bool is_han(char32_t cp) { return cp >= 0x3400 && cp <= 0x9FFF; }

// The bytes of line from its first Han character to its n-th; empty when
// the line holds fewer.
std::string han_window(std::string_view line, std::size_t n) {
  std::size_t begin = std::string::npos;
  std::size_t count = 0;
  for (std::size_t i = 0; i < line.size();) {
    const std::size_t at = i;
    const std::size_t len = mojifix::test::utf8_sequence_length(line, i);
    char32_t cp = 0;
    if (len == 3) {
      cp = ((static_cast<unsigned char>(line[i]) & 0x0Fu) << 12) |
           ((static_cast<unsigned char>(line[i + 1]) & 0x3Fu) << 6) |
           (static_cast<unsigned char>(line[i + 2]) & 0x3Fu);
    }
    i += len == 0 ? 1 : len;
    if (!is_han(cp)) continue;
    if (begin == std::string::npos) begin = at;
    if (++count == n) return std::string(line.substr(begin, i - begin));
  }
  return {};
}

struct accuracy {
  std::size_t total = 0, right = 0, undetermined = 0, mixed = 0, unsure_wrong = 0, wrong = 0;
};

accuracy classify_windows(const std::vector<std::string_view>& lines, std::size_t n,
                          mojifix::script_verdict want, std::vector<std::string>& wrong) {
  accuracy a;
  for (const auto line : lines) {
    const std::string w = han_window(line, n);
    if (w.empty()) continue;
    ++a.total;
    const auto counts = mojifix::classify_script(w).counts;
    const auto v = counts.verdict;
    if (v == want) {
      ++a.right;
    } else if (v == mojifix::script_verdict::undetermined) {
      ++a.undetermined;
    } else if (v == mojifix::script_verdict::mixed) {
      ++a.mixed;
    } else if (!counts.confident) {
      ++a.unsure_wrong;
    } else {
      ++a.wrong;
      wrong.push_back(w);
    }
  }
  return a;
}

// Human-written text the tables were not built from (Debian's manpages-zh
// and fortunes-zh; tests/data/script/README.md): windows of 10 and 20 Han
// characters. The bars: >= 97% right at 10, >= 99% at 20, and never the
// other script with confidence (unsure: the other script from weak
// characters or regional terms only).
TEST(Script, ClassifiesHumanText) {
  using mojifix::script_verdict;
  struct set {
    const char* file;
    script_verdict want;
  };
  const set sets[] = {{"classify_hans.txt", script_verdict::simplified},
                      {"classify_hant.txt", script_verdict::traditional}};
  std::printf("\n%-18s %4s %6s %7s %6s %6s %6s %6s\n", "sample", "han", "lines", "right", "undet",
              "mixed", "unsure", "wrong");
  for (const auto& s : sets) {
    const std::string text = data(s.file);
    ASSERT_FALSE(text.empty()) << s.file;
    const auto lines = mojifix::test::split_lines(text);
    ASSERT_GE(lines.size(), 1000u);
    for (const std::size_t n : {10, 20}) {
      std::vector<std::string> wrong;
      const accuracy a = classify_windows(lines, n, s.want, wrong);
      const double rate = 100.0 * static_cast<double>(a.right) / static_cast<double>(a.total);
      std::printf("%-18s %4zu %6zu %6.2f%% %6zu %6zu %6zu %6zu\n", s.file, n, a.total, rate,
                  a.undetermined, a.mixed, a.unsure_wrong, a.wrong);
      EXPECT_GE(rate, n == 10 ? 97.0 : 99.0) << s.file << " at " << n;
      EXPECT_EQ(a.wrong, 0u) << s.file << " at " << n << ": " << visible(wrong.front());
    }
  }
}

}  // namespace

namespace {

// Whole lines of the negative corpus's Chinese files (other sources: iso-codes
// names, fortunes-zh): never the other script with confidence.
TEST(Script, NegativeCorpusChineseNeverConfidentlyWrong) {
  using mojifix::script_verdict;
  const auto files = mojifix::test::read_negative_files();
  std::size_t checked = 0;
  for (const auto& file : files) {
    script_verdict other;
    if (file.name == "zh_Hans") {
      other = script_verdict::traditional;
    } else if (file.name == "zh_Hant") {
      other = script_verdict::simplified;
    } else {
      continue;
    }
    std::size_t right = 0;
    std::size_t lines = 0;
    for (const auto& line : file.lines) {
      const auto c = mojifix::classify_script(line).counts;
      if (c.han == 0) continue;
      ++lines;
      right += c.verdict != other && c.verdict != script_verdict::undetermined &&
               c.verdict != script_verdict::mixed;
      EXPECT_FALSE(c.confident && c.verdict == other) << file.name << ": " << visible(line);
    }
    std::printf("%s: %zu of %zu lines classified right\n", file.name.c_str(), right, lines);
    checked += lines;
  }
  EXPECT_GT(checked, 1000u);
}

}  // namespace

namespace {

// splitmix64: the same cases on every machine.
struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(next() % n); }
};

struct unify_result {
  std::size_t cases = 0, exact = 0, unchanged = 0;
  // Known failures, counted apart: cases where OpenCC's conversion back
  // does not give a converted line as it was (遊標 -> 游标 -> 游標; 字元後跟
  // -> 字元后跟 -> 字元后跟, as 元后 is a phrase), so no keep mode can.
  std::size_t lossy = 0, lossy_exact = 0;
  std::vector<std::string> failures;
};

// Documents of 6 lines of one script in which one or two lines holding
// less than 40% of the Han characters were converted with `to_other`: keep
// mode must give the document back as it was.
unify_result unify_cases(const std::string& file, mojifix::conversion to_other,
                         std::initializer_list<mojifix::conversion> back, std::uint64_t seed) {
  unify_result r;
  const std::string text = data(file);
  const auto lines = mojifix::test::split_lines(text);
  rng g{seed};
  constexpr std::size_t kLines = 6;
  for (std::size_t at = 0; at + kLines <= lines.size(); at += kLines) {
    std::string original;
    std::string mixed;
    const std::size_t converted = 1 + g.below(2);
    std::size_t first = g.below(kLines);
    std::size_t han = 0;
    std::size_t han_converted = 0;
    bool lossy = false;
    for (std::size_t k = 0; k < kLines; ++k) {
      const std::string line(lines[at + k]);
      original += line + "\n";
      const bool convert = (k + kLines - first) % kLines < converted;
      const std::string other = convert ? mojifix::convert_chinese(line, to_other) : line;
      mixed += other + "\n";
      for (const auto b : back)
        if (convert && mojifix::convert_chinese(other, b) != line) lossy = true;
      const std::size_t n = mojifix::classify_script(line).counts.han;
      han += n;
      if (convert) han_converted += n;
    }
    if (mixed == original) continue;  // nothing that script writes otherwise
    // The converted lines must stay the minority of the text.
    if (han_converted * 10 >= han * 4) continue;
    const std::string out = mojifix::convert_script(mixed, mojifix::script::keep);
    if (lossy) {
      ++r.lossy;
      r.lossy_exact += out == original;
      continue;
    }
    ++r.cases;
    if (out == original) {
      ++r.exact;
    } else {
      if (out == mixed) ++r.unchanged;
      // The first differing line, for the report.
      const auto want = mojifix::test::split_lines(original);
      const auto got = mojifix::test::split_lines(out);
      for (std::size_t k = 0; k < want.size() && k < got.size(); ++k) {
        if (want[k] != got[k]) {
          r.failures.push_back("want " + visible(want[k]) + "\n    got  " + visible(got[k]));
          break;
        }
      }
    }
  }
  return r;
}

TEST(Script, KeepUnifiesMixedText) {
  using mojifix::conversion;
  struct set {
    const char* file;
    conversion to_other;
    std::initializer_list<conversion> back;  // the conversions keep may choose
  };
  const set sets[] = {{"classify_hans.txt", conversion::s2t, {conversion::t2s, conversion::tw2s}},
                      {"classify_hant.txt", conversion::tw2s, {conversion::s2tw}}};
  std::printf("\n%-18s %-5s %6s %7s %9s %6s %7s\n", "documents", "mixed", "cases", "exact",
              "unchanged", "lossy", "exact");
  for (const auto& s : sets) {
    const unify_result r = unify_cases(s.file, s.to_other, s.back, 0x5C41F7);
    const double rate = 100.0 * static_cast<double>(r.exact) / static_cast<double>(r.cases);
    const double lossy_rate =
        100.0 * static_cast<double>(r.lossy_exact) / static_cast<double>(r.lossy);
    std::printf("%-18s %-5s %6zu %6.2f%% %9zu %6zu %6.2f%%\n", s.file,
                std::string(mojifix::to_string(s.to_other)).c_str(), r.cases, rate, r.unchanged,
                r.lossy, lossy_rate);
    for (const auto& f : r.failures) ADD_FAILURE() << s.file << "\n    " << f;
    EXPECT_GT(r.cases, 150u);
    EXPECT_EQ(r.exact, r.cases);
  }
}

}  // namespace

namespace {

std::u32string to_u32(std::string_view s) {
  std::u32string out;
  for (std::size_t i = 0; i < s.size();) out.push_back(mojifix::detail::utf8::next(s, i));
  return out;
}
std::string to_utf8(const std::u32string& s) {
  std::string out;
  for (const char32_t cp : s) mojifix::detail::utf8::append(out, cp);
  return out;
}

// Simplified residue in Traditional text, as converters leave it: one
// character of a Traditional line (classify_hant.txt) put back into its
// Simplified form (幹部 -> 干部, 後 -> 后, 這 -> 这). Keep mode must restore
// every residue character that is Simplified only; a weak one (干 后 里 于
// 万: both scripts write it) only where a phrase or its own rule shows it,
// and never into anything else.
TEST(Script, KeepRepairsResidueInTraditionalText) {
  using mojifix::conversion;
  using mojifix::detail::han_class;
  const auto& tables = mojifix::detail::get_script_tables();
  const std::string text = data("classify_hant.txt");
  const auto lines = mojifix::test::split_lines(text);
  rng g{0x7E5D};
  struct tally {
    std::size_t cases = 0, exact = 0, left = 0, wrong = 0, lossy = 0, short_lines = 0;
  };
  tally strong, weak;
  std::vector<std::string> wrong_fixes;
  std::vector<std::string> left_alone;
  for (const auto line_view : lines) {
    const std::string line(line_view);
    const std::u32string t = to_u32(line);
    const std::u32string s = to_u32(mojifix::convert_chinese(line, conversion::tw2s));
    if (s.size() != t.size()) continue;
    std::vector<std::size_t> at;
    for (std::size_t k = 0; k < t.size(); ++k) {
      const han_class c = tables.cls(s[k]);
      if (s[k] != t[k] && (c == han_class::simplified || c == han_class::weak_simplified))
        at.push_back(k);
    }
    if (at.empty()) continue;
    const std::size_t k = at[g.below(at.size())];
    std::u32string damaged = t;
    damaged[k] = s[k];
    const std::string in = to_utf8(damaged);
    tally& y = tables.cls(s[k]) == han_class::simplified ? strong : weak;
    // Known failure, counted: a line with too little Traditional evidence
    // to outweigh the residue (產 against 时) is no Traditional text to
    // repair.
    const auto counts = mojifix::classify_script(in).counts;
    if (counts.traditional_evidence < 2 ||
        counts.traditional_evidence <= counts.simplified_evidence) {
      ++y.short_lines;
      continue;
    }
    // OpenCC itself cannot restore it: 发 is 發 or 髮.
    const std::u32string full = to_u32(mojifix::convert_chinese(in, conversion::s2tw));
    if (full.size() != t.size() || full[k] != t[k]) {
      ++y.lossy;
      continue;
    }
    ++y.cases;
    const std::string out = mojifix::convert_script(in, mojifix::script::keep);
    if (out == line) {
      ++y.exact;
    } else if (out == in) {
      ++y.left;
      left_alone.push_back(to_utf8(std::u32string(1, s[k])) + " " + visible(in));
    } else {
      ++y.wrong;
      wrong_fixes.push_back(visible(in) + "\n    -> " + visible(out));
    }
  }
  std::printf("\n%-8s %6s %7s %6s %6s %6s %6s\n", "residue", "cases", "exact", "left", "wrong",
              "lossy", "short");
  for (const auto& [name, y] : {std::pair{"strong", strong}, std::pair{"weak", weak}}) {
    std::printf("%-8s %6zu %6.2f%% %6zu %6zu %6zu %6zu\n", name, y.cases,
                100.0 * static_cast<double>(y.exact) / static_cast<double>(y.cases), y.left,
                y.wrong, y.lossy, y.short_lines);
  }
  for (std::size_t k = 0; k < wrong_fixes.size() && k < 10; ++k)
    std::printf("  %s\n", wrong_fixes[k].c_str());
  for (std::size_t k = 0; k < left_alone.size() && k < 20; ++k)
    std::printf("  left: %s\n", left_alone[k].c_str());
  EXPECT_GE(static_cast<double>(weak.exact), 0.9 * static_cast<double>(weak.cases));
  EXPECT_GT(strong.cases, 500u);
  EXPECT_EQ(strong.exact, strong.cases);
  // Weak residue that no phrase decides is left by design (a known,
  // counted limit, listed above); a wrong repair is never acceptable.
  EXPECT_EQ(weak.wrong, 0u);
}

}  // namespace

namespace {

// The keep-mode check (one flag byte per character) against the counting
// reference, on random text built from evidence characters of each kind,
// kana, ASCII and line breaks.
TEST(Script, FastCheckAgreesWithCounts) {
  const auto& t = mojifix::detail::get_script_tables();
  const char* pieces[] = {"国", "國", "后", "干", "的", "台", "群", "か", "ア", "a",
                          " ",  "\n", "。", "é",  "😀",  "𠀀", "乾", "裡", "为", "為"};
  rng g{42};
  for (int n = 0; n < 20000; ++n) {
    std::string s;
    const std::size_t len = g.below(24);
    for (std::size_t k = 0; k < len; ++k) s += pieces[g.below(std::size(pieces))];
    const unsigned flags = mojifix::detail::script_flags(t, s);
    mojifix::script_counts c;
    mojifix::detail::add_script_evidence(t, s, c);
    using T = mojifix::detail::script_tables;
    ASSERT_EQ((flags & T::kFlagSimplified) != 0, c.simplified_evidence != 0) << s;
    ASSERT_EQ((flags & T::kFlagTraditional) != 0, c.traditional_evidence != 0) << s;
    ASSERT_EQ((flags & T::kFlagWeak) != 0, c.weak_simplified != 0) << s;
    ASSERT_EQ((flags & T::kFlagKana) != 0, c.kana != 0) << s;
  }
}

// Keep mode twice changes nothing the first pass did not, on the mixed
// documents and on text with residue; fix_text with the defaults too.
TEST(Script, KeepIsIdempotent) {
  std::size_t checked = 0;
  for (const char* file : {"classify_hans.txt", "classify_hant.txt"}) {
    const std::string text = data(file);
    const auto lines = mojifix::test::split_lines(text);
    for (std::size_t at = 0; at + 4 <= lines.size(); at += 4) {
      std::string doc;
      for (std::size_t k = 0; k < 4; ++k) {
        const std::string line(lines[at + k]);
        // Every other document mixes in a converted line.
        doc += (k == 1 && at % 8 == 0)
                   ? mojifix::convert_chinese(line, file[9] == 's' ? mojifix::conversion::s2t
                                                                   : mojifix::conversion::tw2s)
                   : line;
        doc += '\n';
      }
      const std::string once = mojifix::convert_script(doc, mojifix::script::keep);
      ASSERT_EQ(mojifix::convert_script(once, mojifix::script::keep), once) << visible(doc);
      const std::string fixed = mojifix::fix_text(doc);
      ASSERT_EQ(mojifix::fix_text(fixed), fixed) << visible(doc);
      ++checked;
    }
  }
  EXPECT_GT(checked, 500u);
}

TEST(Script, ExplicitTargetsConvertEverything) {
  using mojifix::script;
  EXPECT_EQ(mojifix::convert_script("汉字转换测试，里面", script::traditional),
            "漢字轉換測試，裏面");
  EXPECT_EQ(mojifix::convert_script("汉字转换测试，里面", script::taiwan), "漢字轉換測試，裡面");
  EXPECT_EQ(mojifix::convert_script("汉字转换测试，里面", script::hongkong), "漢字轉換測試，裏面");
  EXPECT_EQ(mojifix::convert_script("漢字轉換測試，裡面", script::simplified),
            "汉字转换测试，里面");
  EXPECT_EQ(mojifix::convert_script("漢字", script::keep), "漢字");
  // Invalid bytes are kept where they are.
  EXPECT_EQ(mojifix::convert_script("汉\xff字", script::traditional), "漢\xff字");
  EXPECT_EQ(mojifix::convert_chinese("\xe6\xb1", mojifix::conversion::s2t), "\xe6\xb1");
}

TEST(Script, ClassifyReportsSentences) {
  const auto r = mojifix::classify_script("这是简体中文。這是繁體中文。Hello!");
  EXPECT_EQ(r.counts.verdict, mojifix::script_verdict::mixed);
  ASSERT_EQ(r.sentences.size(), 2u);
  EXPECT_EQ(r.sentences[0].counts.verdict, mojifix::script_verdict::simplified);
  EXPECT_TRUE(r.sentences[0].counts.confident);
  EXPECT_EQ(r.sentences[1].counts.verdict, mojifix::script_verdict::traditional);
  EXPECT_EQ(r.sentences[1].begin, r.sentences[0].end);
  // 台 and 群 are Taiwan's: no evidence of Simplified.
  EXPECT_EQ(mojifix::classify_script("台灣的族群").counts.verdict,
            mojifix::script_verdict::traditional);
  EXPECT_EQ(mojifix::classify_script("ひらがなと漢字と国").counts.verdict,
            mojifix::script_verdict::undetermined);
  EXPECT_EQ(mojifix::to_string(mojifix::script_verdict::mixed), "mixed");
}

}  // namespace

// Lines fixed one at a time (as the command does) with the document around
// them: a line of kanji alone in a Japanese document writes Japanese forms
// (号 数 国 参 携 beside 貨 記 電 話), not Simplified residue in Traditional
// text. A Traditional document still has its residue repaired.
TEST(Script, KeepLeavesKanjiLinesOfAJapaneseDocument) {
  const std::vector<std::string> kanji_lines = {
      "\u901A\u8CA8\u8A18\u53F7",                                // 通貨記号
      "\u8907\u6570\u9078\u629E",                                // 複数選択
      "\u643A\u5E2F\u96FB\u8A71",                                // 携帯電話
      "\u96FB\u8A71\u756A\u53F7 (\u81EA\u5B85)",                 // 電話番号 (自宅)
      "\u4E2D\u56FD\u8A9E\u5909\u63DB",                          // 中国語変換
      "\u4F5C\u6210\u8005\u3001\u6642\u523B\u3001\u53C2\u7167",  // 作成者、時刻、参照
  };
  std::string document =
      "\u3053\u306E\u30C0\u30A4\u30A2\u30ED\u30B0\u3067\u66F8\u5F0F\u3092\u8A2D\u5B9A\u3057"
      "\u307E\u3059\u3002\n";  // このダイアログで書式を設定します。
  for (const std::string& l : kanji_lines) document += l + "\n";
  const mojifix::context around(document);
  // Alone, with no kana to tell, keep mode may read such a line as
  // Traditional Chinese; the document decides.
  for (const std::string& l : kanji_lines) EXPECT_EQ(mojifix::fix_text(l, {}, around), l);
  // 選取從最后一個所選欄 in a Traditional document: 后 is residue (最後).
  const std::string residue = "\u9078\u53D6\u5F9E\u6700\u540E\u4E00\u500B\u6240\u9078\u6B04";
  const std::string traditional =
      "\u5728\u63D2\u5165\u6A21\u5F0F\u4E2D\uFF0C\u65B0\u5B57\u5143\u6703\u63D2\u5165\u6E38"
      "\u6A19\u6240\u5728\u4F4D\u7F6E\u3002\n" +
      residue + "\n";  // 在插入模式中，新字元會插入游標所在位置。
  const mojifix::context around_traditional(traditional);
  EXPECT_EQ(mojifix::fix_text(residue, {}, around_traditional),
            "\u9078\u53D6\u5F9E\u6700\u5F8C\u4E00\u500B\u6240\u9078\u6B04");
}
