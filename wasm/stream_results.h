#pragma once
#include <nlohmann/json.hpp>

namespace sl {

struct StreamEngine;

/// The results JSON of a run (the stream results contract in README). ref is the crash-free
/// reference run, or the run itself when it never crashed.
nlohmann::json streamResults(const StreamEngine& run, const StreamEngine& ref);

}  // namespace sl
