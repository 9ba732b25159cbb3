#pragma once
#include <cstdint>

namespace sl {

/// Running counts of a cluster simulation, from the start of the run. Per-interval series
/// points are differences of two of these.
struct Metrics {
  uint64_t arrived = 0;    ///< requests that reached the balancer
  uint64_t completed = 0;  ///< requests answered
  uint64_t failed = 0;     ///< requests that failed (server died, store down or full)
  uint64_t rejected = 0;   ///< requests refused (no server, queue full)
  uint64_t denied = 0;     ///< requests of a revoked user refused
  uint64_t misses = 0;     ///< requests of a user logged in before that found no session
  uint64_t lost = 0;       ///< sessions destroyed by a server stop or a store losing its data
  uint64_t created = 0;    ///< sessions (or tokens) created
  uint64_t remapped = 0;   ///< users a hash policy moved to another server
  uint64_t revoked_accepted = 0;  ///< requests of a revoked user accepted on a valid token
  uint64_t token_refreshes = 0;   ///< expired tokens silently refreshed
  uint64_t store_lookups = 0;     ///< lookups the session store served
  uint64_t credential_bytes = 0;  ///< cookie or token bytes sent, bytes
  uint64_t store_bytes = 0;       ///< bytes read from the store, bytes
  uint64_t request_bytes = 0;     ///< request bytes without credentials, bytes
  uint64_t warm_arrived = 0;      ///< arrivals after the warmup
  uint64_t warm_completed = 0;    ///< completions of requests that arrived after the warmup
  double in_system_area = 0;  ///< integral of requests in the system after warmup, request*us
  int64_t in_system = 0;      ///< requests in the system now
  int64_t area_since = 0;     ///< time in_system_area was last brought up to date, us
};

}  // namespace sl
