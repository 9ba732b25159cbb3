// The session-mode rules of session.h, checked against what a simulation does.
#include <catch2/catch.hpp>

#include "scenario.h"
#include "session.h"
#include "simulation.h"

namespace {

sl::Scenario clusterWith(sl::SessionMode mode, bool deny_list) {
  sl::Scenario s;
  s.seed = 5;
  s.duration_s = 20;
  s.warmup_s = 0;
  s.traffic.users = 200;
  s.traffic.rate_per_s = 100;
  s.servers.count = 2;
  s.session.mode = mode;
  s.token.deny_list = deny_list;
  return s;
}

}  // namespace

TEST_CASE("usesStore holds for shared_store and for token with a deny list, and for no other mode", "[session]") {
  for (sl::SessionMode mode : {sl::SessionMode::None, sl::SessionMode::ServerMemory, sl::SessionMode::SharedStore,
                               sl::SessionMode::Token}) {
    for (bool deny_list : {false, true}) {
      const sl::Scenario s = clusterWith(mode, deny_list);
      const bool expected = mode == sl::SessionMode::SharedStore || (mode == sl::SessionMode::Token && deny_list);
      INFO("mode " << static_cast<int>(mode) << ", deny list " << deny_list);
      CHECK(sl::usesStore(mode, s) == expected);
    }
  }
}

TEST_CASE("usesStore agrees with the store lookups a run makes, in every mode", "[session]") {
  for (sl::SessionMode mode : {sl::SessionMode::None, sl::SessionMode::ServerMemory, sl::SessionMode::SharedStore,
                               sl::SessionMode::Token}) {
    for (bool deny_list : {false, true}) {
      const sl::Scenario s = clusterWith(mode, deny_list);
      sl::Simulation sim(s);
      sim.run();
      INFO("mode " << static_cast<int>(mode) << ", deny list " << deny_list);
      CHECK(sim.usesStore() == sl::usesStore(mode, s));
      CHECK((sim.store().lookups > 0) == sim.usesStore());
    }
  }
}

TEST_CASE("Simulation.usesStore follows a live change of session mode", "[session]") {
  sl::Simulation sim(clusterWith(sl::SessionMode::None, false));
  CHECK_FALSE(sim.usesStore());
  sim.runUntil(5000000);
  sl::Action to_store;
  to_store.kind = sl::ActionKind::SetSessionMode;
  to_store.mode = sl::SessionMode::SharedStore;
  REQUIRE(sim.apply(to_store).empty());
  CHECK(sim.usesStore());
  const uint64_t lookups_before = sim.store().lookups;
  sim.runUntil(10000000);
  CHECK(sim.store().lookups > lookups_before);
  sl::Action to_memory = to_store;
  to_memory.mode = sl::SessionMode::ServerMemory;
  REQUIRE(sim.apply(to_memory).empty());
  CHECK_FALSE(sim.usesStore());
}
