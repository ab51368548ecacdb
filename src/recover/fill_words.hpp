#pragma once
// Chinese words of two to four characters with their frequencies
// (tools/gen_fill_words.py, data/model/fill_words.bin, from jieba's
// dictionary in Simplified and Taiwan standard characters). Lossy recovery
// asks it whether a gap's reading makes a word with the characters around
// it: evidence a character model weighs only pair by pair.

#include <cstddef>
#include <cstdint>
#include <vector>

namespace mojifix::detail {

class fill_words {
 public:
  /// The one immutable instance, built on first use and shared by threads.
  static const fill_words& get() noexcept;

  /// False when the table is missing or malformed: nothing is a word.
  [[nodiscard]] bool ok() const noexcept { return n_ != 0; }

  /// round(4 * log2(frequency)) of the word w[0, n), or -1 when it is none
  /// (n outside 2..4, a character outside the BMP or below U+3400).
  [[nodiscard]] int weight(const char32_t* w, std::size_t n) const noexcept;

 private:
  fill_words() noexcept;

  const std::uint64_t* keys_ = nullptr;
  const std::uint8_t* weights_ = nullptr;
  std::size_t n_ = 0;
  // A bit per hash of the keys: most strings asked about are no words.
  std::vector<std::uint64_t> filter_;
  static constexpr unsigned kFilterBits = 23;
};

}  // namespace mojifix::detail
