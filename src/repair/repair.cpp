#include "repair/repair.hpp"

#include <unicode/uchar.h>
#include <unicode/uscript.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <limits>
#include <optional>

#include "codec/utf8.hpp"
#include "detect/discussion.hpp"
#include "detect/suspect.hpp"
#include "model/scorer.hpp"
#include "recover/recover.hpp"
#include "repair/candidates.hpp"
#include "repair/entities.hpp"
#include "script/tables.hpp"

namespace mojifix::detail {
namespace {

// Layers undone in one span, outermost first; repair_settings::max_layers
// is at most 3 through the public options.
constexpr int kMaxChain = 8;
struct chain {
  std::array<const layer*, kMaxChain> l{};
  std::size_t n = 0;
  const layer* front() const { return l[0]; }
  const layer* back() const { return l[n - 1]; }
  std::size_t size() const { return n; }
  void push_back(const layer* x) { l[n++] = x; }
};

// A span and what undoing its chain makes of it. The replacement views the
// pass's storage (see pass_scratch), so candidates copy without allocating.
struct cand {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string_view replacement;
  chain layers;
};

struct scored {
  cand c;
  float cost_before;
  float cost_after;
  float gain() const { return cost_before - cost_after; }
};

// ICU's case and letter properties of a line's characters, asked once per
// character: the candidates of a dozen layers overlap on every character.
class line_letters {
 public:
  void reset(std::u32string_view line) {
    line_ = line;
    flags_.assign(line.size(), 0);
  }
  bool lower(std::size_t i) { return (get(i) & kLower) != 0; }
  bool upper(std::size_t i) { return (get(i) & kUpper) != 0; }
  bool alpha(std::size_t i) { return (get(i) & kAlpha) != 0; }

 private:
  static constexpr std::uint8_t kKnown = 1, kLower = 2, kUpper = 4, kAlpha = 8;
  std::uint8_t get(std::size_t i) {
    std::uint8_t f = flags_[i];
    if (f == 0) {
      const auto ch = static_cast<UChar32>(line_[i]);
      f = kKnown | (u_islower(ch) ? kLower : 0) | (u_isupper(ch) ? kUpper : 0) |
          (u_isalpha(ch) ? kAlpha : 0);
      flags_[i] = f;
    }
    return f;
  }
  std::u32string_view line_;
  std::vector<std::uint8_t> flags_;
};

// What scoring and deepen make of one span with one replacement. Layers
// that read the same code page (windows-1252 and windows-1254, UTF-8 and
// CESU-8) often find the same span with the same replacement, and the
// replacement's cost, whether it holds non-text and what deeper layers make
// of it depend on nothing else: each is worked out once per pass.
class span_results {
 public:
  struct entry {
    std::size_t end = 0;
    std::u32string_view replacement;
    std::uint32_t next = 0;
    bool costed = false;
    bool non_text_known = false;
    bool non_text = false;
    bool deepened = false;
    bool plausible_known = false;
    std::uint64_t plausible = 0;  // plausible_layers(replacement)
    float cost = 0;               // of the replacement between the span's neighbours
    // deepen's result from a one-layer start: the layers under the first,
    // the text they make and its cost.
    chain under;
    std::u32string_view deep_text;
    float deep_cost = 0;
  };
  void reset(std::size_t line_size) {
    head_.assign(line_size, kNone);
    entries_.clear();
  }
  entry& at(std::size_t begin, std::size_t end, std::u32string_view replacement) {
    for (std::uint32_t k = head_[begin]; k != kNone; k = entries_[k].next) {
      entry& e = entries_[k];
      if (e.end == end && e.replacement == replacement) return e;
    }
    entry& e = entries_.emplace_back();
    e.end = end;
    e.replacement = replacement;
    e.next = head_[begin];
    head_[begin] = static_cast<std::uint32_t>(entries_.size() - 1);
    return e;
  }

 private:
  static constexpr std::uint32_t kNone = ~std::uint32_t{0};
  std::vector<std::uint32_t> head_;  // per begin, the last entry made there
  std::vector<entry> entries_;       // at() may move them: hold no reference across calls
};

// Running counts of a line's CJK characters, and of those one layer has a
// candidate on (cover bit), so that counting them around a span is a
// subtraction. Filled on first use in a pass; the layer's counts are kept
// for the last layer asked (candidates come layer by layer).
class cjk_counts {
 public:
  void reset(std::u32string_view line, const std::vector<std::uint64_t>& cover) {
    line_ = line;
    cover_ = &cover;
    cjk_.clear();
    bit_ = 0;
  }
  std::size_t cjk(std::size_t from, std::size_t to) {
    if (cjk_.empty()) {
      const scorer& sc = scorer::get();
      cjk_.resize(line_.size() + 1);
      cjk_[0] = 0;
      for (std::size_t k = 0; k < line_.size(); ++k)
        cjk_[k + 1] = cjk_[k] + static_cast<std::uint32_t>(line_[k] >= 0x2E80 &&
                                                           is_cjk(sc.classify(line_[k])));
    }
    return cjk_[to] - cjk_[from];
  }
  std::size_t covered_cjk(std::uint64_t bit, std::size_t from, std::size_t to) {
    if (bit != bit_) {
      cjk(0, 0);
      covered_.resize(line_.size() + 1);
      covered_[0] = 0;
      for (std::size_t k = 0; k < line_.size(); ++k)
        covered_[k + 1] = covered_[k] + static_cast<std::uint32_t>(cjk_[k + 1] != cjk_[k] &&
                                                                   ((*cover_)[k] & bit) != 0);
      bit_ = bit;
    }
    return covered_[to] - covered_[from];
  }

 private:
  std::u32string_view line_;
  const std::vector<std::uint64_t>* cover_ = nullptr;
  std::vector<std::uint32_t> cjk_, covered_;
  std::uint64_t bit_ = 0;
};

// Storage one pass reuses from line to line.
struct pass_scratch {
  std::u32string pool;  // replacements of the spans found
  std::vector<span_candidate> spans;
  std::vector<const layer*> span_layer;
  std::vector<std::u32string> inner;  // deepen: the text tried at each depth
  std::deque<std::u32string> kept;    // deepen: replacements that won
  std::vector<std::uint32_t> costs;   // scorer transition costs of the line
  std::vector<std::uint64_t> prefix;  // their running sums
  line_letters letters;
  line_encodings encodings;          // the line in each wrong code page
  std::vector<std::uint64_t> cover;  // per character, the layers with a candidate there
  span_results results;
  cjk_counts counts;
  std::u32string_view keep(std::u32string_view s) { return kept.emplace_back(s); }
};

// Each layer beyond the first is damage on top of damage: less likely a
// priori, so it must pay for itself.
constexpr float kExtraLayerCost = 8.0f;

bool truth_is_unicode(const layer& l) {
  return l.truth == encoding::utf8 || l.truth == encoding::cesu8;
}

// Whether a combining mark may start a repaired span that follows `before`
// (0: the start of the text). After a letter it would join that clean
// letter into another (a and ̨ make ą), and the model likes the new letter
// whatever the truth; at the start of the text or after a space it marks
// nothing. After a digit, a sign or punctuation it decorates that character
// as the damaged text did: struck-through prices ("$Ì¶6Ì¶" is $̶6̶),
// emoticons ("'ÃŒâ‚¬" is '̀).
bool mark_may_follow(char32_t before) {
  const auto b = static_cast<UChar32>(before);
  if (before == 0 || u_isalpha(b) || u_isspace(b)) return false;
  switch (u_charType(b)) {
    case U_DECIMAL_DIGIT_NUMBER:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_OTHER_SYMBOL:
    case U_OTHER_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_DASH_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      return true;
    default:
      return false;
  }
}

// Repair makes text, not codes: a result holding private-use, unassigned or
// control characters is a chance decoding, not the original. before: the
// character the span follows (0 at the start of the text).
bool holds_non_text(std::u32string_view s, char32_t before) {
  const scorer& sc = scorer::get();
  // A combining mark starts a repaired span only where it may follow what
  // precedes the damage.
  if (!s.empty() && sc.classify(s.front()) == char_class::combining_mark &&
      !mark_may_follow(before))
    return true;
  // A soft hyphen marks where a word may break: after a space or at the
  // start it marks nothing, and no one types it there ("see 足 below" is no
  // soft hyphen between spaces).
  if (!s.empty() && s.front() == 0xAD && (before == 0 || !u_isalpha(static_cast<UChar32>(before))))
    return true;
  for (char32_t ch : s) {
    // Phonetic small capitals and modifier letters (ᴴ, ᵃ) belong to
    // transcriptions; out of mojibake repair they are chance decodings of
    // accents and quotes (lá´´).
    if (ch >= 0x1D00 && ch <= 0x1DBF) return true;
    // The long s (ſ) left print two centuries ago; from cp437 box drawing
    // ("┼┐") it is line art.
    if (ch == 0x17F) return true;
    switch (sc.classify(ch)) {
      // Letters of scripts the model has no text for (NKo, Syriac, Thaana …)
      // come out of chance decodings of kana and Latin far more often than
      // out of real damage.
      case char_class::other_letter:
      case char_class::private_use:
      case char_class::unassigned:
      case char_class::noncharacter:
      case char_class::surrogate:
      case char_class::c1_control:
        return true;
      default:
        break;
    }
  }
  return false;
}

std::size_t non_ascii(std::u32string_view s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char32_t ch) { return ch >= 0x80; }));
}

// Whether the last layer of a candidate fits its shape. Intermediate
// results of a multi-layer repair are mojibake themselves and may hold
// controls; only the final text must pass holds_non_text.
bool plausible(const cand& c) {
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
  // made by chance (’t, “é); ask for two (see also is_weak).
  return non_ascii(c.replacement) >= 2;
}

// A single double-byte character ("¦b" for 在) is taken only where the same
// layer has already been found, with more evidence, elsewhere in the line.
// Legacy double-byte text read as windows-1252 comes back as full-width
// characters; a run of halfwidth katakana alone ("ÑÝÄ" → "ﾑﾝﾄ") is what
// three upper-half Latin letters typed in a row would make.
bool only_halfwidth_kana(const cand& c) {
  if (truth_is_unicode(*c.layers.front())) return false;
  return std::all_of(c.replacement.begin(), c.replacement.end(),
                     [](char32_t ch) { return ch < 0x80 || (ch >= 0xFF61 && ch <= 0xFF9F); });
}

bool is_weak(const cand& c) {
  const layer& l = *c.layers.front();
  return !truth_is_unicode(l) && c.layers.size() == 1 && non_ascii(c.replacement) == 1;
}

