// What other code does with the same bytes, timed in the same run: copying
// them, validating them as UTF-8, reading them with ICU, guessing their
// encoding with uchardet, and (clean Simplified Chinese only) OpenCC s2t.
#include <uchardet.h>
#include <unicode/ucnv.h>

#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "simdjson.h"
#ifdef MOJIFIX_BENCH_OPENCC
#include <opencc/opencc.h>
#endif

namespace mojifix::bench {

void register_baselines(const std::string& input_name) {
  add("memcpy/" + input_name, [input_name](benchmark::State& state) {
    const std::string& text = input(input_name);
    std::vector<char> out(text.size());
    for (auto _ : state) {
      std::memcpy(out.data(), text.data(), text.size());
      benchmark::ClobberMemory();
    }
    set_bytes(state, text.size());
  });

  add("simdjson_validate_utf8/" + input_name, [input_name](benchmark::State& state) {
    const std::string& text = input(input_name);
    for (auto _ : state) {
      bool ok = simdjson::validate_utf8(text.data(), text.size());
      benchmark::DoNotOptimize(ok);
    }
    set_bytes(state, text.size());
  });

  // UTF-8 to UTF-16, the first thing an ICU-based tool does with text.
  add("icu_utf8_to_utf16/" + input_name, [input_name](benchmark::State& state) {
    const std::string& text = input(input_name);
    converter utf8 = open_converter("utf-8");
    std::vector<UChar> out(text.size() + 1);
    for (auto _ : state) {
      UErrorCode status = U_ZERO_ERROR;
      int32_t n = ucnv_toUChars(utf8.get(), out.data(), static_cast<int32_t>(out.size()),
                                text.data(), static_cast<int32_t>(text.size()), &status);
      benchmark::DoNotOptimize(n);
      if (U_FAILURE(status)) state.SkipWithError("ucnv_toUChars failed");
    }
    set_bytes(state, text.size());
  });

  add("uchardet/" + input_name, [input_name](benchmark::State& state) {
    const std::string& text = input(input_name);
    std::unique_ptr<std::remove_pointer_t<uchardet_t>, void (*)(uchardet_t)> ud(uchardet_new(),
                                                                                uchardet_delete);
    for (auto _ : state) {
      uchardet_reset(ud.get());
      (void)uchardet_handle_data(ud.get(), text.data(), text.size());
      uchardet_data_end(ud.get());
      const char* charset = uchardet_get_charset(ud.get());
      benchmark::DoNotOptimize(charset);
    }
    set_bytes(state, text.size());
  });

#ifdef MOJIFIX_BENCH_OPENCC
  if (input_name.rfind("zh-hans/", 0) == 0) {
    add("opencc_s2t/" + input_name, [input_name](benchmark::State& state) {
      const std::string& text = input(input_name);
      opencc_t cc = opencc_open(OPENCC_DEFAULT_CONFIG_SIMP_TO_TRAD);
      if (cc == reinterpret_cast<opencc_t>(-1)) throw std::runtime_error("opencc_open failed");
      for (auto _ : state) {
        char* out = opencc_convert_utf8(cc, text.data(), text.size());
        benchmark::DoNotOptimize(out);
        opencc_convert_utf8_free(out);
      }
      opencc_close(cc);
      set_bytes(state, text.size());
    });
  }
#endif
}

}  // namespace mojifix::bench
