#pragma once
#include <cmath>
#include <cstdint>

namespace sl {

// Conversions between the cluster model's whole microseconds and the units of scenarios and
// results.

/// Milliseconds to the nearest whole microsecond.
inline int64_t msToUs(double ms) { return static_cast<int64_t>(std::llround(ms * 1000.0)); }
/// Seconds to the nearest whole microsecond.
inline int64_t secondsToUs(double s) { return static_cast<int64_t>(std::llround(s * 1e6)); }
/// Microseconds to seconds.
inline double usToSeconds(int64_t us) { return static_cast<double>(us) / 1e6; }
/// Microseconds to milliseconds.
inline double usToMs(double us) { return us / 1000.0; }

}  // namespace sl
