#pragma once
// Chinese script conversion as the normalize stage calls it.

#include <cstdint>
#include <string_view>
#include <vector>

#include "mojifix/options.hpp"
#include "normalize/edit.hpp"

namespace mojifix::detail {

/// The edits that apply options::script to UTF-8 text, sorted and not
/// overlapping; none when the text is to stay as it is.
[[nodiscard]] std::vector<edit> script_edits(std::string_view text, const options& opt);

/// The keep-mode check for a pass that gathers the flags itself: the
/// script_tables flags of U+3000-U+9FFF (one byte a code point from
/// kFlagsBegin), all zero when the tables did not load.
[[nodiscard]] const std::uint8_t* keep_mode_flags() noexcept;
/// False when keep mode leaves a text as it is, judged by the flags of all
/// its characters ORed (as keep_mode_flags() gives them); script_edits in
/// keep mode then returns no edit.
[[nodiscard]] bool keep_mode_may_change(unsigned flags) noexcept;
/// True when no more flags can change the verdict of keep_mode_may_change:
/// a pass may stop gathering them.
[[nodiscard]] inline bool keep_mode_settled(unsigned flags) noexcept {
  // Kana: never. Traditional beside Simplified or weak: always looked at.
  return (flags & 8u) != 0 || ((flags & 2u) != 0 && (flags & 5u) != 0);
}

}  // namespace mojifix::detail
