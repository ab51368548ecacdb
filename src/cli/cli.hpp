#pragma once
// The mojifix command, testable in-process: main() only forwards to run().

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <span>
#include <string_view>

#include "cli/block_reader.hpp"

namespace mojifix::cli {

/// Exit statuses (also listed in --help).
inline constexpr int kExitOk = 0;          // everything processed
inline constexpr int kExitBadRecords = 1;  // some JSON Lines records were passed through unchanged
inline constexpr int kExitError = 2;       // usage or I/O error; no output file was written

/// Inputs of at least this size get a progress line on a terminal.
inline constexpr std::uint64_t kProgressThreshold = std::uint64_t{64} << 20;

/// What run() cannot learn from its streams.
struct run_env {
  bool err_is_terminal = false;  // stderr is a terminal: progress may be shown there
  bool in_is_terminal = false;   // standard input is a terminal: answer line by line
  std::uint64_t stdin_size = 0;  // size of standard input when known (a regular file), else 0
  std::size_t block_size = kDefaultBlockSize;  // bytes of whole lines per block
  std::uint64_t progress_threshold = kProgressThreshold;
};

/// Runs the command with `args` (the arguments after the program name).
/// Standard input is `in`, standard output `out`, standard error `err`.
/// Returns the exit status. Never throws.
///   run({"--jsonl", "dump.jsonl", "-o", "fixed.jsonl"}, std::cin, std::cout, std::cerr)
int run(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
        std::ostream& err, const run_env& env = {});

/// The --help text.
[[nodiscard]] std::string_view usage_text() noexcept;

}  // namespace mojifix::cli
