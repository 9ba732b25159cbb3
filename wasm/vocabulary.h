#pragma once
#include <cstddef>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

#include "distribution.h"
#include "scenario.h"
#include "stream_scenario.h"
#include "stream_trace.h"
#include "trace.h"

namespace sl {

// The names the core reads and writes, one table per vocabulary, indexed by the enum's value.
// Everything else (the scenario parsers and serialisers, the JavaScript API through
// vocabularyJson()) takes names from here, so that a name is spelled once.
// Each static_assert ties a table to its enum: adding an enumerator without its name (or the
// other way round) stops the build.

/// Balancer policies, indexed by Policy (scenario `balancer.policy`, `set_policy`).
inline constexpr const char* kPolicyNames[] = {
    "random", "round_robin", "least_connections", "power_of_two", "ip_hash", "consistent_hash",
    "sticky_cookie"};
static_assert(std::size(kPolicyNames) == static_cast<size_t>(Policy::StickyCookie) + 1);

/// Whether a policy sends every request of a user to one server while the rotation stands,
/// indexed by Policy (vocabularyJson() lists these as `stickyPolicies`). Such a balancer gives
/// a server that joins only the users it pins or hashes there, not a fair share.
inline constexpr bool kPolicyPinsUsers[] = {false, false, false, false, true, true, true};
static_assert(std::size(kPolicyPinsUsers) == std::size(kPolicyNames));

/// Session modes, indexed by SessionMode (scenario `session.mode`, `set_session_mode`).
inline constexpr const char* kSessionModeNames[] = {"none", "server_memory", "shared_store", "token"};
static_assert(std::size(kSessionModeNames) == static_cast<size_t>(SessionMode::Token) + 1);

/// What the views say and draw for a session mode (vocabularyJson(): `sessionModeTraits`,
/// keyed by the mode's name), so that they name no mode themselves.
struct SessionModeTraits {
  const char* where;        ///< where sessions are kept, read after "sessions are now kept: "
  const char* served;       ///< why a request was served, read after "user 3 → server 1: "
  const char* credential;   ///< what each request carries: "none", "cookie" or "token" (credentialBytes())
  const char* store;        ///< what the session store is called when requests use it (usesStore())
  bool in_server_memory;    ///< sessions live in the memory of the server that made them
};

/// Indexed by SessionMode.
inline constexpr SessionModeTraits kSessionModeTraits[] = {
    {"nowhere (stateless requests)", "served, nothing to remember", "none", "Session store", false},
    {"in server memory", "session found there, ok", "cookie", "Session store", true},
    {"in a shared store", "session read from the store, ok", "cookie", "Session store", false},
    {"in signed tokens", "token verified, ok", "token", "Deny list", false}};
static_assert(std::size(kSessionModeTraits) == std::size(kSessionModeNames));

/// Cluster timeline actions, indexed by ActionKind (`do` of an action; detail of Action trace events).
inline constexpr const char* kActionNames[] = {
    "kill_server", "restart_server", "add_server", "remove_server", "store_down", "store_up",
    "revoke_user", "set_rate", "set_policy", "set_session_mode", "rolling_restart"};
static_assert(std::size(kActionNames) == static_cast<size_t>(ActionKind::RollingRestart) + 1);

/// Service-time distributions, indexed by DistKind (`service_ms.dist`, `event_ms.dist`).
inline constexpr const char* kDistNames[] = {"exponential", "constant", "lognormal"};
static_assert(std::size(kDistNames) == static_cast<size_t>(DistKind::Lognormal) + 1);

/// Cluster trace event kinds, indexed by TraceKind.
inline constexpr const char* kTraceKindNames[] = {
    "dispatch", "to_store", "from_store", "respond", "done", "rejected", "failed", "action", "arrive"};
static_assert(std::size(kTraceKindNames) == static_cast<size_t>(TraceKind::Arrive) + 1);

/// Cluster trace outcomes, indexed by TraceOutcome.
inline constexpr const char* kOutcomeNames[] = {"ok", "miss", "failed", "rejected", "denied"};
static_assert(std::size(kOutcomeNames) == static_cast<size_t>(TraceOutcome::Denied) + 1);

/// Reason codes of Rejected and Failed trace events, indexed by TraceReason; code 0 is no reason.
inline constexpr const char* kReasonNames[] = {
    "none", "no_server", "queue_full", "server_died", "store_down", "store_full", "revoked"};
static_assert(std::size(kReasonNames) == static_cast<size_t>(kReasonRevoked) + 1);

/// Stream pipeline operators, indexed by StreamOpKind (`pipeline[].op`).
inline constexpr const char* kStreamOpNames[] = {"filter", "map", "route", "window_count", "window_sum"};
static_assert(std::size(kStreamOpNames) == static_cast<size_t>(StreamOpKind::WindowSum) + 1);

/// Event fields a filter or a route looks at, indexed by StreamField.
inline constexpr const char* kStreamFieldNames[] = {"value", "key"};
static_assert(std::size(kStreamFieldNames) == static_cast<size_t>(StreamField::Key) + 1);

/// Checkpoint modes, indexed by CheckpointMode (`checkpoint.mode`).
inline constexpr const char* kCheckpointModeNames[] = {"none", "exactly_once", "at_least_once"};
static_assert(std::size(kCheckpointModeNames) == static_cast<size_t>(CheckpointMode::AtLeastOnce) + 1);

/// Stream timeline actions, indexed by StreamActionKind.
inline constexpr const char* kStreamActionNames[] = {"kill_worker", "restart_worker"};
static_assert(std::size(kStreamActionNames) == static_cast<size_t>(StreamActionKind::RestartWorker) + 1);

/// Stream trace event kinds, indexed by StreamTraceKind.
inline constexpr const char* kStreamTraceKindNames[] = {
    "arrive", "process", "window", "checkpoint", "crash", "restart", "assign", "replay"};
static_assert(std::size(kStreamTraceKindNames) == static_cast<size_t>(StreamTraceKind::Replay) + 1);

/// A table's name for an enum value. The value comes from the core (never from input), so it
/// is always in range.
template <size_t N, typename E>
const char* nameIn(const char* const (&names)[N], E value) {
  return names[static_cast<size_t>(value)];
}

/// A table's names joined by ", " (error messages list the accepted names).
template <size_t N>
std::string nameList(const char* const (&names)[N]) {
  std::string list;
  for (size_t i = 0; i < N; ++i) list += (i ? ", " : "") + std::string(names[i]);
  return list;
}

/// Every table as JSON, keyed as the JavaScript API names them: {policies: [...], ...}.
nlohmann::json vocabularyJson();

}  // namespace sl
