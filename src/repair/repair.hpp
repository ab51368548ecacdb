#pragma once
// Repairs the wrong-decoding layers of one line, span by span, keeping a
// change only when the Scorer prefers it by a margin.

#include <cstddef>
#include <string>
#include <vector>

#include "repair/layers.hpp"

namespace mojifix::detail {

struct repair_settings {
  int max_layers = 3;           // layers undone in one span
  float margin_per_char = 1.0f; // bits the repair must win by, per damaged character
  float base_margin = 2.0f;     // bits the repair must win by, in addition
};

/// One accepted change, in code point indices of the line as it was before it.
struct repair_change {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string before;
  std::u32string after;
  std::vector<const layer*> layers;  // undone in this order
  float cost_before = 0;
  float cost_after = 0;
};

/// Undoes layers in `line`, possibly over several passes, until nothing more
/// improves. Each change is reported through on_change(change) at the moment
/// it is applied (indices refer to the line at that moment).
template <class OnChange>
void repair_line(std::u32string& line, const repair_settings& s, OnChange&& on_change);

/// The non-template core: one pass. Returns the changes to make, not
/// overlapping, sorted by begin.
[[nodiscard]] std::vector<repair_change> plan_pass(std::u32string_view line,
                                                   const repair_settings& s);

template <class OnChange>
void repair_line(std::u32string& line, const repair_settings& s, OnChange&& on_change) {
  // Every change lowers the model cost by more than the margin, so this ends;
  // the cap only guards against a model bug.
  for (int pass = 0; pass < 8; ++pass) {
    std::vector<repair_change> changes = plan_pass(line, s);
    if (changes.empty()) return;
    // Apply right to left so indices of the remaining changes stay valid.
    for (auto it = changes.rbegin(); it != changes.rend(); ++it) {
      on_change(*it);
      line.replace(it->begin, it->end - it->begin, it->after);
    }
  }
}

}  // namespace mojifix::detail
