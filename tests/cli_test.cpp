// The mojifix command, in-process through cli::run with string streams and
// temporary files, plus one end-to-end run of the built binary.
//
// Known failures (counted, not hidden): none at present. The end-to-end
// comparison with examples/articles.fixed.txt (CliEndToEnd) and the JSON
// Lines dump (CliJsonl.ExampleDumpTextFieldsRestored, which keeps a list of
// records and prints how many of them still fail) depend on the repair
// engine restoring every damaged sample line; an engine change that loses
// one makes them fail, and the line goes on the list only with a reason.
// Tests whose expectations need a working repair engine say so; they use
// damage the engine is specified to undo (see include/mojifix/fix.hpp).

#include "cli/cli.hpp"

#include <simdjson.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "cli/block_pipeline.hpp"
#include "cli/block_reader.hpp"
#include "cli/json_text.hpp"
#include "gtest/gtest.h"
#include "mojifix/mojifix.hpp"

namespace fs = std::filesystem;
using mojifix::cli::run;

namespace {

const fs::path kExamples = fs::path(MOJIFIX_TEST_DATA) / ".." / ".." / "examples";

// Damaged lines and what they should become, made with Python's codecs
// (see tools/gen_example_dump.py): UTF-8 read as windows-1252 and as GBK.
constexpr std::string_view kFrenchDamaged =
    "Les visiteurs pourront dÃ©couvrir dÃ¨s samedi une aile entiÃ¨rement rÃ©novÃ©e.";
constexpr std::string_view kFrenchFixed =
    "Les visiteurs pourront découvrir dès samedi une aile entièrement rénovée.";
constexpr std::string_view kChineseDamaged = "鍥句功棣嗗懆鏈欢闀垮紑鏀炬椂闂达紒";
// What the library makes of the Chinese line: the CLI must give the same
// (whether the engine restores it fully is the repair tests' concern).
std::string chinese_fixed() { return mojifix::fix_text(kChineseDamaged); }
constexpr std::string_view kMonaDamaged = "The Mona Lisa doesnâ€™t have eyebrows.";

struct cli_result {
  int status = -1;
  std::string out;
  std::string err;
};

cli_result run_cli(std::initializer_list<std::string> args, std::string_view input = {},
                   mojifix::cli::run_env env = {}) {
  std::vector<std::string> owned(args);
  std::vector<std::string_view> views(owned.begin(), owned.end());
  std::istringstream in{std::string(input)};
  std::ostringstream out, err;
  cli_result r;
  r.status = run(views, in, out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

cli_result run_cli_vec(const std::vector<std::string>& args, std::string_view input = {}) {
  std::vector<std::string_view> views(args.begin(), args.end());
  std::istringstream in{std::string(input)};
  std::ostringstream out, err;
  cli_result r;
  r.status = run(views, in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& p, std::string_view bytes) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

std::vector<std::string> split_lines(std::string_view s) {
  std::vector<std::string> lines;
  mojifix::cli::for_each_line(
      s, [&](std::string_view line, std::string_view) { lines.emplace_back(line); });
  return lines;
}

std::size_t count_line_ends(std::string_view s) {
  return static_cast<std::size_t>(std::count(s.begin(), s.end(), '\n'));
}

// A fresh folder per test, removed afterwards.
class CliFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "mojifix_cli_test_XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  // Files in the folder other than those named.
  std::vector<std::string> stray_files(std::initializer_list<std::string> known) const {
    std::vector<std::string> stray;
    for (const auto& e : fs::directory_iterator(dir_)) {
      const std::string name = e.path().filename().string();
      if (std::find(known.begin(), known.end(), name) == known.end()) stray.push_back(name);
    }
    return stray;
  }
  fs::path dir_;
};

// A multi-block input: clean lines in several languages, damaged lines,
// CRLF and LF ends, blank lines, and no final newline.
std::string make_mixed_input(int lines) {
  const std::string_view pieces[] = {"City council approves new cycling lanes",
                                     kFrenchDamaged,
                                     "本市今年将新建十二所学校",
                                     kChineseDamaged,
                                     "新しい図書館が駅前に完成",
                                     "서울시, 한강 공원에 새 산책로 조성",
                                     kMonaDamaged,
                                     "",
                                     "В Новосибирске открылся новый мост через Обь"};
  std::string s;
  for (int i = 0; i < lines; ++i) {
    s += pieces[static_cast<std::size_t>(i) % std::size(pieces)];
    s += " #" + std::to_string(i);
    if (i + 1 < lines) s += (i % 3 == 0) ? "\r\n" : "\n";
  }
  return s;
}

std::string make_jsonl_input(int records) {
  std::string s;
  for (int i = 0; i < records; ++i) {
    if (i % 17 == 5) {
      s += "not json at all\n";
      continue;
    }
    s += "{\"id\": " + std::to_string(i) + ", \"text\":\"";
    mojifix::cli::append_json_escaped(s, i % 2 ? kFrenchDamaged : kChineseDamaged);
    s += "\\n line two\",  \"tags\" : [\"a\",\"b\"]}\n";
  }
  return s;
}

}  // namespace

// --- Plain text -------------------------------------------------------------

TEST(CliPlain, KeepsLineCountAndEveryLineEnd) {
  const std::string input = "clean line\r\n" + std::string(kFrenchDamaged) + "\n\n\r\n" +
                            std::string(kChineseDamaged) + "\r\nlast line, no newline";
  const cli_result r = run_cli({}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(count_line_ends(r.out), count_line_ends(input));
  // The line ends, in order, byte for byte.
  std::vector<std::string> ends_in, ends_out;
  mojifix::cli::for_each_line(input, [&](auto, std::string_view e) { ends_in.emplace_back(e); });
  mojifix::cli::for_each_line(r.out, [&](auto, std::string_view e) { ends_out.emplace_back(e); });
  EXPECT_EQ(ends_in, ends_out);
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 6u);
  EXPECT_EQ(lines[0], "clean line");
  EXPECT_EQ(lines[1], kFrenchFixed);  // needs the repair engine
  EXPECT_EQ(lines[2], "");
  EXPECT_EQ(lines[3], "");
  EXPECT_EQ(lines[4], chinese_fixed());
  EXPECT_EQ(lines[5], "last line, no newline");
}

TEST(CliPlain, CleanTextComesBackByteForByte) {
  const std::string clean = read_file(kExamples / "articles.fixed.txt");
  ASSERT_FALSE(clean.empty());
  const cli_result r = run_cli({}, clean);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, clean);
  const std::string odd = "tab\there\r\n\r\n  spaces  \n\x01\x7f control\n";
  EXPECT_EQ(run_cli({}, odd).out, odd);
  EXPECT_EQ(run_cli({}, "").out, "");
}

TEST(CliPlain, EachLineAsTheLibraryFixesIt) {
  const std::string input = read_file(kExamples / "articles.txt");
  const cli_result r = run_cli({}, input);
  EXPECT_EQ(r.status, 0);
  std::string expected;
  mojifix::cli::for_each_line(input, [&](std::string_view line, std::string_view end) {
    expected += mojifix::fix_text(line);
    expected.append(end);
  });
  EXPECT_EQ(r.out, expected);
}

TEST(CliPlain, InvalidUtf8IsKeptAndWarnedOnceWithFromUtf8) {
  const std::string input = "fine\nbad \xFF byte\nfine again\nworse \xC3\x28 \xFE\n";
  const cli_result r = run_cli({"--from", "utf-8"}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, input);
  EXPECT_NE(r.err.find("mojifix: line 2: input is not valid UTF-8"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 4"), std::string::npos) << "warned more than once: " << r.err;
}

TEST(CliPlain, InvalidUtf8LinesAreDecodedByDefault) {
  // UTF-8 with a line of windows-1252 and a GBK island: the output is UTF-8
  // and the valid lines are untouched.
  const std::string input =
      "fine \xE4\xB8\xAD\xE6\x96\x87\ncaf\xE9 cr\xE8me\n"
      "\xE4\xB8\xAD\xE6\x96\x87 \xC4\xE3\xBA\xC3\xCA\xC0\xBD\xE7 end\n";
  const cli_result r = run_cli({}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "fine 中文\ncafé crème\n中文 你好世界 end\n");
  EXPECT_EQ(r.err, "");
  const cli_result e = run_cli({"--explain"}, input);
  EXPECT_NE(e.err.find("mojifix: line 3: bytes 7-15: gbk island: C4 E3 BA C3 CA C0 BD E7 \u2192 "
                       "\"你好世界\""),
            std::string::npos)
      << e.err;
}

TEST(CliPlain, ReadsDashAsStandardInput) {
  const cli_result r = run_cli({"-"}, kFrenchDamaged);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, kFrenchFixed);  // needs the repair engine
}

// --- Output files ----------------------------------------------------------

TEST_F(CliFiles, OutputFileIsWritten) {
  write_file(dir_ / "in.txt", std::string(kFrenchDamaged) + "\n");
  const cli_result r = run_cli({(dir_ / "in.txt").string(), "-o", (dir_ / "out.txt").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_file(dir_ / "out.txt"), std::string(kFrenchFixed) + "\n");
  EXPECT_TRUE(stray_files({"in.txt", "out.txt"}).empty());
}

TEST_F(CliFiles, OutputFileUntouchedWhenAnInputIsUnreadable) {
  write_file(dir_ / "in.txt", "some text\n");
  write_file(dir_ / "out.txt", "old content\n");
  const cli_result r = run_cli({(dir_ / "in.txt").string(), (dir_ / "missing.txt").string(), "-o",
                                (dir_ / "out.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_NE(r.err.find("mojifix: cannot read"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("missing.txt"), std::string::npos) << r.err;
  EXPECT_EQ(read_file(dir_ / "out.txt"), "old content\n");
  EXPECT_EQ(stray_files({"in.txt", "out.txt"}), std::vector<std::string>{});
  // A directory as input is refused the same way.
  const cli_result d = run_cli({dir_.string(), "-o", (dir_ / "out.txt").string()});
  EXPECT_EQ(d.status, 2);
  EXPECT_EQ(read_file(dir_ / "out.txt"), "old content\n");
}

TEST_F(CliFiles, OutputFileNotCreatedOnError) {
  const cli_result r =
      run_cli({(dir_ / "missing.txt").string(), "-o", (dir_ / "new.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_FALSE(fs::exists(dir_ / "new.txt"));
  EXPECT_TRUE(stray_files({}).empty());
}

TEST_F(CliFiles, OutputIntoAMissingFolderIsAnError) {
  write_file(dir_ / "in.txt", "text\n");
  const cli_result r =
      run_cli({(dir_ / "in.txt").string(), "-o", (dir_ / "no" / "out.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("mojifix: cannot create a temporary file", 0), 0u) << r.err;
  EXPECT_TRUE(stray_files({"in.txt"}).empty());
  const cli_result dir = run_cli({(dir_ / "in.txt").string(), "-o", dir_.string()});
  EXPECT_EQ(dir.status, 2);
  EXPECT_NE(dir.err.find("is a directory"), std::string::npos) << dir.err;
}

TEST_F(CliFiles, SeveralInputsAreJoinedAndNamedInMessages) {
  write_file(dir_ / "a.jsonl", "{\"text\":\"a\"}\nbroken\n");
  write_file(dir_ / "b.jsonl", "{\"text\":\"b\"}");  // no final newline: kept so
  const std::string a = (dir_ / "a.jsonl").string();
  const std::string b = (dir_ / "b.jsonl").string();
  const cli_result r = run_cli({"--jsonl", a, b, "-j", "2"});
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, "{\"text\":\"a\"}\nbroken\n{\"text\":\"b\"}");
  EXPECT_EQ(r.err.rfind("mojifix: " + a + ": line 2: not valid JSON", 0), 0u) << r.err;
  EXPECT_EQ(count_line_ends(r.err), 1u);
}

TEST_F(CliFiles, OutputFileKeepsPermissions) {
  write_file(dir_ / "in.txt", "text\n");
  write_file(dir_ / "out.txt", "old\n");
  fs::permissions(dir_ / "out.txt", fs::perms(0640));
  ASSERT_EQ(run_cli({(dir_ / "in.txt").string(), "-o", (dir_ / "out.txt").string()}).status, 0);
  EXPECT_EQ(fs::status(dir_ / "out.txt").permissions() & fs::perms::all, fs::perms(0640));
  EXPECT_EQ(read_file(dir_ / "out.txt"), "text\n");
}

TEST_F(CliFiles, InPlaceRewritesEachFile) {
  write_file(dir_ / "a.txt", std::string(kFrenchDamaged) + "\r\nclean\n");
  write_file(dir_ / "b.txt", kChineseDamaged);
  const cli_result r = run_cli({"-i", (dir_ / "a.txt").string(), (dir_ / "b.txt").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(read_file(dir_ / "a.txt"), std::string(kFrenchFixed) + "\r\nclean\n");
  EXPECT_EQ(read_file(dir_ / "b.txt"), chinese_fixed());
  EXPECT_TRUE(stray_files({"a.txt", "b.txt"}).empty());
}

TEST_F(CliFiles, InPlaceLeavesFilesUntouchedOnError) {
  write_file(dir_ / "a.txt", kFrenchDamaged);
  const cli_result r = run_cli({"-i", (dir_ / "a.txt").string(), (dir_ / "missing.txt").string()});
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(read_file(dir_ / "a.txt"), kFrenchDamaged);
  EXPECT_TRUE(stray_files({"a.txt"}).empty());
  // No FILE, standard input, or -o together with -i: usage errors.
  EXPECT_EQ(run_cli({"-i"}, "x").status, 2);
  EXPECT_EQ(run_cli({"-i", "-"}, "x").status, 2);
  const cli_result both =
      run_cli({"-i", (dir_ / "a.txt").string(), "-o", (dir_ / "b.txt").string()});
  EXPECT_EQ(both.status, 2);
  EXPECT_FALSE(fs::exists(dir_ / "b.txt"));
  EXPECT_EQ(read_file(dir_ / "a.txt"), kFrenchDamaged);
}

TEST_F(CliFiles, InPlaceFollowsSymbolicLinks) {
  write_file(dir_ / "real.txt", kFrenchDamaged);
  fs::create_symlink(dir_ / "real.txt", dir_ / "link.txt");
  ASSERT_EQ(run_cli({"-i", (dir_ / "link.txt").string()}).status, 0);
  EXPECT_TRUE(fs::is_symlink(dir_ / "link.txt"));
  EXPECT_EQ(read_file(dir_ / "real.txt"), kFrenchFixed);  // needs the repair engine
}

// --- JSON Lines ------------------------------------------------------------

TEST(CliJsonl, FixesTheFieldAndKeepsEveryOtherByte) {
  const std::string before = "{ \"id\" : 7 ,\"title\":\"Caf\\u00e9 \\/ x\",\"text\":\"";
  const std::string after = "\",  \"tags\":[\"a\" ,\"b\"], \"n\":{\"text\":\"Ã©\"} }  ";
  std::string input = before;
  mojifix::cli::append_json_escaped(input, kFrenchDamaged);
  input += "\\n\\u00c3\\u00a9t\\u00c3\\u00a9 \\\"quoted\\\"\\t" + after + "\r\n";
  const cli_result r = run_cli({"--jsonl"}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.err, "");
  std::string expected = before;
  mojifix::cli::append_json_escaped(expected, kFrenchFixed);
  expected += "\\nété \\\"quoted\\\"\\t" + after + "\r\n";  // needs the repair engine
  EXPECT_EQ(r.out, expected);
}

TEST(CliJsonl, RecordsNeedingNoRepairComeBackByteForByte) {
  const std::string input =
      "{\"text\":\"caf\\u00e9 \\/ \\\"ok\\\" 中文\",\"x\":1}\n"
      "{\"text\":\"\"}\n"
      "  {\"a\":[1,2,{\"b\":null}],\"text\":\"plain\"}  \r\n"
      "{\"t\\u0065xt\":\"escaped key\"}";
  const cli_result r = run_cli({"--jsonl"}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, input);
  EXPECT_EQ(r.err, "");
}

TEST(CliJsonl, ExampleDumpTextFieldsRestored) {
  const cli_result r = run_cli({"--jsonl", (kExamples / "articles.jsonl").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  const auto got = split_lines(r.out);
  const auto want = split_lines(read_file(kExamples / "articles.fixed.jsonl"));
  ASSERT_EQ(got.size(), want.size());
  std::size_t restored = 0;
  for (std::size_t i = 0; i < got.size(); ++i) restored += got[i] == want[i];
  std::printf("[ figures  ] articles.jsonl: %zu of %zu records as expected\n", restored,
              got.size());
  // Known failures: records whose text the engine does not restore yet, each
  // with its reason. They are counted and printed, and flagged once they pass.
  const std::vector<std::size_t> known_bad = {};
  std::size_t known_still_bad = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    const bool known = std::count(known_bad.begin(), known_bad.end(), i + 1) != 0;
    if (!known) {
      EXPECT_EQ(got[i], want[i]) << "record " << i + 1;
    } else if (got[i] != want[i]) {
      ++known_still_bad;
    } else {
      std::printf("[ note     ] record %zu is now restored: take it off the known list\n", i + 1);
    }
  }
  std::printf("[ figures  ] articles.jsonl: %zu known failure(s) still failing\n", known_still_bad);
}

TEST(CliJsonl, BadRecordsPassThroughAndAreReported) {
  const std::string input =
      "{\"text\":\"ok\"}\n"
      "not json\n"
      "\n"
      "[1,2]\n"
      "{\"title\":\"no text\"}\n"
      "{\"text\":42}\n"
      "{\"text\":\"unterminated}\n"
      "   \n"
      "{\"text\":\"trailing\"} x\n";
  const cli_result r = run_cli({"--jsonl"}, input);
  EXPECT_EQ(r.status, 1);
  EXPECT_EQ(r.out, input);
  for (const char* expected :
       {"mojifix: line 2: not valid JSON", "mojifix: line 4: not a JSON object",
        "mojifix: line 5: no \"text\" field", "mojifix: line 6: field \"text\" is not a string",
        "mojifix: line 7: not valid JSON", "mojifix: line 9: not valid JSON"}) {
    EXPECT_NE(r.err.find(expected), std::string::npos) << expected << "\n" << r.err;
  }
  EXPECT_EQ(r.err.find("line 1:"), std::string::npos);
  EXPECT_EQ(r.err.find("line 3:"), std::string::npos) << "empty lines are not reported";
  EXPECT_EQ(r.err.find("line 8:"), std::string::npos) << "blank lines are not reported";
  EXPECT_EQ(count_line_ends(r.err), 6u);
}

TEST(CliJsonl, OtherField) {
  std::string input = "{\"title\":\"";
  mojifix::cli::append_json_escaped(input, kChineseDamaged);
  input += "\",\"text\":\"";
  mojifix::cli::append_json_escaped(input, kChineseDamaged);
  input += "\"}\n";
  const cli_result r = run_cli({"--jsonl", "--field", "title"}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  std::string expected = "{\"title\":\"";
  mojifix::cli::append_json_escaped(expected, chinese_fixed());
  expected += "\",\"text\":\"";
  mojifix::cli::append_json_escaped(expected, kChineseDamaged);
  expected += "\"}\n";
  EXPECT_EQ(r.out, expected);
  // Records without that field are reported.
  const cli_result missing = run_cli({"--jsonl", "--field", "body"}, input);
  EXPECT_EQ(missing.status, 1);
  EXPECT_EQ(missing.out, input);
  EXPECT_NE(missing.err.find("line 1: no \"body\" field"), std::string::npos) << missing.err;
}

TEST(CliJsonl, FieldNeedsJsonlAndAName) {
  const cli_result r = run_cli({"--field", "title"}, "x\n");
  EXPECT_EQ(r.status, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("mojifix: "), std::string::npos);
  const cli_result empty = run_cli({"--jsonl", "--field", ""}, "{}\n");
  EXPECT_EQ(empty.status, 2);
  EXPECT_EQ(empty.out, "");
  EXPECT_NE(empty.err.find("--field"), std::string::npos) << empty.err;
}

// --- Options ---------------------------------------------------------------

TEST(CliOptions, ScriptIsConvertedOrAClearError) {
  // Whether this build converts scripts is the library's answer; the
  // command either converts or says clearly that it cannot.
  for (const char* name : {"simplified", "traditional", "taiwan", "hongkong"}) {
    const cli_result r = run_cli({"--script", name}, kMonaDamaged);
    if (r.status == 0) {
      EXPECT_NE(r.out, "") << name;
    } else {
      EXPECT_EQ(r.status, 2) << name;
      EXPECT_EQ(r.out, "") << name;
      EXPECT_NE(r.err.find(std::string("--script ") + name), std::string::npos) << r.err;
    }
  }
  EXPECT_EQ(run_cli({"--script", "keep"}, "abc\n").out, "abc\n");
  const cli_result bogus = run_cli({"--script", "klingon"}, "abc\n");
  EXPECT_EQ(bogus.status, 2);
  EXPECT_EQ(bogus.out, "");
}

TEST(CliOptions, EveryLibraryOptionHasAFlag) {
  // Each flag parses, is documented in --help, and clean text still comes
  // back byte for byte with it.
  const std::vector<std::vector<std::string>> flags = {
      {"--no-repair-encoding"},
      {"--max-layers", "2"},
      {"--margin", "1.5"},
      {"--no-entities-around-mojibake"},
      {"--no-recover-lossy"},
      {"--drop-lost"},
      {"--no-remove-readings"},
      {"--html-entities", "never"},
      {"--html-entities", "always"},
      {"--no-fix-c1-controls"},
      {"--no-fix-surrogates"},
      {"--no-remove-terminal-escapes"},
      {"--no-remove-control-chars"},
      {"--no-fix-latin-ligatures"},
      {"--no-fix-width"},
      {"--no-fix-line-breaks"},
      {"--fix-line-breaks"},
      {"--no-drop-lost"},
      {"--repair-encoding"},
      {"--uncurl-quotes"},
      {"--no-remove-bom"},
      {"--remove-zero-width"},
      {"--no-fix-dakuten"},
      {"--no-fix-cjk-compatibility"},
      {"--no-compose-jamo"},
      {"--restore-cjk-punct"},
      {"--normalization", "none"},
      {"--normalization", "nfkc"},
      {"--from", "auto"},
      {"--from", "utf-8"},
  };
  const std::string help(mojifix::cli::usage_text());
  const std::string clean = "plain words, 中文 and 日本語\n";
  for (const auto& f : flags) {
    // A switch is documented in one of its two forms (--X or --no-X).
    std::string base = f[0].substr(2);
    if (base.rfind("no-", 0) == 0) base = base.substr(3);
    EXPECT_NE(help.find("-" + base), std::string::npos) << f[0] << " is not in --help";
    const cli_result r = run_cli_vec(f, clean);
    EXPECT_EQ(r.status, 0) << f[0] << ": " << r.err;
    EXPECT_EQ(r.out, clean) << f[0];
  }
  for (auto bad : {std::vector<std::string>{"--max-layers", "4"},
                   {"--html-entities", "sometimes"},
                   {"--normalization", "nfd"},
                   {"--from", "klingon-8"},
                   {"--from", ""}}) {
    const cli_result r = run_cli_vec(bad, "abc\n");
    EXPECT_EQ(r.status, 2) << bad[0] << " " << bad[1];
    EXPECT_EQ(r.out, "") << bad[0];
  }
}

TEST(CliOptions, NoRepairEncodingLeavesMojibake) {
  const cli_result r = run_cli({"--no-repair-encoding"}, kFrenchDamaged);
  EXPECT_EQ(r.status, 0);
  EXPECT_NE(r.out.find("d\xC3\x83\xC2\xA9"
                       "couvrir"),
            std::string::npos)
      << r.out;
}

TEST(CliOptions, HelpVersionAndBadOptions) {
  const cli_result help = run_cli({"--help"});
  EXPECT_EQ(help.status, 0);
  EXPECT_NE(help.out.find("Usage: mojifix [OPTIONS] [FILE...]"), std::string::npos);
  EXPECT_NE(help.out.find("Exit status:"), std::string::npos);
  EXPECT_EQ(help.out, mojifix::cli::usage_text());
  const cli_result version = run_cli({"--version"});
  EXPECT_EQ(version.status, 0);
  EXPECT_EQ(version.out, std::string("mojifix ") + mojifix::kVersion + "\n");
  for (auto args : {std::vector<std::string>{"--bogus"}, {"-j", "x"}, {"-j", "-3"}, {"-o"}}) {
    const cli_result r = run_cli_vec(args, "abc\n");
    EXPECT_EQ(r.status, 2) << args[0];
    EXPECT_EQ(r.out, "") << args[0];
    EXPECT_EQ(r.err.rfind("mojifix: ", 0), 0u) << r.err;
  }
}

TEST(CliExplain, PlainTextStepsGoToStandardError) {
  const std::string input = "clean\nLe musÃ©e\n";
  const cli_result r = run_cli({"--explain"}, input);
  EXPECT_EQ(r.status, 0);
  EXPECT_EQ(r.out, "clean\nLe musée\n");  // needs the repair engine
  // One line per step: mojifix: line 2: bytes 6-10: <chain>: "Ã©" → "é" (cost … bits)
  EXPECT_EQ(r.err.rfind("mojifix: line 2: bytes 6-10: ", 0), 0u) << r.err;
  EXPECT_NE(r.err.find(": \"Ã©\" \u2192 \"é\" (cost "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(" bits)\n"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("line 1:"), std::string::npos);
  // Without --explain nothing is said.
  EXPECT_EQ(run_cli({}, input).err, "");
}

TEST(CliExplain, JsonlStepsBecomeAMember) {
  std::string input = "{\"id\":1,\"text\":\"";
  mojifix::cli::append_json_escaped(input, kFrenchDamaged);
  input += "\" }\n{\"id\":2,\"text\":\"clean\"}\n";
  const cli_result r = run_cli({"--jsonl", "--explain"}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[1], "{\"id\":2,\"text\":\"clean\"}") << "unchanged records get no member";
  // The member goes right before the closing brace; the rest is kept.
  const std::string prefix =
      "{\"id\":1,\"text\":\"" + std::string(kFrenchFixed) + "\" ,\"mojifix\":[{\"begin\":";
  EXPECT_EQ(lines[0].rfind(prefix, 0), 0u) << lines[0];  // needs the repair engine
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(lines[0]).get(doc), simdjson::SUCCESS) << lines[0];
  simdjson::dom::array steps;
  ASSERT_EQ(doc["mojifix"].get(steps), simdjson::SUCCESS) << lines[0];
  EXPECT_EQ(steps.size(), 5u);
  for (simdjson::dom::element step : steps) {
    const auto begin = static_cast<std::size_t>(int64_t(step["begin"]));
    const auto end = static_cast<std::size_t>(int64_t(step["end"]));
    ASSERT_LT(begin, end);
    ASSERT_LE(end, kFrenchDamaged.size());
    // Offsets are bytes of the field's (unescaped) value.
    EXPECT_EQ(std::string_view(step["before"]), kFrenchDamaged.substr(begin, end - begin));
    EXPECT_TRUE(step["after"].is_string());
    EXPECT_TRUE(step["chain"].is_string());
    EXPECT_TRUE(step["cost_before"].is_number());
    EXPECT_TRUE(step["cost_after"].is_number());
  }
}

TEST(CliJsonl, ByteOrderMarkIsKept) {
  std::string input = "\xEF\xBB\xBF{\"text\":\"";
  mojifix::cli::append_json_escaped(input, kFrenchDamaged);
  input += "\"}\n";
  const cli_result r = run_cli({"--jsonl"}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  std::string expected = "\xEF\xBB\xBF{\"text\":\"";
  mojifix::cli::append_json_escaped(expected, kFrenchFixed);  // needs the repair engine
  expected += "\"}\n";
  EXPECT_EQ(r.out, expected);
}

TEST(CliProgress, OnlyOnATerminalForLargeInputs) {
  const std::string input = make_mixed_input(2000);
  mojifix::cli::run_env env;
  env.block_size = 4096;
  env.progress_threshold = 10'000;  // stands for 64 MB
  env.err_is_terminal = true;
  const cli_result shown = run_cli({}, input, env);
  EXPECT_EQ(shown.status, 0);
  EXPECT_NE(shown.err.find("\rmojifix: 0 MB"), std::string::npos) << shown.err;
  EXPECT_EQ(shown.err.substr(shown.err.size() - 4), "\r\033[K") << "the line is cleared";
  const cli_result plain = run_cli({}, input);
  EXPECT_EQ(shown.out, plain.out) << "progress never goes to the output";
  EXPECT_EQ(run_cli({"--quiet"}, input, env).err, "");
  env.err_is_terminal = false;
  EXPECT_EQ(run_cli({}, input, env).err, "");
  env.err_is_terminal = true;
  env.progress_threshold = input.size() + 1;  // small input: nothing shown
  EXPECT_EQ(run_cli({}, input, env).err, "");
}

// --- Threads and blocks ----------------------------------------------------

TEST(CliThreads, ManyJobsGiveTheSameBytesAsOne) {
  const std::string input = make_mixed_input(3000);
  mojifix::cli::run_env small_blocks;
  small_blocks.block_size = 4096;  // ~50 blocks
  const cli_result one = run_cli({"--explain", "-j", "1"}, input, small_blocks);
  const cli_result four = run_cli({"--explain", "-j", "4"}, input, small_blocks);
  const cli_result big = run_cli({"--explain"}, input);  // one block
  EXPECT_EQ(one.status, 0);
  EXPECT_EQ(four.status, 0);
  EXPECT_EQ(one.out, four.out);
  EXPECT_EQ(one.err, four.err);
  EXPECT_EQ(one.out, big.out);
  EXPECT_EQ(one.err, big.err);
  EXPECT_EQ(count_line_ends(one.out), count_line_ends(input));
  EXPECT_NE(one.out, input) << "the damaged lines were repaired";  // needs the repair engine

  const std::string records = make_jsonl_input(2000);
  const cli_result j1 = run_cli({"--jsonl", "--explain", "-j", "1"}, records, small_blocks);
  const cli_result j4 = run_cli({"--jsonl", "--explain", "-j", "4"}, records, small_blocks);
  const cli_result j0 = run_cli({"--jsonl", "--explain", "-j", "0"}, records, small_blocks);
  EXPECT_EQ(j1.status, 1);  // the "not json" lines
  EXPECT_EQ(j4.status, 1);
  EXPECT_EQ(j1.out, j4.out);
  EXPECT_EQ(j1.err, j4.err);
  EXPECT_EQ(j1.out, j0.out);
  EXPECT_NE(j1.err.find("mojifix: line 1995: not valid JSON"), std::string::npos);
}

TEST(CliThreads, LineLongerThanABlock) {
  std::string long_line;
  while (long_line.size() < 30'000) long_line += std::string(kFrenchDamaged) + " ";
  const std::string input = "short\n" + long_line + "\r\nafter\n" + long_line;
  mojifix::cli::run_env tiny;
  tiny.block_size = 1024;
  const cli_result small = run_cli({"-j", "2"}, input, tiny);
  const cli_result whole = run_cli({}, input);
  EXPECT_EQ(small.status, 0);
  EXPECT_EQ(small.out, whole.out);
  const auto lines = split_lines(small.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_EQ(lines[0], "short");
  EXPECT_EQ(lines[2], "after");
  EXPECT_EQ(lines[1].find("Ã"), std::string::npos);  // needs the repair engine
  EXPECT_EQ(lines[1], lines[3]);
}

TEST(CliPipeline, ResultsComeBackInInputOrder) {
  // Early blocks take longest, so workers finish them last.
  std::string input;
  for (int i = 0; i < 400; ++i) input += "line " + std::to_string(i) + "\n";
  std::istringstream in(input);
  std::string out;
  std::vector<std::uint64_t> first_lines;
  mojifix::cli::pipeline_config pc;
  pc.block_size = 256;
  pc.jobs = 4;
  const auto status = mojifix::cli::run_pipeline(
      in, pc,
      [](std::string_view block, std::uint64_t first_line, mojifix::cli::block_result& r) {
        std::this_thread::sleep_for(std::chrono::microseconds(first_line < 200 ? 3000 : 0));
        r.text = std::string(block);
        r.notes.push_back({first_line, {}});
      },
      [&](mojifix::cli::block_result& r, std::size_t) {
        out += r.text;
        first_lines.push_back(r.notes.at(0).line);
        return true;
      });
  EXPECT_EQ(status, mojifix::cli::pipeline_status::ok);
  EXPECT_EQ(out, input);
  EXPECT_GT(first_lines.size(), 10u);
  EXPECT_TRUE(std::is_sorted(first_lines.begin(), first_lines.end()));
  EXPECT_EQ(first_lines.front(), 1u);
}

TEST(CliPipeline, StopsOnAFailingBlockOrSink) {
  std::string input;
  for (int i = 0; i < 400; ++i) input += "line " + std::to_string(i) + "\n";
  for (const int jobs : {1, 3}) {
    mojifix::cli::pipeline_config pc;
    pc.block_size = 256;
    pc.jobs = jobs;
    std::istringstream in(input);
    EXPECT_THROW(mojifix::cli::run_pipeline(
                     in, pc,
                     [](std::string_view, std::uint64_t first_line, mojifix::cli::block_result&) {
                       if (first_line > 100) throw std::runtime_error("block failed");
                     },
                     [](mojifix::cli::block_result&, std::size_t) { return true; }),
                 std::runtime_error)
        << jobs;
    std::istringstream in2(input);
    int sunk = 0;
    const auto status = mojifix::cli::run_pipeline(
        in2, pc, [](std::string_view, std::uint64_t, mojifix::cli::block_result&) {},
        [&](mojifix::cli::block_result&, std::size_t) { return ++sunk < 3; });
    EXPECT_EQ(status, mojifix::cli::pipeline_status::stopped) << jobs;
    EXPECT_EQ(sunk, 3) << jobs;
  }
}

TEST(CliBlockReader, NeverHoldsMoreThanItsBound) {
  std::string input;
  for (int i = 0; i < 5000; ++i) input += std::string(static_cast<std::size_t>(i % 97), 'x') + "\n";
  input += "no final newline";
  for (const std::size_t bound : {std::size_t{100}, std::size_t{1000}, std::size_t{65536}}) {
    std::istringstream in(input);
    mojifix::cli::block_reader reader(in, bound);
    std::string block, joined;
    while (reader.next(block)) {
      EXPECT_LE(block.size(), bound);
      EXPECT_TRUE(block.back() == '\n' || joined.size() + block.size() == input.size());
      joined += block;
    }
    EXPECT_FALSE(reader.failed());
    EXPECT_EQ(joined, input);
    EXPECT_LE(reader.peak_bytes(), bound) << bound;
    EXPECT_EQ(reader.bytes_read(), input.size());
  }
}

TEST(CliBlockReader, LongLineGetsABlockOfItsOwn) {
  const std::string long_line = std::string(10'000, 'y') + "\n";
  const std::string input = "a\nb\n" + long_line + "c\n";
  std::istringstream in(input);
  mojifix::cli::block_reader reader(in, 64);
  std::vector<std::string> blocks;
  std::string block;
  while (reader.next(block)) blocks.push_back(block);
  ASSERT_EQ(blocks.size(), 3u);
  EXPECT_EQ(blocks[0], "a\nb\n");
  EXPECT_EQ(blocks[1], long_line);
  EXPECT_EQ(blocks[2], "c\n");
  // Only that line made the reader hold more than its bound.
  EXPECT_LT(reader.peak_bytes(), long_line.size() + 2 * 64);
}

// --- JSON helpers ----------------------------------------------------------

TEST(CliJsonText, EscapeUnescapeRoundTrip) {
  const std::string text = "a\"b\\c\n\t\x01\x1f/ é 中文 \xF0\x9F\x98\x80 \x7f";
  std::string escaped;
  mojifix::cli::append_json_escaped(escaped, text);
  EXPECT_EQ(escaped, "a\\\"b\\\\c\\n\\t\\u0001\\u001f/ é 中文 \xF0\x9F\x98\x80 \x7f");
  std::string back;
  ASSERT_TRUE(mojifix::cli::json_unescape(escaped, back));
  EXPECT_EQ(back, text);
  ASSERT_TRUE(mojifix::cli::json_unescape("\\ud83d\\ude00\\u00e9\\/", back));
  EXPECT_EQ(back, "\xF0\x9F\x98\x80\xC3\xA9/");
  EXPECT_FALSE(mojifix::cli::json_unescape("\\ud83d", back));
  EXPECT_FALSE(mojifix::cli::json_unescape("\\x41", back));
  std::string lossy;
  mojifix::cli::append_json_escaped_lossy(lossy, "ok\xFF");
  EXPECT_EQ(lossy, "ok\xEF\xBF\xBD");
}

TEST(CliJsonText, LocatesTopLevelMembersOnly) {
  const std::string_view rec =
      R"( {"a":{"text":"inner"}, "t\u0065xt" : "one" ,"b":["text","}"],"text":2} )";
  const auto layout = mojifix::cli::locate_members(rec, "text");
  ASSERT_EQ(layout.members.size(), 2u);
  EXPECT_EQ(rec.substr(layout.members[0].value_begin,
                       layout.members[0].value_end - layout.members[0].value_begin),
            "\"one\"");
  EXPECT_TRUE(layout.members[0].is_string);
  EXPECT_FALSE(layout.members[1].is_string);
  EXPECT_EQ(rec[layout.closing_brace], '}');
  EXPECT_EQ(layout.closing_brace, rec.size() - 2);
}

// --- detect ----------------------------------------------------------------

TEST_F(CliFiles, DetectPrintsOneJsonObjectPerFile) {
  write_file(dir_ / "a.txt", "clean line\n" + std::string(kFrenchDamaged) + "\n");
  write_file(dir_ / "b.txt", "nothing to see\n");
  const std::string before_a = read_file(dir_ / "a.txt");
  const cli_result r = run_cli({"detect", (dir_ / "a.txt").string(), (dir_ / "b.txt").string()});
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(read_file(dir_ / "a.txt"), before_a) << "detect changes nothing";
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u);
  simdjson::dom::parser parser;
  for (std::size_t i = 0; i < 2; ++i) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(lines[i]).get(doc), simdjson::SUCCESS) << lines[i];
    EXPECT_EQ(std::string_view(doc["file"]), (dir_ / (i == 0 ? "a.txt" : "b.txt")).string());
    EXPECT_EQ(std::string_view(doc["encoding"]), i == 0 ? "utf-8" : "ascii");
    EXPECT_EQ(double(doc["confidence"]), 1.0);
    simdjson::dom::array findings;
    ASSERT_EQ(doc["findings"].get(findings), simdjson::SUCCESS);
    if (i == 1) {
      EXPECT_EQ(findings.size(), 0u);
      continue;
    }
    EXPECT_GE(findings.size(), 1u) << lines[i];  // needs the repair engine
    for (simdjson::dom::element f : findings) {
      EXPECT_EQ(int64_t(f["line"]), 2);
      const auto begin = static_cast<std::size_t>(int64_t(f["begin"]));
      const auto end = static_cast<std::size_t>(int64_t(f["end"]));
      EXPECT_LT(begin, end);
      EXPECT_LE(end, kFrenchDamaged.size());
      EXPECT_TRUE(f["chain"].is_string());
      EXPECT_TRUE(f["repaired"].is_string());
      const double confidence = f["confidence"];
      EXPECT_GE(confidence, 0.0);
      EXPECT_LE(confidence, 1.0);
    }
  }
  // Standard input is named "-"; an unreadable file is an error.
  const cli_result piped = run_cli({"detect"}, "abc\n");
  EXPECT_EQ(piped.out,
            "{\"file\":\"-\",\"encoding\":\"ascii\",\"confidence\":1.000,\"alternatives\":[],"
            "\"bom\":false,\"mixed\":false,\"findings\":[],\"islands\":[],\"script\":{"
            "\"verdict\":\"undetermined\",\"han\":0,\"simplified_evidence\":0,"
            "\"traditional_evidence\":0,\"kana\":0}}\n");
  EXPECT_EQ(run_cli({"detect", (dir_ / "missing").string()}).status, 2);
}

// --- End to end ------------------------------------------------------------

// --- Input encodings (--from, detection) ------------------------------------

// 你好，世界！这是一个测试。 in GBK, and 日本語のテキスト in Shift_JIS (Python's codecs).
constexpr std::string_view kGbkLine =
    "\xC4\xE3\xBA\xC3\xA3\xAC\xCA\xC0\xBD\xE7\xA3\xA1\xD5\xE2\xCA\xC7\xD2\xBB\xB8\xF6\xB2\xE2"
    "\xCA\xD4\xA1\xA3";
constexpr std::string_view kGbkLineText = "你好，世界！这是一个测试。";
constexpr std::string_view kSjisLine =
    "\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x4C\x83\x58\x83\x67";
constexpr std::string_view kSjisLineText = "日本語のテキスト";

TEST(CliEncoding, DetectsAndDecodesLegacyInput) {
  const std::string input = std::string(kGbkLine) + "\n" + std::string(kGbkLine) + "\r\nend";
  const cli_result r = run_cli({}, input);
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kGbkLineText) + "\n" + std::string(kGbkLineText) + "\r\nend");
  EXPECT_EQ(r.err, "");
}

TEST(CliEncoding, FromNamesTheEncoding) {
  const cli_result r = run_cli({"--from", "shift_jis"}, std::string(kSjisLine) + "\n");
  EXPECT_EQ(r.status, 0) << r.err;
  EXPECT_EQ(r.out, std::string(kSjisLineText) + "\n");
  // Bytes that are not characters of the named encoding become U+FFFD.
  const cli_result bad = run_cli({"--from", "gbk"}, "a\x81 b\n");
  EXPECT_EQ(bad.status, 0);
  EXPECT_EQ(bad.out, "a\xEF\xBF\xBD b\n");
}

TEST(CliEncoding, Utf16WithAndWithoutByteOrderMark) {
  const std::u16string text = u"第一行，中文。\n第二行 second line\n";
  std::string le;
  std::string be;
  for (char16_t c : text) {
    le.push_back(static_cast<char>(c & 0xFF));
    le.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c >> 8));
    be.push_back(static_cast<char>(c & 0xFF));
  }
  const std::string want = "第一行，中文。\n第二行 second line\n";
  EXPECT_EQ(run_cli({}, "\xFF\xFE" + le).out, want);
  EXPECT_EQ(run_cli({}, "\xFE\xFF" + be).out, want);
  EXPECT_EQ(run_cli({}, le).out, want);
  EXPECT_EQ(run_cli({}, be).out, want);
  EXPECT_EQ(run_cli({"--from", "utf-16be"}, be).out, want);
}

TEST(CliEncoding, LegacyInputAcrossManyBlocksAndThreads) {
  // Lines long and short, so characters and lines cross the reader's
  // pieces; the result must equal the library's decoding of the whole.
  std::string input;
  std::string want;
  for (int i = 0; i < 4000; ++i) {
    for (int k = 0; k <= i % 7; ++k) {
      input += kGbkLine;
      want += kGbkLineText;
    }
    input += " " + std::to_string(i) + "\n";
    want += " " + std::to_string(i) + "\n";
  }
  ASSERT_GT(input.size(), std::size_t{200} << 10);
  for (const char* jobs : {"1", "3"}) {
    const cli_result r = run_cli({"-j", jobs, "--block-size", "4096"}, input);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_TRUE(r.out == want) << "jobs " << jobs << ": output differs";
  }
}

TEST(CliEncoding, CleanUtf8ComesBackByteForByte) {
  const std::string input = make_mixed_input(50);
  const cli_result plain = run_cli({"--no-repair-encoding", "--normalization", "none"}, input);
  const cli_result given =
      run_cli({"--from", "utf-8", "--no-repair-encoding", "--normalization", "none"}, input);
  EXPECT_EQ(plain.out, given.out);
  EXPECT_EQ(run_cli({}, "just ASCII\r\nand 中文\n").out, "just ASCII\r\nand 中文\n");
}

// Detection reads the first 64 KB; where that cuts a character of a clean
// UTF-8 file, the cut is no bad byte (a clean Korean file was read as Mac
// Cyrillic and came out garbled).
TEST(CliEncoding, CleanUtf8CutInsideACharacterAtTheDetectionLimit) {
  const std::string line =
      "\uACE0\uB300 \uC804\uC7C1 \uC2E4\uC2DC\uAC04 \uC804\uB7B5 "
      "\uAC8C\uC784\uC785\uB2C8\uB2E4.\n";  // 고대 전쟁 실시간 전략 게임입니다.
  for (std::size_t shift = 0; shift < 3; ++shift) {
    std::string input(shift, 'a');
    while (input.size() < (std::size_t{64} << 10) + 4096) input += line;
    const cli_result r = run_cli({}, input);
    EXPECT_EQ(r.status, 0) << r.err;
    EXPECT_EQ(r.out, input) << "shift " << shift;
  }
}

TEST_F(CliFiles, DetectReportsEncodingFindingsAndScript) {
  const fs::path gbk = dir_ / "gbk.txt";
  const fs::path mixed = dir_ / "mixed.txt";
  write_file(gbk, std::string(kGbkLine) + "\n");
  write_file(mixed, "\xE4\xB8\xAD\xE6\x96\x87 ok \xE6\x97\xA5\xE6\x9C\xAC " +
                        std::string(kSjisLine) + "\n" + std::string(kMonaDamaged) + "\n");
  const cli_result r = run_cli({"detect", gbk.string(), mixed.string()});
  EXPECT_EQ(r.status, 0) << r.err;
  const auto lines = split_lines(r.out);
  ASSERT_EQ(lines.size(), 2u) << r.out;
  simdjson::dom::parser parser;
  for (const auto& line : lines) {
    simdjson::dom::element doc;
    ASSERT_EQ(parser.parse(line).get(doc), simdjson::SUCCESS) << line;
  }
  simdjson::dom::element first;
  ASSERT_EQ(parser.parse(lines[0]).get(first), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(first["encoding"].get_string().value()), "gbk");
  EXPECT_GT(first["confidence"].get_double().value(), 0.9);
  EXPECT_TRUE(first["alternatives"].is_array());
  EXPECT_EQ(std::string_view(first["script"]["verdict"].get_string().value()), "simplified");
  simdjson::dom::element second;
  ASSERT_EQ(parser.parse(lines[1]).get(second), simdjson::SUCCESS);
  EXPECT_EQ(std::string_view(second["encoding"].get_string().value()), "utf-8");
  EXPECT_TRUE(second["mixed"].get_bool().value());
  simdjson::dom::array islands = second["islands"].get_array().value();
  ASSERT_EQ(islands.size(), 1u) << lines[1];
  EXPECT_EQ(std::string_view(islands.at(0)["encoding"].get_string().value()), "shift_jis");
  EXPECT_EQ(islands.at(0)["begin"].get_uint64().value(), 17u);
  simdjson::dom::array findings = second["findings"].get_array().value();
  ASSERT_GE(findings.size(), 1u) << lines[1];  // the Mona Lisa line; needs the repair engine
  EXPECT_EQ(findings.at(findings.size() - 1)["line"].get_uint64().value(), 2u);
}

TEST(CliEndToEnd, FixesExampleDumpThroughAPipe) {
  const fs::path binary = fs::path(MOJIFIX_BINARY_DIR) / "mojifix";
  ASSERT_TRUE(fs::exists(binary)) << binary;
  const std::string command =
      "cat '" + (kExamples / "articles.txt").string() + "' | '" + binary.string() + "' -j 2";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  std::string out;
  char buf[4096];
  std::size_t n = 0;
  while ((n = std::fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
  const int status = ::pclose(pipe);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);

  const std::string input = read_file(kExamples / "articles.txt");
  const std::string expected = read_file(kExamples / "articles.fixed.txt");
  const auto in_lines = split_lines(input);
  const auto got = split_lines(out);
  const auto want = split_lines(expected);
  ASSERT_EQ(got.size(), want.size());
  ASSERT_EQ(in_lines.size(), want.size());
  std::size_t damaged = 0, restored = 0, clean_kept = 0, clean = 0;
  for (std::size_t i = 0; i < got.size(); ++i) {
    if (in_lines[i] == want[i]) {
      ++clean;
      clean_kept += got[i] == want[i];
      EXPECT_EQ(got[i], want[i]) << "clean line " << i + 1 << " was changed";
    } else {
      ++damaged;
      restored += got[i] == want[i];
    }
  }
  std::printf(
      "[ figures  ] articles.txt: %zu of %zu damaged lines restored, %zu of %zu clean "
      "lines kept\n",
      restored, damaged, clean_kept, clean);
  EXPECT_EQ(out, expected);
}
