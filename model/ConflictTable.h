// Which concurrent event types conflict and which commute (DESIGN: "Cases are
// event-sourced"). Two concurrent events conflict when they belong to the same group
// and carry different values; everything else commutes.
#pragma once

#include "model/Event.h"

#include <optional>
#include <string>

namespace ow::model {

namespace ConflictGroup {
inline constexpr const char* Decision
    = "decision"; // accept / deficient / notice / refuse / conclude / withdraw / terminate
inline constexpr const char* Assignment = "assignment";
inline constexpr const char* Transfer = "transfer";
inline constexpr const char* Suspension = "suspension"; // suspend / resume / extend
// Idempotent completion steps: concurrent duplicates collapse, they never conflict.
inline constexpr const char* Completion = "completion";
} // namespace ConflictGroup

// The group of an event type, or nothing for commuting types (materials, notes,
// evaluations, documents, routing and steps, unknown types).
std::optional<std::string> conflictGroup(const std::string& type);
// The value compared within a group: equal values are duplicates, not conflicts.
std::string conflictValue(const Event& e);
// True when two *concurrent* events conflict.
bool eventsConflict(const Event& a, const Event& b);
// Groups that may hold a real conflict (Completion never does).
bool groupCanConflict(const std::string& group);

} // namespace ow::model
