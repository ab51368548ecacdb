// Chinese script conversion and classification on the 1 MB clean Chinese
// inputs: mojifix's matcher over OpenCC's dictionaries against libopencc
// (Debian's, with its own copy of the dictionaries) in the same run, and
// the cost of the keep-mode check on its own.
#include <stdexcept>
#include <string>

#include "bench_common.hpp"
#include "mojifix/script.hpp"
#include "script/convert.hpp"
#ifdef MOJIFIX_BENCH_OPENCC
#include <opencc/opencc.h>
#endif

namespace mojifix::bench {
namespace {

void register_script() {
  struct conv {
    const char* name;
    const char* input;
    conversion c;
    const char* opencc_config;
  };
  const conv convs[] = {{"s2t", "zh-hans/1M", conversion::s2t, "s2t.json"},
                        {"t2s", "zh-hant/1M", conversion::t2s, "t2s.json"},
                        {"s2twp", "zh-hans/1M", conversion::s2twp, "s2twp.json"}};
  for (const conv& cv : convs) {
    const std::string input_name = cv.input;
    const conversion c = cv.c;
    add(std::string("script/mojifix_") + cv.name + "/" + input_name,
        [input_name, c](benchmark::State& state) {
          const std::string& text = input(input_name);
          for (auto _ : state) {
            std::string out = convert_chinese(text, c);
            benchmark::DoNotOptimize(out);
          }
          set_bytes(state, text.size());
        });
#ifdef MOJIFIX_BENCH_OPENCC
    const std::string config = cv.opencc_config;
    add(std::string("script/opencc_") + cv.name + "/" + input_name,
        [input_name, config](benchmark::State& state) {
          const std::string& text = input(input_name);
          opencc_t cc = opencc_open(config.c_str());
          if (cc == reinterpret_cast<opencc_t>(-1)) throw std::runtime_error("opencc_open failed");
          for (auto _ : state) {
            char* out = opencc_convert_utf8(cc, text.data(), text.size());
            benchmark::DoNotOptimize(out);
            opencc_convert_utf8_free(out);
          }
          opencc_close(cc);
          set_bytes(state, text.size());
        });
#endif
  }
  for (const char* name : {"zh-hans/1M", "zh-hant/1M"}) {
    const std::string input_name = name;
    add("script/classify/" + input_name, [input_name](benchmark::State& state) {
      const std::string& text = input(input_name);
      for (auto _ : state) {
        script_report r = classify_script(text);
        benchmark::DoNotOptimize(r);
      }
      set_bytes(state, text.size());
    });
    // The keep-mode check on its own. fix_text does not pay it on clean
    // text: the normalize scan gathers the same flags on the way
    // (normalize/scan rows) and skips the stage when they say it stays.
    add("script/keep_check/" + input_name, [input_name](benchmark::State& state) {
      const std::string& text = input(input_name);
      const options opt;
      for (auto _ : state) {
        auto edits = detail::script_edits(text, opt);
        benchmark::DoNotOptimize(edits);
      }
      set_bytes(state, text.size());
    });
  }
}

// Registered before main() runs; the inputs are built on first use.
const bool kRegistered = (register_script(), true);

}  // namespace
}  // namespace mojifix::bench
