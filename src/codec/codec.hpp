#pragma once
// Byte <-> code point conversion for the encodings whose mis-decoding mojifix
// undoes. Decoders reproduce the behaviour of real-world decoders, because the
// same bytes give different mojibake depending on who decoded them.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mojifix::detail {

enum class encoding : std::uint8_t {
  utf8,
  cesu8,
  utf16le,
  utf16be,
  gb18030,
  gbk,
  gb2312,
  big5,
  big5_hkscs,
  cp950,
  shift_jis,
  cp932,
  euc_jp,
  euc_kr,
  cp949,
  windows_1250,
  windows_1251,
  windows_1252,
  windows_1253,
  windows_1254,
  windows_1255,
  windows_1256,
  windows_1257,
  windows_1258,
  iso_8859_1,
  iso_8859_2,
  iso_8859_5,
  iso_8859_7,
  iso_8859_15,
  koi8_r,
  mac_roman,
  cp437,
  cp850,
  cp866,
  // Added after the first release; appended so the values above stay.
  iso_8859_3,
  iso_8859_4,
  iso_8859_10,
  iso_8859_13,
  iso_8859_14,
  iso_8859_16,
  georgian_academy,
  georgian_ps,
  count_  // not an encoding
};
inline constexpr int kEncodingCount = static_cast<int>(encoding::count_);

/// Canonical lower-case name: "utf-8", "gbk", "shift_jis", "windows-1252",
/// "iso-8859-1", "mac-roman", "cp437", "big5-hkscs", "georgian-ps" ...
[[nodiscard]] std::string_view name(encoding e) noexcept;
/// Accepts canonical names and common aliases, case-insensitively
/// ("latin-1", "cp1252", "sjis", "ms932", "uhc", "x-mac-roman" ...).
[[nodiscard]] std::optional<encoding> encoding_from_name(std::string_view n) noexcept;
/// True for encodings with one byte per character.
[[nodiscard]] bool is_single_byte(encoding e) noexcept;

/// The encoding whose table a browser decodes with (WHATWG Encoding
/// Standard) when content is labelled e: gb2312 -> gbk, big5 -> big5-hkscs,
/// euc-kr -> cp949, shift_jis -> cp932, iso-8859-1 -> windows-1252; e itself
/// otherwise. Use it with decode_mode::whatwg to reproduce browser mojibake.
[[nodiscard]] encoding whatwg_decoder(encoding label) noexcept;

/// How a decoder treats bytes it cannot map.
enum class decode_mode : std::uint8_t {
  strict,  // stop at the first bad byte (decode_result::ok == false)
  whatwg,  // WHATWG Encoding Standard / browsers: U+FFFD for a bad sequence;
           // an ASCII byte after a bad lead byte is re-emitted as itself
  python,  // CPython errors="replace": U+FFFD, resynchronise one byte later
  naive,   // double-byte: every byte >= 0x80 starts a pair and a bad pair
           // becomes '?'; single-byte: like whatwg
  sloppy,  // single-byte: undefined bytes become the C1 control (or Latin-1
           // character) of the same value; multi-byte: like whatwg
};

struct decode_result {
  bool ok = true;            // false only in strict mode, at the first error
  std::size_t errors = 0;    // replacement characters emitted
  std::size_t consumed = 0;  // bytes consumed (all of them unless strict failed)
};

/// Decodes bytes in encoding e, appending UTF-8 to out.
decode_result decode(encoding e, std::string_view bytes, decode_mode mode, std::string& out);

/// Encodes one code point; writes 1-4 bytes to out and returns how many,
/// or 0 when e cannot represent cp. For single-byte encodings the C1
/// controls U+0080-U+009F that a sloppy decoder produces for undefined bytes
/// encode back to those bytes, so encode inverts every decode_mode::sloppy
/// result. For gb18030/gbk the PUA code points of the user-defined areas
/// encode back to their pairs.
[[nodiscard]] int encode_cp(encoding e, char32_t cp, std::uint8_t out[4]) noexcept;

/// Decodes the one character at p[0..n) strictly: returns its length in
/// bytes and sets cp, or returns 0 when the bytes there are not a valid
/// character of e (or decode to several code points). Table-driven
/// encodings only (not the UTF encodings). The hot path of repair.
[[nodiscard]] int decode_one(encoding e, const std::uint8_t* p, std::size_t n,
                             char32_t& cp) noexcept;

/// Encodes UTF-8 text; false (out unspecified) at the first code point e
/// cannot represent or at invalid UTF-8.
[[nodiscard]] bool encode(encoding e, std::string_view utf8, std::string& out);

}  // namespace mojifix::detail
