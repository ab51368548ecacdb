// The codec room against ICU on the same bytes: the decoders and encoders
// that repair runs for every candidate chain.
#include <unicode/ucnv.h>

#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "codec/codec.hpp"

namespace mojifix::bench {
namespace {

using detail::decode_mode;
using detail::encoding;

// ICU's streaming conversion with both converters opened once, the fastest
// way ICU offers between two byte encodings.
std::size_t icu_convert(UConverter* to, UConverter* from, const std::string& in,
                        std::vector<char>& out) {
  UErrorCode status = U_ZERO_ERROR;
  char* target = out.data();
  const char* source = in.data();
  ucnv_convertEx(to, from, &target, out.data() + out.size(), &source, in.data() + in.size(),
                 nullptr, nullptr, nullptr, nullptr, true, true, &status);
  if (U_FAILURE(status)) throw std::runtime_error("ucnv_convertEx failed");
  return static_cast<std::size_t>(target - out.data());
}

// The GBK bytes of the 1 MB Simplified Chinese text, made with ICU.
const std::string& gbk_text() {
  static const std::string bytes = [] {
    const std::string& utf8 = input("zh-hans/1M");
    converter gbk = open_converter("gbk");
    converter u8 = open_converter("utf-8");
    std::vector<char> out(utf8.size() * 2 + 16);
    out.resize(icu_convert(gbk.get(), u8.get(), utf8, out));
    return std::string(out.begin(), out.end());
  }();
  return bytes;
}

void decode_benchmark(const std::string& name, encoding e, decode_mode mode,
                      const std::string& (*bytes)()) {
  add(name, [e, mode, bytes](benchmark::State& state) {
    const std::string& in = bytes();
    std::string out;
    out.reserve(in.size() * 3);
    for (auto _ : state) {
      out.clear();
      detail::decode_result r = detail::decode(e, in, mode, out);
      benchmark::DoNotOptimize(r);
      benchmark::DoNotOptimize(out.data());
    }
    set_bytes(state, in.size());
  });
}

void encode_benchmark(const std::string& name, encoding e, const std::string& (*text)()) {
  add(name, [e, text](benchmark::State& state) {
    const std::string& in = text();
    std::string out;
    out.reserve(in.size());
    // A text the encoding cannot hold would stop early and look fast.
    if (!detail::encode(e, in, out)) throw std::runtime_error("input not encodable");
    for (auto _ : state) {
      out.clear();
      bool ok = detail::encode(e, in, out);
      benchmark::DoNotOptimize(ok);
      benchmark::DoNotOptimize(out.data());
    }
    set_bytes(state, in.size());
  });
}

void icu_benchmark(const std::string& name, const char* to_name, const char* from_name,
                   const std::string& (*text)()) {
  add(name, [to_name, from_name, text](benchmark::State& state) {
    const std::string& in = text();
    converter to = open_converter(to_name);
    converter from = open_converter(from_name);
    std::vector<char> out(in.size() * 3 + 16);
    for (auto _ : state) {
      std::size_t n = icu_convert(to.get(), from.get(), in, out);
      benchmark::DoNotOptimize(n);
    }
    set_bytes(state, in.size());
  });
}

const std::string& zh_hans() { return input("zh-hans/1M"); }
const std::string& cp1252_mojibake() { return input("mojibake-cp1252/1M"); }
const std::string& ja() { return input("ja/1M"); }

}  // namespace

void register_codec() {
  // GBK bytes -> UTF-8 (bytes/s of GBK input).
  decode_benchmark("codec/decode_gbk_whatwg/zh-hans-gbk/1M", encoding::gbk, decode_mode::whatwg,
                   gbk_text);
  decode_benchmark("codec/decode_gbk_strict/zh-hans-gbk/1M", encoding::gbk, decode_mode::strict,
                   gbk_text);
  icu_benchmark("codec/icu_gbk_to_utf8/zh-hans-gbk/1M", "utf-8", "gbk", gbk_text);
  // UTF-8 -> GBK (bytes/s of UTF-8 input).
  encode_benchmark("codec/encode_gbk/zh-hans/1M", encoding::gbk, zh_hans);
  icu_benchmark("codec/icu_utf8_to_gbk/zh-hans/1M", "gbk", "utf-8", zh_hans);
  // UTF-8 bytes read as windows-1252: making the mojibake, and undoing it.
  decode_benchmark("codec/decode_windows1252_sloppy/ja/1M", encoding::windows_1252,
                   decode_mode::sloppy, ja);
  encode_benchmark("codec/encode_windows1252/mojibake-cp1252/1M", encoding::windows_1252,
                   cp1252_mojibake);
  icu_benchmark("codec/icu_utf8_to_windows1252/mojibake-cp1252/1M", "windows-1252", "utf-8",
                cp1252_mojibake);
}

}  // namespace mojifix::bench
