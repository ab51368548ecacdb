#pragma once
// OpenCC's conversion over code points: normalization steps, maximum-match
// segmentation, then each step of the conversion chain within each segment
// (longest key of the first dictionary of the step that has one).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "script/tables.hpp"

namespace mojifix::detail {

/// Invalid UTF-8 bytes travel through conversion as kRawByte + byte.
inline constexpr char32_t kRawByte = 0x110000;

/// Text as code points with the byte offset of each (and of the end).
struct script_text {
  std::vector<char32_t> cps;
  std::vector<std::uint32_t> offs;
};
void decode_script_text(std::string_view s, script_text& out);
/// The code points alone.
void decode_script_cps(std::string_view s, std::vector<char32_t>& out);
void encode_script_text(const char32_t* cps, std::size_t n, std::string& out);

/// A position of the converted text that stays a position of the input:
/// the text between two anchors is the conversion of the input between them.
struct script_anchor {
  std::uint32_t out;
  std::uint32_t in;
};

/// Runs a configuration over cps, in place. With anchors, also says which
/// positions of the output correspond to positions of the input (at least
/// the start and the end).
void run_script_config(const script_config& c, std::vector<char32_t>& cps,
                       std::vector<script_anchor>* anchors);

}  // namespace mojifix::detail
