// Lossy recovery: fix_text on text where every line is lossy mojibake (UTF-8
// read as GBK by a WHATWG decoder, each line holding U+FFFD), with recovery
// on and off, next to the fix_text rows on clean text of the same run.
// Registered at start-up, so mojifix_benchmark's main needs no change.

#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "codec/codec.hpp"
#include "mojifix/mojifix.hpp"

namespace mojifix::bench {
namespace {

constexpr std::size_t kLossySize = 256 * 1000;

std::vector<std::string> lines_of(const std::string& lang) {
  std::ifstream in(std::string(MOJIFIX_BENCH_DATA) + "/" + lang + ".txt");
  if (!in) throw std::runtime_error("missing bench/data/" + lang + ".txt");
  std::vector<std::string> out;
  for (std::string line; std::getline(in, line);)
    if (!line.empty() && line[0] != '#') out.push_back(line);
  return out;
}

// Every line of the CJK inputs whose WHATWG GBK reading lost bytes, repeated
// in order up to the size: the same bytes on every machine.
const std::string& lossy_text() {
  static const std::string text = [] {
    std::vector<std::string> damaged;
    for (const char* lang : {"zh-hans", "zh-hant", "ja", "ko"}) {
      for (const std::string& line : lines_of(lang)) {
        std::string m;
        (void)detail::decode(detail::encoding::gb18030, line, detail::decode_mode::whatwg, m);
        if (m.find("\xEF\xBF\xBD") != std::string::npos) damaged.push_back(m + "\n");
      }
    }
    std::string out;
    if (damaged.empty()) return out;
    for (std::size_t i = 0; out.size() + damaged[i % damaged.size()].size() <= kLossySize; ++i)
      out += damaged[i % damaged.size()];
    return out;
  }();
  return text;
}

void fix_lossy(benchmark::State& state, bool recover) {
  const std::string& in = lossy_text();
  if (in.empty()) throw std::runtime_error("no lossy lines");
  options opt;
  opt.recover_lossy = recover;
  for (auto _ : state) {
    std::string out = fix_text(in, opt);
    benchmark::DoNotOptimize(out.data());
  }
  set_bytes(state, in.size());
}

const bool registered = [] {
  add("fix_text/lossy-gbk/256K", [](benchmark::State& s) { fix_lossy(s, true); });
  add("fix_text_no_recovery/lossy-gbk/256K", [](benchmark::State& s) { fix_lossy(s, false); });
  return true;
}();

}  // namespace
}  // namespace mojifix::bench
