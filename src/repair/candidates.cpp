#include "repair/candidates.hpp"

#include <array>
#include <atomic>
#include <cstdint>

#include "codec/codec.hpp"
#include "codec/utf8.hpp"
#include "model/scorer.hpp"

namespace mojifix::detail {
namespace {

struct unit {
  std::size_t length;  // bytes; 0 never
  char32_t cp;         // utf8::kInvalid when the bytes are not valid in truth
};

// CESU-8 (Java's "modified UTF-8", MySQL's utf8 before utf8mb4) writes a
// supplementary character as two 3-byte surrogates: ED A0-AF xx ED B0-BF xx.
unit decode_surrogate_pair(std::string_view bytes, std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data()) + pos;
  if (pos + 6 > bytes.size() || p[0] != 0xED || (p[1] & 0xF0) != 0xA0 || (p[2] & 0xC0) != 0x80 ||
      p[3] != 0xED || (p[4] & 0xF0) != 0xB0 || (p[5] & 0xC0) != 0x80)
    return {1, utf8::kInvalid};
  const char32_t high = 0xD000u | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
  const char32_t low = 0xD000u | ((p[4] & 0x3Fu) << 6) | (p[5] & 0x3Fu);
  return {6, 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00)};
}

// decode_one of the legacy double-byte code pages, remembered per code page
// and byte pair where its answer depends on those two bytes alone (not a
// GB18030 four-byte form, second byte 0x30-0x39, nor an EUC-JP three-byte
// one, lead 0x8F): the legacy layers decode the same pairs line after line.
// Cells are filled on first use (0: not asked yet; threads that race store
// the same value).
constexpr std::uint32_t kPairKnown = 0x80000000u;  // | length << 24 | code point
std::atomic<std::uint32_t> g_pairs[6][0x8000];

int pair_table(encoding e) {
  switch (e) {
    case encoding::gb18030:
      return 0;
    case encoding::big5_hkscs:
      return 1;
    case encoding::big5:
      return 2;
    case encoding::cp932:
      return 3;
    case encoding::euc_jp:
      return 4;
    case encoding::cp949:
      return 5;
    default:
      return -1;
  }
}

// Decodes one character of `truth` at bytes[pos]; table is pair_table(truth).
[[gnu::always_inline]] inline unit decode_unit(encoding truth, std::string_view bytes,
                                               std::size_t pos, int table) {
  const auto b0 = static_cast<unsigned char>(bytes[pos]);
  if (truth == encoding::utf8 || truth == encoding::cesu8) {
    std::size_t i = pos;
    char32_t cp = utf8::next(bytes, i);
    if (cp == utf8::kInvalid && truth == encoding::cesu8) return decode_surrogate_pair(bytes, pos);
    return {i - pos, cp};
  }
  if (b0 < 0x80) return {1, b0};
  const auto* p = reinterpret_cast<const std::uint8_t*>(bytes.data()) + pos;
  std::atomic<std::uint32_t>* cell = nullptr;
  if (table >= 0 && pos + 1 < bytes.size() && b0 != 0x8F && !(p[1] >= 0x30 && p[1] <= 0x39)) {
    cell = &g_pairs[table][((b0 - 0x80u) << 8) | p[1]];
    const std::uint32_t v = cell->load(std::memory_order_relaxed);
    if (v != 0) {
      const std::size_t len = (v >> 24) & 0x7F;
      if (len == 0) return {1, utf8::kInvalid};
      return {len, v & 0xFFFFFFu};
    }
  }
  char32_t cp;
  const int len = decode_one(truth, p, bytes.size() - pos, cp);
  if (cell != nullptr)
    cell->store(kPairKnown | (static_cast<std::uint32_t>(len) << 24) | (len > 0 ? cp : 0),
                std::memory_order_relaxed);
  if (len == 0) return {1, utf8::kInvalid};
  return {static_cast<std::size_t>(len), cp};
}

