#include "json_reader.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sl {

namespace {
const nlohmann::json kEmptyObject = nlohmann::json::object();

/// Bytes in the UTF-8 sequence starting at text[i], or 0 if it is not a valid one.
size_t utf8Sequence(const std::string& text, size_t i, uint32_t& cp) {
  const auto b = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char c = b(i);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  const size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || i + n > text.size()) return 0;
  cp = c & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((b(i + k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(i + k) & 0x3F);
  }
  // Overlong forms, surrogates and values past U+10FFFF are not valid UTF-8.
  const uint32_t min = n == 2 ? 0x80 : n == 3 ? 0x800 : 0x10000;
  if (cp < min || (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) return 0;
  return n;
}

const char kHex[] = "0123456789abcdef";

/// \uXXXX for a code point below U+10000.
std::string unicodeEscape(uint32_t cp) {
  std::string e = "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) e += kHex[(cp >> shift) & 0xF];
  return e;
}

/// Builds the document from nlohmann's SAX events in one pass, refusing an object that
/// repeats a key (nlohmann's own parser keeps the last value silently, and its callback
/// parser rescans the parent container at every close: quadratic, seconds in WebAssembly for
/// 10000 timeline actions). On failure `error` says where; byte offsets count from 0.
class DocumentBuilder : public nlohmann::json_sax<nlohmann::json> {
 public:
  using json = nlohmann::json;
  explicit DocumentBuilder(json& root) : root_(root) {}

  InputError error;

  bool null() override { return add(nullptr) != nullptr; }
  bool boolean(bool v) override { return add(v) != nullptr; }
  bool number_integer(number_integer_t v) override { return add(v) != nullptr; }
  bool number_unsigned(number_unsigned_t v) override { return add(v) != nullptr; }
  bool number_float(number_float_t v, const string_t&) override { return add(v) != nullptr; }
  bool string(string_t& v) override { return add(std::move(v)) != nullptr; }
  bool binary(binary_t&) override { return false; }  // never produced from JSON text
  bool start_object(std::size_t) override { return open(add(json::object())); }
  bool start_array(std::size_t) override { return open(add(json::array())); }
  bool end_object() override { return close(); }
  bool end_array() override { return close(); }

  bool key(string_t& k) override {
    if (open_.back()->contains(k)) {
      error = {pathHere() + "." + printable(k, 60), "appears twice in the same object (a key may appear once)", ""};
      return false;
    }
    key_ = std::move(k);
    return true;
  }

  bool parse_error(std::size_t p, const std::string&, const nlohmann::detail::exception& e) override {
    // p counts the bytes read, the offending one included.
    pos_ = p > 0 ? p - 1 : 0;
    trailing_ = std::string(e.what()).find("; expected end of input") != std::string::npos;
    return false;
  }

  /// The syntax error, once parse_error() was called for `text`.
  InputError syntaxError(const std::string& text) const {
    const size_t pos = std::min(pos_, text.size());
    const std::string at = " at byte " + std::to_string(pos) + ")";
    const std::string got = pos < text.size() ? printable(text.substr(pos, 40), 30) : "end of input";
    if (trailing_) return {"$", "not valid JSON (text after the end of the document" + at, got};
    return {"$", "not valid JSON (syntax error" + at, got};
  }

 private:
  /// Places a value in the open container (or as the root); returns where it now lives.
  json* add(json&& v) {
    if (open_.empty()) {
      root_ = std::move(v);
      segment_ = "$";
      return &root_;
    }
    json& parent = *open_.back();
    if (parent.is_array()) {
      segment_ = "[" + std::to_string(parent.size()) + "]";
      parent.push_back(std::move(v));
      return &parent.back();
    }
    segment_ = "." + printable(key_, 60);
    json& slot = parent[key_];
    slot = std::move(v);
    return &slot;
  }
  // A container's address stays valid while it is open: its parent takes no new element
  // until it closes.
  bool open(json* container) {
    open_.push_back(container);
    path_.push_back(segment_);
    return true;
  }
  bool close() {
    open_.pop_back();
    path_.pop_back();
    return true;
  }
  std::string pathHere() const {
    std::string p;
    for (const std::string& s : path_) p += s;
    return p;
  }

  json& root_;
  std::vector<json*> open_;
  std::vector<std::string> path_;  // how each open container is reached from its parent
  std::string segment_, key_;
  size_t pos_ = 0;
  bool trailing_ = false;
};

/// Refuses what must be refused before nlohmann's parser sees the text.
bool preScan(const std::string& text, InputError& err, int max_depth) {
  if (text.size() > kMaxInputBytes) {
    err = {"$", "is larger than 1 MB (the limit is " + std::to_string(kMaxInputBytes) + " bytes)",
           "more than " + std::to_string(kMaxInputBytes) + " bytes"};
    return false;
  }
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\0') {
      // nlohmann's parser would take a NUL for the end of the input and ignore what follows.
      err = {"$", "not valid JSON (a NUL byte at byte " + std::to_string(i) + ")", "\\u0000"};
      return false;
    }
    if (in_string) {
      if (c == '\\' && i + 1 < text.size() && text[i + 1] != '\0') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      if (++depth > max_depth) {
        err = {"$", "nested deeper than " + std::to_string(max_depth) + " levels at byte " +
                        std::to_string(i),
               ""};
        return false;
      }
    } else if (c == '}' || c == ']') {
      --depth;
    }
  }
  return true;
}

}  // namespace