// Looks for further layers under a repaired span: double mojibake is undone
// by taking the whole span through one more layer at a time. Only text that
// came out of a UTF-8 layer can hide another layer: mojibake saved as UTF-8
// and damaged again. Legacy text read as another legacy code page is final.
// worth_trying: plausible_layers of best's replacement, if known.
void deepen(scored& best, char32_t before, char32_t after, int layers_left, pass_scratch& ps,
            std::optional<std::uint64_t> worth_trying_known = std::nullopt) {
  if (layers_left <= 0 || !truth_is_unicode(*best.c.layers.back())) return;
  const scorer& sc = scorer::get();
  const scored start = best;
  const std::size_t depth = start.c.layers.size();
  // Each further layer costs kExtraLayerCost on top of a cost that is never
  // negative, and only a strictly lower cost replaces the best.
  const float floor = kExtraLayerCost * static_cast<float>(depth);
  std::u32string& inner = ps.inner[depth];
  const std::uint64_t worth_trying =
      worth_trying_known ? *worth_trying_known : plausible_layers(start.c.replacement);
  const auto layers = known_layers();
  for (std::size_t k = 0; k < layers.size(); ++k) {
    if (!(floor < best.cost_after)) return;
    const layer& l = layers[k];
    if (!((worth_trying >> k) & 1)) continue;
    // A chain that goes no deeper wins only on its own cost: stop undoing
    // as soon as the text made so far costs too much.
    // (Quarter-bit sums of texts below a million characters cannot wrap.)
    const bool last =
        (layers_left - 1 <= 0 || !truth_is_unicode(l)) && start.c.replacement.size() < 1'000'000;
    if (!(last ? undo_whole_below(l, start.c.replacement, inner, before, floor, best.cost_after)
               : undo_whole(l, start.c.replacement, inner)))
      continue;
    scored next = start;
    next.c.replacement = inner;
    next.c.layers.push_back(&l);
    if (!plausible(next.c)) continue;
    next.cost_after = sc.cost(inner, before, after) +
                      kExtraLayerCost * static_cast<float>(next.c.layers.size() - 1);
    if (holds_non_text(inner, before)) next.cost_after = std::numeric_limits<float>::infinity();
    deepen(next, before, after, layers_left - 1, ps);
    if (next.cost_after < best.cost_after) {
      best = next;
      // inner is overwritten by the next layer tried.
      if (best.c.replacement.data() == inner.data()) best.c.replacement = ps.keep(inner);
    }
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

// True when an opening quotation mark stands before the span (or is its first
// character) and a closing one after it (or is its last), on the same line.
bool inside_quotation(std::u32string_view line, std::size_t begin, std::size_t end) {
  bool open = false;
  for (std::size_t i = begin + 1; i-- > 0 && !open;) open = is_open_quote(line[i]);
  bool close = false;
  for (std::size_t i = end == 0 ? 0 : end - 1; i < line.size() && !close; ++i)
    close = is_close_quote(line[i]);
  return open && close;
}

char32_t partner(char32_t c) {
  switch (c) {
    case U'\u00AB':
      return U'\u00BB';
    case U'\u00BB':
      return U'\u00AB';
    case U'\u201C':
      return U'\u201D';
    case U'\u201D':
      return U'\u201C';
    case U'\u2018':
      return U'\u2019';
    case U'\u300C':
      return U'\u300D';
    case U'\u300D':
      return U'\u300C';
    case U'\uFF08':
      return U'\uFF09';
    case U'\uFF09':
      return U'\uFF08';
    default:
      return 0;
  }
}

// Damage garbles every character of a region alike: a repair that makes one
// half of a pair of brackets or quotes, while the other half stands clean
// next to it, mends what was never broken («ВАВ» is not «ВА»).
bool breaks_pairing(const cand& c, std::u32string_view clean_pairables) {
  for (char32_t ch : c.replacement) {
    const char32_t other = partner(ch);
    if (other != 0 && clean_pairables.find(other) != std::u32string_view::npos) return true;
  }
  return false;
}

// Nor does a repair take away the closing half of a pair whose opening half
// stands clean just before it, leaving it open to the end of the line
// («å» til «a» is no «廠til «a», «α»· no «ỷ): where the line closes it
// later («dÃ»» is «dû»), the span's half was damage. Nor the opening half
// of a pair that a clean closing half ends.
bool eats_pair_half(std::u32string_view line, const cand& c,
                    const std::vector<std::uint64_t>& cover) {
  constexpr std::size_t kBack = 64, kForward = 128;
  // Clean as this layer reads it: another may read the opening half with
  // the letter after it (« is C7 in Mac Roman).
  const std::uint64_t bit =
      1ull << static_cast<std::size_t>(c.layers.front() - known_layers().data());
  for (std::size_t i = c.begin; i < c.end; ++i) {
    const char32_t closer = line[i];
    // Closing halves only (“ closes German quotes but opens English ones).
    if (closer != U'\u00BB' && closer != U'\u201D' && closer != U'\u300D' && closer != U'\uFF09')
      continue;
    const char32_t opener = partner(closer);
    if (c.replacement.find(closer) != std::u32string_view::npos) continue;
    bool open = false;
    for (std::size_t k = c.begin, n = 0; k > 0 && n < kBack; --k, ++n) {
      if (line[k - 1] == closer) break;
      if (line[k - 1] == opener) {
        open = (cover[k - 1] & bit) == 0;
        break;
      }
    }
    if (!open) continue;
    int depth = 1;
    for (std::size_t k = c.end; k < line.size() && k - c.end < kForward && depth > 0; ++k)
      depth += line[k] == opener ? 1 : line[k] == closer ? -1 : 0;
    if (depth > 0) return true;
  }
  // Nor the opening half of a pair whose closing half stands clean after it
  // (“Aç…” is no 鄭辣”).
  for (std::size_t i = c.begin; i < c.end; ++i) {
    const char32_t opener = line[i];
    if (opener != U'\u00AB' && opener != U'\u201C' && opener != U'\u300C' && opener != U'\uFF08')
      continue;
    const char32_t closer = partner(opener);
    if (c.replacement.find(opener) != std::u32string_view::npos) continue;
    int depth = 1;
    for (std::size_t k = c.end; k < line.size() && k - c.end < kForward; ++k) {
      depth += line[k] == opener ? 1 : line[k] == closer ? -1 : 0;
      if (depth == 0) {
        if ((cover[k] & bit) == 0) return true;
        break;
      }
    }
  }
  return false;
}

// Damage keeps case: an accented capital comes back a capital (ZURÃœCK is
// ZURÜCK). A repair that puts a small letter into a word written in capitals
// ("AHÅ™" → "AHř", "NICIODATĂ" → "NICIODATà") undoes nothing.
// Whether the letters touching the span are capitals, two or more.
bool in_word_of_capitals(std::u32string_view line, std::size_t begin, std::size_t end) {
  std::size_t upper = 0;
  bool lower = false;  // one small letter is enough for no
  auto count = [&](char32_t ch) {
    if (u_isupper(static_cast<UChar32>(ch)))
      ++upper;
    else if (u_islower(static_cast<UChar32>(ch)))
      lower = true;
    return !lower && u_isalpha(static_cast<UChar32>(ch));
  };
  for (std::size_t i = begin; i > 0 && count(line[i - 1]); --i) {
  }
  for (std::size_t i = end; !lower && i < line.size() && count(line[i]); ++i) {
  }
  return upper >= 2 && !lower;
}

bool breaks_capitals(std::u32string_view line, const cand& c) {
  return c.replacement.size() == 1 && u_islower(static_cast<UChar32>(c.replacement.front())) &&
         in_word_of_capitals(line, c.begin, c.end);
}

bool word_break(char32_t c) {
  return c == ' ' || c == '\t' || c == 0xA0 || c == 0x3000 || is_open_quote(c) ||
         is_close_quote(c) || c == '(' || c == ')' || c == U'\u3001' || c == U'\u3002' ||
         c == U'\uFF0C' || c == ',' || c == '.' || c == ':' || c == ';' || c == '!' || c == '?';
}

// The span is a word of its own: nothing but a word break on either side.
bool stands_alone(std::u32string_view line, std::size_t begin, std::size_t end) {
  return (begin == 0 || word_break(line[begin - 1])) &&
         (end == line.size() || word_break(line[end]));
}

bool is_letter_class(char_class c) {
  switch (c) {
    case char_class::latin_letter:
    case char_class::greek:
    case char_class::cyrillic:
    case char_class::armenian:
    case char_class::hebrew:
    case char_class::arabic:
    case char_class::indic:
    case char_class::thai:
    case char_class::other_letter:
    case char_class::hangul_ksx1001:
    case char_class::hangul_other:
    case char_class::kana:
    case char_class::han_common:
    case char_class::han_uncommon:
      return true;
    default:
      return false;
  }
}

// A letter of an alphabet (Latin, Greek, Cyrillic …): CJK has no words
// whose letters glue to a span.
bool alphabet_letter(char32_t ch) {
  if (ch < 0x80) return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
  const char_class cls = scorer::get().classify(ch);
  return !is_cjk(cls) && is_letter_class(cls);
}

// UTF-8 read as a double-byte code page turns an accented Latin letter into
// one CJK character, which stands out inside Latin words (termin茅). One CJK
// character among CJK neighbours is just text (3째 필드 is not 3° 필드). A
// neighbour the same layer would repair too, glued to letters of another
// script, is damage, not text (kter챕 큄patně is které špatně). cover: per character, the layers
// with a candidate there (bit k for known_layers()[k]).
// CJK characters (the span's among them) within reach of a lone one that
// make the text around it CJK text.
constexpr std::size_t kCjkTextAround = 5;

bool lone_cjk_in_cjk(std::u32string_view line, const cand& c,
                     const std::vector<std::uint64_t>& cover, cjk_counts& counts) {
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || is_single_byte(l.wrong) || c.end - c.begin != 1) return false;
  // The nearest letter on each side, looking past digits, spaces and
  // punctuation for a few characters.
  const scorer& sc = scorer::get();
  const std::uint64_t bit = 1ull << static_cast<std::size_t>(&l - known_layers().data());
  // A repairable neighbour is damage where the CJK around is mostly what
  // this layer would repair (Cyrillic read as GBK, « » read as 芦 禄), or where
  // it sticks to letters of another script (큄patně). In CJK text with clean
  // Han around (分 離 . 以 及 查 詢) a repairable neighbour is text.
  // Counted within a reach around the span, so huge lines stay linear.
  constexpr std::size_t kReach = 64;
  const std::size_t from = c.begin > kReach ? c.begin - kReach : 0;
  const std::size_t to = std::min(line.size(), c.end + kReach);
  const std::size_t cjk = counts.cjk(from, to);
  const std::size_t repairable = counts.covered_cjk(bit, from, to);
  const bool mostly_repairable = 2 * repairable > cjk;
  // In a line of CJK text, where this layer leaves most of the CJK around
  // alone, a lone character is text whatever stands next to it ("从 Debian
  // 邮件列表来的…" is no "к Debian").
  if (cjk >= kCjkTextAround && !mostly_repairable) return true;
  auto glued_to_other_letters = [&](std::size_t at) {
    auto other = [&](std::size_t k) {
      const char32_t ch = line[k];
      if (ch < 0x80) return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
      const char_class cls = sc.classify(ch);
      return !is_cjk(cls) && is_letter_class(cls);
    };
    return (at > 0 && other(at - 1)) || (at + 1 < line.size() && other(at + 1));
  };
  auto cjk_letter_near = [&](std::size_t from, int step) {
    for (int k = 0; k < 3; ++k) {
      if ((step < 0 && from == 0) || (step > 0 && from >= line.size())) return false;
      const std::size_t at = step < 0 ? from - 1 : from;
      const char32_t ch = line[at];
      const char_class cls = sc.classify(ch);
      if (is_cjk(cls))
        return (cover[at] & bit) == 0 || !(mostly_repairable || glued_to_other_letters(at));
      if (is_letter_class(cls) || (ch < 0x80 && ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')))
        return false;
      from = step < 0 ? from - 1 : from + 1;
    }
    return false;
  };
  return cjk_letter_near(c.begin, -1) || cjk_letter_near(c.end, +1);
}

bool one_letter_word(char32_t c);

bool halfwidth_kana(char32_t c) { return c >= 0xFF61 && c <= 0xFF9F; }

// UTF-8 read as cp932 shows every letter of a word as halfwidth katakana
// (Cyrillic as ﾐｽﾑﾀ), and the whole word comes back. A span of halfwidth
// katakana glued to more of them that this layer leaves alone stands in
// katakana text ("ﾐｽﾞﾎｷﾞﾝｺｳ" is no "нﾞﾎｷﾞﾝｺｳ"): damage garbles a region alike.
bool kana_among_kana(std::u32string_view line, const cand& c,
                     const std::vector<std::uint64_t>& cover) {
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || is_single_byte(l.wrong)) return false;
  if (!halfwidth_kana(line[c.begin]) && !halfwidth_kana(line[c.end - 1])) return false;
  // Only letters of alphabets (two bytes in UTF-8, both halfwidth katakana
  // in cp932); CJK comes back from three bytes, which mix with double-byte
  // characters and are no katakana run.
  const scorer& sc = scorer::get();
  for (char32_t ch : c.replacement)
    if (ch >= 0x80 && is_cjk(sc.classify(ch))) return false;
  const std::uint64_t bit = 1ull << static_cast<std::size_t>(&l - known_layers().data());
  auto clean_kana = [&](std::size_t at) {
    return halfwidth_kana(line[at]) && (cover[at] & bit) == 0;
  };
  return (c.begin > 0 && clean_kana(c.begin - 1)) || (c.end < line.size() && clean_kana(c.end));
}

// UTF-8 read as a double-byte code page turns a letter of an alphabet into
// a CJK character glued to the letters of its word (termin茅, 茅t茅). A short
// span of CJK whose repair leaves one letter of an alphabet (or a spacing
// accent) standing as a word of its own, with no letter of that alphabet
// beside it ("从 Debian" → "к Debian", "│ 小 │" → "│ С │", ".SH 注" →
// ".SH ע", "契契寤歎 (" → "契契廚U ("), is CJK text: such a repair needs
// damage of the same layer elsewhere in the line that is not of this shape
// too ("\\& 从 文件" is no "к ʸ"). scripts(): bit k set where the line
// holds a letter of char_class k (ASCII letters as latin_letter), asked only
// for a span that makes one such letter.
template <class Scripts>
bool lone_letter_from_cjk(std::u32string_view line, const cand& c, Scripts&& scripts) {
  if (c.end - c.begin > 2) return false;
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || is_single_byte(l.wrong)) return false;
  const scorer& sc = scorer::get();
  for (std::size_t i = c.begin; i < c.end; ++i)
    if (!is_cjk(sc.classify(line[i]))) return false;
  const std::u32string_view r = c.replacement;
  std::size_t letters = 0, at = 0, first = 0;
  for (std::size_t j = 0; j < r.size(); ++j) {
    const bool accent = u_charType(static_cast<UChar32>(r[j])) == U_MODIFIER_SYMBOL;
    if (alphabet_letter(r[j]) || (accent && r[j] >= 0x80)) {
      if (letters++ == 0) first = j;
      at = j;
    }
  }
  // One letter, or one letter doubled (于于 is no вв, 了了 no λλ).
  if (letters != 1 && !(letters == 2 && at == first + 1 && r[at] == r[first])) return false;
  const char32_t before = first > 0 ? r[first - 1] : (c.begin > 0 ? line[c.begin - 1] : U' ');
  const char32_t after = at + 1 < r.size() ? r[at + 1] : (c.end < line.size() ? line[c.end] : U' ');
  // A word of one letter of a script the rest of the line is written in
  // reads as text there (messages 脿 un serveur: à): the repair stands on
  // its own evidence.
  auto script_of = [&](char32_t ch) {
    const char_class cls = sc.classify(ch);
    return cls == char_class::ascii_letter ? char_class::latin_letter : cls;
  };
  const char_class script = script_of(r[at]);
  // The span holds CJK only: the line's letters of that script are all
  // outside it.
  if ((script != char_class::latin_letter || one_letter_word(r[at])) &&
      ((scripts() >> static_cast<unsigned>(script)) & 1))
    return false;
  // A Latin-1 sign, punctuation of the alphabets' own, an apostrophe or a
  // hyphen belongs to the word (鎺矯 → 掳C → °C, doesn鈥檛 → doesn’t, zero鈥攁
  // → zero—a); spaces, ASCII punctuation, CJK and symbols around leave it
  // alone.
  // A letter of another script is no part of the word either (Кухня: 廚U
  // is no Кухня: פU).
  const bool is_letter = alphabet_letter(r[at]);
  auto part_of_word = [&](char32_t ch) {
    if (alphabet_letter(ch)) return !is_letter || script_of(ch) == script;
    if (ch < 0x80) return ch == '\'' || ch == '-';
    if (ch == 0xA0 || ch == 0x3000 || u_isspace(static_cast<UChar32>(ch))) return false;
    const char_class cls = sc.classify(ch);
    // Symbols such as ⚐ are no part of a word (笞辱 is no ⚐J).
    return !is_cjk(cls) && cls != char_class::cjk_symbol && cls != char_class::box_drawing &&
           cls != char_class::fullwidth_ascii &&
           !(ch >= 0x2000 && u_charType(static_cast<UChar32>(ch)) == U_OTHER_SYMBOL);
  };
  return !part_of_word(before) && !part_of_word(after);
}

// CJK characters outside a short span, all clean, that make the text around
// it clean text (clean_cjk_sides).
constexpr std::size_t kCleanCjkAround = 4;

// Spans of at most this many characters count as short (clean_cjk_sides).
constexpr std::size_t kShortSpan = 4;

// Legacy double-byte text read as another (GBK as Big5 and back) garbles
// every character of a region alike. A short span whose nearest CJK
// character on a side, looking past ASCII punctuation and spaces (惨离怀,空),
// is one this layer leaves alone (a character its wrong code page cannot
// make) or makes worse (losing(at): the model prefers it as it stands)
// stands in clean text: the change needs that much more evidence per clean
// side. Returns how many sides are clean.
template <class Losing>
int clean_cjk_sides(std::u32string_view line, const cand& c,
                    const std::vector<std::uint64_t>& cover, Losing&& losing) {
  const layer& l = *c.layers.front();
  if (truth_is_unicode(l) || is_single_byte(l.wrong) || c.end - c.begin > kShortSpan) return 0;
  const scorer& sc = scorer::get();
  const std::uint64_t bit = 1ull << static_cast<std::size_t>(&l - known_layers().data());
  auto clean_near = [&](std::size_t from, int step) {
    for (int k = 0; k < 3; ++k) {
      if ((step < 0 && from == 0) || (step > 0 && from >= line.size())) return false;
      const std::size_t at = step < 0 ? from - 1 : from;
      const char32_t ch = line[at];
      if (is_cjk(sc.classify(ch))) return (cover[at] & bit) == 0 || losing(at);
      if (ch >= 0x80 || u_isalnum(static_cast<UChar32>(ch))) return false;
      from = step < 0 ? from - 1 : from + 1;
    }
    return false;
  };
  int sides = static_cast<int>(clean_near(c.begin, -1)) + static_cast<int>(clean_near(c.end, +1));
  // Where every CJK character within reach outside the span, and there are
  // a few, is clean for this layer (寤歎, 哀我憚人 is no 鬼价), the span
  // stands in clean text as a whole: one more clean side. Asked only where
  // a clean side was found, so the reach is looked at rarely.
  if (sides == 0) return 0;
  constexpr std::size_t kReach = 32;
  std::size_t clean = 0;
  const std::size_t from = c.begin > kReach ? c.begin - kReach : 0;
  const std::size_t to = std::min(line.size(), c.end + kReach);
  for (std::size_t k = from; k < to; ++k) {
    if (k == c.begin) k = c.end;
    if (k >= to || !is_cjk(sc.classify(line[k]))) continue;
    if ((cover[k] & bit) != 0 && !losing(k)) return sides;
    ++clean;
  }
  return sides + static_cast<int>(clean >= kCleanCjkAround);
}

// The span reads a space as the byte A0 of a UTF-8 sequence (see
// loses_nbsp): a space never comes back from a layer as anything else.
bool reads_lost_nbsp(std::u32string_view line, const cand& c) {
  return c.layers.size() == 1 && loses_nbsp(*c.layers.front()) &&
         line.substr(c.begin, c.end - c.begin).find(U' ') != std::u32string_view::npos;
}

// Two characters that UTF-8 read as a single-byte code page made of a
// Latin-1 sign (½, ©, µ: the lead byte C2 and the sign's byte).
bool latin1_sign(const cand& c) {
  if (c.layers.size() != 1 || c.end - c.begin != 2 || c.replacement.size() != 1) return false;
  const layer& l = *c.layers.front();
  const char32_t r = c.replacement.front();
  return truth_is_unicode(l) && is_single_byte(l.wrong) && r >= 0xA0 && r <= 0xBF && r != 0xAD;
}

// UTF-8 read as an everyday single-byte code page (windows-1252,
// windows-1251: no prior) shows a two-byte sequence as a letter (the lead
// byte) and a sign (the continuation byte: ³, ©, ™, ±). Inside a word,
// letters of an alphabet glued on both sides (IL2RÎ³cKO for IL2RγcKO), no one
// types a letter of the upper half followed by such a sign; the model, which
// knows little of symbols inside words, need only prefer the repair.
bool sign_pair_inside_word(std::u32string_view line, const cand& c) {
  if (c.layers.size() != 1 || c.end - c.begin != 2 || c.replacement.size() != 1) return false;
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || !is_single_byte(l.wrong) || l.prior != 0) return false;
  if (c.begin == 0 || c.end == line.size() || !alphabet_letter(line[c.begin - 1]) ||
      !alphabet_letter(line[c.end]) || line[c.begin] < 0x80 || !alphabet_letter(line[c.begin]))
    return false;
  switch (u_charType(static_cast<UChar32>(line[c.begin + 1]))) {
    case U_OTHER_SYMBOL:
    case U_MATH_SYMBOL:
    case U_CURRENCY_SYMBOL:
    case U_OTHER_NUMBER:
      return true;
    default:
      return false;
  }
}

// No letter or digit on either side: the span is a token of its own, even
// between punctuation ("`¬´ ").
bool no_word_around(std::u32string_view line, std::size_t begin, std::size_t end) {
  auto wordish = [](char32_t ch) { return u_isalnum(static_cast<UChar32>(ch)) != 0; };
  return (begin == 0 || !wordish(line[begin - 1])) && (end == line.size() || !wordish(line[end]));
}

// A capital or a symbol of a rarely met code page often stands in clean
// capitals or among symbols ("HÅØYA", "NICIODATĂ™", "∆°"). Two such
// characters that would make one character the code page itself lacks ("ÅØ"
// → "Ũ" in windows-1257, "∆°" → "ơ" in MacRoman) are more often what
// someone typed, unless the layer finds damage in more places of the line or
// the word around holds small letters (UTF-8 French read as windows-1253,
// "cafΓ©", is damage whatever the code page's languages).
bool foreign_to_code_page(std::u32string_view line, const cand& c, std::size_t found_by_layer) {
  if (found_by_layer > 2 || c.layers.size() != 1 || c.end - c.begin != 2 ||
      c.replacement.size() != 1)
    return false;
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || !is_single_byte(l.wrong) || l.prior == 0) return false;
  auto lower = [&](std::size_t i) { return u_islower(static_cast<UChar32>(line[i])) != 0; };
  auto alpha = [&](std::size_t i) { return u_isalpha(static_cast<UChar32>(line[i])) != 0; };
  std::size_t letters_in = 0, capitals_around = 0;
  for (std::size_t i = c.begin; i < c.end; ++i) {
    if (lower(i)) return false;
    letters_in += alpha(i);
  }
  for (std::size_t i = c.begin; i > 0 && alpha(i - 1); --i, ++capitals_around)
    if (lower(i - 1)) return false;
  for (std::size_t i = c.end; i < line.size() && alpha(i); ++i, ++capitals_around)
    if (lower(i)) return false;
  if (letters_in == 0) {
    // Symbols alone, with no letter or digit next to them and no other
    // damage of this layer in the line ("–∑" for з stands among repairs).
    // A Latin-1 sign from C2 and its byte is mojibake in any code page.
    if (found_by_layer > 1 || !no_word_around(line, c.begin, c.end) || latin1_sign(c)) return false;
  } else {
    // In a word of capitals: two capitals ("ÅØ"), or a capital and a sign
    // ending the word ("Ă™"). A capital and a sign inside the word
    // ("TAMAĆ‘O", "EXPANSIΓ“N") or before a space ("DĆ\u00A0") is damage;
    // so is a capital pair alone ("ĆØ" for è).
    if (capitals_around == 0) return false;
    if (letters_in == 1) {
      const char32_t sign = line[c.begin + 1];
      const bool word_end = c.end == line.size() || !alpha(c.end);
      const bool is_sign = u_ispunct(static_cast<UChar32>(sign)) ||
                           u_charType(static_cast<UChar32>(sign)) == U_OTHER_SYMBOL;
      if (!word_end || !alpha(c.begin) || sign == 0xA0 || !is_sign) return false;
    }
  }
  std::uint8_t bytes[4];
  return encode_wrong(l, c.replacement.front(), bytes) == 0;
}