// decode_unit, with UTF-8 (most layers' truth) known at compile time so
// that the undo loops do not dispatch on the truth per unit.
template <bool kUtf8>
[[gnu::always_inline]] inline unit decode_as(encoding truth, std::string_view bytes,
                                             std::size_t pos, int table) {
  if constexpr (kUtf8) {
    std::size_t i = pos;
    const char32_t cp = utf8::next(bytes, i);
    return {i - pos, cp};
  } else {
    return decode_unit(truth, bytes, pos, table);
  }
}

// HTML pipelines turn U+00A0 into a space, so the byte A0 of a UTF-8
// sequence read as windows-1252 often comes back as 0x20 ("Ã " for à,
// "Å " for Š, "à¸ " for Thai ภ). Where a space stands at the place of a
// continuation byte, reads it as A0. Returns the unit and whether the space
// also separated words and must stay: only for à, the French and Portuguese
// word, except in "às" and "àquele/àquela/àquilo", where the space was the
// A0 alone.
// The length of the UTF-8 sequence whose last byte a space at bytes[pos]
// onward could stand for, or 0 (asked before decode_lost_nbsp, inline).
[[gnu::always_inline]] inline std::size_t lost_nbsp_length(std::string_view bytes,
                                                           std::size_t pos) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const unsigned b0 = p[pos];
  const std::size_t need = b0 >= 0xC2 && b0 <= 0xDF ? 2 : b0 >= 0xE0 && b0 <= 0xEF ? 3 : 0;
  if (need == 0 || pos + need >= bytes.size() || p[pos + need - 1] != 0x20) return 0;
  return need;
}

unit decode_lost_nbsp(std::string_view bytes, std::size_t pos, bool& keep_space) {
  const std::size_t need = lost_nbsp_length(bytes, pos);
  if (need == 0) return {1, utf8::kInvalid};
  char seq[3];
  bytes.copy(seq, need, pos);
  seq[need - 1] = static_cast<char>(0xA0);
  std::size_t i = 0;
  const char32_t cp = utf8::next(std::string_view(seq, need), i);
  if (cp == utf8::kInvalid || i != need) return {1, utf8::kInvalid};
  keep_space = false;
  if (cp == U'\u00E0') {
    const std::string_view after = bytes.substr(pos + need);
    keep_space =
        !(after.starts_with("s ") || after.starts_with("quele") || after.starts_with("quela") ||
          after.starts_with("quilo") || after.starts_with(" ") || after.empty());
  }
  return {need, cp};
}

}  // namespace

namespace {

bool loses_nbsp_uncached(const layer& l) {
  if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) return false;
  std::uint8_t b[4];
  return encode_wrong(l, U'\u00A0', b) == 1 && b[0] == 0xA0;
}

}  // namespace

bool loses_nbsp(const layer& l) {
  // Asked for every run of every layer tried: the known layers' answers
  // are worked out once.
  static const std::array<bool, 64> known = [] {
    std::array<bool, 64> a{};
    const auto all = known_layers();
    for (std::size_t k = 0; k < all.size() && k < a.size(); ++k) a[k] = loses_nbsp_uncached(all[k]);
    return a;
  }();
  const auto all = known_layers();
  const auto at = reinterpret_cast<std::uintptr_t>(&l);
  const auto first = reinterpret_cast<std::uintptr_t>(all.data());
  if (at >= first && at < first + all.size() * sizeof(layer) && all.size() <= known.size())
    return known[(at - first) / sizeof(layer)];
  return loses_nbsp_uncached(l);
}

