// Codec tables are built from ICU at first use, one encoding at a time
// (bulk conversions: a double-byte table costs 1-6 ms of CPU, all 30 tables
// about 25 ms), and then shared read-only by all threads. Nothing is
// committed under data/: ICU 72 (Debian libicu72, Unicode licence) is the
// source of the mappings. decode_mode::python then applies CPython's own
// differences from them, and decode_mode::whatwg those of the WHATWG indexes
// (for the encodings that are a WHATWG decoder), both generated into
// override_tables.hpp by tools/gen_codec_tables.py.
//
// Converter per encoding, chosen to match the decoders that produce
// mojibake in the wild (browsers per the WHATWG Encoding Standard, Windows,
// CPython), with the deliberate departures listed next to each override:
//   gb18030, gbk   "gb18030" (user-defined areas map to PUA, as WHATWG);
//                  gbk keeps the one- and two-byte forms plus 0x80 <-> U+20AC
//   gb2312         "ibm-1383_P110-1999" (EUC-CN)
//   big5           "windows-950-2000" reduced to plain Big5: no user-defined
//                  (PUA) pairs, no 0x80/0xFF singles, no A3E1 euro sign
//   big5_hkscs     "ibm-1375_P100-2008", plus the four pairs that decode to
//                  two code points (WHATWG big5 pointers 1133/1135/1164/1166)
//   cp950          "windows-950-2000" (Microsoft code page 950 as is)
//   shift_jis      "ibm-943_P15A-2003" reduced to JIS X 0208 rows
//   cp932          "ibm-943_P15A-2003" (windows-31j) plus Windows' singles
//                  0x80 -> U+0080, 0xA0 -> U+F8F0, 0xFD-0xFF -> U+F8F1-U+F8F3
//   euc_jp         "euc-jp-2007" (ibm-33722 maps 0x5C/0x7E to yen/overline
//                  and lacks most of JIS X 0212, unlike every real decoder)
//   euc_kr         "ibm-970_P110_P110-2006_U2"
//   cp949          "windows-949-2000"
//   windows-125x   ICU "windows-125x" (undefined 0x80-0x9F are C1 controls,
//                  as in the WHATWG indexes)
//   iso-8859-x, koi8-r, mac-roman ("macintosh"), cp437, cp850, cp866
//   iso-8859-16, georgian-academy, georgian-ps: ICU has no converter; their
//                  upper halves are generated from glibc's charmaps into
//                  single_byte_tables.hpp (tools/gen_single_byte_tables.py)
// Bytes 0x00-0x7F always decode to ASCII: the IBM tables swap
// 0x1A/0x1C/0x7F, which no real decoder of these encodings does. Mappings ICU
// has only toward Unicode also get an encoding, so encode inverts every
// strict decode (several sequences with one decoding encode to ICU's choice).
// whatwg/sloppy/naive drop the C1 and PUA single bytes IBM and Microsoft give
// double-byte encodings, and treat the WHATWG lead-byte ranges as lead bytes.
// Browsers read some labels with a wider table: see whatwg_decoder().

#include "codec/codec_tables.hpp"

#include <unicode/ucnv.h>
#include <unicode/uset.h>

#include <algorithm>
#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <span>

#include "codec/override_tables.hpp"
#include "codec/single_byte_tables.hpp"

