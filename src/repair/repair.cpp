#include "repair/repair.hpp"

#include <algorithm>

#include "model/scorer.hpp"
#include "repair/candidates.hpp"
#include "repair/entities.hpp"

namespace mojifix::detail {
namespace {

struct scored {
  candidate c;
  float cost_before;
  float cost_after;
  float gain() const { return cost_before - cost_after; }
};

// Each layer beyond the first is damage on top of damage: less likely a
// priori, so it must pay for itself.
constexpr float kExtraLayerCost = 8.0f;

bool truth_is_unicode(const layer& l) {
  return l.truth == encoding::utf8 || l.truth == encoding::cesu8;
}

// A candidate is worth scoring only if its shape fits the layer.
bool plausible(const candidate& c) {
  const layer& l = *c.layers.back();
  if (truth_is_unicode(l)) {
    // U+FFFD that was itself mis-decoded is garbage in Latin text ("ï¿½"),
    // but as 锟斤拷 from a double-byte code page it is also a well-known
    // word that clean text quotes; leave that to the lossy stage.
    if (!is_single_byte(l.wrong) && c.replacement.find(U'\uFFFD') != std::u32string::npos)
      return false;
    return true;
  }
  // Legacy double-byte text: one character from two bytes is too easily
  // made by chance (’t, “é); ask for two.
  std::size_t wide = 0;
  for (char32_t ch : c.replacement) wide += ch >= 0x80;
  return wide >= 2;
}

// Looks for further layers under a repaired span: double mojibake is undone
// by taking the whole span through one more layer at a time. Only text that
// came out of a UTF-8 layer can hide another layer: mojibake saved as UTF-8
// and damaged again. Legacy text read as another legacy code page is final.
void deepen(scored& best, char32_t before, char32_t after, int layers_left) {
  if (layers_left <= 0 || !truth_is_unicode(*best.c.layers.back())) return;
  const scorer& sc = scorer::get();
  std::u32string inner;
  const scored start = best;
  for (const layer& l : known_layers()) {
    if (!undo_whole(l, start.c.replacement, inner)) continue;
    scored next = start;
    next.c.replacement = inner;
    next.c.layers.push_back(&l);
    if (!plausible(next.c)) continue;
    next.cost_after = sc.cost(inner, before, after) +
                      kExtraLayerCost * static_cast<float>(next.c.layers.size() - 1);
    deepen(next, before, after, layers_left - 1);
    if (next.cost_after < best.cost_after) best = std::move(next);
  }
}

bool is_open_quote(char32_t c) {
  return c == U'"' || c == U'\'' || c == U'\u201C' || c == U'\u2018' || c == U'\u00AB' ||
         c == U'\u300C' || c == U'\u300E' || c == U'\u201E';
}
bool is_close_quote(char32_t c) {
  return c == U'"' || c == U'\'' || c == U'\u201D' || c == U'\u2019' || c == U'\u00BB' ||
         c == U'\u300D' || c == U'\u300F' || c == U'\u201C';
}

// Text about mojibake quotes it: “Ã©”, "锟斤拷". A span that is exactly the
// content of a pair of quotation marks is left alone unless the same line
// holds mojibake outside quotes too.
bool quoted(std::u32string_view line, std::size_t begin, std::size_t end) {
  return begin > 0 && end < line.size() && is_open_quote(line[begin - 1]) &&
         is_close_quote(line[end]);
}

}  // namespace

std::vector<repair_change> plan_pass(std::u32string_view line, const repair_settings& s) {
  const scorer& sc = scorer::get();
  std::vector<candidate> found;
  for (const layer& l : known_layers()) find_candidates(l, line, found);
  if (found.empty()) return {};

  std::vector<scored> good;
  for (candidate& c : found) {
    if (!plausible(c)) continue;
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
  if (std::all_of(chosen.begin(), chosen.end(),
                  [&](const repair_change& c) { return quoted(line, c.begin, c.end); }))
    return {};
  std::sort(chosen.begin(), chosen.end(),
            [](const repair_change& a, const repair_change& b) { return a.begin < b.begin; });
  return chosen;
}

namespace {

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x3000; }

// A word (run of non-space characters) holding HTML references is decoded
// and repaired on its own; the decoded, repaired word replaces it only when
// repair found mojibake under the references. References in clean text stay.
void undo_entity_words(std::u32string& line, const repair_settings& s,
                       const std::function<void(const repair_change&)>& on_change) {
  if (line.find(U'&') == std::u32string::npos) return;
  repair_settings inner = s;
  inner.entities = false;
  const scorer& sc = scorer::get();
  for (std::size_t b = 0; b < line.size();) {
    if (is_space(line[b])) { ++b; continue; }
    std::size_t e = b;
    while (e < line.size() && !is_space(line[e])) ++e;
    std::u32string_view word = std::u32string_view(line).substr(b, e - b);
    std::u32string decoded;
    if (word.find(U'&') == std::u32string_view::npos || !decode_entities(word, decoded)) {
      b = e;
      continue;
    }
    std::vector<const layer*> layers;
    bool repaired = false;
    repair_line(decoded, inner, [&](const repair_change& c) {
      repaired = true;
      if (layers.empty()) layers = c.layers;
    });
    if (!repaired) {
      b = e;
      continue;
    }
    repair_change ch;
    ch.begin = b;
    ch.end = e;
    ch.before = std::u32string(word);
    ch.after = decoded;
    ch.html_entities = true;
    ch.layers = std::move(layers);
    const char32_t before = b > 0 ? line[b - 1] : 0;
    const char32_t after = e < line.size() ? line[e] : 0;
    ch.cost_before = sc.cost(word, before, after);
    ch.cost_after = sc.cost(decoded, before, after);
    on_change(ch);
    line.replace(b, e - b, decoded);
    b += decoded.size();
  }
}

}  // namespace

void repair_line(std::u32string& line, const repair_settings& s,
                 const std::function<void(const repair_change&)>& on_change) {
  if (s.entities) undo_entity_words(line, s, on_change);
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
