#pragma once
// Finds the spans of a line that one layer, undone, would change.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "repair/layers.hpp"

namespace mojifix::detail {

/// A span [begin, end) of code points and what undoing one layer makes of it.
struct candidate {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string replacement;
  std::vector<const layer*> layers;  // undone in this order
};

/// A candidate whose replacement is pool[offset, offset + length) of a pool
/// shared by all the spans of a line: finding spans allocates nothing per span.
struct span_candidate {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::size_t offset = 0;
  std::size_t length = 0;
};

/// Appends to out every maximal span of `text` that undoing `l` turns into
/// different, valid text. Spans start and end on character boundaries of both
/// the damaged and the repaired text; characters that come back as themselves
/// (ASCII, mostly) split spans, so damage stays local.
void find_candidates(const layer& l, std::u32string_view text, std::vector<candidate>& out);

/// The same spans, their replacements appended to pool.
void find_spans(const layer& l, std::u32string_view text, std::u32string& pool,
                std::vector<span_candidate>& out);

/// Undoes `l` on all of `text`; false unless every character takes part and
/// the result is valid. Used for the inner layers of a multi-layer repair.
[[nodiscard]] bool undo_whole(const layer& l, std::u32string_view text, std::u32string& out);

}  // namespace mojifix::detail
