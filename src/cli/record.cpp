#include "cli/record.hpp"

#include <simdjson.h>

#include "cli/json_text.hpp"

namespace mojifix::cli {
namespace {

// Records up to this size leave the parser's buffers in place for the next.
constexpr std::size_t kKeepParserBuffersUpTo = std::size_t{8} << 20;

bool is_blank(std::string_view s) {
  return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

std::string json_quoted(std::string_view field) {
  std::string q;
  append_json_string(q, field);
  return q;
}

struct edit {
  std::size_t begin, end;
  std::string replacement;
};

}  // namespace

void append_steps_json(std::string& out, const std::vector<step>& steps) {
  out += '[';
  bool first = true;
  for (const step& s : steps) {
    if (!first) out += ',';
    first = false;
    out += "{\"begin\":";
    out += std::to_string(s.begin);
    out += ",\"end\":";
    out += std::to_string(s.end);
    out += ",\"chain\":";
    append_json_string(out, s.chain);
    out += ",\"before\":";
    append_json_string(out, s.before);
    out += ",\"after\":";
    append_json_string(out, s.after);
    out += ",\"cost_before\":";
    append_json_number(out, s.cost_before, 2);
    out += ",\"cost_after\":";
    append_json_number(out, s.cost_after, 2);
    out += '}';
  }
  out += ']';
}

std::string describe_step(const step& s) {
  std::string d = "bytes " + std::to_string(s.begin) + "-" + std::to_string(s.end) + ": ";
  d += s.chain.empty() ? std::string("repair") : s.chain;
  d += ": ";
  append_json_string(d, s.before);
  d += " \u2192 ";
  append_json_string(d, s.after);
  d += " (cost ";
  append_json_number(d, s.cost_before, 2);
  d += " \u2192 ";
  append_json_number(d, s.cost_after, 2);
  d += " bits)";
  return d;
}

record_outcome fix_record(std::string_view record, const record_config& config, std::string& out,
                          std::string& reason) {
  // A byte order mark (first line of files saved by some editors) is kept
  // as it is and the record after it is read as usual.
  constexpr std::string_view kBom = "\xEF\xBB\xBF";
  if (record.starts_with(kBom)) {
    out.append(kBom);
    record.remove_prefix(kBom.size());
  }
  if (is_blank(record)) {
    out.append(record);
    return record_outcome::blank;
  }
  // simdjson reads a little past the end of its input: give it padding.
  thread_local simdjson::dom::parser parser;
  thread_local std::string padded;
  padded.assign(record);
  padded.append(simdjson::SIMDJSON_PADDING, '\0');

  const auto reject = [&](std::string why) {
    reason = std::move(why);
    out.append(record);
    return record_outcome::rejected;
  };

  simdjson::dom::element root;
  const auto err = parser.parse(padded.data(), record.size(), false).get(root);
  const bool is_object = !err && root.is_object();
  if (record.size() > kKeepParserBuffersUpTo) {
    // A huge record: give its buffers back rather than keep them per thread.
    parser = simdjson::dom::parser{};
    std::string().swap(padded);
  }
  if (err) return reject(std::string("not valid JSON (") + simdjson::error_message(err) + ")");
  if (!is_object) return reject("not a JSON object");

  // The parse proved the record well formed; now find the field's bytes.
  const object_layout layout = locate_members(record, config.field);
  if (layout.members.empty()) return reject("no " + json_quoted(config.field) + " field");

  std::vector<edit> edits;
  std::vector<step> steps;
  std::string value;
  bool any_string = false;
  for (const json_member& m : layout.members) {
    if (!m.is_string) continue;
    any_string = true;
    const std::string_view raw = record.substr(m.value_begin + 1, m.value_end - m.value_begin - 2);
    if (!json_unescape(raw, value)) {
      return reject("field " + json_quoted(config.field) +
                    " holds an escape that cannot be decoded");
    }
    std::string fixed;
    if (config.explain) {
      fix_result r = fix_and_explain(value, config.opt);
      fixed = std::move(r.text);
      if (fixed != value) {
        for (step& s : r.steps) steps.push_back(std::move(s));
      }
    } else {
      fixed = fix_text(value, config.opt);
    }
    if (fixed == value) continue;
    // The fixed text must stay valid JSON text; keep the field otherwise.
    if (!simdjson::validate_utf8(fixed)) continue;
    edit e{m.value_begin, m.value_end, "\""};
    append_json_escaped(e.replacement, fixed);
    e.replacement += '"';
    edits.push_back(std::move(e));
  }
  if (!any_string) return reject("field " + json_quoted(config.field) + " is not a string");
  if (edits.empty()) {
    out.append(record);
    return record_outcome::unchanged;
  }

  std::size_t pos = 0;
  for (const edit& e : edits) {
    out.append(record.substr(pos, e.begin - pos));
    out += e.replacement;
    pos = e.end;
  }
  if (config.explain && !steps.empty()) {
    out.append(record.substr(pos, layout.closing_brace - pos));
    out += ",\"mojifix\":";
    append_steps_json(out, steps);
    pos = layout.closing_brace;
  }
  out.append(record.substr(pos));
  return record_outcome::fixed;
}

}  // namespace mojifix::cli