std::string printable(const std::string& text, size_t max_bytes) {
  std::string out;
  size_t fits = 0;  // length of out at the last character boundary that leaves room for "..."
  for (size_t i = 0; i < text.size();) {
    uint32_t cp = 0;
    const size_t n = utf8Sequence(text, i, cp);
    if (n == 0) {
      const unsigned char c = static_cast<unsigned char>(text[i]);
      out += std::string("\\x") + kHex[c >> 4] + kHex[c & 0xF];
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0x2028 || cp == 0x2029) {
      out += unicodeEscape(cp);
    } else {
      out.append(text, i, n);
    }
    i += n == 0 ? 1 : n;
    if (max_bytes == std::string::npos) continue;
    if (out.size() + 3 <= max_bytes) fits = out.size();
    if (out.size() > max_bytes) {
      out.resize(fits);
      return out + "...";
    }
  }
  return out;
}

size_t utf8Length(const std::string& text) {
  size_t n = 0;
  for (const char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

std::string InputError::text() const {
  // Every part is printable already; escaping again is a no-op that guarantees one line.
  std::string s = printable(path) + ": " + printable(message);
  if (!got.empty()) s += " (got " + printable(got) + ")";
  return s;
}

std::string describeValue(const nlohmann::json& v) {
  return printable(v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), 40);
}

std::string formatNumber(double x) {
  // Whole numbers as integers; others in JSON's shortest round-trip form (no printf: it would
  // add its whole formatter to the WebAssembly module).
  if (x == std::floor(x) && std::fabs(x) < 9.0e15) return std::to_string(static_cast<long long>(x));
  return nlohmann::json(x).dump();
}

bool parseJsonText(const std::string& text, nlohmann::json& out, InputError& err, int max_depth) {
  if (!preScan(text, err, max_depth)) return false;
  out = nullptr;
  DocumentBuilder builder(out);
  // strict: text after the document is an error too.
  if (nlohmann::json::sax_parse(text, &builder, nlohmann::json::input_format_t::json, true)) return true;
  err = builder.error.empty() ? builder.syntaxError(text) : builder.error;
  out = nullptr;
  return false;
}

JsonReader::JsonReader(const nlohmann::json* value, std::string path, InputError* err)
    : value_(value ? value : &kEmptyObject), path_(std::move(path)), err_(err) {}

const nlohmann::json* JsonReader::field(const char* key) const {
  if (!value_->is_object()) return nullptr;
  auto it = value_->find(key);
  return it == value_->end() ? nullptr : &*it;
}

bool JsonReader::has(const char* key) const { return field(key) != nullptr; }

void JsonReader::fail(const char* key, const std::string& message) {
  if (!ok()) return;
  const nlohmann::json* v = field(key);
  *err_ = {childPath(key), message, v ? describeValue(*v) : std::string()};
}

void JsonReader::failHere(const std::string& message, const nlohmann::json* got) {
  if (!ok()) return;
  *err_ = {path_, message, got ? describeValue(*got) : std::string()};
}

double JsonReader::number(const char* key, double def, double min, double max, bool min_exclusive) {
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  if (!v->is_number()) {
    fail(key, "must be a number");
    return def;
  }
  const double x = v->get<double>();
  if (!std::isfinite(x)) {
    fail(key, "must be a finite number");
    return def;
  }
  if (min_exclusive ? !(x > min) : !(x >= min)) {
    fail(key, std::string(min_exclusive ? "must be greater than " : "must be at least ") + formatNumber(min));
    return def;
  }
  if (x > max) {
    fail(key, "must be at most " + formatNumber(max));
    return def;
  }
  return x;
}

int64_t JsonReader::integer(const char* key, int64_t def, int64_t min, int64_t max) {
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (!std::isfinite(d) || d != std::floor(d) || std::fabs(d) > 9.0e15) {
      fail(key, "must be a whole number");
      return def;
    }
  } else if (!v->is_number()) {
    fail(key, "must be a whole number");
    return def;
  }
  if (v->is_number_unsigned() && v->get<uint64_t>() > static_cast<uint64_t>(max)) {
    fail(key, "must be at most " + std::to_string(max));
    return def;
  }
  const int64_t x = v->is_number_float() ? static_cast<int64_t>(v->get<double>()) : v->get<int64_t>();
  if (x < min) {
    fail(key, "must be at least " + std::to_string(min));
    return def;
  }
  if (x > max) {
    fail(key, "must be at most " + std::to_string(max));
    return def;
  }
  return x;
}

