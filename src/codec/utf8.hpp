#pragma once
// Minimal UTF-8 reading and writing shared by every room.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace mojifix::detail::utf8 {

inline constexpr char32_t kInvalid = 0xFFFFFFFF;

/// Decodes the code point at s[i] and advances i past it. On an invalid or
/// truncated sequence returns kInvalid and advances i by one byte.
/// Surrogates and overlongs are invalid, as in the Unicode standard.
inline char32_t next(std::string_view s, std::size_t& i) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  unsigned char b0 = p[i];
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
      char32_t cp = ((b0 & 0x1Fu) << 6) | (p[i + 1] & 0x3Fu);
      i += 2;
      return cp;
    }
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    if (i + 2 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80) {
      char32_t cp = ((b0 & 0x0Fu) << 12) | ((p[i + 1] & 0x3Fu) << 6) | (p[i + 2] & 0x3Fu);
      if (cp >= 0x800 && (cp < 0xD800 || cp > 0xDFFF)) {
        i += 3;
        return cp;
      }
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    if (i + 3 < n && (p[i + 1] & 0xC0) == 0x80 && (p[i + 2] & 0xC0) == 0x80 &&
        (p[i + 3] & 0xC0) == 0x80) {
      char32_t cp = ((b0 & 0x07u) << 18) | ((p[i + 1] & 0x3Fu) << 12) | ((p[i + 2] & 0x3Fu) << 6) |
                    (p[i + 3] & 0x3Fu);
      if (cp >= 0x10000 && cp <= 0x10FFFF) {
        i += 4;
        return cp;
      }
    }
  }
  ++i;
  return kInvalid;
}

/// The index of the first 8-byte block at or after i that holds a byte of
/// 0x80 or above (or of the last bytes too few for a block): ASCII is
/// skipped eight bytes at a time.
inline std::size_t skip_ascii_blocks(std::string_view s, std::size_t i) noexcept {
  while (i + 8 <= s.size()) {
    std::uint64_t w;
    std::memcpy(&w, s.data() + i, 8);
    if ((w & 0x8080808080808080ull) != 0) break;
    i += 8;
  }
  return i;
}

/// True when all of s is well-formed UTF-8.
inline bool valid(std::string_view s) noexcept {
  for (std::size_t i = 0; i < s.size();) {
    if (static_cast<unsigned char>(s[i]) < 0x80) {
      ++i;
    } else if (next(s, i) == kInvalid) {
      return false;
    }
  }
  return true;
}

/// The code points of s, U+FFFD for each byte of an invalid or truncated
/// sequence.
inline std::u32string decode(std::string_view s) {
  std::u32string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const char32_t c = next(s, i);
    out.push_back(c == kInvalid ? U'\uFFFD' : c);
  }
  return out;
}

/// Appends the UTF-8 form of cp (which must be a scalar value).
inline void append(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

/// Appends the UTF-8 form of s (scalar values only), growing out once.
inline void append(std::string& out, std::u32string_view s) {
  std::size_t at = out.size();
  out.resize(at + 4 * s.size());
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  for (const char32_t cp : s) {
    if (cp < 0x80) {
      p[at++] = static_cast<unsigned char>(cp);
    } else if (cp < 0x800) {
      p[at++] = static_cast<unsigned char>(0xC0 | (cp >> 6));
      p[at++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      p[at++] = static_cast<unsigned char>(0xE0 | (cp >> 12));
      p[at++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      p[at++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    } else {
      p[at++] = static_cast<unsigned char>(0xF0 | (cp >> 18));
      p[at++] = static_cast<unsigned char>(0x80 | ((cp >> 12) & 0x3F));
      p[at++] = static_cast<unsigned char>(0x80 | ((cp >> 6) & 0x3F));
      p[at++] = static_cast<unsigned char>(0x80 | (cp & 0x3F));
    }
  }
  out.resize(at);
}

/// Number of bytes of the UTF-8 form of cp.
inline constexpr int length(char32_t cp) noexcept {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/// Number of bytes of the sequence a lead byte starts; 0 for a byte that
/// starts none (ASCII, a continuation byte, C0, C1, F5-FF).
inline constexpr int sequence_length(std::uint8_t lead) noexcept {
  return lead >= 0xC2 && lead <= 0xDF   ? 2
         : lead >= 0xE0 && lead <= 0xEF ? 3
         : lead >= 0xF0 && lead <= 0xF4 ? 4
                                        : 0;
}

}  // namespace mojifix::detail::utf8
