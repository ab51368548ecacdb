#pragma once
// Writes a file so that readers see either the old file or the complete new
// one: the bytes go to a temporary file in the same folder, which replaces
// the target by rename() only once everything was written.

#include <filesystem>
#include <fstream>
#include <string>

namespace mojifix::cli {

class atomic_file {
 public:
  atomic_file() = default;
  ~atomic_file();  // removes the temporary file unless committed
  atomic_file(const atomic_file&) = delete;
  atomic_file& operator=(const atomic_file&) = delete;

  /// Creates the temporary file beside `target` (symbolic links are followed,
  /// so the file they point to is replaced). False with a message on error.
  [[nodiscard]] bool open(const std::filesystem::path& target, std::string& error);
  /// Where to write; valid after a successful open().
  [[nodiscard]] std::ostream& stream() { return stream_; }
  /// Flushes, syncs, gives the temporary file the target's permissions (or
  /// the usual ones for a new file) and renames it over the target.
  [[nodiscard]] bool commit(std::string& error);
  /// Removes the temporary file; the target stays as it was.
  void discard() noexcept;

 private:
  std::filesystem::path target_;
  std::filesystem::path temp_;
  std::ofstream stream_;
  bool active_ = false;
};

}  // namespace mojifix::cli
