#pragma once
#include <string>
#include <vector>

namespace sl {

/// Names of the built-in stream scenarios, in display order.
const std::vector<std::string>& streamScenarioNames();

/// The JSON text of a built-in stream scenario, or an empty string for an unknown name.
std::string streamScenarioText(const std::string& name);

}  // namespace sl
