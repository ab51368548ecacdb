#pragma once
// Reads a stream in blocks of whole lines, so memory stays bounded however
// large the input is.

#include <cstddef>
#include <istream>
#include <string>

namespace mojifix::cli {

/// Default block size: big enough to amortise per-block costs, small enough
/// that a few blocks in flight per thread stay far below 100 MB.
inline constexpr std::size_t kDefaultBlockSize = std::size_t{1} << 20;

/// Splits a stream into blocks of complete lines. A block holds at most
/// block_size bytes, except when a single line is longer: then that block
/// holds exactly that one line (the buffer grows for it only).
class block_reader {
 public:
  block_reader(std::istream& in, std::size_t block_size);

  /// Moves the next block into `block`; false at the end of the input or on
  /// a read error (see failed()). Every line in a block ends with '\n' except
  /// the input's last line when the input does not end with one.
  bool next(std::string& block);

  /// True if reading stopped on an I/O error rather than at the end.
  [[nodiscard]] bool failed() const noexcept { return failed_; }
  /// Bytes handed out so far.
  [[nodiscard]] std::size_t bytes_read() const noexcept { return bytes_read_; }
  /// The most bytes the reader held at once (block plus carried-over part).
  [[nodiscard]] std::size_t peak_bytes() const noexcept { return peak_; }

 private:
  // Appends up to n bytes from the stream; returns how many were read.
  std::size_t fill(std::string& buf, std::size_t n);

  std::istream& in_;
  std::size_t block_size_;
  std::string carry_;  // the start of a line that did not fit the last block
  bool eof_ = false;
  bool failed_ = false;
  std::size_t bytes_read_ = 0;
  std::size_t peak_ = 0;
};

}  // namespace mojifix::cli
