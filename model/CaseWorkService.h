// Work on an accepted case: routing to back-office steps, suspension and extension of
// the clock, conclusion, hand-out, closing, and the annotations that go with them.
#pragma once

#include "model/ServiceContext.h"
#include "model/TimeLimit.h"

#include <string>

namespace ow::model {

class CaseWorkService : ServiceBase {
public:
    explicit CaseWorkService(ServiceContext& ctx)
        : ServiceBase(ctx)
    {
    }

    CaseState view(const std::string& actor, const std::string& caseNumber) const;

    CaseState route(const std::string& actor, const std::string& caseNumber, const std::string& stepId,
        const std::string& department, const std::string& assignee);
    CaseState completeStep(const std::string& actor, const std::string& caseNumber, const std::string& stepId,
        const std::string& outcome);
    CaseState suspend(const std::string& actor, const std::string& caseNumber, const std::string& reason);
    CaseState resume(const std::string& actor, const std::string& caseNumber);
    // 延期 needs approval: the actor approves (ApproveExtension), `requestedBy` asked for it.
    CaseState extend(const std::string& actor, const std::string& caseNumber, TimeLimit extra,
        const std::string& reason, const std::string& requestedBy);
    CaseState conclude(const std::string& actor, const std::string& caseNumber, bool approved,
        const std::string& reason = {});
    CaseState deliver(const std::string& actor, const std::string& caseNumber, const std::string& method);
    CaseState withdraw(const std::string& actor, const std::string& caseNumber, const std::string& reason);
    CaseState terminate(const std::string& actor, const std::string& caseNumber, const std::string& reason);
    CaseState close(const std::string& actor, const std::string& caseNumber);

    CaseState addNote(const std::string& actor, const std::string& caseNumber, const std::string& text);
    CaseState assign(const std::string& actor, const std::string& caseNumber, const std::string& assignee,
        const std::string& window = {});
    CaseState transferToCentre(const std::string& actor, const std::string& caseNumber,
        const std::string& toCentre, const std::string& reason);
    CaseState recordEvaluation(const std::string& actor, const std::string& caseNumber, int level,
        const std::string& channel, const std::string& comment);
    CaseState recordDocument(const std::string& actor, const std::string& caseNumber, const std::string& kind,
        const std::string& documentNumber, bool reprint);
    CaseState resolveConflict(const std::string& actor, const std::string& caseNumber,
        const std::string& group, const std::string& chosenEventId);

    // The promised deadline with its day-by-day ledger. Throws "case.not_accepted" before
    // acceptance. `statutory` selects the statutory limit instead of the promised one.
    DeadlineResult deadline(const std::string& caseNumber, bool statutory = false) const;
};

// The case's deadline computed from its own state: the longest limit among its matters
// (a bundle finishes when its slowest matter does), from the acceptance date, with its
// suspensions and approved extensions.
DeadlineResult caseDeadline(const CaseState& state, const HolidayCalendar& calendar, bool statutory = false);

} // namespace ow::model
