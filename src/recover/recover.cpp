#include "recover/recover.hpp"

#include <algorithm>
#include <array>
#include <bitset>
#include <cstdint>
#include <limits>
#include <unordered_map>

#include "codec/utf8.hpp"
#include "detect/discussion.hpp"
#include "detect/suspect.hpp"
#include "model/scorer.hpp"
#include "model/trigrams.hpp"
#include "recover/fill_words.hpp"
#include "recover/gbk_as_utf8.hpp"
#include "recover/single_byte_gaps.hpp"
#include "script/tables.hpp"

namespace mojifix::detail {
namespace {

constexpr char32_t kFffd = U'\uFFFD';
constexpr char32_t kStraySign = U'\u9286';  // 銆: E3 80, the start of a UTF-8 。 read as GBK

// A line's characters encoded with a layer's wrong table (encode_wrong),
// once for the checks and the lattice of that layer; U+FFFD encodes to
// nothing.
struct encoded_char {
  std::uint8_t n = 0;
  std::array<std::uint8_t, 4> b{};
};
using encoded_line = std::vector<encoded_char>;

void encode_line(std::u32string_view line, const layer& l, encoded_line& out) {
  out.resize(line.size());
  for (std::size_t t = 0; t < line.size(); ++t) {
    encoded_char& e = out[t];
    e.n =
        line[t] == U'\uFFFD' ? 0 : static_cast<std::uint8_t>(encode_wrong(l, line[t], e.b.data()));
  }
}

// One byte of the stream the wrong decoder read. A gap (a U+FFFD or '?' the
// decoder wrote) becomes one or two wild bytes; the second may be optional
// (the decoder swallowed one byte or two).
struct slot {
  std::uint8_t value = 0;  // the byte, when known
  std::uint8_t lo = 0;     // wild: the range the byte may take
  std::uint8_t hi = 0;
  const std::bitset<256>* allowed = nullptr;  // wild: the values in range the decoder fails on
  bool wild = false;
  bool optional = false;    // may be absent (the gap was one byte shorter)
  bool pair_gap = false;    // wild: of a gap that may stand for one byte or two
  bool barrier = false;     // a character the wrong decoder cannot have made
  std::uint32_t token = 0;  // index of the line character the slot stands for
};

// A character read from the lattice, from slot `from` to slot `to`.
struct reading {
  char32_t cp;
  std::uint32_t from, to;
  std::array<std::uint8_t, 4> bytes;
  std::uint8_t nbytes;
  bool filled;            // some byte was a gap
  bool stray = false;     // a byte that belongs to no character (cp is 0)
  bool all_wild = false;  // every byte was a gap
};

struct node {
  int prev;
  std::uint32_t from, to;
  char32_t cp;
  bool decoded;
  std::uint32_t reading;  // index into the candidate list of `from` (decoded only)
};

struct state {
  float cost;
  char32_t last;
  bool decoding;
  int node;
};

// Hypotheses for one gap under one decoder behaviour.
struct gap_shape {
  bool two = false;             // the gap may stand for a second byte
  bool second_optional = true;  // ... or only for one
  std::uint8_t second_lo = 0x80;
};

bool text_class(char_class c) { return is_text(c) && c != char_class::other_letter; }

// Characters a gap may be filled with: what CJK text is made of. Rare Han,
// symbols and letters of other scripts fill a gap by chance far more often
// than they were there.
bool fill_class(char_class c) {
  switch (c) {
    case char_class::han_common:
    case char_class::han_uncommon:
    case char_class::kana:
    case char_class::hangul_ksx1001:
    case char_class::cjk_symbol:
    case char_class::fullwidth_ascii:
    case char_class::latin_letter:
    case char_class::symbol:
      return true;
    default:
      return false;
  }
}

// Characters a gap of three lost bytes may be filled with: common Han,
// kana, the Hangul syllables of KS X 1001, CJK punctuation. With nothing
// of the character left, anything rarer fits by chance.
bool all_wild_class(char_class c) {
  switch (c) {
    case char_class::han_common:
    case char_class::kana:
    case char_class::hangul_ksx1001:
    case char_class::cjk_symbol:
      return true;
    default:
      return false;
  }
}

// The third bytes that make an all_wild_class character after the two
// bytes of a three-byte UTF-8 prefix (E0-EF, 80-BF), per prefix.
const std::vector<std::uint8_t>& all_wild_thirds(std::uint8_t b0, std::uint8_t b1) {
  static const std::vector<std::vector<std::uint8_t>> table = [] {
    std::vector<std::vector<std::uint8_t>> t(16 * 64);
    const scorer& sc = scorer::get();
    for (int a = 0; a < 16; ++a)
      for (int b = 0; b < 64; ++b)
        for (int c = 0; c < 64; ++c) {
          const auto cp = static_cast<char32_t>((a << 12) | (b << 6) | c);
          if (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF)) continue;
          if (all_wild_class(sc.classify(cp)))
            t[static_cast<std::size_t>(a * 64 + b)].push_back(static_cast<std::uint8_t>(0x80 | c));
        }
    return t;
  }();
  static const std::vector<std::uint8_t> none;
  if (b0 < 0xE0 || b0 > 0xEF || b1 < 0x80 || b1 > 0xBF) return none;
  return table[static_cast<std::size_t>((b0 - 0xE0) * 64 + (b1 - 0x80))];
}

// True when CPython's gbk decoder reads the pair as a character (as a
// naive reader does): the library's table also maps the user-defined rows
// (to private use) and a few pairs CP936 added later (€ at A2 E3, the FE
// 50-9F row ...).
bool python_gbk_pair(std::uint8_t a, std::uint8_t b, char32_t& cp) {
  const std::uint8_t pair[2] = {a, b};
  if (decode_one(encoding::gbk, pair, 2, cp) != 2) return false;
  if (cp >= 0xE000 && cp <= 0xF8FF) return false;
  const unsigned v = (unsigned{a} << 8) | b;
  return !(v == 0xA2E3 || v == 0xA8BC || v == 0xA8BF || (v >= 0xA989 && v <= 0xA995) ||
           (v >= 0xFE50 && v <= 0xFE9F));
}

// Other tables whose decoders make the same characters from the same bytes
// but fail on other pairs (CPython's gbk rejects the user-defined rows that
// gb18030 maps to private use; plain EUC-KR lacks the UHC extension).
std::array<encoding, 2> verifiers(encoding wrong) {
  switch (wrong) {
    case encoding::gb18030:
      return {encoding::gb18030, encoding::gbk};
    case encoding::big5_hkscs:
      return {encoding::big5_hkscs, encoding::cp950};
    case encoding::cp932:
      return {encoding::cp932, encoding::shift_jis};
    case encoding::cp949:
      return {encoding::cp949, encoding::euc_kr};
    default:
      return {wrong, wrong};
  }
}

// The bytes v >= 0x80 for which the decoder, reading v and then the `count`
// bytes of `after` (low byte first), writes one replacement for v alone and
// then reads `after` as it would on its own. Cached: a handful of contexts
// recur.
std::unordered_map<std::uint64_t, std::bitset<256>>& failing_cache() {
  // Per thread: no lock. Emptied only between two searches (see
  // lattice::build), so the references a search holds stay valid.
  thread_local std::unordered_map<std::uint64_t, std::bitset<256>> cache;
  return cache;
}

const std::bitset<256>& failing_bytes(encoding wrong, decode_mode mode, std::uint32_t after,
                                      int count) {
  auto& cache = failing_cache();
  const std::uint64_t key = (static_cast<std::uint64_t>(wrong) << 40) |
                            (static_cast<std::uint64_t>(mode) << 36) |
                            (static_cast<std::uint64_t>(count) << 32) | after;
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::bitset<256> ok;
  // v and then the tail, in one buffer whose first byte changes.
  char bytes[4] = {0, 0, 0, 0};
  for (int k = 0; k < count; ++k) bytes[1 + k] = static_cast<char>((after >> (8 * k)) & 0xFF);
  const std::string_view tail(bytes + 1, static_cast<std::size_t>(count));
  const std::string_view with_v(bytes, static_cast<std::size_t>(count) + 1);
  std::string want, got;
  for (encoding e : verifiers(wrong)) {
    want.assign("\xEF\xBF\xBD");
    decode(e, tail, mode, want);
    for (int v = 0x80; v <= 0xFF; ++v) {
      if (ok.test(static_cast<std::size_t>(v))) continue;  // the other table said so
      bytes[0] = static_cast<char>(v);
      got.clear();
      decode(e, with_v, mode, got);
      if (got == want) ok.set(static_cast<std::size_t>(v));
    }
  }
  return cache.emplace(key, ok).first->second;
}

// The cost of a character at the start of a line, for every BMP code point:
// how gap readings are ranked before the search looks at their context.
float out_of_context_cost(char32_t cp) {
  static const std::vector<float> table = [] {
    std::vector<float> t(0x10000);
    const scorer& sc = scorer::get();
    for (char32_t c = 0; c < 0x10000; ++c) t[c] = sc.cost(0, c);
    return t;
  }();
  return cp < 0x10000 ? table[cp] : scorer::get().cost(0, cp);
}

// The trigram model knows no line ends (in its text they fall where a man
// page's source wraps); a line of CJK text ends with a sentence mark far
// more often than with anything else (銆� at the end of a line is 。 much
// more often than 、).
float line_end_cost(char32_t c) {
  switch (c) {
    case U'\u3002':  // 。
    case U'\uFF0C':  // ，
    case U'\uFF1A':  // ：
    case U'\uFF01':  // ！
    case U'\uFF1F':  // ？
    case U'\uFF1B':  // ；
    case U'\uFF09':  // ）
    case U'\u300D':  // 」
    case U'\u300F':  // 』
    case U'\u300B':  // 》
      return 0.0f;
    default:
      return 4.0f;
  }
}

// A character the dictionary's words are made of (Han of the BMP).
bool is_han_context(char32_t c) { return c >= 0x3400 && c <= 0xFFFF && c != kFffd; }

// True when a gap's reading x makes a dictionary word with the known
// characters around it (win: three each side, 0 where none is known, x
// goes at 3).
bool makes_word(const fill_words& words, char32_t (&win)[7], char32_t x) {
  if (x < 0x3400 || x > 0xFFFF) return false;
  // The run of Han characters around x: words lie within it.
  auto han = [](char32_t c) { return is_han_context(c); };
  std::size_t lo = 3, hi = 4;
  while (lo > 0 && han(win[lo - 1])) --lo;
  while (hi < 7 && han(win[hi])) ++hi;
  if (hi - lo < 2) return false;
  win[3] = x;
  for (std::size_t len = 2; len <= 4 && len <= hi - lo; ++len)
    for (std::size_t b = std::max<std::size_t>(lo, 4 - len); b <= 3 && b + len <= hi; ++b)
      if (words.weight(win + b, len) >= 0) return true;
  return false;
}

class lattice {
 public:
  lattice(std::u32string_view line, const encoded_line& enc, const layer& l, decode_mode mode,
          const recover_settings& s)
      : line_(line),
        enc_(enc),
        layer_(l),
        mode_(mode),
        s_(s),
        sc_(scorer::get()),
        tg_(trigram_model::get()) {}

  // Runs the search; false when the wrong decoder cannot have made the line.
  bool run();
  float best_cost() const { return best_cost_; }
  // The spans the best reading changes, verified against the decoder.
  void spans(std::vector<lossy_fix>& out);

