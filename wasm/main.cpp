// The native `stateless-lab` command: all logic is in command_line.cpp; this file only does
// the I/O, so the WebAssembly build prints the same bytes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <new>

#include "command_line.h"
#include "json_reader.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  // Reads at most one byte past the input limit: the command line refuses anything longer,
  // and a huge file must not be read whole into memory first.
  auto readFile = [](const std::string& path, std::string& contents) {
    std::error_code ec;
    if (path != "-" && std::filesystem::is_directory(path, ec)) return false;
    std::ifstream file;
    if (path != "-") {
      file.open(path, std::ios::binary);
      if (!file) return false;
    }
    std::istream& in = path == "-" ? std::cin : file;
    contents.assign(sl::kMaxInputBytes + 1, '\0');
    in.read(&contents[0], static_cast<std::streamsize>(contents.size()));
    if (in.bad()) return false;
    contents.resize(static_cast<size_t>(in.gcount()));
    return true;
  };
  std::string out, err;
  int code = 2;
  try {
    code = sl::runCommandLine(args, readFile, out, err);
  } catch (const std::bad_alloc&) {
    // The cost limits keep every accepted input far from this; if memory still runs out,
    // say so in the one-line error format, as the WebAssembly CLI does.
    out.clear();
    err = "error: $: the simulator ran out of memory\n";
    code = 2;
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  return code;
}
