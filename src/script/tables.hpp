#pragma once
// Read-only view of the embedded script tables (layout written by
// tools/gen_script_tables.py from OpenCC's dictionaries; see
// data/script/NOTICE).

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace mojifix::detail {

/// One OpenCC dictionary: longest-prefix lookup over code points.
struct script_dict {
  struct entry {
    std::uint32_t key_off;
    std::uint32_t value_off;
    std::uint16_t key_len;
    std::uint16_t value_len;  // kPrefixOnly: a prefix of longer keys only
  };
  static constexpr std::uint16_t kPrefixOnly = 0xFFFF;

  static constexpr char32_t kLimit = 0x32400;  // no key starts at or above
  const std::uint16_t* stage1 = nullptr;       // cp >> 6 -> block, for cp < kLimit
  const std::uint32_t* blocks = nullptr;       // bits 0-23 entry + 1, bits 24-31 longest key
  const entry* entries = nullptr;
  std::uint32_t nentries = 0;
  const std::uint32_t* slots = nullptr;  // entry + 1, open addressing
  unsigned hash_bits = 0;
  const char32_t* cps = nullptr;  // shared code point pool

  [[nodiscard]] std::uint32_t first(char32_t cp) const noexcept {
    if (cp >= kLimit) return 0;
    return blocks[(std::size_t{stage1[cp >> 6]} << 6) | (cp & 0x3F)];
  }

  /// Longest key that is a prefix of s[0, n); its length in code points (0
  /// when none) and its entry.
  std::size_t match(const char32_t* s, std::size_t n, const entry*& found) const noexcept;

  /// Calls f(length, entry) for every key of two or more code points that
  /// is a prefix of s[0, n), shortest first.
  template <typename F>
  void each_phrase(const char32_t* s, std::size_t n, F&& f) const {
    std::size_t longest = first(s[0]) >> 24;
    if (longest > n) longest = n;
    for (std::size_t len = 2; len <= longest; ++len) {
      const entry* e = find(s, len);
      if (e == nullptr) return;  // no key goes on from here
      if (e->value_len != kPrefixOnly) f(len, *e);
    }
  }

  /// The entry (key or prefix) for exactly s[0, len), len >= 2; null if none.
  [[nodiscard]] const entry* find(const char32_t* s, std::size_t len) const noexcept;
};

/// One OpenCC configuration: normalization steps, an optional maximum-match
/// segmentation, and the conversion chain. A step is a short-circuit list of
/// dictionaries.
struct script_config {
  static constexpr unsigned kMaxSteps = 4;
  static constexpr unsigned kMaxDicts = 4;
  struct step {
    unsigned n = 0;
    const script_dict* dicts[kMaxDicts] = {};
  };
  std::string_view name;
  unsigned nnorm = 0;
  step norm[kMaxSteps];
  bool has_seg = false;
  step seg;
  unsigned nchain = 0;
  step chain[kMaxSteps];
};

/// The classes of a BMP code point for script detection.
enum class han_class : std::uint8_t {
  neutral = 0,          // both scripts write it, or neither
  simplified = 1,       // only Simplified Chinese writes it
  traditional = 2,      // only Traditional Chinese writes it
  weak_simplified = 3,  // both write it; its usual Traditional form is another (后 -> 後)
};
/// Forms of the characters Taiwan or Hong Kong write otherwise than OpenCC's
/// standard (裡 綫 爲 為 ...): who writes each. Other characters have 0.
inline constexpr unsigned kRegionTaiwan = 1, kRegionHongKong = 2, kRegionStandard = 4;

struct script_tables {
  static constexpr unsigned kMaxConfigs = 16;
  static constexpr unsigned kMaxDictCount = 32;
  script_dict dicts[kMaxDictCount];
  unsigned ndicts = 0;
  script_config configs[kMaxConfigs];
  unsigned nconfigs = 0;
  /// Flags of U+3000-U+9FFF for the keep-mode check, one byte each.
  static constexpr char32_t kFlagsBegin = 0x3000;
  static constexpr char32_t kFlagsEnd = 0xA000;
  static constexpr std::uint8_t kFlagSimplified = 1, kFlagTraditional = 2, kFlagWeak = 4,
                                kFlagKana = 8;
  std::uint8_t flags[kFlagsEnd - kFlagsBegin] = {};
  const std::uint8_t* classes = nullptr;  // 2 bits a BMP code point
  const std::uint8_t* regions = nullptr;  // 4 bits a BMP code point

  [[nodiscard]] bool ok() const noexcept { return classes != nullptr; }
  [[nodiscard]] const script_config* config(std::string_view name) const noexcept;
  [[nodiscard]] han_class cls(char32_t cp) const noexcept {
    if (cp >= 0x10000) return han_class::neutral;
    return static_cast<han_class>((classes[cp >> 2] >> ((cp & 3) * 2)) & 3);
  }
  [[nodiscard]] unsigned region(char32_t cp) const noexcept {
    if (cp >= 0x10000) return 0;
    return (regions[cp >> 1] >> ((cp & 1) * 4)) & 15;
  }
};

/// The tables, opened once (a blob that fails the checks gives !ok()).
[[nodiscard]] const script_tables& get_script_tables() noexcept;

}  // namespace mojifix::detail
