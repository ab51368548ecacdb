// UTF-8 read as a single-byte code page by a decoder that wrote U+FFFD or
// '?' for the bytes the code page leaves undefined: ” (E2 80 9D) becomes
// â€? through windows-1252, Á (C3 81) becomes Ă� through windows-1250. The
// lead byte and the other continuation bytes survive; the lost byte is one
// of the few the code page leaves undefined.

#include "recover/single_byte_gaps.hpp"

#include <algorithm>
#include <limits>

#include "codec/utf8.hpp"
#include "model/scorer.hpp"

namespace mojifix::detail {
namespace {

constexpr char32_t kFffd = U'\uFFFD';

// Characters a lost byte may be read as: text, not controls, format
// characters or unassigned code points.
bool fills_text(const scorer& sc, char32_t cp) {
  return is_text(sc.classify(cp)) && !(cp >= 0x2000 && cp <= 0x200F) &&
         !(cp >= 0x2028 && cp <= 0x202F);
}

// The damaged UTF-8 sequence of `l` starting at line[i], if there is one:
// its end (one past), the index of its gap and the bytes it stands for.
bool damaged_sequence(std::u32string_view line, std::size_t i, const layer& l, char32_t gap_char,
                      bool cjk_line, std::size_t& end, std::size_t& gap,
                      std::array<std::uint8_t, 4>& bytes) {
  std::uint8_t b[4];
  if (encode_wrong(l, line[i], b) != 1 || b[0] < 0xC2 || b[0] > 0xF4) return false;
  const int n = utf8::sequence_length(b[0]);
  bytes[0] = b[0];
  gap = line.size();
  std::size_t j = i + 1;
  for (int k = 1; k < n; ++k, ++j) {
    if (j >= line.size()) return false;
    if (line[j] == gap_char) {
      if (gap != line.size()) return false;  // one lost byte at most
      gap = j;
      bytes[static_cast<std::size_t>(k)] = 0;
      continue;
    }
    if (line[j] < 0x80 || encode_wrong(l, line[j], b) != 1 || (b[0] & 0xC0) != 0x80) return false;
    bytes[static_cast<std::size_t>(k)] = b[0];
  }
  if (gap == line.size()) return false;
  // A '?' after a lead alone is as often a question mark after a word
  // (IRMÃ? is Portuguese): it must follow a continuation byte.
  if (gap_char == U'?' && gap == i + 1) return false;
  // In a line with CJK, single-byte damage stands among Latin, Greek or
  // Cyrillic text; next to CJK or other gaps it is the debris of double-byte
  // damage.
  auto foreign = [](char32_t c) { return c >= 0x2E80 || c == kFffd; };
  if (cjk_line && ((i > 0 && foreign(line[i - 1])) || (j < line.size() && foreign(line[j]))))
    return false;
  end = j;
  return true;
}

// False when no layer damaged_sequence tries makes cp of a lead byte
// (C2-F4): CJK text holds none, and each character was looked at under
// every single-byte code page. Answered once per BMP character per thread.
bool may_lead(char32_t cp) {
  auto judge = [](char32_t c) {
    std::uint8_t b[4];
    for (const layer& l : known_layers()) {
      if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) continue;
      if (encode_wrong(l, c, b) == 1 && b[0] >= 0xC2 && b[0] <= 0xF4) return true;
    }
    return false;
  };
  if (cp >= 0x10000) return judge(cp);
  thread_local std::vector<std::uint8_t> known(0x10000, 0);  // 0: not asked, 1: no, 2: yes
  std::uint8_t& k = known[cp];
  if (k == 0) k = judge(cp) ? 2 : 1;
  return k == 2;
}

}  // namespace

