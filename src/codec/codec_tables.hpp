#pragma once
// Private to src/codec: the per-encoding tables behind codec.hpp, built from
// ICU converters on first use. See codec_tables.cpp for the converter chosen
// for each encoding and why.

#include <array>
#include <atomic>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "codec/codec.hpp"

namespace mojifix::detail::codec {

// Entries of the single-byte and sequence tables.
inline constexpr char32_t kNone = 0xFFFFFFFF;     // unmapped / invalid
inline constexpr char32_t kLead = 0xFFFFFFFE;     // single[]: starts a sequence
inline constexpr char32_t kSeqFlag = 0x80000000;  // pairs[]: index into seqs

// How a table-driven encoding is structured beyond single bytes and pairs.
enum class shape : std::uint8_t {
  single,   // one byte per character
  dbcs,     // single bytes and lead+trail pairs
  gb18030,  // dbcs plus four-byte sequences (second byte 0x30-0x39)
  euc_jp,   // dbcs plus three-byte 0x8F sequences (JIS X 0212)
};

// Decoders index the single-byte table by mode family.
enum mode_family : std::uint8_t {
  kStrictSingles = 0,  // exactly the ICU converter (plus listed overrides)
  kWhatwgSingles = 1,  // whatwg, sloppy, naive
  kPythonSingles = 2,  // CPython's codec
};

struct table {
  encoding enc{};
  shape kind = shape::single;
  // Code point for each byte per mode family, or kNone/kLead.
  std::array<std::array<char32_t, 256>, 3> single{};
  // Pairs: (lead - 0x80) * 256 + trail -> code point, kNone, or
  // kSeqFlag | index into seqs for pairs that decode to several code points.
  std::vector<char32_t> pairs;
  std::vector<std::u32string> seqs;
  // euc_jp: 0x8F b1 b2 with b1, b2 in 0xA1-0xFE -> (b1-0xA1)*94 + b2-0xA1.
  std::vector<char32_t> triples;
  // gb18030: linear index of a four-byte sequence below 0x84 0x31 0xA5 0x30
  // -> BMP code point (0 when unmapped).
  std::vector<char16_t> four;
  // decode_mode::python reads pairs and triples from these (CPython's
  // tables differ from ICU's; see tools/gen_codec_tables.py), whatwg from
  // ww_* when they are not empty (the encodings that are a WHATWG decoder).
  std::vector<char32_t> py_pairs;
  std::vector<char32_t> py_triples;
  std::vector<char32_t> ww_pairs;
  std::vector<char32_t> ww_triples;
  // gbk: the WHATWG gbk decoder is the gb18030 decoder, four-byte forms
  // included; strict, python and naive modes stay with one and two bytes.
  bool four_in_whatwg_only = false;

  // Encoding: BMP via a two-level table, entries packed as
  // len | b0 << 8 | b1 << 16 | b2 << 24 (0 = unmapped); len 4 (gb18030 only)
  // keeps the four-byte linear index in the upper 24 bits.
  std::array<std::uint16_t, 256> page{};
  std::vector<std::uint32_t> blocks;                       // block 0 is all unmapped
  std::vector<std::pair<char32_t, std::uint32_t>> astral;  // sorted

  [[nodiscard]] std::uint32_t bmp_entry(char32_t cp) const noexcept {
    return blocks[(static_cast<std::size_t>(page[cp >> 8]) << 8) | (cp & 0xFF)];
  }
};

/// Builds (once) and returns the table of e; thread-safe.
const table& build_table(encoding e);

/// Tables built so far, by encoding.
extern std::array<std::atomic<const table*>, kEncodingCount> g_tables;

/// The table of a table-driven encoding (not utf8/cesu8/utf16*), built on
/// first use; thread-safe. Inline: encode_cp calls it per code point.
inline const table& get_table(encoding e) {
  if (const table* t = g_tables[static_cast<std::size_t>(e)].load(std::memory_order_acquire))
    return *t;
  return build_table(e);
}

/// The ICU converter name the table of e is built from ("" for the
/// encodings ICU has no converter for: those of single_byte_tables.hpp).
const char* icu_name(encoding e) noexcept;

/// Linear index of the gb18030 four-byte sequence b0..b3 (ranges assumed
/// checked).
inline constexpr std::uint32_t gb_four_index(unsigned b0, unsigned b1, unsigned b2,
                                             unsigned b3) noexcept {
  return (((b0 - 0x81) * 10 + (b1 - 0x30)) * 126 + (b2 - 0x81)) * 10 + (b3 - 0x30);
}
inline constexpr std::uint32_t kGbFourBmpCount = 39420;     // 81308130..8431A439
inline constexpr std::uint32_t kGbFourAstralBase = 189000;  // index of 90308130

}  // namespace mojifix::detail::codec
