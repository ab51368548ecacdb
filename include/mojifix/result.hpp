#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mojifix {

/// Errors reported in results; the API never throws.
enum class error : std::uint8_t {
  ok = 0,              // nothing went wrong
  invalid_utf8,        // the input held bytes that are not UTF-8; they were
                       // kept as they were, and only the valid text around
                       // them was repaired
  unsupported_option,  // an option value this build cannot honour; the text
                       // is returned unchanged
};

/// "ok", "invalid_utf8", ...
[[nodiscard]] std::string_view to_string(error e) noexcept;

/// One change made to the text, or one finding of diagnose().
struct step {
  std::size_t begin = 0;   // byte offset of the span in the input text
  std::size_t end = 0;     // one past its last byte
  std::string chain;       // the layers undone, outermost first:
                           // "utf-8 read as gbk", "utf-8 read as windows-1252 x2"
  std::string before;      // the span as it was
  std::string after;       // the span as it is now ("" for a finding)
  double cost_before = 0;  // model cost of the span before, in bits
  double cost_after = 0;   // model cost of the replacement, in bits
};

/// What fix_and_explain returns.
struct fix_result {
  std::string text;         // the repaired text
  std::vector<step> steps;  // what was changed, in text order
  mojifix::error error = mojifix::error::ok;
  [[nodiscard]] bool ok() const noexcept { return error == mojifix::error::ok; }
  [[nodiscard]] bool changed() const noexcept { return !steps.empty(); }
};

/// A suspicious span found by diagnose().
struct finding {
  std::size_t begin = 0;  // byte offset in the input text
  std::size_t end = 0;    // one past its last byte
  std::string chain;      // suspected damage, as in step::chain
  std::string repaired;   // what repair would give ("" if no chain fits)
  double confidence = 0;  // 0..1: how sure the model is that this is damage
};

}  // namespace mojifix
