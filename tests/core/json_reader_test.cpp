// The JSON reader under hostile text: every refusal names the right byte or path, and every
// error is exactly one line of valid UTF-8, whatever bytes the input holds.
#include <catch2/catch.hpp>

#include <string>

#include "command_line.h"
#include "json_reader.h"
#include "scenario.h"

namespace {

/// Validity of UTF-8, written here independently of the reader's own decoder.
bool validUtf8(const std::string& s) {
  for (size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (size_t k = 1; k < n; ++k)
      if ((static_cast<unsigned char>(s[i + k]) >> 6) != 0x2) return false;
    i += n;
  }
  return true;
}

/// True if the line could move a terminal's cursor or start a new line.
bool hasControl(const std::string& s) {
  for (size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7F) return true;
    if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) < 0xA0) return true;  // C1
    if (c == 0xE2 && s.compare(i, 3, "\xE2\x80\xA8") == 0) return true;
    if (c == 0xE2 && s.compare(i, 3, "\xE2\x80\xA9") == 0) return true;
  }
  return false;
}

sl::InputError scenarioError(const std::string& text) {
  sl::InputError err;
  sl::parseScenario(text, err);
  return err;
}

/// What `stateless-lab validate` prints on stderr for the text.
std::string cliError(const std::string& text) {
  std::string out, err;
  sl::runCommandLine({"validate", "s.json"},
                     [&](const std::string&, std::string& contents) {
                       contents = text;
                       return true;
                     },
                     out, err);
  return err;
}

}  // namespace

TEST_CASE("parseJsonText refuses bytes after a NUL and names the NUL's byte", "[parser]") {
  const std::string text("{\"duration_s\":5}\0garbage", 24);
  const sl::InputError err = scenarioError(text);
  REQUIRE_FALSE(err.empty());
  CHECK(err.path == "$");
  CHECK(err.message.find("at byte 16") != std::string::npos);
  // A NUL anywhere, even inside a string, is refused: JSON text never holds one raw.
  CHECK_FALSE(scenarioError(std::string("{\"name\":\"a\0b\"}", 14)).empty());
}

TEST_CASE("parseJsonText refuses text after the document at the byte where it starts", "[parser]") {
  const sl::InputError err = scenarioError("{\"duration_s\":5}  xyz");
  REQUIRE_FALSE(err.empty());
  CHECK(err.message.find("after the end of the document at byte 18") != std::string::npos);
  CHECK(err.got.find("xyz") == 0);
  CHECK(scenarioError("{} {}").message.find("at byte 3") != std::string::npos);
  CHECK(scenarioError("[1,2]]").message.find("at byte 5") != std::string::npos);
}

TEST_CASE("parseJsonText reports a syntax error at the offending byte", "[parser]") {
  CHECK(scenarioError("{\"duration_s\":}").message == "not valid JSON (syntax error at byte 14)");
  const sl::InputError end = scenarioError("{\"duration_s\":5");
  CHECK(end.message == "not valid JSON (syntax error at byte 15)");
  CHECK(end.got == "end of input");
}

TEST_CASE("parseJsonText refuses a repeated key and names its path", "[parser]") {
  CHECK(scenarioError(R"({"servers": {"count": 2, "count": 3}})").path == "$.servers.count");
  CHECK(scenarioError(R"({"seed": 1, "seed": 1})").path == "$.seed");
  const std::string tl = R"({"timeline": [{"at_s": 1, "do": "add_server"}, {"at_s": 2, "do": "add_server", "at_s": 3}]})";
  const sl::InputError err = scenarioError(tl);
  CHECK(err.path == "$.timeline[1].at_s");
  CHECK(err.message.find("twice") != std::string::npos);
  // The same key in different objects is fine.
  CHECK(scenarioError(R"({"servers": {"count": 2}, "store": {"workers": 2}, "autoscaler": {"min": 1, "max": 2}})").empty());
}

