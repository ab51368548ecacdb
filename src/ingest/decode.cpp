// decode(): bytes to UTF-8 by the detected (or given) encoding, islands of
// another encoding inside UTF-8 each read by their own best guess, then the
// repair of fix_and_explain. stream_decoder: the same reading piece by
// piece, for the command line.

#include "mojifix/decode.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "codec/utf8.hpp"
#include "ingest/sniff.hpp"
#include "mojifix/fix.hpp"

namespace mojifix {
namespace {

using detail::encoding;
using detail::ingest::form;
using detail::ingest::reading;
using detail::ingest::scored;

// An island leaves the encoding most islands have only for a reading that
// the model prefers by this many bits.
constexpr float kSwitchBits = 8.0f;
// A valid UTF-8 line of a legacy file is read as legacy only when the model
// prefers that by this many bits.
constexpr float kLineSwitchBits = 8.0f;

constexpr std::string_view kBomAsGbk = "\xE9\x94\x98";  // 锘

// The decoder for a reported or given name: the superset a browser uses
// (gbk -> gb18030 tables, big5 -> big5-hkscs, shift_jis -> cp932, ...).
bool decoder_for(std::string_view name, reading& r) {
  if (!detail::ingest::reading_from_name(name, r)) return false;
  if (r.f == form::codec) {
    r.enc = detail::whatwg_decoder(r.enc);
    if (r.enc == encoding::gbk || r.enc == encoding::gb2312) r.enc = encoding::gb18030;
  }
  return true;
}

bool is_utf8_reading(reading r) { return r.f == form::codec && r.enc == encoding::utf8; }

std::string name_of(reading r, std::string_view bytes) {
  return detail::ingest::report_name(r, bytes);
}

step decode_step(std::size_t begin, std::string_view before, std::string_view after,
                 std::string chain) {
  step s;
  s.begin = begin;
  s.end = begin + before.size();
  s.chain = std::move(chain);
  s.before = std::string(before);
  s.after = std::string(after);
  return s;
}

// Decodes bytes in r, adding a step per bad sequence (offsets + base).
void decode_span(reading r, std::string_view bytes, std::size_t base, std::string& out,
                 std::vector<step>& steps) {
  std::vector<std::size_t> bad;
  detail::ingest::decode_all(r, bytes, out, &bad);
  for (std::size_t at : bad) {
    steps.push_back(
        decode_step(base + at, bytes.substr(at, 1), "\xEF\xBF\xBD", "undecodable bytes"));
  }
}

// Shift_JIS and Big5 text whose 0x5C trail bytes were escaped as "\\" by
// ASCII-minded code: every double-byte character ending in 0x5C is followed
// by another 0x5C. Returns the unescaped bytes, or nothing.
bool unescape_5c(reading r, std::string_view b, std::string& out) {
  if (r.f != form::codec ||
      (r.enc != encoding::cp932 && r.enc != encoding::big5_hkscs && r.enc != encoding::cp950))
    return false;
  const auto* p = reinterpret_cast<const unsigned char*>(b.data());
  std::size_t found = 0;
  for (std::size_t i = 0; i < b.size();) {
    char32_t cp = 0;
    const int len = detail::ingest::decode_char(r, p + i, b.size() - i, cp);
    if (len == 2 && p[i + 1] == 0x5C) {
      if (i + 2 >= b.size() || p[i + 2] != 0x5C) return false;
      ++found;
      i += 3;
      continue;
    }
    i += len > 0 ? static_cast<std::size_t>(len) : 1;
  }
  if (found == 0) return false;
  out.clear();
  for (std::size_t i = 0; i < b.size();) {
    char32_t cp = 0;
    const int len = detail::ingest::decode_char(r, p + i, b.size() - i, cp);
    if (len == 2 && p[i + 1] == 0x5C) {
      out.append(b.substr(i, 2));
      i += 3;
      continue;
    }
    const std::size_t step = len > 0 ? static_cast<std::size_t>(len) : 1;
    out.append(b.substr(i, step));
    i += step;
  }
  return true;
}

// Decodes the whole of bytes in r (a BOM of r already removed by the caller).
void decode_whole(reading r, std::string_view bytes, std::size_t base, std::string& out,
                  std::vector<step>& steps) {
  std::string unescaped;
  if (unescape_5c(r, bytes, unescaped)) {
    std::string text;
    decode_span(r, unescaped, base, text, steps);
    steps.push_back(decode_step(base, bytes, text, name_of(r, {}) + " 0x5c escaped"));
    out += text;
    return;
  }
  decode_span(r, bytes, base, out, steps);
}

// A run of non-ASCII bytes holding an island may begin or end with UTF-8
// text glued to it, and an island may hold pairs that happen to be valid
// UTF-8 (GBK 一 is D2 BB, UTF-8 for U+04BB). The model chooses where the
// island starts and ends among the UTF-8 character boundaries at both ends.
std::pair<std::size_t, std::size_t> refine_island(std::string_view b, std::size_t run_s,
                                                  std::size_t run_e, reading r) {
  constexpr std::size_t kMaxBoundaries = 8;
  std::vector<std::size_t> starts = {run_s};
  for (std::size_t i = run_s; i < run_e && starts.size() < kMaxBoundaries;) {
    const int len = detail::ingest::utf8_sequence_length(b, i);
    if (len == 0 || static_cast<unsigned char>(b[i]) < 0x80) break;
    i += static_cast<std::size_t>(len);
    starts.push_back(i);
  }
  std::vector<std::size_t> ends = {run_e};
  for (std::size_t e = run_e; e > run_s && ends.size() < kMaxBoundaries;) {
    // The UTF-8 character that ends at e, if any.
    std::size_t k = e - 1;
    while (k > run_s && e - k < 4 && (static_cast<unsigned char>(b[k]) & 0xC0) == 0x80) --k;
    if (detail::ingest::utf8_sequence_length(b, k) != static_cast<int>(e - k) ||
        static_cast<unsigned char>(b[k]) < 0x80)
      break;
    e = k;
    ends.push_back(e);
  }
  // The last character of a run may be an ASCII byte taken as a trail.
  auto trim = [&](std::pair<std::size_t, std::size_t> se) {
    std::size_t last = se.first;
    const auto* p = reinterpret_cast<const unsigned char*>(b.data());
    for (std::size_t i = se.first; i < se.second;) {
      char32_t cp = 0;
      int len = r.f == form::codec && r.enc == encoding::utf8
                    ? 0
                    : detail::ingest::decode_char(r, p + i, se.second - i, cp);
      if (len <= 0) len = 1;
      if (!(len == 1 && p[i] < 0x80)) last = i + static_cast<std::size_t>(len);
      i += static_cast<std::size_t>(len);
    }
    return std::pair<std::size_t, std::size_t>{se.first, std::max(last, se.first + 1)};
  };
  if (starts.size() == 1 && ends.size() == 1) return trim({run_s, run_e});
  const reading utf8{form::codec, encoding::utf8};
  float best = 1e30f;
  std::pair<std::size_t, std::size_t> pick{run_s, run_e};
  // Text glued to an island without a space is the exception: each UTF-8
  // character carved off the run pays kCarveBits.
  constexpr float kCarveBits = 4.0f;
  for (std::size_t si = 0; si < starts.size(); ++si) {
    const std::size_t s = starts[si];
    for (std::size_t ei = 0; ei < ends.size(); ++ei) {
      const std::size_t e = ends[ei];
      if (e <= s) continue;
      const float c = kCarveBits * static_cast<float>(si + ei) +
                      detail::ingest::reading_cost(utf8, b.substr(run_s, s - run_s)) +
                      detail::ingest::reading_cost(r, b.substr(s, e - s)) +
                      detail::ingest::reading_cost(utf8, b.substr(e, run_e - e));
      if (c < best) {
        best = c;
        pick = {s, e};
      }
    }
  }
  return trim(pick);
}

// The islands of another encoding in mostly-UTF-8 bytes, each decoded with
// its own best guess; favoured: the family most islands have.
void decode_islands(std::string_view bytes, std::size_t base, const detect_hints& hints,
                    std::string_view island_hint, std::string& out, std::vector<step>& steps) {
  const auto islands = detail::ingest::find_islands(bytes);
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  const std::size_t n = bytes.size();
  // An island with the ASCII text around it (a word's other letters).
  auto with_context = [&](std::size_t s, std::size_t e) {
    std::size_t cs = s;
    while (cs > 0 && s - cs < 8 && p[cs - 1] < 0x80 && p[cs - 1] >= 0x20) --cs;
    std::size_t ce = e;
    while (ce < n && ce - e < 8 && p[ce] < 0x80 && p[ce] >= 0x20) ++ce;
    return bytes.substr(cs, ce - cs);
  };
  const std::vector<char32_t> seen = detail::ingest::seen_chars(bytes, islands);
  // The encoding of most islands, from all of them together.
  std::uint8_t favoured = 0;
  {
    std::string sample;
    for (const auto& [s, e] : islands) {
      if (sample.size() > 2048) break;
      sample.append(with_context(s, e));
      sample.push_back('\n');
    }
    detect_hints h = hints;
    if (!island_hint.empty() && h.declared.empty()) h.declared = island_hint;
    auto r = detail::ingest::rank_legacy(sample, {}, h);
    detail::ingest::favour_seen(r, sample, seen);
    if (!r.empty()) favoured = r[0].family;
  }
  std::size_t i = 0;
  for (const auto& [run_s, run_e] : islands) {
    auto r = detail::ingest::rank_legacy(with_context(run_s, run_e), {}, hints, 0);
    detail::ingest::favour_seen(r, bytes.substr(run_s, run_e - run_s), seen);
    // The favoured family's best reading, unless another is clearly better.
    std::size_t pick = 0;
    for (std::size_t k = 0; k < r.size(); ++k) {
      if (r[k].family == favoured) {
        if (r[k].cost <= r[0].cost + kSwitchBits) pick = k;
        break;
      }
    }
    const reading rd = r[pick].r;
    const auto [s, e] = refine_island(bytes, run_s, run_e, rd);
    out.append(bytes.substr(i, s - i));
    std::string text;
    std::vector<step> bad;
    decode_span(rd, bytes.substr(s, e - s), base + s, text, bad);
    steps.push_back(decode_step(base + s, bytes.substr(s, e - s), text,
                                name_of(rd, bytes.substr(s, e - s)) + " island"));
    steps.insert(steps.end(), bad.begin(), bad.end());
    out += text;
    i = e;
  }
  out.append(bytes.substr(i));
}

// In a file of legacy encoding r, is this line UTF-8? Short legacy lines
// are often valid UTF-8 by chance (GBK 一 is D2 BB, UTF-8 for U+04BB): a
// valid line stays UTF-8 unless the model reads it clearly better in r.
bool stays_utf8(std::string_view line, reading r) {
  std::size_t mb = 0;
  if (detail::ingest::first_invalid_utf8(line, mb) != std::string_view::npos || mb == 0)
    return false;
  const reading utf8{form::codec, encoding::utf8};
  std::string ignored;
  if (detail::ingest::decode_all(r, line, ignored) != 0) return true;
  return detail::ingest::reading_cost(utf8, line) <
         detail::ingest::reading_cost(r, line) + kLineSwitchBits;
}

// One line of per-line mode (line end included).
void decode_line(std::string_view line, std::size_t base, reading file_reading,
                 std::string_view island_hint, const detect_hints& hints, std::string& out,
                 std::vector<step>& steps) {
  std::size_t mb = 0;
  if (detail::ingest::first_invalid_utf8(line, mb) == std::string_view::npos) {
    reading legacy{};
    const bool hinted =
        !island_hint.empty() && decoder_for(island_hint, legacy) && !is_utf8_reading(legacy);
    if (!hinted || stays_utf8(line, legacy)) {
      out.append(line);
      return;
    }
    std::string text;
    decode_span(legacy, line, base, text, steps);
    steps.push_back(decode_step(base, line, text, "line decoded as " + name_of(legacy, line)));
    out += text;
    return;
  }
  const detection d = detect_encoding(line, hints);
  if (d.mixed) {
    decode_islands(line, base, hints, island_hint.empty() ? d.island_encoding : island_hint, out,
                   steps);
    return;
  }
  reading r = file_reading;
  std::string text;
  std::vector<step> bad;
  if (is_utf8_reading(r) || detail::ingest::decode_all(r, line, text) != 0) {
    // The file's encoding does not fit this line: rank the line, favouring
    // the islands' encoding.
    reading hinted{};
    std::uint8_t fam = 0;
    if (!island_hint.empty() && decoder_for(island_hint, hinted)) {
      for (const auto& c : detail::ingest::legacy_candidates())
        if (c.r == hinted) fam = c.family;
    }
    const auto ranked = detail::ingest::rank_legacy(line, {}, hints, fam);
    r = ranked[0].r;
  }
  text.clear();
  decode_span(r, line, base, text, bad);
  steps.push_back(decode_step(base, line, text, "line decoded as " + name_of(r, line)));
  steps.insert(steps.end(), bad.begin(), bad.end());
  out += text;
}

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

// "锘?" or "锘\uFFFD" at the start: a UTF-8 BOM once read as GBK.
std::size_t bom_as_gbk_length(std::string_view text) {
  if (!starts_with(text, kBomAsGbk)) return 0;
  const std::string_view rest = text.substr(kBomAsGbk.size());
  if (starts_with(rest, "?")) return kBomAsGbk.size() + 1;
  if (starts_with(rest, "\xEF\xBF\xBD")) return kBomAsGbk.size() + 3;
  return 0;
}

fix_result finish(std::string text, std::vector<step> dsteps, const options& opt) {
  fix_result r = fix_and_explain(text, opt);
  if (!dsteps.empty()) {
    dsteps.insert(dsteps.end(), std::make_move_iterator(r.steps.begin()),
                  std::make_move_iterator(r.steps.end()));
    r.steps = std::move(dsteps);
  }
  return r;
}

}  // namespace

fix_result decode(std::string_view bytes, const options& opt, const decode_options& how) {
  std::vector<step> steps;
  std::string text;
  const bool automatic = how.from.empty() || how.from == "auto";
  reading r{};
  std::string island_hint;
  std::size_t skip = 0;
  bool bom_inside = false;

  if (!automatic) {
    if (!decoder_for(how.from, r)) {
      fix_result bad;
      bad.text = std::string(bytes);
      bad.error = error::unsupported_option;
      return bad;
    }
    if (r.f == form::iso2022jp && bytes.find('\x1B') == std::string_view::npos)
      r.f = form::iso2022jp_stripped;
  } else {
    const detection d = detect_encoding(bytes, how.hints);
    if (!decoder_for(d.encoding, r)) r = {};
    if (r.f == form::iso2022jp && bytes.find('\x1B') == std::string_view::npos)
      r.f = form::iso2022jp_stripped;
    island_hint = d.island_encoding;
    if (d.bom) {
      skip = d.bom_length;
      bom_inside = is_utf8_reading(r);  // a UTF-8 BOM is text for the fixers
      if (d.bom_length == 2 && d.encoding != (bytes[0] == '\xFF' ? "utf-16le" : "utf-16be")) {
        steps.push_back(decode_step(0, bytes.substr(0, 2), {}, d.encoding + " byte-swapped"));
      }
    }
    if (is_utf8_reading(r) && !d.mixed && !how.per_line && !d.bom) {
      const std::size_t k = bom_as_gbk_length(bytes);
      if (k == 0) return fix_and_explain(bytes, opt);  // valid UTF-8: unchanged path
      steps.push_back(decode_step(0, bytes.substr(0, k), {}, "utf-8 bom read as gbk"));
      return finish(std::string(bytes.substr(k)), std::move(steps), opt);
    }
    if (d.mixed) {
      if (how.per_line) {
        for (std::size_t i = 0; i < bytes.size();) {
          std::size_t e = bytes.find('\n', i);
          e = e == std::string_view::npos ? bytes.size() : e + 1;
          decode_line(bytes.substr(i, e - i), i, r, island_hint, how.hints, text, steps);
          i = e;
        }
      } else {
        decode_islands(bytes, 0, how.hints, island_hint, text, steps);
      }
      return finish(std::move(text), std::move(steps), opt);
    }
  }
  if (bom_inside) skip = 0;
  const std::string_view body = bytes.substr(skip);
  const bool ascii_compatible =
      r.f == form::codec && r.enc != encoding::utf16le && r.enc != encoding::utf16be;
  if (automatic && how.per_line && ascii_compatible) {
    for (std::size_t i = 0; i < body.size();) {
      std::size_t e = body.find('\n', i);
      e = e == std::string_view::npos ? body.size() : e + 1;
      const std::string_view line = body.substr(i, e - i);
      std::string piece;
      std::vector<step> bad;
      if (!is_utf8_reading(r) && detail::ingest::decode_all(r, line, piece, nullptr) == 0) {
        text += stays_utf8(line, r) ? std::string(line) : piece;
      } else {
        decode_line(line, skip + i, r, name_of(r, line), how.hints, text, steps);
      }
      i = e;
    }
  } else if (is_utf8_reading(r)) {
    // Given as UTF-8 (or a UTF-8 BOM): invalid bytes become U+FFFD.
    decode_span(r, body, skip, text, steps);
  } else {
    std::string whole;
    decode_whole(r, body, skip, whole, steps);
    steps.insert(steps.begin(), decode_step(skip, body, {}, "decode " + name_of(r, body)));
    steps.front().after = whole;
    text = std::move(whole);
  }
  if (const std::size_t k = bom_as_gbk_length(text)) {
    steps.push_back(decode_step(skip, bytes.substr(skip, 0), {}, "utf-8 bom read as gbk"));
    text.erase(0, k);
  }
  return finish(std::move(text), std::move(steps), opt);
}

// --- stream_decoder ---

struct stream_decoder::state {
  reading r;
  bool per_line = false;
  bool ok = true;
  std::string carry;
  std::size_t undecodable = 0;
  std::size_t offset = 0;