namespace {

// Undoes the layer on text[run_begin, run_end), where every character is
// encodable and bytes holds their encoding (starts: where each character's
// bytes begin, and the end), reporting spans through emit(begin, end,
// replacement).
template <bool kUtf8, class Emit>
void undo_run(const layer& l, std::u32string_view text, std::size_t run_begin,
              std::string_view bytes, const std::size_t* starts, std::u32string& pending,
              Emit&& emit) {
  std::size_t ci = 0;  // index into starts: first character start >= pos
  bool open = false;
  std::size_t seg_char_begin = 0;
  // pending is a buffer: every unit takes a byte at least and gives one
  // character, or two for a lost A0 before a kept space.
  if (pending.size() < bytes.size() + 2) pending.resize(bytes.size() + 2);
  char32_t* const buf = pending.data();
  std::size_t length = 0;          // characters pending
  std::size_t good_chars_end = 0;  // char index of the last aligned end
  std::size_t good_length = 0;     // length at that end

  auto close = [&] {
    if (!open) return;  // nothing pending
    if (good_length > 0)
      emit(run_begin + seg_char_begin, run_begin + good_chars_end,
           std::u32string_view(buf, good_length));
    open = false;
    length = 0;
    good_length = 0;
  };

  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const int table = kUtf8 ? -1 : pair_table(l.truth);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    while (starts[ci] < pos) ++ci;
    const bool at_boundary = starts[ci] == pos;
    // A one-byte ASCII character decodes to itself in every truth.
    if (at_boundary && p[pos] < 0x80 && starts[ci + 1] == pos + 1 &&
        text[run_begin + ci] == p[pos]) {
      close();
      ++pos;
      continue;
    }
    unit u = decode_as<kUtf8>(l.truth, bytes, pos, table);
    bool keep_space = false;
    const std::size_t next = pos + u.length;
    std::size_t end_ci = ci;
    while (starts[end_ci] < next) ++end_ci;
    const bool end_aligned = starts[end_ci] == next;
    if (u.cp == utf8::kInvalid) {
      close();
    } else if (at_boundary && end_aligned && end_ci == ci + 1 && text[run_begin + ci] == u.cp) {
      close();  // the character comes back as itself
    } else {
      if (!open) {
        if (!at_boundary) {
          pos = next;
          continue;
        }
        open = true;
        seg_char_begin = ci;
      }
      buf[length++] = u.cp;
      if (keep_space) buf[length++] = U' ';
      if (end_aligned) {
        good_chars_end = end_ci;
        good_length = length;
      }
    }
    pos = next;
  }
  close();
}

// encode_wrong remembered per layer of known_layers() and BMP code point:
// repair asks every plausible layer about every character of a line, and a
// text holds a few hundred distinct characters. Cells are filled on first
// use (0: not asked yet; threads that race store the same value).
constexpr std::size_t kMemoLayers = 40;
constexpr std::uint32_t kKnown = 0x80;  // | length | bytes << 8; four bytes are not kept
std::atomic<std::uint32_t> g_encoded[kMemoLayers][0x10000];

std::size_t memo_index(const layer& l) {
  const auto all = known_layers();
  const auto at = reinterpret_cast<std::uintptr_t>(&l);
  const auto first = reinterpret_cast<std::uintptr_t>(all.data());
  if (at < first || at >= first + all.size() * sizeof(layer)) return kMemoLayers;
  return (at - first) / sizeof(layer);
}

[[gnu::noinline]] int encode_and_remember(const layer& l, std::size_t index, char32_t cp,
                                          std::uint8_t out[4]) {
  const int n = encode_wrong_uncached(l, cp, out);
  if (index < kMemoLayers && cp <= 0xFFFF && n < 4) {
    const std::uint32_t v =
        kKnown | static_cast<std::uint32_t>(n) | (n > 0 ? std::uint32_t{out[0]} << 8 : 0) |
        (n > 1 ? std::uint32_t{out[1]} << 16 : 0) | (n > 2 ? std::uint32_t{out[2]} << 24 : 0);
    g_encoded[index][cp].store(v, std::memory_order_relaxed);
  }
  return n;
}

inline int encode_memo(const layer& l, std::size_t index, char32_t cp, std::uint8_t out[4]) {
  if (cp < 0x80) {
    out[0] = static_cast<std::uint8_t>(cp);
    return 1;
  }
  if (index < kMemoLayers && cp <= 0xFFFF) {
    const std::uint32_t v = g_encoded[index][cp].load(std::memory_order_relaxed);
    if (v & kKnown) {
      out[0] = static_cast<std::uint8_t>(v >> 8);
      out[1] = static_cast<std::uint8_t>(v >> 16);
      out[2] = static_cast<std::uint8_t>(v >> 24);
      return static_cast<int>(v & 7);
    }
  }
  return encode_and_remember(l, index, cp, out);
}

