#pragma once
// Chinese script conversion as the normalize stage calls it.

#include <string_view>
#include <vector>

#include "mojifix/options.hpp"
#include "normalize/edit.hpp"

namespace mojifix::detail {

/// The edits that apply options::script to UTF-8 text, sorted and not
/// overlapping; none when the text is to stay as it is.
[[nodiscard]] std::vector<edit> script_edits(std::string_view text, const options& opt);

}  // namespace mojifix::detail