// Blocks without a letter that has case (CJK symbols, kana, Han, Yi
// excluded, and the Hangul syllables; checked against ICU over every code
// point): most replacements are CJK, and ICU need not be asked about them.
bool caseless(char32_t ch) {
  return (ch >= 0x3000 && ch < 0xA000) || (ch >= 0xAC00 && ch < 0xD7A4);
}

// Whether the span stands in capitals: no small letter in it or in the
// letters joined to it, and at least two capitals in all. Text in capitals
// ("SELKÄ EDELLÄ", leetspeak "MÄ£ÄM") is where upper-half letters of a code
// page stand by choice, and the model, trained on ordinary case, gains less
// there from any change.
bool in_capitals(std::u32string_view line, const cand& c, line_letters& letters) {
  const std::size_t begin = c.begin, end = c.end;
  // A small letter coming out is evidence of its own (SOUBORĹŻ is SOUBORů,
  // KÄŤ is Kč), and signs alone next to capitals (CD-ROM¿¡) are no word of
  // capitals.
  // (The span's letters are known already: asked first.)
  bool any_upper = false;
  for (std::size_t i = begin; i < end && !any_upper; ++i) any_upper = letters.upper(i);
  if (!any_upper) return false;
  for (char32_t ch : c.replacement)
    if (!caseless(ch) && u_islower(static_cast<UChar32>(ch))) return false;
  std::size_t capitals = 0, ascii_capitals = 0;
  const scorer& sc = scorer::get();
  auto look = [&](std::size_t i) {
    const char32_t ch = line[i];
    // Cyrillic read as windows-1251 shows capitals (РЎ): only Latin counts.
    if (letters.lower(i) ||
        (letters.alpha(i) && ch >= 0x80 && sc.classify(ch) != char_class::latin_letter))
      return false;
    capitals += letters.upper(i);
    ascii_capitals += ch >= 'A' && ch <= 'Z';
    return true;
  };
  for (std::size_t i = begin; i < end; ++i)
    if (!look(i)) return false;
  for (std::size_t i = begin; i > 0 && letters.alpha(i - 1); --i)
    if (!look(i - 1)) return false;
  for (std::size_t i = end; i < line.size() && letters.alpha(i); ++i)
    if (!look(i)) return false;
  // Chinese read as windows-1252 makes words of capitals too (ÎÄ); words
  // of a Latin text hold plain capitals.
  return capitals >= 2 && ascii_capitals >= 1;
}

// UTF-8 read as a double-byte code page turns a Latin-1 sign (½, ©, µ, ±:
// the lead byte C2 and one more) into one CJK character. Alone in a line
// with no other CJK character ("needs 쩍", "Copyright 짤"), that character is
// the damage; the model, which knows the sign is likelier, needs no margin
// beyond the layer's prior there.
bool sign_from_lone_cjk(std::u32string_view line, const cand& c) {
  if (c.layers.size() != 1 || c.end - c.begin != 1 || c.replacement.size() != 1) return false;
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || is_single_byte(l.wrong)) return false;
  const char32_t r = c.replacement.front();
  // A soft hyphen alone is no sign anyone typed (足 is no U+00AD).
  if (r < 0xA0 || r > 0xBF || r == 0xAD) return false;
  const scorer& sc = scorer::get();
  for (std::size_t i = 0; i < line.size(); ++i)
    if (i != c.begin && is_cjk(sc.classify(line[i]))) return false;
  return true;
}

// A capital and a sign ending a word of capitals ("NICIODATĂ™", a trademark
// after a name) read in a rarely met code page, with no other damage of that
// layer in the line, is a letter of the word and a sign someone typed.
bool sign_after_capitals(std::u32string_view line, const cand& c, std::size_t found_by_layer,
                         line_letters& letters) {
  if (found_by_layer > 1 || c.layers.size() != 1 || c.end - c.begin != 2 ||
      c.replacement.size() != 1)
    return false;
  const layer& l = *c.layers.front();
  if (!truth_is_unicode(l) || !is_single_byte(l.wrong) || l.prior == 0) return false;
  const UChar32 lead = static_cast<UChar32>(line[c.begin]);
  const UChar32 sign = static_cast<UChar32>(line[c.begin + 1]);
  if (!u_isupper(lead) || sign == 0xA0 || u_isalnum(sign) || u_isspace(sign)) return false;
  if (c.end < line.size() && u_isalnum(static_cast<UChar32>(line[c.end]))) return false;
  return in_capitals(line, c, letters);
}

// Bits a repair in capitals must win by, beyond the usual margin.
constexpr float kCapitalsMargin = 6.0f;

// Latin letters that are words on their own (French and Portuguese à, Italian
// è, Spanish ó, Scandinavian å and ø, Swedish ö).
bool one_letter_word(char32_t c) {
  switch (u_tolower(static_cast<UChar32>(c))) {
    case U'à':
    case U'á':
    case U'è':
    case U'é':
    case U'ò':
    case U'ó':
    case U'å':
    case U'ø':
    case U'ö':
      return true;
    default:
      return false;
  }
}

// Whether the text around [begin, end) writes like a Romance language
// (French, Italian, Portuguese, Spanish): a word of theirs that English does
// not write, or a Latin letter with a diacritic outside the span. Around:
// some words on each side, so that lines of any length read alike.
bool writes_romance(std::u32string_view line, std::size_t begin, std::size_t end) {
  constexpr std::size_t kAround = 48;
  std::size_t from = begin > kAround ? begin - kAround : 0;
  std::size_t to = std::min(line.size(), end + kAround);
  // Whole words only: a word cut by the window is left out (co|de is no de).
  while (from > 0 && from < begin && alphabet_letter(line[from - 1])) ++from;
  while (to < line.size() && to > end && alphabet_letter(line[to])) --to;
  line = line.substr(from, to - from);
  begin -= from;
  end -= from;
  static constexpr std::u32string_view kWords[] = {
      U"le",    U"la",    U"les",   U"un",   U"une",  U"des",  U"du",   U"de",   U"et",   U"est",
      U"pour",  U"dans",  U"sur",   U"avec", U"pas",  U"que",  U"qui",  U"au",   U"aux",  U"ce",
      U"ces",   U"cette", U"il",    U"elle", U"nous", U"vous", U"sont", U"tous", U"tout", U"mais",
      U"ou",    U"lo",    U"gli",   U"di",   U"che",  U"con",  U"non",  U"una",  U"del",  U"della",
      U"dell",  U"nel",   U"nella", U"sono", U"se",   U"ed",   U"e",    U"o",    U"come", U"quel",
      U"anche", U"ma",    U"os",    U"um",   U"uma",  U"da",   U"dos",  U"das",  U"em",   U"na",
      U"para",  U"el",    U"los",   U"las",  U"y",    U"por",  U"es"};
  // Endings English words seldom have (stato, considerata, equivalente,
  // identique).
  static constexpr std::u32string_view kEndings[] = {U"ato",  U"ata",   U"ito",   U"ita",
                                                     U"ente", U"zione", U"mente", U"ique"};
  for (std::size_t i = 0; i < line.size(); ++i)
    if ((i < begin || i >= end) && line[i] >= 0xC0 && line[i] <= 0x24F && alphabet_letter(line[i]))
      return true;
  for (std::size_t b = 0; b < line.size();) {
    while (b < line.size() && !alphabet_letter(line[b])) ++b;
    std::size_t e = b;
    while (e < line.size() && alphabet_letter(line[e])) ++e;
    // A word, not letters among digits (U+9E93 holds no word e).
    auto digit_or_plus = [&](std::size_t k) {
      return (line[k] >= '0' && line[k] <= '9') || line[k] == '+';
    };
    if (e > b && !(b > 0 && digit_or_plus(b - 1)) && !(e < line.size() && digit_or_plus(e))) {
      std::u32string w(line.substr(b, e - b));
      for (char32_t& ch : w) ch = static_cast<char32_t>(u_tolower(static_cast<UChar32>(ch)));
      for (std::u32string_view k : kWords)
        if (w == k) return true;
      for (std::u32string_view k : kEndings)
        if (w.size() >= k.size() + 2 && std::u32string_view(w).ends_with(k)) return true;
    }
    b = e;
  }
  return false;
}

// The word beside [begin, end) on one side (step -1 or +1), past spaces.
std::u32string_view word_beside(std::u32string_view line, std::size_t begin, std::size_t end,
                                int step) {
  if (step < 0) {
    std::size_t e = begin;
    while (e > 0 && line[e - 1] == ' ') --e;
    std::size_t b = e;
    while (b > 0 && line[b - 1] != ' ') --b;
    return line.substr(b, e - b);
  }
  std::size_t b = end;
  while (b < line.size() && line[b] == ' ') ++b;
  std::size_t e = b;
  while (e < line.size() && line[e] != ' ') ++e;
  return line.substr(b, e - b);
}

bool is_number(std::u32string_view w) {
  bool digit = false;
  for (const char32_t ch : w) {
    if (ch >= '0' && ch <= '9')
      digit = true;
    else if (ch != '.' && ch != ',' && ch != '-' && ch != U'\u2013')  // 1995-2020
      return false;
  }
  return digit;
}

// A word of measure that a fraction stands before (½ cup).
bool measure_word(std::u32string_view w) {
  static constexpr std::u32string_view kUnits[] = {
      U"cup",   U"cups",   U"teaspoon", U"teaspoons", U"tablespoon", U"tablespoons", U"tsp",
      U"tbsp",  U"inch",   U"inches",   U"mile",      U"miles",      U"hour",        U"hours",
      U"pound", U"pounds", U"lb",       U"oz",        U"ounce",      U"ounces",      U"kg",
      U"g",     U"km",     U"m",        U"cm",        U"mm",         U"litre",       U"liter",
      U"l",     U"ml",     U"pint",     U"pints",     U"gallon",     U"gallons",     U"dozen"};
  for (std::u32string_view k : kUnits)
    if (w == k) return true;
  return false;
}

// The characters within `reach` of a span, for checks that read the text
// around a candidate: a bound keeps huge lines linear.
struct around_span {
  std::size_t from, to;
};
around_span around(std::u32string_view line, const cand& c, std::size_t reach = 64) {
  return {c.begin > reach ? c.begin - reach : 0, std::min(line.size(), c.end + reach)};
}

// The alphabet a single-byte code page adds to ASCII, for those whose upper
// half is one script besides Latin (none for the others).
UScriptCode own_script(encoding e) {
  switch (e) {
    case encoding::windows_1251:
      return USCRIPT_CYRILLIC;
    case encoding::windows_1253:
      return USCRIPT_GREEK;
    case encoding::windows_1255:
      return USCRIPT_HEBREW;
    case encoding::windows_1256:
      return USCRIPT_ARABIC;
    default:
      return USCRIPT_INVALID_CODE;
  }
}

// A line written in the code page's own script (Russian, Greek, Hebrew,
// Arabic): three clean letters (no candidate changes them) of it.
bool own_script_line(std::u32string_view line, const cand& c,
                     const std::vector<std::uint64_t>& cover) {
  const UScriptCode own = own_script(c.layers.front()->wrong);
  if (own == USCRIPT_INVALID_CODE) return false;
  UErrorCode status = U_ZERO_ERROR;
  std::size_t clean_own = 0;
  const around_span a = around(line, c);
  for (std::size_t i = a.from; i < a.to && clean_own < 3; ++i)
    clean_own += cover[i] == 0 && u_isalpha(static_cast<UChar32>(line[i])) &&
                 uscript_getScript(static_cast<UChar32>(line[i]), &status) == own;
  return U_SUCCESS(status) && clean_own >= 3;
}

// The lead byte of UTF-8 Cyrillic and Greek is a letter in windows-1251
// and windows-1253 (D0 Р, D1 С, C2 В, CE Ξ, CF Ο), and words end with them
// or are them ("ВПР и ГПР", «В европейской»): a space after such a letter
// is no lost A0, unless the layer finds other damage in the line, where it
// and the letter before are capitals; nor where the letter is a word of its
// own in a line written in its script. (Where the letter before is a lead
// byte too, П is CF, follows_lead_byte refuses the span.)
bool capitals_before_space(std::u32string_view line, const cand& c, std::size_t found_by_layer,
                           const std::vector<std::uint64_t>& cover) {
  if (!reads_lost_nbsp(line, c) || c.end - c.begin != 2 || line[c.begin + 1] != U' ') return false;
  if (c.begin == 0 || !u_isalpha(static_cast<UChar32>(line[c.begin - 1])))
    return own_script_line(line, c, cover);
  auto upper = [](char32_t ch) { return u_isupper(static_cast<UChar32>(ch)) != 0; };
  return found_by_layer <= 1 && upper(line[c.begin]) && upper(line[c.begin - 1]);
}

// Cyrillic, Greek, Hebrew and Arabic read as windows-1251, -1253, -1255
// and -1256 stay letters of their own script: a word of such letters alone,
// perhaps with punctuation after it ("Её синтаксис", «САРА Е», أ، ب، ج),
// that the layer reads as one letter of another script (Ÿ, Ż, á) is a word
// of the line, when letters of its script the layer leaves clean
// stand around it and no word of the other script does. (UTF-8 Russian read
// as windows-1251, Рџ for П, stays in its script; French read so, cafГ©,
// holds a sign and Latin letters around.)
bool word_into_foreign_script(std::u32string_view line, const cand& c,
                              const std::vector<std::uint64_t>& cover) {
  const UScriptCode own = own_script(c.layers.front()->wrong);
  if (own == USCRIPT_INVALID_CODE) return false;
  // A letter of another script (Ÿ, á), or, from letters alone inside a word
  // (below), a sign; not a sign from letters and punctuation, which a partly
  // damaged line shows between clean words (вЂ” is —).
  if (c.replacement.empty()) return false;
  UErrorCode status = U_ZERO_ERROR;
  auto script = [&](char32_t ch) { return uscript_getScript(static_cast<UChar32>(ch), &status); };
  // Several characters, none a letter of the script (رچم‌گ is no э㝐), count
  // as a sign: only from letters alone inside a word.
  const bool single = c.replacement.size() == 1;
  for (const char32_t r : c.replacement)
    if (u_isalpha(static_cast<UChar32>(r)) && script(r) == own) return false;
  const bool to_letter = single && u_isalpha(static_cast<UChar32>(c.replacement.front())) != 0;
  const UScriptCode to = to_letter ? script(c.replacement.front()) : USCRIPT_INVALID_CODE;
  // Letters of its script (and the joiners Persian writes between them),
  // and punctuation after them («САРА Е»).
  if (!u_isalpha(static_cast<UChar32>(line[c.begin]))) return false;
  bool letters_only = true;
  for (std::size_t i = c.begin; i < c.end; ++i) {
    const bool joiner = u_charType(static_cast<UChar32>(line[i])) == U_FORMAT_CHAR;
    const bool letter = u_isalpha(static_cast<UChar32>(line[i])) != 0;
    letters_only = letters_only && (letter || joiner);
    if (joiner) continue;
    if (letter ? script(line[i]) != own : !u_ispunct(static_cast<UChar32>(line[i]))) return false;
  }
  // Letters alone become no sign either inside a word of their script (Він:
  // Ві is ³ through windows-1251, as C2 B3).
  auto own_letter = [&](std::size_t k) {
    return u_isalpha(static_cast<UChar32>(line[k])) && script(line[k]) == own;
  };
  // The mnemonic mark of a menu item (_ب, س_بک) and a format directive
  // (%sاپ) stand between words, or inside one, without being letters.
  std::size_t begin = c.begin;
  if (begin > 0 && line[begin - 1] == U'_')
    --begin;
  else if (begin > 1 && line[begin - 2] == U'%' && line[begin - 1] < 0x80 &&
           u_isalnum(static_cast<UChar32>(line[begin - 1])))
    begin -= 2;
  // (KDE marks the mnemonic with &: Ві&дкрити.)
  const std::size_t after = c.end + 1 < line.size() && line[c.end] == U'&' ? c.end + 1 : c.end;
  const bool in_word = (c.begin > 0 && own_letter(c.begin - 1)) ||
                       (begin < c.begin && begin > 0 && own_letter(begin - 1)) ||
                       (after < line.size() && own_letter(after));
  if (!stands_alone(line, begin, c.end) && !(letters_only && in_word)) return false;
  if (!to_letter && !(letters_only && in_word)) return false;
  // A word of the other script around vouches for the reading only where
  // the letter is one of its words (à, é), or the word holds letters beyond
  // ASCII: an ASCII name (GnuCash) beside «Её можно» makes no Ÿ.
  const bool word_letter = to_letter && one_letter_word(c.replacement.front());
  // Clean as this layer reads them: the more code pages a long text makes
  // worth trying, the more of its letters some candidate covers.
  const std::uint64_t bit =
      1ull << static_cast<std::size_t>(c.layers.front() - known_layers().data());
  std::size_t clean_own = 0;
  bool any_to = false;
  const around_span a = around(line, c);
  for (std::size_t i = a.from; i < a.to; ++i) {
    if ((i >= c.begin && i < c.end) || !u_isalpha(static_cast<UChar32>(line[i]))) continue;
    const UScriptCode sc = script(line[i]);
    // Letters among digits are no words (the hex E0 beside ТАЙСКИЙ).
    auto digit = [&](std::size_t k) { return line[k] >= '0' && line[k] <= '9'; };
    if (sc == to && !(i > 0 && digit(i - 1)) && !(i + 1 < line.size() && digit(i + 1))) {
      if (!to_letter || word_letter || line[i] >= 0x80) return false;
      any_to = true;
    }
    clean_own += sc == own && (cover[i] & bit) == 0;
  }
  // A list of letters (أ، ب، ج، ...) has few: two clean ones do where no
  // word of the other script stands around at all.
  return U_SUCCESS(status) && clean_own >= (any_to ? 3u : 2u);
}

