#include "cli/cli.hpp"

#include <simdjson.h>
#include <sys/stat.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "cli/atomic_file.hpp"
#include "cli/block_pipeline.hpp"
#include "cli/decoding_input.hpp"
#include "cli/json_text.hpp"
#include "cli/record.hpp"
#include "mojifix/mojifix.hpp"
#include "mojifix/script.hpp"

namespace mojifix::cli {
namespace {

constexpr std::string_view kUsage =
    R"usage(Usage: mojifix [OPTIONS] [FILE...]
       mojifix detect [FILE...]

Repairs mojibake (text damaged by decoding bytes with the wrong encoding).
Reads the FILEs, or standard input when there is none or FILE is "-", in
any encoding it can detect or is told (--from), and writes the fixed text
as UTF-8 to standard output. Each line is fixed on its
own; the number of lines and every line end (\n, \r\n, a missing final
newline) are kept byte for byte. Clean text comes back unchanged.

Options:
  -o, --output FILE   write to FILE instead of standard output ("-"); FILE
                      is replaced atomically once everything was written
  -i, --in-place      rewrite each FILE atomically (not with standard input)
      --from ENCODING the encoding of the input bytes: auto (default) or a
                      name such as utf-8, gbk, gb18030, big5, shift_jis,
                      euc-jp, euc-kr, utf-16le, windows-1252, koi8-r. The
                      output is always UTF-8. auto detects the encoding of
                      each input from its first 64 KB: valid UTF-8 goes
                      through unchanged (clean text byte for byte), and a
                      line that is not valid UTF-8 is decoded on its own
                      (islands of GBK, Big5, Shift_JIS, cp1252 ... each by
                      its own best guess); other encodings are decoded
                      line by line, keeping lines that are valid UTF-8
      --jsonl         the input is JSON Lines: fix one string field of each
                      record and keep every other byte of the record
      --field NAME    the top-level field to fix with --jsonl (default: text)
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

Repair and the fixers (every option of the library; the defaults are
conservative). Each switch below also has its opposite form (--X and
--no-X), so a command line means the same whatever the defaults:
      --no-repair-encoding       do not undo wrong-decoding layers
      --max-layers N             most layers undone in one span, 1-3 (3)
      --margin X                 how much the model must prefer a repair;
                                 higher is more cautious (1.0)
      --no-entities-around-mojibake
                                 do not decode HTML entities that wrap
                                 mojibake
      --no-recover-lossy         leave U+FFFD and '?' gaps in mojibake as
                                 they are instead of rebuilding them
      --drop-lost                remove U+FFFD (and 锟斤拷-like runs) that
                                 stand for bytes lost for good
      --script NAME              keep|simplified|traditional|taiwan|
                                 hongkong (keep: a mixed text is unified to
                                 its dominant script)
      --no-remove-readings       keep readings inserted after Han
                                 characters (網(wǎng), 漢字(かんじ))
      --html-entities MODE       never|outside-markup|always
                                 (outside-markup: only in text without tags)
      --no-fix-c1-controls       keep C1 controls that stand for
                                 windows-1252 characters
      --no-fix-surrogates        keep lone surrogates (CESU-8/WTF-8 bytes)
      --no-remove-terminal-escapes
                                 keep ANSI terminal escape sequences
      --no-remove-control-chars  keep control characters
      --no-fix-latin-ligatures   keep ﬁ, ﬂ ...
      --no-fix-width             keep fullwidth Latin and halfwidth kana
      --fix-line-breaks          a lone CR, U+2028, U+2029 and NEL inside a
                                 line become line feeds (line ends between
                                 lines are always kept as they are)
      --uncurl-quotes            curly quotes become straight quotes
      --no-remove-bom            keep byte-order marks in the text
      --remove-zero-width        remove zero-width spaces and joiners
      --no-fix-dakuten           keep spacing dakuten (か゛)
      --no-fix-cjk-compatibility keep Kangxi radicals and compatibility
                                 ideographs
      --no-compose-jamo          keep EUC-KR's eight-byte syllables as four
                                 jamo (ㅤㄸㅗㅁ)
      --restore-cjk-punct        ASCII , : ; ! ? ( ) between CJK characters
                                 become fullwidth punctuation
      --normalization FORM       none|nfc|nfkc (nfc)

Commands:
  detect [FILE...]    report the encoding and suspicious spans without
                      changing anything: one JSON object per FILE on
                      standard output,
                        {"file":..., "encoding":"gbk", "confidence":0.99,
                         "alternatives":[{"encoding":..., "confidence":...}],
                         "bom":false, "mixed":false,
                         "findings":[{"line":..., "begin":..., "end":...,
                           "chain":..., "repaired":..., "confidence":...}],
                         "islands":[{"line":..., "begin":..., "end":...,
                           "encoding":...}],
                         "script":{"verdict":..., "han":...,
                           "simplified_evidence":...,
                           "traditional_evidence":..., "kana":...}}
                      The encoding is detected from the first 64 KB (or
                      given with --from: confidence is then null);
                      findings are in the decoded text, begin/end byte
                      offsets in the line; islands are lines or stretches
                      of another encoding in UTF-8 (bytes of the input
                      line); "mixed" input is mostly UTF-8 with such
                      islands ("island_encoding" names their most likely
                      encoding); script is the Chinese script verdict of
                      the decoded text

Exit status:
  0  success
  1  some JSON Lines records were not valid JSON, not objects, or had no
     such string field; they were written unchanged and reported on
     standard error as "mojifix: line N: <reason>"
  2  usage or I/O error; an output file (-o, -i) is left as it was

With --from utf-8, input that is not valid UTF-8 is fixed around the
invalid bytes, which are kept as they are (a warning names the first such
line). Bytes that are not characters of the encoding become U+FFFD. With
--jsonl, records that are not valid UTF-8 are not decoded on their own. With several FILEs,
messages name the file too: "mojifix: FILE: line N: ...". A FILE called
detect is given as ./detect.

Examples:
  mojifix < garbled.txt > fixed.txt
  mojifix --jsonl --field text -j 0 dump.jsonl -o fixed.jsonl
  mojifix -i notes/*.txt
  mojifix --from gbk old.txt > new.txt
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
  std::string from = "auto";
  std::string entities_name = "outside-markup";
  std::string normalization_name = "nfc";
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

// What the block functions need to know about the input being processed;
// set before each input (blocks of one input only are in flight).
struct input_context {
  bool utf8_lines = false;  // decode lines that are not valid UTF-8 on their own
  std::string island_hint;  // the islands' likely encoding, from detection
  // detect: the script evidence of the decoded text, from every thread.
  std::atomic<std::uint64_t> han{0};
  std::atomic<std::uint64_t> simplified{0};
  std::atomic<std::uint64_t> traditional{0};
  std::atomic<std::uint64_t> kana{0};
};

bool is_decoding_step(const step& st) {
  const std::string_view c = st.chain;
  return c.ends_with(" island") || c.starts_with("line decoded as ") || c.starts_with("decode ") ||
         c == "undecodable bytes" || c.ends_with(" byte-swapped") || c == "utf-8 bom read as gbk" ||
         c.ends_with(" 0x5c escaped");
}

// A step of decode(): its `before` holds input bytes, not necessarily UTF-8.
std::string describe_any_step(const step& st) {
  if (!is_decoding_step(st)) return describe_step(st);
  std::string d =
      "bytes " + std::to_string(st.begin) + "-" + std::to_string(st.end) + ": " + st.chain + ": ";
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string hex;
  for (std::size_t i = 0; i < st.before.size() && i < 64; ++i) {
    const auto b = static_cast<unsigned char>(st.before[i]);
    if (!hex.empty()) hex += ' ';
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  if (st.before.size() > 64) hex += " ...";
  d += hex + " \u2192 ";
  append_json_string(d, st.after);
  return d;
}

// Options that leave decoded text as it is (detect reports, it does not fix).
options report_only(options opt) {
  opt.repair_encoding = false;
  opt.recover_lossy = false;
  opt.drop_lost = false;
  opt.script = script::keep;
  opt.remove_readings = false;
  opt.html_entities = entity_mode::never;
  opt.entities_around_mojibake = false;
  opt.fix_c1_controls = opt.fix_surrogates = opt.remove_terminal_escapes = false;
  opt.remove_control_chars = opt.fix_latin_ligatures = opt.fix_width = false;
  opt.fix_line_breaks = opt.uncurl_quotes = opt.remove_bom = opt.remove_zero_width = false;
  opt.fix_dakuten = opt.fix_cjk_compatibility = opt.restore_cjk_punct = false;
  opt.compose_jamo = false;
  opt.normalization = normal_form::none;
  return opt;
}

decode_options line_decoding(const input_context& ctx) {
  decode_options how;
  how.hints.declared = ctx.island_hint;
  return how;
}

// Lines reach the fixers as UTF-8: input in another encoding was decoded
// by the input stream (decoding_buf); in UTF-8 input, a line that is not
// valid UTF-8 is decoded here on its own (auto), or fixed around its
// invalid bytes (--from utf-8).
block_function make_fix_function(const settings& s, std::shared_ptr<input_context> ctx) {
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
  return [opt, explain, ctx](std::string_view block, std::uint64_t first_line, block_result& r) {
    r.text.reserve(block.size() + block.size() / 8);
    // Lossy recovery of a line weighs what the lines around it write out.
    const context around(block);
    std::uint64_t line = first_line;
    for_each_line(block, [&](std::string_view text, std::string_view end) {
      const bool valid = simdjson::validate_utf8(text.data(), text.size());
      if (!valid && ctx->utf8_lines) {
        fix_result fixed = decode(text, opt, line_decoding(*ctx));
        r.text += fixed.text;
        if (explain) {
          for (const step& st : fixed.steps) r.notes.push_back({line, describe_any_step(st)});
        }
      } else {
        if (!valid && r.first_invalid_utf8 == 0) r.first_invalid_utf8 = line;
        if (explain) {
          fix_result fixed = fix_and_explain(text, opt, around);
          r.text += fixed.text;
          for (const step& st : fixed.steps) r.notes.push_back({line, describe_step(st)});
        } else {
          r.text += fix_text(text, opt, around);
        }
      }
      r.text.append(end);
      ++line;
    });
  };
}

// detect: findings go to r.text (each starting with a comma), islands to
// r.notes as JSON objects (the sink gathers them).
block_function make_detect_function(const settings& s, std::shared_ptr<input_context> ctx) {
  const options opt = s.opt;
  const options raw = report_only(s.opt);
  return [opt, raw, ctx](std::string_view block, std::uint64_t first_line, block_result& r) {
    std::uint64_t line = first_line;
    std::uint64_t han = 0, simplified = 0, traditional = 0, kana = 0;
    for_each_line(block, [&](std::string_view text, std::string_view) {
      std::string decoded;
      if (!simdjson::validate_utf8(text.data(), text.size())) {
        if (ctx->utf8_lines) {
          fix_result d = decode(text, raw, line_decoding(*ctx));
          for (const step& st : d.steps) {
            if (!st.chain.ends_with(" island") && !st.chain.starts_with("line decoded as "))
              continue;
            std::string j = "{\"line\":" + std::to_string(line) +
                            ",\"begin\":" + std::to_string(st.begin) +
                            ",\"end\":" + std::to_string(st.end) + ",\"encoding\":";
            std::string_view enc = st.chain;
            if (enc.ends_with(" island")) enc.remove_suffix(7);
            if (enc.starts_with("line decoded as ")) enc.remove_prefix(16);
            append_json_string(j, enc);
            j += '}';
            r.notes.push_back({line, std::move(j)});
          }
          decoded = std::move(d.text);
          text = decoded;
        } else if (r.first_invalid_utf8 == 0) {
          r.first_invalid_utf8 = line;
        }
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
      const script_report sr = classify_script(text);
      han += sr.counts.han;
      simplified += sr.counts.simplified_evidence;
      traditional += sr.counts.traditional_evidence;
      kana += sr.counts.kana;
      ++line;
    });
    ctx->han += han;
    ctx->simplified += simplified;
    ctx->traditional += traditional;
    ctx->kana += kana;
  };
}

// Islands listed by detect, at most this many per input.
constexpr std::size_t kMaxIslands = 1000;

// Runs one input through the pipeline into `dest`. False on an I/O error
// (already reported). The encoding of the input is decided here from its
// first bytes; `reading` tells the caller what was decided.
bool process_input(run_state& st, const std::string& name, std::istream& raw_in, std::ostream& dest,
                   const block_function& fn, bool detect, const run_env& env, input_context& ctx,
                   std::string* islands,
                   const std::function<void(const input_reading&)>& on_reading) {
  const std::string label = input_label(st, name);
  bool warned_utf8 = false;
  bool first_finding = true;
  bool write_failed = false;
  std::size_t island_count = 0;

  std::string prefix;
  const bool at_terminal = name == "-" && env.in_is_terminal;
  if (!at_terminal && !read_prefix(raw_in, prefix)) {
    report(st.err, "cannot read " + (name == "-" ? std::string("standard input") : name) + ": " +
                       std::strerror(errno ? errno : EIO));
    return false;
  }
  const input_reading reading = choose_reading(prefix, st.s.from, at_terminal);
  if (on_reading) on_reading(reading);
  ctx.utf8_lines = reading.utf8_lines;
  ctx.island_hint = reading.found.mixed ? reading.found.island_encoding : std::string();
  ctx.han = ctx.simplified = ctx.traditional = ctx.kana = 0;
  std::unique_ptr<stream_decoder> decoder;
  if (reading.transcode) {
    decoder = std::make_unique<stream_decoder>(reading.decoder, reading.per_line);
    prefix.erase(0, std::min(prefix.size(), reading.skip));
  }
  if (detect && islands != nullptr) islands->clear();
  decoding_buf buf(raw_in, std::move(prefix), std::move(decoder));
  std::istream in(&buf);

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
      if (detect) {
        if (islands != nullptr && island_count++ < kMaxIslands) {
          if (!islands->empty()) *islands += ',';
          *islands += n.text;
        }
        continue;
      }
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
    if (at_terminal) pc.block_size = 1;
  }
  const pipeline_status status = run_pipeline(in, pc, fn, sink);
  if (status == pipeline_status::read_error || buf.failed()) {
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

void append_detection(std::string& j, const input_reading& r) {
  const detection& d = r.found;
  j += ",\"encoding\":";
  if (!r.detected) {
    // Given with --from (or standard input on a terminal): not detected.
    append_json_string(j, r.transcode ? r.decoder : std::string("utf-8"));
    j += ",\"confidence\":null,\"alternatives\":[],\"bom\":false,\"mixed\":false";
    return;
  }
  append_json_string(j, d.encoding);
  j += ",\"confidence\":";
  append_json_number(j, d.confidence, 3);
  j += ",\"alternatives\":[";
  for (std::size_t k = 0; k < d.alternatives.size(); ++k) {
    if (k != 0) j += ',';
    j += "{\"encoding\":";
    append_json_string(j, d.alternatives[k].name);
    j += ",\"confidence\":";
    append_json_number(j, d.alternatives[k].confidence, 3);
    j += '}';
  }
  j += "],\"bom\":";
  j += d.bom ? "true" : "false";
  j += ",\"mixed\":";
  j += d.mixed ? "true" : "false";
  if (d.mixed) {
    j += ",\"island_encoding\":";
    append_json_string(j, d.island_encoding);
  }
}

std::string script_json(const input_context& ctx) {
  const std::uint64_t han = ctx.han, simp = ctx.simplified, trad = ctx.traditional, kana = ctx.kana;
  script_verdict v = script_verdict::undetermined;
  if (han != 0 && kana == 0) {
    if (simp != 0 && trad != 0) {
      v = script_verdict::mixed;
    } else if (simp != 0) {
      v = script_verdict::simplified;
    } else if (trad != 0) {
      v = script_verdict::traditional;
    }
  }
  std::string j = "{\"verdict\":";
  append_json_string(j, to_string(v));
  j += ",\"han\":" + std::to_string(han) + ",\"simplified_evidence\":" + std::to_string(simp) +
       ",\"traditional_evidence\":" + std::to_string(trad) + ",\"kana\":" + std::to_string(kana) +
       '}';
  return j;
}

int run_detect(run_state& st, std::istream& in, std::ostream& out, const run_env& env) {
  auto ctx = std::make_shared<input_context>();
  const block_function fn = make_detect_function(st.s, ctx);
  for (const std::string& name : st.s.files) {
    std::unique_ptr<std::ifstream> holder;
    std::string error;
    std::istream* input = open_input(name, in, holder, error);
    if (input == nullptr) {
      report(st.err, error);
      return kExitError;
    }
    std::string islands;
    const auto head = [&](const input_reading& r) {
      std::string j = "{\"file\":";
      append_json_string(j, name);
      append_detection(j, r);
      j += ",\"findings\":[";
      out << j;
    };
    if (!process_input(st, name, *input, out, fn, true, env, *ctx, &islands, head)) {
      return kExitError;
    }
    out << "],\"islands\":[" << islands << "],\"script\":" << script_json(*ctx) << "}\n";
    if (!out) {
      report(st.err, "cannot write the output");
      return kExitError;
    }
  }
  return kExitOk;
}

int run_fix(run_state& st, std::istream& in, std::ostream& out, const run_env& env) {
  auto ctx = std::make_shared<input_context>();
  const block_function fn = make_fix_function(st.s, ctx);

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
      if (!process_input(st, name, *input, target.stream(), fn, false, env, *ctx, nullptr, {}))
        return kExitError;
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
    if (!process_input(st, name, *input, *dest, fn, false, env, *ctx, nullptr, {}))
      return kExitError;
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
  app.add_option("--from", s.from);
  // The library's options: each switch as --<field> and --no-<field>, so a
  // command line means the same whatever the defaults; --<field> VALUE for
  // the others.
  options& o = s.opt;
  auto both = [&](const std::string& name, bool& field) {
    app.add_flag_function("--" + name, [&field](std::int64_t) { field = true; });
    app.add_flag_function("--no-" + name, [&field](std::int64_t) { field = false; });
  };
  both("repair-encoding", o.repair_encoding);
  app.add_option("--max-layers", o.max_layers)->check(CLI::Range(1, 3));
  app.add_option("--margin", o.margin)->check(CLI::Range(0.0, 1000.0));
  both("entities-around-mojibake", o.entities_around_mojibake);
  both("recover-lossy", o.recover_lossy);
  both("drop-lost", o.drop_lost);
  both("remove-readings", o.remove_readings);
  app.add_option("--html-entities", s.entities_name)
      ->check(CLI::IsMember({"never", "outside-markup", "always"}));
  both("fix-c1-controls", o.fix_c1_controls);
  both("fix-surrogates", o.fix_surrogates);
  both("remove-terminal-escapes", o.remove_terminal_escapes);
  both("remove-control-chars", o.remove_control_chars);
  both("fix-latin-ligatures", o.fix_latin_ligatures);
  both("fix-width", o.fix_width);
  both("fix-line-breaks", o.fix_line_breaks);
  both("uncurl-quotes", o.uncurl_quotes);
  both("remove-bom", o.remove_bom);
  both("remove-zero-width", o.remove_zero_width);
  both("fix-dakuten", o.fix_dakuten);
  both("fix-cjk-compatibility", o.fix_cjk_compatibility);
  both("compose-jamo", o.compose_jamo);
  both("restore-cjk-punct", o.restore_cjk_punct);
  app.add_option("--normalization", s.normalization_name)
      ->check(CLI::IsMember({"none", "nfc", "nfkc"}));
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
  s.opt.html_entities = s.entities_name == "never"    ? entity_mode::never
                        : s.entities_name == "always" ? entity_mode::always
                                                      : entity_mode::outside_markup;
  s.opt.normalization = s.normalization_name == "none"   ? normal_form::none
                        : s.normalization_name == "nfkc" ? normal_form::nfkc
                                                         : normal_form::nfc;
  if (s.from.empty()) return "--from needs an encoding name or auto";
  if (s.from != "auto" && !stream_decoder(s.from).ok()) {
    return "unknown --from encoding " + s.from + " (try auto, utf-8, gbk, big5, shift_jis, ...)";
  }
  // Ask the library: it reports unsupported_option for what it cannot do.
  const fix_result probe =
      fix_and_explain("\xC3\xA6\xCB\x86\xE2\x80\x98 \xE4\xB8\xAD\xE6\x96\x87", s.opt);
  if (probe.error == error::unsupported_option) {
    return "these options are not available in this version of mojifix (--script " + s.script_name +
           ")";
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
