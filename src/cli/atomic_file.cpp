#include "cli/atomic_file.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <system_error>
#include <vector>

namespace mojifix::cli {
namespace {

std::string describe(const std::filesystem::path& p, int err) {
  return p.string() + ": " + std::strerror(err);
}

}  // namespace

atomic_file::~atomic_file() { discard(); }

bool atomic_file::open(const std::filesystem::path& target, std::string& error) {
  discard();
  std::error_code ec;
  target_ = std::filesystem::weakly_canonical(target, ec);
  if (ec) target_ = target;
  if (std::filesystem::is_directory(target_, ec)) {
    error = target.string() + ": is a directory";
    return false;
  }
  const std::filesystem::path dir = target_.has_parent_path() ? target_.parent_path() : ".";
  // A hidden name beside the target, so rename() stays within one file system.
  std::string temp_name(1, '.');
  temp_name += target_.filename().string();
  temp_name += ".mojifix-XXXXXX";
  const std::string pattern = (dir / temp_name).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  const int fd = ::mkstemp(name.data());
  if (fd < 0) {
    error = "cannot create a temporary file in " + dir.string() + ": " + std::strerror(errno);
    return false;
  }
  ::close(fd);
  temp_ = name.data();
  active_ = true;
  stream_.open(temp_, std::ios::binary | std::ios::trunc);
  if (!stream_) {
    error = describe(temp_, errno);
    discard();
    return false;
  }
  return true;
}

bool atomic_file::commit(std::string& error) {
  if (!active_) {
    error = "no output file is open";
    return false;
  }
  stream_.flush();
  const bool written = static_cast<bool>(stream_);
  stream_.close();
  if (!written || stream_.fail()) {
    error = "cannot write " + target_.string() + ": " + std::strerror(errno ? errno : EIO);
    discard();
    return false;
  }
  // Keep the permissions of the file being replaced; a new file gets the
  // usual 0666 less the umask (mkstemp made it 0600).
  struct stat st {};
  mode_t mode = 0;
  const bool replacing = ::stat(target_.c_str(), &st) == 0;
  if (replacing) {
    mode = st.st_mode & 07777;
  } else {
    const mode_t mask = ::umask(0);
    ::umask(mask);
    mode = 0666 & ~mask;
  }
  const int fd = ::open(temp_.c_str(), O_RDONLY);
  // Keep the owner too where we may (root, or the same user); a failure to
  // change the owner is not an error: the file then belongs to its writer.
  if (fd >= 0 && replacing) (void)!::fchown(fd, st.st_uid, st.st_gid);
  if (fd < 0 || ::fchmod(fd, mode) != 0 || ::fsync(fd) != 0) {
    error = describe(temp_, errno);
    if (fd >= 0) ::close(fd);
    discard();
    return false;
  }
  ::close(fd);
  if (::rename(temp_.c_str(), target_.c_str()) != 0) {
    error = "cannot replace " + target_.string() + ": " + std::strerror(errno);
    discard();
    return false;
  }
  active_ = false;
  return true;
}

void atomic_file::discard() noexcept {
  if (!active_) return;
  if (stream_.is_open()) stream_.close();
  ::unlink(temp_.c_str());
  active_ = false;
}

}  // namespace mojifix::cli
