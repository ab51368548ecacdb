#pragma once
// GBK text read as UTF-8 (口字码): the decoder replaced every byte sequence
// that is not UTF-8 with U+FFFD, and the few that are became letters of
// other scripts (ϵͳ for 系统, й for 中). Those bytes are GBK bytes as they
// were written; where it is certain where their characters start, they are
// read back.

#include <string>
#include <vector>

#include "recover/recover.hpp"

namespace mojifix::detail {

/// True when `line` looks like GBK read as UTF-8: at least three U+FFFD, and
/// more than twice as many as CJK characters.
[[nodiscard]] bool looks_like_gbk_as_utf8(std::u32string_view line) noexcept;

/// The runs of letters between the gaps of such a line whose GBK pairs are
/// known to start (after the line start or an ASCII byte below 0x40, which
/// no GBK character ends with) or to end (before the line end or such a
/// byte), read as GBK where the model prefers it by the margin.
[[nodiscard]] std::vector<lossy_fix> gbk_as_utf8_runs(std::u32string_view line,
                                                      const recover_settings& s);

}  // namespace mojifix::detail
