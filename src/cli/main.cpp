// The mojifix command: everything happens in cli::run, which is tested
// in-process; main only adapts the process's streams and arguments.

#include <sys/stat.h>
#include <unistd.h>

#include <iostream>
#include <string_view>
#include <vector>

#include "cli/cli.hpp"

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  std::vector<std::string_view> args;
  for (int i = 1; i < argc; ++i) args.emplace_back(argv[i]);

  mojifix::cli::run_env env;
  env.err_is_terminal = ::isatty(STDERR_FILENO) == 1;
  env.in_is_terminal = ::isatty(STDIN_FILENO) == 1;
  struct stat st {};
  if (::fstat(STDIN_FILENO, &st) == 0 && S_ISREG(st.st_mode)) {
    env.stdin_size = static_cast<std::uint64_t>(st.st_size);
  }
  const int status = mojifix::cli::run(args, std::cin, std::cout, std::cerr, env);
  std::cout.flush();
  if (!std::cout && status == mojifix::cli::kExitOk) {
    std::cerr << "mojifix: cannot write standard output\n";
    return mojifix::cli::kExitError;
  }
  return status;
}
