#include "script/engine.hpp"

#include "codec/utf8.hpp"

namespace mojifix::detail {

void decode_script_text(std::string_view s, script_text& out) {
  out.cps.clear();
  out.offs.clear();
  out.cps.reserve(s.size());
  out.offs.reserve(s.size() + 1);
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    out.offs.push_back(static_cast<std::uint32_t>(i));
    if (p[i] < 0x80) {
      out.cps.push_back(p[i]);
      ++i;
      continue;
    }
    const std::size_t at = i;
    char32_t cp = utf8::next(s, i);
    if (cp == utf8::kInvalid) cp = kRawByte + p[at];
    out.cps.push_back(cp);
  }
  out.offs.push_back(static_cast<std::uint32_t>(s.size()));
}

void decode_script_cps(std::string_view s, std::vector<char32_t>& out) {
  out.clear();
  out.reserve(s.size());
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  for (std::size_t i = 0; i < s.size();) {
    if (p[i] < 0x80) {
      out.push_back(p[i]);
      ++i;
      continue;
    }
    const std::size_t at = i;
    char32_t cp = utf8::next(s, i);
    if (cp == utf8::kInvalid) cp = kRawByte + p[at];
    out.push_back(cp);
  }
}

void encode_script_text(const char32_t* cps, std::size_t n, std::string& out) {
  for (std::size_t i = 0; i < n; ++i) {
    const char32_t cp = cps[i];
    if (cp < 0x80) {
      out.push_back(static_cast<char>(cp));
    } else if (cp >= kRawByte) {
      out.push_back(static_cast<char>(cp - kRawByte));
    } else {
      utf8::append(out, cp);
    }
  }
}

namespace {

// The longest match of the step at s[0, n): the first dictionary with any.
inline std::size_t step_match(const script_config::step& st, const char32_t* s, std::size_t n,
                              const script_dict::entry*& e, unsigned from = 0) noexcept {
  for (unsigned k = from; k < st.n; ++k) {
    const std::size_t len = st.dicts[k]->match(s, n, e);
    if (len != 0) return len;
  }
  return 0;
}

// One conversion step over the segments of in (ends: one past each
// segment). Anchors of the input that fall on match starts carry over.
// With matched (the segmentation's own matches, when the step's first
// dictionary is the segmentation's): a segment that is a match converts to
// its value, and the others never match that dictionary.
void apply_step(const script_config::step& st, const std::vector<char32_t>& in,
                const std::vector<std::uint32_t>& ends, std::vector<char32_t>& out,
                std::vector<std::uint32_t>& out_ends, const std::vector<script_anchor>* anchors,
                std::vector<script_anchor>* out_anchors,
                const std::vector<const script_dict::entry*>* matched = nullptr) {
  out.clear();
  out.reserve(in.size() + in.size() / 8);
  out_ends.clear();
  std::size_t k = 0;  // next anchor
  std::size_t a = 0;
  const unsigned from = matched != nullptr ? 1 : 0;
  for (std::size_t j = 0; j < ends.size(); ++j) {
    const std::uint32_t b = ends[j];
    std::size_t i = a;
    if (matched != nullptr && (*matched)[j] != nullptr) {
      if (anchors != nullptr) {
        while (k < anchors->size() && (*anchors)[k].out < i) ++k;
        if (k < anchors->size() && (*anchors)[k].out == i)
          out_anchors->push_back({static_cast<std::uint32_t>(out.size()), (*anchors)[k].in});
      }
      const script_dict::entry* e = (*matched)[j];
      const char32_t* v = st.dicts[0]->cps + e->value_off;
      out.insert(out.end(), v, v + e->value_len);
      i = b;
    }
    while (i < b) {
      if (anchors != nullptr) {
        while (k < anchors->size() && (*anchors)[k].out < i) ++k;
        if (k < anchors->size() && (*anchors)[k].out == i)
          out_anchors->push_back({static_cast<std::uint32_t>(out.size()), (*anchors)[k].in});
      }
      const script_dict::entry* e = nullptr;
      const std::size_t len = step_match(st, in.data() + i, b - i, e, from);
      if (len == 0) {
        out.push_back(in[i]);
        ++i;
      } else {
        const char32_t* v = st.dicts[0]->cps + e->value_off;
        out.insert(out.end(), v, v + e->value_len);
        i += len;
      }
    }
    out_ends.push_back(static_cast<std::uint32_t>(out.size()));
    a = b;
  }
  if (anchors != nullptr && !anchors->empty() && anchors->back().out == in.size())
    out_anchors->push_back({static_cast<std::uint32_t>(out.size()), anchors->back().in});
}

// Maximum-match segmentation: each match is a segment, the characters
// between matches form one segment. matched gets each segment's entry
// (null for the runs between matches).
void segment(const script_config::step& st, const std::vector<char32_t>& in,
             std::vector<std::uint32_t>& ends, std::vector<const script_dict::entry*>& matched) {
  ends.clear();
  matched.clear();
  const std::size_t n = in.size();
  std::size_t i = 0;
  bool pending = false;
  while (i < n) {
    const script_dict::entry* e = nullptr;
    const std::size_t len = step_match(st, in.data() + i, n - i, e);
    if (len == 0) {
      pending = true;
      ++i;
      continue;
    }
    if (pending) {
      ends.push_back(static_cast<std::uint32_t>(i));
      matched.push_back(nullptr);
    }
    pending = false;
    i += len;
    ends.push_back(static_cast<std::uint32_t>(i));
    matched.push_back(e);
  }
  if (pending || ends.empty()) {
    ends.push_back(static_cast<std::uint32_t>(n));
    matched.push_back(nullptr);
  }
}

// A step of one dictionary whose keys and values are all one code point
// (CJK compatibility ideographs) maps in place.
bool one_to_one(const script_config::step& st) noexcept {
  if (st.n != 1) return false;
  const script_dict& d = *st.dicts[0];
  for (std::uint32_t k = 0; k < d.nentries; ++k)
    if (d.entries[k].key_len != 1 || d.entries[k].value_len != 1) return false;
  return true;
}

void map_in_place(const script_dict& d, std::vector<char32_t>& cps) noexcept {
  for (char32_t& cp : cps) {
    if (cp < 0x80) continue;
    const std::uint32_t f = d.first(cp);
    if (f & 0xFFFFFF) cp = d.cps[d.entries[(f & 0xFFFFFF) - 1].value_off];
  }
}

}  // namespace

