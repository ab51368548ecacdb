// mojifix_benchmark: fix_text and the codec against the baselines on the same
// inputs, grouped by input. Defaults: 5 repetitions, aggregates only;
// any --benchmark_* flag given on the command line overrides them.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "bench_common.hpp"
#include "codec/codec.hpp"

namespace mojifix::bench {
namespace {

// splitmix64: a fixed generator, so inputs do not depend on the standard
// library's shuffle or distributions.
struct rng {
  std::uint64_t s;
  std::uint64_t next() {
    std::uint64_t z = (s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
};

std::string data_dir() {
  if (const char* env = std::getenv("MOJIFIX_BENCH_DATA")) return env;
  return MOJIFIX_BENCH_DATA;
}

std::vector<std::string> read_lines(const std::string& lang) {
  std::ifstream in(data_dir() + "/" + lang + ".txt", std::ios::binary);
  if (!in) throw std::runtime_error("cannot read bench/data/" + lang + ".txt");
  std::vector<std::string> lines;
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line + "\n");
  }
  return lines;
}

std::size_t parse_size(std::string_view s) {
  std::size_t n = std::stoul(std::string(s));
  if (s.back() == 'K') n *= 1000;
  if (s.back() == 'M') n *= 1000 * 1000;
  return n;
}

// Whole lines, shuffled afresh each round, until no more line fits.
std::string fill(std::vector<std::string> lines, std::size_t size, std::uint64_t seed) {
  rng r{seed};
  std::string out;
  out.reserve(size);
  for (bool fitted = true; fitted;) {
    for (std::size_t i = lines.size(); i > 1; --i) std::swap(lines[i - 1], lines[r.next() % i]);
    fitted = false;
    for (const auto& l : lines) {
      if (out.size() + l.size() <= size) {
        out += l;
        fitted = true;
      }
    }
  }
  return out;
}

std::string build(const std::string& name) {
  const auto slash = name.find('/');
  const std::string kind = name.substr(0, slash);
  const std::size_t size = parse_size(std::string_view(name).substr(slash + 1));
  if (kind.rfind("mojibake-", 0) != 0) return fill(read_lines(kind), size, 1);

  // Each line of every language, damaged the way one wrong decoder does it.
  const bool gbk = kind == "mojibake-gbk";
  std::vector<std::string> damaged;
  for (auto lang : kLanguages) {
    for (const auto& line : read_lines(std::string(lang))) {
      std::string m;
      (void)detail::decode(gbk ? detail::encoding::gbk : detail::encoding::windows_1252, line,
                           gbk ? detail::decode_mode::whatwg : detail::decode_mode::sloppy, m);
      damaged.push_back(std::move(m));
    }
  }
  return fill(std::move(damaged), size, 2);
}

}  // namespace

const std::string& input(const std::string& name) {
  static std::map<std::string, std::string> cache;
  auto it = cache.find(name);
  if (it == cache.end()) it = cache.emplace(name, build(name)).first;
  return it->second;
}

converter open_converter(const char* name) {
  UErrorCode status = U_ZERO_ERROR;
  converter c(ucnv_open(name, &status));
  if (U_FAILURE(status)) throw std::runtime_error(std::string("ucnv_open failed: ") + name);
  return c;
}

benchmark::internal::Benchmark* add(const std::string& name,
                                    std::function<void(benchmark::State&)> fn) {
  auto* b = benchmark::RegisterBenchmark(name.c_str(), [fn = std::move(fn)](benchmark::State& s) {
    try {
      fn(s);
    } catch (const std::exception& e) {  // a missing data file, say
      s.SkipWithError(e.what());
    }
  });
  // For time the max is the slowest repetition; for B/s it is the fastest.
  b->ComputeStatistics("max", [](const std::vector<double>& v) {
    return v.empty() ? 0.0 : *std::max_element(v.begin(), v.end());
  });
  b->Unit(benchmark::kMicrosecond);
  return b;
}

void set_bytes(benchmark::State& state, std::size_t bytes_per_item) {
  const double total =
      static_cast<double>(state.iterations()) * static_cast<double>(bytes_per_item);
  state.SetBytesProcessed(static_cast<std::int64_t>(total));
  state.counters["B/s"] =
      benchmark::Counter(total, benchmark::Counter::kIsRate, benchmark::Counter::kIs1000);
}

}  // namespace mojifix::bench

int main(int argc, char** argv) {
  using namespace mojifix::bench;
  std::vector<char*> args = {argv[0]};
  static char reps[] = "--benchmark_repetitions=5";
  static char aggr[] = "--benchmark_report_aggregates_only=true";
  static char min_time[] = "--benchmark_min_time=0.2";
  args.insert(args.end(), {reps, aggr, min_time});
  args.insert(args.end(), argv + 1, argv + argc);
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;

  register_setup();
  // Clean text: the sweep for English and Simplified Chinese, 1 MB for the rest.
  for (auto lang : kLanguages) {
    const bool sweep = lang == "en" || lang == "zh-hans";
    for (auto size : kSweepSizes) {
      if (!sweep && size != "1M") continue;
      const std::string name = std::string(lang) + "/" + std::string(size);
      register_api(name);
      register_baselines(name);
    }
  }
  for (auto lang : kCleanOnly) {
    const std::string name = std::string(lang) + "/1M";
    register_api(name);
    register_baselines(name);
  }
  for (auto name : kMojibakeInputs) {
    register_api(std::string(name));
    register_baselines(std::string(name));
  }
  register_codec();

  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
