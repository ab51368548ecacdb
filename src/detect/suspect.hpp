#pragma once
// The fast path: one pass over UTF-8 that says whether a line could hold
// mojibake at all. Most text is clean, and clean text must cost little.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mojifix::detail {

/// True when `line` (UTF-8; invalid bytes are skipped) holds a character or a
/// pair of characters that some known wrong-decoding layer produces and that
/// is unusual in clean text: a C1 control, private use, U+FFFD, an uncommon
/// Han character, halfwidth kana, a UTF-8 lead byte followed by a continuation
/// byte as some single-byte code page shows them (Ã©, Ð¿, â€), or two
/// adjacent characters from the upper half of windows-1252.
[[nodiscard]] bool may_hold_mojibake(std::string_view line);

/// Bit k set: known_layers()[k] could have made some of `text` (a UTF-8 lead
/// and continuation byte as that code page shows them, two adjacent
/// windows-1252 letters, CJK characters). Repair tries only these layers.
[[nodiscard]] std::uint64_t plausible_layers(std::u32string_view text);

/// Bit k set: known_layers()[k] is UTF-8 read as a single-byte code page
/// that shows a as a UTF-8 lead byte and b as a continuation byte (every
/// such pair, none of the scan's exceptions for clean text).
[[nodiscard]] std::uint64_t single_byte_lead_then_cont(char32_t a, char32_t b) noexcept;

/// The byte ranges of `line` worth a closer look: every place
/// may_hold_mojibake would stop at, widened by `reach` bytes on each side
/// (to character boundaries) and merged where they touch. Damage is local;
/// repair looks at these windows, not at a whole long line.
[[nodiscard]] std::vector<std::pair<std::size_t, std::size_t>> suspicious_windows(
    std::string_view line, std::size_t reach);

}  // namespace mojifix::detail