// undo_run where every character is one byte (a single-byte wrong code
// page): every byte starts a character, so no table of starts is needed.
template <bool kUtf8, class Emit>
void undo_single_byte_run(const layer& l, std::u32string_view text, std::size_t run_begin,
                          std::string_view bytes, std::u32string& pending, bool lost_nbsp,
                          Emit&& emit) {
  bool open = false;
  std::size_t seg_begin = 0;
  // pending is a buffer, as in undo_run.
  if (pending.size() < bytes.size() + 2) pending.resize(bytes.size() + 2);
  char32_t* const buf = pending.data();
  std::size_t length = 0;       // characters pending
  std::size_t good_end = 0;     // byte (= character) index of the last end
  std::size_t good_length = 0;  // length at that end
  auto close = [&] {
    if (!open) return;  // nothing pending
    if (good_length > 0)
      emit(run_begin + seg_begin, run_begin + good_end, std::u32string_view(buf, good_length));
    open = false;
    length = 0;
    good_length = 0;
  };
  // lost_nbsp (loses_nbsp(l)): not at the end of a run, where a space is
  // more likely a space (Romanian "NICIODATĂ "): decode_lost_nbsp asks for a
  // byte after it.
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const int table = kUtf8 ? -1 : pair_table(l.truth);
  std::size_t pos = 0;
  while (pos < bytes.size()) {
    // An ASCII byte decodes to itself in every truth: where its character
    // is that byte, it closes the span (most of a Latin line).
    if (p[pos] < 0x80 && text[run_begin + pos] == p[pos]) {
      close();
      ++pos;
      continue;
    }
    unit u = decode_as<kUtf8>(l.truth, bytes, pos, table);
    bool keep_space = false;
    if (u.cp == utf8::kInvalid && lost_nbsp && lost_nbsp_length(bytes, pos) != 0)
      u = decode_lost_nbsp(bytes, pos, keep_space);
    const std::size_t next = pos + u.length;
    if (u.cp == utf8::kInvalid) {
      close();
    } else if (u.length == 1 && text[run_begin + pos] == u.cp) {
      close();  // the character comes back as itself
    } else {
      if (!open) {
        open = true;
        seg_begin = pos;
      }
      buf[length++] = u.cp;
      if (keep_space) buf[length++] = U' ';
      good_end = next;
      good_length = length;
    }
    pos = next;
  }
  close();
}

// Buffers reused from line to line: repair runs per line, and most lines
// are short.
struct scratch {
  std::string bytes;
  std::vector<std::size_t> starts;
  std::u32string pending;
  std::u32string result;
};

scratch& local_scratch() {
  thread_local scratch s;
  return s;
}

// Walks the runs of `text` (consecutive characters the wrong decoder could
// have produced, holding at least one non-ASCII character), encoding each
// character once, and undoes each run.
template <class Emit>
void for_each_span(const layer& l, std::u32string_view text, Emit&& emit) {
  scratch& sc = local_scratch();
  std::string& bytes = sc.bytes;
  std::vector<std::size_t>& starts = sc.starts;
  std::uint8_t buf[4];
  const std::size_t index = memo_index(l);
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (is_single_byte(l.wrong)) {
    while (i < n) {
      bytes.clear();
      std::size_t j = i;
      bool non_ascii = false;
      for (; j < n; ++j) {
        if (encode_memo(l, index, text[j], buf) == 0) break;
        bytes.push_back(static_cast<char>(buf[0]));
        non_ascii |= text[j] >= 0x80;
      }
      if (non_ascii) {
        if (l.truth == encoding::utf8)
          undo_single_byte_run<true>(l, text, i, bytes, sc.pending, loses_nbsp(l), emit);
        else
          undo_single_byte_run<false>(l, text, i, bytes, sc.pending, loses_nbsp(l), emit);
      }
      i = j + 1;
    }
    return;
  }
  while (i < n) {
    bytes.clear();
    starts.clear();
    std::size_t j = i;
    bool non_ascii = false;
    for (; j < n; ++j) {
      const int len = encode_memo(l, index, text[j], buf);
      if (len == 0) break;
      starts.push_back(bytes.size());
      bytes.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(len));
      non_ascii |= text[j] >= 0x80;
    }
    if (non_ascii) {
      starts.push_back(bytes.size());
      if (l.truth == encoding::utf8)
        undo_run<true>(l, text, i, bytes, starts.data(), sc.pending, emit);
      else
        undo_run<false>(l, text, i, bytes, starts.data(), sc.pending, emit);
    }
    i = j + 1;
  }
}

}  // namespace

