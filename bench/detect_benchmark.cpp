// The repair fast path alone: detail::may_hold_mojibake over every line of
// the clean 1 MB inputs and over the whole input at once (what fix_text asks
// before any repair), next to fix_text on the same bytes in the same run.
#include <string>
#include <string_view>

#include "bench_common.hpp"
#include "detect/suspect.hpp"
#include "mojifix/fix.hpp"

namespace mojifix::bench {
namespace {

// Lines that may hold mojibake: counted once per run so that a faster scan
// that answers differently would show.
std::size_t scan_lines(std::string_view text) {
  std::size_t flagged = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    const std::string_view line = text.substr(0, nl);
    flagged += detail::may_hold_mojibake(line) ? 1 : 0;
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return flagged;
}

void register_detect() {
  for (auto lang : kLanguages) {
    const std::string name = std::string(lang) + "/1M";
    add("detect/may_hold_mojibake/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      std::size_t flagged = 0;
      for (auto _ : state) {
        flagged = scan_lines(text);
        benchmark::DoNotOptimize(flagged);
      }
      state.counters["flagged_lines"] = static_cast<double>(flagged);
      set_bytes(state, text.size());
    });
    // The whole input in one call, as fix_text asks before it splits
    // anything (it stops at the first sign: the ja input stops early).
    add("detect/may_hold_mojibake_whole/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      bool may = false;
      for (auto _ : state) {
        may = detail::may_hold_mojibake(text);
        benchmark::DoNotOptimize(may);
      }
      state.counters["flagged"] = may ? 1.0 : 0.0;
      set_bytes(state, text.size());
    });
    add("detect/fix_text/" + name, [name](benchmark::State& state) {
      const std::string& text = input(name);
      for (auto _ : state) benchmark::DoNotOptimize(fix_text(text));
      set_bytes(state, text.size());
    });
  }
}

// Registered before main() runs the benchmarks (main belongs to
// mojifix_benchmark.cpp).
const bool kRegistered = (register_detect(), true);

}  // namespace
}  // namespace mojifix::bench