  std::string decode_piece(std::string_view b) {
    std::string out;
    if (!per_line ||
        !(r.f == form::codec && r.enc != encoding::utf16le && r.enc != encoding::utf16be)) {
      undecodable += detail::ingest::decode_all(r, b, out);
      offset += b.size();
      return out;
    }
    for (std::size_t i = 0; i < b.size();) {
      std::size_t e = b.find('\n', i);
      e = e == std::string_view::npos ? b.size() : e + 1;
      const std::string_view line = b.substr(i, e - i);
      std::size_t mb = 0;
      const bool valid = detail::ingest::first_invalid_utf8(line, mb) == std::string_view::npos;
      if (valid && (is_utf8_reading(r) || mb == 0 || stays_utf8(line, r))) {
        out.append(line);
      } else if (!is_utf8_reading(r)) {
        std::string piece;
        const std::size_t errs = detail::ingest::decode_all(r, line, piece);
        if (errs == 0) {
          out += piece;
        } else {
          std::vector<step> steps;
          decode_line(line, offset + i, r, {}, {}, out, steps);
          for (const step& s : steps) undecodable += s.chain == "undecodable bytes";
        }
      } else {
        std::vector<step> steps;
        decode_line(line, offset + i, r, {}, {}, out, steps);
        for (const step& s : steps) undecodable += s.chain == "undecodable bytes";
      }
      i = e;
    }
    offset += b.size();
    return out;
  }

