#include "session.h"

#include <algorithm>
#include <cmath>

namespace sl {

bool usesStore(SessionMode mode, const Scenario& scenario) {
  return mode == SessionMode::SharedStore || (mode == SessionMode::Token && scenario.token.deny_list);
}

uint64_t credentialBytes(SessionMode mode, const Scenario& scenario) {
  switch (mode) {
    case SessionMode::None: return 0;
    case SessionMode::Token: return static_cast<uint64_t>(scenario.token.bytes);
    default: return static_cast<uint64_t>(scenario.session.cookie_bytes);
  }
}

uint64_t storeLookupBytes(SessionMode mode, const Scenario& scenario) {
  // A deny-list answer is a flag and a key: 16 bytes.
  return static_cast<uint64_t>(mode == SessionMode::SharedStore ? scenario.session.data_bytes : 16);
}

int64_t sessionWorkUs(SessionMode mode, const Scenario& scenario) {
  return mode == SessionMode::Token ? static_cast<int64_t>(std::llround(scenario.token.verify_ms * 1000.0)) : 0;
}

bool carriesToken(SessionMode mode) { return mode == SessionMode::Token; }

void Sessions::reset(const Scenario& scenario, int64_t users, int servers) {
  mode_ = scenario.session.mode;
  deny_list_ = scenario.token.deny_list;
  ttl_us_ = static_cast<int64_t>(std::llround(scenario.token.ttl_s * 1e6));
  users_.assign(static_cast<size_t>(users), User{});
  any_revoked_ = false;
  server_sessions_.assign(static_cast<size_t>(servers), 0);
  server_epoch_.assign(static_cast<size_t>(servers), 0);
  store_sessions_ = 0;
  store_data_epoch_ = 1;
}

void Sessions::setMode(SessionMode mode) {
  if (mode == mode_) return;
  mode_ = mode;
  for (User& u : users_) {
    const bool revoked = u.revoked;
    u = User{};
    u.revoked = revoked;
  }
  std::fill(server_sessions_.begin(), server_sessions_.end(), 0);
  store_sessions_ = 0;
  ++store_data_epoch_;
}

void Sessions::addServer() {
  server_sessions_.push_back(0);
  server_epoch_.push_back(0);
}

SessionVerdict Sessions::check(uint32_t user, int server, int64_t now_us, Metrics& m) {
  User& u = users_[user];
  switch (mode_) {
    case SessionMode::None: return SessionVerdict::Valid;
    case SessionMode::ServerMemory: return checkServerMemory(u, server, m);
    case SessionMode::SharedStore: return checkSharedStore(u, m);
    case SessionMode::Token: return checkToken(u, now_us, m);
  }
  return SessionVerdict::Valid;
}

SessionVerdict Sessions::login(User& u, Metrics& m) {
  const bool again = u.logged_in_once;
  if (again) ++m.misses;
  u.logged_in_once = true;
  u.has_session = true;
  ++m.created;
  return again ? SessionVerdict::Missed : SessionVerdict::Valid;
}

SessionVerdict Sessions::checkServerMemory(User& u, int server, Metrics& m) {
  if (u.revoked) return SessionVerdict::Denied;
  const uint32_t epoch = server_epoch_[static_cast<size_t>(server)];
  if (u.has_session && u.server == server && u.server_epoch == epoch) return SessionVerdict::Valid;
  // Logging in here orphans the session on the other server; it is dropped there.
  if (heldByServer(u)) --server_sessions_[static_cast<size_t>(u.server)];
  const SessionVerdict v = login(u, m);
  u.server = server;
  u.server_epoch = epoch;
  ++server_sessions_[static_cast<size_t>(server)];
  return v;
}

SessionVerdict Sessions::checkSharedStore(User& u, Metrics& m) {
  if (u.revoked) return SessionVerdict::Denied;
  if (u.has_session && u.store_epoch == store_data_epoch_) return SessionVerdict::Valid;
  const SessionVerdict v = login(u, m);
  u.store_epoch = store_data_epoch_;
  ++store_sessions_;
  return v;
}

SessionVerdict Sessions::checkToken(User& u, int64_t now_us, Metrics& m) {
  if (!u.has_session) {
    if (u.revoked) return SessionVerdict::Denied;
    const SessionVerdict v = login(u, m);
    u.token_expiry_us = now_us + ttl_us_;
    return v;
  }
  if (now_us >= u.token_expiry_us) {
    // An expired token is refreshed without the user noticing, unless the user is revoked.
    if (u.revoked) return SessionVerdict::Denied;
    ++m.token_refreshes;
    u.token_expiry_us = now_us + ttl_us_;
    return SessionVerdict::Valid;
  }
  if (u.revoked) {
    if (deny_list_) return SessionVerdict::Denied;
    ++m.revoked_accepted;  // the signature is valid: nothing on the server says otherwise
  }
  return SessionVerdict::Valid;
}

void Sessions::revoke(int64_t user) {
  User& u = users_[static_cast<size_t>(user)];
  u.revoked = true;
  any_revoked_ = true;
  if (mode_ == SessionMode::ServerMemory && heldByServer(u)) {
    --server_sessions_[static_cast<size_t>(u.server)];
    u.has_session = false;
  } else if (mode_ == SessionMode::SharedStore && u.has_session && u.store_epoch == store_data_epoch_) {
    --store_sessions_;
    u.has_session = false;
  }
}

int64_t Sessions::serverStopped(int s) {
  const int64_t lost = server_sessions_[static_cast<size_t>(s)];
  server_sessions_[static_cast<size_t>(s)] = 0;
  ++server_epoch_[static_cast<size_t>(s)];
  return lost;
}

int64_t Sessions::storeLost() {
  const int64_t lost = store_sessions_;
  store_sessions_ = 0;
  ++store_data_epoch_;
  return lost;
}

int64_t Sessions::liveSessions(int64_t now_us) const {
  int64_t live = 0;
  if (mode_ == SessionMode::Token) {
    for (const User& u : users_) live += u.has_session && now_us < u.token_expiry_us ? 1 : 0;
    return live;
  }
  live = store_sessions_;
  for (int64_t n : server_sessions_) live += n;
  return live;
}

size_t Sessions::capacityBytes() const {
  return users_.capacity() * sizeof(User) + server_sessions_.capacity() * sizeof(int64_t) +
         server_epoch_.capacity() * sizeof(uint32_t);
}

}  // namespace sl
