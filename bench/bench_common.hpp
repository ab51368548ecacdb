#pragma once
// Shared by the benchmark files: deterministic inputs built once (outside
// any timed loop) and the registration helper that gives every benchmark the
// same statistics and throughput counters.

#include <benchmark/benchmark.h>
#include <unicode/ucnv.h>

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace mojifix::bench {

/// The inputs, by name: "en/1M", "zh-hans/64K", "mojibake-gbk/1M", ...
/// Clean inputs are lines of bench/data/<lang>.txt shuffled and repeated to
/// the size; mojibake inputs are the lines of every language, each as UTF-8
/// read as windows-1252 (sloppy) or as GBK (WHATWG), to 1 MB. Built on first
/// use and kept; the same bytes on every machine.
[[nodiscard]] const std::string& input(const std::string& name);

/// The size suffixes of the sweep and the names of the clean languages.
inline constexpr std::string_view kSweepSizes[] = {"1K", "64K", "1M"};
inline constexpr std::string_view kLanguages[] = {"en", "zh-hans", "zh-hant", "ja", "ko"};
/// Clean text measured at 1 MB only, outside the mojibake inputs: Russian,
/// whose letters single-byte code pages also show as UTF-8 bytes.
inline constexpr std::string_view kCleanOnly[] = {"ru"};
inline constexpr std::string_view kMojibakeInputs[] = {"mojibake-cp1252/1M", "mojibake-gbk/1M"};

struct ucnv_closer {
  void operator()(UConverter* c) const { ucnv_close(c); }
};
using converter = std::unique_ptr<UConverter, ucnv_closer>;
/// Opens an ICU converter; throws (caught by add()) if ICU does not know it.
[[nodiscard]] converter open_converter(const char* name);

/// Registers fn under name with median/max aggregates.
benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> fn);

/// Reports bytes_per_item per iteration: SetBytesProcessed (binary, Gi/s)
/// and the decimal counter "B/s" (1.2G/s = 1.2 GB/s).
void set_bytes(benchmark::State& state, std::size_t bytes_per_item);

// Each file registers its own benchmarks for one input (or none).
void register_api(const std::string& input_name);
void register_baselines(const std::string& input_name);
void register_codec();
void register_setup();

}  // namespace mojifix::bench
