#include "vocabulary.h"

namespace sl {

namespace {

template <size_t N>
nlohmann::json list(const char* const (&names)[N]) {
  nlohmann::json a = nlohmann::json::array();
  for (const char* n : names) a.push_back(n);
  return a;
}

// The operators that keep state between events (windows): the views mark them, and a crash
// loses what they hold unless a checkpoint saved it.
nlohmann::json statefulOperators() {
  nlohmann::json a = nlohmann::json::array();
  for (size_t k = 0; k < std::size(kStreamOpNames); ++k) {
    StreamOperatorDef op;
    op.kind = static_cast<StreamOpKind>(k);
    if (op.stateful()) a.push_back(kStreamOpNames[k]);
  }
  return a;
}

}  // namespace

nlohmann::json vocabularyJson() {
  return {{"policies", list(kPolicyNames)},
          {"sessionModes", list(kSessionModeNames)},
          {"actions", list(kActionNames)},
          {"distributions", list(kDistNames)},
          {"traceKinds", list(kTraceKindNames)},
          {"outcomes", list(kOutcomeNames)},
          {"reasons", list(kReasonNames)},
          {"streamOperators", list(kStreamOpNames)},
          {"statefulStreamOperators", statefulOperators()},
          {"streamFields", list(kStreamFieldNames)},
          {"checkpointModes", list(kCheckpointModeNames)},
          {"streamActions", list(kStreamActionNames)},
          {"streamTraceKinds", list(kStreamTraceKindNames)}};
}

}  // namespace sl
