// The native `stateless-lab` command: all logic is in command_line.cpp; this file only does
// the I/O, so the WebAssembly build prints the same bytes.
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "command_line.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto readFile = [](const std::string& path, std::string& contents) {
    std::ostringstream buf;
    if (path == "-") {
      buf << std::cin.rdbuf();
    } else {
      std::error_code ec;
      if (std::filesystem::is_directory(path, ec)) return false;
      std::ifstream in(path, std::ios::binary);
      if (!in) return false;
      buf << in.rdbuf();
      if (in.bad()) return false;
    }
    contents = buf.str();
    return true;
  };
  std::string out, err;
  const int code = sl::runCommandLine(args, readFile, out, err);
  std::fwrite(out.data(), 1, out.size(), stdout);
  std::fwrite(err.data(), 1, err.size(), stderr);
  return code;
}
