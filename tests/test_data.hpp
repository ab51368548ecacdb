#pragma once
// Readers for the data files of the data-driven tests: case files
// (tests/data/cases/*.tsv), the negative corpus (tests/data/negative/*.txt)
// and ftfy's JSON test cases. Header-only; used by several test executables.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "codec/utf8.hpp"

namespace mojifix::test {

inline std::string test_data_dir() { return MOJIFIX_TEST_DATA; }
inline std::string shared_dir() { return MOJIFIX_SHARED_DIR; }

inline std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream ss;
  ss << in.rdbuf();
  return std::move(ss).str();
}

/// Files in `dir` whose name ends with `suffix`, sorted by name.
inline std::vector<std::filesystem::path> list_files(const std::filesystem::path& dir,
                                                     std::string_view suffix) {
  std::vector<std::filesystem::path> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= suffix.size() &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

/// Splits on '\n' only: the data holds U+0085 and other characters that
/// some line readers treat as line ends.
inline std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    lines.push_back(line);
    start = end + 1;
  }
  return lines;
}

/// Undoes the escaping of case files: \t \n \r \\.
inline std::string unescape_field(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 1 < s.size()) {
      const char c = s[++i];
      out += c == 't' ? '\t' : c == 'n' ? '\n' : c == 'r' ? '\r' : c;
    } else {
      out += s[i];
    }
  }
  return out;
}

struct mojibake_case {
  std::string lang;
  std::string original;
  std::string damaged;
  std::size_t line = 0;  // line number in the file, for messages
};

struct case_file {
  std::string chain;  // file name without .tsv
  std::vector<mojibake_case> cases;
  std::size_t bad_lines = 0;  // lines that are neither comments nor cases
};

inline case_file read_case_file(const std::filesystem::path& path) {
  case_file file;
  file.chain = path.stem().string();
  const auto text = read_file(path);
  if (!text) {
    ++file.bad_lines;
    return file;
  }
  std::size_t number = 0;
  for (std::string_view line : split_lines(*text)) {
    ++number;
    if (line.empty() || line.front() == '#') continue;
    const std::size_t t1 = line.find('\t');
    const std::size_t t2 = t1 == std::string_view::npos ? t1 : line.find('\t', t1 + 1);
    if (t2 == std::string_view::npos || line.find('\t', t2 + 1) != std::string_view::npos) {
      ++file.bad_lines;
      continue;
    }
    file.cases.push_back({std::string(line.substr(0, t1)),
                          unescape_field(line.substr(t1 + 1, t2 - t1 - 1)),
                          unescape_field(line.substr(t2 + 1)), number});
  }
  return file;
}

inline std::vector<case_file> read_case_files() {
  std::vector<case_file> files;
  for (const auto& path : list_files(test_data_dir() + "/cases", ".tsv")) {
    files.push_back(read_case_file(path));
  }
  return files;
}

/// One negative-corpus file: every non-empty line is clean text.
struct text_file {
  std::string name;  // file name without .txt
  std::vector<std::string> lines;
};

inline std::vector<text_file> read_negative_files() {
  std::vector<text_file> files;
  for (const auto& path : list_files(test_data_dir() + "/negative", ".txt")) {
    text_file file{path.stem().string(), {}};
    if (const auto text = read_file(path)) {
      for (std::string_view line : split_lines(*text)) {
        if (!line.empty()) file.lines.emplace_back(line);
      }
    }
    files.push_back(std::move(file));
  }
  return files;
}

/// Clean lines of the negative corpus mojifix changes today, each with the
/// reason: bugs to remove, listed so that they are counted and printed, never
/// hidden (tests/negative_test.cpp reports them; a listed line that comes
/// back unchanged is reported so its entry can go).
struct known_clean_change {
  std::string_view file;
  std::string_view line;
  std::string_view reason;
};

inline const std::vector<known_clean_change>& known_clean_changes() {
  // A line of LibreOffice's help pages (help_pages.txt): a Basic example
  // that quotes a string no line-local clue tells from damage.
  static const std::vector<known_clean_change> known = {
      {"help_pages", "x = StrConv(\"\u00C9\u00CF\u00BA\u00A3\u00CA\u00D0ABC\", vbFromUnicode)",
       "a Basic example quoting the GBK bytes of \u4E0A\u6D77\u5E02 as Latin-1: text about "
       "mojibake that is exactly mojibake"},
  };
  return known;
}

inline bool is_known_clean_change(std::string_view file, std::string_view line) {
  for (const auto& k : known_clean_changes())
    if (k.file == file && k.line == line) return true;
  return false;
}

// ------------------------------------------------------------------ JSON
// Enough JSON for ftfy's test-case files: objects, arrays, strings, numbers,
// literals. Strings are decoded to UTF-8; a lone surrogate escape becomes its
// 3-byte (WTF-8) form so that nothing is silently dropped.

struct json_value {
  enum class kind : std::uint8_t { null, boolean, number, string, array, object };
  kind type = kind::null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<json_value> array;
  std::vector<std::pair<std::string, json_value>> object;

  [[nodiscard]] const json_value* find(std::string_view key) const {
    for (const auto& [k, v] : object) {
      if (k == key) return &v;
    }
    return nullptr;
  }
  /// The string member `key`, or nullopt when it is missing or not a string.
  [[nodiscard]] std::optional<std::string> get_string(std::string_view key) const {
    const json_value* v = find(key);
    if (v == nullptr || v->type != kind::string) return std::nullopt;
    return v->string;
  }
};

class json_reader {
 public:
  explicit json_reader(std::string_view text) : text_(text) {}