namespace mojifix::detail::codec {
namespace {

struct spec {
  const char* icu;
  shape kind;
};

spec spec_of(encoding e) noexcept {
  switch (e) {
    case encoding::gb18030:
      return {"gb18030", shape::gb18030};
    case encoding::gbk:
      return {"gb18030", shape::gb18030};  // see derive_gbk
    case encoding::gb2312:
      return {"ibm-1383_P110-1999", shape::dbcs};
    case encoding::big5:
      return {"windows-950-2000", shape::dbcs};
    case encoding::big5_hkscs:
      return {"ibm-1375_P100-2008", shape::dbcs};
    case encoding::cp950:
      return {"windows-950-2000", shape::dbcs};
    case encoding::shift_jis:
      return {"ibm-943_P15A-2003", shape::dbcs};
    case encoding::cp932:
      return {"ibm-943_P15A-2003", shape::dbcs};
    case encoding::euc_jp:
      return {"euc-jp-2007", shape::euc_jp};
    case encoding::euc_kr:
      return {"ibm-970_P110_P110-2006_U2", shape::dbcs};
    case encoding::cp949:
      return {"windows-949-2000", shape::dbcs};
    case encoding::windows_1250:
      return {"windows-1250", shape::single};
    case encoding::windows_1251:
      return {"windows-1251", shape::single};
    case encoding::windows_1252:
      return {"windows-1252", shape::single};
    case encoding::windows_1253:
      return {"windows-1253", shape::single};
    case encoding::windows_1254:
      return {"windows-1254", shape::single};
    case encoding::windows_1255:
      return {"windows-1255", shape::single};
    case encoding::windows_1256:
      return {"windows-1256", shape::single};
    case encoding::windows_1257:
      return {"windows-1257", shape::single};
    case encoding::windows_1258:
      return {"windows-1258", shape::single};
    case encoding::iso_8859_1:
      return {"ISO-8859-1", shape::single};
    case encoding::iso_8859_2:
      return {"ISO-8859-2", shape::single};
    case encoding::iso_8859_5:
      return {"ISO-8859-5", shape::single};
    case encoding::iso_8859_7:
      return {"ISO-8859-7", shape::single};
    case encoding::iso_8859_15:
      return {"ISO-8859-15", shape::single};
    case encoding::koi8_r:
      return {"KOI8-R", shape::single};
    case encoding::mac_roman:
      return {"macintosh", shape::single};
    case encoding::cp437:
      return {"ibm-437", shape::single};
    case encoding::cp850:
      return {"ibm-850", shape::single};
    case encoding::cp866:
      return {"ibm-866", shape::single};
    case encoding::iso_8859_3:
      return {"ISO-8859-3", shape::single};
    case encoding::iso_8859_4:
      return {"ISO-8859-4", shape::single};
    case encoding::iso_8859_10:
      return {"ISO-8859-10", shape::single};
    case encoding::iso_8859_13:
      return {"ISO-8859-13", shape::single};
    case encoding::iso_8859_14:
      return {"ISO-8859-14", shape::single};
    default:  // iso-8859-16, georgian-*: no ICU converter, see fixed_upper

      return {"", shape::single};
  }
}

// The upper half of a single-byte encoding ICU has no converter for
// (single_byte_tables.hpp), or nullptr.
const char32_t* fixed_upper(encoding e) noexcept {
  for (const fixed_single_byte& f : kFixedSingleByte)
    if (f.enc == e) return f.upper;
  return nullptr;
}

constexpr bool is_pua(char32_t c) noexcept { return c >= 0xE000 && c <= 0xF8FF; }

struct converter {
  UConverter* c = nullptr;
  explicit converter(const char* name) {
    if (name == nullptr || *name == '\0') return;  // "" would open ICU's default
    UErrorCode err = U_ZERO_ERROR;
    c = ucnv_open(name, &err);
    if (U_FAILURE(err)) c = nullptr;
  }
  ~converter() {
    if (c) ucnv_close(c);
  }
  converter(const converter&) = delete;
  converter& operator=(const converter&) = delete;
};

// Decodes `groups` of `width` bytes each (the last byte of every group an
// ASCII separator) in one call and returns, per group, the code points ICU
// produced from the group's first byte, i.e. for the whole sequence when it
// is valid. Invalid sequences are skipped; a trail byte ICU re-reads on its
// own is attributed to a later offset and ignored.
std::vector<std::u32string> bulk_decode(UConverter* cnv, const std::string& src, int width) {
  const std::size_t groups = src.size() / static_cast<std::size_t>(width);
  std::vector<std::u32string> result(groups);
  std::vector<UChar> buf(src.size() * 2 + 16);
  std::vector<int32_t> offsets(buf.size());
  UErrorCode err = U_ZERO_ERROR;
  ucnv_reset(cnv);
  ucnv_setToUCallBack(cnv, UCNV_TO_U_CALLBACK_SKIP, nullptr, nullptr, nullptr, &err);
  UChar* target = buf.data();
  const char* source = src.data();
  ucnv_toUnicode(cnv, &target, buf.data() + buf.size(), &source, src.data() + src.size(),
                 offsets.data(), true, &err);
  if (U_FAILURE(err)) return result;
  const std::size_t produced = static_cast<std::size_t>(target - buf.data());
  for (std::size_t k = 0; k < produced; ++k) {
    const auto off = static_cast<std::size_t>(offsets[k]);
    if (off % static_cast<std::size_t>(width) != 0) continue;
    char32_t c = buf[k];
    if (c >= 0xD800 && c <= 0xDBFF && k + 1 < produced && offsets[k + 1] == offsets[k]) {
      c = 0x10000 + ((c - 0xD800) << 10) + (buf[k + 1] - 0xDC00);
      ++k;
    }
    result[off / static_cast<std::size_t>(width)].push_back(c);
  }
  return result;
}

// Encodes every code point of ICU's round-trip set in one call and returns
// (code point, packed entry) pairs.
std::vector<std::pair<char32_t, std::uint32_t>> bulk_encode(UConverter* cnv, bool bmp_only) {
  std::vector<std::pair<char32_t, std::uint32_t>> result;
  UErrorCode err = U_ZERO_ERROR;
  USet* set = uset_openEmpty();
  ucnv_getUnicodeSet(cnv, set, UCNV_ROUNDTRIP_SET, &err);
  std::vector<UChar> src;
  std::vector<char32_t> cps;
  std::vector<int32_t> start;  // index in src of each code point
  const int32_t ranges = uset_getRangeCount(set);
  for (int32_t r = 0; r < ranges && U_SUCCESS(err); ++r) {
    UChar32 lo = 0, hi = 0;
    uset_getItem(set, r, &lo, &hi, nullptr, 0, &err);
    for (UChar32 c = lo; c <= hi; ++c) {
      if (c >= 0xD800 && c <= 0xDFFF) continue;
      if (c > 0xFFFF && bmp_only) break;
      start.push_back(static_cast<int32_t>(src.size()));
      cps.push_back(static_cast<char32_t>(c));
      if (c <= 0xFFFF) {
        src.push_back(static_cast<UChar>(c));
      } else {
        src.push_back(static_cast<UChar>(0xD7C0 + (c >> 10)));
        src.push_back(static_cast<UChar>(0xDC00 | (c & 0x3FF)));
      }
    }
  }
  uset_close(set);
  if (U_FAILURE(err)) return result;
  std::vector<char> bytes(cps.size() * 4 + 16);
  std::vector<int32_t> offsets(bytes.size());
  ucnv_reset(cnv);
  ucnv_setFromUCallBack(cnv, UCNV_FROM_U_CALLBACK_SKIP, nullptr, nullptr, nullptr, &err);
  char* target = bytes.data();
  const UChar* source = src.data();
  ucnv_fromUnicode(cnv, &target, bytes.data() + bytes.size(), &source, src.data() + src.size(),
                   offsets.data(), true, &err);
  if (U_FAILURE(err)) return result;
  const std::size_t produced = static_cast<std::size_t>(target - bytes.data());
  std::size_t k = 0, ci = 0;
  while (k < produced) {
    std::size_t j = k;
    while (j < produced && offsets[j] == offsets[k]) ++j;
    while (ci < start.size() && start[ci] < offsets[k]) ++ci;
    if (ci < start.size() && start[ci] == offsets[k]) {
      const auto* u = reinterpret_cast<const unsigned char*>(bytes.data() + k);
      if (j - k <= 3) {
        std::uint32_t entry = static_cast<std::uint32_t>(j - k);
        for (std::size_t b = 0; b < j - k; ++b) entry |= std::uint32_t{u[b]} << (8 * (b + 1));
        result.emplace_back(cps[ci], entry);
      } else if (j - k == 4) {  // gb18030: keep the linear index
        result.emplace_back(cps[ci], 4u | (gb_four_index(u[0], u[1], u[2], u[3]) << 8));
      }
    }
    k = j;
  }
  return result;
}

class encode_builder {
 public:
  encode_builder() : bmp_(0x10000, 0) {}
  void set(char32_t cp, std::uint32_t entry) {
    if (cp < 0x10000) {
      bmp_[cp] = entry;
    } else {
      astral_[cp] = entry;
    }
  }
  void set_if_free(char32_t cp, std::uint32_t entry) {
    if (get(cp) == 0) set(cp, entry);
  }
  [[nodiscard]] std::uint32_t get(char32_t cp) const {
    if (cp < 0x10000) return bmp_[cp];
    auto it = astral_.find(cp);
    return it == astral_.end() ? 0 : it->second;
  }
  void erase(char32_t cp) { set(cp, 0); }
  std::vector<std::uint32_t>& bmp() { return bmp_; }