 private:
  void build();
  const std::vector<reading>& candidates(std::uint32_t p);
  void walk(std::uint32_t pos, int need, std::array<std::uint8_t, 4>& acc, int n, int wild,
            std::uint32_t from, std::vector<reading>& out, std::vector<reading>& scratch);
  void emit(std::uint32_t pos, const std::array<std::uint8_t, 4>& acc, int n, int wild,
            std::uint32_t from, std::vector<reading>& out, std::vector<reading>& scratch);
  // Adds st (reached through n) at p unless a cheaper state with the same
  // last character is there; n is stored only when st is kept.
  void push(std::uint32_t p, state st, const node& n);
  // The costliest state at p (the first of equal ones), kept until the
  // states there change: a full position is asked for it on every push.
  state& worst(std::uint32_t p);
  // True when no state costing at least `least` can enter p: p is full and
  // its worst state costs no more (push would leave p as it is).
  bool closed(std::uint32_t p, float least);
  // failing_bytes before the one byte v, looked up once per lattice.
  const std::bitset<256>& failing_before(int v) {
    const std::bitset<256>*& f = failing_before_[static_cast<std::size_t>(v)];
    if (f == nullptr) f = &failing_bytes(layer_.wrong, mode_, static_cast<std::uint32_t>(v), 1);
    return *f;
  }
  // A WHATWG decoder that swallows a bad pair with its non-ASCII second
  // byte (all but gb18030, whose pairs fail only on an ASCII one).
  bool whole_pairs() const {
    return mode_ == decode_mode::whatwg && !gbk_truth_ && layer_.wrong != encoding::gb18030;
  }
  // True when the gap of slot p and the next character, also a gap, stand
  // alone between known characters: one character's three bytes under two
  // U+FFFD. Longer runs are other damage (a decoder that resynchronises
  // byte by byte) and fit fills by chance.
  // Not for Big5: a Chinese character with no byte left is one of
  // thousands, and the search over them cost more than it brought back.
  bool two_gaps_alone(std::uint32_t p) const {
    if (layer_.wrong == encoding::big5_hkscs || layer_.wrong == encoding::big5) return false;
    const std::size_t t = slots_[p].token;
    auto gap = [&](std::size_t k) { return k < line_.size() && line_[k] == kFffd; };
    return gap(t) && gap(t + 1) && !gap(t + 2) && (t == 0 || !gap(t - 1));
  }
  void gbk_readings(std::uint32_t p, std::vector<reading>& out, std::vector<reading>& scratch);
  // Whether the line puts spaces beside CJK characters ("设置 窗口 文本").
  bool spaces_beside_cjk() {
    if (spaced_ < 0) {
      auto cjk = [](char32_t c) { return c >= 0x2E80 && c != kFffd; };
      spaced_ = 0;
      for (std::size_t i = 0; i < line_.size() && spaced_ == 0; ++i)
        if (line_[i] == U' ' &&
            ((i > 0 && cjk(line_[i - 1])) || (i + 1 < line_.size() && cjk(line_[i + 1]))))
          spaced_ = 1;
    }
    return spaced_ == 1;
  }
  // True when a gap or a stray sign (see stray_sign) lies within kReach
  // slots of p: the decoder wrote '?' within a few characters of where it
  // fell out of step (held-out lines: a reach of 24 bytes left 14 of their
  // characters unread, one of 36 or more none).
  bool near_gap(std::uint32_t p) const {
    constexpr std::uint32_t kReach = 40;
    const std::uint32_t b = p > kReach ? p - kReach : 0;
    const std::uint32_t e =
        std::min<std::uint32_t>(static_cast<std::uint32_t>(slots_.size()), p + kReach + 1);
    return gaps_before_[e] > gaps_before_[b];
  }
  // Read out of step, 銆 is the stray bytes E3 80 of a UTF-8 。 inside GBK
  // text: like a gap, it marks where the decoder fell out of step.
  // The byte after it, a continuation byte, ends that 。 (E3 80 82).
  bool stray_sign(std::uint32_t p) const {
    auto sign = [&](std::uint32_t q) {
      return !slots_[q].wild && !slots_[q].barrier && line_[slots_[q].token] == kStraySign;
    };
    if (!gbk_truth_ || slots_[p].wild || slots_[p].barrier) return false;
    if (sign(p)) return true;
    return p >= 2 && sign(p - 1) && sign(p - 2) && slots_[p - 1].token == slots_[p - 2].token &&
           slots_[p].value >= 0x80 && slots_[p].value <= 0xBF;
  }
  // True when the readings [lo, hi) give back the line's characters from
  // where the first starts to where the last ends.
  bool verify(const std::vector<const reading*>& pick, std::size_t lo, std::size_t hi) const;
  // A character of the line as the reading that keeps it sees it. Against
  // a naive decoder's damage (GBK read out of step, UTF-8 read as GBK), the
  // line's '?' are judged as the question marks they would be if typed in
  // ASCII (？): the damage must explain the line better than a writer who
  // typed them.
  char32_t as_typed(char32_t c) const {
    return mode_ == decode_mode::naive && c == U'?' ? U'\uFF1F' : c;
  }
  bool verify_out_of_step(std::u32string_view want, const std::string& bytes,
                          const std::vector<bool>& wild, const std::vector<bool>& guessed) const;
  // Read out of step: true when slot p is the second byte of a '?'.
  bool shifted_gap_second(std::uint32_t p) const {
    return gbk_truth_ && mode_ == decode_mode::naive && p > 0 && slots_[p].wild &&
           slots_[p].pair_gap && slots_[p - 1].wild && slots_[p - 1].pair_gap &&
           slots_[p - 1].token == slots_[p].token;
  }
  // The byte a fill gave the slot before p, where the reading st stands on
  // is a filled GBK pair ending there; -1 otherwise.
  int filled_last_byte(const state& st, std::uint32_t p) const;

