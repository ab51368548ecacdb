#include "script/classify.hpp"

#include <algorithm>
#include <cstdint>
#include <cstring>

#include "script/engine.hpp"

namespace mojifix {
namespace detail {

void add_script_evidence(const script_tables& t, std::string_view text, script_counts& c) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  std::size_t by_class[4] = {0, 0, 0, 0};
  std::size_t by_region[16] = {};
  std::size_t kana = 0;
  std::size_t i = 0;
  while (i + 2 < n) {
    const unsigned b = p[i];
    // U+3000-U+9FFF: lead bytes E3-E9.
    if (b < 0xE3 || b > 0xE9) {
      ++i;
      continue;
    }
    const unsigned b1 = p[i + 1];
    const unsigned b2 = p[i + 2];
    if ((b1 & 0xC0) != 0x80 || (b2 & 0xC0) != 0x80) {
      ++i;
      continue;
    }
    const unsigned cp = ((b & 0x0Fu) << 12) | ((b1 & 0x3Fu) << 6) | (b2 & 0x3Fu);
    const unsigned shift = (cp & 3) * 2;
    by_class[(t.classes[cp >> 2] >> shift) & 3]++;
    by_region[(t.regions[cp >> 1] >> ((cp & 1) * 4)) & 15]++;
    kana += (cp - 0x3041u) < (0x30FFu - 0x3041u) && cp != 0x30FB && cp != 0x30FC;
    c.han += cp >= 0x3400;
    i += 3;
  }
  c.simplified_evidence += by_class[1];
  c.traditional_evidence += by_class[2];
  c.weak_simplified += by_class[3];
  for (unsigned r = 8; r < 16; ++r) {
    if (r & kRegionTaiwan) c.taiwan_forms += by_region[r];
    if (r & kRegionHongKong) c.hongkong_forms += by_region[r];
    if (r & kRegionStandard) c.standard_forms += by_region[r];
  }
  c.kana += kana;
}

unsigned script_flags(const script_tables& t, std::string_view text) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(text.data());
  const std::size_t n = text.size();
  unsigned mask = 0;
  std::size_t i = 0;
  const std::uint8_t* flags = t.flags;
  constexpr unsigned kBegin = script_tables::kFlagsBegin;
  while (i + 8 <= n) {
    std::uint64_t w;
    std::memcpy(&w, p + i, 8);
    if ((w & 0x8080808080808080ull) == 0) {  // ASCII: eight bytes at a time
      i += 8;
      continue;
    }
    const unsigned b = p[i];
    if (b - 0xE3u <= 0xE9u - 0xE3u) {
      mask |=
          flags[(((b & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu)) - kBegin];
      i += 3;
    } else {
      ++i;
    }
  }
  for (; i + 2 < n; ++i) {
    const unsigned b = p[i];
    if (b - 0xE3u <= 0xE9u - 0xE3u) {
      mask |=
          flags[(((b & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu)) - kBegin];
      i += 2;
    }
  }
  return mask;
}

void add_script_terms(const script_tables& t, std::string_view text, script_counts& c) {
  if (c.simplified_evidence != 0 || c.traditional_evidence != 0) return;
  const script_config* vocab = t.config("vocabulary");
  if (vocab == nullptr || vocab->nchain != 1) return;
  const script_dict& d = *vocab->chain[0].dicts[0];
  std::vector<char32_t> cps;
  decode_script_cps(text, cps);
  const std::size_t n = cps.size();
  for (std::size_t i = 0; i < n;) {
    const script_dict::entry* e = nullptr;
    const std::size_t len = d.match(cps.data() + i, n - i, e);
    if (len == 0) {
      ++i;
      continue;
    }
    if (d.cps[e->value_off] == U'S') {
      ++c.simplified_terms;
    } else {
      ++c.traditional_terms;
    }
    i += len;
  }
}

bool document_script::japanese() const noexcept {
  if (japanese_ < 0) {
    constexpr std::size_t kRead = 4u << 20;
    std::size_t n = std::min(text_.size(), kRead);
    while (n < text_.size() && n > 0 && (static_cast<unsigned char>(text_[n]) & 0xC0) == 0x80) --n;
    const script_tables& t = get_script_tables();
    script_counts c;
    if (t.ok()) add_script_evidence(t, text_.substr(0, n), c);
    japanese_ = c.kana != 0 && c.kana * 8 >= c.han ? 1 : 0;
  }
  return japanese_ == 1;
}

void set_script_verdict(script_counts& c) noexcept {
  const std::size_t s = c.simplified_evidence;
  const std::size_t t = c.traditional_evidence;
  c.confident = false;
  // Japanese shares many forms with both scripts: no verdict when kana
  // stands beside the Han characters.
  if (c.kana * 8 >= c.han && c.kana != 0) {
    c.verdict = script_verdict::undetermined;
  } else if (s != 0 && t != 0) {
    c.verdict = script_verdict::mixed;
  } else if (s != 0) {
    c.verdict = script_verdict::simplified;
    c.confident = true;
  } else if (t != 0) {
    c.verdict = script_verdict::traditional;
    c.confident = true;
  } else if (c.weak_simplified + c.simplified_terms > c.traditional_terms) {
    // 后 干 里 万 or mainland terms, and nothing Traditional.
    c.verdict = script_verdict::simplified;
  } else if (c.traditional_terms > c.weak_simplified + c.simplified_terms) {
    c.verdict = script_verdict::traditional;
  } else {
    c.verdict = script_verdict::undetermined;
  }
}

std::size_t sentence_end_at(std::string_view s, std::size_t i) noexcept {
  const auto b = static_cast<unsigned char>(s[i]);
  if (b == '\n' || b == '!' || b == '?') return 1;
  if (b == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
      static_cast<unsigned char>(s[i + 2]) == 0x82)
    return 3;  // 。
  if (b == 0xEF && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xBC) {
    const auto b2 = static_cast<unsigned char>(s[i + 2]);
    if (b2 == 0x81 || b2 == 0x9F) return 3;  // ！ ？
  }
  return 0;
}

}  // namespace detail

std::string_view to_string(script_verdict v) noexcept {
  switch (v) {
    case script_verdict::undetermined:
      return "undetermined";
    case script_verdict::simplified:
      return "simplified";
    case script_verdict::traditional:
      return "traditional";
    case script_verdict::mixed:
      return "mixed";
  }
  return "undetermined";
}

script_report classify_script(std::string_view utf8) {
  script_report r;
  const detail::script_tables& t = detail::get_script_tables();
  if (!t.ok()) return r;
  std::size_t begin = 0;
  auto close = [&](std::size_t end) {
    if (end <= begin) return;
    sentence_script s;
    s.begin = begin;
    s.end = end;
    const std::string_view text = utf8.substr(begin, end - begin);
    detail::add_script_evidence(t, text, s.counts);
    if (s.counts.han != 0) {
      detail::add_script_terms(t, text, s.counts);
      detail::set_script_verdict(s.counts);
      r.sentences.push_back(s);
    }
    begin = end;
  };
  for (std::size_t i = 0; i < utf8.size();) {
    const std::size_t len = detail::sentence_end_at(utf8, i);
    if (len != 0) {
      i += len;
      close(i);
    } else {
      ++i;
    }
  }
  close(utf8.size());
  for (const auto& s : r.sentences) {
    r.counts.han += s.counts.han;
    r.counts.simplified_evidence += s.counts.simplified_evidence;
    r.counts.traditional_evidence += s.counts.traditional_evidence;
    r.counts.weak_simplified += s.counts.weak_simplified;
    r.counts.kana += s.counts.kana;
    r.counts.taiwan_forms += s.counts.taiwan_forms;
    r.counts.hongkong_forms += s.counts.hongkong_forms;
    r.counts.standard_forms += s.counts.standard_forms;
    r.counts.simplified_terms += s.counts.simplified_terms;
    r.counts.traditional_terms += s.counts.traditional_terms;
  }
  // Terms count only where no character is evidence.
  if (r.counts.simplified_evidence != 0 || r.counts.traditional_evidence != 0)
    r.counts.simplified_terms = r.counts.traditional_terms = 0;
  detail::set_script_verdict(r.counts);
  return r;
}

}  // namespace mojifix
