// Fixes a text file line by line with the header API and prints the result.
//   fix_file articles.txt > fixed.txt
// Kept short: it ends every line with "\n". The mojifix command keeps each
// line end (and a missing final one) byte for byte.
#include <fstream>
#include <iostream>
#include <string>

#include <mojifix/mojifix.hpp>

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: fix_file FILE\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "fix_file: cannot read " << argv[1] << '\n';
    return 2;
  }
  // One fixer holds the options; it is cheap and may be shared by threads.
  const mojifix::fixer fixer;
  std::string line;
  std::size_t changed = 0;
  while (std::getline(in, line)) {
    std::string fixed = fixer.fix(line);
    if (fixed != line) ++changed;
    std::cout << fixed << '\n';
  }
  std::cerr << "fix_file: " << changed << " line(s) repaired\n";
  return 0;
}