// Legacy double-byte text read as another (Big5 as GBK and back) garbles
// whole regions. A span of it is no evidence among three or more kana no
// candidate of the layer touches (格子縞模様や縞模様が: Japanese); nor, where
// the layer finds nothing else in the line, one or two Han characters in a
// line of Latin letters with no other CJK (Cai Qian (蔡芊) is no 讲恕; 笢恅
// alone is 中文), a short word of kanji and kana (曇らせ, 浮き彫り), or kanji
// joined by one kana as Japanese names are (亀ケ崎, 卯の花); nor
// a span glued to a Han character or kana the layer leaves alone.
// (Whole lines of Big5 read as GBK show kana too: 中 is い.)
bool double_byte_read_in_clean_cjk(std::u32string_view line, const cand& c,
                                   std::size_t found_by_layer,
                                   const std::vector<std::uint64_t>& cover) {
  const layer& l = *c.layers.front();
  if (truth_is_unicode(l) || is_single_byte(l.wrong) || is_single_byte(l.truth)) return false;
  auto hiragana = [](char32_t ch) { return ch >= 0x3041 && ch <= 0x309F; };
  auto kana = [](char32_t ch) { return ch >= 0x3041 && ch <= 0x30FF && ch != 0x30FB; };
  auto han = [](char32_t ch) { return (ch >= 0x3400 && ch <= 0x9FFF) || ch >= 0x20000; };
  // What legacy Chinese text is made of: no kana (ヶ月 is no 前る), and one
  // script, Traditional in Big5 (潔癖 is no 间聖 through Big5-HKSCS, 塚本 no
  // 动掛).
  const script_tables& tables = get_script_tables();
  bool simplified = false, traditional = false;
  // Nor pinyin's letters (GBK's row A8) glued to Han: 千駄ヶ谷 is no 千駄前é.
  auto glued_to_han = [&](std::size_t k) {
    const char32_t before = k > 0 ? c.replacement[k - 1] : c.begin > 0 ? line[c.begin - 1] : 0;
    const char32_t after = k + 1 < c.replacement.size() ? c.replacement[k + 1]
                           : c.end < line.size()        ? line[c.end]
                                                        : 0;
    return han(before) || han(after);
  };
  for (std::size_t k = 0; k < c.replacement.size(); ++k) {
    const char32_t r = c.replacement[k];
    if (r >= 0xC0 && r < 0x250 && glued_to_han(k)) return true;
    if (kana(r)) return true;
    if (tables.ok() && r >= 0x3400) {
      const han_class k = tables.cls(r);
      simplified = simplified || k == han_class::simplified;
      traditional = traditional || k == han_class::traditional;
    }
  }
  const bool big5 = l.truth == encoding::big5 || l.truth == encoding::big5_hkscs;
  if (simplified && (traditional || big5)) return true;
  const std::uint64_t bit = 1ull << static_cast<std::size_t>(&l - known_layers().data());
  std::size_t cjk_outside = 0, clean_kana = 0, kana_around = 0;
  const around_span a = around(line, c);
  for (std::size_t i = a.from; i < a.to; ++i) {
    kana_around += kana(line[i]);
    if (i >= c.begin && i < c.end) continue;
    cjk_outside += line[i] >= 0x2E80;
    clean_kana += kana(line[i]) && (cover[i] & bit) == 0;
  }
  constexpr std::size_t kJapanese = 3, kShort = 4;
  if (clean_kana >= kJapanese) return true;
  // Nor, in Japanese (kana around or in it), a span glued to a Han character or kana
  // the layer leaves alone (砦は戦場: 戦 is in no Big5; 縞模様: 様 is GBK
  // bytes no Big5 text holds): the damaged region would go on through it.
  // (Text read one byte out of step mixes readings and shows Han beside
  // spans of any layer.)
  auto clean_cjk = [&](std::size_t at) {
    return (han(line[at]) || kana(line[at])) && (cover[at] & bit) == 0;
  };
  if (kana_around > 0 &&
      ((c.begin > 0 && clean_cjk(c.begin - 1)) || (c.end < line.size() && clean_cjk(c.end))))
    return true;
  if (found_by_layer > 1) return false;
  // Japanese names join two kanji with one kana (三ツ俣, 亀ケ崎, 中ノ俣,
  // 卯の花, 笹が瀬): a shape damage makes only by chance.
  auto joiner = [](char32_t ch) {
    return ch == U'\u30CE' || ch == U'\u30B1' || ch == U'\u30F6' || ch == U'\u30C3' ||
           ch == U'\u30C4' || ch == U'\u30AC' || ch == U'\u306E' || ch == U'\u304C';
  };
  for (std::size_t i = std::max<std::size_t>(c.begin, 1); i < c.end && i + 1 < line.size(); ++i)
    if (joiner(line[i]) && han(line[i - 1]) && han(line[i + 1])) return true;
  auto latin = [](char32_t ch) { return (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z'; };
  if (c.end - c.begin <= 2 && cjk_outside == 0 &&
      std::any_of(line.begin() + static_cast<std::ptrdiff_t>(a.from),
                  line.begin() + static_cast<std::ptrdiff_t>(a.to), latin))
    return true;
  // A word of kanji and kana: okurigana end it, and they are no small kana
  // (Big5 read as GBK puts kana anywhere: 匡兜だ秨, и琌いゅ).
  auto small = [](char32_t ch) {
    return ch == 0x3041 || ch == 0x3043 || ch == 0x3045 || ch == 0x3047 || ch == 0x3049 ||
           ch == 0x3063 || ch == 0x3083 || ch == 0x3085 || ch == 0x3087 || ch == 0x308E;
  };
  if (c.end - c.begin > kShort || !hiragana(line[c.end - 1]) || small(line[c.end - 1]))
    return false;
  for (std::size_t i = c.begin; i < c.end; ++i)
    if (!hiragana(line[i]) && !han(line[i])) return false;
  for (std::size_t i = std::max<std::size_t>(c.begin, 1); i < c.end; ++i)
    if (hiragana(line[i]) && han(line[i - 1])) return true;
  return false;
}

// Legacy double-byte text read as a single-byte code page shows its lead
// bytes as signs as often as letters, in capitals and small letters at
// random (ÖÐÎÄ, Êý¾Ý, ¤¤¤å). A span of Latin letters alone reads as the
// text it seems to be (Icelandic Alþjóðlegt, Þjóðlaga, Áður: no 椃鶇, 溣鶇,
// 草 through Big5-HKSCS or EUC-JP) where the word it stands in is written in
// ordinary case, small letters after a first one, and glues ASCII letters
// to it (text of many such words is a Latin language); or where accented
// Latin letters the layer leaves alone stand around it (á between spaces is
// a lead byte no double-byte text leaves alone: Þú getur … á irc).
bool latin_word_from_double_byte(std::u32string_view line, const cand& c,
                                 const std::vector<std::uint64_t>& cover) {
  const layer& l = *c.layers.front();
  if (!is_single_byte(l.wrong) || truth_is_unicode(l) || is_single_byte(l.truth)) return false;
  if (c.end - c.begin < 2) return false;
  UErrorCode status = U_ZERO_ERROR;
  auto latin_letter = [&](char32_t ch) {
    return u_isalpha(static_cast<UChar32>(ch)) &&
           uscript_getScript(static_cast<UChar32>(ch), &status) == USCRIPT_LATIN;
  };
  // Soft hyphens mark where a word may break (fi­ó­kok): part of it.
  std::size_t letters = 0;
  for (std::size_t i = c.begin; i < c.end; ++i) {
    if (line[i] == U'\u00AD') continue;
    if (!latin_letter(line[i])) return false;
    ++letters;
  }
  if (letters < 2) return false;
  const std::uint64_t bit = 1ull << static_cast<std::size_t>(&l - known_layers().data());
  constexpr std::size_t kCleanAccented = 2, kReach = 32;
  std::size_t clean_accented = 0;
  const around_span a = around(line, c, kReach);
  for (std::size_t i = a.from; i < a.to && clean_accented < kCleanAccented; ++i)
    clean_accented += line[i] >= 0x80 && (cover[i] & bit) == 0 && latin_letter(line[i]);
  if (clean_accented >= kCleanAccented) return U_SUCCESS(status);
  std::size_t from = c.begin, to = c.end;
  auto in_word = [&](char32_t ch) { return ch == U'\u00AD' || latin_letter(ch); };
  while (from > 0 && c.begin - from < kReach && in_word(line[from - 1])) --from;
  while (to < line.size() && to - c.end < kReach && in_word(line[to])) ++to;
  const bool glued_ascii =
      (from < c.begin && line[c.begin - 1] < 0x80) || (to > c.end && line[c.end] < 0x80);
  if (!glued_ascii) return false;
  for (std::size_t i = from + 1; i < to; ++i)
    if (line[i] != U'\u00AD' && !u_islower(static_cast<UChar32>(line[i]))) return false;
  return U_SUCCESS(status);
}

// Legacy double-byte text read as windows-1252 whose every pair ends in a
// no-break space (A0): accented letters before no-break spaces, as French
// and Walloon set them before punctuation and between words (Pa drî å mitan
// is no Pa dr顮鍫mitan); GBK and Big5 put A0 second in few characters, and
// never in all of a span's.
bool pairs_end_in_nbsp(std::u32string_view line, const cand& c) {
  if (truth_is_unicode(*c.layers.front()) || !is_single_byte(c.layers.front()->wrong)) return false;
  std::size_t nbsp = 0;
  for (std::size_t i = c.begin; i < c.end; ++i) nbsp += line[i] == U'\u00A0';
  if (nbsp == 0) return false;
  std::size_t pairs = 0;
  for (const char32_t ch : c.replacement) pairs += ch >= 0x80;
  return nbsp >= pairs;
}

// Mojibake of valid UTF-8 never cuts a sequence: the characters before a
// span, as the wrong single-byte code page's bytes, must end one. A lead
// byte (C2-F4) right before it, or one a few continuation bytes before it
// whose sequence would be longer or shorter, means the text there is no
// UTF-8 (الارتباط، : the ا before ط، is C7 in windows-1256; розмірів… : р і
// are F0 B3 in windows-1251, a sequence the в of в… would cut; נק׳ : ק is
// F7 in windows-1255, a byte no UTF-8 holds).
bool follows_lead_byte(std::u32string_view line, const cand& c) {
  const layer& l = *c.layers.front();
  if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) return false;
  std::uint8_t bytes[4];
  // Nor does a sequence end right before a continuation byte (Рііза: Рі is
  // D0 B3, and the і after it, B3 again, would be a stray).
  if (c.end < line.size() && encode_wrong(l, line[c.end], bytes) == 1 && (bytes[0] & 0xC0) == 0x80)
    return true;
  if (c.begin == 0) return false;
  std::size_t continuations = 0;
  for (std::size_t i = c.begin; i > 0 && continuations <= 3; --i) {
    if (encode_wrong(l, line[i - 1], bytes) != 1) return false;
    const std::uint8_t b = bytes[0];
    if ((b & 0xC0) == 0x80) {
      ++continuations;
      continue;
    }
    // ASCII: a sequence ended there, and continuation bytes after it have
    // no lead (عکس کوچک: ک is 98 in windows-1256).
    if (b < 0x80) return continuations > 0;
    if (b < 0xC2 || b > 0xF4) return true;  // C0, C1, F5-FF are in no UTF-8 (ק is F7)
    return static_cast<std::size_t>(utf8::sequence_length(b)) != continuations + 1;
  }
  // Continuation bytes with no lead before them at the start of the line
  // (کوچک), or more than three in a row.
  return continuations > 0;
}

// Nor does a sequence start right after a span and break off: a letter or
// mark glued to the span's end that the wrong code page makes of a lead byte
// the next characters do not continue (Рўйхат: й is E9 in windows-1251, and
// х after it F5; Сљедећа, Ріо-Гранде, пёстрой through KOI8-R), or of a byte
// no UTF-8 holds (the kasra after وچھ is F6 in windows-1256), stands in a
// word written in Unicode: damage garbles a word whole.
bool precedes_broken_sequence(std::u32string_view line, const cand& c) {
  const layer& l = *c.layers.front();
  if (l.truth != encoding::utf8 || !is_single_byte(l.wrong) || c.end >= line.size()) return false;
  const auto next = static_cast<UChar32>(line[c.end]);
  if (!u_isalpha(next) && (U_GET_GC_MASK(next) & U_GC_M_MASK) == 0) return false;
  std::uint8_t bytes[4];
  if (encode_wrong(l, line[c.end], bytes) != 1) return false;
  const std::uint8_t b = bytes[0];
  if (b < 0xC0) return false;  // ASCII or a continuation (follows_lead_byte)
  if (b < 0xC2 || b > 0xF4) return true;
  const std::size_t length = static_cast<std::size_t>(utf8::sequence_length(b));
  // Text cut off at its end may stop inside a sequence, but not one that the
  // code page's own letters start with three bytes or more (Дель-Ріо: о is
  // EE in windows-1251; UTF-8 Cyrillic read so starts with Р or С).
  UErrorCode status = U_ZERO_ERROR;
  const bool own_letter = own_script(l.wrong) != USCRIPT_INVALID_CODE && u_isalpha(next) &&
                          uscript_getScript(next, &status) == own_script(l.wrong) &&
                          U_SUCCESS(status);
  for (std::size_t k = 1; k < length; ++k) {
    if (c.end + k >= line.size()) return own_letter && length >= 3;
    if (encode_wrong(l, line[c.end + k], bytes) != 1 || (bytes[0] & 0xC0) != 0x80) return true;
  }
  return false;
}

// A letter typed again and again ("ÅÅÅÅ-MM-DD", the year of a Danish or
// Swedish date format) is a pattern someone typed: mojibake of text seldom
// repeats one character (排排 would be ÅÅÅÅ through windows-1252). (A pair
// repeated is met in mojibake: ОњОњ is ΜΜ of a Greek date format.)
// So is a row of one sign ("°°°Gratulacje", "––––––––––" a rule under a
// heading, six soft hyphens): a span that starts with three of one
// character. Mojibake repeats one character only where a double-byte
// character's two bytes are one (ADAD is 限 in Big5), and such a character
// three times over is no text either.
bool one_letter_repeated(std::u32string_view line, const cand& c) {
  if (c.end - c.begin < 3) return false;
  return line[c.begin + 1] == line[c.begin] && line[c.begin + 2] == line[c.begin];
}

// A sample of an alphabet in a font dialog or a keyboard help
// ("AaBbCc…ZzÆæØøÅå", "ÁáÑñ", "æøåÆØÅ", "ABCDEFGHIJKLMNOPQRSŠZŽTUVWÕÄÖÜXY")
// lists letters, not words: a span in a run of four letters or more, each
// with its other case in the run too, or in a word with a run of five ASCII
// letters in the alphabet's order (abcde, AaBbC), is such a list. Mojibake of
// double-byte text makes a letter and its other case as two bytes of one
// character only by chance, and never twice in a row.
bool lists_alphabet(std::u32string_view line, const cand& c) {
  // The letters glued to the span and its own, each with its other case
  // among them.
  constexpr std::size_t kPairedLetters = 4, kReach = 64;
  auto letter = [&](std::size_t k) { return u_isalpha(static_cast<UChar32>(line[k])) != 0; };
  std::size_t from = c.begin, to = c.end;
  if (letter(c.begin))
    while (from > 0 && c.begin - from < kReach && letter(from - 1)) --from;
  if (letter(c.end - 1))
    while (to < line.size() && to - c.end < kReach && letter(to)) ++to;
  // (A space the span reads as a lost A0 is no letter of the list.)
  if (to - from >= kPairedLetters) {
    const auto first = line.begin() + static_cast<std::ptrdiff_t>(from);
    const auto last = line.begin() + static_cast<std::ptrdiff_t>(to);
    bool paired = true;
    std::size_t letters = 0;
    for (std::size_t i = from; i < to && paired; ++i) {
      if (i + 1 == c.end && line[i] == U' ') continue;
      const auto ch = static_cast<UChar32>(line[i]);
      const UChar32 other = u_isupper(ch) ? u_tolower(ch) : u_islower(ch) ? u_toupper(ch) : ch;
      paired = other != ch && std::find(first, last, static_cast<char32_t>(other)) != last;
      ++letters;
    }
    if (paired && letters >= kPairedLetters) return true;
  }
  constexpr std::size_t kRun = 5;
  auto ascii_letter = [](char32_t ch) {
    return ch < 0x80 && (ch | 0x20) >= 'a' && (ch | 0x20) <= 'z';
  };
  auto capital = [](char32_t ch) { return ch >= 'A' && ch <= 'Z'; };
  // In the span's word or the word before it ("ABCDEFGHIJKLMNOPQRSTUVWXYZ
  // ÅÇÉÈÎÔÛ"), not anywhere near: options in a synopsis are sorted too
  // ("-bcdefiklmnpqrstuvxPRT [límite]").
  if (from >= 2 && line[from - 1] == U' ' && letter(from - 2)) {
    --from;
    while (from > 0 && c.begin - from < kReach && letter(from - 1)) --from;
  }
  for (std::size_t i = from; i + kRun <= to; ++i) {
    bool in_order = true, in_pairs = capital(line[i]);
    for (std::size_t k = 1; k < kRun; ++k) {
      const char32_t prev = line[i + k - 1], ch = line[i + k];
      in_order =
          in_order && ascii_letter(ch) && ascii_letter(prev) && (ch | 0x20) == (prev | 0x20) + 1;
      // A capital, its small letter, the next capital, …
      in_pairs = in_pairs && (k % 2 == 1 ? ch == (prev | 0x20)
                                         : capital(ch) && ch == (prev & ~char32_t{0x20}) + 1);
    }
    if (in_order || in_pairs) return true;
  }
  return false;
}

// Text a single-byte code page made holds only that code page's letters: a
// word that also holds a letter of the code page's own script it lacks
// (كېچىپ، : Uyghur ې is no windows-1256 letter) was written in Unicode, and
// the span in it is part of a clean word.
bool word_lacks_code_page_letter(std::u32string_view line, const cand& c) {
  const layer& l = *c.layers.front();
  if (!is_single_byte(l.wrong)) return false;
  const UScriptCode own = own_script(l.wrong);
  if (own == USCRIPT_INVALID_CODE) return false;
  auto in_word = [](char32_t ch) {
    return u_isalpha(static_cast<UChar32>(ch)) ||
           (U_GET_GC_MASK(static_cast<UChar32>(ch)) & (U_GC_M_MASK | U_GC_CF_MASK)) != 0;
  };
  auto lacked = [&](char32_t ch) {
    if (ch < 0x80 || !u_isalpha(static_cast<UChar32>(ch))) return false;
    UErrorCode status = U_ZERO_ERROR;
    if (uscript_getScript(static_cast<UChar32>(ch), &status) != own || U_FAILURE(status))
      return false;
    std::uint8_t bytes[4];
    return encode_wrong(l, ch, bytes) == 0;
  };
  constexpr std::size_t kReach = 32;
  for (std::size_t i = c.begin, n = 0; i > 0 && n < kReach && in_word(line[i - 1]); --i, ++n)
    if (lacked(line[i - 1])) return true;
  for (std::size_t i = c.end, n = 0; i < line.size() && n < kReach && in_word(line[i]); ++i, ++n)
    if (lacked(line[i])) return true;
  return false;
}

// The vowels with a caron of U+01CD-U+01DC (ǎ ǐ ǒ ǔ ǚ ǜ) write pinyin's third
// tone and nothing else: one that a repair puts into a word no pinyin
// syllable ends like (Albanian Ç’lloj read as ǒlloj through windows-1252)
// is a chance decoding. After the toned vowel a syllable holds at most two
// more vowels, n, ng or r.
bool pinyin_tone_outside_syllable(std::u32string_view line, const cand& c) {
  std::size_t at = c.replacement.size();
  for (std::size_t k = 0; k < c.replacement.size() && at == c.replacement.size(); ++k)
    if (c.replacement[k] >= 0x1CD && c.replacement[k] <= 0x1DC) at = k;
  if (at == c.replacement.size()) return false;
  // The letters after it: the rest of the replacement, then the line.
  std::u32string tail(c.replacement.substr(at + 1));
  for (std::size_t i = c.end; i < line.size() && tail.size() < 8; ++i) tail.push_back(line[i]);
  std::size_t letters = 0;
  for (const char32_t ch : tail) {
    if (!u_isalpha(static_cast<UChar32>(ch))) break;
    const char32_t low = static_cast<char32_t>(u_tolower(static_cast<UChar32>(ch)));
    if (std::u32string_view(U"aeiouvngr\u00FC").find(low) == std::u32string_view::npos) return true;
    if (++letters > 3) return true;
  }
  return false;
}

// Repair makes words of one script: a replacement with a word whose letters
// beyond ASCII belong to two alphabets (ʪя from Urdu تھرڈ through
// windows-1256: IPA and Cyrillic) is a chance decoding. Han, kana and
// Hangul count as one, and only alphabets with few letters count at all.
bool mixes_alphabets(const cand& c) {
  UScriptCode word_script = USCRIPT_INVALID_CODE;
  for (const char32_t ch : c.replacement) {
    if (ch < 0x80 || ch >= 0x2E80 || !u_isalpha(static_cast<UChar32>(ch))) {
      if (ch >= 0x80 && (U_GET_GC_MASK(static_cast<UChar32>(ch)) & U_GC_M_MASK) != 0) continue;
      word_script = USCRIPT_INVALID_CODE;  // a word ends
      continue;
    }
    UErrorCode status = U_ZERO_ERROR;
    const UScriptCode sc = uscript_getScript(static_cast<UChar32>(ch), &status);
    if (U_FAILURE(status) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) continue;
    if (word_script != USCRIPT_INVALID_CODE && sc != word_script) return true;
    word_script = sc;
  }
  return false;
}

// Text a single-byte code page made holds only that code page's characters:
// a span glued to a symbol the code page lacks (∞§¶•ªº–≠, a row of a Mac
// keyboard's symbols) was never read through it.
bool glued_to_foreign_symbol(std::u32string_view line, const cand& c) {
  const layer& l = *c.layers.front();
  if (!is_single_byte(l.wrong)) return false;
  // Signs of the alphabets' blocks (math, arrows, dingbats); not letters,
  // C1 controls, CJK punctuation or fullwidth forms, which stand beside
  // damage in lines damaged in part (价格：Â¥128).
  // Nor letters, but those of the code page's own script it lacks (Persian
  // ی is no windows-1256 letter: توزیع‌های was written in Unicode, and ع‌ is
  // no ڝ).
  const UScriptCode own = own_script(l.wrong);
  auto foreign = [&](char32_t ch) {
    if (ch < 0xA0 || ch >= 0x2E80 || u_isspace(static_cast<UChar32>(ch))) return false;
    if (u_isalpha(static_cast<UChar32>(ch))) {
      UErrorCode status = U_ZERO_ERROR;
      if (own == USCRIPT_INVALID_CODE ||
          uscript_getScript(static_cast<UChar32>(ch), &status) != own || U_FAILURE(status))
        return false;
    }
    std::uint8_t bytes[4];
    return encode_wrong(l, ch, bytes) == 0;
  };
  return (c.begin > 0 && foreign(line[c.begin - 1])) ||
         (c.end < line.size() && foreign(line[c.end]));
}

// English names CJK characters on their own ("In Japanese, 猫 means cat.",
// "Kanji: 瞻", "The word 孫 appears twice"), and any double-byte code page
// makes some of them of a Latin-1 letter or sign in UTF-8 (猫 is è read as
// GBK). One CJK character standing as a word, where every CJK character
// around does so, is no damage unless the words around vouch for the
// repair: a one-letter word (à, è, é) in a line that
// writes like a language that has it (messages 脿 un serveur, with an
// accented letter, a word such as un or an ending such as -ato); a sign
// beside a number or after a word of measure (漏 2024, 20 脳 30, cm 卤,
// Copyright 漏); a fraction before a word of measure (陆 cup); guillemets in
// such a line (芦 root 禄).
bool names_cjk_character(std::u32string_view line, const cand& c) {
  if (c.end - c.begin != 1 || line[c.begin] < 0x2E80 || !stands_alone(line, c.begin, c.end))
    return false;
  const std::u32string_view r = c.replacement;
  if (r.size() != 1 || r.front() >= 0x2E80) return false;
  // The characters around, not the whole line: lines of any length read
  // alike (a long one holds many sentences).
  const around_span a = around(line, c, 32);
  for (std::size_t i = a.from; i < a.to; ++i)
    if (line[i] >= 0x2E80 && !stands_alone(line, i, i + 1)) return false;
  const char32_t ch = r.front();
  if (alphabet_letter(ch)) return !(one_letter_word(ch) && writes_romance(line, c.begin, c.end));
  const std::u32string_view before = word_beside(line, c.begin, c.end, -1);
  const std::u32string_view after = word_beside(line, c.begin, c.end, +1);
  if (is_number(before) || is_number(after) || measure_word(before)) return false;
  if (ch == U'\u00A9' && (before == U"Copyright" || before == U"copyright")) return false;
  // Guillemets quote words in French and the other Romance languages.
  if ((ch == U'\u00AB' || ch == U'\u00BB') && writes_romance(line, c.begin, c.end)) return false;
  const bool fraction = ch == U'\u00BC' || ch == U'\u00BD' || ch == U'\u00BE';
  return !(fraction && measure_word(after));
}

// A box-drawing character with no other within reach (line art is drawn
// with many; the reach keeps huge lines linear).
bool lone_box_drawing(std::u32string_view line, std::size_t at) {
  constexpr std::size_t kReach = 64;
  const scorer& sc = scorer::get();
  if (sc.classify(line[at]) != char_class::box_drawing) return false;
  const std::size_t to = std::min(line.size(), at + kReach);
  for (std::size_t i = at > kReach ? at - kReach : 0; i < to; ++i)
    if (i != at && line[i] >= 0x2500 && sc.classify(line[i]) == char_class::box_drawing)
      return false;
  return true;
}

// Two characters standing alone as a word ("Āø on", "¬´", "HUHLL Õ…") are
// as often symbols someone typed as UTF-8 read in another code page; one
// symbol or foreign letter made from them is too little evidence. A Latin
// letter alone is a word in many languages (Italian è, French à), and inside
// words (wei√ü, NicolÃ¡s) or from three bytes and more (â€“ for –) the
// evidence is enough.
bool lone_token_from_two(std::u32string_view line, const cand& c,
                         const std::vector<std::size_t>& found_per_layer) {
  if (c.replacement.size() != 1 || c.end - c.begin > 2) return false;
  if (!is_single_byte(c.layers.front()->wrong)) return false;
  const bool letter = scorer::get().classify(c.replacement.front()) == char_class::latin_letter;
  if (letter && one_letter_word(c.replacement.front())) return false;
  // "Â©", "Â°": a Latin-1 sign after the lead byte C2, read in one of the
  // everyday code pages, is the most common mojibake of all.
  const char32_t r = c.replacement.front();
  if (c.layers.front()->prior == 0 && r >= 0xA0 && r <= 0xBF) return false;
  // Line art joins box-drawing characters to each other; one glued to a
  // sign of another kind, with no other box drawing around, is the lead
  // byte of UTF-8 in cp437 (┬⌐ is ©).
  if (latin1_sign(c) && lone_box_drawing(line, c.begin)) return false;
  // The same sign after what byte C2 shows in a code page that keeps the
  // Latin-1 signs in their places ("Β©" in windows-1253, "Ā©" in
  // windows-1257, "¬©" in Mac Roman): the repair only drops the lead byte.
  if (r >= 0xA0 && r <= 0xBF && c.end - c.begin == 2 && c.replacement.front() == line[c.begin + 1])
    return false;
  // Where the same layer finds damage elsewhere in the line too (the Russian
  // word с, a closing » among other Cyrillic repairs), the line is damaged
  // and the lone word with it.
  if (found_per_layer[static_cast<std::size_t>(c.layers.front() - known_layers().data())] > 1)
    return false;
  return stands_alone(line, c.begin, c.end) || (!letter && no_word_around(line, c.begin, c.end));
}

// A short span at the start of a word that ends in an apostrophe followed by
// a final s: the plural of a cited token ("Ã’s", "Â's").
bool cited_token(std::u32string_view line, const repair_change& c) {
  if (c.end - c.begin > 3 || c.end - c.begin < 2) return false;
  if (c.begin > 0 && !word_break(line[c.begin - 1])) return false;
  const char32_t apostrophe = line[c.end - 1];
  if (apostrophe != U'\'' && apostrophe != U'\u2019') return false;
  return c.end < line.size() && line[c.end] == U's' &&
         (c.end + 1 == line.size() || word_break(line[c.end + 1]));
}

// Whether the planned changes would rewrite mojibake that the line quotes on
// purpose. Such a line talks about encodings, and the repaired word already
// stands elsewhere in it ("cafÃ© instead of café"), or it holds letters that
// the damage would have garbled too, or it quotes the span alone.
bool discusses_mojibake(std::u32string_view line, const std::vector<repair_change>& changes,
                        const repair_settings& s) {
  if (!mentions_encodings(line)) {
    // A window talks about what its whole line talks about.
    if (s.cut_from.empty() || !mentions_encodings(utf8::decode(s.cut_from))) return false;
  }
  const scorer& sc = scorer::get();
  // Talk about mojibake explains its examples in words, or lays them out
  // in a label or a table ("GBK: 鎴戞槸"). A line that starts and ends with
  // damage and holds nothing else but spaces and the names of encodings
  // ("ä½æē”Ø LATIN1 ē·Øē¢¼ę–¹å¼¸" is 使用 LATIN1 編碼方式) is damaged text
  // that names one.
  {
    const std::size_t first = line.find_first_not_of(U' ');
    const std::size_t last = line.find_last_not_of(U' ');
    if (!changes.empty() && first != std::u32string_view::npos && changes.front().begin <= first &&
        changes.back().end > last) {
      std::u32string outside(line);
      for (const repair_change& c : changes)
        std::fill(outside.begin() + static_cast<std::ptrdiff_t>(c.begin),
                  outside.begin() + static_cast<std::ptrdiff_t>(c.end), U' ');
      if (names_encodings_only(outside)) return false;
    }
  }
  // The twin check looks at the first few changes only: discussion quotes a
  // handful of examples, and a long damaged line must stay linear.
  for (std::size_t n = 0; n < changes.size() && n < 16; ++n) {
    const repair_change& c = changes[n];
    std::size_t b = c.begin, e = c.end;
    while (b > 0 && !word_break(line[b - 1])) --b;
    while (e < line.size() && !word_break(line[e])) ++e;
    std::u32string word(line.substr(b, c.begin - b));
    word += c.after;
    word += line.substr(c.end, e - c.end);
    // Elsewhere in the line: the damaged word itself may hold the repaired
    // one ("Âµs" holds "µs").
    if (word.size() < 2) continue;
    for (std::size_t at = line.find(word); at != std::u32string_view::npos;
         at = line.find(word, at + 1))
      if (at + word.size() <= b || at >= e) return true;
  }
  // Text about mojibake quotes a few examples; a line with many changes is
  // damaged as a whole, whatever it talks about (a clean clause beside a
  // damaged one: "PID indiqué (… caract猫res pass茅 脿 less").
  if (changes.size() > 3) return false;
  // An example is a word or two; a repair that gives back a clause (eight
  // characters or more: "を参照してください。") is damage, whatever clean
  // letters stand beside it, unless it is set in quotation marks.
  constexpr std::size_t kClause = 8;
  const bool clause = std::any_of(changes.begin(), changes.end(),
                                  [](const repair_change& c) { return c.after.size() >= kClause; });
  std::size_t k = 0;
  for (std::size_t i = 0; !clause && i < line.size(); ++i) {
    while (k < changes.size() && changes[k].end <= i) ++k;
    if (k < changes.size() && changes[k].begin <= i) continue;
    if (line[i] >= 0x80 && is_letter_class(sc.classify(line[i]))) return true;
  }
  // One short example cited as a token, its plural marked by an apostrophe
  // ("a lot of Ã’s in mojibake text"), is a quotation. A short change inside
  // a word of a line that merely names an encoding (invoqu├⌐ … l'UTF-8,
  // "encoded in microseconds (Âµs)") is damage like any other.
  if (changes.size() == 1 && cited_token(line, changes.front())) return true;
  for (const repair_change& c : changes) {
    if ((!clause && stands_alone(line, c.begin, c.end)) || inside_quotation(line, c.begin, c.end))
      return true;
  }
  return false;
}

}  // namespace

