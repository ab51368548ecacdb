#pragma once
// The plausibility model: one Scorer that gives a cost, in bits, to a piece
// of text. Detection, repair ranking and every later decision ask this model,
// so they never disagree.

#include <cstdint>
#include <string_view>
#include <vector>

namespace mojifix::detail {

/// Coarse class of a code point, from a table over all of Unicode.
enum class char_class : std::uint8_t {
  ascii_letter,
  ascii_digit,
  ascii_space,
  ascii_punct,
  ascii_control,
  latin_letter,   // non-ASCII Latin letters (é, Ž, ơ ...)
  latin1_symbol,  // U+00A0-U+00BF, × ÷, and the cp1252 punctuation (€ ‚ „ † ‰ ‹ ...)
  c1_control,     // U+0080-U+009F
  greek,
  cyrillic,
  armenian,
  hebrew,
  arabic,
  indic,
  thai,
  other_letter,
  combining_mark,
  hangul_ksx1001,  // the 2,350 syllables of KS X 1001 (what EUC-KR can encode)
  hangul_other,    // other precomposed syllables
  hangul_jamo,     // conjoining and compatibility jamo
  kana,
  halfwidth_kana,
  han_common,       // among the ~3,500 most frequent Han characters
  han_uncommon,     // seen in the training text, but not common
  han_rare,         // never or almost never seen in the training text
  cjk_symbol,       // CJK punctuation, fullwidth forms other than ASCII letters
  fullwidth_ascii,  // U+FF01-U+FF5E
  box_drawing,      // box drawing, block elements, geometric shapes
  symbol,           // other symbols and punctuation
  emoji,
  private_use,
  unassigned,
  surrogate,
  noncharacter,
  replacement,  // U+FFFD
  count_
};

/// Han, kana or Hangul syllables: the characters of CJK words.
constexpr bool is_cjk(char_class c) noexcept {
  switch (c) {
    case char_class::han_common:
    case char_class::han_uncommon:
    case char_class::han_rare:
    case char_class::kana:
    case char_class::hangul_ksx1001:
    case char_class::hangul_other:
      return true;
    default:
      return false;
  }
}

/// Characters text is written with: not controls, private use, unassigned
/// code points, surrogates, marks on their own or U+FFFD.
constexpr bool is_text(char_class c) noexcept {
  switch (c) {
    case char_class::private_use:
    case char_class::unassigned:
    case char_class::noncharacter:
    case char_class::surrogate:
    case char_class::c1_control:
    case char_class::ascii_control:
    case char_class::combining_mark:
    case char_class::replacement:
      return false;
    default:
      return true;
  }
}

class scorer {
 public:
  /// The one immutable instance, built on first use and shared by threads.
  static const scorer& get() noexcept;

  [[nodiscard]] char_class classify(char32_t cp) const noexcept;

  /// Cost in bits of cur following prev (prev == 0: start of text or of a
  /// line). A character-bigram model with backoff to unigram and class costs.
  [[nodiscard]] float cost(char32_t prev, char32_t cur) const noexcept;

  /// Sum of cost() over s, with `before` as the context of s[0] and the cost
  /// of `after` following the last character included (after == 0: none).
  [[nodiscard]] float cost(std::u32string_view s, char32_t before = 0,
                           char32_t after = 0) const noexcept;

  /// The same costs in quarter bits, whose sums are exact: out[i] is the
  /// cost of s[i] after s[i - 1] (out[0]: after the start of text), so the
  /// cost of any span of s is a difference of running sums (see bits()).
  void transition_costs(std::u32string_view s, std::vector<std::uint32_t>& out) const;
  /// cost(s, before) one character at a time: walk_start(before), then
  /// walk_step(w, c) for each character of s; total is in quarter bits.
  struct walk {
    std::uint32_t prev = 0;
    std::uint32_t total = 0;
  };
  [[nodiscard]] walk walk_start(char32_t before) const noexcept;
  void walk_step(walk& w, char32_t cur) const noexcept;
  /// cost(prev, cur) in quarter bits.
  [[nodiscard]] std::uint32_t transition_cost(char32_t prev, char32_t cur) const noexcept;
  /// A sum of quarter-bit costs as cost() gives it.
  [[nodiscard]] static float bits(std::uint32_t quarter_bits) noexcept {
    return static_cast<float>(quarter_bits) * 0.25f;
  }

 private:
  scorer();
  struct tables;
  const tables* t_;
};

}  // namespace mojifix::detail
