#pragma once
#include <cstdint>
#include <vector>

namespace sl {

/// Node ids in trace events: servers are 0..n-1, the rest are negative.
enum TraceNode : int32_t { kNodeUsers = -1, kNodeBalancer = -2, kNodeStore = -3 };

/// What a trace event shows.
enum class TraceKind : uint8_t {
  Dispatch = 0,   ///< balancer -> server (t0 sent, t1 arrives)
  ToStore = 1,    ///< server -> store, session lookup
  FromStore = 2,  ///< store -> server, lookup answered
  Respond = 3,    ///< server -> balancer, response on its way
  Done = 4,       ///< balancer -> user, request completed (detail = latency, microseconds)
  Rejected = 5,   ///< refused: no server, queue full, store queue full (at `from`)
  Failed = 6,     ///< lost: its server died or the store was down (at `from`)
  Action = 7,     ///< a timeline or live action took effect (detail = ActionKind, to = server)
  Arrive = 8,     ///< user -> balancer, a new request (t0 = t1 = arrival)
};

/// How the request is faring: drawn as colour and shape.
enum class TraceOutcome : uint8_t { Ok = 0, Miss = 1, Failed = 2, Rejected = 3, Denied = 4 };

/// Flag bits on trace events.
enum TraceFlag : uint8_t { kFlagToken = 1, kFlagRevoked = 2, kFlagWarm = 4 };

/// Events of one step, as parallel arrays so they cross into JavaScript as typed arrays
/// without a JS object per request. Bounded: past `limit` events a step only counts drops.
struct TraceBuffer {
  std::vector<uint32_t> request;  ///< request id (arrival order), or 0 for actions
  std::vector<int32_t> user;      ///< user id, -1 for actions without a user
  std::vector<int32_t> from;      ///< TraceNode or server id
  std::vector<int32_t> to;        ///< TraceNode or server id
  std::vector<uint8_t> kind;      ///< TraceKind
  std::vector<uint8_t> outcome;   ///< TraceOutcome
  std::vector<uint8_t> flags;     ///< TraceFlag bits
  std::vector<int32_t> detail;    ///< Action: ActionKind; Rejected/Failed: reason code
  std::vector<double> t0;         ///< seconds, when it leaves `from`
  std::vector<double> t1;         ///< seconds, when it reaches `to`
  size_t limit = 20000;           ///< most events kept per step
  uint64_t dropped = 0;           ///< events past the limit in this step

  size_t size() const { return kind.size(); }
  void clear() {
    request.clear(); user.clear(); from.clear(); to.clear(); kind.clear(); outcome.clear();
    flags.clear(); detail.clear(); t0.clear(); t1.clear();
    dropped = 0;
  }
  void add(uint32_t req, int32_t usr, int32_t f, int32_t t, TraceKind k, TraceOutcome o,
           uint8_t fl, int32_t det, double s0, double s1) {
    if (kind.size() >= limit) {
      ++dropped;
      return;
    }
    request.push_back(req); user.push_back(usr); from.push_back(f); to.push_back(t);
    kind.push_back(static_cast<uint8_t>(k)); outcome.push_back(static_cast<uint8_t>(o));
    flags.push_back(fl); detail.push_back(det); t0.push_back(s0); t1.push_back(s1);
  }
};

/// Reason codes in TraceBuffer::detail for Rejected and Failed events.
enum TraceReason : int32_t {
  kReasonNoServer = 1,     ///< no server in rotation
  kReasonQueueFull = 2,    ///< server queue full
  kReasonServerDied = 3,   ///< server killed while the request was queued or in service
  kReasonStoreDown = 4,    ///< the store is down
  kReasonStoreFull = 5,    ///< store queue full
  kReasonRevoked = 6,      ///< denied: the user was revoked
};

}  // namespace sl
