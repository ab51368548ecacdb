#pragma once
// The normalize stage: after encoding repair, the fixers of options run in a
// fixed order over the text (see normalize.cpp for the order and why).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "mojifix/options.hpp"
#include "normalize/edit.hpp"

namespace mojifix::detail {

class document_script;  // script/classify.hpp

/// A change of the stage in bytes of the text it was given; changes that
/// touch the same bytes are merged, their chains joined by " → ".
struct change {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string after;
  std::string chain;
};

/// Applies sorted, non-overlapping changes to text.
[[nodiscard]] std::string apply_changes(std::string_view text, const std::vector<change>& changes);

/// Given changes `first` of text0 and changes `second` of the text they made,
/// returns the changes of text0 that make the same final text. A change of
/// `second` that starts or ends inside the result of one of `first` is widened
/// to that change's whole span.
[[nodiscard]] std::vector<change> compose(std::string_view text0, const std::vector<change>& first,
                                          const std::vector<change>& second);

/// False when text holds nothing any enabled fixer could change: one pass,
/// eight ASCII bytes at a time, a flag table for the rest.
[[nodiscard]] bool may_need_normalize(std::string_view text, const options& opt) noexcept;

/// The one pass over text that finds what the stage has to look at; its
/// result may be handed to normalize() for the same text and options.
/// `valid` learns whether text is well-formed UTF-8 (the pass validates it
/// on the way, so no other pass is needed).
[[nodiscard]] std::uint32_t normalize_scan(std::string_view text, const options& opt,
                                           bool& valid) noexcept;
/// True when the pass found a reading annotation.
[[nodiscard]] bool scan_found_readings(std::uint32_t bits) noexcept;
/// True when the pass found a control character the control fixer looks at
/// (only when options::remove_control_chars is on).
[[nodiscard]] bool scan_found_controls(std::uint32_t bits) noexcept;
/// The keep-mode script flags the pass gathered (script/convert.hpp), in
/// *flags; false when it has none (another script mode, or text that is
/// not UTF-8). The pass stops gathering once keep_mode_settled says so, and
/// may show a weak character as Simplified (keep mode reads them together).
[[nodiscard]] bool scan_script_flags(std::uint32_t bits, unsigned& flags) noexcept;

/// Runs the stage. Returns the changes in bytes of text (empty when nothing
/// changed); *out receives the normalized text when something changed.
/// `kept` (optional) lists the byte spans of text that repair restored; the
/// style fixers (ligatures, width, quotes) leave them as they are.
/// Without `plan` the changes are not composed (fix_text needs only the
/// text): one change over the whole text says that something changed.
/// `around` (optional): the document text is part of; keep mode changes no
/// script in a Japanese one.
[[nodiscard]] std::vector<change> normalize(
    std::string_view text, const options& opt, std::string* out,
    const std::vector<std::pair<std::size_t, std::size_t>>* kept = nullptr,
    const std::uint32_t* scanned = nullptr, bool plan = true,
    const document_script* around = nullptr);

/// True when c can stay as it is in text of the normal form (the quick check
/// says "yes"); a table lookup.
[[nodiscard]] bool quick_check_yes(char32_t c, normal_form form) noexcept;

// The fixers, each on its own; exposed for tests. Each returns sorted,
// non-overlapping edits of text.
[[nodiscard]] std::vector<edit> entity_edits(std::string_view text, entity_mode mode);
[[nodiscard]] std::vector<edit> c1_edits(std::string_view text);
[[nodiscard]] std::vector<edit> surrogate_edits(std::string_view text);
[[nodiscard]] std::vector<edit> terminal_escape_edits(std::string_view text);
[[nodiscard]] std::vector<edit> control_edits(std::string_view text);
[[nodiscard]] std::vector<edit> ligature_edits(std::string_view text);
[[nodiscard]] std::vector<edit> width_edits(std::string_view text);
[[nodiscard]] std::vector<edit> line_break_edits(std::string_view text);
[[nodiscard]] std::vector<edit> quote_edits(std::string_view text);
[[nodiscard]] std::vector<edit> bom_edits(std::string_view text);
[[nodiscard]] std::vector<edit> zero_width_edits(std::string_view text);
[[nodiscard]] std::vector<edit> dakuten_edits(std::string_view text);
[[nodiscard]] std::vector<edit> cjk_compatibility_edits(std::string_view text);
[[nodiscard]] std::vector<edit> jamo_edits(std::string_view text);
[[nodiscard]] std::vector<edit> normalization_edits(std::string_view text, normal_form form);
[[nodiscard]] std::vector<edit> cjk_punct_edits(std::string_view text);

}  // namespace mojifix::detail
