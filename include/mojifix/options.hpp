#pragma once

#include <cstdint>
#include <string_view>

namespace mojifix {

/// Target script for Chinese text (Options::script).
enum class script : std::uint8_t {
  keep,         // leave the script as it is (default)
  simplified,   // convert to Simplified Chinese
  traditional,  // convert to Traditional Chinese (OpenCC standard)
  taiwan,       // convert to Traditional Chinese, Taiwan variants
  hongkong,     // convert to Traditional Chinese, Hong Kong variants
};

/// "keep", "simplified", ... ; the inverse of parse_script.
[[nodiscard]] std::string_view to_string(script s) noexcept;
/// Parses the names to_string gives; false for anything else.
[[nodiscard]] bool parse_script(std::string_view name, script& out) noexcept;

/// Unicode normalization form applied last (options::normalization).
enum class normal_form : std::uint8_t {
  none,  // leave composition as it is
  nfc,   // canonical composition (default)
  nfkc,  // compatibility composition: also folds widths, ligatures, ...
};

/// When HTML character references are decoded (options::html_entities).
enum class entity_mode : std::uint8_t {
  never,           // keep &amp; &eacute; &#233; as they are
  outside_markup,  // decode only in text that holds no HTML tags (default)
  always,          // decode everywhere
};

/// What fix_text may do. The defaults are conservative: only damage that the
/// model recognises with a clear margin is undone, and clean text comes back
/// byte for byte.
struct options {
  // --- Encoding repair (runs first) ---

  /// Default true: undo wrong-decoding layers (mojibake).
  bool repair_encoding = true;
  /// Default 3: the most wrong-decoding layers undone in one span (1-3).
  int max_layers = 3;
  /// Default true: decode HTML entities (&eacute; &#233;) when they wrap
  /// mojibake, as an outer layer; entities in clean text are kept.
  bool entities_around_mojibake = true;
  /// Default 1.0: scales how much the model must prefer a repair before it is
  /// made (3 bits plus 1 bit per damaged character at 1.0). Higher is more
  /// cautious.
  double margin = 1.0;
  /// Default true: where a decoder replaced bytes of mojibake with U+FFFD or
  /// '?', rebuild the lost characters when the model finds one reading
  /// clearly best; otherwise U+FFFD is left in the gap.
  bool recover_lossy = true;
  /// Default false: remove the U+FFFD that mark bytes lost for good (and the
  /// 锟斤拷 / 烫烫 / 屯屯 runs that stand for them) instead of keeping them.
  bool drop_lost = false;

  // --- Chinese script (after repair) ---

  /// Default script::keep: text consistently in one script is left alone; a
  /// mixed text is unified to its dominant script, and Simplified residue in
  /// a Traditional text is fixed. The other values convert everything.
  mojifix::script script = script::keep;
  /// Default true: remove readings that converters inserted after Han
  /// characters (網(wǎng), 網(ㄨㄤˇ), 漢字(かんじ)) when they are valid readings
  /// of those characters.
  bool remove_readings = true;

  // --- General fixers: after repair and reading removal, in this order;
  // then the script conversion, then CJK punctuation. Reading annotations are
  // taken out before repair too, so that repair never reads them as mojibake.

  /// Default entity_mode::outside_markup.
  entity_mode html_entities = entity_mode::outside_markup;
  /// Default true: C1 controls (U+0080-U+009F) that stand for windows-1252
  /// characters become those characters.
  bool fix_c1_controls = true;
  /// Default true: surrogate pairs written as two CESU-8 or WTF-8 sequences
  /// become the one character they stand for. A lone surrogate stays as the
  /// invalid bytes it is (nothing is lost; the result says invalid_utf8).
  bool fix_surrogates = true;
  /// Default true: remove ANSI terminal escape sequences.
  bool remove_terminal_escapes = true;
  /// Default true: remove deprecated format characters (U+206A-U+206F,
  /// U+FFF9-U+FFFB) and C0 controls or DEL inside a word. NUL, tab, line
  /// feed, carriage return, form feed and controls standing between words
  /// are kept.
  bool remove_control_chars = true;
  /// Default true: Latin ligatures (ﬁ, ﬂ) become their letters.
  bool fix_latin_ligatures = true;
  /// Default true: fullwidth Latin letters and digits become ASCII in Latin
  /// context; halfwidth katakana glued to fullwidth katakana (パスﾜｰド)
  /// become fullwidth. CJK punctuation is kept. Spans that repair restored
  /// are left as they came out.
  bool fix_width = true;
  /// Default false: CR LF, lone CR, NEL, U+2028 and U+2029 become LF. Off by
  /// default because CR LF files are clean text, and a lone CR made a line
  /// break would change the line count of line-oriented output.
  bool fix_line_breaks = false;
  /// Default false: curly quotes become straight ASCII quotes.
  bool uncurl_quotes = false;
  /// Default true: remove a byte-order mark at the start or inside the text.
  bool remove_bom = true;
  /// Default false: remove zero-width spaces and joiners.
  bool remove_zero_width = false;
  /// Default true: a Japanese dakuten or handakuten written as a spacing mark
  /// (か゛) joins its kana (が).
  bool fix_dakuten = true;
  /// Default true: Kangxi radicals and CJK compatibility ideographs become
  /// the unified ideographs they stand for.
  bool fix_cjk_compatibility = true;
  /// Default true: a Hangul filler followed by an initial consonant, a vowel
  /// and a final consonant or another filler (ㅤㄸㅗㅁ) becomes the syllable
  /// (똠). That is how EUC-KR writes, in eight bytes, a syllable KS X 1001
  /// lacks; decoders that do not compose them show four jamo. Syllables KS X
  /// 1001 has are never written so, and are left as they are.
  bool compose_jamo = true;
  /// Default normal_form::nfc. Applied last among the fixers; characters
  /// excluded from composition (क़) are not decomposed.
  normal_form normalization = normal_form::nfc;
  /// Default false: between CJK characters, ASCII , : ; ! ? ( ) that stood
  /// for fullwidth punctuation become ，：；！？（）.
  bool restore_cjk_punct = false;
};

}  // namespace mojifix
