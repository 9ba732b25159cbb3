#pragma once
#include <cstdint>
#include <initializer_list>
#include <string>

#include <nlohmann/json.hpp>

namespace sl {

/// Where and what is wrong with some input: `$.servers.count`, "must be at least 1", "0".
struct InputError {
  std::string path;     ///< JSON path of the offending value, `$` for the whole document
  std::string message;  ///< what is wrong, in plain words
  std::string got;      ///< the offending value as JSON text (shortened), empty if absent

  bool empty() const { return path.empty(); }
  /// `<path>: <message> (got <value>)`, the form the CLI prints after `error: `.
  std::string text() const;
};

/// Largest JSON text accepted by every parser, bytes (1 MiB): the biggest registered scenario
/// is a few kilobytes, and a parsed document takes about ten times its text in memory.
constexpr size_t kMaxInputBytes = size_t{1} << 20;

/// Parses JSON text without exceptions. Before parsing it refuses text over kMaxInputBytes,
/// NUL bytes and nesting deeper than max_depth (hostile input cannot exhaust the stack); while
/// parsing, trailing bytes and an object that repeats a key (the later value would silently
/// win). Returns false and fills err on failure; byte offsets in messages count from 0.
bool parseJsonText(const std::string& text, nlohmann::json& out, InputError& err,
                   int max_depth = 32);

/// Parses JSON text and reads the document with `read(doc, err)`; on text that is not JSON
/// (or nests too deep) returns a default Result with err saying why.
template <typename Read>
auto parseDocument(const std::string& text, InputError& err, Read read) -> decltype(read(nlohmann::json(), err)) {
  nlohmann::json doc;
  err = {};
  if (!parseJsonText(text, doc, err)) return {};
  return read(doc, err);
}

/// Reads one JSON object field by field, checking type and range, recording the first error
/// with its path. Every getter returns the default once an error is recorded, so callers can
/// read a whole structure and check ok() once.
class JsonReader {
 public:
  JsonReader(const nlohmann::json* value, std::string path, InputError* err);

  bool ok() const { return err_->empty(); }
  const std::string& path() const { return path_; }
  bool has(const char* key) const;

  /// A finite number in [min, max] (min excluded when min_exclusive).
  double number(const char* key, double def, double min, double max, bool min_exclusive = false);
  /// A whole number in [min, max].
  int64_t integer(const char* key, int64_t def, int64_t min, int64_t max);
  bool boolean(const char* key, bool def);
  /// One of the allowed strings; returns its index in allowed.
  int choice(const char* key, int def, std::initializer_list<const char*> allowed);
  /// One of the names of a table (vocabulary.h); returns its index, the enum's value.
  template <size_t N>
  int choice(const char* key, int def, const char* const (&names)[N]) { return choice(key, def, names, N); }
  int choice(const char* key, int def, const char* const* names, size_t count);
  /// Any string of at most max_len characters (Unicode code points).
  std::string text(const char* key, const std::string& def, size_t max_len);
  /// The nested object at key (an empty object if absent); a non-object is an error.
  JsonReader object(const char* key);
  /// Fails on any key not in the list (a typo would otherwise be silently ignored).
  void allowOnly(std::initializer_list<const char*> keys);
  /// Records an error at this object's path + key.
  void fail(const char* key, const std::string& message);
  /// Records an error at exactly this path.
  void failHere(const std::string& message, const nlohmann::json* got = nullptr);

  const nlohmann::json* value() const { return value_; }
  const nlohmann::json* field(const char* key) const;
  std::string childPath(const char* key) const { return path_ + "." + key; }

 private:
  const nlohmann::json* value_;
  std::string path_;
  InputError* err_;
};

/// A number for a message: whole numbers without a decimal point, others as JSON writes them.
std::string formatNumber(double x);

/// Shortened JSON text of a value for error messages (at most 40 bytes, see printable()).
std::string describeValue(const nlohmann::json& v);

/// The text made safe for one line of an error message: valid UTF-8 whose control characters
/// (C0, DEL, C1, U+2028, U+2029) are escaped as \n, \t, \r or \uXXXX, invalid bytes as
/// \xNN; then cut to at most max_bytes on a character boundary, "..." marking the cut.
std::string printable(const std::string& text, size_t max_bytes = std::string::npos);

/// Unicode characters (code points) in valid UTF-8 text.
size_t utf8Length(const std::string& text);

}  // namespace sl
