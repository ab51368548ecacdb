#pragma once
// The fast path: one pass over UTF-8 that says whether a line could hold
// mojibake at all. Most text is clean, and clean text must cost little.

#include <string_view>

namespace mojifix::detail {

/// True when `line` (UTF-8; invalid bytes are skipped) holds a character or a
/// pair of characters that some known wrong-decoding layer produces and that
/// is unusual in clean text: a C1 control, private use, U+FFFD, an uncommon
/// Han character, halfwidth kana, a UTF-8 lead byte followed by a continuation
/// byte as some single-byte code page shows them (Ã©, Ð¿, â€), or two
/// adjacent characters from the upper half of windows-1252.
[[nodiscard]] bool may_hold_mojibake(std::string_view line) noexcept;

}  // namespace mojifix::detail
