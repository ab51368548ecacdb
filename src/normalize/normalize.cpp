// The normalize stage. Order, after repair:
//   1. remove readings      (the annotations interrupt words; everything
//                            after sees the plain text)
//   2. the general fixers   html entities, c1 controls as windows-1252,
//                            surrogate pairs, terminal escapes, control
//                            characters, latin ligatures, width, line
//                            breaks, uncurl quotes, byte-order mark,
//                            zero-width characters, dakuten, cjk
//                            compatibility, and NFC/NFKC last (NFKC would
//                            turn the spacing ゛ into a space and a combining
//                            mark before the dakuten fixer joined it)
//   3. script conversion    (script/convert.hpp: sees unified ideographs)
//   4. cjk punctuation      (needs the final neighbours of each mark)
// A first pass over the text finds which fixers have anything to look at;
// clean text ends there.

#include "normalize/normalize.hpp"

#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <memory>

#include "codec/utf8.hpp"
#include "normalize/readings.hpp"
#include "script/convert.hpp"

namespace mojifix::detail {
namespace {

// One bit per fixer (what a character may need), plus character classes.
enum : std::uint32_t {
  kEntities = 1u << 0,
  kC1 = 1u << 1,
  kSurrogates = 1u << 2,
  kEscapes = 1u << 3,
  kControls = 1u << 4,
  kLigatures = 1u << 5,
  kWidth = 1u << 6,
  kLineBreaks = 1u << 7,
  kQuotes = 1u << 8,
  kBom = 1u << 9,
  kZeroWidth = 1u << 10,
  kDakuten = 1u << 11,
  kCompat = 1u << 12,
  kNfc = 1u << 13,
  kNfkc = 1u << 14,
  kReadings = 1u << 15,
  kPunct = 1u << 16,
  kHan = 1u << 17,  // a Han character: readings may follow, script may apply
  kCjk = 1u << 18,  // CJK punctuation may follow
};

std::uint32_t cp_flags_slow(char32_t c) {
  std::uint32_t f = 0;
  if (c >= 0x80 && c <= 0x9F) f |= kC1;
  if (c == 0x85 || c == 0x2028 || c == 0x2029) f |= kLineBreaks;
  if ((c >= 0x206A && c <= 0x206F) || (c >= 0xFFF9 && c <= 0xFFFB)) f |= kControls;
  if (c >= 0xFB00 && c <= 0xFB06) f |= kLigatures;
  if ((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
      (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xFF61 && c <= 0xFF9F))
    f |= kWidth;
  if (c >= 0x2018 && c <= 0x201F) f |= kQuotes;
  if (c == 0xFEFF) f |= kBom;
  if ((c >= 0x200B && c <= 0x200D) || c == 0x2060) f |= kZeroWidth;
  if (c == 0x309B || c == 0x309C) f |= kDakuten;
  if ((c >= 0x2F00 && c <= 0x2FD5) || (c >= 0xF900 && c <= 0xFAFF) ||
      (c >= 0x2F800 && c <= 0x2FA1F))
    f |= kCompat;
  const auto uc = static_cast<UChar32>(c);
  if (u_getIntPropertyValue(uc, UCHAR_NFC_QUICK_CHECK) != UNORM_YES) f |= kNfc;
  if (u_getIntPropertyValue(uc, UCHAR_NFKC_QUICK_CHECK) != UNORM_YES) f |= kNfkc;
  if (is_han(c)) f |= kHan | kCjk;
  if ((c >= 0x3000 && c <= 0x30FF) || (c >= 0xFF00 && c <= 0xFFEF) || (c >= 0xAC00 && c <= 0xD7A3))
    f |= kCjk;
  return f;
}

// Flags of every BMP code point, built once (a few milliseconds).
const std::uint32_t* bmp_flags() {
  static const std::unique_ptr<std::uint32_t[]> table = [] {
    auto t = std::make_unique<std::uint32_t[]>(0x10000);
    for (char32_t c = 0; c < 0x10000; ++c) t[c] = c < 0x80 ? 0 : cp_flags_slow(c);
    return t;
  }();
  return table.get();
}

std::uint32_t cp_flags(const std::uint32_t* bmp, char32_t c) {
  if (c < 0x10000) return bmp[c];
  if (c >= 0x1F000 && c <= 0x1FAFF) return 0;  // emoji and symbols: nothing to do
  return cp_flags_slow(c);
}

constexpr std::array<std::uint32_t, 128> kAsciiFlags = [] {
  std::array<std::uint32_t, 128> t{};
  for (int b = 1; b < 0x20; ++b) t[b] = kControls;  // NUL is kept
  t['\t'] = t['\n'] = t['\f'] = 0;
  t['\r'] = kLineBreaks;
  t[0x1B] = kEscapes | kControls;
  t[0x7F] = kControls;
  t['&'] = kEntities;
  for (char c : {',', ':', ';', '!', '?', '(', ')'}) t[static_cast<unsigned char>(c)] = kPunct;
  return t;
}();

// The fixer bits the options switch on.
std::uint32_t wanted(const options& opt) {
  std::uint32_t w = 0;
  if (opt.html_entities != entity_mode::never) w |= kEntities;
  if (opt.fix_c1_controls) w |= kC1;
  if (opt.fix_surrogates) w |= kSurrogates;
  if (opt.remove_terminal_escapes) w |= kEscapes;
  if (opt.remove_control_chars) w |= kControls;
  if (opt.fix_latin_ligatures) w |= kLigatures;
  if (opt.fix_width) w |= kWidth;
  if (opt.fix_line_breaks) w |= kLineBreaks;
  if (opt.uncurl_quotes) w |= kQuotes;
  if (opt.remove_bom) w |= kBom;
  if (opt.remove_zero_width) w |= kZeroWidth;
  if (opt.fix_dakuten) w |= kDakuten;
  if (opt.fix_cjk_compatibility) w |= kCompat;
  if (opt.normalization == normal_form::nfc) w |= kNfc;
  if (opt.normalization == normal_form::nfkc) w |= kNfkc;
  if (opt.remove_readings) w |= kReadings;
  if (opt.restore_cjk_punct) w |= kPunct;
  return w | kHan;
}

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kHighs = 0x8080808080808080ull;

constexpr std::uint64_t has_zero(std::uint64_t w) { return (w - kOnes) & ~w & kHighs; }

// The fixers (and kHan) that have something to look at in text.
std::uint32_t scan(std::string_view text, std::uint32_t want) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  const std::uint32_t* bmp = bmp_flags();
  const bool amp = (want & kEntities) != 0;
  const bool punct = (want & kPunct) != 0;
  const bool after_han = (want & (kReadings | kPunct)) != 0;
  std::uint32_t seen = 0;
  std::size_t i = 0;
  // Looks at what follows a Han (or, for punctuation, any CJK) character.
  const auto look_after = [&](std::uint32_t f) {
    if (i >= n) return;
    if ((f & kHan) && (want & kReadings) && (p[i] == '(' || p[i] == 0xEF) &&
        reading_end(text, i) != 0)
      seen |= kReadings;
    if ((f & kCjk) && punct && p[i] < 0x80 && (kAsciiFlags[p[i]] & kPunct)) seen |= kPunct;
  };
  while (i < n) {
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & kHighs) == 0) {
        // Controls (below 0x20), DEL and, when entities are decoded, '&'.
        std::uint64_t hit =
            ((w - 0x2020202020202020ull) & ~w & kHighs) | has_zero(w ^ 0x7F7F7F7F7F7F7F7Full);
        if (amp) hit |= has_zero(w ^ 0x2626262626262626ull);
        if (hit == 0) {
          i += 8;
          continue;
        }
      }
    }
    const unsigned b = p[i];
    if (b < 0x80) {
      seen |= kAsciiFlags[b] & ~kPunct;
      ++i;
      continue;
    }
    // U+4000-U+9FFF, most of the Han text: nothing to fix in the character
    // itself.
    if (b >= 0xE4 && b <= 0xE9 && i + 2 < n && (p[i + 1] & 0xC0) == 0x80 &&
        (p[i + 2] & 0xC0) == 0x80) {
      i += 3;
      seen |= kHan;
      if (after_han) look_after(kHan | kCjk);
      continue;
    }
    const std::size_t at = i;
    const char32_t c = utf8::next(text, i);
    if (c == utf8::kInvalid) {
      if (b == 0xED && at + 1 < n && p[at + 1] >= 0xA0 && p[at + 1] <= 0xAF) seen |= kSurrogates;
      continue;
    }
    const std::uint32_t f = cp_flags(bmp, c);
    seen |= f & ~kCjk;
    if (after_han && (f & (kHan | kCjk))) look_after(f);
  }
  return seen & want;
}