void find_candidates(const layer& l, std::u32string_view text, std::vector<candidate>& out) {
  for_each_span(l, text, [&](std::size_t b, std::size_t e, std::u32string_view repl) {
    out.push_back(candidate{b, e, std::u32string(repl), {&l}});
  });
}

const line_encodings::family& line_encodings::of(const layer& l, std::u32string_view text) {
  for (std::size_t k = 0; k < used_; ++k)
    if (families_[k].wrong == l.wrong && families_[k].c1_as_latin1 == l.c1_as_latin1)
      return families_[k];
  if (used_ == families_.size()) families_.emplace_back();
  family& f = families_[used_++];
  f.wrong = l.wrong;
  f.c1_as_latin1 = l.c1_as_latin1;
  f.runs.clear();
  // The same runs as for_each_span finds.
  const bool single = is_single_byte(l.wrong);
  const std::size_t index = memo_index(l);
  std::uint8_t buf[4];
  const std::size_t n = text.size();
  // The remembered answers are read in place; encode_memo asks the rest.
  const std::atomic<std::uint32_t>* known = index < kMemoLayers ? g_encoded[index] : nullptr;
  if (single) {
    // One byte per character: the bytes stand where their characters do,
    // and a run's bytes are its characters' range.
    if (f.bytes.size() < n) f.bytes.resize(n);
    char* out = f.bytes.data();
    for (std::size_t i = 0; i < n;) {
      std::size_t j = i;
      bool non_ascii = false;
      for (; j < n; ++j) {
        const char32_t ch = text[j];
        if (ch < 0x80) {
          out[j] = static_cast<char>(ch);
          continue;
        }
        if (known != nullptr && ch <= 0xFFFF) {
          const std::uint32_t v = known[ch].load(std::memory_order_relaxed);
          if (v & kKnown) {
            if ((v & 7) == 0) break;
            out[j] = static_cast<char>(v >> 8);
            non_ascii = true;
            continue;
          }
        }
        if (encode_memo(l, index, ch, buf) == 0) break;
        out[j] = static_cast<char>(buf[0]);
        non_ascii = true;
      }
      if (non_ascii) f.runs.push_back(run{i, j, i, j, 0});
      i = j + 1;
    }
    return f;
  }
  // Written through pointers into buffers sized for the worst case (four
  // bytes a character; a start per character and one per run), kept from
  // line to line: only the runs' ranges of them are read.
  if (f.bytes.size() < 4 * n) f.bytes.resize(4 * n);
  if (f.starts.size() < 2 * n + 1) f.starts.resize(2 * n + 1);
  char* bytes = f.bytes.data();
  std::size_t* starts = f.starts.data();
  std::size_t byte_count = 0, start_count = 0;
  for (std::size_t i = 0; i < n;) {
    const std::size_t byte_begin = byte_count, starts_begin = start_count;
    std::size_t j = i;
    bool non_ascii = false;
    for (; j < n; ++j) {
      const char32_t ch = text[j];
      if (ch < 0x80) {
        starts[start_count++] = byte_count - byte_begin;
        bytes[byte_count++] = static_cast<char>(ch);
        continue;
      }
      if (known != nullptr && ch <= 0xFFFF) {
        const std::uint32_t v = known[ch].load(std::memory_order_relaxed);
        if (v & kKnown) {
          const std::uint32_t len = v & 7;
          if (len == 0) break;
          starts[start_count++] = byte_count - byte_begin;
          bytes[byte_count++] = static_cast<char>(v >> 8);
          if (len > 1) bytes[byte_count++] = static_cast<char>(v >> 16);
          if (len > 2) bytes[byte_count++] = static_cast<char>(v >> 24);
          non_ascii = true;
          continue;
        }
      }
      const int len = encode_memo(l, index, ch, buf);
      if (len == 0) break;
      starts[start_count++] = byte_count - byte_begin;
      for (int k = 0; k < len; ++k) bytes[byte_count++] = static_cast<char>(buf[k]);
      non_ascii = true;
    }
    if (non_ascii) {
      starts[start_count++] = byte_count - byte_begin;
      f.runs.push_back(run{i, j, byte_begin, byte_count, starts_begin});
    } else {
      byte_count = byte_begin;
      start_count = starts_begin;
    }
    i = j + 1;
  }
  return f;
}

