#include "repair/entities.hpp"

#include <algorithm>
#include <iterator>

namespace mojifix::detail {
namespace {

struct named_entity {
  std::string_view name;
  char32_t cp;
};

constexpr named_entity kNamed[] = {
#include "repair/html_entities.inc"
};

bool is_alnum(char32_t c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

// Parses a reference starting at in[i] == '&'; on success sets cp and the
// length of the reference including '&' and ';'.
bool parse_reference(std::u32string_view in, std::size_t i, char32_t& cp, std::size_t& length) {
  std::size_t j = i + 1;
  if (j < in.size() && in[j] == '#') {
    ++j;
    const bool hex = j < in.size() && (in[j] == 'x' || in[j] == 'X');
    if (hex) ++j;
    std::uint32_t value = 0;
    std::size_t digits = 0;
    for (; j < in.size() && digits < 8; ++j, ++digits) {
      char32_t c = in[j];
      std::uint32_t d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (hex && c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (hex && c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        break;
      value = value * (hex ? 16 : 10) + d;
    }
    if (digits == 0 || j >= in.size() || in[j] != ';') return false;
    if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
    cp = value;
    length = j + 1 - i;
    return true;
  }
  std::string name;
  for (; j < in.size() && is_alnum(in[j]) && name.size() < 10; ++j)
    name.push_back(static_cast<char>(in[j]));
  if (name.empty() || j >= in.size() || in[j] != ';') return false;
  auto it =
      std::lower_bound(std::begin(kNamed), std::end(kNamed), name,
                       [](const named_entity& e, const std::string& n) { return e.name < n; });
  if (it == std::end(kNamed) || it->name != name) return false;
  cp = it->cp;
  length = j + 1 - i;
  return true;
}

}  // namespace

bool decode_entities(std::u32string_view in, std::u32string& out) {
  std::u32string result;
  bool any = false;
  for (std::size_t i = 0; i < in.size();) {
    char32_t cp;
    std::size_t length;
    if (in[i] == '&' && parse_reference(in, i, cp, length)) {
      result.push_back(cp);
      i += length;
      any = true;
    } else {
      result.push_back(in[i++]);
    }
  }
  if (any) out = std::move(result);
  return any;
}

}  // namespace mojifix::detail
