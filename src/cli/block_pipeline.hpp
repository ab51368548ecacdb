#pragma once
// Runs a block function over a stream on N threads and hands the results
// back in input order, so the output is the same for every thread count.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <istream>
#include <string>
#include <string_view>
#include <vector>

namespace mojifix::cli {

/// A message about one input line, printed on stderr in input order.
struct line_note {
  std::uint64_t line = 0;  // 1-based line number in the current input
  std::string text;
};

/// What processing one block gave.
struct block_result {
  std::string text;                      // the output bytes for the block
  std::vector<line_note> notes;          // diagnostics, in line order
  std::uint64_t bad_records = 0;         // JSON Lines records passed through unchanged
  std::uint64_t first_invalid_utf8 = 0;  // first line holding non-UTF-8 bytes; 0 if none
};

/// Processes one block whose first line has number first_line (1-based).
using block_function =
    std::function<void(std::string_view block, std::uint64_t first_line, block_result& out)>;
/// Receives the results in input order; false stops the run (e.g. write error).
using block_sink = std::function<bool(block_result& result, std::size_t input_bytes)>;

struct pipeline_config {
  std::size_t block_size = 0;
  int jobs = 1;  // worker threads; 1 processes on the calling thread
};

enum class pipeline_status { ok, read_error, stopped };

/// Reads `in` block by block, applies `fn` to each block (in parallel when
/// jobs > 1) and passes the results to `sink` in input order. At most
/// 2 x jobs blocks are in flight, which bounds memory.
pipeline_status run_pipeline(std::istream& in, const pipeline_config& config,
                             const block_function& fn, const block_sink& sink);

/// Calls fn(line, line_end) for each line of a block; `line` excludes the
/// line end, which is "\n", "\r\n" or "" (last line without one).
template <typename F>
void for_each_line(std::string_view block, F&& fn) {
  std::size_t pos = 0;
  while (pos < block.size()) {
    std::size_t nl = block.find('\n', pos);
    std::string_view line, end;
    if (nl == std::string_view::npos) {
      line = block.substr(pos);
      pos = block.size();
    } else {
      std::size_t content_end = nl;
      if (content_end > pos && block[content_end - 1] == '\r') --content_end;
      line = block.substr(pos, content_end - pos);
      end = block.substr(content_end, nl + 1 - content_end);
      pos = nl + 1;
    }
    fn(line, end);
  }
}

}  // namespace mojifix::cli
