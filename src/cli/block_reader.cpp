#include "cli/block_reader.hpp"

#include <algorithm>
#include <utility>

namespace mojifix::cli {

block_reader::block_reader(std::istream& in, std::size_t block_size)
    : in_(in), block_size_(std::max<std::size_t>(block_size, 1)) {}

std::size_t block_reader::fill(std::string& buf, std::size_t n) {
  if (eof_ || n == 0) return 0;
  const std::size_t old = buf.size();
  buf.resize(old + n);
  in_.read(buf.data() + old, static_cast<std::streamsize>(n));
  const auto got = static_cast<std::size_t>(in_.gcount());
  buf.resize(old + got);
  if (got < n) {
    eof_ = true;
    if (in_.bad()) failed_ = true;
  }
  return got;
}

bool block_reader::next(std::string& block) {
  block.clear();
  if (failed_) return false;
  block.swap(carry_);
  // Reserve once so that filling does not reallocate: the block is bounded.
  if (block.capacity() < block_size_) block.reserve(block_size_);
  fill(block, block_size_ - std::min(block.size(), block_size_));
  std::size_t searched = 0;
  while (true) {
    const std::size_t nl = block.find_last_of('\n');
    if (nl != std::string::npos && nl >= searched) {
      if (nl + 1 < block.size()) {
        carry_.assign(block, nl + 1, std::string::npos);
        block.resize(nl + 1);
      }
      break;
    }
    if (eof_) break;
    // No line end in sight: one line longer than a block. Grow for it only,
    // and look for its end in the new part alone.
    searched = block.size();
    if (fill(block, block_size_) == 0 && !eof_) break;
    const std::size_t first_nl = block.find('\n', searched);
    if (first_nl != std::string::npos) {
      if (first_nl + 1 < block.size()) {
        carry_.assign(block, first_nl + 1, std::string::npos);
        block.resize(first_nl + 1);
      }
      break;
    }
  }
  peak_ = std::max(peak_, block.size() + carry_.size());
  if (failed_) return false;
  bytes_read_ += block.size();
  return !block.empty();
}

}  // namespace mojifix::cli
