#pragma once
// Small JSON text helpers for the command line: escaping, unescaping and
// locating one top-level member in a record without touching its other bytes.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mojifix::cli {

/// Appends `text` as the inside of a JSON string: escapes only what JSON
/// requires (", \ and control characters); other bytes, non-ASCII UTF-8
/// included, are copied as they are.
void append_json_escaped(std::string& out, std::string_view text);

/// Like append_json_escaped, but bytes that are not UTF-8 become U+FFFD so
/// the result is always valid JSON (for file names and diagnostics).
void append_json_escaped_lossy(std::string& out, std::string_view text);

/// Appends `"text"` (quotes included) escaped as by append_json_escaped_lossy.
void append_json_string(std::string& out, std::string_view text);

/// Appends a finite number with a fixed number of decimals; null otherwise.
void append_json_number(std::string& out, double value, int decimals);

/// Decodes the inside of a JSON string token (without its quotes). False on a
/// bad escape or an unpaired surrogate.
[[nodiscard]] bool json_unescape(std::string_view raw, std::string& out);

/// Where one member of a top-level object sits in the record's bytes.
struct json_member {
  std::size_t value_begin = 0;  // first byte of the value token
  std::size_t value_end = 0;    // one past its last byte
  bool is_string = false;       // the value is a string token
};

/// The top-level members named `key` in `record`, in order, and the offset of
/// the object's closing brace. `record` must already be known to be valid
/// JSON whose root is an object; the scan relies on that.
struct object_layout {
  std::vector<json_member> members;
  std::size_t closing_brace = 0;
  bool empty_object = true;  // no member at all
};
[[nodiscard]] object_layout locate_members(std::string_view record, std::string_view key);

}  // namespace mojifix::cli