std::vector<lossy_fix> single_byte_gaps(std::u32string_view line, char32_t gap_char,
                                        const recover_settings& s) {
  std::vector<lossy_fix> out;
  if (std::find(line.begin(), line.end(), gap_char) == line.end()) return out;
  const scorer& sc = scorer::get();
  const bool cjk_line =
      std::any_of(line.begin(), line.end(), [](char32_t c) { return c >= 0x2E80 && c != kFffd; });
  for (std::size_t i = 0; i < line.size();) {
    // A damaged sequence starts at most three characters before its gap.
    bool near = false;
    for (std::size_t k = i + 1; k < line.size() && k <= i + 3 && !near; ++k)
      near = line[k] == gap_char;
    if (line[i] < 0x80 || !near || !may_lead(line[i])) {
      ++i;
      continue;
    }
    bool found = false;
    for (const layer& l : known_layers()) {
      if (l.truth != encoding::utf8 || !is_single_byte(l.wrong)) continue;
      std::size_t end = 0, gap = 0;
      std::array<std::uint8_t, 4> bytes{};
      if (!damaged_sequence(line, i, l, gap_char, cjk_line, end, gap, bytes)) continue;
      const std::size_t k = gap - i;  // the lost byte's place in the sequence
      const char32_t before = i > 0 ? line[i - 1] : 0;
      const char32_t next = end < line.size() ? line[end] : 0;
      // Every byte the code page leaves undefined, in the lost byte's place.
      float best = std::numeric_limits<float>::infinity(), second = best;
      char32_t pick = kFffd;
      // Whether a byte decoders replace (undefined, or a C1 control in the
      // tables that keep them: windows-1252's 81 8D 8F 90 9D) completes the
      // sequence, and whether one makes text of it.
      bool replaced = false, completes = false, makes_text = false;
      for (int v = 0x80; v <= 0xBF; ++v) {
        const auto byte = static_cast<std::uint8_t>(v);
        char32_t shown = 0;
        const bool defined = decode_one(l.wrong, &byte, 1, shown) == 1;
        if (defined && !(shown >= 0x80 && shown <= 0x9F)) continue;
        replaced = true;
        bytes[k] = byte;
        const std::string_view seq(reinterpret_cast<const char*>(bytes.data()), end - i);
        std::size_t at = 0;
        const char32_t cp = utf8::next(seq, at);
        if (cp == utf8::kInvalid || at != seq.size()) continue;
        completes = true;
        if (!fills_text(sc, cp)) continue;
        makes_text = true;
        if (defined) continue;  // not a fill: the code page shows that byte
        const float c = sc.cost(before, cp) + (next != 0 ? sc.cost(cp, next) : 0.0f);
        if (c < best) {
          second = best;
          best = c;
          pick = cp;
        } else if (c < second) {
          second = c;
        }
      }
      // Such bytes complete the sequence, but none into a character of text:
      // no UTF-8 was lost there (î, a no-break space and '?' in French
      // typography are EE A0 and a question mark, and EE A0 xx is private
      // use).
      if (completes && !makes_text) continue;
      // A code page that shows every continuation byte as a character of
      // its own (windows-1256, KOI8-R, the DOS pages) gives a decoder
      // nothing to replace there.
      if (!replaced) continue;
      if (second - best < s.fill_margin) pick = kFffd;
      lossy_fix f;
      f.begin = i;
      f.end = end;
      f.after.assign(1, pick);
      f.undone = &l;
      f.lost = pick == kFffd ? 1 : 0;
      f.cost_before = sc.cost(line.substr(i, end - i), before, next);
      f.cost_after = sc.cost(f.after, before, next);
      // Only marking the character lost must win by more: a word ending in
      // a letter such a byte makes, before a question mark, is text (síť?
      // in Czech, історії? in Ukrainian).
      if (!(f.cost_before - f.cost_after > (pick == kFffd ? kLossOnlyMargin : 0.0f))) continue;
      out.push_back(std::move(f));
      i = end;
      found = true;
      break;
    }
    if (!found) ++i;
  }
  return out;
}

}  // namespace mojifix::detail
