#pragma once
#include <string>
#include <vector>

namespace sl {

/// Names of the built-in scenarios, in the order they are listed. Shared by the CLI, the
/// tests, the benchmarks and the widget, so everyone runs exactly the same experiments.
std::vector<std::string> registeredScenarioNames();
/// The scenario's JSON text, or nullptr if no scenario has that name.
const char* registeredScenarioText(const std::string& name);

}  // namespace sl