bool JsonReader::boolean(const char* key, bool def) {
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  if (!v->is_boolean()) {
    fail(key, "must be true or false");
    return def;
  }
  return v->get<bool>();
}

int JsonReader::choice(const char* key, int def, std::initializer_list<const char*> allowed) {
  return choice(key, def, allowed.begin(), allowed.size());
}

int JsonReader::choice(const char* key, int def, const char* const* names, size_t count) {
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  std::string list;
  for (size_t i = 0; i < count; ++i) {
    if (v->is_string() && v->get_ref<const std::string&>() == names[i]) return static_cast<int>(i);
    list += (i ? ", " : "") + std::string(names[i]);
  }
  fail(key, v->is_string() ? "must be one of " + list : "must be a string, one of " + list);
  return def;
}

std::string JsonReader::text(const char* key, const std::string& def, size_t max_len) {
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  if (!v->is_string()) {
    fail(key, "must be a string");
    return def;
  }
  if (utf8Length(v->get_ref<const std::string&>()) > max_len) {
    fail(key, "must be at most " + std::to_string(max_len) + " characters");
    return def;
  }
  return v->get<std::string>();
}

JsonReader JsonReader::object(const char* key) {
  const nlohmann::json* v = field(key);
  if (v && !v->is_object()) {
    fail(key, "must be an object");
    v = nullptr;
  }
  return JsonReader(v, childPath(key), err_);
}

void JsonReader::allowOnly(std::initializer_list<const char*> keys) {
  if (!ok() || !value_->is_object()) return;
  for (auto it = value_->begin(); it != value_->end(); ++it) {
    bool known = false;
    for (const char* k : keys) known = known || it.key() == k;
    if (!known) {
      std::string list;
      for (const char* k : keys) list += (list.empty() ? "" : ", ") + std::string(k);
      *err_ = {path_ + "." + printable(it.key(), 60), "unknown field (expected one of " + list + ")",
               describeValue(it.value())};
      return;
    }
  }
}

}  // namespace sl
