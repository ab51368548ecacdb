#include "script/convert.hpp"

namespace mojifix::detail {

// Placeholder until the dictionary matcher lands: no conversion.
std::vector<edit> script_edits(std::string_view, const options&) { return {}; }

}  // namespace mojifix::detail
