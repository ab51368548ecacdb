#pragma once
// Read-only view of the embedded model tables (layout written by
// tools/gen_model.py). All costs are in quarter bits.

#include <cstdint>

#include "model/scorer.hpp"

namespace mojifix::detail {

struct model_view {
  static constexpr unsigned kClasses = static_cast<unsigned>(char_class::count_);
  // Class row used for the start of text.
  static constexpr unsigned kBosClass = kClasses;
  // Per code point entry: folded symbol id (bits 0-15; 0 = unknown,
  // 1 = start of text), class (bits 16-21), case or form (bits 22-24:
  // uncased, ASCII lower, ASCII upper, other lower, other upper, halfwidth,
  // enclosed or Roman number), class used for costs (bits 25-30: the class of
  // the folded symbol, e.g. kana for halfwidth katakana).
  static constexpr unsigned kForms = 7;
  static constexpr std::uint32_t kBosEntry = 1u | (kBosClass << 25);
  static constexpr std::uint32_t kDense = 256;
  static constexpr std::uint32_t kOutOfRange =
      (static_cast<std::uint32_t>(char_class::unassigned) << 16) |
      (static_cast<std::uint32_t>(char_class::unassigned) << 25);

  const std::uint16_t* stage1 = nullptr;        // cp >> 8 -> block
  const std::uint32_t* stage2 = nullptr;        // block * 256 + (cp & 255) -> entry
  const std::uint8_t* inclass = nullptr;        // symbol -> -log2 P(symbol | its class)
  const std::uint8_t* backoff = nullptr;        // symbol as context -> backoff cost
  const std::uint8_t* class_default = nullptr;  // class -> in-class cost of an unknown character
  const std::uint8_t* case_cost = nullptr;      // [prev form * kForms + cur form]
  const std::uint8_t* class_step = nullptr;     // [prev class * kClasses + cur class]
  const std::uint32_t* keys = nullptr;          // bigram hash: prev << 16 | cur, 0 = empty
  const std::uint8_t* values = nullptr;
  const std::uint8_t* dense = nullptr;  // [prev * kDense + cur] for ids 1..kDense-1
  unsigned hash_bits = 0;
  unsigned nsym = 0;

  [[nodiscard]] bool ok() const noexcept { return stage1 != nullptr; }

  [[nodiscard]] std::uint32_t entry(char32_t cp) const noexcept {
    if (cp > 0x10FFFF) return kOutOfRange;
    return stage2[(std::size_t{stage1[cp >> 8]} << 8) | (cp & 0xFF)];
  }
  [[nodiscard]] static char_class cls(std::uint32_t e) noexcept {
    return static_cast<char_class>((e >> 16) & 0x3F);
  }

  /// Stored bigram cost, or -1 when the pair is not in the table.
  [[nodiscard]] int bigram(std::uint32_t ps, std::uint32_t cs) const noexcept {
    const std::uint32_t key = (ps << 16) | cs;
    const std::uint32_t mask = (1u << hash_bits) - 1;
    std::uint32_t h = (key * 0x9E3779B1u) >> (32 - hash_bits);
    for (;; h = (h + 1) & mask) {
      const std::uint32_t k = keys[h];
      if (k == key) return values[h];
      if (k == 0) return -1;
    }
  }

  /// Cost of e following p: the stored pair, or the backoff of p plus the
  /// class step plus the cost of e within its class; and the case step.
  [[nodiscard]] std::uint32_t cost_q(std::uint32_t p, std::uint32_t e) const noexcept {
    const std::uint32_t ps = p & 0xFFFF;
    const std::uint32_t cs = e & 0xFFFF;
    std::uint32_t c = case_cost[((p >> 22) & 7) * kForms + ((e >> 22) & 7)];
    // Frequent pairs: one dense lookup (ids are ranked by frequency).
    if (ps - 1 < kDense - 1 && cs - 1 < kDense - 1) return c + dense[ps * kDense + cs];
    if (ps != 0 && cs != 0) {
      const int b = bigram(ps, cs);
      if (b >= 0) return c + static_cast<std::uint32_t>(b);
    }
    const std::uint32_t pc = (p >> 25) & 0x3F;
    const std::uint32_t cc = (e >> 25) & 0x3F;
    c += backoff[ps] + class_step[pc * kClasses + cc];
    return c + (cs != 0 ? inclass[cs] : class_default[cc]);
  }
};

}  // namespace mojifix::detail
