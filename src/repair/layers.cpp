#include "repair/layers.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace mojifix::detail {
namespace {

using enum encoding;

// UTF-8 read as a single-byte code page is the most common damage; then UTF-8
// read as a CJK double-byte code page; then CJK legacy bytes read as
// latin-1/windows-1252; then the two Chinese double-byte code pages confused.
constexpr std::array kLayers = {
    layer{windows_1252, utf8, true, 0},
    layer{windows_1252, cesu8, true, 2},
    layer{windows_1250, utf8, true, 2},
    layer{windows_1251, utf8, true, 0},
    layer{windows_1253, utf8, true, 2},
    layer{windows_1254, utf8, true, 2},
    layer{windows_1255, utf8, true, 6},
    layer{windows_1256, utf8, true, 6},
    layer{windows_1257, utf8, true, 2},
    layer{windows_1258, utf8, true, 6},
    layer{iso_8859_2, utf8, false, 6},
    layer{iso_8859_5, utf8, false, 12},
    layer{iso_8859_7, utf8, false, 12},
    layer{koi8_r, utf8, false, 8},
    layer{mac_roman, utf8, false, 2},
    layer{cp437, utf8, false, 8},
    layer{cp850, utf8, false, 12},
    layer{cp866, utf8, false, 12},
    layer{gb18030, utf8, false, 0},
    layer{big5_hkscs, utf8, false, 1},
    layer{cp932, utf8, false, 0},
    layer{cp949, utf8, false, 1},
    layer{euc_jp, utf8, false, 3},
    layer{windows_1252, gb18030, true, 1},
    layer{windows_1252, big5_hkscs, true, 1},
    layer{windows_1252, cp932, true, 1},
    layer{windows_1252, euc_jp, true, 2},
    layer{windows_1252, cp949, true, 1},
    layer{gb18030, big5_hkscs, false, 2},
    layer{big5_hkscs, gb18030, false, 2},
    // Plain Big5 (Python's big5, Windows' cp950) has the ETEN symbols and
    // kana where HKSCS has other characters (③ is C7EB, not C6A3), both as
    // the wrong decoder and as the true encoding.
    layer{big5, gb18030, false, 2},
    layer{gb18030, big5, false, 2},
    layer{big5, utf8, false, 1},
    layer{windows_1252, big5, true, 1},
};

}  // namespace

std::span<const layer> known_layers() noexcept { return kLayers; }

int encode_wrong_uncached(const layer& l, char32_t cp, std::uint8_t out[4]) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<std::uint8_t>(cp);
    return 1;
  }
  int n = encode_cp(l.wrong, cp, out);
  if (n == 0 && l.c1_as_latin1 && cp <= 0x9F) {
    out[0] = static_cast<std::uint8_t>(cp);
    n = 1;
  }
  return n;
}

namespace {

// encode_wrong remembered per known layer and BMP code point: lossy
// recovery asks it about every character of a line for every layer it
// tries. Cells are filled on first use (0: not asked yet; threads that race
// store the same value); four-byte results are not kept.
constexpr std::uint32_t kKnown = 0x80;  // | length | bytes << 8
std::atomic<std::uint32_t> g_encoded[kLayers.size()][0x10000];

}  // namespace

int encode_wrong(const layer& l, char32_t cp, std::uint8_t out[4]) noexcept {
  if (cp < 0x80) {
    out[0] = static_cast<std::uint8_t>(cp);
    return 1;
  }
  const auto at = reinterpret_cast<std::uintptr_t>(&l);
  const auto first = reinterpret_cast<std::uintptr_t>(kLayers.data());
  if (cp > 0xFFFF || at < first || at >= first + sizeof(kLayers))
    return encode_wrong_uncached(l, cp, out);
  std::atomic<std::uint32_t>& cell = g_encoded[(at - first) / sizeof(layer)][cp];
  std::uint32_t v = cell.load(std::memory_order_relaxed);
  if ((v & kKnown) == 0) {
    const int n = encode_wrong_uncached(l, cp, out);
    if (n == 4) return n;
    v = kKnown | static_cast<std::uint32_t>(n) | (n > 0 ? std::uint32_t{out[0]} << 8 : 0) |
        (n > 1 ? std::uint32_t{out[1]} << 16 : 0) | (n > 2 ? std::uint32_t{out[2]} << 24 : 0);
    cell.store(v, std::memory_order_relaxed);
    return n;
  }
  out[0] = static_cast<std::uint8_t>(v >> 8);
  out[1] = static_cast<std::uint8_t>(v >> 16);
  out[2] = static_cast<std::uint8_t>(v >> 24);
  return static_cast<int>(v & 7);
}

std::string describe(const layer& l) {
  std::string s = "encode ";
  s += name(l.wrong);
  s += " \u2192 decode ";
  s += name(l.truth);
  return s;
}

}  // namespace mojifix::detail
