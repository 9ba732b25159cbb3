#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace sl {

/// Indices 0..n-1 ordered by times[i], equal times in index order.
std::vector<size_t> orderByTime(const std::vector<int64_t>& times);

/// Indices of a timeline's actions in the order they happen: by at_us, and actions at the
/// same time in the order they were written. Validation walks this order (so errors name the
/// action as written) and the scenario keeps the actions sorted by it.
template <typename Action>
std::vector<size_t> timelineOrder(const std::vector<Action>& timeline) {
  // The sort itself is not a template: both models' timelines share one copy of its code.
  std::vector<int64_t> times;
  times.reserve(timeline.size());
  for (const Action& a : timeline) times.push_back(a.at_us);
  return orderByTime(times);
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
