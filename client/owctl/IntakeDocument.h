// The JSON intake document (docs/OWCTL.md): how online applications and scripts enter
// cases. Parsing is strict — an unknown field is an error, not a silent no-op — and
// every error names its JSON path, never the value of an identity number.
#pragma once

#include "model/Date.h"
#include "model/IntakeService.h"
#include "model/Json.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::owctl {

enum class DecisionKind { None, Accept, AcceptDeficient, Notice, Refuse };

struct IntakeDecision {
    DecisionKind kind = DecisionKind::None;
    std::optional<std::vector<std::string>> missing; // accept_deficient; default: what is missing
    std::optional<model::Date> commitmentDue; // accept_deficient: a date…
    std::optional<int> commitmentDueInDays; // …or calendar days after today
    std::optional<std::vector<std::string>> items; // notice; default: what is missing
    std::string reason; // refuse
    std::string legalBasis; // refuse
};

struct IntakeDocument {
    model::IntakeRequest request;
    std::string clerk; // the acting staff account
    IntakeDecision decision;
};

// Throws DomainError "intake.document" (facts path, reason, and expected where it helps).
IntakeDocument parseIntakeDocument(const model::Json& document);

} // namespace ow::owctl
