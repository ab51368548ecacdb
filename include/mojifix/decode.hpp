#pragma once
// Bytes in, UTF-8 out: encoding detection and decoding of raw input (what a
// crawler or a database dump hands over), before repair.

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "mojifix/options.hpp"
#include "mojifix/result.hpp"

namespace mojifix {

/// One possible encoding with how likely it is.
struct encoding_guess {
  std::string name;       // canonical lower-case name, as in detection::encoding
  double confidence = 0;  // 0..1
};

/// Evidence from outside the bytes. Hints shift the balance between readings
/// the bytes leave open; they never override what the bytes show (a page
/// labelled gbk that is valid UTF-8 is UTF-8).
struct detect_hints {
  /// A declared charset: an encoding name ("Shift_JIS"), an HTTP Content-Type
  /// ("text/html; charset=gbk") or an HTML/XML declaration
  /// ("<meta charset=big5>"). Empty: none.
  std::string_view declared;
  /// The language of the text as a BCP 47 tag ("zh-TW", "ja", "ru"). Empty:
  /// unknown.
  std::string_view language;
};

/// What detect_encoding found.
struct detection {
  /// Canonical lower-case name: "ascii", "utf-8", "utf-16le", "utf-16be",
  /// "utf-32le", "utf-32be", "cesu-8", "gbk", "gb18030", "big5", "shift_jis",
  /// "euc-jp", "euc-kr", "cp949", "windows-1252", "iso-8859-2", "koi8-r", ...
  /// Equivalent names are reported as the narrower standard the bytes fit
  /// (gbk unless four-byte GB18030 forms occur, euc-kr unless UHC forms do).
  std::string encoding;
  /// 0..1. 1 for a byte-order mark and for valid UTF-8 (or ASCII);
  /// otherwise the model's share for this reading against the others
  /// (readings that give the same text count as this one).
  double confidence = 0;
  /// Other readings, most likely first (at most 4).
  std::vector<encoding_guess> alternatives;
  /// The input starts with a byte-order mark of `encoding`; it is
  /// bom_length bytes long.
  bool bom = false;
  std::size_t bom_length = 0;
  /// Mostly UTF-8 with islands of another encoding (encoding is "utf-8";
  /// island_encoding names the islands' most likely encoding).
  bool mixed = false;
  std::string island_encoding;
};

/// Guesses the encoding of raw bytes. In order: a byte-order mark; UTF-16 or
/// UTF-32 given away by control bytes in one lane (NUL for ASCII, 04 for
/// Cyrillic ...); valid UTF-8 (reported as "ascii" when every byte is below
/// 0x80); CESU-8; mostly-UTF-8 with islands; then the candidate decodings
/// (the CJK double-byte encodings, UTF-16 without control bytes, the
/// single-byte code pages of the codec room and ISO-8859-3/4/6/8/9/10/13/16,
/// DOS 737/852/855/862/865, Mac Central European and Cyrillic, TIS-620,
/// KOI8-U) ranked by the plausibility model on a bounded sample, with
/// uchardet consulted when the two best are close.
///
/// Valid UTF-8 is never reported as another encoding, with three exceptions
/// for bytes that are not text as UTF-8: UTF-16/UTF-32 whose lanes of high
/// bytes are control bytes (or, for 7-bit input, one repeated byte such as
/// 30 for kana, when the model reads it far better as UTF-16), and 7-bit
/// ISO-2022-JP (with its ESC designations, or without them when the model
/// reads the "$B...(B" stretches far better as Japanese).
///
/// Large inputs are checked for UTF-8 validity in full and scored on a few
/// samples, so a call costs one validity pass plus a bounded amount of
/// model work. Thread-safe.
///   detect_encoding("\xC4\xE3\xBA\xC3").encoding == "gbk"   // 你好
[[nodiscard]] detection detect_encoding(std::string_view bytes, const detect_hints& hints = {});

/// How decode() reads its input.
struct decode_options {
  /// The input's encoding: "auto" (or empty) to detect it, or a name that
  /// detect_encoding reports or encoding aliases such as "latin-1", "sjis",
  /// "cp936". An unknown name gives error::unsupported_option.
  std::string_view from = "auto";
  /// Detect the encoding of each line on its own (files whose encoding
  /// changes from line to line). Lines end at '\n' (CR LF kept as is); for
  /// UTF-16/UTF-32 input the whole input has one encoding.
  bool per_line = false;
  /// Evidence for detection (auto only).
  detect_hints hints;
};

/// Decodes bytes to UTF-8 and repairs the text (fix_and_explain with opt).
///
/// The Plan (fix_result::steps) first lists how the bytes were decoded, in
/// input byte offsets: one step for the whole input when it was not UTF-8
/// (chain "decode gbk"), one per island of another encoding inside UTF-8
/// (chain "gbk island"), one per line decoded on its own in per-line mode
/// (chain "line decoded as big5"), and the special forms
/// ("utf-8 bom read as gbk", "iso-2022-jp with escapes stripped",
/// "utf-16le byte-swapped", "shift_jis 0x5c escaped"). `before` holds the
/// input bytes as they were (not necessarily UTF-8), `after` their decoding.
/// The repair steps that follow are in byte offsets of the decoded text.
///
/// Undecodable bytes: a byte sequence that is not a character of the chosen
/// encoding becomes U+FFFD (one per bad sequence, as browsers do) and gets a
/// step "undecodable bytes"; nothing is dropped silently. A UTF-8 byte-order
/// mark stays in the text for the repair stage (options::remove_bom); the
/// byte-order mark of UTF-16/UTF-32 is part of the encoding and is removed.
/// Valid UTF-8 input gives exactly fix_and_explain(bytes, opt).
/// Thread-safe.
///   decode("\xC4\xE3\xBA\xC3").text == "你好"
[[nodiscard]] fix_result decode(std::string_view bytes, const options& opt = {},
                                const decode_options& how = {});

/// Decodes a stream piece by piece with bounded memory: characters cut
/// between two pieces are completed with the next piece. For use after
/// detect_encoding has looked at a prefix. Per-line mode as in
/// decode_options::per_line. Not thread-safe; one per stream.
///   stream_decoder d("gbk");
///   out += d.feed(piece1); out += d.feed(piece2); out += d.finish();
class stream_decoder {
 public:
  /// `encoding` as in decode_options::from ("auto" is not accepted here).
  /// ok() is false for an unknown name.
  explicit stream_decoder(std::string_view encoding, bool per_line = false);
  ~stream_decoder();
  stream_decoder(stream_decoder&&) noexcept;
  stream_decoder& operator=(stream_decoder&&) noexcept;

  [[nodiscard]] bool ok() const noexcept;
  /// Decodes as much of `bytes` (following the earlier pieces) as forms
  /// complete characters (complete lines in per-line mode) and returns it
  /// as UTF-8; the rest waits for the next piece.
  [[nodiscard]] std::string feed(std::string_view bytes);
  /// Decodes what is left at the end of the stream.
  [[nodiscard]] std::string finish();
  /// Bytes that were not characters of the encoding (each became U+FFFD).
  [[nodiscard]] std::size_t undecodable() const noexcept;

 private:
  struct state;
  std::unique_ptr<state> s_;
};

}  // namespace mojifix
