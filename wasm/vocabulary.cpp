#include "vocabulary.h"

namespace sl {

namespace {

// One function for every table, not a template per table size, and the object built field by
// field: the module holds that code once.
void put(nlohmann::json& j, const char* key, const char* const* names, size_t count) {
  nlohmann::json& a = j[key] = nlohmann::json::array();
  for (size_t i = 0; i < count; ++i) a.push_back(names[i]);
}

template <size_t N>
void put(nlohmann::json& j, const char* key, const char* const (&names)[N]) { put(j, key, names, N); }

// The operators that keep state between events (windows): the views mark them, and a crash
// loses what they hold unless a checkpoint saved it.
void putStatefulOperators(nlohmann::json& j) {
  nlohmann::json& a = j["statefulStreamOperators"] = nlohmann::json::array();
  for (size_t k = 0; k < std::size(kStreamOpNames); ++k) {
    StreamOperatorDef op;
    op.kind = static_cast<StreamOpKind>(k);
    if (op.stateful()) a.push_back(kStreamOpNames[k]);
  }
}

// The policies that keep a user on one server: the lessons do not expect a fair share of them.
void putStickyPolicies(nlohmann::json& j) {
  nlohmann::json& a = j["stickyPolicies"] = nlohmann::json::array();
  for (size_t k = 0; k < std::size(kPolicyNames); ++k) {
    if (kPolicyPinsUsers[k]) a.push_back(kPolicyNames[k]);
  }
}

void putSessionModeTraits(nlohmann::json& j) {
  nlohmann::json& o = j["sessionModeTraits"] = nlohmann::json::object();
  for (size_t k = 0; k < std::size(kSessionModeNames); ++k) {
    const SessionModeTraits& t = kSessionModeTraits[k];
    nlohmann::json& m = o[kSessionModeNames[k]];
    m["where"] = t.where;
    m["served"] = t.served;
    m["credential"] = t.credential;
    m["store"] = t.store;
    m["inServerMemory"] = t.in_server_memory;
  }
}

}  // namespace

nlohmann::json vocabularyJson() {
  nlohmann::json j = nlohmann::json::object();
  put(j, "policies", kPolicyNames);
  putStickyPolicies(j);
  put(j, "sessionModes", kSessionModeNames);
  putSessionModeTraits(j);
  put(j, "actions", kActionNames);
  put(j, "distributions", kDistNames);
  put(j, "traceKinds", kTraceKindNames);
  put(j, "outcomes", kOutcomeNames);
  put(j, "reasons", kReasonNames);
  put(j, "streamOperators", kStreamOpNames);
  putStatefulOperators(j);
  put(j, "streamFields", kStreamFieldNames);
  put(j, "checkpointModes", kCheckpointModeNames);
  put(j, "streamActions", kStreamActionNames);
  put(j, "streamTraceKinds", kStreamTraceKindNames);
  return j;
}

}  // namespace sl
