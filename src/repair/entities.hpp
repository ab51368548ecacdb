#pragma once
// HTML character references (&eacute; &#233; &#xE9;), undone as the outer
// layer of mojibake that was escaped after it was made ("caf&Atilde;&copy;").

#include <string>
#include <string_view>

namespace mojifix::detail {

/// Replaces every HTML 4 named reference and every numeric reference to a
/// scalar value in `in`; returns false (out untouched) if there is none.
[[nodiscard]] bool decode_entities(std::u32string_view in, std::u32string& out);

}  // namespace mojifix::detail
