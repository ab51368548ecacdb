// Calls the installed library as a user would. Clean text must come back byte
// for byte; the repair itself is tested elsewhere, so it is only shown here.
#include <cstdio>
#include <string>

#include <mojifix/mojifix.hpp>

int main() {
  const std::string clean = "Clean text, 中文テキスト, 한국어.";
  const mojifix::fix_result kept = mojifix::fix_and_explain(clean);
  if (!kept.ok() || kept.text != clean || mojifix::fix_text(clean) != clean) {
    std::fprintf(stderr, "clean text changed: %s\n", kept.text.c_str());
    return 1;
  }
  // "doesn’t" as UTF-8 read as windows-1252.
  const std::string fixed = mojifix::fix_text("The Mona Lisa doesnâ€™t have eyebrows.");
  std::printf("mojifix %s: %s\n", mojifix::kVersion, fixed.c_str());
  return 0;
}
