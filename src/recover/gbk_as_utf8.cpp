#include "recover/gbk_as_utf8.hpp"

#include <cstdint>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "model/scorer.hpp"

namespace mojifix::detail {

namespace {

constexpr char32_t kFffd = U'\uFFFD';
constexpr layer kLayer{encoding::utf8, encoding::gbk, false, 0};

bool is_han(char32_t c) {
  const char_class k = scorer::get().classify(c);
  return k == char_class::han_common || k == char_class::han_uncommon;
}

}  // namespace

bool looks_like_gbk_as_utf8(std::u32string_view line) noexcept {
  std::size_t fffd = 0, cjk = 0;
  for (char32_t c : line) {
    fffd += c == kFffd;
    cjk += c >= 0x2E80 && c != kFffd;
  }
  return fffd >= 3 && fffd > 2 * cjk;
}

std::vector<lossy_fix> gbk_as_utf8_runs(std::u32string_view line, const recover_settings& s) {
  std::vector<lossy_fix> out;
  const scorer& sc = scorer::get();
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] < 0x80 || line[i] == kFffd) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < line.size() && line[j] >= 0x80 && line[j] != kFffd) ++j;
    const std::size_t b = i, e = j;
    i = j;
    // Only next to a gap: a run between two clean ASCII words is text.
    const bool gap_before = b > 0 && line[b - 1] == kFffd;
    const bool gap_after = e < line.size() && line[e] == kFffd;
    if (!gap_before && !gap_after) continue;
    std::string bytes;
    for (std::size_t k = b; k < e; ++k) utf8::append(bytes, line[k]);
    // A character boundary: the line's edge or an ASCII byte below 0x40, which
    // no GBK character ends with (trail bytes are 40-7E and 80-FE).
    const bool boundary_before = b == 0 || line[b - 1] < 0x40;
    const bool boundary_after = e == line.size() || line[e] < 0x40;
    // Where the pairs start: from the run's start when a boundary is before
    // it and its length is even; else from its end when a boundary is after
    // it (an odd first byte ends a character the gap before hid).
    std::size_t from;
    if (boundary_before && bytes.size() % 2 == 0)
      from = 0;
    else if (boundary_after)
      from = bytes.size() % 2;
    else
      continue;
    if (from == bytes.size()) continue;
    std::u32string after;
    bool ok = true;
    for (std::size_t k = from; k + 1 < bytes.size() && ok; k += 2) {
      const std::uint8_t pair[2] = {static_cast<std::uint8_t>(bytes[k]),
                                    static_cast<std::uint8_t>(bytes[k + 1])};
      char32_t cp;
      ok = decode_one(encoding::gbk, pair, 2, cp) == 2 && is_han(cp);
      if (ok) after.push_back(cp);
    }
    // (An odd first byte ends the character whose lead byte the gap before
    // hid: that U+FFFD already stands for it.)
    if (!ok || after.empty()) continue;
    lossy_fix f;
    f.begin = b;
    f.end = e;
    f.undone = &kLayer;
    const char32_t before_c = b > 0 ? line[b - 1] : 0;
    const char32_t after_c = e < line.size() ? line[e] : 0;
    f.cost_before = sc.cost(line.substr(b, e - b), before_c, after_c);
    f.cost_after = sc.cost(after, before_c, after_c);
    f.after = std::move(after);
    if (f.cost_before - f.cost_after < s.base_margin) continue;
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace mojifix::detail
