// Encoding detection of raw bytes: detect_encoding against uchardet and
// ICU's charset detector on the same bytes, at 1 KB (per-call cost) and
// 10 MB (throughput). Inputs: the clean text of bench/data in UTF-8, and
// encoded to GBK, Shift_JIS and UTF-16LE (without byte-order mark), line by
// line (lines an encoding cannot hold are left out), repeated to the size.

#include <uchardet.h>
#include <unicode/ucsdet.h>

#include <map>
#include <memory>
#include <string>
#include <type_traits>

#include "bench_common.hpp"
#include "codec/codec.hpp"
#include "mojifix/decode.hpp"

namespace mojifix::bench {
namespace {

constexpr std::size_t kSmall = 1024;
constexpr std::size_t kLarge = std::size_t{10} << 20;

// "gbk/1K", "utf-8/10M", ...: lang text encoded, cut at a line end.
const std::string& ingest_input(const std::string& encoding, std::size_t size) {
  static std::map<std::string, std::string> cache;
  const std::string key = encoding + "/" + std::to_string(size);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  const std::string& text = input(encoding == "shift_jis" ? "ja/1M" : "zh-hans/1M");
  std::string encoded;
  const auto e = detail::encoding_from_name(encoding);
  for (std::size_t i = 0; i < text.size();) {
    std::size_t nl = text.find('\n', i);
    nl = nl == std::string::npos ? text.size() : nl + 1;
    const std::string_view line = std::string_view(text).substr(i, nl - i);
    i = nl;
    if (encoding == "utf-8") {
      encoded += line;
      continue;
    }
    std::string out;
    if (detail::encode(*e, line, out)) encoded += out;
  }
  std::string s;
  while (s.size() < size) s += encoded;
  // Cut at a line end (for UTF-16LE, the unit 0A 00).
  std::size_t cut = size;
  if (encoding == "utf-16le") {
    cut &= ~std::size_t{1};
    while (cut >= 2 && !(s[cut - 2] == '\n' && s[cut - 1] == '\0')) cut -= 2;
  } else {
    while (cut > 0 && s[cut - 1] != '\n') --cut;
  }
  s.resize(cut == 0 ? size : cut);
  return cache.emplace(key, std::move(s)).first->second;
}

void register_ingest() {
  for (const char* enc : {"utf-8", "gbk", "shift_jis", "utf-16le"}) {
    for (std::size_t size : {kSmall, kLarge}) {
      const std::string suffix =
          std::string(enc) + "/" + (size == kSmall ? std::string("1K") : std::string("10M"));
      add("ingest/detect_mojifix/" + suffix, [enc, size](benchmark::State& state) {
        const std::string& bytes = ingest_input(enc, size);
        for (auto _ : state) {
          detection d = detect_encoding(bytes);
          benchmark::DoNotOptimize(d);
        }
        set_bytes(state, bytes.size());
      });
      add("ingest/detect_uchardet/" + suffix, [enc, size](benchmark::State& state) {
        const std::string& bytes = ingest_input(enc, size);
        std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(
            uchardet_new(), uchardet_delete);
        for (auto _ : state) {
          uchardet_reset(ud.get());
          (void)uchardet_handle_data(ud.get(), bytes.data(), bytes.size());
          uchardet_data_end(ud.get());
          const char* charset = uchardet_get_charset(ud.get());
          benchmark::DoNotOptimize(charset);
        }
        set_bytes(state, bytes.size());
      });
      add("ingest/detect_icu/" + suffix, [enc, size](benchmark::State& state) {
        const std::string& bytes = ingest_input(enc, size);
        UErrorCode status = U_ZERO_ERROR;
        UCharsetDetector* d = ucsdet_open(&status);
        for (auto _ : state) {
          ucsdet_setText(d, bytes.data(), static_cast<int32_t>(bytes.size()), &status);
          const UCharsetMatch* m = ucsdet_detect(d, &status);
          benchmark::DoNotOptimize(m);
        }
        ucsdet_close(d);
        set_bytes(state, bytes.size());
      });
    }
    // Decoding to UTF-8 and repairing, as a crawler calls it on 1 KB pages.
    add(std::string("ingest/decode_mojifix/") + enc + "/1K", [enc](benchmark::State& state) {
      const std::string& bytes = ingest_input(enc, kSmall);
      for (auto _ : state) {
        fix_result r = decode(bytes);
        benchmark::DoNotOptimize(r);
      }
      set_bytes(state, bytes.size());
    });
  }
}

// Registered before main() runs; the inputs are built on first use.
const bool kRegistered = (register_ingest(), true);

}  // namespace
}  // namespace mojifix::bench
