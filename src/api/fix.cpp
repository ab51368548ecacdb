// The public entry points: split text into lines, let the fast path skip the
// clean ones, repair the rest, and keep the Plan in input byte offsets.

#include "mojifix/fix.hpp"

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "codec/utf8.hpp"
#include "detect/suspect.hpp"
#include "model/scorer.hpp"
#include "normalize/normalize.hpp"
#include "normalize/readings.hpp"
#include "recover/recover.hpp"
#include "repair/repair.hpp"
#include "script/classify.hpp"

namespace mojifix {
namespace {

using detail::repair_change;

std::string to_utf8(std::u32string_view s) {
  std::string out;
  detail::utf8::append(out, s);
  return out;
}

std::string describe_chain(const repair_change& c) {
  std::string s = c.html_entities ? "decode html entities" : "";
  for (const detail::layer* l : c.layers) {
    if (!s.empty()) s += " \u2192 ";
    s += detail::describe(*l);
  }
  // Lossy recovery says what it could not bring back, or how it read the
  // bytes: "encode gb18030 → decode utf-8 (2 characters lost)".
  if (!c.note.empty()) s += s.empty() ? c.note : " (" + c.note + ")";
  return s;
}

detail::repair_settings settings_from(const options& opt) {
  detail::repair_settings s;
  s.max_layers = opt.max_layers < 1 ? 1 : opt.max_layers > 3 ? 3 : opt.max_layers;
  s.margin_per_char *= static_cast<float>(opt.margin);
  s.base_margin *= static_cast<float>(opt.margin);
  s.entities = opt.entities_around_mojibake;
  s.recover_lossy = opt.recover_lossy;
  s.drop_lost = opt.drop_lost;
  return s;
}

// Repair may take a span through several passes, and a later pass may span
// text an earlier one made. The Plan speaks of the input: steps that touch
// the same input bytes become one step from the input span to the final text,
// naming every layer undone in order.
void merge_layered_steps(std::string_view input, std::u32string_view line,
                         const std::vector<std::pair<std::size_t, std::size_t>>& origin,
                         std::size_t first, std::vector<step>& steps) {
  const auto begin = steps.begin() + static_cast<std::ptrdiff_t>(first);
  std::stable_sort(begin, steps.end(),
                   [](const step& a, const step& b) { return a.begin < b.begin; });
  std::vector<step> merged;
  for (auto it = begin; it != steps.end();) {
    // Steps were made in pass order; keep that order for the chain.
    std::vector<const step*> group{&*it};
    std::size_t b = it->begin, e = it->end;
    for (++it; it != steps.end() && it->begin < e; ++it) {
      group.push_back(&*it);
      e = std::max(e, it->end);
    }
    if (group.size() == 1) {
      merged.push_back(*group.front());
      continue;
    }
    step st;
    st.begin = b;
    st.end = e;
    st.before = std::string(input.substr(b, e - b));
    std::u32string after;
    for (std::size_t k = 0; k < line.size(); ++k)
      if (origin[k].first >= b && origin[k].second <= e) after.push_back(line[k]);
    st.after = to_utf8(after);
    std::vector<std::string> chains;
    for (const step* g : group)
      if (std::find(chains.begin(), chains.end(), g->chain) == chains.end())
        chains.push_back(g->chain);
    for (const std::string& c : chains) {
      if (!st.chain.empty()) st.chain += " \u2192 ";
      st.chain += c;
    }
    const detail::scorer& sc = detail::scorer::get();
    std::u32string before;
    for (std::size_t i = b; i < e;) before.push_back(detail::utf8::next(input, i));
    st.cost_before = sc.cost(before);
    st.cost_after = sc.cost(after);
    merged.push_back(std::move(st));
  }
  steps.erase(begin, steps.end());
  steps.insert(steps.end(), std::make_move_iterator(merged.begin()),
               std::make_move_iterator(merged.end()));
}

// Repairs the valid UTF-8 run text[begin, end) of the input; appends the
// result to out and, unless steps is null (fix_text needs no Plan), the
// changes to *steps. Returns true if anything changed.
bool repair_run(std::string_view input, std::size_t begin, std::size_t end,
                const detail::repair_settings& s, std::string& out, std::vector<step>* steps) {
  std::u32string line;
  for (std::size_t i = begin; i < end;) line.push_back(detail::utf8::next(input, i));
  if (steps == nullptr) {
    bool changed = false;
    detail::repair_line(line, s, [&](const std::vector<repair_change>&) { changed = true; });
    if (changed) out += to_utf8(line);
    return changed;
  }
  std::vector<std::pair<std::size_t, std::size_t>> origin;  // input bytes of each char
  origin.reserve(line.size());
  for (std::size_t i = begin; i < end;) {
    const std::size_t start = i;
    detail::utf8::next(input, i);
    origin.emplace_back(start, i);
  }
  const std::size_t first_step = steps->size();
  detail::repair_line(line, s, [&](const std::vector<repair_change>& pass) {
    // Each new character inherits the input bytes of the span it replaced.
    std::vector<std::pair<std::size_t, std::size_t>> next;
    next.reserve(origin.size());
    std::size_t at = 0;
    for (const repair_change& c : pass) {
      next.insert(next.end(), origin.begin() + static_cast<std::ptrdiff_t>(at),
                  origin.begin() + static_cast<std::ptrdiff_t>(c.begin));
      const std::size_t b = origin[c.begin].first;
      const std::size_t e = origin[c.end - 1].second;
      next.insert(next.end(), c.after.size(), std::make_pair(b, e));
      at = c.end;
      step st;
      st.begin = b;
      st.end = e;
      st.chain = describe_chain(c);
      st.before = to_utf8(c.before);
      st.after = to_utf8(c.after);
      st.cost_before = c.cost_before;
      st.cost_after = c.cost_after;
      steps->push_back(std::move(st));
    }
    next.insert(next.end(), origin.begin() + static_cast<std::ptrdiff_t>(at), origin.end());
    origin = std::move(next);
  });
  if (steps->size() == first_step) return false;
  merge_layered_steps(input, line, origin, first_step, *steps);
  out += to_utf8(line);
  return true;
}

// Bytes on each side of a suspicious place that repair looks at: enough for
// the longest damaged words and their context, small enough that a clean
// line with one rare character costs little.
constexpr std::size_t kWindowReach = 96;

}  // namespace

std::string_view to_string(error e) noexcept {
  switch (e) {
    case error::ok:
      return "ok";
    case error::invalid_utf8:
      return "invalid_utf8";
    case error::unsupported_option:
      return "unsupported_option";
  }
  return "unknown";
}

std::string_view to_string(script s) noexcept {
  switch (s) {
    case script::keep:
      return "keep";
    case script::simplified:
      return "simplified";
    case script::traditional:
      return "traditional";
    case script::taiwan:
      return "taiwan";
    case script::hongkong:
      return "hongkong";
  }
  return "unknown";
}

bool parse_script(std::string_view name, script& out) noexcept {
  for (script s :
       {script::keep, script::simplified, script::traditional, script::taiwan, script::hongkong}) {
    if (name == to_string(s)) {
      out = s;
      return true;
    }
  }
  return false;
}

namespace {

// The repair stage, with the Plan only when asked for.
// Appends to *spans the byte spans of r.text that repair changed.
fix_result repair_stage(std::string_view text, const options& opt, bool explain, bool valid,
                        const detail::document_pairs* around,
                        std::vector<std::pair<std::size_t, std::size_t>>* spans) {
  fix_result r;
  const bool may_hold_entities =
      opt.entities_around_mojibake && text.find('&') != std::string_view::npos;
  if (!valid) r.error = error::invalid_utf8;
  if (!opt.repair_encoding || (!may_hold_entities && !detail::may_hold_mojibake(text))) {
    r.text = std::string(text);
    return r;
  }

  // Lossy recovery weighs a fill that the rest of the text writes out.
  const detail::document_pairs own(text);
  detail::repair_settings s = settings_from(opt);
  s.document = around != nullptr ? around : &own;
  s.explain = explain;
  std::string out;
  std::size_t copied = 0;  // input bytes before this are already in out
  // Repairs the valid UTF-8 run text[begin, end); true if it changed.
  auto repair_valid_run = [&](std::size_t begin, std::size_t end,
                              const detail::repair_settings& rs) {
    std::string repaired;
    if (!repair_run(text, begin, end, rs, repaired, explain ? &r.steps : nullptr)) return false;
    out.append(text.substr(copied, begin - copied));
    // The span repair changed: the run without what it kept at either end.
    const std::string_view was = text.substr(begin, end - begin);
    std::size_t pre = 0, suf = 0;
    while (pre < was.size() && pre < repaired.size() && was[pre] == repaired[pre]) ++pre;
    while (suf < was.size() - pre && suf < repaired.size() - pre &&
           was[was.size() - 1 - suf] == repaired[repaired.size() - 1 - suf])
      ++suf;
    spans->emplace_back(out.size() + pre, out.size() + repaired.size() - suf);
    out += repaired;
    copied = end;
    return true;
  };
  // Repairs text[begin, end): valid UTF-8 runs are repaired, invalid bytes
  // stay as they are.
  auto repair_range = [&](std::size_t begin, std::size_t end, const detail::repair_settings& rs) {
    std::size_t run_begin = begin;
    std::size_t i = begin;
    while (i <= end) {
      const std::size_t at = i;
      bool invalid = false;
      if (i < end && static_cast<unsigned char>(text[i]) >= 0x80) {
        invalid = detail::utf8::next(text.substr(0, end), i) == detail::utf8::kInvalid;
      } else {
        ++i;
      }
      if (invalid || at == end) {
        if (run_begin < at) repair_valid_run(run_begin, at, rs);
        run_begin = i;
      }
    }
  };
  // A line that is one layer's mojibake as a whole is undone at once, before
  // its windows are worked out (see detail::whole_line_mode). Tried here
  // where it opens as UTF-8 read as a single-byte code page does, not on
  // every line of clean text in a document that shows signs (repair_line
  // tries it on the windows too).
  detail::repair_settings whole = s, in_part = s;
  whole.whole_line = detail::whole_line_mode::only;
  in_part.whole_line = detail::whole_line_mode::never;
  constexpr std::size_t kWholeLineBytes = 16;  // non-ASCII bytes, at least
  auto worth_whole = [&](std::string_view line) {
    // (Lines longer than the whole-line reading takes go by their windows.)
    constexpr std::size_t kLongestLine = std::size_t{1} << 17;  // bytes
    return line.size() <= kLongestLine && detail::may_be_single_byte_mojibake(line) &&
           static_cast<std::size_t>(std::count_if(
               line.begin(), line.end(),
               [](char c) { return static_cast<unsigned char>(c) >= 0x80; })) >= kWholeLineBytes &&
           detail::utf8::valid(line);
  };
  std::size_t line_begin = 0;
  while (line_begin < text.size()) {
    std::size_t line_end = text.find('\n', line_begin);
    if (line_end == std::string_view::npos) line_end = text.size();
    const std::string_view line = text.substr(line_begin, line_end - line_begin);
    if (may_hold_entities && line.find('&') != std::string_view::npos) {
      // References are undone word by word over the whole line.
      repair_range(line_begin, line_end, s);
    } else if (!detail::may_hold_mojibake(line)) {
      // clean: no window would open (the scan stops at the first sign)
    } else if (worth_whole(line) && repair_valid_run(line_begin, line_end, whole)) {
      // repaired as a whole
    } else {
      // Damage is local: only the windows around suspicious places are
      // repaired, so a long clean line with one rare character stays cheap.
      // A window that is the whole line may still be one layer's mojibake
      // as a whole (UTF-8 read as a double-byte code page); one that is not
      // talks about what its line talks about.
      in_part.cut_from = line;
      for (const auto& [b, e] : detail::suspicious_windows(line, kWindowReach))
        repair_range(line_begin + b, line_begin + e, b == 0 && e == line.size() ? s : in_part);
    }
    line_begin = line_end + 1;
  }
  if (copied == 0) {  // nothing changed
    r.text = std::string(text);
  } else {
    out.append(text.substr(copied));
    r.text = std::move(out);
  }
  return r;
}

// The Plan speaks of the input: a normalize change of the repaired text is
// mapped back through the repair steps (outside them the shift is constant;
// one that starts or ends inside a repaired span is widened to that span and
// becomes one step with it, chains joined by " → ").
std::vector<step> plan_with_normalize(std::string_view input, std::vector<step>&& repaired,
                                      const std::vector<detail::change>& first,
                                      const std::vector<detail::change>& normalized) {
  const std::vector<detail::change> all = detail::compose(input, first, normalized);
  std::vector<step> out;
  out.reserve(all.size());
  std::size_t r = 0;
  const detail::scorer& sc = detail::scorer::get();
  for (const detail::change& c : all) {
    while (r < repaired.size() && repaired[r].end <= c.begin && repaired[r].begin < c.begin) ++r;
    if (r < repaired.size() && repaired[r].begin == c.begin && repaired[r].end == c.end &&
        repaired[r].after == c.after) {
      out.push_back(std::move(repaired[r]));  // a repair step nothing else touched
      continue;
    }
    step st;
    st.begin = c.begin;
    st.end = c.end;
    st.before = std::string(input.substr(c.begin, c.end - c.begin));
    st.after = c.after;
    st.chain = c.chain;
    st.cost_before = sc.cost(detail::utf8::decode(st.before));
    st.cost_after = sc.cost(detail::utf8::decode(st.after));
    out.push_back(std::move(st));
  }
  return out;
}

// fix_and_explain, with the Plan only when asked for: repair, then normalize.
// Reading annotations that check out as readings of the Han characters before
// them are clean text, and they are taken out before repair too: glued to
// Han, zhuyin looks like Big5 read as GBK to the repair fast path. So are
// control characters inside words.
fix_result run(std::string_view text, const options& opt, bool explain,
               const detail::document_pairs* around = nullptr,
               const detail::document_script* script_around = nullptr) {
  // One pass finds what normalize has to look at; it is reused when repair
  // leaves the text as it is.
  bool valid = true;
  const std::uint32_t scanned = detail::normalize_scan(text, opt, valid);
  std::vector<detail::change> readings;  // taken out before repair
  std::string stripped;
  std::string_view work = text;
  if (detail::scan_found_readings(scanned)) {
    for (detail::edit& e : detail::reading_edits(text))
      readings.push_back({e.begin, e.end, std::move(e.after), std::string(e.what)});
  }
  // A control character inside a word hides mojibake around it from repair
  // (娴\a嬭瘯); the fixer would take it out after repair, and only a second
  // run would then repair the word. It goes before repair too.
  if (opt.remove_control_chars && detail::scan_found_controls(scanned)) {
    std::vector<detail::change> merged;
    std::size_t r = 0;
    for (detail::edit& e : detail::control_edits(text)) {
      while (r < readings.size() && readings[r].end <= e.begin) merged.push_back(readings[r++]);
      if (r < readings.size() && readings[r].begin < e.end) continue;  // inside an annotation
      merged.push_back({e.begin, e.end, std::move(e.after), std::string(e.what)});
    }
    while (r < readings.size()) merged.push_back(readings[r++]);
    readings = std::move(merged);
  }
  if (!readings.empty()) {
    stripped = detail::apply_changes(text, readings);
    work = stripped;
  }
  std::vector<std::pair<std::size_t, std::size_t>> repaired;
  fix_result r = repair_stage(work, opt, explain, valid, around, &repaired);
  std::string normalized;
  const std::vector<detail::change> changes = detail::normalize(
      r.text, opt, &normalized, &repaired,
      repaired.empty() && readings.empty() ? &scanned : nullptr, explain, script_around);
  if (changes.empty() && readings.empty()) return r;
  if (explain) {
    // Repair steps speak of `work`; the Plan speaks of the input.
    std::vector<detail::change> fixed;
    for (const step& st : r.steps) fixed.push_back({st.begin, st.end, st.after, st.chain});
    const std::vector<detail::change> first =
        readings.empty() ? std::move(fixed) : detail::compose(text, readings, fixed);
    // Repair steps are kept as they are (with their costs) only when their
    // offsets are the input's.
    r.steps = plan_with_normalize(text, readings.empty() ? std::move(r.steps) : std::vector<step>{},
                                  first, changes);
  }
  if (!changes.empty()) r.text = std::move(normalized);
  return r;
}

}  // namespace

fix_result fix_and_explain(std::string_view text, const options& opt) {
  return run(text, opt, true);
}

std::string fix_text(std::string_view text, const options& opt) {
  return run(text, opt, false).text;
}

struct context_access {
  static const detail::document_pairs* pairs(const context& c) { return c.pairs_.get(); }
  static const detail::document_script* script(const context& c) { return c.script_.get(); }
};

context::context(std::string_view text)
    : pairs_(std::make_unique<detail::document_pairs>(text)),
      script_(std::make_unique<detail::document_script>(text)) {}
context::~context() = default;

fix_result fix_and_explain(std::string_view text, const options& opt, const context& around) {
  return run(text, opt, true, context_access::pairs(around), context_access::script(around));
}

std::string fix_text(std::string_view text, const options& opt, const context& around) {
  return run(text, opt, false, context_access::pairs(around), context_access::script(around)).text;
}

std::vector<finding> diagnose(std::string_view text, const options& opt) {
  fix_result r = fix_and_explain(text, opt);
  std::vector<finding> found;
  found.reserve(r.steps.size());
  for (step& st : r.steps) {
    finding f;
    f.begin = st.begin;
    f.end = st.end;
    f.chain = std::move(st.chain);
    f.repaired = std::move(st.after);
    // The larger the model's preference, the surer the verdict.
    f.confidence = std::clamp(1.0 - std::exp2(-(st.cost_before - st.cost_after) / 8.0), 0.0, 1.0);
    found.push_back(std::move(f));
  }
  return found;
}

}  // namespace mojifix
