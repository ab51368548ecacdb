#pragma once
// The wrong-decoding layers mojifix knows how to undo. A layer is "bytes in
// encoding `truth` were decoded as `wrong`"; undoing it encodes the text with
// `wrong` and decodes the bytes with `truth`.

#include <cstdint>
#include <span>
#include <string>

#include "codec/codec.hpp"

namespace mojifix::detail {

struct layer {
  encoding wrong;
  encoding truth;
  // Single-byte `wrong` decoders in the wild disagree on bytes 0x80-0x9F
  // (windows-1252 punctuation vs latin-1 C1 controls), often within one text;
  // when set, a C1 control that `wrong` cannot encode stands for its own byte.
  bool c1_as_latin1 = false;
  // Bits of evidence a repair through this layer must bring on top of the
  // margin: 0 for the confusions seen every day (windows-1252, GBK, Shift_JIS
  // …), more for code pages rarely met in the wild (cp850, KOI8-R …).
  float prior = 0;
};

/// Every layer repair tries, in a fixed order (the order breaks ties).
[[nodiscard]] std::span<const layer> known_layers() noexcept;

/// The bytes the layer's wrong decoder made `cp` from: writes 1-4 bytes to
/// out and returns how many, or 0 if that decoder never yields cp.
[[nodiscard]] int encode_wrong(const layer& l, char32_t cp, std::uint8_t out[4]) noexcept;
/// The same, not remembered: for tables built once over every code point.
[[nodiscard]] int encode_wrong_uncached(const layer& l, char32_t cp, std::uint8_t out[4]) noexcept;

/// "encode windows-1252 → decode utf-8"
[[nodiscard]] std::string describe(const layer& l);

}  // namespace mojifix::detail
