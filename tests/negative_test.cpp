// False-positive tests: every line of tests/data/negative/*.txt is clean text
// (Debian documentation, iso-codes names, word lists, sentences written for
// mojifix; see tests/data/README.md) and must come back byte for byte.

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "mojifix/fix.hpp"
#include "test_data.hpp"

namespace {

using mojifix::test::visible;

constexpr std::size_t kMinLines = 20000;       // the corpus promised in README.md
constexpr std::size_t kMinFiles = 12;          // scripts/languages
constexpr std::size_t kPrintedPerFile = 1000;  // changed lines shown per file

bool known(const std::string& file, const std::string& line) {
  return mojifix::test::is_known_clean_change(file, line);
}

TEST(Negative, CleanLinesComeBackByteForByte) {
  const auto files = mojifix::test::read_negative_files();
  ASSERT_GE(files.size(), kMinFiles)
      << "negative corpus missing in " << mojifix::test::test_data_dir();
  std::size_t total = 0;
  std::size_t total_changed = 0;
  std::size_t known_changed = 0;
  std::printf("\n%-22s %7s %8s\n", "file", "lines", "changed");
  for (const auto& file : files) {
    std::size_t changed = 0;
    std::string report;
    for (const auto& line : file.lines) {
      const std::string out = mojifix::fix_text(line);
      if (out == line) {
        if (known(file.name, line))
          report += "  listed as known, now unchanged: " + visible(line) + "\n";
        continue;
      }
      if (known(file.name, line)) {
        ++known_changed;
        report += "  known: " + visible(line) + "\n      -> " + visible(out) + "\n";
        continue;
      }
      if (++changed <= kPrintedPerFile) {
        report += "  before: " + visible(line) + "\n  after:  " + visible(out) + "\n";
      }
    }
    total += file.lines.size();
    total_changed += changed;
    std::printf("%-22s %7zu %8zu\n", file.name.c_str(), file.lines.size(), changed);
    if (!report.empty()) {
      std::printf("%s", report.c_str());
      if (changed > kPrintedPerFile) {
        std::printf("  ... and %zu more changed lines in %s\n", changed - kPrintedPerFile,
                    file.name.c_str());
      }
    }
  }
  std::printf("%-22s %7zu %8zu\n", "all", total, total_changed);
  std::printf("known failures: %zu changed of %zu listed\n", known_changed,
              mojifix::test::known_clean_changes().size());
  std::fflush(stdout);
  EXPECT_GE(total, kMinLines);
  EXPECT_EQ(total_changed, 0u) << "clean lines were changed; see the list above";
}

// The corpus itself must be clean UTF-8 without control characters, or the
// test above would measure the wrong thing.
TEST(Negative, CorpusIsValidUtf8WithoutControls) {
  for (const auto& file : mojifix::test::read_negative_files()) {
    for (const auto& line : file.lines) {
      ASSERT_TRUE(mojifix::test::is_valid_utf8(line)) << file.name << ": " << visible(line);
      for (const char c : line) {
        ASSERT_FALSE(static_cast<unsigned char>(c) < 0x20 || c == 0x7F)
            << file.name << ": control character in " << visible(line);
      }
    }
  }
}

}  // namespace
