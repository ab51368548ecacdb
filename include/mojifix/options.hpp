#pragma once

#include <cstdint>
#include <string_view>

namespace mojifix {

/// Target script for Chinese text (Options::script).
enum class script : std::uint8_t {
  keep,         // leave the script as it is (default)
  simplified,   // convert to Simplified Chinese
  traditional,  // convert to Traditional Chinese (OpenCC standard)
  taiwan,       // convert to Traditional Chinese, Taiwan variants
  hongkong,     // convert to Traditional Chinese, Hong Kong variants
};

/// "keep", "simplified", ... ; the inverse of parse_script.
[[nodiscard]] std::string_view to_string(script s) noexcept;
/// Parses the names to_string gives; false for anything else.
[[nodiscard]] bool parse_script(std::string_view name, script& out) noexcept;

/// What fix_text may do. The defaults are conservative: only damage that the
/// model recognises with a clear margin is undone, and no style change is made.
struct options {
  /// Default true: undo wrong-decoding layers (mojibake).
  bool repair_encoding = true;
  /// Default 3: the most wrong-decoding layers undone in one span (1-3).
  int max_layers = 3;
  /// Default true: decode HTML entities (&eacute; &#233;) when they wrap
  /// mojibake, as an outer layer; entities in clean text are kept.
  bool entities_around_mojibake = true;
  /// Default 1.0: scales how much the model must prefer a repair before it is
  /// made (3 bits plus 1 bit per damaged character at 1.0). Higher is more
  /// cautious.
  double margin = 1.0;
  /// Default script::keep. Values other than keep are not implemented yet and
  /// make fix_and_explain report error::unsupported_option.
  mojifix::script script = script::keep;
};

}  // namespace mojifix