  std::u32string_view line_;
  const encoded_line& enc_;  // line_ under layer_
  const layer& layer_;
  decode_mode mode_;
  const recover_settings& s_;
  const scorer& sc_;
  const trigram_model& tg_;
  // The buffers of the search, kept from line to line (one lattice of a
  // thread lives at a time): their allocations are reused.
  struct buffers {
    std::vector<slot> slots;
    std::vector<std::uint32_t> token_start;
    std::vector<bool> is_start;
    std::vector<std::vector<reading>> cands;
    std::vector<bool> cands_done;
    std::vector<std::vector<state>> states;
    std::vector<int> worst;  // per position: index of the costliest state, -1: not known
    std::vector<node> nodes;
    std::vector<reading> scratch;
    std::vector<std::pair<float, std::size_t>> ranked;
    std::string bytes, got;  // verify
    std::vector<bool> wild, guessed;
    std::vector<std::uint32_t> gaps_before;
  };
  static buffers& thread_buffers() {
    thread_local buffers b;
    return b;
  }
  buffers& buf_ = thread_buffers();
  std::vector<slot>& slots_ = buf_.slots;
  std::array<const std::bitset<256>*, 256> failing_before_{};
  bool gbk_truth_ = false;  // the original is GBK text (read out of step), not UTF-8
  std::vector<std::uint32_t>& token_start_ =
      buf_.token_start;  // per line character, and one past the end
  std::vector<bool>& is_start_ = buf_.is_start;
  // Per slot, and one past the end: the gaps and stray signs before it.
  std::vector<std::uint32_t>& gaps_before_ = buf_.gaps_before;
  std::vector<std::vector<reading>>& cands_ = buf_.cands;
  std::vector<bool>& cands_done_ = buf_.cands_done;
  std::vector<std::vector<state>>& states_ = buf_.states;
  std::vector<int>& worst_ = buf_.worst;
  std::vector<node>& nodes_ = buf_.nodes;
  int best_node_ = -1;
  float best_cost_ = std::numeric_limits<float>::infinity();
  int spaced_ = -1;  // spaces_beside_cjk(), once known
  // While a fill is chosen (see spans): verify_out_of_step also requires
  // the pairs holding a byte of reading strict_pick_ (the bytes
  // [strict_lo_, strict_hi_) of the piece) to be ones the decoder fails on.
  mutable bool strict_ = false;
  mutable std::size_t strict_pick_ = 0, strict_lo_ = 0, strict_hi_ = 0;
};

constexpr std::size_t kBeam = 8;
constexpr std::size_t kMaxStates = 32;  // states gathered at a position before the beam cut
constexpr float kStrayCost = 10.0f;     // bits: a gap byte that belongs to no character
// A known byte skipped as stray throws away evidence: read out of step, the
// stray bytes are mostly in the gaps themselves.
constexpr float kKnownStrayCost = 18.0f;
// The three bytes of a UTF-8 。 inside GBK text (銆 and the byte after it)
// are one slip of the writer, each byte cheap.
constexpr float kStraySignCost = 4.0f;
constexpr float kShiftedPrior = 12.0f;  // bits: GBK read out of step, against UTF-8 read as GBK
constexpr float kSeenPairBonus = 4.0f;  // bits: the pair stands elsewhere in the line
constexpr float kSeenCharBonus = 1.0f;  // bits: the character does
// bits: the reading makes a word of jieba's dictionary with the known
// characters around it (区 before 分, 进 before 程): evidence beyond the
// character trigrams, which hold the words' pairs but not the words.
// Measured on the lossy chains: 2 bits brings back more lines than it
// invents characters; 3 and more invent faster than they bring back.
constexpr float kWordBonus = 2.0f;
// bits: the pair stands in the text around the line (a name spelt out in
// full elsewhere in an article is strong evidence: it must outweigh a common
// character of the same bytes, and one that makes a dictionary word with
// them: the text itself tells more than the dictionary)
constexpr float kDocumentPairBonus = 8.0f + kWordBonus;
// The share of the fill margin a CJK punctuation mark must beat another by
// (held-out lines, UTF-8 read as GBK, three chains: at 1/2, 53 more lines
// came back whole and 15 more characters were wrong; at 2/3, 34 and 12; at
// 1/3, 59 and 23).
constexpr float kPunctuationMarginShare = 0.5f;
constexpr double kMinUtf8Fit = 0.5;       // see utf8_fit
constexpr float kOtherScriptCost = 6.0f;  // bits: a fill in the script the line is not in
// Readings of a character whose bytes were all gaps (two U+FFFD of a decoder
// that swallows bad pairs whole) kept for the search: the syllables and Han
// characters text is mostly written with that the decoder fails on there.
constexpr std::size_t kAllWildCandidates = 2048;
constexpr double kMaxBig5FffdShare = 0.55;    // see recover_chunk
constexpr std::size_t kFillCandidates = 256;  // readings of a gap kept for the search (a Hangul
                                              // syllable with two lost bytes has thousands)

void lattice::build() {
  // Contexts after a gap are many on a long run of text: the cache of the
  // decoder's failing bytes is kept bounded.
  if (failing_cache().size() > (1u << 16)) failing_cache().clear();
  slots_.clear();
  token_start_.clear();
  nodes_.clear();
  const bool naive = mode_ == decode_mode::naive;
  gap_shape shape;
  if (naive) {
    // Every byte >= 0x80 starts a pair; a bad pair is '?', whatever its
    // second byte (an ASCII byte swallowed with it), or a lone last byte.
    shape = {true, true, 0x00};
  } else if (mode_ == decode_mode::whatwg && layer_.wrong != encoding::gb18030) {
    // A bad pair is swallowed whole unless its second byte is ASCII.
    shape = {true, true, 0x80};
  }
  gbk_truth_ = layer_.truth != encoding::utf8;
  std::uint8_t buf[4];
  // UTF-8 continuation bytes still owed by the known bytes so far (-1:
  // unknown, after a gap or a byte out of place).
  int pending = -1;
  auto advance = [&pending](std::uint8_t b) {
    if (b < 0x80)
      pending = 0;
    else if (b >= 0xC2 && b <= 0xF4)
      pending = utf8::sequence_length(b) - 1;
    else if (b <= 0xBF && pending > 0)
      --pending;
    else
      pending = -1;
  };
  for (std::uint32_t t = 0; t < line_.size(); ++t) {
    token_start_.push_back(static_cast<std::uint32_t>(slots_.size()));
    const char32_t c = line_[t];
    const bool gap = naive ? c == U'?' : c == kFffd;
    if (gap) {
      slot a;
      a.wild = true;
      a.lo = 0x80;
      a.hi = 0xFF;
      a.token = t;
      slots_.push_back(a);
      pending = -1;
      // A WHATWG decoder gives back an ASCII byte after a bad lead byte, and
      // a lone lead byte at the end is one byte too; but a bad pair whose
      // second byte is not ASCII is swallowed whole wherever it stands, the
      // last of the line or before an ASCII byte too: there the second byte
      // stays optional.
      if (shape.two) {
        slots_.back().pair_gap = true;
        slot b;
        b.pair_gap = true;
        b.wild = true;
        b.lo = shape.second_lo;
        b.hi = 0xFF;
        // A naive reader takes two bytes for a pair but at the end (for
        // UTF-8 read as GBK the one-byte reading stays: without it, held-out
        // lines lost more characters than they gained).
        b.optional = shape.second_optional && (!gbk_truth_ || t + 1 == line_.size());
        b.token = t;
        slots_.push_back(b);
      }
      continue;
    }
    int n = enc_[t].n;
    std::copy(enc_[t].b.begin(), enc_[t].b.end(), buf);
    // The WHATWG gbk and gb18030 decoders read the lone byte 80 as € too,
    // besides the pair A2 E3. In UTF-8, 80 continues a character; A2 E3
    // ends one and starts a three-byte one, so the next byte continues it
    // (。 = E3 80 82 after a two-byte-short character reads 鎹€€�).
    if (c == U'\u20AC' && layer_.wrong == encoding::gb18030 && mode_ == decode_mode::whatwg) {
      const char32_t next = t + 1 < line_.size() ? line_[t + 1] : 0;
      std::uint8_t nb[4];
      const bool continues =
          next == U'\u20AC' || next == kFffd ||
          (next >= 0x80 && encode_wrong(layer_, next, nb) == 2 && nb[0] >= 0x80 && nb[0] <= 0xBF);
      if (!(pending == 1 && continues)) {
        buf[0] = 0x80;
        n = 1;
      }
    }
    // A GB18030 four-byte sequence is not what a double-byte reading of
    // UTF-8 makes (it needs ASCII digits in places UTF-8 never has them).
    if (n == 0 || n == 4) {
      slot b;
      b.barrier = true;
      b.token = t;
      slots_.push_back(b);
      pending = -1;
      continue;
    }
    for (int k = 0; k < n; ++k) {
      slot b;
      b.value = buf[k];
      b.token = t;
      slots_.push_back(b);
      advance(buf[k]);
    }
  }
  token_start_.push_back(static_cast<std::uint32_t>(slots_.size()));
  // A one-byte gap followed by known bytes: only the byte values on which
  // the decoder fails there, and then reads the next bytes as it did.
  for (std::size_t j = 0; j < slots_.size(); ++j) {
    if (!slots_[j].wild) continue;
    std::size_t from = j + 1;
    if (from < slots_.size() && slots_[from].optional) {
      // One byte or two before an ASCII byte or the end (WHATWG): either
      // way the first is a byte the decoder fails on there (a lead byte
      // fails before ASCII), so the first is judged as a one-byte gap.
      const std::size_t k = from + 1;
      const bool ascii_next =
          k == slots_.size() || (!slots_[k].wild && !slots_[k].barrier && slots_[k].value < 0x80);
      if (mode_ != decode_mode::whatwg || !ascii_next) continue;
      from = k;
    }
    // The second byte of a two-byte gap is judged with the first (walk).
    if (j > 0 && slots_[j].pair_gap && slots_[j - 1].pair_gap &&
        slots_[j - 1].token == slots_[j].token)
      continue;
    std::uint32_t after = 0;
    int count = 0;
    for (std::size_t k = from; k < slots_.size() && count < 3; ++k, ++count) {
      if (slots_[k].wild || slots_[k].barrier) break;
      after |= static_cast<std::uint32_t>(slots_[k].value) << (8 * count);
    }
    slots_[j].allowed = &failing_bytes(layer_.wrong, mode_, after, count);
  }
  is_start_.assign(slots_.size() + 1, false);
  for (std::uint32_t p : token_start_) is_start_[p] = true;
  if (cands_.size() < slots_.size()) cands_.resize(slots_.size());
  for (std::size_t p = 0; p < slots_.size(); ++p) cands_[p].clear();
  cands_done_.assign(slots_.size(), false);
  if (states_.size() < slots_.size() + 1) states_.resize(slots_.size() + 1);
  for (std::size_t p = 0; p <= slots_.size(); ++p) states_[p].clear();
  worst_.assign(slots_.size() + 1, -1);
  // near_gap is asked only of text read out of step.
  gaps_before_.assign(slots_.size() + 1, 0);
  for (std::uint32_t q = 0; gbk_truth_ && q < slots_.size(); ++q)
    gaps_before_[q + 1] = gaps_before_[q] + (slots_[q].wild || stray_sign(q) ? 1 : 0);
}

// The character of the n bytes in acc, read from `from` to `pos`, where it
// is one a reading may give.
inline void lattice::emit(std::uint32_t pos, const std::array<std::uint8_t, 4>& acc, int n,
                          int wild, std::uint32_t from, std::vector<reading>& out,
                          std::vector<reading>& scratch) {
  std::size_t i = 0;
  const std::string_view seq(reinterpret_cast<const char*>(acc.data()),
                             static_cast<std::size_t>(n));
  const char32_t cp = utf8::next(seq, i);
  if (cp == utf8::kInvalid || i != static_cast<std::size_t>(n)) return;
  // A character made of gap bytes only has no evidence behind it, but for
  // a three-byte one under a decoder that swallows bad pairs whole: there
  // the bytes the decoder failed on, and the context, still tell.
  const bool all_wild = wild >= n;
  if (all_wild && !(n == 3 && whole_pairs() && two_gaps_alone(from))) return;
  const char_class cls = sc_.classify(cp);
  if (wild > 0 ? !fill_class(cls) : !text_class(cls)) return;
  if (all_wild && !all_wild_class(cls)) return;
  // Beyond the BMP a gap is filled with emoji only: the other symbols
  // there (neumes, ancient scripts) fit gaps by chance.
  if (wild > 0 && cp >= 0x10000 && !(cp >= 0x1F300 && cp <= 0x1F6FF) &&
      !(cp >= 0x1F900 && cp <= 0x1FAFF))
    return;
  reading r{cp, from, pos, acc, static_cast<std::uint8_t>(n), wild > 0};
  r.all_wild = all_wild;
  (wild > 0 ? scratch : out).push_back(r);
}

// Collects the characters whose UTF-8 bytes fit the slots from `pos` on.
void lattice::walk(std::uint32_t pos, int need, std::array<std::uint8_t, 4>& acc, int n, int wild,
                   std::uint32_t from, std::vector<reading>& out, std::vector<reading>& scratch) {
  if (need == 0) {
    emit(pos, acc, n, wild, from, out, scratch);
    return;
  }
  if (pos >= slots_.size()) return;
  const slot& sl = slots_[pos];
  if (sl.barrier) return;
  if (sl.optional) walk(pos + 1, need, acc, n, wild, from, out, scratch);
  if (!sl.wild) {
    if ((sl.value & 0xC0) != 0x80) return;
    acc[static_cast<std::size_t>(n)] = sl.value;
    walk(pos + 1, need - 1, acc, n + 1, wild, from, out, scratch);
    return;
  }
  // Three unknown bytes in one character leave too many readings to judge,
  // but where the decoder swallows bad pairs whole (two U+FFFD over one
  // character are common there): then only the third bytes that make a
  // character such a gap may be filled with are tried.
  const bool third_of_wild =
      wild == 2 && n == 2 && need == 1 && whole_pairs() && two_gaps_alone(from);
  if (wild >= 2 && !third_of_wild) return;
  const int lo = std::max<int>(sl.lo, 0x80), hi = std::min<int>(sl.hi, 0xBF);
  // Two one-byte gaps in a row: the decoder failed on the first byte with
  // the second after it.
  const bool after_gap = mode_ != decode_mode::naive && pos > 0 && slots_[pos - 1].wild &&
                         !sl.optional && !slots_[pos - 1].optional && wild > 0 && n > 0;
  // The second byte of a two-byte gap: the decoder failed on the pair.
  const bool second_of_pair = sl.pair_gap && pos > from && slots_[pos - 1].pair_gap &&
                              slots_[pos - 1].token == sl.token && n > 0;
  const std::vector<std::uint8_t>* thirds =
      third_of_wild ? &all_wild_thirds(acc[0], acc[1]) : nullptr;
  const int count = thirds != nullptr ? static_cast<int>(thirds->size()) : hi - lo + 1;
  for (int q = 0; q < count; ++q) {
    const int v = thirds != nullptr ? (*thirds)[static_cast<std::size_t>(q)] : lo + q;
    if (v < lo || v > hi) continue;
    if (sl.allowed != nullptr && !(*sl.allowed)[static_cast<std::size_t>(v)]) continue;
    if (second_of_pair) {
      const std::uint8_t bad[2] = {acc[static_cast<std::size_t>(n - 1)],
                                   static_cast<std::uint8_t>(v)};
      char32_t cp;
      if (decode_one(layer_.wrong, bad, 2, cp) == 2) continue;
    }
    if (after_gap && !failing_before(v).test(acc[static_cast<std::size_t>(n - 1)])) continue;
    acc[static_cast<std::size_t>(n)] = static_cast<std::uint8_t>(v);
    if (need == 1)
      emit(pos + 1, acc, n + 1, wild + 1, from, out, scratch);
    else
      walk(pos + 1, need - 1, acc, n + 1, wild + 1, from, out, scratch);
  }
}

// GBK text read one byte out of step: the characters are GBK pairs of the
// stream, and a byte the decoder was given by mistake belongs to none.
void lattice::gbk_readings(std::uint32_t p, std::vector<reading>& out,
                           std::vector<reading>& scratch) {
  const slot& sl = slots_[p];
  // A stray byte (a lone lead byte, or the bytes of a UTF-8 character
  // inside GBK text) is skipped; a gap byte too.
  // Only near a gap: the decoder wrote '?' within a few bytes of where it
  // fell out of step.
  if ((sl.wild || sl.value >= 0x80) && near_gap(p))
    out.push_back({0,
                   p,
                   p + 1,
                   {sl.wild ? std::uint8_t(sl.lo < 0x80 ? 0x20 : 0x80) : sl.value, 0, 0, 0},
                   1,
                   sl.wild,
                   true});
  if (!sl.wild && sl.value < 0x80) {
    out.push_back({sl.value, p, p + 1, {sl.value, 0, 0, 0}, 1, false});
    return;
  }
  if (sl.wild && sl.lo < 0x80) {
    out.push_back({kFffd, p, p + 1, {0x20, 0, 0, 0}, 1, true});
    // A byte swallowed after a bad lead is below 0x40: where the writer
    // puts spaces beside CJK characters, most often a space.
    if (spaces_beside_cjk()) out.push_back({U' ', p, p + 1, {0x20, 0, 0, 0}, 1, true});
  }
  // The trail byte: the next slot, or the one after an absent optional one.
  for (std::uint32_t t = p + 1; t < slots_.size() && t <= p + 2; ++t) {
    const slot& tr = slots_[t];
    if (tr.barrier) break;
    const std::uint32_t to = t + 1;
    if (!sl.wild && !tr.wild) {
      std::uint8_t b[2] = {sl.value, tr.value};
      char32_t cp;
      if (decode_one(encoding::gbk, b, 2, cp) == 2 && text_class(sc_.classify(cp)))
        out.push_back({cp, p, to, {b[0], b[1], 0, 0}, 2, false});
    } else if (sl.wild && tr.wild) {
      // Both bytes gone: a character was here, nothing tells which.
      out.push_back({kFffd, p, to, {0x80, 0x80, 0, 0}, 2, true});
    } else if (!(sl.wild && tr.value < 0x80)) {
      // An ASCII byte the decoder read on its own after a gap stands for
      // itself: GBK characters with an ASCII trail byte are rare in text,
      // and taking them here made up characters from the letters of words.
      const slot& w = sl.wild ? sl : tr;
      for (int v = std::max<int>(w.lo, sl.wild ? 0x81 : 0x40); v <= std::min<int>(w.hi, 0xFE);
           ++v) {
        std::uint8_t b[2] = {sl.wild ? static_cast<std::uint8_t>(v) : sl.value,
                             tr.wild ? static_cast<std::uint8_t>(v) : tr.value};
        char32_t cp;
        if (decode_one(encoding::gbk, b, 2, cp) != 2 || !fill_class(sc_.classify(cp))) continue;
        scratch.push_back({cp, p, to, {b[0], b[1], 0, 0}, 2, true});
      }
    }
    if (!tr.optional) break;
  }
}

const std::vector<reading>& lattice::candidates(std::uint32_t p) {
  if (cands_done_[p]) return cands_[p];
  cands_done_[p] = true;
  std::vector<reading>& out = cands_[p];
  const slot& sl = slots_[p];
  if (sl.barrier) return out;
  std::vector<reading>& scratch = buf_.scratch;
  scratch.clear();
  std::array<std::uint8_t, 4> acc{};
  if (gbk_truth_) {
    gbk_readings(p, out, scratch);
  } else if (!sl.wild) {
    if (sl.value < 0x80) {
      out.push_back({sl.value, p, p + 1, {sl.value, 0, 0, 0}, 1, false});
      return out;
    }
    const int n = utf8::sequence_length(sl.value);
    if (n == 0) return out;
    acc[0] = sl.value;
    walk(p + 1, n - 1, acc, 1, 0, p, out, scratch);
  } else {
    // A byte the naive decoder swallowed after a bad lead: an ASCII
    // character of the original, lost for good.
    if (sl.lo < 0x80) out.push_back({kFffd, p, p + 1, {0x20, 0, 0, 0}, 1, true});
    // A lead byte needs a continuation byte next: where the next slot is a
    // known byte that is none (or there is none), no lead can start here.
    const bool next_fits =
        p + 1 < slots_.size() && (slots_[p + 1].wild || slots_[p + 1].optional ||
                                  (!slots_[p + 1].barrier && (slots_[p + 1].value & 0xC0) == 0x80));
    for (int v = std::max<int>(sl.lo, 0xC2); next_fits && v <= std::min<int>(sl.hi, 0xF4); ++v) {
      if (sl.allowed != nullptr && !sl.allowed->test(static_cast<std::size_t>(v))) continue;
      acc[0] = static_cast<std::uint8_t>(v);
      walk(p + 1, utf8::sequence_length(acc[0]) - 1, acc, 1, 1, p, out, scratch);
    }
  }
  if (!scratch.empty()) {
    // Keep the likeliest readings of each extent (by cost out of context).
    std::vector<std::pair<float, std::size_t>>& ranked = buf_.ranked;
    ranked.clear();
    for (std::size_t i = 0; i < scratch.size(); ++i)
      ranked.emplace_back(out_of_context_cost(scratch[i].cp), i);
    std::sort(ranked.begin(), ranked.end());
    // Readings kept per extent end: a gap's readings end at a few places.
    std::array<std::pair<std::uint32_t, std::size_t>, 16> per_end{};
    std::size_t ends = 0;
    for (const auto& [cost, i] : ranked) {
      const std::uint32_t to = scratch[i].to;
      std::size_t e = 0;
      while (e < ends && per_end[e].first != to) ++e;
      if (e == ends) {
        if (ends == per_end.size()) continue;
        per_end[ends++] = {to, 0};
      }
      if (per_end[e].second >= (scratch[i].all_wild ? kAllWildCandidates : kFillCandidates))
        continue;
      ++per_end[e].second;
      out.push_back(scratch[i]);
    }
  }
  return out;
}

state& lattice::worst(std::uint32_t p) {
  int& w = worst_[p];
  if (w < 0) {
    const std::vector<state>& v = states_[p];
    w = static_cast<int>(
        std::max_element(v.begin(), v.end(),
                         [](const state& a, const state& b) { return a.cost < b.cost; }) -
        v.begin());
  }
  return states_[p][static_cast<std::size_t>(w)];
}

bool lattice::closed(std::uint32_t p, float least) {
  return states_[p].size() >= kMaxStates && least >= worst(p).cost;
}

void lattice::push(std::uint32_t p, state st, const node& n) {
  // A full position takes no state that costs as much as its worst: were
  // one with the same last character there, it would cost no more.
  if (closed(p, st.cost)) return;
  std::vector<state>& v = states_[p];
  state* slot_for = nullptr;
  for (state& x : v) {
    if (x.last == st.last && x.decoding == st.decoding) {
      if (st.cost >= x.cost) return;
      slot_for = &x;
      break;
    }
  }
  if (slot_for == nullptr) {
    if (v.size() < kMaxStates) {
      v.push_back(st);
      slot_for = &v.back();
    } else {
      // Full: the new state takes the place of the worst, if it is better.
      state* w = &worst(p);
      if (st.cost >= w->cost) return;
      slot_for = w;
    }
  }
  worst_[p] = -1;
  nodes_.push_back(n);
  st.node = static_cast<int>(nodes_.size() - 1);
  *slot_for = st;
}

bool lattice::run() {
  build();
  const float switch_cost = s_.base_margin + layer_.prior;
  const std::uint32_t n = static_cast<std::uint32_t>(slots_.size());
  states_[0].push_back({0.0f, 0, false, -1});
  for (std::uint32_t p = 0; p < n; ++p) {
    std::vector<state>& here = states_[p];
    if (here.empty()) continue;
    if (here.size() > kBeam) {
      std::nth_element(here.begin(), here.begin() + kBeam, here.end(),
                       [](const state& a, const state& b) { return a.cost < b.cost; });
      here.resize(kBeam);
    }
    const slot& sl = slots_[p];
    // States only move on to later positions: `here` stays as it is.
    const std::vector<state>& cur = here;
    for (const state& st : cur) {
      if (sl.optional) {
        // The gap was one byte shorter: the state moves on unchanged.
        std::vector<state>& v = states_[p + 1];
        auto it = std::find_if(v.begin(), v.end(), [&](const state& x) {
          return x.last == st.last && x.decoding == st.decoding;
        });
        if (it == v.end())
          v.push_back(st);
        else if (st.cost < it->cost)
          *it = st;
        worst_[p + 1] = -1;
      }
      if (is_start_[p]) {
        // The character stays as it is.
        const std::uint32_t t = sl.token;
        const char32_t c = as_typed(line_[t]);
        push(token_start_[t + 1], {st.cost + sc_.cost(st.last, c), c, false, -1},
             {st.node, p, token_start_[t + 1], c, false, 0});
      }
    }
    if (sl.barrier) continue;
    const std::vector<reading>& rs = candidates(p);
    const bool second_of_gap = shifted_gap_second(p);
    for (const state& st : cur) {
      // The step from st.last is scored from its model entry, looked up once.
      const scorer::walk from_last = sc_.walk_start(st.last);
      const int before = second_of_gap ? filled_last_byte(st, p) : -1;
      for (std::uint32_t k = 0; k < rs.size(); ++k) {
        const reading& r = rs[k];
        if (r.cp < 0x80 && !r.stray && !st.decoding && !r.filled) continue;  // same as keeping it
        // A character lost for good is judged as the '?' it stays in naive
        // damage: the mark is not less likely than the damage it replaces.
        const char32_t as = r.stray                                        ? st.last
                            : r.cp == kFffd && mode_ == decode_mode::naive ? U'?'
                                                                           : r.cp;
        float step = 0;
        if (r.stray) {
          step = stray_sign(r.from) ? kStraySignCost : r.filled ? kStrayCost : kKnownStrayCost;
        } else {
          // A step costs nothing or more: where the state could not enter
          // r.to even so, the step is not scored.
          float least = st.cost;
          if (!st.decoding) least += switch_cost;
          if (r.cp >= 0x80 && as != U'?') least += s_.margin_per_char;
          if (closed(r.to, least)) continue;
          // Read out of step, the two bytes of a '?' are the last byte of
          // one character and the first of the next: where fills on both
          // sides give them, the pair they make must be one the decoder
          // fails on (a fullwidth ？ it wrote may have been folded to '?').
          char32_t got;
          if (before >= 0 && r.filled && r.cp != kFffd &&
              python_gbk_pair(static_cast<std::uint8_t>(before), r.bytes[0], got) &&
              got != U'\uFF1F')
            continue;
          scorer::walk w = from_last;
          sc_.walk_step(w, as);
          step = scorer::bits(w.total);
        }
        float c = st.cost + step;
        if (!st.decoding) c += switch_cost;
        if (r.cp >= 0x80 && as != U'?') c += s_.margin_per_char;
        push(r.to, {c, as, true, -1}, {st.node, r.from, r.to, as, true, k});
      }
    }
    here.clear();
  }
  for (const state& st : states_[n]) {
    if (st.cost < best_cost_) {
      best_cost_ = st.cost;
      best_node_ = st.node;
    }
  }
  return best_node_ >= 0;
}

int lattice::filled_last_byte(const state& st, std::uint32_t p) const {
  if (st.node < 0) return -1;
  const node& n = nodes_[static_cast<std::size_t>(st.node)];
  if (!n.decoded || n.to != p) return -1;
  const reading& prev = cands_[n.from][n.reading];
  if (prev.stray || !prev.filled || prev.cp == kFffd || prev.nbytes != 2) return -1;
  return prev.bytes[1];
}

bool lattice::verify(const std::vector<const reading*>& pick, std::size_t lo,
                     std::size_t hi) const {
  const std::size_t tb = slots_[pick[lo]->from].token;
  const std::size_t te = slots_[pick[hi - 1]->to - 1].token + 1;
  const std::u32string_view want = line_.substr(tb, te - tb);
  // The buffers are the thread's (a lattice is used by one thread).
  std::string& bytes = buf_.bytes;
  bytes.clear();
  for (std::size_t q = lo; q < hi; ++q) {
    const reading& r = *pick[q];
    bytes.append(reinterpret_cast<const char*>(r.bytes.data()), r.nbytes);
  }
  if (gbk_truth_ && mode_ == decode_mode::naive) {
    std::vector<bool>& wild = buf_.wild;
    std::vector<bool>& guessed = buf_.guessed;
    wild.clear();
    guessed.clear();
    strict_lo_ = strict_hi_ = 0;
    for (std::size_t q = lo, at = 0; q < hi; at += pick[q]->nbytes, ++q)
      if (q == strict_pick_) strict_lo_ = at, strict_hi_ = at + pick[q]->nbytes;
    for (std::size_t q = lo; q < hi; ++q) {
      const reading& r = *pick[q];
      // A gap byte of a filled character has the value the fill gives it;
      // the bytes of a character marked lost or of a stray byte have none.
      const bool fill = r.filled && r.cp != kFffd && !r.stray;
      // A GBK pair's bytes are its first and last slot (an optional slot
      // between them was absent).
      if (r.nbytes == 2) {
        wild.push_back(slots_[r.from].wild);
        wild.push_back(slots_[r.to - 1].wild);
        guessed.push_back(fill && slots_[r.from].wild);
        guessed.push_back(fill && slots_[r.to - 1].wild);
        continue;
      }
      for (std::uint32_t k = 0; k < r.nbytes; ++k) {
        wild.push_back(r.from + k < r.to && slots_[r.from + k].wild);
        guessed.push_back(fill && wild.back());
      }
    }
    return verify_out_of_step(want, bytes, wild, guessed);
  }
  std::string& got = buf_.got;
  for (encoding e : verifiers(layer_.wrong)) {
    got.clear();
    decode(e, bytes, mode_, got);
    // The decoded characters, compared with want as they come.
    std::size_t i = 0, k = 0;
    while (i < got.size() && k < want.size() && utf8::next(got, i) == want[k]) ++k;
    if (i == got.size() && k == want.size()) return true;
  }
  return false;
}

// The naive GBK decoder again, over bytes some of which are unknown (the
// gaps): a pair holding an unknown byte was one the decoder wrote '?' for.
// A '?' of the line may also be a pair the decoder read but a later step
// could not keep (a conversion to another script or code page, a fullwidth
// ？ folded): there any character fits.
bool lattice::verify_out_of_step(std::u32string_view want, const std::string& bytes,
                                 const std::vector<bool>& wild,
                                 const std::vector<bool>& guessed) const {
  std::size_t k = 0;
  auto take = [&](char32_t c) {
    if (k >= want.size() || (c != want[k] && want[k] != U'?')) return false;
    ++k;
    return true;
  };
  for (std::size_t i = 0; i < bytes.size();) {
    const auto b = static_cast<std::uint8_t>(bytes[i]);
    if (!wild[i] && b < 0x80) {
      if (!take(b)) return false;
      ++i;
      continue;
    }
    char32_t cp = U'?';
    if (i + 1 < bytes.size() && !wild[i] && !wild[i + 1]) {
      const std::uint8_t pair[2] = {b, static_cast<std::uint8_t>(bytes[i + 1])};
      if (decode_one(encoding::gbk, pair, 2, cp) != 2) cp = U'?';
    } else if (strict_ && i + 1 < bytes.size() && i + 1 >= strict_lo_ && i < strict_hi_ &&
               (!wild[i] || guessed[i]) && (!wild[i + 1] || guessed[i + 1])) {
      // Every byte of the pair is known or given by a fill: where the pair
      // is a character, the decoder wrote it, not '?' (but a fullwidth ？
      // folded to '?').
      char32_t got;
      if (python_gbk_pair(b, static_cast<std::uint8_t>(bytes[i + 1]), got) && got != U'\uFF1F')
        return false;
    }
    if (!take(cp)) return false;
    i += 2;
  }
  return k == want.size();
}

void lattice::spans(std::vector<lossy_fix>& out) {
  // The readings of decoded nodes were listed by the search (cands_ holds
  // them): they are read from there directly.
  std::vector<const node*> path;
  for (int k = best_node_; k >= 0; k = nodes_[static_cast<std::size_t>(k)].prev)
    path.push_back(&nodes_[static_cast<std::size_t>(k)]);
  std::reverse(path.begin(), path.end());
  // Characters and pairs of the line that no gap made.
  std::u32string seen_chars;
  // The script the line's undamaged characters are written in: a fill
  // only the other script writes is unlikely (业 among 名黨員).
  const script_tables& tables = get_script_tables();
  std::size_t simplified = 0, traditional = 0;
  std::vector<std::uint64_t> seen_pairs;
  for (std::size_t m = 0; m < path.size(); ++m) {
    const node* n = path[m];
    const bool known =
        !n->decoded || (!cands_[n->from][n->reading].filled && !cands_[n->from][n->reading].stray);
    if (!known) continue;
    if (n->cp >= 0x80) seen_chars.push_back(n->cp);
    if (n->cp >= script_tables::kFlagsBegin) {
      const han_class h = tables.cls(n->cp);
      simplified += h == han_class::simplified;
      traditional += h == han_class::traditional;
    }
    if (m + 1 < path.size()) {
      const node* q = path[m + 1];
      if (!q->decoded || !cands_[q->from][q->reading].filled)
        seen_pairs.push_back((static_cast<std::uint64_t>(n->cp) << 32) | q->cp);
    }
  }
  std::sort(seen_pairs.begin(), seen_pairs.end());
  std::sort(seen_chars.begin(), seen_chars.end());
  // A bit per hash of the seen characters: most fills asked about are not
  // among them.
  std::bitset<1024> seen_hash;
  auto char_hash = [](char32_t c) { return (c * 0x9E3779B1u) >> 22; };
  for (char32_t c : seen_chars) seen_hash.set(char_hash(c));
  auto seen_char = [&](char32_t c) {
    return seen_hash.test(char_hash(c)) &&
           std::binary_search(seen_chars.begin(), seen_chars.end(), c);
  };
  const han_class other_script = !tables.ok()                         ? han_class::neutral
                                 : traditional > 0 && simplified == 0 ? han_class::simplified
                                 : simplified > 0 && traditional == 0 ? han_class::traditional
                                                                      : han_class::neutral;
  auto seen_pair = [&](char32_t a, char32_t b) {
    return a != 0 && b != 0 && (a >= 0x80 || b >= 0x80) &&
           std::binary_search(seen_pairs.begin(), seen_pairs.end(),
                              (static_cast<std::uint64_t>(a) << 32) | b);
  };
  bool any_gap = false;
  const std::size_t out_begin = out.size();
  for (std::size_t i = 0; i < path.size();) {
    if (!path[i]->decoded) {
      ++i;
      continue;
    }
    // An ASCII character standing for itself ends the piece: both the
    // decoder and UTF-8 are in step there, so pieces are judged apart.
    auto ascii_token = [&](const node* n) {
      return n->cp < 0x80 && !cands_[n->from][n->reading].filled &&
             !cands_[n->from][n->reading].stray && is_start_[n->from] && is_start_[n->to] &&
             n->to == n->from + 1;
    };
    if (ascii_token(path[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < path.size() && path[j]->decoded && !ascii_token(path[j])) ++j;
    const std::size_t k = j;
    const std::size_t first = i;
    i = j;
    // The reading chosen for each character of the span.
    std::vector<const reading*> pick;
    for (std::size_t m = first; m < k; ++m)
      pick.push_back(&cands_[path[m]->from][path[m]->reading]);
    auto consistent = [&] { return verify(pick, 0, pick.size()); };
    // The same check on a few characters around reading m, from and to
    // places where a character of the line and of the reading both start:
    // the decoder is in step there, and a long line stays linear.
    auto consistent_near = [&](std::size_t m) {
      constexpr std::size_t kAround = 6, kFar = 32;
      std::size_t lo = m - first, hi = m - first + 1;
      for (std::size_t n = 0; n < kAround && lo > 0; ++n) --lo;
      while (lo > 0 && !is_start_[pick[lo]->from] && m - first - lo < kFar) --lo;
      for (std::size_t n = 0; n < kAround && hi < pick.size(); ++n) ++hi;
      while (hi < pick.size() && !is_start_[pick[hi - 1]->to] && hi - (m - first) < kFar) ++hi;
      // No place in step nearby: the reading is not taken.
      if ((lo > 0 && !is_start_[pick[lo]->from]) ||
          (hi < pick.size() && !is_start_[pick[hi - 1]->to]))
        return false;
      strict_pick_ = m - first;
      return verify(pick, lo, hi);
    };
    // Other readings of the same bytes, best first in their context: two
    // characters each side (stray bytes aside), through the trigram model.
    // With `around`, only those that can cost less than around's cost plus
    // the fill margin, which is all the choice of a fill looks at: the
    // first trigram alone rules most readings out. Where two of them cost
    // the same below around's cost, all are given instead: their order
    // among equals is the one sorting all of them gives.
    std::vector<std::pair<float, const reading*>> v;
    auto rivals = [&](std::size_t m, const reading* around) -> const auto& {
      char32_t left[2] = {trigram_model::kStart, trigram_model::kStart};
      char32_t right[2] = {0, 0};  // 0: the end of the line
      auto stray = [&](std::size_t q) {
        return path[q]->decoded && cands_[path[q]->from][path[q]->reading].stray;
      };
      for (std::size_t q = m, n = 0; q-- > 0 && n < 2;)
        if (!stray(q)) left[n++] = path[q]->cp;
      for (std::size_t q = m + 1, n = 0; q < path.size() && n < 2; ++q)
        if (!stray(q)) right[n++] = path[q]->cp;
      // Three characters each side for the words a reading may make:
      // win[3] is the reading, win[0..2] the left (nearest last), win[4..6]
      // the right; 0 where there is none.
      char32_t win[7] = {0, 0, 0, 0, 0, 0, 0};
      // A neighbour that is itself a fill is no evidence for a word.
      auto known_cp = [&](std::size_t q) -> char32_t {
        return path[q]->decoded && cands_[path[q]->from][path[q]->reading].filled ? 0 : path[q]->cp;
      };
      for (std::size_t q = m, n = 0; q-- > 0 && n < 3;)
        if (!stray(q)) win[2 - n++] = known_cp(q);
      for (std::size_t q = m + 1, n = 0; q < path.size() && n < 3; ++q)
        if (!stray(q)) win[4 + n++] = known_cp(q);
      // tg_.cost(left[1], left[0], x), tg_.cost(left[0], x, right[0]) and
      // tg_.cost(x, right[0], right[1]) for every reading x, with what does
      // not depend on x taken once: the first context, the bigram entries
      // of left[0] and x, the bigram of right[1] after right[0].
      const trigram_model::context before = tg_.context_of(left[1], left[0]);
      const char32_t r0 = trigram_model::fold(right[0]);
      const char32_t r1 = trigram_model::fold(right[1]);
      auto bigram_prev = [](char32_t b) { return b == trigram_model::kStart ? 0 : b; };
      const scorer::walk from_left = sc_.walk_start(bigram_prev(before.b));
      const float after_r0 = right[1] != 0 ? sc_.cost(bigram_prev(r0), r1) : 0.0f;
      // The characters x for which seen_pair(left[0], x) or
      // seen_pair(x, right[0]) holds, from one pass over the pairs.
      std::u32string pairs_here;
      for (std::uint64_t pr : seen_pairs) {
        const auto a = static_cast<char32_t>(pr >> 32), b = static_cast<char32_t>(pr);
        if (a == left[0] && seen_pair(a, b)) pairs_here.push_back(b);
        if (b == right[0] && seen_pair(a, b)) pairs_here.push_back(a);
      }
      struct first_step {
        char32_t x;      // folded
        scorer::walk w;  // the bigram walk standing on x
        float c;         // tg_.cost(left[1], left[0], x)
        float bonus;     // taken off for evidence of the line
        float penalty;   // added for the other script
      };
      // The words a reading may make: only where a known Han character
      // stands beside it.
      const fill_words& words = fill_words::get();
      const bool word_context = words.ok() && (is_han_context(win[2]) || is_han_context(win[4]));
      // Without the word bonus (see word_bonus), which is asked only of the
      // readings that can still win.
      auto step_in_base = [&](const reading& o) {
        first_step f;
        f.x = trigram_model::fold(o.cp);
        f.w = from_left;
        sc_.walk_step(f.w, f.x);
        f.c = tg_.cost(before, f.x, scorer::bits(f.w.total));
        // The line itself is evidence: a word that stands elsewhere in it,
        // undamaged, is likelier here too (names, terms).
        f.bonus = 0;
        if (s_.document != nullptr &&
            (s_.document->contains(left[0], o.cp) || s_.document->contains(o.cp, right[0])))
          f.bonus = kDocumentPairBonus;
        else if (pairs_here.find(o.cp) != std::u32string::npos)
          f.bonus = kSeenPairBonus;
        else if (seen_char(o.cp))
          f.bonus = kSeenCharBonus;
        f.penalty = 0;
        if (other_script != han_class::neutral && tables.cls(o.cp) == other_script)
          f.penalty = kOtherScriptCost;
        return f;
      };
      auto word_bonus = [&](const reading& o, first_step& f) {
        if (word_context && makes_word(words, win, o.cp)) f.bonus += kWordBonus;
      };
      auto step_in = [&](const reading& o) {
        first_step f = step_in_base(o);
        word_bonus(o, f);
        return f;
      };
      auto cost = [&](const reading& o, const first_step& f) {
        const char32_t x = f.x;
        float c = f.c;
        auto from_x = [&](char32_t y) {
          // The step x -> y continues the walk where it stands on x.
          if (bigram_prev(x) != x || x == 0) return sc_.cost(bigram_prev(x), y);
          scorer::walk wy = f.w;
          sc_.walk_step(wy, y);
          return scorer::bits(wy.total - f.w.total);
        };
        if (right[0] == 0)
          c += line_end_cost(o.cp);
        else if (right[1] == 0)
          c += tg_.cost(tg_.context_of(before.b, x), r0, from_x(r0));
        else
          // The last trigram judges right[1] after x: where x's context
          // was seen often but never before right[1], it would cost x more
          // than a reading whose context was never seen at all (which
          // falls back to the bigram). The bigram bounds it: a well-known
          // context is no evidence against x (where right[1] is known: a
          // fill there is no evidence either way).
          c += tg_.cost(tg_.context_of(before.b, x), r0, from_x(r0)) +
               (win[5] != 0 ? std::min(after_r0, tg_.cost(tg_.context_of(x, r0), r1, after_r0))
                            : tg_.cost(tg_.context_of(x, r0), r1, after_r0));
        if (f.bonus != 0) c -= f.bonus;
        if (f.penalty != 0) c += f.penalty;
        return c;
      };
      auto is_rival = [&](const reading& o) {
        return o.to == pick[m - first]->to && o.filled && o.cp != kFffd && !o.stray;
      };
      auto by_cost = [](const auto& x, const auto& y) { return x.first < y.first; };
      const std::vector<reading>& all = cands_[path[m]->from];
      v.clear();
      if (around != nullptr) {
        const float mine = cost(*around, step_in(*around));
        // The two trigrams after the first cost at least -1 bit each (each
        // is -log2 of a sum of two probabilities); half a bit covers
        // rounding.
        constexpr float kLeast = -2.5f;
        const float reach = mine + s_.fill_margin + 1.0f;
        for (const reading& o : all) {
          if (!is_rival(o)) continue;
          first_step f = step_in_base(o);
          if (f.c + kLeast - f.bonus - kWordBonus + f.penalty >= reach) continue;
          word_bonus(o, f);
          if (f.c + kLeast - f.bonus + f.penalty >= reach) continue;
          v.emplace_back(cost(o, f), &o);
        }
        std::sort(v.begin(), v.end(), by_cost);
        bool tie = false;
        for (std::size_t q = 0; q + 1 < v.size() && v[q].first < mine && !tie; ++q)
          tie = v[q + 1].first == v[q].first;
        if (!tie) return v;
        v.clear();
      }
      for (const reading& o : all)
        if (is_rival(o)) v.emplace_back(cost(o, step_in(o)), &o);
      std::sort(v.begin(), v.end(), by_cost);
      return v;
    };
    // The search reads each gap on its own; the decoder sees them together.
    // Where the chosen bytes would not have given the damaged text, the next
    // best reading of a gap that does is taken.
    if (!consistent()) {
      for (std::size_t m = first; m < k; ++m) {
        if (!pick[m - first]->filled || pick[m - first]->cp == kFffd || pick[m - first]->stray ||
            consistent_near(m))
          continue;
        const reading* was = pick[m - first];
        bool fixed = false;
        for (const auto& [c, o] : rivals(m, nullptr)) {
          pick[m - first] = o;
          if (consistent_near(m)) {
            fixed = true;
            break;
          }
        }
        if (!fixed) pick[m - first] = was;
      }
    }
    // The readings of the piece, sub-pieces where the piece as a whole does
    // not give the damaged text (a long line cut in the middle of a
    // character): each part that does is kept.
    std::vector<std::pair<std::size_t, std::size_t>> parts;
    auto part_ok = [&](std::size_t lo, std::size_t hi) { return verify(pick, lo, hi); };
    if (consistent()) {
      parts.emplace_back(0, pick.size());
    } else {
      constexpr std::size_t kPart = 8;
      for (std::size_t lo = 0; lo < pick.size();) {
        std::size_t hi = std::min(pick.size(), lo + kPart);
        while (hi < pick.size() && !is_start_[pick[hi]->from]) ++hi;
        if (is_start_[pick[lo]->from] && part_ok(lo, hi)) {
          if (!parts.empty() && parts.back().second == lo)
            parts.back().second = hi;
          else
            parts.emplace_back(lo, hi);
        }
        lo = hi;
      }
    }
    // What each reading becomes: its character, U+FFFD where it does not
    // win clearly, nothing for a stray byte. The byte a bad lead swallowed
    // (a second gap byte) is no stray one, whatever the search found
    // cheapest: it was the writer's, and is marked lost.
    std::vector<char32_t> chosen(pick.size(), 0);
    for (std::size_t m = first; m < k; ++m) {
      const reading* r = pick[m - first];
      if (r->stray) {
        const slot& sl = slots_[r->from];
        if (gbk_truth_ && sl.wild && sl.lo < 0x80) chosen[m - first] = kFffd;
        continue;
      }
      char32_t cp = r->cp;
      // A character all of whose bytes were gaps is read only between
      // characters the reading decodes too: beside a character left as it
      // is, where the decoder stood is not known, and the two gaps may be
      // the ends of other characters.
      if (r->all_wild) {
        auto kept_beside = [&](std::size_t q) {
          return q < path.size() && !path[q]->decoded && path[q]->cp >= 0x80;
        };
        if (kept_beside(m + 1) || (m > 0 && kept_beside(m - 1))) {
          chosen[m - first] = kFffd;
          continue;
        }
      }
      if (r->filled && cp != kFffd) {
        // A filled character is kept only when it beats every other reading
        // the decoder could have damaged the same way, in its context (the
        // left and the right one), by the margin. The search judged the left
        // context only: the best in both may be another reading.
        const auto& rv = rivals(m, r);
        float mine = 0, rival = std::numeric_limits<float>::infinity();
        char32_t rival_cp = 0;
        for (const auto& [c, o] : rv)
          if (o == r) mine = c;
        // Read out of step, a cheaper reading or a rival must also leave
        // the decoder failing on the pairs of its bytes (see
        // verify_out_of_step): one that makes a character there is none.
        strict_ = true;
        for (const auto& [c, o] : rv) {
          if (c >= mine) break;
          if (o->cp == r->cp) continue;
          pick[m - first] = o;
          if (consistent_near(m)) {
            r = o;
            mine = c;
            break;
          }
          pick[m - first] = r;
        }
        cp = r->cp;
        for (const auto& [c, o] : rv) {
          if (o == r || o->cp == r->cp) continue;
          if (c - mine >= s_.fill_margin) break;  // every other rival is further still
          pick[m - first] = o;
          const bool ok = consistent_near(m);
          pick[m - first] = r;
          if (ok) {
            rival = c;
            rival_cp = o->cp;
            break;
          }
        }
        // Between two CJK punctuation marks (，or ：at the end of a clause)
        // the choice changes no word: a smaller margin is enough.
        const bool punctuation = sc_.classify(r->cp) == char_class::cjk_symbol && rival_cp != 0 &&
                                 sc_.classify(rival_cp) == char_class::cjk_symbol;
        const float margin =
            punctuation ? s_.fill_margin * kPunctuationMarginShare : s_.fill_margin;
        strict_ = false;
        if (rival - mine < margin) cp = kFffd;
      }
      chosen[m - first] = cp;
    }
    for (const auto& [lo, hi] : parts) {
      const std::size_t pb = slots_[pick[lo]->from].token;
      const std::size_t pe = slots_[pick[hi - 1]->to - 1].token + 1;
      // after: what the piece becomes; read: the same less the marks of
      // swallowed bytes (see chosen), on which the piece is judged.
      std::u32string after, read;
      std::vector<bool> filled_space;  // per character of read: a space read from a gap
      std::size_t lost = 0, swallowed = 0;
      // Of lost: ASCII bytes a naive decoder swallowed after a bad lead
      // byte. Each was a character of its own, under the same '?' as the
      // character of the lead byte (用-F read out of step: 杂?F).
      std::size_t lost_ascii = 0;
      bool has_gap = false;
      for (std::size_t q = lo; q < hi; ++q) {
        if (chosen[q] != 0) after.push_back(chosen[q]);
        // Two gaps read as one character but not filled stay two marks:
        // which bytes they lost is not known either.
        if (pick[q]->all_wild && chosen[q] == kFffd) {
          after.push_back(kFffd);
          read.push_back(kFffd);
          filled_space.push_back(false);
          ++lost;
        }
        if (pick[q]->stray) {
          swallowed += chosen[q] == kFffd;
        } else if (chosen[q] != 0) {
          read.push_back(chosen[q]);
          filled_space.push_back(chosen[q] == U' ' && pick[q]->filled);
          lost += chosen[q] == kFffd;
          lost_ascii += chosen[q] == kFffd && gbk_truth_ && mode_ == decode_mode::naive &&
                        pick[q]->nbytes == 1 && slots_[pick[q]->from].wild &&
                        slots_[pick[q]->from].lo < 0x80;
        }
        for (std::uint32_t z = pick[q]->from; z < pick[q]->to && !has_gap; ++z)
          has_gap = slots_[z].wild || (pick[q]->stray && stray_sign(z));
      }
      if (read == line_.substr(pb, pe - pb)) continue;
      // Recovery brings characters back or marks them lost; it never only
      // deletes ('?' at the end of a question is no stray byte).
      if (read.empty()) continue;
      // Read out of step, a character whose GBK bytes start a UTF-8
      // sequence (銆 = E3 80) before a lost one, or before a space read
      // from a gap, is what UTF-8 read as GBK looks like: a second run
      // would read it again. Such a reading is not taken.
      if (gbk_truth_) {
        bool utf8_like = false;
        std::uint8_t g[4];
        for (std::size_t q = 0; q < read.size() && !utf8_like; ++q) {
          const char32_t prev = q > 0 ? read[q - 1] : pb > 0 ? line_[pb - 1] : 0;
          utf8_like = (read[q] == kFffd || filled_space[q]) && prev >= 0x80 &&
                      encode_cp(encoding::gbk, prev, g) == 2 && g[0] >= 0xE0 && g[0] <= 0xEF &&
                      g[1] >= 0x80 && g[1] <= 0xBF;
        }
        if (utf8_like) continue;
      }
      // Each character marked lost stands for a gap of the line: a reading
      // that loses more (it spent known bytes on fills it could not keep)
      // is worse than the damage. A swallowed ASCII byte shares its gap.
      const char32_t gap_char = mode_ == decode_mode::naive ? U'?' : kFffd;
      if (lost - lost_ascii > static_cast<std::size_t>(std::count(
                                  line_.begin() + static_cast<std::ptrdiff_t>(pb),
                                  line_.begin() + static_cast<std::ptrdiff_t>(pe), gap_char)))
        continue;
      // Pieces without a gap are lossless damage: taken here only where the
      // line shows replacement characters (U+FFFD) and a piece with a gap
      // is recovered too; a '?' is too common in clean text to vouch for
      // more than its own piece.
      if (!has_gap && mode_ == decode_mode::naive) continue;
      any_gap |= has_gap;
      lossy_fix f;
      f.begin = pb;
      f.end = pe;
      f.after = std::move(after);
      f.undone = &layer_;
      f.mode = mode_;
      f.lost = lost + swallowed;
      const char32_t before = pb > 0 ? as_typed(line_[pb - 1]) : 0;
      const char32_t next = pe < line_.size() ? as_typed(line_[pe]) : 0;
      std::u32string kept(line_.substr(pb, pe - pb));
      for (char32_t& k : kept) k = as_typed(k);
      f.cost_before = sc_.cost(kept, before, next);
      std::u32string judged = read;
      if (mode_ == decode_mode::naive) std::replace(judged.begin(), judged.end(), kFffd, U'?');
      f.cost_after = sc_.cost(judged, before, next);
      // A piece must win by the margin. One that brings nothing back only
      // marks characters lost, and must win by more: where they read well
      // in their context they were text, not mojibake (a second run over
      // repaired text would take 也 in 也� for the first bytes of the lost
      // character).
      const float gain = f.cost_before - f.cost_after;
      if (gain < s_.base_margin || (lost == read.size() && gain < kLossOnlyMargin)) continue;
      // A space read from a gap is a guess the characters around it
      // vouch for: a piece that brings back nothing else is not taken.
      const auto spaces =
          static_cast<std::size_t>(std::count(filled_space.begin(), filled_space.end(), true));
      if (spaces > 0 && lost + spaces == read.size()) continue;
      out.push_back(std::move(f));
    }
  }
  // A reading of UHC or Shift_JIS damage that brings no character back
  // anywhere in the line only marks characters lost: its pieces are not
  // taken (over repaired text it takes the characters beside the gaps, which
  // both code pages encode, for more lost bytes).
  const bool brings_back =
      layer_.wrong == encoding::gb18030 ||
      std::any_of(out.begin() + static_cast<std::ptrdiff_t>(out_begin), out.end(),
                  [](const lossy_fix& f) { return f.lost < f.after.size(); });
  // UTF-8 read as GBK by a naive decoder leaves runs of mojibake; one
  // character before a '?' is as often a rare character before a question
  // mark typed in ASCII (楸?): a reading that changes no more is taken only
  // where the lossless layers found the same damage in the line.
  std::size_t known = 0;
  for (std::size_t k = out_begin; k < out.size(); ++k)
    for (std::size_t t = out[k].begin; t < out[k].end; ++t)
      known += line_[t] >= 0x80 && line_[t] != kFffd;
  const bool evidence = mode_ != decode_mode::naive || gbk_truth_ || known >= 2 || s_.line_repaired;
  if (!any_gap || !brings_back || !evidence) out.resize(out_begin);
}

// A '?' a naive double-byte decoder wrote stands among the CJK characters
// it made ("中??刀ㄊ?4"); after a Latin letter it is a question mark, and so
// it is after one CJK character standing alone among other words ("How do
// you pronounce 驴?"): the decoder's '?' stand in runs of what it made.
bool glued_question_mark(std::u32string_view line, std::size_t i) {
  const std::size_t n = line.size();
  const bool left = i > 0 && line[i - 1] >= 0x2E80;
  const bool right = i + 1 < n && line[i + 1] >= 0x2E80;
  if (left && right) return true;
  auto more = [&](std::size_t k) { return line[k] >= 0x80 || line[k] == U'?'; };
  if (left) return (i >= 2 && more(i - 2)) || (i + 1 < n && line[i + 1] == U'?');
  if (right) return (i + 2 < n && more(i + 2)) || (i > 0 && line[i - 1] == U'?');
  return false;
}

// 锟斤拷 is U+FFFD's UTF-8 bytes read as GBK; 烫 and 屯 are the fill bytes
// CC and CD of debug heaps and stacks read as GBK. None of them is text.
std::size_t garbage_run(std::u32string_view line, std::size_t i, std::size_t& fffd) {
  static constexpr std::u32string_view kKun = U"\u951F\u65A4\u62F7";  // 锟斤拷
  std::size_t j = i;
  fffd = 0;
  while (line.substr(j).starts_with(kKun)) {
    j += 3;
    fffd += 2;
  }
  if (j > i) {
    // An odd count of U+FFFD leaves 锟 and a U+FFFD (or ?) at the end.
    if (j + 1 < line.size() && line[j] == U'\u951F' &&
        (line[j + 1] == kFffd || line[j + 1] == U'?')) {
      j += 2;
      fffd += 1;
    }
    return j - i;
  }
  for (char32_t fill : {U'\u70EB', U'\u5C6F'}) {  // 烫 屯
    while (j < line.size() && line[j] == fill) ++j;
    if (j - i >= 3) {
      fffd = 1;
      return j - i;
    }
    j = i;
  }
  return 0;
}

// UTF-8 read as GBK makes pairs of a UTF-8 lead and continuation byte, of
// two continuation bytes, or of a continuation and a lead byte; GBK text
// read out of step pairs a trail byte with the next lead byte, which makes
// such pairs only now and then.
// With two_byte, pairs that are a two-byte UTF-8 character (Cyrillic,
// Greek, accented Latin read as GBK) count as UTF-8 too: GBK text holds them
// as well, but fewer.
bool looks_shifted(std::u32string_view line, bool two_byte) {
  auto cont = [](std::uint8_t x) { return x >= 0x80 && x <= 0xBF; };
  auto lead = [](std::uint8_t x) { return x >= 0xE0 && x <= 0xEF; };
  std::size_t pairs = 0, utf8_like = 0;
  std::uint8_t b[4];
  for (char32_t c : line) {
    if (c < 0x80 || encode_cp(encoding::gbk, c, b) != 2) continue;
    ++pairs;
    if ((lead(b[0]) || cont(b[0])) && (cont(b[1]) || (cont(b[0]) && lead(b[1]))))
      ++utf8_like;
    else if (two_byte && b[0] >= 0xC2 && b[0] <= 0xDF && cont(b[1]))
      ++utf8_like;
  }
  return pairs > 0 && utf8_like * 2 < pairs;
}

// The share of the bytes the line's characters stand for under `l` that
// take their place in UTF-8 (a lead byte with its continuation bytes). The
// bytes next to a gap or the line's ends may belong to a character the gap
// cut: they fit. Text `l` did not damage re-encodes to bytes that mostly
// do not.
double utf8_fit(std::u32string_view line, const encoded_line& enc) {
  std::size_t fit = 0, all = 0;
  std::uint8_t run[4096];
  std::size_t n = 0;
  auto judge = [&](bool cut_before, bool cut_after) {
    std::size_t i = 0;
    // Continuation bytes at the start finish a character a gap cut.
    if (cut_before)
      while (i < n && (run[i] & 0xC0) == 0x80) ++i, ++fit;
    while (i < n) {
      const int len = utf8::sequence_length(run[i]);
      std::size_t k = 1;
      while (len > 1 && i + k < n && k < static_cast<std::size_t>(len) &&
             (run[i + k] & 0xC0) == 0x80)
        ++k;
      const bool whole = len > 1 && k == static_cast<std::size_t>(len);
      const bool cut = len > 1 && i + k == n && cut_after;
      if (whole || cut) fit += k;
      i += (whole || cut) ? k : 1;
    }
    all += n;
    n = 0;
  };
  bool cut_before = true;
  for (std::size_t t = 0; t < line.size(); ++t) {
    const char32_t c = line[t];
    const bool gap = c == kFffd || c == U'?';
    if (c < 0x80 || gap) {
      if (n > 0) judge(cut_before, gap);
      cut_before = gap;
      continue;
    }
    const int k = enc[t].n;
    if (k == 0 || k == 4 || n + 4 > sizeof run) {
      if (n > 0) judge(cut_before, false);
      cut_before = false;
      continue;
    }
    for (int j = 0; j < k; ++j) run[n++] = enc[t].b[static_cast<std::size_t>(j)];
  }
  if (n > 0) judge(cut_before, true);
  return all == 0 ? 0.0 : static_cast<double>(fit) / static_cast<double>(all);
}

// The share of the line's non-ASCII characters (gaps aside) that the wrong
// decoder of `l` cannot have made.
double foreign_share(std::u32string_view line, const encoded_line& enc) {
  std::size_t all = 0, foreign = 0;
  for (std::size_t t = 0; t < line.size(); ++t) {
    const char32_t c = line[t];
    if (c < 0x80 || c == kFffd) continue;
    ++all;
    const int n = enc[t].n;
    if (n == 0 || n == 4) ++foreign;
  }
  return all == 0 ? 0.0 : static_cast<double>(foreign) / static_cast<double>(all);
}

}  // namespace

bool document_pairs::contains(char32_t a, char32_t b) const {
  if (a < 0x2E80 || b < 0x2E80 || a == kFffd || b == kFffd) return false;
  if (!built_) {
    built_ = true;
    // Bounded: the first few megabytes tell what a text names.
    constexpr std::size_t kMaxBytes = 4 << 20;
    const std::string_view text = text_.substr(0, std::min(text_.size(), kMaxBytes));
    for (std::size_t begin = 0; begin < text.size();) {
      std::size_t end = text.find('\n', begin);
      if (end == std::string_view::npos) end = text.size();
      const std::string_view line = text.substr(begin, end - begin);
      begin = end + 1;
      if (may_hold_mojibake(line)) continue;
      char32_t prev = 0;
      for (std::size_t i = 0; i < line.size();) {
        const char32_t c = utf8::next(line, i);
        if (prev >= 0x2E80 && c >= 0x2E80 && c != utf8::kInvalid)
          pairs_.push_back((static_cast<std::uint64_t>(prev) << 32) | c);
        prev = c == utf8::kInvalid ? 0 : c;
      }
    }
    std::sort(pairs_.begin(), pairs_.end());
    pairs_.erase(std::unique(pairs_.begin(), pairs_.end()), pairs_.end());
    // A bit per hash of the pairs: most pairs asked about are not there.
    while (filter_bits_ < 24 && (std::size_t{1} << filter_bits_) < 8 * pairs_.size())
      ++filter_bits_;
    filter_.assign((std::size_t{1} << filter_bits_) / 64, 0);
    for (std::uint64_t key : pairs_) {
      const std::uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> (64 - filter_bits_);
      filter_[h >> 6] |= std::uint64_t{1} << (h & 63);
    }
  }
  const std::uint64_t key = (static_cast<std::uint64_t>(a) << 32) | b;
  const std::uint64_t h = (key * 0x9E3779B97F4A7C15ull) >> (64 - filter_bits_);
  if (((filter_[h >> 6] >> (h & 63)) & 1) == 0) return false;
  return std::binary_search(pairs_.begin(), pairs_.end(), key);
}

bool may_be_lossy(std::u32string_view line) noexcept {
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char32_t c = line[i];
    if (c == kFffd || c == U'\u951F' || c == U'\u70EB' || c == U'\u5C6F') return true;
    if (c == U'?' && glued_question_mark(line, i)) return true;
    if (c == kStraySign && i + 1 < line.size() && line[i + 1] >= 0x2E80) return true;
    // A byte a single-byte code page leaves undefined (â€? for ”).
    if (c == U'?' && i > 0 && line[i - 1] >= 0x80 && line[i - 1] < 0x2E80) return true;
  }
  return false;
}

namespace {

// Adds the fixes of `more` that overlap none already taken, in order, and
// keeps `out` sorted by position.
void add_where_free(std::vector<lossy_fix>& out, std::vector<lossy_fix> more) {
  for (lossy_fix& f : more) {
    const bool overlaps = std::any_of(out.begin(), out.end(), [&](const lossy_fix& g) {
      return g.begin < f.end && f.begin < g.end;
    });
    if (!overlaps) out.push_back(std::move(f));
  }
  std::sort(out.begin(), out.end(),
            [](const lossy_fix& a, const lossy_fix& b) { return a.begin < b.begin; });
}

std::vector<lossy_fix> recover_chunk(std::u32string_view line, const recover_settings& s) {
  std::vector<lossy_fix> out;
  // A line that discusses encodings is left as it is: nothing below is
  // taken for it.
  if (mentions_encodings(line)) return out;
  bool fffd = false, glued = false, stray_sign = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    fffd |= s.replacement_gaps && line[i] == kFffd;
    glued |= line[i] == U'?' && glued_question_mark(line, i);
    stray_sign |= line[i] == kStraySign && i + 1 < line.size() && line[i + 1] >= 0x2E80;
  }
  const bool question = s.question_gaps && glued;
  // GBK read out of step is read before the lossless layers too: they would
  // take the characters between its gaps for mojibake of their own.
  const bool shifted = (glued || stray_sign) && looks_shifted(line, !s.question_gaps);
  const bool sjis_signs = std::any_of(line.begin(), line.end(), [](char32_t c) {
    return (c >= 0xFF61 && c <= 0xFF9F) || c == U'\u7E3A' || c == U'\u7E67' || c == U'\u7E5D';
  });
  bool fffd_before_ascii_only = true;
  for (std::size_t i = 0; i < line.size(); ++i)
    if (line[i] == kFffd && i + 1 < line.size() && line[i + 1] >= 0x80)
      fffd_before_ascii_only = false;