  void finish(table& t) const {
    t.blocks.assign(256, 0);
    for (unsigned pg = 0; pg < 256; ++pg) {
      bool any = false;
      for (unsigned lo = 0; lo < 256 && !any; ++lo) any = bmp_[(pg << 8) | lo] != 0;
      if (!any) {
        t.page[pg] = 0;
        continue;
      }
      t.page[pg] = static_cast<std::uint16_t>(t.blocks.size() >> 8);
      t.blocks.insert(t.blocks.end(), bmp_.begin() + (pg << 8), bmp_.begin() + ((pg + 1) << 8));
    }
    t.astral.assign(astral_.begin(), astral_.end());
  }

 private:
  std::vector<std::uint32_t> bmp_;
  std::map<char32_t, std::uint32_t> astral_;
};

// A single byte >= 0x80 that only IBM/Microsoft tables give a double-byte
// encoding: a C1 control or private use.
constexpr bool is_vendor_single(char32_t c) noexcept {
  return (c >= 0x80 && c <= 0x9F) || is_pua(c);
}

// A mode family's tables (python, or whatwg for the encodings that are a
// WHATWG decoder): ICU's (singles with ASCII already ASCII), the generic
// rules of tools/gen_codec_tables.py, then that tool's list of differences.
void build_family(table& t, int family, const std::array<char32_t, 256>& single,
                  const std::vector<char32_t>& pairs, const std::vector<char32_t>& triples,
                  std::span<const table_override> overrides, std::vector<char32_t>& fam_pairs,
                  std::vector<char32_t>& fam_triples) {
  const bool dbcs = t.kind != shape::single;
  auto& sg = t.single[family];
  sg = single;
  fam_pairs.clear();
  fam_triples.clear();
  if (dbcs) {
    for (int b = 0x80; b < 256; ++b)
      if (is_vendor_single(sg[b])) sg[b] = kNone;
    fam_pairs = pairs;
    // CPython's CJK codecs have no user-defined areas, except gb18030's.
    if (family == kPythonSingles && t.enc != encoding::gb18030)
      for (auto& v : fam_pairs)
        if (v < kSeqFlag && is_pua(v)) v = kNone;
    fam_triples = triples;
  }
  for (const table_override& o : overrides) {
    if (o.enc != t.enc) continue;
    for (unsigned k = 0; k < o.count; ++k) {
      const std::uint32_t seq = o.bytes + k;
      char32_t v = o.cp;
      if (v != kNone && v != kLead) v += k;
      if (o.cp2 != 0) {
        v = kSeqFlag | static_cast<char32_t>(t.seqs.size());
        t.seqs.push_back(std::u32string{o.cp, o.cp2});
      }
      if (o.len == 1) {
        const unsigned b = seq & 0xFF;
        // A byte that stops being a lead byte takes its pairs with it.
        if (sg[b] == kLead && v != kLead && !fam_pairs.empty())
          std::fill_n(fam_pairs.begin() + (b - 0x80) * 256, 256, kNone);
        sg[b] = v;
      } else if (o.len == 2 && dbcs) {
        if ((seq >> 8) >= 0x80) fam_pairs[((seq >> 8) - 0x80) * 256 + (seq & 0xFF)] = v;
      } else if (o.len == 3 && t.kind == shape::euc_jp && !fam_triples.empty()) {
        const unsigned a = (seq >> 8) & 0xFF, b = seq & 0xFF;
        if (a >= 0xA1 && a <= 0xFE && b >= 0xA1 && b <= 0xFE)
          fam_triples[(a - 0xA1) * 94 + (b - 0xA1)] = v;
      }
    }
  }
}

bool is_whatwg_exact(encoding e) noexcept {
  return std::find(std::begin(kWhatwgEncodings), std::end(kWhatwgEncodings), e) !=
         std::end(kWhatwgEncodings);
}

constexpr std::uint32_t pack1(unsigned b) { return 1u | (b << 8); }
constexpr std::uint32_t pack2(unsigned b0, unsigned b1) { return 2u | (b0 << 8) | (b1 << 16); }

std::unique_ptr<table> build(encoding e) {
  auto t = std::make_unique<table>();
  t->enc = e;
  const spec sp = spec_of(e);
  t->kind = sp.kind;
  const char32_t* fixed = fixed_upper(e);
  converter cnv(fixed ? nullptr : sp.icu);
  auto& strict = t->single[kStrictSingles];
  for (auto& family : t->single) family.fill(kNone);
  if (!cnv.c && !fixed) return t;  // unreachable with Debian's ICU; every decode then fails cleanly

  // Single bytes and lead bytes.
  if (fixed) {
    for (int b = 0x80; b < 256; ++b) strict[b] = fixed[b - 0x80];
  } else {
    std::string src;
    for (int b = 0; b < 256; ++b) {
      src.push_back(static_cast<char>(b));
      src.push_back('\n');
    }
    auto got = bulk_decode(cnv.c, src, 2);
    for (int b = 0; b < 256; ++b) {
      if (got[b].size() == 1) strict[b] = got[b][0];
    }
    if (sp.kind != shape::single) {
      // A byte that is not a character by itself but starts a sequence.
      for (int b = 0x80; b < 256; ++b) {
        if (strict[b] != kNone) continue;
        UErrorCode err = U_ZERO_ERROR;
        UChar out[4];
        const char one = static_cast<char>(b);
        ucnv_reset(cnv.c);
        ucnv_setToUCallBack(cnv.c, UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
        ucnv_toUChars(cnv.c, out, 4, &one, 1, &err);
        if (err == U_TRUNCATED_CHAR_FOUND) strict[b] = kLead;
      }
    }
  }
  for (int b = 0; b < 0x80; ++b) strict[b] = static_cast<char32_t>(b);

  // Pairs, three- and four-byte sequences.
  if (sp.kind != shape::single) {
    t->pairs.assign(128 * 256, kNone);
    std::string src;
    std::vector<int> leads;
    for (int b = 0x80; b < 256; ++b) {
      if (strict[b] != kLead) continue;
      leads.push_back(b);
      for (int tr = 0; tr < 256; ++tr) {
        src.push_back(static_cast<char>(b));
        src.push_back(static_cast<char>(tr));
        src.push_back('\n');
      }
    }
    auto got = bulk_decode(cnv.c, src, 3);
    for (std::size_t li = 0; li < leads.size(); ++li) {
      for (int tr = 0; tr < 256; ++tr) {
        const auto& s = got[li * 256 + static_cast<std::size_t>(tr)];
        char32_t& slot = t->pairs[static_cast<std::size_t>(leads[li] - 0x80) * 256 + tr];
        if (s.size() == 1) {
          slot = s[0];
        } else if (s.size() > 1) {
          slot = kSeqFlag | static_cast<char32_t>(t->seqs.size());
          t->seqs.push_back(s);
        }
      }
    }
  }
  if (sp.kind == shape::euc_jp) {
    std::string src;
    for (int a = 0xA1; a <= 0xFE; ++a) {
      for (int b = 0xA1; b <= 0xFE; ++b) {
        src += '\x8F';
        src.push_back(static_cast<char>(a));
        src.push_back(static_cast<char>(b));
        src.push_back('\n');
      }
    }
    auto got = bulk_decode(cnv.c, src, 4);
    t->triples.assign(94 * 94, kNone);
    for (std::size_t k = 0; k < got.size(); ++k)
      if (got[k].size() == 1) t->triples[k] = got[k][0];
  }
  // Encoding: ICU's round-trip mappings.
  encode_builder enc;
  // The four-byte BMP forms of gb18030 are one-to-one, so the encoder's
  // answer also gives the decoding table (faster than decoding them all).
  if (sp.kind == shape::gb18030) t->four.assign(kGbFourBmpCount, 0);
  if (cnv.c) {
    for (const auto& [cp, entry] : bulk_encode(cnv.c, sp.kind == shape::gb18030)) {
      if ((entry & 0xFF) == 4) {
        const std::uint32_t idx = entry >> 8;
        if (sp.kind != shape::gb18030 || idx >= kGbFourBmpCount) continue;
        t->four[idx] = static_cast<char16_t>(cp);
      }
      enc.set(cp, entry);
    }
  }
  // Without a converter, the strict decoding below is the whole mapping.
  for (unsigned b = 0; b < 0x80; ++b) enc.set(b, pack1(b));

  // CPython's and the WHATWG tables start from ICU's, before the departures
  // below.
  build_family(*t, kPythonSingles, strict, t->pairs, t->triples, kPythonOverrides, t->py_pairs,
               t->py_triples);
  const bool whatwg_exact = is_whatwg_exact(e);
  if (whatwg_exact)
    build_family(*t, kWhatwgSingles, strict, t->pairs, t->triples, kWhatwgOverrides, t->ww_pairs,
                 t->ww_triples);

  auto pair_at = [&](unsigned lead, unsigned trail) -> char32_t& {
    return t->pairs[(lead - 0x80) * 256 + trail];
  };

  // Per-encoding departures from the ICU converter.
  switch (e) {
    case encoding::big5:
      strict[0x80] = kNone;
      strict[0xFF] = kNone;
      pair_at(0xA3, 0xE1) = kNone;
      for (auto& v : enc.bmp())
        if (v == pack1(0x80) || v == pack1(0xFF) || v == pack2(0xA3, 0xE1)) v = 0;
      for (auto& v : t->pairs) {
        if (v != kNone && v < kSeqFlag && is_pua(v)) {
          enc.erase(v);
          v = kNone;
        }
      }
      break;
    case encoding::big5_hkscs: {
      static constexpr struct {
        unsigned lead, trail;
        char32_t a, b;
      } kTwo[] = {{0x88, 0x62, 0x00CA, 0x0304},
                  {0x88, 0x64, 0x00CA, 0x030C},
                  {0x88, 0xA3, 0x00EA, 0x0304},
                  {0x88, 0xA5, 0x00EA, 0x030C}};
      for (const auto& x : kTwo) {
        pair_at(x.lead, x.trail) = kSeqFlag | static_cast<char32_t>(t->seqs.size());
        t->seqs.push_back(std::u32string{x.a, x.b});
      }
      break;
    }
    case encoding::shift_jis:
      // JIS X 0208 only: NEC row 13 (0x87), NEC-selected IBM (0xED-0xEE),
      // user-defined (0xF0-0xF9) and IBM extensions (0xFA-0xFC) are cp932.
      for (unsigned lead = 0x80; lead < 256; ++lead) {
        const bool jis = (lead >= 0x81 && lead <= 0x84) || (lead >= 0x88 && lead <= 0x9F) ||
                         (lead >= 0xE0 && lead <= 0xEA);
        if (jis || strict[lead] != kLead) continue;
        strict[lead] = kNone;
        for (unsigned tr = 0; tr < 256; ++tr) {
          char32_t& v = pair_at(lead, tr);
          if (v != kNone && v < kSeqFlag && enc.get(v) == pack2(lead, tr)) enc.erase(v);
          v = kNone;
        }
      }
      // Row 2 of 0x81 beyond JIS X 0208 (NEC/IBM duplicates of 0x81 0xCA..).
      break;
    case encoding::cp932:
      strict[0x80] = 0x80;
      strict[0xA0] = 0xF8F0;
      strict[0xFD] = 0xF8F1;
      strict[0xFE] = 0xF8F2;
      strict[0xFF] = 0xF8F3;
      enc.set_if_free(0x80, pack1(0x80));
      enc.set_if_free(0xF8F0, pack1(0xA0));
      enc.set_if_free(0xF8F1, pack1(0xFD));
      enc.set_if_free(0xF8F2, pack1(0xFE));
      enc.set_if_free(0xF8F3, pack1(0xFF));
      break;
    case encoding::cp437:
      // ICU reads 0xE6 as GREEK SMALL LETTER MU; Windows and CPython read
      // MICRO SIGN. Both encode to 0xE6.
      strict[0xE6] = 0x00B5;
      enc.set(0x00B5, pack1(0xE6));
      break;
    default:
      break;
  }

  // whatwg/sloppy/naive reject the C1 and PUA singles that only IBM and
  // Microsoft tables give double-byte encodings.
  // The other encodings read in whatwg mode with their own table.
  auto& whatwg = t->single[kWhatwgSingles];
  if (!whatwg_exact) whatwg = strict;
  if (sp.kind != shape::single) {
    for (int b = 0x80; b < 256; ++b)
      if (is_vendor_single(whatwg[b])) whatwg[b] = kNone;
    // Lead ranges of the WHATWG decoders: a bad lead there still swallows a
    // non-ASCII trail byte.
    auto lead_range = [&](int lo, int hi) {
      for (int b = lo; b <= hi; ++b)
        if (whatwg[b] == kNone) whatwg[b] = kLead;
    };
    switch (e) {
      case encoding::shift_jis:
      case encoding::cp932:
        lead_range(0x81, 0x9F);
        lead_range(0xE0, 0xFC);
        whatwg[0x80] = 0x80;  // WHATWG shift_jis reads 0x80 as U+0080
        break;
      case encoding::euc_jp:
        lead_range(0x8E, 0x8F);
        lead_range(0xA1, 0xFE);
        break;
      case encoding::gb18030:
        lead_range(0x81, 0xFE);
        whatwg[0x80] = 0x20AC;  // WHATWG gb18030 and gbk decoders
        break;
      default:
        lead_range(0x81, 0xFE);
        break;
    }
  }

  // Mappings ICU has only toward Unicode (its reverse fallbacks, e.g. EUC-JP
  // 0x8E 0xE0 -> U+00A2) get an encoding too where the code point has none,
  // so that encode inverts every strict decode.
  for (unsigned b = 0x80; b < 256; ++b)
    if (strict[b] < kSeqFlag) enc.set_if_free(strict[b], pack1(b));
  if (!t->pairs.empty()) {
    for (unsigned lead = 0x80; lead < 256; ++lead) {
      if (strict[lead] != kLead) continue;
      for (unsigned tr = 0; tr < 256; ++tr) {
        const char32_t v = pair_at(lead, tr);
        if (v < kSeqFlag) enc.set_if_free(v, pack2(lead, tr));
      }
    }
  }
  for (std::size_t k = 0; k < t->triples.size(); ++k) {
    const char32_t v = t->triples[k];
    if (v != kNone)
      enc.set_if_free(v, 3u | (0x8Fu << 8) | ((0xA1u + static_cast<unsigned>(k / 94)) << 16) |
                             ((0xA1u + static_cast<unsigned>(k % 94)) << 24));
  }
  // Then, where still free, what the whatwg and python modes read.
  for (int family : {kWhatwgSingles, kPythonSingles}) {
    const auto& sg = t->single[family];
    const auto& fp = family == kWhatwgSingles ? t->ww_pairs : t->py_pairs;
    const auto& ft = family == kWhatwgSingles ? t->ww_triples : t->py_triples;
    for (unsigned b = 0x80; b < 256; ++b)
      if (sg[b] < kSeqFlag) enc.set_if_free(sg[b], pack1(b));
    for (std::size_t k = 0; k < fp.size(); ++k)
      if (fp[k] < kSeqFlag && sg[0x80 + k / 256] == kLead)
        enc.set_if_free(fp[k], pack2(0x80 + static_cast<unsigned>(k / 256), k % 256));
    for (std::size_t k = 0; k < ft.size(); ++k)
      if (ft[k] != kNone)
        enc.set_if_free(ft[k], 3u | (0x8Fu << 8) | ((0xA1u + static_cast<unsigned>(k / 94)) << 16) |
                                   ((0xA1u + static_cast<unsigned>(k % 94)) << 24));
  }

  if (sp.kind == shape::single) {
    // A sloppy decoder keeps an undefined byte as U+0080-U+00FF; encode
    // inverts that where the code point is otherwise unused.
    for (unsigned b = 0x80; b < 256; ++b)
      if (strict[b] == kNone || whatwg[b] == kNone) enc.set_if_free(b, pack1(b));
  }
  enc.finish(*t);
  return t;
}

// gbk is gb18030 without the four-byte forms (outside whatwg decoding), with
// 0x80 <-> U+20AC as in WHATWG gbk and Windows cp936 (CPython gbk has neither).
std::unique_ptr<table> derive_gbk(const table& gb) {
  auto t = std::make_unique<table>(gb);
  t->enc = encoding::gbk;
  t->four_in_whatwg_only = true;
  t->single[kStrictSingles][0x80] = 0x20AC;
  build_family(*t, kPythonSingles, gb.single[kStrictSingles], gb.pairs, gb.triples,
               kPythonOverrides, t->py_pairs, t->py_triples);
  for (auto& v : t->blocks)
    if ((v & 0xFF) == 4) v = 0;
  t->blocks[(static_cast<std::size_t>(t->page[0x20]) << 8) | 0xAC] = pack1(0x80);
  t->astral.clear();
  return t;
}

std::mutex g_build_mutex;

}  // namespace

const char* icu_name(encoding e) noexcept {
  switch (e) {
    case encoding::utf8:
      return "UTF-8";
    case encoding::cesu8:
      return "CESU-8";
    case encoding::utf16le:
      return "UTF-16LE";
    case encoding::utf16be:
      return "UTF-16BE";
    default:
      return spec_of(e).icu;
  }
}

constinit std::array<std::atomic<const table*>, kEncodingCount> g_tables{};

const table& build_table(encoding e) {
  auto& slot = g_tables[static_cast<std::size_t>(e)];
  if (const table* t = slot.load(std::memory_order_acquire)) return *t;
  const table* gb = e == encoding::gbk ? &get_table(encoding::gb18030) : nullptr;
  std::lock_guard lock(g_build_mutex);
  if (const table* t = slot.load(std::memory_order_relaxed)) return *t;
  // Tables live as long as the process.
  const table* t = gb ? derive_gbk(*gb).release() : build(e).release();
  slot.store(t, std::memory_order_release);
  return *t;
}

}  // namespace mojifix::detail::codec
