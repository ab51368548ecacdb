#pragma once
// Fixing one line: a plain text line, or one field of a JSON Lines record.

#include <string>
#include <string_view>
#include <vector>

#include "mojifix/fix.hpp"

namespace mojifix::cli {

/// How one JSON Lines record came out.
enum class record_outcome {
  unchanged,  // valid, the field needed no repair; written as it was
  fixed,      // the field was repaired; other bytes of the record kept
  blank,      // empty or white space only; written as it was
  rejected,   // not JSON, not an object, no such field, not a string; written as it was
};

struct record_config {
  std::string field = "text";  // the top-level string member to fix
  bool explain = false;        // add a "mojifix" member listing the steps
  options opt;
};

/// Fixes `record` (one line without its line end) and appends the result to
/// `out`. For rejected records `reason` says why. Thread-safe (each thread
/// keeps its own JSON parser).
record_outcome fix_record(std::string_view record, const record_config& config, std::string& out,
                          std::string& reason);

/// Appends the steps as a JSON array of objects
/// [{"begin":0,"end":6,"chain":"...","before":"...","after":"...",
///   "cost_before":1.00,"cost_after":0.50}, ...].
void append_steps_json(std::string& out, const std::vector<step>& steps);

/// One step for the --explain listing on stderr:
/// bytes 0-6: utf-8 read as gbk: "鎴戞槸" → "我是" (cost 40.00 → 12.00 bits)
[[nodiscard]] std::string describe_step(const step& s);

}  // namespace mojifix::cli
