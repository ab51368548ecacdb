// The script stage: OpenCC's conversions (engine.cpp) applied to the whole
// text for an explicit target, or, in keep mode, only where a text mixes
// scripts or holds Simplified residue in Traditional text.

#include "script/convert.hpp"

#include <algorithm>
#include <iterator>

#include "codec/utf8.hpp"
#include "mojifix/script.hpp"
#include "script/classify.hpp"
#include "script/engine.hpp"

namespace mojifix {
namespace detail {

namespace {

constexpr std::string_view kConversionNames[] = {"s2t",   "t2s",   "s2tw", "tw2s", "s2hk", "hk2s",
                                                 "s2twp", "tw2sp", "t2tw", "t2hk", "tw2t", "hk2t"};

const script_config* config_for(conversion c) noexcept {
  return get_script_tables().config(kConversionNames[static_cast<unsigned>(c)]);
}

// Which Traditional variant a text writes: the one that writes most of its
// regional forms; Taiwan's, then the standard, on a tie.
conversion to_traditional_for(const script_counts& c) noexcept {
  if (c.taiwan_forms >= c.standard_forms && c.taiwan_forms >= c.hongkong_forms)
    return conversion::s2tw;
  return c.standard_forms >= c.hongkong_forms ? conversion::s2t : conversion::s2hk;
}
conversion to_simplified_for(const script_counts& c) noexcept {
  if (c.taiwan_forms >= c.standard_forms && c.taiwan_forms >= c.hongkong_forms)
    return conversion::tw2s;
  return c.standard_forms >= c.hongkong_forms ? conversion::t2s : conversion::hk2s;
}

// A changed stretch of the input: code points [in_begin, in_end) became
// out[out_begin, out_end).
struct changed_span {
  std::uint32_t in_begin, in_end, out_begin, out_end;
};

// Converts text[begin, end) and lists the stretches that changed.
// Adjacent changes merge into one span when merge is set; keep mode judges
// each match on its own.
void convert_spans(const script_config& c, std::string_view text, script_text& st,
                   std::vector<char32_t>& out, std::vector<changed_span>& spans,
                   bool merge = false) {
  decode_script_text(text, st);
  std::vector<script_anchor> anchors;
  out = st.cps;
  run_script_config(c, out, &anchors);
  spans.clear();
  for (std::size_t k = 1; k < anchors.size(); ++k) {
    const script_anchor a = anchors[k - 1];
    const script_anchor b = anchors[k];
    const std::size_t n_in = b.in - a.in;
    const std::size_t n_out = b.out - a.out;
    if (n_in == n_out &&
        std::equal(st.cps.begin() + a.in, st.cps.begin() + b.in, out.begin() + a.out))
      continue;
    if (merge && !spans.empty() && spans.back().in_end == a.in) {
      spans.back().in_end = b.in;
      spans.back().out_end = b.out;
    } else {
      spans.push_back({a.in, b.in, a.out, b.out});
    }
  }
}

void push_edit(std::vector<edit>& edits, std::size_t base, const script_text& st,
               const std::vector<char32_t>& out, const changed_span& s) {
  edit e;
  e.begin = base + st.offs[s.in_begin];
  e.end = base + st.offs[s.in_end];
  encode_script_text(out.data() + s.out_begin, s.out_end - s.out_begin, e.after);
  e.what = "convert script";
  edits.push_back(std::move(e));
}

std::vector<edit> convert_all(std::string_view text, conversion conv) {
  std::vector<edit> edits;
  const script_config* c = config_for(conv);
  if (c == nullptr) return edits;
  script_text st;
  std::vector<char32_t> out;
  std::vector<changed_span> spans;
  convert_spans(*c, text, st, out, spans, true);
  for (const auto& s : spans) push_edit(edits, 0, st, out, s);
  return edits;
}

// Calls f(begin, end) for each sentence of text.
template <typename F>
void for_each_sentence(std::string_view text, F&& f) {
  std::size_t begin = 0;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t len = sentence_end_at(text, i);
    if (len == 0) {
      ++i;
      continue;
    }
    i += len;
    f(begin, i);
    begin = i;
  }
  if (begin < text.size()) f(begin, text.size());
}

// Weak Simplified characters that a Traditional text never writes on their
// own: outside the phrases OpenCC keeps them in (皇后, 太后), 后 is 後; 么
// outside 幺's rare variants is 麼.
bool residue_alone(char32_t cp) noexcept { return cp == U'后' || cp == U'么'; }

// Classical Chinese writes the weak characters on purpose (止于丘隅, 以迄于今):
// a line with a classical particle and none of the function words of the
// modern language (的 了 是 們 這 個 ...) is read as classical. The line, not
// the sentence: verses are short, and their particles may stand in the next.
bool classical(std::string_view line) noexcept {
  static constexpr std::u32string_view kModern = U"的了是們们這这個个嗎吗呢把被會会說说沒没很";
  static constexpr std::u32string_view kClassical = U"之乎矣焉哉兮曰斯爰曷豈胡其亦";
  bool particle = false;
  for (std::size_t i = 0; i < line.size();) {
    const char32_t c = utf8::next(line, i);
    if (kModern.find(c) != std::u32string_view::npos) return false;
    particle = particle || kClassical.find(c) != std::u32string_view::npos;
  }
  return particle;
}

// Whether text may be a few Japanese kanji (a label: 勤務先電話番号) as much
// as Traditional Chinese with Simplified residue (号): every Simplified-only
// character is also a Japanese form (号 数 国 参 辞), there are a dozen Han
// characters at most, and none of the words only Chinese writes (這 們 嗎 說).
bool may_be_japanese_kanji(const script_tables& t, std::string_view text) {
  static constexpr char32_t kForms[] = {
#include "script/japanese_forms.inc"
  };
  static constexpr std::u32string_view kChineseOnly = U"這們嗎呢吧說讓對從還裡麼沒您哪";
  constexpr std::size_t kLabel = 12;
  std::size_t han = 0;
  for (std::size_t i = 0; i < text.size();) {
    const char32_t cp = utf8::next(text, i);
    if (cp < 0x3400 || cp > 0xFFFF) continue;
    if (++han > kLabel || kChineseOnly.find(cp) != std::u32string_view::npos) return false;
    if (((t.classes[cp >> 2] >> ((cp & 3) * 2)) & 3) != 1) continue;
    if (!std::binary_search(std::begin(kForms), std::end(kForms), cp)) return false;
  }
  return true;
}

std::vector<edit> keep_edits(std::string_view text) {
  const script_tables& t = get_script_tables();
  // Consistent text, Japanese, or no Han at all: nothing to do. This is the
  // path of almost every text: one byte-table lookup per Han character.
  if (!keep_mode_may_change(script_flags(t, text))) return {};
  script_counts c;
  add_script_evidence(t, text, c);
  if (c.kana != 0 || c.traditional_evidence == 0) return {};
  if (c.simplified_evidence == 0 && c.weak_simplified == 0) return {};
  if (c.simplified_evidence == c.traditional_evidence) return {};
  const bool to_traditional = c.traditional_evidence > c.simplified_evidence;
  // Residue that Japanese writes too in a label of kanji: it stays.
  if (to_traditional && c.weak_simplified == 0 && may_be_japanese_kanji(t, text)) return {};
  // Residue repair needs a text that is Traditional beyond doubt: one
  // character (億 among 〇一二…千万) is not enough.
  if (to_traditional && c.traditional_evidence < 2) return {};
  // The Traditional variant is read from the sentences written in
  // Traditional only: 户 and 着 are Simplified forms as well as regional ones.
  script_counts regional;
  for_each_sentence(text, [&](std::size_t begin, std::size_t end) {
    script_counts sc;
    add_script_evidence(t, text.substr(begin, end - begin), sc);
    if (sc.traditional_evidence != 0 && sc.simplified_evidence == 0) {
      regional.taiwan_forms += sc.taiwan_forms;
      regional.hongkong_forms += sc.hongkong_forms;
      regional.standard_forms += sc.standard_forms;
    }
  });
  const script_config* cfg =
      config_for(to_traditional ? to_traditional_for(regional) : to_simplified_for(regional));
  if (cfg == nullptr) return {};

  std::vector<edit> edits;
  script_text st;
  std::vector<char32_t> out;
  std::vector<changed_span> spans;
  std::vector<bool> done;  // code points of the sentence already edited
  const script_config* back = config_for(to_simplified_for(regional));
  const script_dict* phrases = cfg->nchain != 0 ? cfg->chain[0].dicts[0] : nullptr;
  std::vector<char32_t> simp;
  std::vector<char32_t> trad;
  std::vector<script_anchor> anchors;

  // Residue in a sentence of a Traditional text. A Simplified-only
  // character is residue wherever it stands. A weak one (干 后 里 于: both
  // scripts write it) only where OpenCC's phrases say so with one voice:
  // every phrase over it changes it (干部 -> 幹部), none keeps it (干涉, 若干),
  // read in Simplified so that 標准 is seen as the phrase 标准.
  // Whether the line holding text[at] is classical, judged once per line
  // (a long line holds many sentences).
  std::size_t line_begin = 1, line_end = 0;  // no line judged yet
  bool line_classical = false;
  auto classical_at = [&](std::size_t at) {
    if (at < line_begin || at >= line_end) {
      const std::size_t nl = text.rfind('\n', at);
      line_begin = nl == std::string_view::npos ? 0 : nl + 1;
      line_end = std::min(text.find('\n', at), text.size());
      line_classical = classical(text.substr(line_begin, line_end - line_begin));
    }
    return line_classical;
  };

  auto residue = [&](std::size_t base) {
    done.assign(st.cps.size(), false);
    for (const auto& sp : spans) {
      const bool same_length = sp.in_end - sp.in_begin == sp.out_end - sp.out_begin;
      bool strong = false;
      for (std::uint32_t i = sp.in_begin; i < sp.in_end; ++i)
        strong = strong || t.cls(st.cps[i]) == han_class::simplified;
      if (!strong) continue;
      if (!same_length) {
        push_edit(edits, base, st, out, sp);
        for (std::uint32_t i = sp.in_begin; i < sp.in_end; ++i) done[i] = true;
        continue;
      }
      // Only the residue characters change: the text keeps its own forms of
      // the shared ones (台灣, not 臺灣, beside 台湾).
      for (std::uint32_t i = sp.in_begin; i < sp.in_end; ++i) {
        const std::uint32_t o = sp.out_begin + (i - sp.in_begin);
        if (out[o] == st.cps[i] || t.cls(st.cps[i]) != han_class::simplified) continue;
        push_edit(edits, base, st, out, {i, i + 1, o, o + 1});
        done[i] = true;
      }
    }
    if (back == nullptr || phrases == nullptr) return;
    bool any_weak = false;
    for (std::size_t i = 0; i < st.cps.size(); ++i)
      any_weak = any_weak || (!done[i] && t.cls(st.cps[i]) == han_class::weak_simplified);
    if (!any_weak || classical_at(base)) return;
    simp = st.cps;
    run_script_config(*back, simp, nullptr);
    if (simp.size() != st.cps.size()) simp = st.cps;  // positions must line up
    // Only the Traditional-only characters are read in Simplified: tw2s
    // would also take 么 for Taiwan's form of 幺.
    for (std::size_t i = 0; i < simp.size(); ++i)
      if (t.cls(st.cps[i]) != han_class::traditional) simp[i] = st.cps[i];
    trad = simp;
    anchors.clear();
    run_script_config(*cfg, trad, &anchors);
    std::size_t k = 1;
    for (std::uint32_t i = 0; i < st.cps.size(); ++i) {
      const char32_t was = st.cps[i];
      if (done[i] || t.cls(was) != han_class::weak_simplified) continue;
      while (k < anchors.size() && anchors[k].in <= i) ++k;
      if (k >= anchors.size()) break;
      const script_anchor a = anchors[k - 1];
      const script_anchor b = anchors[k];
      if (b.out - a.out != b.in - a.in) continue;
      const char32_t now = trad[a.out + (i - a.in)];
      if (now == was) continue;
      bool keeps = false;
      bool changes = false;
      const std::size_t from = i >= 11 ? i - 11 : 0;
      for (std::size_t j = from; j <= i; ++j) {
        phrases->each_phrase(simp.data() + j, simp.size() - j,
                             [&](std::size_t len, const script_dict::entry& e) {
                               if (j + len <= i || e.value_len != len) return;
                               const char32_t v = phrases->cps[e.value_off + (i - j)];
                               (v == simp[i] ? keeps : changes) = true;
                             });
      }
      if (keeps || (!changes && !residue_alone(was))) continue;
      push_edit(edits, base, st, trad, {i, i + 1, a.out + (i - a.in), a.out + (i - a.in) + 1});
    }
  };

  for_each_sentence(text, [&](std::size_t begin, std::size_t end) {
    const std::string_view s = text.substr(begin, end - begin);
    script_counts sc;
    add_script_evidence(t, s, sc);
    // A sentence written in the other script is converted whole. Within a
    // sentence, Simplified forms in Traditional text are residue; a
    // Traditional form in Simplified text may be a rare character written
    // on purpose (溼, 釦) and stays.
    if (to_traditional) {
      if (sc.simplified_evidence + sc.weak_simplified == 0) return;
      convert_spans(*cfg, s, st, out, spans);
      if (sc.simplified_evidence != 0 && sc.traditional_evidence == 0) {
        for (const auto& sp : spans) push_edit(edits, begin, st, out, sp);
      } else {
        residue(begin);
      }
    } else {
      if (sc.traditional_evidence == 0 || sc.simplified_evidence != 0) return;
      convert_spans(*cfg, s, st, out, spans);
      for (const auto& sp : spans) push_edit(edits, begin, st, out, sp);
    }
  });
  std::sort(edits.begin(), edits.end(),
            [](const edit& a, const edit& b) { return a.begin < b.begin; });
  return edits;
}

}  // namespace

const std::uint8_t* keep_mode_flags() noexcept { return get_script_tables().flags; }

bool keep_mode_may_change(unsigned flags) noexcept {
  static_assert(script_tables::kFlagSimplified == 1 && script_tables::kFlagTraditional == 2 &&
                script_tables::kFlagWeak == 4 && script_tables::kFlagKana == 8);
  return (flags & script_tables::kFlagKana) == 0 &&
         (flags & script_tables::kFlagTraditional) != 0 &&
         (flags & (script_tables::kFlagSimplified | script_tables::kFlagWeak)) != 0;
}

std::vector<edit> script_edits(std::string_view text, const options& opt) {
  if (!get_script_tables().ok()) return {};
  switch (opt.script) {
    case script::keep:
      return keep_edits(text);
    case script::simplified: {
      script_counts c;
      add_script_evidence(get_script_tables(), text, c);
      return convert_all(text, to_simplified_for(c));
    }
    case script::traditional:
      return convert_all(text, conversion::s2t);
    case script::taiwan:
      return convert_all(text, conversion::s2tw);
    case script::hongkong:
      return convert_all(text, conversion::s2hk);
  }
  return {};
}

}  // namespace detail