  // GBK text read one byte out of step by a naive decoder.
  static constexpr layer kShiftedGbk{encoding::gb18030, encoding::gbk, false, 2};
  // Gaps with no surviving bytes of mojibake around them hold nothing to
  // read (a run of U+FFFD alone).
  const bool evidence =
      std::any_of(line.begin(), line.end(), [](char32_t c) { return c >= 0x80 && c != kFffd; });
  if ((fffd || question || shifted) && evidence) {
    bool found = false;
    std::vector<lossy_fix> best_spans;
    float best_cost = std::numeric_limits<float>::infinity();
    // The all-kept reading is the baseline every decoder must beat.
    const float kept = scorer::get().cost(line);
    // The same, with the '?' between CJK taken for typed question marks:
    // the baseline GBK read out of step must beat (see lattice::as_typed).
    float kept_typed = kept;
    if (question || shifted) {
      std::u32string typed(line);
      for (std::size_t i = 0; i < typed.size(); ++i)
        if (typed[i] == U'?' && glued_question_mark(line, i)) typed[i] = U'\uFF1F';
      kept_typed = scorer::get().cost(typed);
    }
    std::vector<const layer*> layers;
    for (const layer& l : known_layers())
      if (l.truth == encoding::utf8 && !is_single_byte(l.wrong)) layers.push_back(&l);
    if (shifted) layers.push_back(&kShiftedGbk);
    encoded_line enc;
    // Big5 readings: the WHATWG one and CPython's (see below).
    std::size_t n_fffd = 0, n_wide = 0;
    for (char32_t c : line) {
      n_fffd += c == kFffd;
      n_wide += c >= 0x80;
    }
    const double fffd_share =
        n_wide == 0 ? 0.0 : static_cast<double>(n_fffd) / static_cast<double>(n_wide);
    float big5_whatwg = std::numeric_limits<float>::infinity();
    float big5_python = std::numeric_limits<float>::infinity();
    std::vector<lossy_fix> big5_spans;
    for (const layer* lp : layers) {
      const layer& l = *lp;
      // Both shares are of the line and the layer alone: each is taken once.
      double foreign = -1, fit = -1;
      for (decode_mode m : {decode_mode::whatwg, decode_mode::python, decode_mode::naive}) {
        if (m == decode_mode::naive && !question && !(shifted && lp == &kShiftedGbk)) continue;
        if (m != decode_mode::naive && lp == &kShiftedGbk) continue;
        if (m != decode_mode::naive && !fffd) continue;
        // A WHATWG GBK decoder writes U+FFFD only before ASCII or at the
        // end; a CPython one also before the next pair. The other reading
        // gives the same characters there: one search is enough. (The
        // WHATWG Big5, Shift_JIS and UHC decoders also swallow a bad pair
        // whole, before any byte.)
        const bool gbk = l.wrong == encoding::gb18030;
        if (gbk && m == decode_mode::whatwg && !fffd_before_ascii_only) continue;
        if (gbk && m == decode_mode::python && fffd_before_ascii_only) continue;
        // Naive damage ('?' for a bad pair) is read for GBK only: it is
        // where such decoders are met, and the only one measured.
        if (m == decode_mode::naive && !gbk) continue;
        // UTF-8 read as Shift_JIS shows halfwidth katakana or the 縺繧繝
        // that kana become; without them the damage is another decoder's.
        if (l.wrong == encoding::cp932 && !sjis_signs) continue;
        // EUC-JP damage is left to the lossless layers: its gaps were not
        // measured on held-out text. Big5 loses too much (UTF-8 Chinese read
        // as Big5 keeps about a third of its characters): its fills were
        // mostly wrong, and a second run read the rest again otherwise.
        if (l.wrong == encoding::euc_jp) continue;
        // Big5 is read as the WHATWG decoder (Big5-HKSCS) damages it. A
        // CPython Big5 decoder (one U+FFFD per bad byte) damages about as
        // much, and its fills were mostly wrong: its reading is searched
        // only to refuse the line where it explains the line better.
        // Where more than about half the line's characters are U+FFFD, the
        // damage is CPython's (held-out lines: 4% of CPython's, 73% of
        // WHATWG's are below 0.55).
        const bool big5 = l.wrong == encoding::big5_hkscs || l.wrong == encoding::big5;
        if (big5 && (fffd_share > kMaxBig5FffdShare ||
                     (!(m == decode_mode::whatwg && l.wrong == encoding::big5_hkscs) &&
                      !(m == decode_mode::python && l.wrong == encoding::big5))))
          continue;
        // A line is usually damaged one way: where many of its characters
        // are ones this decoder never makes, the damage is another.
        if (foreign < 0) {
          encode_line(line, l, enc);
          foreign = foreign_share(line, enc);
        }
        if (foreign * 3 > 1) continue;
        // A Big5 decoder made every character of its damage: a line mixed
        // with other text (a part another reading repaired) is not read so.
        if (big5 && foreign > 0) continue;
        // Nor is it this damage where half the bytes its characters stand
        // for do not take their places in UTF-8.
        if (m != decode_mode::naive && fit < 0) fit = utf8_fit(line, enc);
        if (m != decode_mode::naive && fit < kMinUtf8Fit) continue;
        lattice lat(line, enc, l, m, s);
        const float base = m == decode_mode::naive ? kept_typed : kept;
        if (!lat.run() || lat.best_cost() >= base) continue;
        std::vector<lossy_fix> spans;
        lat.spans(spans);
        // The reading that explains most of the line, among those the
        // decoder really makes.
        float cost = base;
        for (const lossy_fix& f : spans) cost -= f.cost_before - f.cost_after;
        // Text read out of step is rarer than UTF-8 read as GBK, and its
        // lattice (stray bytes anywhere) fits more: it must win clearly.
        if (lp == &kShiftedGbk) cost += kShiftedPrior;
        if (spans.empty()) continue;
        if (big5) {
          // Kept aside: taken below unless CPython's damage explains the
          // line better.
          float& c = m == decode_mode::python ? big5_python : big5_whatwg;
          c = std::min(c, cost);
          if (m == decode_mode::whatwg && cost <= big5_whatwg) big5_spans = std::move(spans);
          continue;
        }
        if (cost >= best_cost) continue;
        best_cost = cost;
        best_spans = std::move(spans);
        found = true;
      }
    }
    if (big5_whatwg < big5_python && big5_whatwg < best_cost) {
      best_spans = std::move(big5_spans);
      found = true;
    }
    if (found) out = std::move(best_spans);
  }

