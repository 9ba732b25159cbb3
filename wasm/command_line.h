#pragma once
#include <functional>
#include <string>
#include <vector>

namespace sl {

/// Reads a file's contents; returns false if it cannot.
using FileReader = std::function<bool(const std::string& path, std::string& contents)>;

/// The `stateless-lab` command line, without I/O of its own: arguments in, stdout and stderr
/// text and an exit code out. The native CLI and the WebAssembly CLI both call this, so
/// they print the same bytes. Exit codes: 0 ok, 2 bad input or usage.
int runCommandLine(const std::vector<std::string>& args, const FileReader& readFile, std::string& out,
                   std::string& err);

}  // namespace sl