std::vector<repair_change> plan_pass(std::u32string_view line, const repair_settings& s) {
  const scorer& sc = scorer::get();
  thread_local pass_scratch ps;
  ps.pool.clear();
  ps.spans.clear();
  ps.span_layer.clear();
  ps.kept.clear();
  ps.encodings.reset();
  if (ps.inner.size() < kMaxChain + 1) ps.inner.resize(kMaxChain + 1);
  const std::uint64_t worth_trying = plausible_layers(line);
  const auto layers = known_layers();
  // The first layer whose spans change every non-ASCII character of the
  // line (every span starts at one, so any other span overlaps its).
  const std::size_t line_non_ascii = non_ascii(line);
  const layer* explaining = nullptr;
  for (std::size_t k = 0; k < layers.size(); ++k) {
    if (!((worth_trying >> k) & 1)) continue;
    const std::size_t first = ps.spans.size();
    find_spans(layers[k], line, ps.pool, ps.spans, ps.encodings);
    ps.span_layer.resize(ps.spans.size(), &layers[k]);
    // A layer found in the rest of the line goes first whatever the
    // evidence (see dominant below): only that one can settle the line.
    if (explaining == nullptr && line_non_ascii > 0 && s.base_margin >= 0 &&
        (s.found_layer == nullptr || s.found_layer == &layers[k])) {
      std::size_t changed = 0;
      for (std::size_t i = first; i < ps.spans.size(); ++i)
        changed += non_ascii(line.substr(ps.spans[i].begin, ps.spans[i].end - ps.spans[i].begin));
      if (changed == line_non_ascii) explaining = &layers[k];
    }
  }
  if (ps.spans.empty()) return {};
  std::vector<cand> found(ps.spans.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    const span_candidate& sp = ps.spans[i];
    found[i].begin = sp.begin;
    found[i].end = sp.end;
    found[i].replacement = std::u32string_view(ps.pool).substr(sp.offset, sp.length);
    found[i].layers.push_back(ps.span_layer[i]);
  }

  // Characters some candidate would change (cover[i] != 0): only the others
  // count as clean.
  std::vector<std::uint64_t>& cover = ps.cover;
  cover.assign(line.size(), 0);
  for (const cand& c : found) {
    const std::uint64_t bit = 1ull << static_cast<std::size_t>(c.layers.front() - layers.data());
    for (std::size_t i = c.begin; i < c.end; ++i) cover[i] |= bit;
  }
  std::u32string clean_pairables;  // brackets and quotes no candidate touches
  for (std::size_t i = 0; i < line.size(); ++i)
    if (cover[i] == 0 && partner(line[i]) != 0 &&
        clean_pairables.find(line[i]) == std::u32string::npos)
      clean_pairables.push_back(line[i]);

  std::vector<std::size_t> found_per_layer(layers.size(), 0);
  for (const cand& c : found)
    ++found_per_layer[static_cast<std::size_t>(c.layers.front() - layers.data())];
  // The scripts of the line's letters, and per layer the candidates that
  // are not a lone letter made of CJK: asked only for a candidate that
  // would win as such a letter, so worked out on first use.
  std::uint64_t scripts = 0;
  bool scripts_known = false;
  auto line_scripts = [&] {
    if (!scripts_known) {
      for (const char32_t ch : line) {
        if (ch < 0x80) {
          if ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z')
            scripts |= 1ull << static_cast<unsigned>(char_class::latin_letter);
          continue;
        }
        const char_class cls = sc.classify(ch);
        if (!is_cjk(cls) && is_letter_class(cls)) scripts |= 1ull << static_cast<unsigned>(cls);
      }
      scripts_known = true;
    }
    return scripts;
  };
  constexpr std::size_t kNotCounted = ~std::size_t{0};
  std::vector<std::size_t> other_damage_per_layer(layers.size(), kNotCounted);
  auto other_damage = [&](const layer* l) {
    std::size_t& n = other_damage_per_layer[static_cast<std::size_t>(l - layers.data())];
    if (n == kNotCounted) {
      n = 0;
      for (const cand& c : found)
        if (c.layers.front() == l && !lone_letter_from_cjk(line, c, line_scripts)) ++n;
    }
    return n;
  };

  // The cost of a span of the line, as scorer::cost(span, before, after)
  // gives it, from running sums of the line's transition costs: every
  // candidate's cost before is a subtraction.
  ps.letters.reset(line);
  sc.transition_costs(line, ps.costs);
  ps.results.reset(line.size());
  ps.counts.reset(line, cover);
  auto result_of = [&](const cand& c) -> span_results::entry& {
    span_results::entry& e = ps.results.at(c.begin, c.end, c.replacement);
    if (!e.costed) {
      e.cost = sc.cost(c.replacement, c.begin > 0 ? line[c.begin - 1] : 0,
                       c.end < line.size() ? line[c.end] : 0);
      e.costed = true;
    }
    return e;
  };
  auto plausible_under = [&](span_results::entry& e) {
    if (!e.plausible_known) {
      e.plausible = plausible_layers(e.replacement);
      e.plausible_known = true;
    }
    return e.plausible;
  };
  // (An entry's span starts at one place: the character before is known.)
  auto non_text = [&](span_results::entry& e, std::size_t begin) {
    if (!e.non_text_known) {
      e.non_text = holds_non_text(e.replacement, begin > 0 ? line[begin - 1] : 0);
      e.non_text_known = true;
    }
    return e.non_text;
  };
  ps.prefix.resize(line.size() + 1);
  ps.prefix[0] = 0;
  for (std::size_t i = 0; i < line.size(); ++i) ps.prefix[i + 1] = ps.prefix[i] + ps.costs[i];
  auto cost_of_span = [&](std::size_t b, std::size_t e) {
    std::uint32_t total;
    if (b > 0 && line[b - 1] == 0) {  // a NUL before is no context: the start of text
      total = sc.transition_cost(0, line[b]) +
              static_cast<std::uint32_t>(ps.prefix[e] - ps.prefix[b + 1]);
    } else {
      total = static_cast<std::uint32_t>(ps.prefix[e] - ps.prefix[b]);
    }
    if (e < line.size() && line[e] != 0) total += ps.costs[e];
    return scorer::bits(total);
  };

  // Whether the candidate of layer l over character at leaves the text no
  // cheaper: the model takes that neighbour for clean text.
  // found holds each layer's spans together, in the order of
  // known_layers(), each layer's by position: a binary search finds it.
  auto neighbour_losing = [&](std::size_t at, const layer* l) {
    const auto it = std::partition_point(found.begin(), found.end(), [&](const cand& o) {
      return o.layers.front() < l || (o.layers.front() == l && o.end <= at);
    });
    if (it == found.end() || it->layers.front() != l || it->begin > at) return false;
    const cand& o = *it;
    return !(cost_of_span(o.begin, o.end) > result_of(o).cost);
  };

  // The margin a Latin-1 sign from a lone CJK character (sign_from_lone_cjk)
  // or a letter and a sign inside a word (sign_pair_inside_word) need not
  // win by: all but the layer's prior.
  auto lone_sign_credit = [&](const cand& c) {
    return sign_from_lone_cjk(line, c) || sign_pair_inside_word(line, c)
               ? s.base_margin + s.margin_per_char * static_cast<float>(c.end - c.begin)
               : 0.0f;
  };

  // The checks and the score of one candidate: false when a check rejects it.
  auto judge = [&](const cand& c, bool held_back, scored& x, float& margin) {
    const std::size_t by_layer =
        found_per_layer[static_cast<std::size_t>(c.layers.front() - layers.data())];
    if ((!held_back && !plausible(c)) || breaks_pairing(c, clean_pairables) ||
        lone_cjk_in_cjk(line, c, cover, ps.counts) || only_halfwidth_kana(c) ||
        kana_among_kana(line, c, cover) || sign_after_capitals(line, c, by_layer, ps.letters) ||
        foreign_to_code_page(line, c, by_layer) ||
        (!s.word_alone && lone_token_from_two(line, c, found_per_layer)) ||
        names_cjk_character(line, c) || glued_to_foreign_symbol(line, c) ||
        capitals_before_space(line, c, by_layer, cover) || one_letter_repeated(line, c) ||
        word_into_foreign_script(line, c, cover) ||
        double_byte_read_in_clean_cjk(line, c, by_layer, cover) || follows_lead_byte(line, c) ||
        eats_pair_half(line, c, cover) || latin_word_from_double_byte(line, c, cover) ||
        precedes_broken_sequence(line, c) || lists_alphabet(line, c) ||
        word_lacks_code_page_letter(line, c) || mixes_alphabets(c) ||
        pinyin_tone_outside_syllable(line, c) || pairs_end_in_nbsp(line, c))
      return false;
    x = scored{c, 0, 0};
    x.cost_before = cost_of_span(x.c.begin, x.c.end);
    x.cost_after = result_of(c).cost;
    margin = s.base_margin + x.c.layers.front()->prior +
             s.margin_per_char * static_cast<float>(x.c.end - x.c.begin) +
             (in_capitals(line, x.c, ps.letters) ? kCapitalsMargin * s.base_margin / 3.0f : 0.0f) -
             lone_sign_credit(x.c);
    // Asked only where it can matter: a candidate that does not win by the
    // margin as it is loses anyway.
    if (x.gain() > margin)
      margin +=
          s.base_margin * static_cast<float>(clean_cjk_sides(line, x.c, cover, [&](std::size_t at) {
            return neighbour_losing(at, x.c.layers.front());
          }));
    return true;
  };

  // deepen, worked out once per span and replacement: only the first layer
  // differs between candidates sharing r, and deepen asks it nothing but
  // whether its truth is Unicode. x.cost_after is the chain's cost so far.
  const int layers_left = std::min(s.max_layers, kMaxChain) - 1;
  auto deepen_once = [&](scored& x, span_results::entry& r) {
    if (!truth_is_unicode(*x.c.layers.front())) return;
    if (!r.deepened) {
      const char32_t before = x.c.begin > 0 ? line[x.c.begin - 1] : 0;
      const char32_t after = x.c.end < line.size() ? line[x.c.end] : 0;
      deepen(x, before, after, layers_left, ps, plausible_under(r));
      r.under = chain{};
      for (std::size_t k = 1; k < x.c.layers.size(); ++k) r.under.push_back(x.c.layers.l[k]);
      r.deep_text = x.c.replacement;
      r.deep_cost = x.cost_after;
      r.deepened = true;
    } else {
      for (std::size_t k = 0; k < r.under.size(); ++k) x.c.layers.push_back(r.under.l[k]);
      x.c.replacement = r.deep_text;
      x.cost_after = r.deep_cost;
    }
  };

  std::vector<scored> good, weak;
  // Weak candidates only join a layer taken on stronger evidence, so they
  // are judged once the taken layers are known.
  std::vector<const cand*> held;
  // Lost-NBSP readings and Latin-1 signs (see latin1_sign) the model
  // prefers by less than the margin, for a second look once the taken
  // layers are known.
  std::vector<scored> nbsp_held;
  // Small letters in words of capitals (see breaks_capitals), for a line
  // that the same layer damaged elsewhere too.
  std::vector<scored> capitals_held;
  // Short spans the model prefers by less than the margin, for a line that
  // the same layer damaged in several other places (see below).
  std::vector<scored> near_held;
  constexpr std::size_t kNearEvidenceChars = 5;
  // Not in lines that show lossy damage (U+FFFD, '?' glued to non-ASCII
  // text): there a short span may be what is left of a character the
  // decoder lost, and lossy recovery reads it.
  // Asked only where a short span or weak spans might need it.
  int lossy_known = -1;
  auto lossy_line = [&] {
    if (lossy_known < 0) lossy_known = may_be_lossy(line) ? 1 : 0;
    return lossy_known == 1;
  };
  auto hold_near = [&](const scored& x, float margin) {
    if (!(x.gain() > margin) && x.gain() > x.c.layers.front()->prior && x.c.end - x.c.begin <= 2 &&
        !lossy_line() &&
        !holds_non_text(x.c.replacement, x.c.begin > 0 ? line[x.c.begin - 1] : 0) &&
        !breaks_capitals(line, x.c))
      near_held.push_back(x);
  };
  auto consider = [&](const cand& c) {
    if (is_weak(c)) {
      held.push_back(&c);
      return;
    }
    // A candidate that cannot win the least margin it could get, even with
    // the cheapest chain deepen could find (none where no layer is plausible
    // under its replacement), that reads no lost A0 nor Latin-1 sign, and
    // that is no short span the model prefers by its layer's prior (see
    // hold_near), is lost whatever the checks say.
    if (s.base_margin >= 0 && !reads_lost_nbsp(line, c) && !latin1_sign(c)) {
      const float cost_before = cost_of_span(c.begin, c.end);
      const float least_margin = s.base_margin + c.layers.front()->prior +
                                 s.margin_per_char * static_cast<float>(c.end - c.begin) -
                                 lone_sign_credit(c);
      const bool may_be_near = c.end - c.begin <= 2 && !lossy_line();
      const float least_needed =
          may_be_near ? std::min(least_margin, c.layers.front()->prior) : least_margin;
      const bool may_deepen = truth_is_unicode(*c.layers.front()) && layers_left > 0;
      // Where no deeper chain can help, the replacement is scored only as
      // far as it takes to lose: no cost after is below a prefix's.
      // (Quarter-bit sums of texts below a million characters cannot wrap.)
      if (!may_deepen && c.replacement.size() < 1'000'000 &&
          !ps.results.at(c.begin, c.end, c.replacement).costed) {
        scorer::walk w = sc.walk_start(c.begin > 0 ? line[c.begin - 1] : 0);
        for (const char32_t ch : c.replacement) {
          sc.walk_step(w, ch);
          if (!(cost_before - scorer::bits(w.total) > least_needed)) return;
        }
      }
      span_results::entry& r = result_of(c);
      float least_after = r.cost;
      if (may_deepen) {
        if (r.deepened)
          least_after = r.deep_cost;
        else if (plausible_under(r) != 0)
          least_after = std::min(least_after, kExtraLayerCost);
      }
      if (!(cost_before - least_after > least_margin) &&
          !(may_be_near && cost_before - r.cost > c.layers.front()->prior))
        return;
    }
    scored x;
    float margin;
    if (!judge(c, false, x, margin)) return;
    span_results::entry& r = result_of(c);
    if (!(x.gain() > margin) && (reads_lost_nbsp(line, x.c) || latin1_sign(x.c))) {
      if (x.gain() > 0 && !non_text(r, x.c.begin) && !breaks_capitals(line, x.c))
        nbsp_held.push_back(x);
      return;
    }
    hold_near(x, margin);
    // A first layer that leaves controls may still lead somewhere deeper.
    if (non_text(r, x.c.begin)) x.cost_after = std::numeric_limits<float>::infinity();
    // Deeper chains cost kExtraLayerCost a layer at least: where neither
    // this layer nor the cheapest deeper chain could win by the margin, the
    // span is lost whatever deepen finds.
    if (!(x.gain() > margin) &&
        !(x.cost_before - kExtraLayerCost * static_cast<float>(x.c.layers.size()) > margin))
      return;
    deepen_once(x, r);
    // Judged on the whole chain: a first layer may leave a lone letter that
    // a deeper one joins to a word (甯給 → 帽o → ño).
    if (x.gain() > margin &&
        !(lone_letter_from_cjk(line, x.c, line_scripts) && other_damage(x.c.layers.front()) == 0))
      (breaks_capitals(line, x.c) ? capitals_held : good).push_back(x);
  };
  // Where the explaining layer's candidates all win, they are taken first
  // if that layer has the most evidence, and every other candidate overlaps
  // one of them: the others matter only if their layer could have more
  // evidence. So that layer is judged first. Each other candidate's gain is
  // bounded from above without the checks, and its margin from below; the
  // bounds, summed in the order the evidence would be, must not reach the
  // explaining layer's (a layer before it wins a tie). Otherwise the other
  // candidates are judged too, and every list is put back in the order of
  // found, so the plan is the one judging them all in that order gives.
  bool settles = false;
  constexpr float kOrderRounding = 1.0f / (1 << 21);
  if (explaining != nullptr) {
    for (const cand& c : found)
      if (c.layers.front() == explaining) consider(c);
    std::size_t repaired = 0;
    float evidence_of_explaining = 0;
    // Summed as the evidence below is: its prior counts once.
    for (const scored& g : good) {
      repaired += non_ascii(line.substr(g.c.begin, g.c.end - g.c.begin));
      evidence_of_explaining =
          &g == good.data() ? g.gain() - explaining->prior : evidence_of_explaining + g.gain();
    }
    settles = repaired == line_non_ascii;
    // An upper bound of a candidate's gain, or 0 where it cannot win even
    // the least margin it could get, asking more the higher the level: 0,
    // the cost before alone (no cost after is below 0); 1, the cost of the
    // replacement (a deeper chain costs kExtraLayerCost at least); 2, deepen.
    auto gain_bound = [&](const cand& c, int level) {
      const float cost_before = cost_of_span(c.begin, c.end);
      const float least_margin = s.base_margin + c.layers.front()->prior +
                                 s.margin_per_char * static_cast<float>(c.end - c.begin) -
                                 lone_sign_credit(c);
      if (!(cost_before > least_margin)) return 0.0f;
      if (level == 0) return cost_before;
      span_results::entry& r = result_of(c);
      float least_after = r.cost;
      if (truth_is_unicode(*c.layers.front()) && layers_left > 0) {
        if (!r.deepened && level == 2 &&
            cost_before - std::min(r.cost, kExtraLayerCost) > least_margin) {
          scored x{c, cost_before,
                   non_text(r, c.begin) ? std::numeric_limits<float>::infinity() : r.cost};
          deepen_once(x, r);
        }
        least_after = std::min(least_after, r.deepened ? r.deep_cost : kExtraLayerCost);
      }
      const float gain = cost_before - least_after;
      return gain > least_margin ? gain : 0.0f;
    };
    // A layer found in the rest of the line goes first in any case.
    for (std::size_t i = 0; i < found.size() && settles && s.found_layer == nullptr;) {
      const layer* l = found[i].layers.front();
      std::size_t j = i;
      while (j < found.size() && found[j].layers.front() == l) ++j;
      if (l != explaining) {
        // Summed as the evidence would be (less the prior, then in the
        // order of found): float sums grow with their terms, so the bound
        // holds exactly, ties included. Only a small letter in capitals
        // (capitals_held, added last) changes that order; where one may
        // be, the bound must stay below by more than any order's rounding.
        // Only a candidate with a bound above 0 can win, so only such
        // a one can be a small letter in capitals.
        auto below = [&](int level) {
          float bound = -l->prior;
          std::size_t terms = 0;
          for (std::size_t k = i; k < j; ++k) {
            if (is_weak(found[k])) continue;
            const float b = gain_bound(found[k], level);
            if (b > 0) bound += b, ++terms;
          }
          if (terms == 0) return true;  // no evidence at all
          if (!(l < explaining ? bound < evidence_of_explaining : bound <= evidence_of_explaining))
            return false;
          const float slack =
              kOrderRounding * static_cast<float>(terms + 2) *
              (std::abs(bound) + 2 * l->prior + std::abs(evidence_of_explaining) + 1);
          if (bound + slack < evidence_of_explaining) return true;
          for (std::size_t k = i; k < j; ++k)
            if (!is_weak(found[k]) && gain_bound(found[k], level) > 0 &&
                in_word_of_capitals(line, found[k].begin, found[k].end))
              return false;
          return true;
        };
        settles = below(0) || below(1) || below(2);
      }
      i = j;
    }
    if (!settles) {
      const std::size_t first_good = good.size(), first_held = held.size(),
                        first_nbsp = nbsp_held.size(), first_capitals = capitals_held.size(),
                        first_near = near_held.size();
      std::size_t good_at = 0, held_at = 0, nbsp_at = 0, capitals_at = 0, near_at = 0;
      bool passed = false;
      for (const cand& c : found) {
        if (c.layers.front() == explaining) {
          if (!passed) {
            good_at = good.size();
            held_at = held.size();
            nbsp_at = nbsp_held.size();
            capitals_at = capitals_held.size();
            near_at = near_held.size();
            passed = true;
          }
          continue;
        }
        consider(c);
      }
      std::rotate(good.begin(), good.begin() + static_cast<std::ptrdiff_t>(first_good),
                  good.begin() + static_cast<std::ptrdiff_t>(good_at));
      std::rotate(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(first_held),
                  held.begin() + static_cast<std::ptrdiff_t>(held_at));
      std::rotate(nbsp_held.begin(), nbsp_held.begin() + static_cast<std::ptrdiff_t>(first_nbsp),
                  nbsp_held.begin() + static_cast<std::ptrdiff_t>(nbsp_at));
      std::rotate(capitals_held.begin(),
                  capitals_held.begin() + static_cast<std::ptrdiff_t>(first_capitals),
                  capitals_held.begin() + static_cast<std::ptrdiff_t>(capitals_at));
      std::rotate(near_held.begin(), near_held.begin() + static_cast<std::ptrdiff_t>(first_near),
                  near_held.begin() + static_cast<std::ptrdiff_t>(near_at));
    }
  } else {
    for (const cand& c : found) consider(c);
  }
  // A small ending after capitals is damage where the same layer repairs
  // two other words of the line: Czech writes endings in small letters after
  // a word in capitals (SOUBORů among všech, zadaných). Leetspeak in capitals
  // (MÄ£ÄM) has no such words.
  if (!capitals_held.empty()) {
    std::vector<std::size_t> good_per_layer(layers.size(), 0);
    for (const scored& g : good)
      ++good_per_layer[static_cast<std::size_t>(g.c.layers.front() - layers.data())];
    for (const scored& x : capitals_held)
      if (good_per_layer[static_cast<std::size_t>(x.c.layers.front() - layers.data())] >= 2)
        good.push_back(x);
  }
  const layer* line_layer = s.found_layer;
  // Spaced-out CJK text read as windows-1252 ("§R °£ ©Ò ¦³" for 刪 除 所 有)
  // holds only weak spans, one double-byte character each: too little
  // alone, but three or more of one layer that each win by the margin are
  // evidence for one another (not where lossy damage shows: there they may
  // be what is left around lost bytes).
  constexpr std::size_t kWeakSpansAsEvidence = 3;
  if (good.empty() && line_layer == nullptr && held.size() >= kWeakSpansAsEvidence &&
      !lossy_line()) {
    std::vector<std::size_t> winning(layers.size(), 0);
    for (const cand* c : held) {
      // Two Latin-1 characters making one CJK character is a shape of its
      // own; one Han read as another (Big5 and GBK) is no evidence at all.
      if (!is_single_byte(c->layers.front()->wrong)) continue;
      scored x;
      float margin;
      if (judge(*c, true, x, margin) && x.gain() > margin &&
          !holds_non_text(x.c.replacement, x.c.begin > 0 ? line[x.c.begin - 1] : 0))
        ++winning[static_cast<std::size_t>(c->layers.front() - layers.data())];
    }
    const auto best = std::max_element(winning.begin(), winning.end());
    if (*best >= kWeakSpansAsEvidence)
      line_layer = &layers[static_cast<std::size_t>(best - winning.begin())];
  }
  if (good.empty() && line_layer == nullptr) return {};

  // One line is usually damaged one way: the layer with the most evidence
  // goes first where candidates of different layers overlap. A layer's
  // evidence is the gain of its spans less its prior, taken once for the
  // line, so a rarely met code page that explains the same spans as a
  // common one does not win on a fraction of a bit (ÂĽ is ¼ in
  // windows-1250, ¥ in ISO 8859-2).
  std::vector<std::pair<const layer*, float>> evidence;
  for (const scored& g : good) {
    const layer* l = g.c.layers.front();
    auto it =
        std::find_if(evidence.begin(), evidence.end(), [&](const auto& e) { return e.first == l; });
    if (it == evidence.end())
      evidence.emplace_back(l, g.gain() - l->prior);
    else
      it->second += g.gain();
  }
  // A layer found in the rest of the line (see repair_settings) goes first.
  const layer* dominant =
      line_layer != nullptr || evidence.empty()
          ? line_layer
          : std::max_element(evidence.begin(), evidence.end(), [](const auto& a, const auto& b) {
              return a.second < b.second;
            })->first;
  // Sorted as keys, not as candidates: the order by_priority gives.
  struct order_key {
    bool dominant;
    float gain;
    std::uint32_t at;
  };
  auto sorted = [&](const std::vector<scored>& v) {
    std::vector<order_key> keys(v.size());
    for (std::size_t i = 0; i < v.size(); ++i)
      keys[i] = {v[i].c.layers.front() == dominant, v[i].gain(), static_cast<std::uint32_t>(i)};
    std::stable_sort(keys.begin(), keys.end(), [](const order_key& a, const order_key& b) {
      if (a.dominant != b.dominant) return a.dominant;
      return a.gain > b.gain;
    });
    return keys;
  };
  std::vector<repair_change> chosen;
  std::vector<bool> taken(line.size(), false);
  auto take = [&](scored& x) {
    for (std::size_t i = x.c.begin; i < x.c.end; ++i)
      if (taken[i]) return;
    for (std::size_t i = x.c.begin; i < x.c.end; ++i) taken[i] = true;
    repair_change ch;
    ch.begin = x.c.begin;
    ch.end = x.c.end;
    ch.before = std::u32string(line.substr(x.c.begin, x.c.end - x.c.begin));
    ch.after = std::u32string(x.c.replacement);
    ch.layers.assign(x.c.layers.l.begin(),
                     x.c.layers.l.begin() + static_cast<std::ptrdiff_t>(x.c.layers.size()));
    ch.cost_before = x.cost_before;
    ch.cost_after = x.cost_after;
    chosen.push_back(std::move(ch));
  };
  // Weak spans of the dominant layer compete with the other layers' spans:
  // that layer is taken whatever happens (its best span goes first), and a
  // line is damaged one way ("»õ" is 새 among Korean words, not ț of Mac
  // Roman; "Îª" is 为 among Chinese words, not צ).
  if (dominant != nullptr) {
    for (const cand*& c : held) {
      if (c->layers.front() != dominant) continue;
      const cand* held_c = c;
      scored x;
      float margin;
      c = nullptr;
      if (!judge(*held_c, true, x, margin)) continue;
      if (x.gain() > margin &&
          !holds_non_text(x.c.replacement, x.c.begin > 0 ? line[x.c.begin - 1] : 0))
        good.push_back(x);
      else
        hold_near(x, margin);
    }
  }
  for (const order_key& k : sorted(good)) take(good[k.at]);
  // Weak candidates join when their layer was taken on stronger evidence.
  std::vector<const layer*> taken_layers;
  if (line_layer != nullptr) taken_layers.push_back(line_layer);
  for (const repair_change& c : chosen)
    if (std::find(taken_layers.begin(), taken_layers.end(), c.layers.front()) == taken_layers.end())
      taken_layers.push_back(c.layers.front());
  // Legacy code pages that share most of their table (Big5 and Big5-HKSCS)
  // read most bytes alike: a layer to legacy text whose candidates give the
  // same text on every span a taken layer repaired alone was found on that
  // evidence too, and its weak spans join where only its table fits (む is
  // 其 in plain Big5 among words that GBK read as either Big5 repaired),
  // except in lines that show lossy damage, where a weak span may be what is
  // left of a lost character. Returns the taken layer l stands for, or null.
  // Worked out once per layer, on first use.
  std::vector<const layer*> stand_in(layers.size(), nullptr);
  std::vector<bool> stand_in_known(layers.size(), false);
  auto taken_as = [&](const layer* l) -> const layer* {
    if (std::find(taken_layers.begin(), taken_layers.end(), l) != taken_layers.end()) return l;
    const std::size_t li = static_cast<std::size_t>(l - layers.data());
    if (stand_in_known[li]) return stand_in[li];
    stand_in_known[li] = true;
    if (truth_is_unicode(*l) || lossy_line()) return nullptr;
    for (const layer* t : taken_layers) {
      std::size_t same = 0;
      bool all = true;
      for (const repair_change& c : chosen) {
        if (c.layers.front() != t) continue;
        const auto it = std::partition_point(found.begin(), found.end(), [&](const cand& o) {
          return o.layers.front() < l || (o.layers.front() == l && o.begin < c.begin);
        });
        if (c.layers.size() != 1 || it == found.end() || it->layers.front() != l ||
            it->begin != c.begin || it->end != c.end || it->replacement != c.after) {
          all = false;
          break;
        }
        ++same;
      }
      if (all && same > 0) return stand_in[li] = t;
    }
    return nullptr;
  };
  for (const cand* c : held) {
    if (c == nullptr || taken_as(c->layers.front()) == nullptr) continue;
    scored x;
    float margin;
    if (!judge(*c, true, x, margin)) continue;
    if (x.gain() > margin &&
        !holds_non_text(x.c.replacement, x.c.begin > 0 ? line[x.c.begin - 1] : 0))
      weak.push_back(x);
    else
      hold_near(x, margin);
  }
  for (const order_key& k : sorted(weak)) {
    scored& w = weak[k.at];
    if (taken_as(w.c.layers.front()) != nullptr) take(w);
  }
  // A lead byte's character before a space ("Å veices") in a line that a
  // layer has damaged elsewhere cannot be that layer's clean text: UTF-8
  // never ends a sequence at its lead byte, so the space stands for the A0
  // that followed it. Nor can the lead byte C2 before a sign's byte ("Β½
  // cup … ΒΌ teaspoon"). The line's other repairs are the margin; the model
  // need only prefer the reading, by the layer's prior.
  for (const order_key& k : sorted(nbsp_held)) {
    scored& w = nbsp_held[k.at];
    if (w.gain() > w.c.layers.front()->prior && std::find(taken_layers.begin(), taken_layers.end(),
                                                          w.c.layers.front()) != taken_layers.end())
      take(w);
  }
  // A short span in a line that the same layer damaged in two places or
  // more, or in one place of five characters or more ("NÃ³ thay" among
  // Vietnamese repairs, "Ої" among Greek ones, "²»" among Chinese ones,
  // "琯官館慣菅 管" for είναι η), is damage like its neighbours: their repairs
  // are the margin, and the model need only prefer the reading, by the
  // layer's prior.
  if (!near_held.empty()) {
    struct layer_changes {
      const layer* l;
      std::size_t changes, chars;
    };
    std::vector<layer_changes> per_layer;
    for (const repair_change& c : chosen) {
      auto it = std::find_if(per_layer.begin(), per_layer.end(),
                             [&](const auto& e) { return e.l == c.layers.front(); });
      if (it == per_layer.end())
        per_layer.push_back({c.layers.front(), 1, c.end - c.begin});
      else
        ++it->changes, it->chars += c.end - c.begin;
    }
    for (const order_key& k : sorted(near_held)) {
      scored& w = near_held[k.at];
      const layer* l = taken_as(w.c.layers.front());
      auto it = std::find_if(per_layer.begin(), per_layer.end(),
                             [&](const auto& e) { return l != nullptr && e.l == l; });
      if (it != per_layer.end() && (it->changes >= 2 || it->chars >= kNearEvidenceChars)) take(w);
    }
  }
  if (std::all_of(chosen.begin(), chosen.end(),
                  [&](const repair_change& c) { return quoted(line, c.begin, c.end); }))
    return {};
  std::sort(chosen.begin(), chosen.end(),
            [](const repair_change& a, const repair_change& b) { return a.begin < b.begin; });
  if (discusses_mojibake(line, chosen, s)) return {};
  return chosen;
}

