#pragma once
// Lossy recovery: where a decoder replaced bytes of mojibake with U+FFFD or
// '?', the surviving characters still give most of the original bytes.
// Recovery re-encodes them with the wrong decoder's table, lets each gap
// stand for the bytes that decoder could have swallowed there, decodes the
// byte lattice as the true encoding and picks the reading the Scorer likes
// best (a beam search over character bigrams). Each filled character is then
// judged in its context (character trigrams, and the words of jieba's
// dictionary it makes with the known characters around it) against every
// other reading the decoder would have damaged the same way. A gap whose
// best reading does not win clearly stays U+FFFD.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "codec/codec.hpp"
#include "repair/layers.hpp"

namespace mojifix::detail {

/// Evidence from the whole text a line comes from: the pairs of CJK
/// characters that its lines without signs of damage hold (a name, a place
/// written out in full elsewhere). Gathered on first use, so text without
/// lossy damage never pays for it. Not thread-safe: one per call.
class document_pairs {
 public:
  explicit document_pairs(std::string_view text) noexcept : text_(text) {}
  [[nodiscard]] bool contains(char32_t a, char32_t b) const;

 private:
  std::string_view text_;
  mutable std::vector<std::uint64_t> pairs_;   // a << 32 | b, sorted
  mutable std::vector<std::uint64_t> filter_;  // a bit per hash of the pairs
  mutable unsigned filter_bits_ = 12;          // about eight bits a pair
  mutable bool built_ = false;
};

/// Bits a recovered piece that brings nothing back, only marks characters
/// lost, must win by: where they read well in their context they were text.
inline constexpr float kLossOnlyMargin = 12.0f;

struct recover_settings {
  float base_margin = 3.0f;                  // bits a recovered span must win by
  float margin_per_char = 1.0f;              // and per character of the damaged span
  float fill_margin = 3.0f;                  // bits a filled character must beat the next one by
  bool replacement_gaps = true;              // read U+FFFD gaps (and 锟斤拷 / 烫烫烫 runs)
  bool question_gaps = true;                 // read '?' gaps of naive decoders
  bool line_repaired = false;                // the lossless layers repaired the line already
  const document_pairs* document = nullptr;  // the text around the line, if known
};

/// One recovered span of a line, in code point indices.
struct lossy_fix {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::u32string after;
  const layer* undone = nullptr;           // nullptr: a 锟斤拷 / 烫烫烫 run mapped to U+FFFD
  decode_mode mode = decode_mode::whatwg;  // the decoder behaviour that made the damage
  std::size_t lost = 0;                    // U+FFFD left in `after`
  float cost_before = 0;
  float cost_after = 0;
};

/// True when the line shows lossy damage recovery could look at: U+FFFD, a
/// '?' glued to non-ASCII text, 銆 before CJK (a UTF-8 。 inside GBK text
/// read out of step), or a 锟斤拷 / 烫烫烫 / 屯屯屯 run.
[[nodiscard]] bool may_be_lossy(std::u32string_view line) noexcept;

/// The spans of `line` recovery would change, sorted and not overlapping.
[[nodiscard]] std::vector<lossy_fix> recover_line(std::u32string_view line,
                                                  const recover_settings& s);

}  // namespace mojifix::detail
