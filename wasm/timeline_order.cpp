#include "timeline_order.h"

#include <algorithm>
#include <utility>

namespace sl {

std::vector<size_t> orderByTime(const std::vector<int64_t>& times) {
  // (time, index) pairs sorted plainly: the index breaks ties, so this is the stable order.
  // Pairs of this type are what the balancer sorts its hash ring as, so the module holds one
  // sort for both; flipping the sign bit keeps the order of negative times as unsigned keys.
  std::vector<std::pair<uint64_t, int>> keyed(times.size());
  for (size_t i = 0; i < times.size(); ++i)
    keyed[i] = {static_cast<uint64_t>(times[i]) ^ (uint64_t{1} << 63), static_cast<int>(i)};
  std::sort(keyed.begin(), keyed.end());
  std::vector<size_t> order(keyed.size());
  for (size_t i = 0; i < keyed.size(); ++i) order[i] = static_cast<size_t>(keyed[i].second);
  return order;
}

}  // namespace sl
