#include "json_reader.h"

#include <cmath>

namespace sl {

namespace {
const nlohmann::json kEmptyObject = nlohmann::json::object();
}

std::string InputError::text() const {
  std::string s = path + ": " + message;
  if (!got.empty()) s += " (got " + got + ")";
  return s;
}

std::string describeValue(const nlohmann::json& v) {
  std::string s = v.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  if (s.size() > 40) s = s.substr(0, 37) + "...";
  return s;
}

std::string formatNumber(double x) {
  // Whole numbers as integers; others in JSON's shortest round-trip form (no printf: it would
  // add its whole formatter to the WebAssembly module).
  if (x == std::floor(x) && std::fabs(x) < 9.0e15) return std::to_string(static_cast<long long>(x));
  return nlohmann::json(x).dump();
}

bool parseJsonText(const std::string& text, nlohmann::json& out, InputError& err, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
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
  out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    // Find where: re-run the SAX parser without exceptions to get the byte position.
    struct Sax : nlohmann::json_sax<nlohmann::json> {
      size_t pos = 0;
      std::string token;
      bool null() override { return true; }
      bool boolean(bool) override { return true; }
      bool number_integer(number_integer_t) override { return true; }
      bool number_unsigned(number_unsigned_t) override { return true; }
      bool number_float(number_float_t, const string_t&) override { return true; }
      bool string(string_t&) override { return true; }
      bool binary(binary_t&) override { return true; }
      bool start_object(std::size_t) override { return true; }
      bool key(string_t&) override { return true; }
      bool end_object() override { return true; }
      bool start_array(std::size_t) override { return true; }
      bool end_array() override { return true; }
      bool parse_error(std::size_t p, const std::string& last, const nlohmann::detail::exception&) override {
        pos = p;
        token = last;
        return false;
      }
    } sax;
    nlohmann::json::sax_parse(text, &sax, nlohmann::json::input_format_t::json, false);
    std::string got = sax.token;
    if (got.size() > 40) got = got.substr(0, 37) + "...";
    err = {"$", "not valid JSON (syntax error at byte " + std::to_string(sax.pos) + ")",
           got.empty() ? std::string("end of input") : got};
    return false;
  }
  return true;
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
  const nlohmann::json* v = field(key);
  if (!ok() || !v) return def;
  std::string list;
  int i = 0;
  for (const char* a : allowed) {
    if (v->is_string() && v->get_ref<const std::string&>() == a) return i;
    list += (i ? ", " : "") + std::string(a);
    ++i;
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
  if (v->get_ref<const std::string&>().size() > max_len) {
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
      *err_ = {path_ + "." + it.key(), "unknown field (expected one of " + list + ")",
               describeValue(it.value())};
      return;
    }
  }
}

}  // namespace sl