  // Where the carried bytes can be cut without splitting a character.
  std::size_t cut() const {
    const std::size_t n = carry.size();
    if (r.f == form::utf32le || r.f == form::utf32be) return n & ~std::size_t{3};
    if (r.f == form::codec && (r.enc == encoding::utf16le || r.enc == encoding::utf16be)) {
      std::size_t c = n & ~std::size_t{1};
      if (c >= 2) {
        const auto* p = reinterpret_cast<const unsigned char*>(carry.data());
        const unsigned hi = r.enc == encoding::utf16le ? p[c - 1] : p[c - 2];
        if (hi >= 0xD8 && hi <= 0xDB) c -= 2;  // keep a high surrogate for its pair
      }
      return c;
    }
    const std::size_t nl = carry.rfind('\n');
    if (nl != std::string::npos) return nl + 1;
    if (per_line || r.f != form::codec) return n > (std::size_t{64} << 20) ? n : 0;
    for (std::size_t i = n; i-- > 0;) {
      if (static_cast<unsigned char>(carry[i]) < 0x30) return i + 1;
    }
    return n > (std::size_t{1} << 20) ? n : 0;
  }
};

stream_decoder::stream_decoder(std::string_view encoding, bool per_line)
    : s_(std::make_unique<state>()) {
  s_->per_line = per_line;
  s_->ok = encoding != "auto" && decoder_for(encoding, s_->r);
  if (s_->r.f == form::iso2022jp) s_->per_line = false;
}
stream_decoder::~stream_decoder() = default;
stream_decoder::stream_decoder(stream_decoder&&) noexcept = default;
stream_decoder& stream_decoder::operator=(stream_decoder&&) noexcept = default;

bool stream_decoder::ok() const noexcept { return s_->ok; }

std::string stream_decoder::feed(std::string_view bytes) {
  s_->carry.append(bytes);
  const std::size_t c = s_->cut();
  if (c == 0) return {};
  std::string out = s_->decode_piece(std::string_view(s_->carry).substr(0, c));
  s_->carry.erase(0, c);
  return out;
}

std::string stream_decoder::finish() {
  std::string out = s_->decode_piece(s_->carry);
  s_->carry.clear();
  return out;
}

std::size_t stream_decoder::undecodable() const noexcept { return s_->undecodable; }

}  // namespace mojifix
