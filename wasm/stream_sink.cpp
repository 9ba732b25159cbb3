#include "stream_sink.h"

#include "random.h"

namespace sl {

StreamSink::StreamSink(int routes, bool idempotent)
    : route_totals(static_cast<size_t>(routes < 1 ? 1 : routes), 0), idempotent_(idempotent) {}

bool StreamSink::seen(uint32_t seq) const {
  const size_t word = seq / 64;
  return word < seen_.size() && ((seen_[word] >> (seq % 64)) & 1) != 0;
}

bool StreamSink::emit(const StreamEmission& e) {
  const bool repeat = seen(e.seq);
  if (repeat && idempotent_) {
    ++deduplicated;
    return false;
  }
  if (repeat) {
    ++duplicates;
  } else {
    const size_t word = e.seq / 64;
    if (word >= seen_.size()) seen_.resize(word + 1, 0);
    seen_[word] |= uint64_t{1} << (e.seq % 64);
  }
  // Summed rather than xored: equal digests mean the same multiset of outputs, so a repeat
  // changes the digest.
  out += 1;
  value_sum += e.value;
  digest += mix64(mix64(e.seq) + static_cast<uint64_t>(e.value) * 0x9e3779b97f4a7c15ULL +
                  static_cast<uint64_t>(e.route + 1));
  ++route_totals[static_cast<size_t>(e.route < 0 ? 0 : e.route)];
  return !repeat;
}

bool StreamSink::emitWindow(uint64_t window_id, int64_t value) {
  ++windows_emitted;
  auto res = windows_.emplace(window_id, WindowResult{value, 1});
  if (res.second) return true;
  res.first->second.value = value;
  ++res.first->second.emissions;
  ++window_repeats;
  return false;
}

}  // namespace sl