namespace {

bool is_space(char32_t c) { return c == ' ' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x3000; }

// Applies changes (sorted, not overlapping, indices into line) in one sweep.
void apply_changes(std::u32string& line, const std::vector<repair_change>& changes) {
  std::u32string out;
  out.reserve(line.size());
  std::size_t at = 0;
  for (const repair_change& c : changes) {
    out.append(line, at, c.begin - at);
    out += c.after;
    at = c.end;
  }
  out.append(line, at, std::u32string::npos);
  line = std::move(out);
}

// A word (run of non-space characters) holding HTML references is decoded
// and repaired on its own; the decoded, repaired word replaces it only when
// repair found mojibake under the references. References in clean text stay.
// A layer found under the references of most words is tried again on the
// words it did not win (a lone "&ordm;&Aring;" is 号 in a line of GBK read
// as windows-1252, "&Icirc;&reg;" is ή in a line of Greek): one page is
// damaged one way.
std::vector<repair_change> undo_entity_words(std::u32string_view line, const repair_settings& s) {
  std::vector<repair_change> changes;
  if (line.find(U'&') == std::u32string_view::npos) return changes;
  repair_settings inner = s;
  inner.entities = false;
  inner.word_alone = true;
  const scorer& sc = scorer::get();
  struct entity_word {
    std::size_t begin, end;
    std::u32string decoded;   // references decoded
    std::u32string repaired;  // and repaired
    std::vector<const layer*> layers;
  };
  std::vector<entity_word> words;
  auto repair_word = [&](entity_word& w, const repair_settings& rs) {
    w.repaired = w.decoded;
    w.layers.clear();
    repair_line(w.repaired, rs, [&](const std::vector<repair_change>& pass) {
      if (w.layers.empty()) w.layers = pass.front().layers;
    });
  };
  for (std::size_t b = 0; b < line.size();) {
    if (is_space(line[b])) {
      ++b;
      continue;
    }
    std::size_t e = b;
    while (e < line.size() && !is_space(line[e])) ++e;
    const std::u32string_view word = line.substr(b, e - b);
    entity_word w{b, e, {}, {}, {}};
    b = e;
    if (word.find(U'&') == std::u32string_view::npos || !decode_entities(word, w.decoded)) continue;
    repair_word(w, inner);
    words.push_back(std::move(w));
  }
  // The layer most words were repaired through.
  const auto all = known_layers();
  std::vector<std::size_t> per_layer(all.size(), 0);
  for (const entity_word& w : words)
    if (!w.layers.empty()) ++per_layer[static_cast<std::size_t>(w.layers.front() - all.data())];
  const layer* most = nullptr;
  std::size_t most_words = 0;
  for (std::size_t k = 0; k < all.size(); ++k) {
    if (per_layer[k] > most_words) {
      most = &all[k];
      most_words = per_layer[k];
    }
  }
  if (most_words >= 1) {
    repair_settings again = inner;
    again.found_layer = most;
    for (entity_word& w : words) {
      if (!w.layers.empty() && w.layers.front() == most) continue;
      entity_word retry{w.begin, w.end, w.decoded, {}, {}};
      repair_word(retry, again);
      if (!retry.layers.empty() && retry.layers.front() == most) w = std::move(retry);
    }
  }
  for (entity_word& w : words) {
    if (w.layers.empty()) continue;
    repair_change ch;
    ch.begin = w.begin;
    ch.end = w.end;
    ch.before = std::u32string(line.substr(w.begin, w.end - w.begin));
    ch.after = std::move(w.repaired);
    ch.html_entities = true;
    ch.layers = std::move(w.layers);
    const char32_t before = w.begin > 0 ? line[w.begin - 1] : 0;
    const char32_t after = w.end < line.size() ? line[w.end] : 0;
    ch.cost_before = sc.cost(ch.before, before, after);
    ch.cost_after = sc.cost(ch.after, before, after);
    changes.push_back(std::move(ch));
  }
  return changes;
}

// Lossy damage first: the lossless layers refuse spans holding U+FFFD, and
// recovery reads the gaps together with the characters around them.
std::vector<repair_change> recover_lossy_spans(std::u32string_view line, const repair_settings& s,
                                               bool first, bool again) {
  recover_settings rs;
  rs.replacement_gaps = first || again;
  rs.question_gaps = !first;
  rs.line_repaired = again;
  rs.document = s.document;
  rs.base_margin = s.base_margin;
  rs.margin_per_char = s.margin_per_char;
  rs.fill_margin *= s.base_margin / 3.0f;
  std::vector<repair_change> changes;
  for (lossy_fix& f : recover_line(line, rs)) {
    repair_change ch;
    ch.begin = f.begin;
    ch.end = f.end;
    ch.before = std::u32string(line.substr(f.begin, f.end - f.begin));
    ch.after = std::move(f.after);
    if (f.undone != nullptr) ch.layers.push_back(f.undone);
    ch.lost = f.lost;
    if (f.undone == nullptr) {
      ch.note = "debug fill or U+FFFD read as gbk";
    } else {
      if (f.undone->truth != encoding::utf8 && f.undone->wrong != encoding::utf8)
        ch.note = "read one byte out of step";
      if (f.lost > 0) {
        if (!ch.note.empty()) ch.note += ", ";
        ch.note += std::to_string(f.lost) + (f.lost == 1 ? " character lost" : " characters lost");
      }
    }
    if (s.drop_lost) {
      std::erase(ch.after, U'\uFFFD');
      ch.lost = 0;
    }
    ch.cost_before = f.cost_before;
    ch.cost_after = f.cost_after;
    changes.push_back(std::move(ch));
  }
  return changes;
}

void lossless_passes(std::u32string& line, const repair_settings& s,
                     const std::function<void(const std::vector<repair_change>&)>& on_pass);

float gain(const repair_change& c) { return c.cost_before - c.cost_after; }

// '?' gaps wait for the lossless layers (see repair_line), but where
// lossless spans lie inside a '?' reading of the same line, the two tell
// different stories of the same characters: double-byte text read one byte
// out of step ("中??刀ㄊ?4名党员") also reads, between its gaps, as Big5 taken
// for GBK (刀ㄊ → 絮京). The reading that explains more, by its gain in
// bits, goes first; the lossless one would leave the gaps around it as they
// are. The lossless spans are those a pass over the reading and the
// characters around it finds, as later lossless passes look near a change.
// Returns the readings (not overlapping, sorted) that win.
std::vector<repair_change> out_of_step_first(std::u32string_view line,
                                             const std::vector<repair_change>& readings,
                                             const repair_settings& s) {
  constexpr std::size_t kReach = 16;  // characters around a reading
  std::vector<repair_change> won;
  for (const repair_change& r : readings) {
    const std::size_t b = r.begin > kReach ? r.begin - kReach : 0;
    const std::size_t e = std::min(line.size(), r.end + kReach);
    float rival = 0;
    bool inside = false;
    for (const repair_change& c : plan_pass(line.substr(b, e - b), s)) {
      if (b + c.end <= r.begin || r.end <= b + c.begin) continue;
      if (b + c.begin < r.begin || r.end < b + c.end) {  // reaches outside: not the same story
        inside = false;
        break;
      }
      inside = true;
      rival += gain(c);
    }
    if (inside && gain(r) > rival) won.push_back(r);
  }
  return won;
}

// The byte a single-byte layer's wrong code page shows as cp, for cp below
// kReverseEnd (all such pages' characters but Mac Roman's Apple logo and
// ligatures), or 0 where encode_wrong must be asked: a whole-line reading
// encodes every character of a line, and most lines it takes are
// windows-1252's.
constexpr char32_t kReverseEnd = 0x2600;
using reverse_table = std::array<std::uint8_t, kReverseEnd>;
const reverse_table* single_byte_reverse(const layer& l) {
  struct tables {
    std::vector<int> of_layer;  // index into reverse, or -1
    std::vector<reverse_table> reverse;
  };
  static const tables all = [] {
    tables r;
    const auto layers = known_layers();
    r.of_layer.assign(layers.size(), -1);
    for (std::size_t k = 0; k < layers.size(); ++k) {
      if (!is_single_byte(layers[k].wrong)) continue;
      r.of_layer[k] = static_cast<int>(r.reverse.size());
      reverse_table& t = r.reverse.emplace_back();
      t.fill(0);
      // What each upper byte decodes to, and the C1 controls, where they
      // encode back to that one byte; the rest is left to encode_wrong.
      auto learn = [&](char32_t cp) {
        std::uint8_t b[4];
        if (cp >= 0x80 && cp < kReverseEnd && encode_wrong_uncached(layers[k], cp, b) == 1)
          t[cp] = b[0];
      };
      for (unsigned byte = 0x80; byte <= 0xFF; ++byte) {
        const auto b = static_cast<std::uint8_t>(byte);
        char32_t cp = 0;
        if (decode_one(layers[k].wrong, &b, 1, cp) == 1) learn(cp);
      }
      for (char32_t cp = 0x80; cp <= 0x9F; ++cp) learn(cp);
    }
    return r;
  }();
  const int at = all.of_layer[static_cast<std::size_t>(&l - known_layers().data())];
  return at < 0 ? nullptr : &all.reverse[static_cast<std::size_t>(at)];
}

// Text damaged as a whole, the way whole pages are: every character of
// the line is one layer's mojibake of UTF-8, and undoing that layer leaves
// valid UTF-8 throughout. Such a line is undone at once, without the span
// search (a dozen plausible layers and two hundred spans a line of
// windows-1252 mojibake); what the undoing leaves, a second layer or lossy
// gaps, the usual passes see. Taken only where it is beyond doubt: enough
// characters that chance cannot make them valid UTF-8, a gain of twice the
// margin its spans would need, and no other layer's reading of the line
// within that margin. Returns one change per run of non-ASCII characters
// (repair_settings::explain; else one from the first to the last), or none.
std::vector<repair_change> whole_line_reading(std::u32string_view line, const repair_settings& s) {
  constexpr std::size_t kLeastDamaged = 8;  // non-ASCII characters
  // Longer lines go by their windows: the reading's buffers (about 25 bytes
  // a character) stay small in every thread.
  constexpr std::size_t kLongestLine = 1 << 16;
  if (s.whole_line == whole_line_mode::never || s.word_alone || s.found_layer != nullptr ||
      s.base_margin < 0 || s.max_layers < 1 || line.size() > kLongestLine)
    return {};
  // ASCII before the first non-ASCII character stays itself in every layer.
  std::size_t first = 0;
  while (first < line.size() && line[first] < 0x80) ++first;
  if (line.size() - first < kLeastDamaged) return {};
  const scorer& sc = scorer::get();
  // Layers that read the same code page (windows-1252 and windows-1254)
  // mostly give the same text: each text is scored once, and counts with
  // the smallest prior of the layers that give it.
  struct reading {
    std::u32string text;
    const layer* l;
    float cost;
    // Where the text of each character of the line starts, and the text's
    // end: a double-byte code page may have swallowed an ASCII byte into
    // a pair (鐨刪ash is 的hash), so ASCII does not align the two texts.
    std::vector<std::uint32_t> starts;
  };
  thread_local std::vector<reading> readings;
  thread_local std::vector<char32_t> buffer;
  thread_local std::vector<std::uint32_t> starts;
  thread_local std::u32string text;
  readings.clear();
  if (buffer.size() < 4 * line.size()) buffer.resize(4 * line.size());
  starts.resize(line.size() + 1);
  for (std::size_t i = 0; i < first; ++i) {
    buffer[i] = line[i];
    starts[i] = static_cast<std::uint32_t>(i);
  }
  // A single-byte layer's line opens with a lead and a continuation byte.
  const std::uint64_t openers =
      single_byte_lead_then_cont(line[first], first + 1 < line.size() ? line[first + 1] : 0);
  const auto layers = known_layers();
  for (std::size_t k = 0; k < layers.size(); ++k) {
    const layer& l = layers[k];
    if (l.truth != encoding::utf8) continue;
    const reverse_table* reverse = single_byte_reverse(l);
    if (reverse != nullptr && !((openers >> k) & 1)) continue;
    // Encoded and decoded as one goes: most layers fail within a few
    // characters, on one they cannot encode or on bytes that are no UTF-8.
    // A character encodes to four bytes at most, each decoding to one
    // character at most.
    char32_t* out = buffer.data() + first;
    std::uint8_t pending[8];  // bytes of a sequence not complete yet
    std::size_t have = 0, need = 0;
    bool valid = true;
    for (std::size_t i = first; i < line.size() && valid; ++i) {
      starts[i] = static_cast<std::uint32_t>(out - buffer.data());
      if (line[i] < 0x80) {
        valid = have == 0;  // else a sequence cut short
        *out++ = line[i];
        continue;
      }
      std::uint8_t b[4];
      int n;
      if (reverse != nullptr && line[i] < kReverseEnd && (*reverse)[line[i]] != 0) {
        b[0] = (*reverse)[line[i]];
        n = 1;
      } else {
        n = encode_wrong(l, line[i], b);
      }
      valid = n > 0;
      for (int k = 0; k < n && valid; ++k) {
        if (have == 0) {
          need = static_cast<std::size_t>(utf8::sequence_length(b[k]));
          if (need == 0) {
            valid = b[k] < 0x80;  // ASCII from a double-byte code page
            *out++ = b[k];
            continue;
          }
        }
        pending[have++] = b[k];
        if (have == need) {
          std::size_t at = 0;
          const char32_t ch =
              utf8::next(std::string_view(reinterpret_cast<const char*>(pending), have), at);
          valid = ch != utf8::kInvalid;
          *out++ = ch;
          have = 0;
        }
      }
    }
    if (!valid || have != 0) continue;
    text.assign(buffer.data(), out);
    starts[line.size()] = static_cast<std::uint32_t>(text.size());
    const auto same = std::find_if(readings.begin(), readings.end(),
                                   [&](const reading& r) { return r.text == text; });
    if (same != readings.end()) {
      if (l.prior < same->l->prior) same->l = &l;
      continue;
    }
    if (holds_non_text(text, 0)) continue;
    readings.push_back({text, &l, sc.cost(text), starts});
  }
  if (readings.empty()) return {};
  const std::size_t damaged = non_ascii(line);
  if (damaged < kLeastDamaged) return {};
  // The reading with the least cost and prior must win over the line by
  // twice the margin, and over every other reading by that margin.
  auto total = [](const reading& r) { return r.cost + r.l->prior; };
  const auto best =
      std::min_element(readings.begin(), readings.end(),
                       [&](const reading& a, const reading& b) { return total(a) < total(b); });
  const float margin = 2 * (s.base_margin + s.margin_per_char * static_cast<float>(damaged));
  for (const reading& r : readings)
    if (&r != &*best && !(total(r) - total(*best) > margin)) return {};
  // The line's cost need only be known as far as it shows the win, unless
  // the changes are to carry their costs (the Plan).
  thread_local std::vector<std::uint32_t> line_costs, reading_costs;
  if (s.explain) {
    sc.transition_costs(line, line_costs);
    std::uint64_t sum = 0;
    for (const std::uint32_t q : line_costs) sum += q;
    if (!(scorer::bits(static_cast<std::uint32_t>(sum)) - total(*best) > margin)) return {};
  } else {
    const float needed = total(*best) + margin;
    scorer::walk w = sc.walk_start(0);
    std::size_t i = 0;
    for (; i < line.size() && !(scorer::bits(w.total) > needed); ++i) sc.walk_step(w, line[i]);
    if (!(scorer::bits(w.total) > needed)) return {};
  }
  const std::u32string& after = best->text;
  std::vector<repair_change> changes;
  if (!s.explain) {
    // One change from the first non-ASCII character to the last.
    std::size_t b = 0, e = line.size();
    while (line[b] < 0x80) ++b;
    while (line[e - 1] < 0x80) --e;
    repair_change c;
    c.begin = b;
    c.end = e;
    c.before = std::u32string(line.substr(b, e - b));
    c.after = after.substr(best->starts[b], best->starts[e] - best->starts[b]);
    c.layers = {best->l};
    changes.push_back(std::move(c));
  } else {
    // One change per run of non-ASCII characters, costed as scorer::cost
    // gives a span between its neighbours.
    sc.transition_costs(after, reading_costs);
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] < 0x80) {
        ++i;
        continue;
      }
      repair_change c;
      c.begin = i;
      while (i < line.size() && line[i] >= 0x80) ++i;
      c.end = i;
      const std::size_t from = best->starts[c.begin], to = best->starts[c.end];
      std::uint32_t before_q = 0, after_q = 0;
      for (std::size_t k = c.begin; k < c.end; ++k) before_q += line_costs[k];
      for (std::size_t k = from; k < to; ++k) after_q += reading_costs[k];
      if (c.end < line.size()) {
        before_q += line_costs[c.end];
        after_q += reading_costs[to];
      }
      c.before = std::u32string(line.substr(c.begin, c.end - c.begin));
      c.after = after.substr(from, to - from);
      c.layers = {best->l};
      c.cost_before = scorer::bits(before_q);
      c.cost_after = scorer::bits(after_q);
      changes.push_back(std::move(c));
    }
  }
  if (discusses_mojibake(line, changes, s)) return {};
  return changes;
}

}  // namespace

