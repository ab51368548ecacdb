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

/// Whether undoing `l` reads a space after a UTF-8 lead byte as the byte
/// A0 it may stand for: UTF-8 read as a single-byte code page whose A0 is
/// U+00A0, which HTML pipelines and editors turn into a space ("Ã " for à,
/// "Å " for Š).
[[nodiscard]] bool loses_nbsp(const layer& l);

/// Appends to out every maximal span of `text` that undoing `l` turns into
/// different, valid text. Spans start and end on character boundaries of both
/// the damaged and the repaired text; characters that come back as themselves
/// (ASCII, mostly) split spans, so damage stays local.
void find_candidates(const layer& l, std::u32string_view text, std::vector<candidate>& out);

/// The characters of one text encoded once per wrong code page, shared by
/// the layers that read that code page (windows-1252 is the wrong decoder of
/// eight layers). reset() before each new text.
class line_encodings {
 public:
  void reset() { used_ = 0; }

  struct run {  // characters [begin, end), bytes [byte_begin, byte_end)
    std::size_t begin, end, byte_begin, byte_end, starts_begin;
  };
  struct family {
    encoding wrong{};
    bool c1_as_latin1 = false;
    std::string bytes;                // only the runs' ranges are meaningful
    std::vector<std::size_t> starts;  // double-byte code pages: per run, each
                                      // character's first byte and the end
    std::vector<run> runs;            // the runs holding non-ASCII characters
  };
  const family& of(const layer& l, std::u32string_view text);

 private:
  std::vector<family> families_;
  std::size_t used_ = 0;
};

/// The same spans, their replacements appended to pool; enc holds the
/// text's encodings already made.
void find_spans(const layer& l, std::u32string_view text, std::u32string& pool,
                std::vector<span_candidate>& out, line_encodings& enc);

/// Undoes `l` on all of `text`; false unless every character takes part and
/// the result is valid. Used for the inner layers of a multi-layer repair.
[[nodiscard]] bool undo_whole(const layer& l, std::u32string_view text, std::u32string& out);

/// undo_whole for the last layer of a chain, which only counts if its text,
/// after `before`, costs less than `limit` with `extra` bits on top: gives
/// up (false) as soon as the text made so far costs that much.
[[nodiscard]] bool undo_whole_below(const layer& l, std::u32string_view text, std::u32string& out,
                                    char32_t before, float extra, float limit);

}  // namespace mojifix::detail
