#include "vocabulary.h"

namespace sl {

namespace {

template <size_t N>
nlohmann::json list(const char* const (&names)[N]) {
  nlohmann::json a = nlohmann::json::array();
  for (const char* n : names) a.push_back(n);
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
          {"streamFields", list(kStreamFieldNames)},
          {"checkpointModes", list(kCheckpointModeNames)},
          {"streamActions", list(kStreamActionNames)},
          {"streamTraceKinds", list(kStreamTraceKindNames)}};
}

}  // namespace sl
