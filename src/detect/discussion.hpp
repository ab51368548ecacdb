#pragma once
// Text about mojibake quotes mojibake: "cafÃ© instead of café". Such lines
// are clean and must come back unchanged; these checks tell them apart from
// damaged lines.

#include <string_view>

namespace mojifix::detail {

/// True when the line names an encoding or the phenomenon itself
/// ("UTF-8", "Latin-1", "windows-1252", "GBK", "mojibake", "乱码",
/// "文字化け", "кракозябры" ...), case-insensitively for Latin script.
[[nodiscard]] bool mentions_encodings(std::u32string_view line) noexcept;

/// True when `text` holds nothing but names of encodings ("UTF-8",
/// "LATIN1", "windows-1252") and spaces: no other word, no punctuation.
[[nodiscard]] bool names_encodings_only(std::u32string_view text) noexcept;

}  // namespace mojifix::detail