std::string_view to_string(conversion c) noexcept {
  return detail::kConversionNames[static_cast<unsigned>(c)];
}

bool parse_conversion(std::string_view name, conversion& out) noexcept {
  for (unsigned i = 0; i < std::size(detail::kConversionNames); ++i) {
    if (detail::kConversionNames[i] == name) {
      out = static_cast<conversion>(i);
      return true;
    }
  }
  return false;
}

std::string convert_chinese(std::string_view utf8, conversion c) {
  const detail::script_config* cfg = detail::config_for(c);
  if (cfg == nullptr) return std::string(utf8);
  std::vector<char32_t> out;
  detail::decode_script_cps(utf8, out);
  detail::run_script_config(*cfg, out, nullptr);
  std::string s;
  s.reserve(utf8.size() + utf8.size() / 8);
  detail::encode_script_text(out.data(), out.size(), s);
  return s;
}

std::string convert_script(std::string_view utf8, script target) {
  options o;
  o.script = target;
  const std::vector<detail::edit> edits = detail::script_edits(utf8, o);
  std::string s;
  s.reserve(utf8.size());
  std::size_t at = 0;
  for (const auto& e : edits) {
    s.append(utf8.substr(at, e.begin - at));
    s += e.after;
    at = e.end;
  }
  s.append(utf8.substr(at));
  return s;
}

}  // namespace mojifix