  /// Parses the whole text; nullopt (and error()) when it is not JSON.
  std::optional<json_value> parse() {
    json_value v;
    if (!value(v, 0)) return std::nullopt;
    skip_space();
    if (pos_ != text_.size()) return fail("trailing characters");
    return v;
  }
  [[nodiscard]] const std::string& error() const { return error_; }

 private:
  std::nullopt_t fail(const char* what) {
    if (error_.empty()) error_ = std::string(what) + " at byte " + std::to_string(pos_);
    return std::nullopt;
  }
  void skip_space() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\n' ||
                                   text_[pos_] == '\r' || text_[pos_] == '\t')) {
      ++pos_;
    }
  }
  bool literal(std::string_view word) {
    if (text_.substr(pos_, word.size()) != word) return false;
    pos_ += word.size();
    return true;
  }
  bool value(json_value& v, int depth) {
    if (depth > 64) return fail("nesting too deep"), false;
    skip_space();
    if (pos_ >= text_.size()) return fail("unexpected end"), false;
    const char c = text_[pos_];
    if (c == '{') return object(v, depth);
    if (c == '[') return array(v, depth);
    if (c == '"') {
      v.type = json_value::kind::string;
      return string(v.string);
    }
    if (literal("true")) {
      v.type = json_value::kind::boolean;
      v.boolean = true;
      return true;
    }
    if (literal("false")) {
      v.type = json_value::kind::boolean;
      return true;
    }
    if (literal("null")) return true;
    return number(v);
  }
  bool number(json_value& v) {
    const std::size_t start = pos_;
    while (pos_ < text_.size() &&
           std::string_view("+-0123456789.eE").find(text_[pos_]) != std::string_view::npos) {
      ++pos_;
    }
    if (pos_ == start) return fail("unexpected character"), false;
    v.type = json_value::kind::number;
    v.number = std::stod(std::string(text_.substr(start, pos_ - start)));
    return true;
  }
  bool array(json_value& v, int depth) {
    v.type = json_value::kind::array;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
    for (;;) {
      v.array.emplace_back();
      if (!value(v.array.back(), depth + 1)) return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ']') return ++pos_, true;
      return fail("expected , or ]"), false;
    }
  }
  bool object(json_value& v, int depth) {
    v.type = json_value::kind::object;
    ++pos_;
    skip_space();
    if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
    for (;;) {
      skip_space();
      std::string key;
      if (pos_ >= text_.size() || text_[pos_] != '"' || !string(key))
        return fail("expected key"), false;
      skip_space();
      if (pos_ >= text_.size() || text_[pos_] != ':') return fail("expected :"), false;
      ++pos_;
      v.object.emplace_back(std::move(key), json_value{});
      if (!value(v.object.back().second, depth + 1)) return false;
      skip_space();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == '}') return ++pos_, true;
      return fail("expected , or }"), false;
    }
  }
  bool hex4(std::uint32_t& out) {
    if (pos_ + 4 > text_.size()) return false;
    out = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      out <<= 4;
      if (c >= '0' && c <= '9')
        out |= static_cast<std::uint32_t>(c - '0');
      else if (c >= 'a' && c <= 'f')
        out |= static_cast<std::uint32_t>(c - 'a' + 10);
      else if (c >= 'A' && c <= 'F')
        out |= static_cast<std::uint32_t>(c - 'A' + 10);
      else
        return false;
    }
    return true;
  }
  bool string(std::string& out) {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      const char c = text_[pos_++];
      if (c == '"') return true;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size()) break;
      const char e = text_[pos_++];
      switch (e) {
        case '"':
          out += '"';
          break;
        case '\\':
          out += '\\';
          break;
        case '/':
          out += '/';
          break;
        case 'b':
          out += '\b';
          break;
        case 'f':
          out += '\f';
          break;
        case 'n':
          out += '\n';
          break;
        case 'r':
          out += '\r';
          break;
        case 't':
          out += '\t';
          break;
        case 'u': {
          std::uint32_t cp = 0;
          if (!hex4(cp)) return fail("bad \\u escape"), false;
          if (cp >= 0xD800 && cp < 0xDC00 && text_.substr(pos_, 2) == "\\u") {
            const std::size_t save = pos_;
            pos_ += 2;
            std::uint32_t low = 0;
            if (hex4(low) && low >= 0xDC00 && low < 0xE000) {
              cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else {
              pos_ = save;
            }
          }
          mojifix::detail::utf8::append(out, cp);
          break;
        }
        default:
          return fail("bad escape"), false;
      }
    }
    return fail("unterminated string"), false;
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::string error_;
};

/// Length of the well-formed UTF-8 sequence at s[i] (Unicode table 3-7), or 0.
inline std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t n = 0;
  unsigned char lo = 0x80;
  unsigned char hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < n; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return n;
}

/// A slow reference validator, independent of the library's own.
inline bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_sequence_length(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

/// Shows control and invisible characters, so failure messages can be read.
inline std::string visible(std::string_view s, std::size_t max_bytes = 400) {
  std::string out;
  for (std::size_t i = 0; i < s.size() && i < max_bytes; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) {
      static const char* hex = "0123456789ABCDEF";
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) {
      // C1 controls (U+0080..U+009F) as \u00XX.
      static const char* hex = "0123456789ABCDEF";
      const auto d = static_cast<unsigned char>(s[++i]);
      out += "\\u00";
      out += hex[d >> 4];
      out += hex[d & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max_bytes) out += "…";
  return out;
}

}  // namespace mojifix::test
