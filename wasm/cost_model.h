#pragma once
#include <cstdint>

#include "json_reader.h"
#include "scenario.h"

namespace sl {

/// What one cluster run may cost at most. Validation checks a scenario against these, and
/// Simulation::apply() checks every live action against what is left of them, so that every
/// accepted scenario and every accepted action ends in the time and memory the README's
/// Limits table states.
struct CostLimits {
  /// Expected arrivals in one run (scheduled and live set_rate included). About 10 s natively.
  static constexpr double kMaxRequests = 1.0e8;
  /// Requests that can be in the system at once in the worst case: in server queues and
  /// workers, in the store's queue and workers, and on the network. About 100 bytes each.
  static constexpr double kMaxHeldRequests = 4.0e6;
  /// Per-server values of the series in the results (points x servers): about 16 bytes each
  /// in memory and 14 bytes of printed JSON.
  static constexpr double kMaxSeriesCells = 2.0e6;
  /// Work of actions and of the autoscaler, in user or hash steps: a membership change under a
  /// hashing policy checks up to 2 x 20000 routes, a session-mode change resets every user.
  static constexpr double kMaxActionWork = 2.0e8;
  /// Live actions applied to one run (they are kept for seek()).
  static constexpr int kMaxLiveActions = 10000;
};

/// Simulated microseconds of a duration in seconds, as the simulation rounds it.
int64_t secondsToUs(double s);

/// Expected arrivals from from_us to the end of the run at `rate` (requests per second) until
/// the next scheduled set_rate, then at the scheduled rates. Scheduled actions at from_us
/// count as pending when pending_at_from (validation), as done otherwise (live).
double expectedRequests(const Scenario& s, int64_t from_us, double rate, bool pending_at_from);

/// Highest rate the timeline sets after from_us (strictly), or 0, requests per second.
double highestScheduledRate(const Scenario& s, int64_t from_us);

/// Worst-case requests in the system at once with `servers` server slots and arrivals at
/// `rate` per second: every server queue and worker full, the store's too, and the network
/// carrying a quarter more than its expected load.
double heldRequests(const Scenario& s, int servers, double rate);

/// Most server slots a run of the scenario can have (timeline add_server and the
/// autoscaler's maximum included; live add_server is checked when applied).
int plannedServers(const Scenario& s);

/// Work of one action (see kMaxActionWork) when `servers` server slots exist.
double actionWork(const Action& a, const Scenario& s, int servers);

/// Work of the scenario's timeline and autoscaler.
double plannedActionWork(const Scenario& s);

/// Checks a validated scenario (timeline sorted) against every limit; an empty error if it
/// fits, else the path of the setting to change and why.
InputError checkScenarioCost(const Scenario& s);

}  // namespace sl
