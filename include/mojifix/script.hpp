#pragma once
// Chinese script: which script a text is written in (Simplified or
// Traditional Chinese), and conversion between them with OpenCC's
// dictionaries (phrase-level, the same results as OpenCC's configurations).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mojifix/options.hpp"

namespace mojifix {

/// What the Han characters of a text say about its script.
enum class script_verdict : std::uint8_t {
  undetermined,  // no evidence either way (or Japanese: kana present)
  simplified,    // Simplified Chinese evidence only; without evidence characters,
                 // more weak characters and mainland terms than Taiwan terms
  traditional,   // Traditional Chinese evidence only (Taiwan, Hong Kong or OpenCC
                 // standard); without evidence characters, more Taiwan terms
  mixed,         // evidence characters of both scripts
};

/// "undetermined", "simplified", "traditional", "mixed".
[[nodiscard]] std::string_view to_string(script_verdict v) noexcept;

/// The evidence behind a verdict. Evidence characters are the ones only one
/// script writes (国 or 國); characters both scripts write (的, 台, 群) are
/// no evidence. Weak evidence counts characters both scripts write whose
/// usual Traditional form is another one (后 -> 後, 干 -> 幹): on their own
/// they decide nothing.
struct script_counts {
  script_verdict verdict = script_verdict::undetermined;
  std::size_t han = 0;                   // Han characters
  std::size_t simplified_evidence = 0;   // characters only Simplified Chinese writes
  std::size_t traditional_evidence = 0;  // characters only Traditional Chinese writes
  std::size_t weak_simplified = 0;       // 后 干 里 万 ...: Simplified unless in a phrase
  std::size_t kana = 0;                  // hiragana and katakana: Japanese text
  // Forms of the characters Taiwan or Hong Kong write otherwise than
  // OpenCC's standard (裏 裡 爲 為 綫 ...), by who writes them.
  std::size_t taiwan_forms = 0;    // forms Taiwan writes (裡 為 戶)
  std::size_t hongkong_forms = 0;  // forms Hong Kong writes (裏 為 户)
  std::size_t standard_forms = 0;  // forms OpenCC's standard writes (裏 爲 戶)
  // Regional terms written with shared characters, counted only when no
  // character is evidence: mainland 字符串 打印, Taiwan 字串 列印 使用者.
  std::size_t simplified_terms = 0;
  std::size_t traditional_terms = 0;
  /// True when the verdict rests on evidence characters of one script only;
  /// false for verdicts from weak characters or terms, and for mixed.
  bool confident = false;
};

/// One sentence: bytes [begin, end) of the text (ending after 。！？!? or a
/// line break).
struct sentence_script {
  std::size_t begin = 0;
  std::size_t end = 0;
  script_counts counts;
};

/// The verdict for the whole text and for each sentence that holds Han
/// characters.
struct script_report {
  script_counts counts;  // the whole text
  std::vector<sentence_script> sentences;
};

/// Classifies UTF-8 text (invalid bytes are skipped). Thread-safe; about
/// 0.4 GB/s.
[[nodiscard]] script_report classify_script(std::string_view utf8);

/// OpenCC's configurations, by their file names.
enum class conversion : std::uint8_t {
  s2t,    // Simplified to Traditional (OpenCC standard)
  t2s,    // Traditional (OpenCC standard) to Simplified
  s2tw,   // Simplified to Traditional, Taiwan variants
  tw2s,   // Traditional, Taiwan variants, to Simplified
  s2hk,   // Simplified to Traditional, Hong Kong variants
  hk2s,   // Traditional, Hong Kong variants, to Simplified
  s2twp,  // s2tw with Taiwan phrases (软件 -> 軟體)
  tw2sp,  // tw2s with Taiwan phrases
  t2tw,   // OpenCC standard to Taiwan variants
  t2hk,   // OpenCC standard to Hong Kong variants
  tw2t,   // Taiwan variants to OpenCC standard
  hk2t,   // Hong Kong variants to OpenCC standard
};

/// "s2t", "t2s", ... ; the inverse of parse_conversion.
[[nodiscard]] std::string_view to_string(conversion c) noexcept;
/// Parses the names to_string gives; false for anything else.
[[nodiscard]] bool parse_conversion(std::string_view name, conversion& out) noexcept;

/// Converts UTF-8 text as OpenCC does with that configuration (longest
/// match over its phrase dictionaries, then its character tables). Invalid
/// bytes are kept. Thread-safe.
[[nodiscard]] std::string convert_chinese(std::string_view utf8, conversion c);

/// What fix_text does to the script with options::script = target and
/// nothing else: keep leaves consistent text alone, unifies mixed text to
/// its dominant script and fixes Simplified residue in Traditional text; the
/// other targets convert everything.
[[nodiscard]] std::string convert_script(std::string_view utf8, script target);

}  // namespace mojifix
