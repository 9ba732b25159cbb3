#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "metrics.h"
#include "scenario.h"

namespace sl {

// Where session state lives (session.mode): everything that differs between the modes is in
// this file, so that a new mode touches it, the name table (vocabulary.h) and the tests.

/// Whether requests under `mode` look something up in the session store: shared_store always,
/// token when the scenario keeps a deny list.
bool usesStore(SessionMode mode, const Scenario& scenario);
/// Credential bytes a request carries under `mode` (a cookie or a token), bytes.
uint64_t credentialBytes(SessionMode mode, const Scenario& scenario);
/// Bytes one store lookup reads under `mode` (the session, or a deny-list answer), bytes.
uint64_t storeLookupBytes(SessionMode mode, const Scenario& scenario);
/// Work a server adds to each request under `mode` (verifying a token), microseconds.
int64_t sessionWorkUs(SessionMode mode, const Scenario& scenario);
/// Whether requests under `mode` carry a token (a trace flag).
bool carriesToken(SessionMode mode);

/// What a server concluded about a request's session.
enum class SessionVerdict : uint8_t {
  Valid,   ///< served (a session was found, or a first one created)
  Missed,  ///< served, but a user who had logged in before had to log in again
  Denied,  ///< refused: the user is revoked and the server can tell
};

/// Every user's session and where it is kept: in a server's memory, in the store, or in a
/// token held by the user. Owned by the cluster simulation, which tells it when servers stop
/// and when the store loses its data.
class Sessions {
 public:
  /// No sessions, `users` users, `servers` servers, under the scenario's session mode.
  void reset(const Scenario& scenario, int64_t users, int servers);

  SessionMode mode() const { return mode_; }
  /// Switches to `mode`; a change starts everyone afresh (nobody counts as logged out by it).
  void setMode(SessionMode mode);
  /// A server slot was added to the pool.
  void addServer();

  /// The session of a request of `user` served by `server` at now_us; creates one if needed
  /// and counts misses, creations, refreshes and revoked requests accepted in `m`.
  SessionVerdict check(uint32_t user, int server, int64_t now_us, Metrics& m);

  /// `user` is revoked: server-side sessions are destroyed at once, a token stays valid.
  void revoke(int64_t user);
  bool anyRevoked() const { return any_revoked_; }
  bool revoked(uint32_t user) const { return users_[user].revoked; }

  /// Server s stopped: the sessions in its memory are lost. Returns how many.
  int64_t serverStopped(int s);
  /// A non-persistent store went down and lost every session. Returns how many.
  int64_t storeLost();

  int64_t userCount() const { return static_cast<int64_t>(users_.size()); }
  /// Sessions held in server s's memory.
  int64_t serverSessions(int s) const { return server_sessions_[static_cast<size_t>(s)]; }
  /// Sessions held in the store.
  int64_t storeSessions() const { return store_sessions_; }
  /// Sessions alive at now_us, wherever they are (unexpired tokens in token mode).
  int64_t liveSessions(int64_t now_us) const;
  size_t capacityBytes() const;

 private:
  struct User {
    int32_t server = -1;        // server_memory: the server holding the session
    uint32_t server_epoch = 0;  // ... valid while that server's epoch is unchanged
    uint32_t store_epoch = 0;   // shared_store: valid while equal to the store's data epoch
    bool has_session = false;   // a session exists somewhere (or a token was issued)
    bool logged_in_once = false;  // a later request without a session is a miss
    bool revoked = false;
    int64_t token_expiry_us = 0;
  };

  SessionVerdict login(User& u, Metrics& m);
  SessionVerdict checkServerMemory(User& u, int server, Metrics& m);
  SessionVerdict checkSharedStore(User& u, Metrics& m);
  SessionVerdict checkToken(User& u, int64_t now_us, Metrics& m);
  bool heldByServer(const User& u) const {
    return u.has_session && u.server >= 0 && server_epoch_[static_cast<size_t>(u.server)] == u.server_epoch;
  }

  SessionMode mode_ = SessionMode::None;
  bool deny_list_ = false;
  int64_t ttl_us_ = 0;
  std::vector<User> users_;
  bool any_revoked_ = false;  // some user is revoked: arrivals must look their user up
  std::vector<int64_t> server_sessions_;
  std::vector<uint32_t> server_epoch_;  // bumped when a server stops: its sessions are void
  int64_t store_sessions_ = 0;
  uint32_t store_data_epoch_ = 1;  // bumped when the store loses its data
};

}  // namespace sl