void run_script_config(const script_config& c, std::vector<char32_t>& cps,
                       std::vector<script_anchor>* anchors) {
  std::vector<char32_t> next;
  std::vector<std::uint32_t> ends{static_cast<std::uint32_t>(cps.size())};
  std::vector<std::uint32_t> next_ends;
  std::vector<script_anchor> anch;
  std::vector<script_anchor> next_anch;
  const bool track = anchors != nullptr;
  if (track) {
    anch.reserve(cps.size() + 1);
    for (std::uint32_t i = 0; i <= cps.size(); ++i) anch.push_back({i, i});
  }
  std::vector<const script_dict::entry*> matched;
  auto run = [&](const script_config::step& st, bool fused) {
    next_anch.clear();
    apply_step(st, cps, ends, next, next_ends, track ? &anch : nullptr,
               track ? &next_anch : nullptr, fused ? &matched : nullptr);
    cps.swap(next);
    ends.swap(next_ends);
    if (track) anch.swap(next_anch);
  };
  for (unsigned k = 0; k < c.nnorm; ++k) {
    if (one_to_one(c.norm[k])) {
      map_in_place(*c.norm[k].dicts[0], cps);
    } else {
      run(c.norm[k], false);
    }
  }
  // The segmentation's matches are the first step's phrase matches
  // (s2tw, tw2s, ...): found once.
  bool fused = false;
  if (c.has_seg) {
    segment(c.seg, cps, ends, matched);
    fused = c.seg.n == 1 && c.nchain != 0 && c.chain[0].dicts[0] == c.seg.dicts[0];
  }
  for (unsigned k = 0; k < c.nchain; ++k) run(c.chain[k], fused && k == 0);
  if (track) anchors->swap(anch);
}

}  // namespace mojifix::detail
