// Chinese script: OpenCC's own test cases for every configuration
// (tests/data/script/opencc_testcases.json, Apache-2.0, see README.md
// there), classification of human-written text the tables were not built
// from, keep-mode unification and residue repair.

#include "mojifix/script.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <map>
#include <string>

#include "mojifix/fix.hpp"
#include "script/convert.hpp"
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
  EXPECT_EQ(mojifix::convert_script("汉字转换测试", script::keep), "汉字转换测试");
}

}  // namespace

namespace {

// Keep mode on clean text: every line of the negative corpus comes back.
TEST(Script, KeepLeavesCleanTextAlone) {
  const auto files = mojifix::test::read_negative_files();
  ASSERT_FALSE(files.empty());
  std::size_t lines = 0;
  std::size_t changed = 0;
  for (const auto& file : files) {
    for (const auto& line : file.lines) {
      ++lines;
      const std::string out = mojifix::convert_script(line, mojifix::script::keep);
      if (out != line && ++changed <= 20)
        ADD_FAILURE() << file.name << "\n  before: " << visible(line)
                      << "\n  after:  " << visible(out);
    }
  }
  std::printf("keep mode on the negative corpus: %zu of %zu lines changed\n", changed, lines);
  EXPECT_EQ(changed, 0u);
}

}  // namespace
