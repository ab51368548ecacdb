// The normalize stage as fix_text runs it (no Plan composed): the one pass
// every text pays (UTF-8 validation, the search for anything a fixer wants
// and the keep-mode script flags) on the clean inputs, against simdjson's UTF-8 validation and
// memcpy on the same bytes in the same run (the baseline rows of
// mojifix_benchmark), and the stage at work on text with reading
// annotations and on text with something for every fixer.
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

#include "bench_common.hpp"
#include "codec/utf8.hpp"
#include "mojifix/fix.hpp"
#include "normalize/normalize.hpp"

namespace mojifix::bench {
namespace {

// The annotated lines of tests/data/normalize/annotated.tsv (third field),
// repeated to 1 MB.
const std::string& annotated_text() {
  static const std::string text = [] {
    std::ifstream in(std::string(MOJIFIX_BENCH_DATA) + "/../../tests/data/normalize/annotated.tsv");
    if (!in) throw std::runtime_error("tests/data/normalize/annotated.tsv not found");
    std::string lines, line;
    while (std::getline(in, line)) {
      if (line.empty() || line[0] == '#') continue;
      lines += line.substr(line.rfind('\t') + 1);
      lines += '\n';
    }
    std::string out;
    while (out.size() < 1000000) out += lines;
    return out;
  }();
  return text;
}

// Lines with work for the general fixers: entities, C1 controls, a
// ligature, fullwidth Latin, halfwidth kana, a spacing dakuten, a Kangxi
// radical, decomposed accents, a terminal escape. Repeated to 1 MB.
const std::string& dirty_text() {
  static const std::string text = [] {
    const std::string lines =
        "caf&eacute; &amp; cr&egrave;me, \xC2\x93quoted\xC2\x94 and signi\xEF\xAC\x81"
        "cant\n"
        "\xEF\xBD\x88\xEF\xBD\x85\xEF\xBD\x8C\xEF\xBD\x8C\xEF\xBD\x8F world, "
        "\xE3\x83\x91\xE3\x82\xB9\xEF\xBE\x9C\xEF\xBD\xB0\xE3\x83\x89 \xE3\x81\x8B\xE3\x82\x9B\n"
        "\xE2\xBC\x80 e\xCC\x81t\xC3\xA9 \x1b[31mred\x1b[0m text with nothing else to do\n";
    std::string out;
    while (out.size() < 1000000) out += lines;
    return out;
  }();
  return text;
}

void register_normalize() {
  for (auto lang : kLanguages) {
    const std::string name = std::string(lang) + "/1M";
    add("normalize/scan/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      const options opt;
      for (auto _ : state) {
        bool valid = false;
        benchmark::DoNotOptimize(detail::normalize_scan(text, opt, valid));
        benchmark::DoNotOptimize(valid);
      }
      set_bytes(state, text.size());
    });
    // The scan without the keep-mode script flags (an explicit script
    // target): what gathering them costs on CJK text, where the scan walks
    // the three-byte characters one by one instead of in blocks.
    add("normalize/scan_without_script_flags/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      options opt;
      opt.script = script::traditional;
      for (auto _ : state) {
        bool valid = false;
        benchmark::DoNotOptimize(detail::normalize_scan(text, opt, valid));
        benchmark::DoNotOptimize(valid);
      }
      set_bytes(state, text.size());
    });
    // The byte-by-byte validity check fix_text ran before the stage's scan
    // took its place: what the scan costs on top of it.
    add("normalize/reference_utf8_valid/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      for (auto _ : state) benchmark::DoNotOptimize(detail::utf8::valid(text));
      set_bytes(state, text.size());
    });
    add("normalize/stage/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      const options opt;
      for (auto _ : state) {
        std::string out;
        benchmark::DoNotOptimize(detail::normalize(text, opt, &out, nullptr, nullptr, false));
      }
      set_bytes(state, text.size());
    });
  }
  add("normalize/stage/annotated/1M", [](benchmark::State& state) {
    const std::string& text = annotated_text();
    const options opt;
    for (auto _ : state) {
      std::string out;
      benchmark::DoNotOptimize(detail::normalize(text, opt, &out, nullptr, nullptr, false));
    }
    set_bytes(state, text.size());
  });
  add("normalize/fix_text/annotated/1M", [](benchmark::State& state) {
    const std::string& text = annotated_text();
    for (auto _ : state) benchmark::DoNotOptimize(fix_text(text));
    set_bytes(state, text.size());
  });
  add("normalize/stage/dirty/1M", [](benchmark::State& state) {
    const std::string& text = dirty_text();
    const options opt;
    for (auto _ : state) {
      std::string out;
      benchmark::DoNotOptimize(detail::normalize(text, opt, &out, nullptr, nullptr, false));
    }
    set_bytes(state, text.size());
  });
  add("normalize/fix_and_explain/dirty/1M", [](benchmark::State& state) {
    const std::string& text = dirty_text();
    for (auto _ : state) benchmark::DoNotOptimize(fix_and_explain(text));
    set_bytes(state, text.size());
  });
}

// Registered before main() runs the benchmarks (main belongs to
// mojifix_benchmark.cpp).
const bool kRegistered = (register_normalize(), true);

}  // namespace
}  // namespace mojifix::bench
