#pragma once
#include <algorithm>
#include <cstddef>
#include <vector>

namespace sl {

/// Indices of a timeline's actions in the order they happen: by at_us, and actions at the
/// same time in the order they were written. Validation walks this order (so errors name the
/// action as written) and the scenario keeps the actions sorted by it.
template <typename Action>
std::vector<size_t> timelineOrder(const std::vector<Action>& timeline) {
  std::vector<size_t> order(timeline.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t x, size_t y) { return timeline[x].at_us < timeline[y].at_us; });
  return order;
}

/// The actions rearranged in the given order.
template <typename Action>
std::vector<Action> inOrder(const std::vector<Action>& timeline, const std::vector<size_t>& order) {
  std::vector<Action> sorted;
  sorted.reserve(order.size());
  for (size_t i : order) sorted.push_back(timeline[i]);
  return sorted;
}

}  // namespace sl
