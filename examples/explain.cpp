// Shows what mojifix changes in a piece of text, and why.
//   explain 'The Mona Lisa doesnâ€™t have eyebrows.'
#include <iostream>
#include <string>

#include <mojifix/mojifix.hpp>

int main(int argc, char** argv) {
  const std::string text = argc > 1 ? argv[1] : "\xE9\x8E\xB4\xE6\x88\x9E\xE6\xA7\xB8";  // 鎴戞槸
  const mojifix::fix_result r = mojifix::fix_and_explain(text);
  if (!r.ok()) std::cout << "note: " << mojifix::to_string(r.error) << '\n';
  std::cout << "before: " << text << "\nafter:  " << r.text << '\n';
  for (const mojifix::step& s : r.steps) {
    std::cout << "  bytes " << s.begin << '-' << s.end << ": " << s.chain << ": " << s.before
              << " -> " << s.after << " (cost " << s.cost_before << " -> " << s.cost_after
              << " bits)\n";
  }
  // diagnose() only looks: it lists suspicious spans without changing them.
  for (const mojifix::finding& f : mojifix::diagnose(text)) {
    std::cout << "  suspicious bytes " << f.begin << '-' << f.end << " (" << f.chain
              << ", confidence " << f.confidence << ")\n";
  }
  return 0;
}
