#pragma once
// Character trigrams of Chinese, Japanese and Korean running text
// (tools/gen_trigrams.py, data/model/trigrams.bin), interpolated with the
// Scorer's bigrams. Lossy recovery asks it which character a gap stood for:
// two characters of context on each side tell much more than one (的 before
// a space, a Korean particle after its noun).

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mojifix::detail {

class scorer;

class trigram_model {
 public:
  static constexpr char32_t kStart = 0x02;  // before the first character of a line

  /// The one immutable instance, built on first use and shared by threads.
  static const trigram_model& get() noexcept;

  /// False when the table is missing or malformed: cost() is then the bigram.
  [[nodiscard]] bool ok() const noexcept { return ok_; }

  /// Cost in bits of c after a and b; a and b may be kStart.
  [[nodiscard]] float cost(char32_t a, char32_t b, char32_t c) const noexcept;

  /// cost(a, b, c) in two steps, for many c after the same a and b: the
  /// context is looked up once. The caller gives the bigram cost of c after
  /// b, both folded (scorer::cost(b == kStart ? 0 : b, c)), which it may
  /// have at hand; the result is cost(a, b, c) to the bit.
  struct context {
    char32_t a = 0, b = 0;  // folded
    int back = -1;          // backoff weight in quarter bits, -1: unseen context
  };
  [[nodiscard]] context context_of(char32_t a, char32_t b) const noexcept;
  [[nodiscard]] float cost(const context& ctx, char32_t folded_c, float lower) const noexcept;
  /// The folding the table was built with (see cost).
  [[nodiscard]] static char32_t fold(char32_t c) noexcept {
    if (c == U'\t' || c == U'\n' || c == U'\v' || c == U'\f' || c == U'\r') return U' ';
    if (c >= U'0' && c <= U'9') return U'0';
    if (c >= U'A' && c <= U'Z') return c + 0x20;
    return c > 0x10FFFF ? 0 : c;
  }

 private:
  // One bucketed hash table of the blob (layout in tools/gen_trigrams.py).
  struct table {
    const std::uint64_t* keys = nullptr;
    const std::uint32_t* starts = nullptr;
    const std::uint16_t* costs = nullptr;
    unsigned bits = 0;
    // A bit per hash of the keys, small enough to stay in cache: most keys
    // asked for are not in the table, and the table itself is megabytes,
    // read at random.
    std::vector<std::uint64_t> filter;
    unsigned filter_bits = 0;
    void build_filter(std::size_t n);
    // Quarter bits stored under key, or -1.
    [[nodiscard]] int find(std::uint64_t key) const noexcept;
  };

  trigram_model() noexcept;

  const scorer& sc_;
  table trigrams_, contexts_;
  bool ok_ = false;
};

}  // namespace mojifix::detail