bool may_be_single_byte_mojibake(std::string_view line) noexcept {
  std::size_t i = utf8::skip_ascii_blocks(line, 0);
  while (i < line.size() && static_cast<unsigned char>(line[i]) < 0x80) ++i;
  // Single-byte code pages show characters below U+2600 (lead bytes up to
  // E2) but for Mac Roman's Apple logo and ligatures (EF).
  if (i >= line.size() ||
      (static_cast<unsigned char>(line[i]) > 0xE2 && static_cast<unsigned char>(line[i]) != 0xEF))
    return false;
  const char32_t c = utf8::next(line, i);
  if (c == utf8::kInvalid || i >= line.size()) return false;
  const char32_t d = utf8::next(line, i);
  return d != utf8::kInvalid && single_byte_lead_then_cont(c, d) != 0;
}

void repair_line(std::u32string& line, const repair_settings& s,
                 const std::function<void(const std::vector<repair_change>&)>& on_pass) {
  if (s.entities) {
    std::vector<repair_change> changes = undo_entity_words(line, s);
    if (!changes.empty()) {
      on_pass(changes);
      apply_changes(line, changes);
    }
  }
  {
    const std::vector<repair_change> changes = whole_line_reading(line, s);
    if (changes.empty() && s.whole_line == whole_line_mode::only) return;
    if (!changes.empty()) {
      on_pass(changes);
      apply_changes(line, changes);
      // Where the repaired line shows nothing that the repair stage would
      // look at in new text, the passes below would find nothing either.
      std::string text;
      utf8::append(text, line);
      if (!may_hold_mojibake(text) && !may_be_lossy(line) &&
          (!s.entities || line.find(U'&') == std::u32string::npos))
        return;
    }
  }
  // U+FFFD gaps first: the lossless layers refuse spans holding them.
  if (s.recover_lossy && may_be_lossy(line)) {
    std::vector<repair_change> changes = recover_lossy_spans(line, s, true, false);
    if (!changes.empty()) {
      on_pass(changes);
      apply_changes(line, changes);
    }
  }
  // '?' readings that tell a better story than the lossless spans inside
  // them go first (see out_of_step_first). Where nothing changes the line
  // after them, the last step would find the same readings again.
  std::optional<std::vector<repair_change>> readings;
  if (s.recover_lossy && may_be_lossy(line)) {
    readings = recover_lossy_spans(line, s, false, false);
    std::vector<repair_change> won = out_of_step_first(line, *readings, s);
    if (!won.empty()) {
      on_pass(won);
      apply_changes(line, won);
      readings.reset();
    }
  }
  bool lossless = false;
  lossless_passes(line, s, [&](const std::vector<repair_change>& pass) {
    lossless = true;
    on_pass(pass);
  });
  // '?' gaps last: a '?' is common in clean text, and what the lossless
  // layers repair around one (сейчас?) is not a gap. U+FFFD gaps again
  // where the lossless layers repaired around them (a second run of the
  // whole repair must find nothing more).
  if (s.recover_lossy && may_be_lossy(line)) {
    std::vector<repair_change> changes = readings && !lossless
                                             ? std::move(*readings)
                                             : recover_lossy_spans(line, s, false, lossless);
    if (!changes.empty()) {
      on_pass(changes);
      apply_changes(line, changes);
    }
  }
}