  // GBK read as UTF-8: the runs of letters whose pairs are known to start.
  if (fffd && looks_like_gbk_as_utf8(line)) add_where_free(out, gbk_as_utf8_runs(line, s));

  // UTF-8 read as a single-byte code page with a lost byte: U+FFFD before
  // the lossless layers (which cannot read a sequence with a gap), '?' after
  // them (Íπå? is 까? through mac-roman, not a lost byte after πå).
  if (s.replacement_gaps || s.question_gaps)
    add_where_free(out, single_byte_gaps(line, s.question_gaps ? U'?' : kFffd, s));

  // Garbage runs, where recovery did not already take the span.
  if (s.replacement_gaps) {
    std::vector<lossy_fix> runs;
    const scorer& sc = scorer::get();
    for (std::size_t i = 0; i < line.size();) {
      std::size_t n_fffd = 0;
      const std::size_t len = garbage_run(line, i, n_fffd);
      if (len == 0) {
        ++i;
        continue;
      }
      lossy_fix f;
      f.begin = i;
      f.end = i + len;
      f.after.assign(n_fffd, kFffd);
      f.lost = n_fffd;
      f.cost_before = sc.cost(line.substr(i, len));
      f.cost_after = sc.cost(f.after);
      runs.push_back(std::move(f));
      i += len;
    }
    add_where_free(out, std::move(runs));
  }
  return out;
}

}  // namespace

std::vector<lossy_fix> recover_line(std::u32string_view line, const recover_settings& s) {
  // Long lines are searched in pieces, cut at an ASCII character where one
  // is near: the search stays linear and its memory small.
  constexpr std::size_t kChunk = 1024, kLookBack = 64;
  if (line.size() <= kChunk) return recover_chunk(line, s);
  std::vector<lossy_fix> out;
  for (std::size_t b = 0; b < line.size();) {
    std::size_t e = std::min(line.size(), b + kChunk);
    if (e < line.size()) {
      for (std::size_t k = e; k > e - kLookBack; --k) {
        if (line[k - 1] < 0x80) {
          e = k;
          break;
        }
      }
    }
    for (lossy_fix& f : recover_chunk(line.substr(b, e - b), s)) {
      f.begin += b;
      f.end += b;
      out.push_back(std::move(f));
    }
    b = e;
  }
  return out;
}

}  // namespace mojifix::detail