std::vector<change> to_changes(std::vector<edit>&& edits) {
  std::vector<change> out;
  out.reserve(edits.size());
  for (edit& e : edits) out.push_back({e.begin, e.end, std::move(e.after), std::string(e.what)});
  return out;
}

}  // namespace

std::string apply_changes(std::string_view text, const std::vector<change>& changes) {
  std::string out;
  out.reserve(text.size());
  std::size_t at = 0;
  for (const change& c : changes) {
    out.append(text.substr(at, c.begin - at));
    out += c.after;
    at = c.end;
  }
  out.append(text.substr(at));
  return out;
}

std::vector<change> compose(std::string_view text0, const std::vector<change>& first,
                            const std::vector<change>& second) {
  if (second.empty()) return first;
  const std::string text1 = apply_changes(text0, first);
  // Where each change of `first` sits in text1.
  struct placed {
    std::size_t b1, e1;
  };
  std::vector<placed> where;
  where.reserve(first.size());
  std::ptrdiff_t shift = 0;
  for (const change& c : first) {
    const auto b1 = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c.begin) + shift);
    where.push_back({b1, b1 + c.after.size()});
    shift +=
        static_cast<std::ptrdiff_t>(c.after.size()) - static_cast<std::ptrdiff_t>(c.end - c.begin);
  }
  // Intervals of text0: every change of `first`, and every change of
  // `second` mapped back (widened where it starts or ends inside a result
  // of `first`). delta is how much the change grows the text.
  struct interval {
    std::size_t b0, e0;
    std::ptrdiff_t delta;
    const std::string* chain;
    int stage;
  };
  std::vector<interval> all;
  all.reserve(first.size() + second.size());
  for (const change& c : first)
    all.push_back(
        {c.begin, c.end,
         static_cast<std::ptrdiff_t>(c.after.size()) - static_cast<std::ptrdiff_t>(c.end - c.begin),
         &c.chain, 0});
  const auto growth = [&](std::size_t x) {
    return static_cast<std::ptrdiff_t>(where[x].e1 - where[x].b1) -
           static_cast<std::ptrdiff_t>(first[x].end - first[x].begin);
  };
  std::size_t k = 0;  // changes of `first` ending at or before s.begin
  std::ptrdiff_t passed = 0;
  for (const change& s : second) {
    while (k < first.size() && where[k].e1 <= s.begin) passed += growth(k++);
    // A begin inside the result of a change of `first` widens to its start.
    const std::size_t b0 =
        k < first.size() && where[k].b1 <= s.begin
            ? first[k].begin
            : static_cast<std::size_t>(static_cast<std::ptrdiff_t>(s.begin) - passed);
    std::size_t j = k;
    std::ptrdiff_t passed_end = passed;
    while (j < first.size() && where[j].e1 < s.end) passed_end += growth(j++);
    // An end inside such a result widens to its end.
    std::size_t e0 =
        j < first.size() && where[j].b1 < s.end
            ? first[j].end
            : static_cast<std::size_t>(static_cast<std::ptrdiff_t>(s.end) - passed_end);
    e0 = std::max(e0, b0);
    all.push_back(
        {b0, e0,
         static_cast<std::ptrdiff_t>(s.after.size()) - static_cast<std::ptrdiff_t>(s.end - s.begin),
         &s.chain, 1});
  }
  std::stable_sort(all.begin(), all.end(), [](const interval& a, const interval& b) {
    return a.b0 != b.b0 ? a.b0 < b.b0 : a.e0 < b.e0;
  });
  const std::string text2 = apply_changes(text1, second);
  std::vector<change> out;
  std::ptrdiff_t total = 0;  // growth of the text before the current group
  for (std::size_t g = 0; g < all.size();) {
    std::size_t b0 = all[g].b0, e0 = all[g].e0;
    std::ptrdiff_t delta = 0;
    std::vector<const interval*> group;
    std::size_t h = g;
    for (; h < all.size(); ++h) {
      const interval& x = all[h];
      const bool joins = h == g || x.b0 < e0 || (x.b0 == e0 && (x.b0 == x.e0 || b0 == e0));
      if (!joins) break;
      e0 = std::max(e0, x.e0);
      delta += x.delta;
      group.push_back(&x);
    }
    change c;
    c.begin = b0;
    c.end = e0;
    const auto from = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(b0) + total);
    const auto len = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(e0 - b0) + delta);
    c.after = text2.substr(from, len);
    // Chains in stage order, each once.
    for (int stage = 0; stage < 2; ++stage) {
      for (const interval* x : group) {
        if (x->stage != stage) continue;
        const std::string& name = *x->chain;
        if (c.chain == name || c.chain.find(name) != std::string::npos) continue;
        if (!c.chain.empty()) c.chain += " \u2192 ";
        c.chain += name;
      }
    }
    total += delta;
    if (c.after != text0.substr(c.begin, c.end - c.begin)) out.push_back(std::move(c));
    g = h;
  }
  return out;
}

