#include "cli/decoding_input.hpp"

#include <cctype>
#include <utility>

namespace mojifix::cli {
namespace {
constexpr std::size_t kChunk = std::size_t{64} << 10;

// The prefix less a UTF-8 sequence the read cut short at its end: a valid
// UTF-8 file cut at 64 KB inside a character is no invalid UTF-8 (detection
// took the cut for a bad byte and read a clean Korean file as Mac Cyrillic).
// At most three bytes go, so other encodings lose nothing that matters.
std::string_view without_cut_sequence(std::string_view s) {
  for (std::size_t back = 1; back <= 3 && back <= s.size(); ++back) {
    const auto b = static_cast<unsigned char>(s[s.size() - back]);
    if ((b & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 1;
    return need > back ? s.substr(0, s.size() - back) : s;
  }
  return s;
}
}  // namespace

decoding_buf::decoding_buf(std::istream& src, std::string prefix,
                           std::unique_ptr<stream_decoder> decoder)
    : src_(src), prefix_(std::move(prefix)), decoder_(std::move(decoder)) {}

decoding_buf::int_type decoding_buf::underflow() {
  while (gptr() == egptr()) {
    if (done_) return traits_type::eof();
    std::string raw;
    if (!prefix_.empty()) {
      raw.swap(prefix_);
    } else if (src_) {
      raw.resize(kChunk);
      src_.read(raw.data(), static_cast<std::streamsize>(kChunk));
      raw.resize(static_cast<std::size_t>(src_.gcount()));
      if (src_.bad()) failed_ = true;
    }
    if (raw.empty()) {
      done_ = true;
      out_ = decoder_ ? decoder_->finish() : std::string();
    } else {
      out_ = decoder_ ? decoder_->feed(raw) : std::move(raw);
    }
    setg(out_.data(), out_.data(), out_.data() + out_.size());
  }
  return traits_type::to_int_type(*gptr());
}

bool read_prefix(std::istream& in, std::string& prefix) {
  prefix.resize(kDetectPrefix);
  in.read(prefix.data(), static_cast<std::streamsize>(kDetectPrefix));
  prefix.resize(static_cast<std::size_t>(in.gcount()));
  return !in.bad();
}

input_reading choose_reading(std::string_view prefix, const std::string& from, bool at_terminal) {
  input_reading r;
  if (from != "auto") {
    // UTF-8 given: the bytes go to the fixers as they are (invalid bytes
    // are kept, as before --from existed).
    std::string key;
    for (char c : from) {
      const auto u = static_cast<unsigned char>(c);
      if (std::isalnum(u)) key.push_back(static_cast<char>(std::tolower(u)));
    }
    if (key == "utf8" || key == "utf8mb4" || key == "utf8mb3" || key == "ascii" || key == "usascii")
      return r;
    r.transcode = true;
    r.decoder = from;
    return r;
  }
  if (at_terminal) {
    r.utf8_lines = true;
    return r;
  }
  // Only a full prefix was cut; a shorter one is the whole input.
  r.found = detect_encoding(prefix.size() == kDetectPrefix ? without_cut_sequence(prefix) : prefix);
  r.detected = true;
  const std::string& e = r.found.encoding;
  if (e == "ascii" || e == "utf-8") {
    r.utf8_lines = true;
    return r;
  }
  r.transcode = true;
  r.per_line = true;
  r.decoder = e;
  if (r.found.bom && e != "utf-8") r.skip = r.found.bom_length;
  if (e == "iso-2022-jp" && prefix.find('\x1B') == std::string_view::npos) {
    r.decoder = "iso-2022-jp-stripped";
  }
  return r;
}

}  // namespace mojifix::cli
