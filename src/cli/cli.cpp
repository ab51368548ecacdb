#include "cli/cli.hpp"

#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/atomic_file.hpp"
#include "cli/block_pipeline.hpp"
#include "cli/json_text.hpp"
#include "cli/record.hpp"
#include "mojifix/mojifix.hpp"

namespace mojifix::cli {
namespace {

constexpr std::string_view kUsage =
    R"usage(Usage: mojifix [OPTIONS] [FILE...]
       mojifix detect [FILE...]

Repairs mojibake (text damaged by decoding bytes with the wrong encoding) in
UTF-8 text. Reads the FILEs, or standard input when there is none or FILE is
"-", and writes the fixed text to standard output. Each line is fixed on its
own; the number of lines and every line end (\n, \r\n, a missing final
newline) are kept byte for byte. Clean text comes back unchanged.

Options:
  -o, --output FILE   write to FILE instead of standard output ("-"); FILE
                      is replaced atomically once everything was written
  -i, --in-place      rewrite each FILE atomically (not with standard input)
      --jsonl         the input is JSON Lines: fix one string field of each
                      record and keep every other byte of the record
      --field NAME    the top-level field to fix with --jsonl (default: text)
      --script NAME   keep|simplified|traditional|taiwan|hongkong (default:
                      keep); only keep is available in this version
      --explain       tell what was changed and why. Plain text: a line
                      per step on standard error, such as
                        mojifix: line 3: bytes 6-10: encode windows-1252
                        → decode utf-8: "Ã©" → "é" (cost 41.50 → 11.00 bits)
                      (bytes of the line). --jsonl: a "mojifix" member
                      added to each changed record, an array of
                      {"begin","end","chain","before","after",
                      "cost_before","cost_after"} (bytes of the field's
                      unescaped value)
  -j, --jobs N        worker threads (default: 1; 0: one per hardware
                      thread); the output is the same for every N
  -q, --quiet         no progress line (shown only on a terminal, for
                      inputs over 64 MB)
  -h, --help          print this help and exit
      --version       print the version and exit

Commands:
  detect [FILE...]    report suspicious spans without changing anything:
                      one JSON object per FILE on standard output,
                      {"file":..., "findings":[{"line":..., "begin":...,
                      "end":..., "chain":..., "repaired":...,
                      "confidence":...}]}; begin/end are byte offsets in
                      the line

Exit status:
  0  success
  1  some JSON Lines records were not valid JSON, not objects, or had no
     such string field; they were written unchanged and reported on
     standard error as "mojifix: line N: <reason>"
  2  usage or I/O error; an output file (-o, -i) is left as it was

Input that is not valid UTF-8 is fixed around the invalid bytes, which are
kept as they are (a warning names the first such line). With several FILEs,
messages name the file too: "mojifix: FILE: line N: ...". A FILE called
detect is given as ./detect.

Examples:
  mojifix < garbled.txt > fixed.txt
  mojifix --jsonl --field text -j 0 dump.jsonl -o fixed.jsonl
  mojifix -i notes/*.txt
  mojifix detect page.txt
)usage";

// Input bytes in flight across all threads (their output about doubles it).
constexpr std::size_t kInFlightBudget = std::size_t{32} << 20;
constexpr std::size_t kMinBlockSize = std::size_t{64} << 10;

struct settings {
  std::vector<std::string> files;
  std::string output;
  bool in_place = false;
  bool jsonl = false;
  bool explain = false;
  bool quiet = false;
  std::string field = "text";
  std::string script_name = "keep";
  int jobs = 1;
  std::size_t block_size = 0;
  bool detect = false;
  options opt;
};

// A progress line on a terminal for large inputs; silent otherwise.
class progress_meter {
 public:
  progress_meter(std::ostream& err, bool enabled, std::uint64_t total, std::uint64_t threshold)
      : err_(err), enabled_(enabled), total_(total), threshold_(threshold) {}

  void advance(std::size_t bytes) {
    done_ += bytes;
    if (!enabled_) return;
    if (total_ != 0 ? total_ < threshold_ : done_ < threshold_) return;
    const auto now = std::chrono::steady_clock::now();
    if (shown_ && now - last_ < std::chrono::milliseconds(250)) return;
    last_ = now;
    shown_ = true;
    err_ << "\rmojifix: " << (done_ >> 20) << " MB";
    if (total_ != 0) err_ << " of " << (total_ >> 20) << " MB (" << (done_ * 100 / total_) << "%)";
    err_ << "   " << std::flush;
  }

  void finish() {
    if (shown_) err_ << "\r\033[K" << std::flush;
    shown_ = false;
  }

 private:
  std::ostream& err_;
  bool enabled_;
  std::uint64_t total_;
  std::uint64_t threshold_;
  std::uint64_t done_ = 0;
  bool shown_ = false;
  std::chrono::steady_clock::time_point last_{};
};

// Shared by all inputs of one run.
struct run_state {
  const settings& s;
  std::ostream& err;
  progress_meter& progress;
  bool several_inputs = false;
  std::uint64_t bad_records = 0;
};

std::string input_label(const run_state& st, const std::string& name) {
  if (!st.several_inputs) return {};
  return (name == "-" ? std::string("<stdin>") : name) + ": ";
}

void report(std::ostream& err, std::string_view message) { err << "mojifix: " << message << '\n'; }

// Checks that a named input can be read before any output is made.
bool check_readable(const std::string& name, std::string& error) {
  if (name == "-") return true;
  std::error_code ec;
  if (std::filesystem::is_directory(name, ec)) {
    error = name + ": is a directory";
    return false;
  }
  struct stat st {};
  if (::stat(name.c_str(), &st) != 0) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    // Opening a pipe only to close it again would disturb its writer.
    if (::access(name.c_str(), R_OK) != 0) {
      error = "cannot read " + name + ": " + std::strerror(errno);
      return false;
    }
    return true;
  }
  std::ifstream probe(name, std::ios::binary);
  if (!probe) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return false;
  }
  return true;
}

bool is_regular_file(const std::string& name) {
  struct stat st {};
  return ::stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

std::uint64_t input_size(const std::string& name, const run_env& env) {
  if (name == "-") return env.stdin_size;
  struct stat st {};
  if (::stat(name.c_str(), &st) == 0 && S_ISREG(st.st_mode)) {
    return static_cast<std::uint64_t>(st.st_size);
  }
  return 0;
}

// Input bytes are taken to be UTF-8 text. Decoding bytes in other encodings
// (the --from option, with detection of the encoding) belongs here, before
// the lines reach fix_text, once the library offers it.
block_function make_fix_function(const settings& s) {
  if (s.jsonl) {
    record_config config;
    config.field = s.field;
    config.explain = s.explain;
    config.opt = s.opt;
    return [config](std::string_view block, std::uint64_t first_line, block_result& r) {
      r.text.reserve(block.size() + block.size() / 8);
      std::uint64_t line = first_line;
      std::string reason;
      for_each_line(block, [&](std::string_view record, std::string_view end) {
        if (fix_record(record, config, r.text, reason) == record_outcome::rejected) {
          ++r.bad_records;
          r.notes.push_back({line, reason});
        }
        r.text.append(end);
        ++line;
      });
    };
  }
  const options opt = s.opt;
  const bool explain = s.explain;
  return [opt, explain](std::string_view block, std::uint64_t first_line, block_result& r) {
    r.text.reserve(block.size() + block.size() / 8);
    std::uint64_t line = first_line;
    for_each_line(block, [&](std::string_view text, std::string_view end) {
      if (r.first_invalid_utf8 == 0 && !simdjson::validate_utf8(text.data(), text.size())) {
        r.first_invalid_utf8 = line;
      }
      if (explain) {
        fix_result fixed = fix_and_explain(text, opt);
        r.text += fixed.text;
        for (const step& st : fixed.steps) r.notes.push_back({line, describe_step(st)});
      } else {
        r.text += fix_text(text, opt);
      }
      r.text.append(end);
      ++line;
    });
  };
}

block_function make_detect_function(const settings& s) {
  const options opt = s.opt;
  return [opt](std::string_view block, std::uint64_t first_line, block_result& r) {
    std::uint64_t line = first_line;
    for_each_line(block, [&](std::string_view text, std::string_view) {
      if (r.first_invalid_utf8 == 0 && !simdjson::validate_utf8(text.data(), text.size())) {
        r.first_invalid_utf8 = line;
      }
      for (const finding& f : diagnose(text, opt)) {
        // Each finding starts with a comma; the writer drops the file's first.
        r.text += ",{\"line\":";
        r.text += std::to_string(line);
        r.text += ",\"begin\":";
        r.text += std::to_string(f.begin);
        r.text += ",\"end\":";
        r.text += std::to_string(f.end);
        r.text += ",\"chain\":";
        append_json_string(r.text, f.chain);
        r.text += ",\"repaired\":";
        append_json_string(r.text, f.repaired);
        r.text += ",\"confidence\":";
        append_json_number(r.text, f.confidence, 3);
        r.text += '}';
      }
      ++line;
    });
  };
}

// Runs one input through the pipeline into `dest`. False on an I/O error
// (already reported).
bool process_input(run_state& st, const std::string& name, std::istream& in, std::ostream& dest,
                   const block_function& fn, bool detect, const run_env& env) {
  const std::string label = input_label(st, name);
  bool warned_utf8 = false;
  bool first_finding = true;
  bool write_failed = false;

  const block_sink sink = [&](block_result& r, std::size_t bytes) {
    std::string_view text = r.text;
    if (detect && first_finding && !text.empty()) {
      text.remove_prefix(1);
      first_finding = false;
    }
    dest.write(text.data(), static_cast<std::streamsize>(text.size()));
    if (!dest) {
      write_failed = true;
      return false;
    }
    if (r.first_invalid_utf8 != 0 && !warned_utf8) {
      warned_utf8 = true;
      st.err << "mojifix: " << label << "line " << r.first_invalid_utf8
             << ": input is not valid UTF-8; the invalid bytes are kept as they are"
                " (warned once per input)\n";
    }
    for (const line_note& n : r.notes) {
      st.err << "mojifix: " << label << "line " << n.line << ": " << n.text << '\n';
    }
    st.bad_records += r.bad_records;
    st.progress.advance(bytes);
    return true;
  };

  pipeline_config pc;
  pc.jobs = st.s.jobs;
  pc.block_size = st.s.block_size != 0 ? st.s.block_size : env.block_size;
  if (st.s.block_size == 0) {
    // 2 x jobs blocks are in flight, each with its output: with many
    // threads, smaller blocks keep that within kInFlightBudget.
    const std::size_t per_block = kInFlightBudget / (2 * static_cast<std::size_t>(pc.jobs));
    pc.block_size = std::min(pc.block_size, std::max(per_block, kMinBlockSize));
    // Someone typing expects each line back when it is complete.
    if (name == "-" && env.in_is_terminal) pc.block_size = 1;
  }
  const pipeline_status status = run_pipeline(in, pc, fn, sink);
  if (status == pipeline_status::read_error) {
    report(st.err, "cannot read " + (name == "-" ? std::string("standard input") : name) + ": " +
                       std::strerror(errno ? errno : EIO));
    return false;
  }
  if (write_failed) {
    report(st.err, "cannot write the output");
    return false;
  }
  return status == pipeline_status::ok;
}

// Opens a named input or hands out standard input.
std::istream* open_input(const std::string& name, std::istream& stdin_stream,
                         std::unique_ptr<std::ifstream>& holder, std::string& error) {
  if (name == "-") return &stdin_stream;
  holder = std::make_unique<std::ifstream>(name, std::ios::binary);
  if (!*holder) {
    error = "cannot read " + name + ": " + std::strerror(errno);
    return nullptr;
  }
  return holder.get();
}

int run_detect(run_state& st, std::istream& in, std::ostream& out, const run_env& env) {
  const block_function fn = make_detect_function(st.s);
  for (const std::string& name : st.s.files) {
    std::unique_ptr<std::ifstream> holder;
    std::string error;
    std::istream* input = open_input(name, in, holder, error);
    if (input == nullptr) {
      report(st.err, error);
      return kExitError;
    }
    std::string head = "{\"file\":";
    append_json_string(head, name);
    // Encoding detection of the raw bytes (detect_encoding, when the library
    // offers it) adds an "encoding" member here, before the findings.
    head += ",\"findings\":[";
    out << head;
    if (!process_input(st, name, *input, out, fn, true, env)) return kExitError;
    out << "]}\n";
    if (!out) {
      report(st.err, "cannot write the output");
      return kExitError;
    }
  }
  return kExitOk;
}

int run_fix(run_state& st, std::istream& in, std::ostream& out, const run_env& env) {
  const block_function fn = make_fix_function(st.s);

  if (st.s.in_place) {
    for (const std::string& name : st.s.files) {
      std::unique_ptr<std::ifstream> holder;
      std::string error;
      std::istream* input = open_input(name, in, holder, error);
      if (input == nullptr) {
        report(st.err, error);
        return kExitError;
      }
      atomic_file target;
      if (!target.open(name, error)) {
        report(st.err, error);
        return kExitError;
      }
      if (!process_input(st, name, *input, target.stream(), fn, false, env)) return kExitError;
      holder.reset();
      if (!target.commit(error)) {
        report(st.err, error);
        return kExitError;
      }
    }
    return kExitOk;
  }

  atomic_file file;
  std::ostream* dest = &out;
  if (!st.s.output.empty()) {
    std::string error;
    if (!file.open(st.s.output, error)) {
      report(st.err, error);
      return kExitError;
    }
    dest = &file.stream();
  }
  for (const std::string& name : st.s.files) {
    std::unique_ptr<std::ifstream> holder;
    std::string error;
    std::istream* input = open_input(name, in, holder, error);
    if (input == nullptr) {
      report(st.err, error);
      return kExitError;  // the temporary output file is removed
    }
    if (!process_input(st, name, *input, *dest, fn, false, env)) return kExitError;
  }
  if (!st.s.output.empty()) {
    std::string error;
    if (!file.commit(error)) {
      report(st.err, error);
      return kExitError;
    }
  } else {
    dest->flush();
    if (!*dest) {
      report(st.err, "cannot write standard output");
      return kExitError;
    }
  }
  return kExitOk;
}

// Parses the arguments. Returns an exit status when the run ends here.
std::optional<int> parse_args(std::span<const std::string_view> args, settings& s,
                              std::ostream& out, std::ostream& err) {
  CLI::App app{"Repairs mojibake in UTF-8 text.", "mojifix"};
  app.set_help_flag();  // the help is our own text, printed below
  bool help = false;
  bool version = false;
  app.add_flag("-h,--help", help);
  app.add_flag("--version", version);
  app.add_option("FILE", s.files);
  app.add_option("-o,--output", s.output);
  app.add_flag("-i,--in-place", s.in_place);
  auto* jsonl = app.add_flag("--jsonl", s.jsonl);
  app.add_option("--field", s.field)->needs(jsonl);
  app.add_option("--script", s.script_name)
      ->check(CLI::IsMember({"keep", "simplified", "traditional", "taiwan", "hongkong"}));
  app.add_flag("--explain", s.explain);
  app.add_option("-j,--jobs", s.jobs)->check(CLI::Range(0, 256));
  app.add_flag("-q,--quiet", s.quiet);
  // For tests and measurements: bytes of whole lines per block.
  app.add_option("--block-size", s.block_size)->check(CLI::Range(1, 1 << 30))->group("");
  auto* detect = app.add_subcommand("detect");
  detect->set_help_flag();
  detect->add_flag("-h,--help", help);
  detect->add_option("FILE", s.files);
  detect->fallthrough();

  std::vector<std::string> reversed(args.rbegin(), args.rend());
  try {
    app.parse(reversed);
  } catch (const CLI::ParseError& e) {
    std::string message = e.what();
    if (message.empty()) message = e.get_name();
    report(err, message);
    err << "Try 'mojifix --help' for more information.\n";
    return kExitError;
  }
  if (help) {
    out << kUsage;
    return kExitOk;
  }
  if (version) {
    out << "mojifix " << kVersion << '\n';
    return kExitOk;
  }
  s.detect = detect->parsed();
  return std::nullopt;
}

// Checks the combinations CLI11 cannot express. Returns a message on error.
std::optional<std::string> check_settings(settings& s) {
  if (s.files.empty()) s.files.emplace_back("-");
  if (s.output == "-") s.output.clear();  // "-o -" is standard output
  if (s.field.empty()) return "--field needs a field name";
  if (s.in_place) {
    if (!s.output.empty()) return "-i and -o cannot be used together";
    if (s.detect) return "detect does not change files; -i cannot be used with it";
    for (const auto& f : s.files) {
      if (f == "-") return "-i needs FILE arguments; it cannot rewrite standard input";
    }
    std::vector<std::string> sorted = s.files;
    std::sort(sorted.begin(), sorted.end());
    if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end()) {
      return "-i was given the same FILE twice";
    }
  }
  if (s.detect && (s.jsonl || s.explain || !s.output.empty())) {
    return "detect takes no --jsonl, --explain or -o";
  }
  if (s.jobs == 0) s.jobs = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));

  script target = script::keep;
  if (!parse_script(s.script_name, target)) return "unknown --script " + s.script_name;
  s.opt.script = target;
  if (target != script::keep) {
    // Ask the library: it reports unsupported_option for what it cannot do.
    const fix_result probe =
        fix_and_explain("\xC3\xA6\xCB\x86\xE2\x80\x98 \xE4\xB8\xAD\xE6\x96\x87", s.opt);
    if (probe.error == error::unsupported_option) {
      return "--script " + s.script_name +
             " is not available in this version of mojifix (only keep is)";
    }
  }
  return std::nullopt;
}

}  // namespace

std::string_view usage_text() noexcept { return kUsage; }

int run(std::span<const std::string_view> args, std::istream& in, std::ostream& out,
        std::ostream& err, const run_env& env) {
  try {
    settings s;
    if (auto status = parse_args(args, s, out, err)) return *status;
    if (auto problem = check_settings(s)) {
      report(err, *problem);
      return kExitError;
    }
    // Every input must be readable before any output is made.
    std::uint64_t total = 0;
    for (const auto& name : s.files) {
      std::string error;
      if (!check_readable(name, error)) {
        report(err, error);
        return kExitError;
      }
      if (s.in_place && !is_regular_file(name)) {
        report(err, name + ": -i rewrites regular files only");
        return kExitError;
      }
      const std::uint64_t size = input_size(name, env);
      total = (size == 0 || total == UINT64_MAX) ? UINT64_MAX : total + size;
    }
    if (total == UINT64_MAX) total = 0;  // unknown: show progress by bytes read

    progress_meter progress(err, env.err_is_terminal && !s.quiet, total, env.progress_threshold);
    run_state st{s, err, progress};
    st.several_inputs = s.files.size() > 1;
    const int status = s.detect ? run_detect(st, in, out, env) : run_fix(st, in, out, env);
    progress.finish();
    if (status != kExitOk) return status;
    return st.bad_records != 0 ? kExitBadRecords : kExitOk;
  } catch (const std::exception& e) {
    report(err, std::string("unexpected error: ") + e.what());
    return kExitError;
  } catch (...) {
    report(err, "unexpected error");
    return kExitError;
  }
}

}  // namespace mojifix::cli
