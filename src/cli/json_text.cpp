#include "cli/json_text.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

#include "codec/utf8.hpp"

namespace mojifix::cli {
namespace {

constexpr char kHex[] = "0123456789abcdef";

void append_escaped_byte(std::string& out, unsigned char c) {
  switch (c) {
    case '"':
      out += "\\\"";
      return;
    case '\\':
      out += "\\\\";
      return;
    case '\b':
      out += "\\b";
      return;
    case '\f':
      out += "\\f";
      return;
    case '\n':
      out += "\\n";
      return;
    case '\r':
      out += "\\r";
      return;
    case '\t':
      out += "\\t";
      return;
    default:
      break;
  }
  if (c < 0x20) {
    out += "\\u00";
    out += kHex[c >> 4];
    out += kHex[c & 0xF];
  } else {
    out += static_cast<char>(c);
  }
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 if there is none.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    len = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    len = 3;
    if (c == 0xE0) lo = 0xA0;
    if (c == 0xED) hi = 0x9F;
  } else if (c >= 0xF0 && c <= 0xF4) {
    len = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k) {
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  }
  return len;
}

bool parse_hex4(std::string_view s, std::size_t i, std::uint32_t& out) {
  if (i + 4 > s.size()) return false;
  out = 0;
  for (std::size_t k = i; k < i + 4; ++k) {
    const char c = s[k];
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

bool is_ws(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::size_t skip_ws(std::string_view s, std::size_t i) {
  while (i < s.size() && is_ws(s[i])) ++i;
  return i;
}

// s[i] is the opening quote; returns one past the closing quote.
std::size_t skip_string(std::string_view s, std::size_t i) {
  ++i;
  while (i < s.size() && s[i] != '"') i += (s[i] == '\\') ? 2 : 1;
  return i < s.size() ? i + 1 : s.size();
}

std::size_t skip_value(std::string_view s, std::size_t i) {
  if (i >= s.size()) return i;
  if (s[i] == '"') return skip_string(s, i);
  if (s[i] == '{' || s[i] == '[') {
    int depth = 0;
    while (i < s.size()) {
      const char c = s[i];
      if (c == '"') {
        i = skip_string(s, i);
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if (c == '}' || c == ']') {
        if (--depth == 0) return i + 1;
      }
      ++i;
    }
    return i;
  }
  while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ']' && !is_ws(s[i])) ++i;
  return i;
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view text) {
  for (const char c : text) append_escaped_byte(out, static_cast<unsigned char>(c));
}

void append_json_escaped_lossy(std::string& out, std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t len = utf8_sequence_length(text, i);
    if (len == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else if (len == 1) {
      append_escaped_byte(out, static_cast<unsigned char>(text[i]));
      ++i;
    } else {
      out.append(text.substr(i, len));
      i += len;
    }
  }
}

void append_json_string(std::string& out, std::string_view text) {
  out += '"';
  append_json_escaped_lossy(out, text);
  out += '"';
}

void append_json_number(std::string& out, double value, int decimals) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  char buf[64];
  const auto res = std::to_chars(buf, buf + sizeof buf, value, std::chars_format::fixed, decimals);
  if (res.ec != std::errc{}) {
    out += "null";
    return;
  }
  std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
  if (text.starts_with('-') && text.find_first_not_of("0.", 1) == std::string_view::npos) {
    text.remove_prefix(1);  // "-0.00" reads oddly and differs from 0 only in sign
  }
  out.append(text);
}

bool json_unescape(std::string_view raw, std::string& out) {
  out.clear();
  out.reserve(raw.size());
  std::size_t i = 0;
  while (i < raw.size()) {
    const std::size_t next = raw.find('\\', i);
    if (next == std::string_view::npos) {
      out.append(raw.substr(i));
      break;
    }
    out.append(raw.substr(i, next - i));
    i = next + 1;
    if (i >= raw.size()) return false;
    const char e = raw[i++];
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
        if (!parse_hex4(raw, i, cp)) return false;
        i += 4;
        if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
        if (cp >= 0xD800 && cp <= 0xDBFF) {
          std::uint32_t low = 0;
          if (i + 6 > raw.size() || raw[i] != '\\' || raw[i + 1] != 'u' ||
              !parse_hex4(raw, i + 2, low) || low < 0xDC00 || low > 0xDFFF) {
            return false;
          }
          i += 6;
          cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
        }
        mojifix::detail::utf8::append(out, cp);
        break;
      }
      default:
        return false;
    }
  }
  return true;
}

object_layout locate_members(std::string_view record, std::string_view key) {
  object_layout layout;
  std::size_t i = skip_ws(record, 0);
  if (i >= record.size() || record[i] != '{') return layout;
  ++i;
  std::string unescaped_key;
  while (true) {
    i = skip_ws(record, i);
    if (i >= record.size()) break;
    if (record[i] == '}') {
      layout.closing_brace = i;
      break;
    }
    if (record[i] == ',') {
      ++i;
      continue;
    }
    // A member: "key" : value
    const std::size_t key_begin = i;
    const std::size_t key_end = skip_string(record, i);
    const std::string_view raw_key = record.substr(key_begin + 1, key_end - key_begin - 2);
    bool matches = raw_key == key;
    if (!matches && raw_key.find('\\') != std::string_view::npos) {
      matches = json_unescape(raw_key, unescaped_key) && unescaped_key == key;
    }
    i = skip_ws(record, key_end);
    if (i < record.size() && record[i] == ':') ++i;
    i = skip_ws(record, i);
    const std::size_t value_begin = i;
    const std::size_t value_end = skip_value(record, i);
    layout.empty_object = false;
    if (matches) {
      layout.members.push_back({value_begin, value_end, record[value_begin] == '"'});
    }
    i = value_end;
  }
  return layout;
}

}  // namespace mojifix::cli