bool quick_check_yes(char32_t c, normal_form form) noexcept {
  if (c < 0xA0 || form == normal_form::none) return true;
  const std::uint32_t bit = form == normal_form::nfc ? kNfc : kNfkc;
  if (c < 0x10000) return (bmp_flags()[c] & bit) == 0;
  return (cp_flags(bmp_flags(), c) & bit) == 0;
}

bool may_need_normalize(std::string_view text, const options& opt) noexcept {
  return scan(text, wanted(opt)) != 0 || opt.script != script::keep;
}

std::vector<change> normalize(std::string_view text, const options& opt, std::string* out,
                              const std::vector<std::pair<std::size_t, std::size_t>>* kept) {
  const std::uint32_t want = wanted(opt);
  std::uint32_t need = scan(text, want);
  if (need == 0 && opt.script == script::keep) return {};
  std::vector<change> done;
  std::string cur;              // the text so far, once something changed
  std::string_view now = text;  // what the next fixer reads
  // Runs one fixer when its bit is needed; after a change, what the new text
  // needs is looked up again (an entity may decode to a ligature).
  const auto run = [&](std::uint32_t bit, auto&& fixer) {
    if ((need & bit) == 0) return;
    std::vector<edit> e = fixer(now);
    if (e.empty()) return;
    std::vector<change> c = to_changes(std::move(e));
    done = compose(text, done, c);
    cur = apply_changes(now, c);
    now = cur;
    need = scan(now, want);
  };
  // Where a position of `now` was in `text` (inside a change: its start).
  const auto in_text = [&](std::size_t pos) {
    std::ptrdiff_t shift = 0;
    for (const change& c : done) {
      const auto nb = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c.begin) + shift);
      if (pos < nb) break;
      if (pos < nb + c.after.size()) return c.begin;
      shift += static_cast<std::ptrdiff_t>(c.after.size()) -
               static_cast<std::ptrdiff_t>(c.end - c.begin);
    }
    return static_cast<std::size_t>(static_cast<std::ptrdiff_t>(pos) - shift);
  };
  // Style fixers leave the characters repair restored as they are: those are
  // what the author wrote (ftfy's cases keep the ﬁ of a repaired "signiﬁcantly").
  const auto outside_kept = [&](std::vector<edit> e) {
    if (kept == nullptr || kept->empty()) return e;
    std::erase_if(e, [&](const edit& x) {
      const std::size_t b = in_text(x.begin), en = in_text(x.end);
      for (const auto& [kb, ke] : *kept)
        if (b < ke && kb < std::max(en, b + 1)) return true;
      return false;
    });
    return e;
  };
  const auto all = ~0u;
  run(kReadings, [](std::string_view t) { return reading_edits(t); });
  run(kEntities, [&](std::string_view t) { return entity_edits(t, opt.html_entities); });
  run(kC1, [](std::string_view t) { return c1_edits(t); });
  run(kSurrogates, [](std::string_view t) { return surrogate_edits(t); });
  run(kEscapes, [](std::string_view t) { return terminal_escape_edits(t); });
  run(kControls, [](std::string_view t) { return control_edits(t); });
  run(kLigatures, [&](std::string_view t) { return outside_kept(ligature_edits(t)); });
  run(kWidth, [&](std::string_view t) { return outside_kept(width_edits(t)); });
  run(kLineBreaks, [](std::string_view t) { return line_break_edits(t); });
  run(kQuotes, [&](std::string_view t) { return outside_kept(quote_edits(t)); });
  run(kBom, [](std::string_view t) { return bom_edits(t); });
  run(kZeroWidth, [](std::string_view t) { return zero_width_edits(t); });
  run(kDakuten, [](std::string_view t) { return dakuten_edits(t); });
  run(kCompat, [](std::string_view t) { return cjk_compatibility_edits(t); });
  run(kNfc | kNfkc, [&](std::string_view t) { return normalization_edits(t, opt.normalization); });
  // Script conversion decides for itself; text without Han has nothing for it.
  if (opt.script != script::keep || (need & kHan)) {
    need |= kHan;
    run(all, [&](std::string_view t) { return script_edits(t, opt); });
  }
  run(kPunct, [](std::string_view t) { return cjk_punct_edits(t); });
  if (done.empty()) return done;
  if (out != nullptr) *out = std::string(now);
  return done;
}

}  // namespace mojifix::detail