void find_spans(const layer& l, std::u32string_view text, std::u32string& pool,
                std::vector<span_candidate>& out, line_encodings& enc) {
  const line_encodings::family& f = enc.of(l, text);
  scratch& sc = local_scratch();
  auto emit = [&](std::size_t b, std::size_t e, std::u32string_view repl) {
    out.push_back(span_candidate{b, e, pool.size(), repl.size()});
    pool.append(repl);
  };
  const bool single = is_single_byte(l.wrong);
  const bool lost_nbsp = single && loses_nbsp(l);
  const bool utf8 = l.truth == encoding::utf8;
  for (const line_encodings::run& r : f.runs) {
    const std::string_view bytes =
        std::string_view(f.bytes).substr(r.byte_begin, r.byte_end - r.byte_begin);
    const std::size_t* starts = f.starts.data() + r.starts_begin;
    if (single && utf8) {
      undo_single_byte_run<true>(l, text, r.begin, bytes, sc.pending, lost_nbsp, emit);
    } else if (single) {
      undo_single_byte_run<false>(l, text, r.begin, bytes, sc.pending, lost_nbsp, emit);
    } else if (utf8) {
      undo_run<true>(l, text, r.begin, bytes, starts, sc.pending, emit);
    } else {
      undo_run<false>(l, text, r.begin, bytes, starts, sc.pending, emit);
    }
  }
}

namespace {

// undo_whole; keep_going(cp) is asked after each decoded character and
// stops the work (false) when it says no.
template <class KeepGoing>
bool undo_whole_while(const layer& l, std::u32string_view text, std::u32string& out,
                      KeepGoing&& keep_going) {
  if (text.empty()) return false;
  // Most layers tried fail on the first character: ask before any set-up.
  const std::size_t index = memo_index(l);
  std::uint8_t buf[4];
  int n = encode_memo(l, index, text[0], buf);
  if (n == 0) return false;
  // Encodes only as far ahead as decoding needs (a CESU-8 surrogate pair is
  // six bytes, a UTF-8 or GB18030 character four), so a layer that fails
  // does so at its first bad byte.
  const std::size_t lookahead = l.truth == encoding::cesu8 ? 6 : 4;
  const int table = pair_table(l.truth);
  scratch& sc = local_scratch();
  std::string& bytes = sc.bytes;
  std::u32string& result = sc.result;
  bytes.assign(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
  result.clear();
  std::size_t next_char = 1;
  for (std::size_t pos = 0;;) {
    while (bytes.size() < pos + lookahead && next_char < text.size()) {
      n = encode_memo(l, index, text[next_char++], buf);
      if (n == 0) return false;
      bytes.append(reinterpret_cast<const char*>(buf), static_cast<std::size_t>(n));
    }
    if (pos >= bytes.size()) break;
    unit u = decode_unit(l.truth, bytes, pos, table);
    if (u.cp == utf8::kInvalid || !keep_going(u.cp)) return false;
    result.push_back(u.cp);
    pos += u.length;
  }
  if (result == text) return false;
  out.assign(result);
  return true;
}

}  // namespace

bool undo_whole(const layer& l, std::u32string_view text, std::u32string& out) {
  return undo_whole_while(l, text, out, [](char32_t) { return true; });
}

bool undo_whole_below(const layer& l, std::u32string_view text, std::u32string& out,
                      char32_t before, float extra, float limit) {
  const scorer& sc = scorer::get();
  scorer::walk w = sc.walk_start(before);
  return undo_whole_while(l, text, out, [&](char32_t cp) {
    sc.walk_step(w, cp);
    return scorer::bits(w.total) + extra < limit;
  });
}

}  // namespace mojifix::detail
