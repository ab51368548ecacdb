#pragma once
// Reading annotations that converters insert after Han characters:
// 網(wǎng), 對於(yu), 網(ㄨㄤˇ), 漢字(かんじ). One is recognised only when it is a
// valid reading (Unihan, data/normalize/readings.bin) of the characters
// before it, so 縣(市), 中国(China), 他(he) stay.

#include <cstddef>
#include <string_view>
#include <vector>

#include "normalize/edit.hpp"

namespace mojifix::detail {

/// True for the Han ideographs the readings table can speak of.
[[nodiscard]] bool is_han(char32_t cp) noexcept;

/// If text[open] starts '(' or '（' holding a reading of the Han characters
/// just before it, returns one past the annotation (past its closing
/// parenthesis, and past one space a converter put after it when CJK text
/// follows); otherwise 0.
[[nodiscard]] std::size_t reading_end(std::string_view text, std::size_t open);

/// The "remove reading" edits for text.
[[nodiscard]] std::vector<edit> reading_edits(std::string_view text);

}  // namespace mojifix::detail