TEST_CASE("InputError text escapes control characters of keys so an error is one line", "[parser]") {
  for (const std::string key : {"a\nb", "\x1b[2J\x1b[31mred", "tab\there", "cr\rx", "del\x7f", "c1\xC2\x9B" "31m",
                                "ls\xE2\x80\xA8ps\xE2\x80\xA9"}) {
    const std::string text = "{\"" + std::string() + [&] {
      std::string k;  // the key as a JSON string: escape what JSON requires, keep the rest raw
      for (const char c : key) {
        if (static_cast<unsigned char>(c) < 0x20) {
          const char* hex = "0123456789abcdef";
          k += std::string("\\u00") + hex[(c >> 4) & 0xF] + hex[c & 0xF];
        } else {
          k += c;
        }
      }
      return k;
    }() + "\": 1}";
    const sl::InputError err = scenarioError(text);
    INFO(err.text());
    REQUIRE_FALSE(err.empty());
    CHECK_FALSE(hasControl(err.text()));
    CHECK_FALSE(hasControl(err.path));
    CHECK(validUtf8(err.text()));
    const std::string line = cliError(text);
    CHECK(line.find('\n') == line.size() - 1);
  }
}

TEST_CASE("InputError got never cuts a UTF-8 character", "[parser]") {
  // 40 two-byte characters: the 40-byte cut once fell inside one.
  std::string name;
  for (int i = 0; i < 40; ++i) name += "\xC3\xA9";
  for (const std::string& prefix : {std::string(), std::string("x"), std::string("xx")}) {
    const sl::InputError err = scenarioError(R"({"seed": [")" + prefix + name + R"("]})");
    REQUIRE_FALSE(err.empty());
    CHECK(validUtf8(err.got));
    CHECK(err.got.size() <= 40);
    CHECK(validUtf8(err.text()));
  }
  // A syntax error's got is taken from raw bytes, invalid UTF-8 included.
  const sl::InputError raw = scenarioError("{\"a\": \xC3\xA9\xFF\xFE\n\x1b}");
  CHECK(validUtf8(raw.text()));
  CHECK_FALSE(hasControl(raw.text()));
}

TEST_CASE("parseScenario type-checks a timeline note and caps it at 400 characters", "[parser]") {
  auto withNote = [](const std::string& note) {
    return R"({"timeline": [{"at_s": 1, "do": "add_server", "note": )" + note + "}]}";
  };
  CHECK(scenarioError(withNote("\"why this happens\"")).empty());
  CHECK(scenarioError(withNote("5")).path == "$.timeline[0].note");
  CHECK(scenarioError(withNote("[\"a\", \"b\"]")).path == "$.timeline[0].note");
  std::string accented;  // 400 characters of 2 bytes each: 400 characters, 800 bytes
  for (int i = 0; i < 400; ++i) accented += "\xC3\xA9";
  CHECK(scenarioError(withNote("\"" + accented + "\"")).empty());
  CHECK(scenarioError(withNote("\"" + accented + "e\"")).path == "$.timeline[0].note");
}

TEST_CASE("parseJsonText refuses text over 1 MB before parsing it", "[parser]") {
  std::string text = "{\"description\": \"" + std::string(sl::kMaxInputBytes, ' ') + "\"}";
  const sl::InputError err = scenarioError(text);
  CHECK(err.path == "$");
  CHECK(err.message.find("larger than 1 MB") != std::string::npos);
  // Exactly at the limit is parsed (and then refused for what it says, not for its size).
  std::string at_limit = "{}" + std::string(sl::kMaxInputBytes - 2, ' ');
  CHECK(scenarioError(at_limit).empty());
}

TEST_CASE("printable escapes controls, marks invalid bytes and cuts on a character boundary", "[parser]") {
  CHECK(sl::printable("a\nb\tc") == "a\\nb\\tc");
  CHECK(sl::printable("\x1b[0m") == "\\u001b[0m");
  CHECK(sl::printable("\xFF") == "\\xff");
  CHECK(sl::printable("\xE2\x82\xAC\xE2\x82\xAC\xE2\x82\xAC", 8) == "\xE2\x82\xAC...");
  CHECK(sl::printable("abcdef", 6) == "abcdef");
  CHECK(sl::printable("abcdefg", 6) == "abc...");
}
