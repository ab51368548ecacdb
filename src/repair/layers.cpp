#include "repair/layers.hpp"

#include <array>

namespace mojifix::detail {
namespace {

using enum encoding;

// UTF-8 read as a single-byte code page is the most common damage; then UTF-8
// read as a CJK double-byte code page; then CJK legacy bytes read as
// latin-1/windows-1252; then the two Chinese double-byte code pages confused.
constexpr std::array kLayers = {
    layer{windows_1252, utf8, true},  layer{windows_1252, cesu8, true},
    layer{windows_1250, utf8, true},
    layer{windows_1251, utf8, true},  layer{windows_1253, utf8, true},
    layer{windows_1254, utf8, true},  layer{windows_1255, utf8, true},
    layer{windows_1256, utf8, true},  layer{windows_1257, utf8, true},
    layer{windows_1258, utf8, true},  layer{iso_8859_2, utf8, false},
    layer{iso_8859_5, utf8, false},   layer{iso_8859_7, utf8, false},
    layer{koi8_r, utf8, false},       layer{mac_roman, utf8, false},
    layer{cp437, utf8, false},        layer{cp850, utf8, false},
    layer{cp866, utf8, false},
    layer{gb18030, utf8, false},      layer{big5_hkscs, utf8, false},
    layer{cp932, utf8, false},        layer{cp949, utf8, false},
    layer{euc_jp, utf8, false},
    layer{windows_1252, gb18030, true}, layer{windows_1252, big5_hkscs, true},
    layer{windows_1252, cp932, true},   layer{windows_1252, euc_jp, true},
    layer{windows_1252, cp949, true},
    layer{gb18030, big5_hkscs, false},  layer{big5_hkscs, gb18030, false},
};

}  // namespace

std::span<const layer> known_layers() noexcept { return kLayers; }

std::string describe(const layer& l) {
  std::string s = "encode ";
  s += name(l.wrong);
  s += " \u2192 decode ";
  s += name(l.truth);
  return s;
}

}  // namespace mojifix::detail
