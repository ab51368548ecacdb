#pragma once
// Input bytes in any encoding as a stream of UTF-8: the encoding is detected
// from a bounded prefix (or given), and the rest is decoded piece by piece,
// so memory stays bounded however large the input is.

#include <cstddef>
#include <istream>
#include <memory>
#include <streambuf>
#include <string>

#include "mojifix/decode.hpp"

namespace mojifix::cli {

/// Bytes read ahead to detect the encoding of an input.
inline constexpr std::size_t kDetectPrefix = std::size_t{64} << 10;

/// How one input is read.
struct input_reading {
  detection found;          // what detection said about the prefix (auto only)
  bool detected = false;    // found is filled in
  bool transcode = false;   // the bytes are decoded to UTF-8 before fixing
  bool utf8_lines = false;  // UTF-8 input: lines that are not valid UTF-8 are
                            // decoded on their own (auto only)
  std::string decoder;      // the stream_decoder's encoding when transcode
  std::size_t skip = 0;     // bytes of a UTF-16/UTF-32 byte-order mark to drop
  bool per_line = false;    // detected, not given: a line that does not fit the
                            // encoding is decoded by its own best guess
};

/// A stream buffer that hands out the prefix already read and then the rest
/// of `src`, decoded when a stream_decoder is given.
class decoding_buf : public std::streambuf {
 public:
  decoding_buf(std::istream& src, std::string prefix, std::unique_ptr<stream_decoder> decoder);
  /// True if reading the source failed (not merely ended).
  [[nodiscard]] bool failed() const noexcept { return failed_; }

 protected:
  int_type underflow() override;

 private:
  std::istream& src_;
  std::string prefix_;
  std::unique_ptr<stream_decoder> decoder_;
  std::string out_;
  bool done_ = false;
  bool failed_ = false;
};

/// Reads up to kDetectPrefix bytes of `in` into `prefix` (fewer at the end
/// of the input). False on a read error.
bool read_prefix(std::istream& in, std::string& prefix);

/// Decides how to read an input from its prefix. `from` is "auto" or an
/// encoding name that stream_decoder accepts; at_terminal: no detection
/// (someone typing), UTF-8 assumed.
input_reading choose_reading(std::string_view prefix, const std::string& from, bool at_terminal);

}  // namespace mojifix::cli
