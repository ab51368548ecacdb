// The public API end to end: what a crawler or the command pays per byte.
#include <string>

#include "bench_common.hpp"
#include <mojifix/mojifix.hpp>

namespace mojifix::bench {

void register_api(const std::string& input_name) {
  add("fix_text/" + input_name, [input_name](benchmark::State& state) {
    const std::string& text = input(input_name);
    for (auto _ : state) {
      std::string fixed = fix_text(text);
      benchmark::DoNotOptimize(fixed.data());
    }
    set_bytes(state, text.size());
  });
}

// The first call pays for loading tables; measured once, cold, on its own.
void register_setup() {
  add("setup/fix_text_first_call",
      [](benchmark::State& state) {
        const std::string text = "A first call.";
        for (auto _ : state) {
          std::string fixed = fix_text(text);
          benchmark::DoNotOptimize(fixed.data());
        }
      })
      ->Iterations(1)
      ->Repetitions(1);
}

}  // namespace mojifix::bench
