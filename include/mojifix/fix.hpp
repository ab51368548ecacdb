#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mojifix/options.hpp"
#include "mojifix/result.hpp"

namespace mojifix {

/// Repairs mojibake in UTF-8 text. Clean text comes back byte for byte.
///   fix_text("The Mona Lisa doesnâ€™t have eyebrows.")
///     == "The Mona Lisa doesn’t have eyebrows."
/// Bytes that are not UTF-8 are kept as they are. Thread-safe.
[[nodiscard]] std::string fix_text(std::string_view text, const options& opt = {});

/// Like fix_text, and also says what it changed and why.
[[nodiscard]] fix_result fix_and_explain(std::string_view text, const options& opt = {});

/// Finds spans that look like mojibake without changing anything.
[[nodiscard]] std::vector<finding> diagnose(std::string_view text, const options& opt = {});

/// Holds options for hot loops; one per thread or shared, it is immutable.
class fixer {
 public:
  explicit fixer(options opt = {}) : opt_(opt) {}
  [[nodiscard]] std::string fix(std::string_view text) const { return fix_text(text, opt_); }
  [[nodiscard]] fix_result explain(std::string_view text) const {
    return fix_and_explain(text, opt_);
  }
  [[nodiscard]] const options& opts() const noexcept { return opt_; }

 private:
  options opt_;
};

}  // namespace mojifix
