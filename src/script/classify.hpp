#pragma once
// Script evidence counts, shared by classify_script and the keep mode of the
// script stage.

#include <string_view>

#include "mojifix/script.hpp"
#include "script/tables.hpp"

namespace mojifix::detail {

/// Adds the evidence of text to c (verdict not set). Reads Han characters of
/// the BMP only (U+3400-U+9FFF); one table lookup per character.
void add_script_evidence(const script_tables& t, std::string_view text, script_counts& c) noexcept;

/// The script_tables flags of every Han character and kana of text, ORed:
/// the keep-mode check. Bytes that are not UTF-8 may add flags of their
/// own; the caller checks again with add_script_evidence.
[[nodiscard]] unsigned script_flags(const script_tables& t, std::string_view text) noexcept;

/// When text holds no evidence character, counts the regional terms in it.
void add_script_terms(const script_tables& t, std::string_view text, script_counts& c);

/// Sets c.verdict and c.confident from its counts.
void set_script_verdict(script_counts& c) noexcept;

/// The text around lines fixed one at a time (mojifix::context): whether it
/// is Japanese, kana beside its Han characters as set_script_verdict counts
/// them. A line of kanji alone (通貨記号, 複数選択) is no Chinese line with
/// Simplified residue in a Japanese document: keep mode leaves it. Read on
/// first need, from the first few megabytes; the text must outlive this.
class document_script {
 public:
  explicit document_script(std::string_view text) noexcept : text_(text) {}
  [[nodiscard]] bool japanese() const noexcept;

 private:
  std::string_view text_;
  mutable int japanese_ = -1;  // not read yet
};

/// The length of the sentence end at s[i] (。！？!? or a line feed), 0 when
/// none is there.
std::size_t sentence_end_at(std::string_view s, std::size_t i) noexcept;

}  // namespace mojifix::detail
