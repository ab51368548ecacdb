#pragma once
// Repairs the wrong-decoding layers of one line, span by span, keeping a
// change only when the Scorer prefers it by a margin.

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "repair/layers.hpp"

namespace mojifix::detail {

class document_pairs;  // recover/recover.hpp

// Whether repair_line first tries the whole line as one layer's mojibake
// (a page damaged as a whole), and whether it stops there.
enum class whole_line_mode { first, only, never };

struct repair_settings {
  int max_layers = 3;            // layers undone in one span
  float margin_per_char = 1.0f;  // bits the repair must win by, per damaged character
  float base_margin = 3.0f;      // bits the repair must win by, in addition
  bool entities = true;          // undo HTML references that wrap mojibake
  bool word_alone = false;       // the line is one word cut out of its line
  bool recover_lossy = true;     // rebuild characters a decoder replaced (options::recover_lossy)
  bool drop_lost = false;        // remove the U+FFFD of bytes lost for good (options::drop_lost)
  const document_pairs* document = nullptr;  // lossy recovery's evidence from the whole text
  // A layer already found in the rest of the line (a word cut out of it,
  // see word_alone): it goes first, and weak spans of it join.
  const layer* found_layer = nullptr;
  whole_line_mode whole_line = whole_line_mode::first;
  // The changes become the Plan's steps: a whole-line reading gives one per
  // run of damage, with its costs (else one change, costs not worked out).
  bool explain = true;
  // The line (UTF-8) a window was cut from, where it is more than the
  // window: whether it talks about encodings (detect/discussion.hpp) is
  // asked of it all.
  std::string_view cut_from;
};

/// One accepted change, in code point indices of the line as it was before it.
struct repair_change {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string before;
  std::u32string after;
  bool html_entities = false;        // references decoded before the layers
  std::vector<const layer*> layers;  // undone in this order
  std::size_t lost = 0;              // U+FFFD in `after` for bytes a decoder lost for good
  std::string note;                  // lossy recovery: "2 characters lost" ("" otherwise)
  float cost_before = 0;
  float cost_after = 0;
};

/// Undoes layers in `line`, possibly over several passes, until nothing more
/// improves. Before each pass is applied, on_pass gets its changes (sorted,
/// not overlapping, indices into the line as it was before the pass). Words
/// whose HTML character references hide mojibake are decoded and repaired
/// first, as a pass of their own.
void repair_line(std::u32string& line, const repair_settings& s,
                 const std::function<void(const std::vector<repair_change>&)>& on_pass);

/// Whether a line could be UTF-8 read as a single-byte code page from its
/// first non-ASCII character on: some such page shows a UTF-8 lead byte as
/// that character and a continuation byte as the next. A cheap test before
/// the whole line is read as one layer's mojibake.
[[nodiscard]] bool may_be_single_byte_mojibake(std::string_view line) noexcept;

/// One pass: the changes to make, not overlapping, sorted by begin.
[[nodiscard]] std::vector<repair_change> plan_pass(std::u32string_view line,
                                                   const repair_settings& s);

}  // namespace mojifix::detail