namespace {

void lossless_passes(std::u32string& line, const repair_settings& s,
                     const std::function<void(const std::vector<repair_change>&)>& on_pass) {
  // The first pass looks at the whole line; later passes only near what the
  // pass before changed, where a further layer can show (the rest of the
  // line was judged already). Every change lowers the model cost by more than
  // the margin, so this ends; the cap only guards against a model bug.
  constexpr std::size_t kReach = 16;  // characters around a change
  std::vector<std::pair<std::size_t, std::size_t>> regions{{0, line.size()}};
  for (int pass = 0; pass < 8 && !regions.empty(); ++pass) {
    std::vector<repair_change> changes;
    for (const auto& [b, e] : regions) {
      for (repair_change& c : plan_pass(std::u32string_view(line).substr(b, e - b), s)) {
        c.begin += b;
        c.end += b;
        changes.push_back(std::move(c));
      }
    }
    if (changes.empty()) return;
    on_pass(changes);
    apply_changes(line, changes);
    // Where the changes stand in the new line, widened and merged.
    regions.clear();
    std::ptrdiff_t shift = 0;
    for (const repair_change& c : changes) {
      const std::size_t b = static_cast<std::size_t>(static_cast<std::ptrdiff_t>(c.begin) + shift);
      shift += static_cast<std::ptrdiff_t>(c.after.size()) -
               static_cast<std::ptrdiff_t>(c.end - c.begin);
      const std::size_t e = b + c.after.size();
      const std::size_t rb = b > kReach ? b - kReach : 0;
      const std::size_t re = std::min(line.size(), e + kReach);
      if (!regions.empty() && rb <= regions.back().second)
        regions.back().second = std::max(regions.back().second, re);
      else
        regions.emplace_back(rb, re);
    }
  }
}

}  // namespace

}  // namespace mojifix::detail
