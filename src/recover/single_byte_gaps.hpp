#pragma once
// Lossy damage of UTF-8 read as a single-byte code page: a byte the code
// page leaves undefined became U+FFFD or '?' (â€? for ”, Ă� for Á).

#include <string>
#include <vector>

#include "recover/recover.hpp"

namespace mojifix::detail {

/// The damaged UTF-8 sequences of `line` with one lost byte, shown as
/// gap_char (U+FFFD or '?'): each becomes the character the lost byte
/// clearly gives in its context, or U+FFFD. Lines that discuss mojibake are
/// the caller's to leave alone.
[[nodiscard]] std::vector<lossy_fix> single_byte_gaps(std::u32string_view line, char32_t gap_char,
                                                      const recover_settings& s);

}  // namespace mojifix::detail
