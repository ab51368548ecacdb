#include "repair/repair.hpp"

#include <algorithm>

#include "model/scorer.hpp"
#include "repair/candidates.hpp"

namespace mojifix::detail {
namespace {

struct scored {
  candidate c;
  float cost_before;
  float cost_after;
  float gain() const { return cost_before - cost_after; }
};

// Looks for further layers under a repaired span: double mojibake is undone
// by taking the whole span through one more layer at a time.
void deepen(scored& best, char32_t before, char32_t after, int layers_left) {
  if (layers_left <= 0) return;
  const scorer& sc = scorer::get();
  std::u32string inner;
  scored start = best;
  for (const layer& l : known_layers()) {
    if (!undo_whole(l, start.c.replacement, inner)) continue;
    scored next = start;
    next.c.replacement = inner;
    next.c.layers.push_back(&l);
    next.cost_after = sc.cost(inner, before, after);
    deepen(next, before, after, layers_left - 1);
    if (next.cost_after < best.cost_after) best = std::move(next);
  }
}

}  // namespace

std::vector<repair_change> plan_pass(std::u32string_view line, const repair_settings& s) {
  const scorer& sc = scorer::get();
  std::vector<candidate> found;
  for (const layer& l : known_layers()) find_candidates(l, line, found);
  if (found.empty()) return {};

  std::vector<scored> good;
  for (candidate& c : found) {
    const char32_t before = c.begin > 0 ? line[c.begin - 1] : 0;
    const char32_t after = c.end < line.size() ? line[c.end] : 0;
    scored x{std::move(c), 0, 0};
    x.cost_before = sc.cost(line.substr(x.c.begin, x.c.end - x.c.begin), before, after);
    x.cost_after = sc.cost(x.c.replacement, before, after);
    deepen(x, before, after, s.max_layers - 1);
    const float margin =
        s.base_margin + s.margin_per_char * static_cast<float>(x.c.end - x.c.begin);
    if (x.gain() > margin) good.push_back(std::move(x));
  }

  // Highest gain first; ties go to the earlier layer in known_layers(), which
  // is the order candidates were found in (stable sort).
  std::stable_sort(good.begin(), good.end(),
                   [](const scored& a, const scored& b) { return a.gain() > b.gain(); });
  std::vector<repair_change> chosen;
  for (scored& x : good) {
    bool overlaps = std::any_of(chosen.begin(), chosen.end(), [&](const repair_change& c) {
      return x.c.begin < c.end && c.begin < x.c.end;
    });
    if (overlaps) continue;
    repair_change ch;
    ch.begin = x.c.begin;
    ch.end = x.c.end;
    ch.before = std::u32string(line.substr(x.c.begin, x.c.end - x.c.begin));
    ch.after = std::move(x.c.replacement);
    ch.layers = std::move(x.c.layers);
    ch.cost_before = x.cost_before;
    ch.cost_after = x.cost_after;
    chosen.push_back(std::move(ch));
  }
  std::sort(chosen.begin(), chosen.end(),
            [](const repair_change& a, const repair_change& b) { return a.begin < b.begin; });
  return chosen;
}

}  // namespace mojifix::detail
