#pragma once
// Read-only view of the embedded model tables (layout written by
// tools/gen_model.py). All costs are in quarter bits.

#include <cstdint>

#include "model/scorer.hpp"

namespace mojifix::detail {

struct model_view {
  // Per code point entry: folded symbol id (bits 0-15; 0 = unknown,
  // 1 = start of text), class (bits 16-21), case (bits 22-23: 1 lower, 2 upper).
  static constexpr std::uint32_t kBosEntry = 1u | (static_cast<std::uint32_t>(char_class::ascii_space) << 16);
  static constexpr std::uint32_t kOutOfRange = static_cast<std::uint32_t>(char_class::unassigned) << 16;

  const std::uint16_t* stage1 = nullptr;   // cp >> 8 -> block
  const std::uint32_t* stage2 = nullptr;   // block * 256 + (cp & 255) -> entry
  const std::uint8_t* unigram = nullptr;   // symbol -> cost
  const std::uint8_t* backoff = nullptr;   // symbol as context -> backoff cost
  const std::uint8_t* class_default = nullptr;  // class -> cost of an unknown character
  const std::uint8_t* case_cost = nullptr;      // [prev case][cur case]
  const std::uint32_t* keys = nullptr;     // bigram hash: prev << 16 | cur, 0 = empty
  const std::uint8_t* values = nullptr;
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

  [[nodiscard]] std::uint32_t cost_q(std::uint32_t p, std::uint32_t e) const noexcept {
    const std::uint32_t ps = p & 0xFFFF;
    const std::uint32_t cs = e & 0xFFFF;
    const std::uint32_t c = case_cost[((p >> 22) & 3) * 3 + ((e >> 22) & 3)];
    if (cs == 0) return c + backoff[ps] + class_default[(e >> 16) & 0x3F];
    if (ps == 0) return c + unigram[cs];
    const int b = bigram(ps, cs);
    if (b >= 0) return c + static_cast<std::uint32_t>(b);
    return c + backoff[ps] + unigram[cs];
  }
};

}  // namespace mojifix::detail
