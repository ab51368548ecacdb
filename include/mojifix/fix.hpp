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

namespace detail {
class document_pairs;
class document_script;
}  // namespace detail

/// The text around the lines being fixed one at a time: the document or the
/// block they come from. Lossy recovery takes a character that the context
/// writes out in full beside the same neighbour as likelier (a name, a place
/// spelt out elsewhere in the article); in keep mode, the script stage leaves
/// every line of a Japanese context as it is (a line of kanji alone, 通貨記号,
/// is no Traditional Chinese with a Simplified 号). The text is read on
/// first need (the first few megabytes) and must outlive the context; one
/// context per thread.
class context {
 public:
  explicit context(std::string_view text);
  ~context();
  context(const context&) = delete;
  context& operator=(const context&) = delete;

 private:
  friend struct context_access;
  std::unique_ptr<detail::document_pairs> pairs_;
  std::unique_ptr<detail::document_script> script_;
};

/// fix_text and fix_and_explain for one line (or a few) of a larger text:
/// the same results, except where lossy recovery finds evidence in `around`.
/// fix_text(text, opt) is fix_text(text, opt, context(text)).
[[nodiscard]] std::string fix_text(std::string_view text, const options& opt,
                                   const context& around);
[[nodiscard]] fix_result fix_and_explain(std::string_view text, const options& opt,
                                         const context& around);

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
