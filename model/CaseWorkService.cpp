#include "model/CaseWorkService.h"

#include "model/Error.h"

#include <algorithm>

namespace ow::model {

namespace {

Json obj(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json j = Json::object();
    for (const auto& [k, v] : members)
        j[k] = v;
    return j;
}

} // namespace

CaseState CaseWorkService::view(const std::string& actor, const std::string& caseNumber) const
{
    authorise(actor, Action::ViewCase);
    return load(caseNumber);
}

CaseState CaseWorkService::route(const std::string& actor, const std::string& caseNumber,
    const std::string& stepId, const std::string& department, const std::string& assignee)
{
    authorise(actor, Action::Route);
    return write(load(caseNumber), actor, EventType::Routed,
        obj({{"step", stepId}, {"department", department}, {"assignee", assignee}}));
}

CaseState CaseWorkService::completeStep(const std::string& actor, const std::string& caseNumber,
    const std::string& stepId, const std::string& outcome)
{
    authorise(actor, Action::CompleteStep);
    return write(load(caseNumber), actor, EventType::StepDone, obj({{"step", stepId}, {"outcome", outcome}}));
}

CaseState CaseWorkService::suspend(
    const std::string& actor, const std::string& caseNumber, const std::string& reason)
{
    authorise(actor, Action::Suspend);
    return write(load(caseNumber), actor, EventType::Suspended, obj({{"reason", reason}}));
}

CaseState CaseWorkService::resume(const std::string& actor, const std::string& caseNumber)
{
    authorise(actor, Action::Resume);
    return write(load(caseNumber), actor, EventType::Resumed, Json::object());
}

CaseState CaseWorkService::extend(const std::string& actor, const std::string& caseNumber, TimeLimit extra,
    const std::string& reason, const std::string& requestedBy)
{
    authorise(actor, Action::ApproveExtension);
    if (extra.days <= 0 || extra.days > kMaxLimitDays)
        throw DomainError("timelimit.invalid",
            {{"reason", "extension_out_of_range"}, {"days", std::to_string(extra.days)}});
    return write(load(caseNumber), actor, EventType::Extended,
        obj({{"limit", extra.toString()}, {"approvedBy", actor}, {"requestedBy", requestedBy},
            {"reason", reason}}));
}

CaseState CaseWorkService::conclude(
    const std::string& actor, const std::string& caseNumber, bool approved, const std::string& reason)
{
    authorise(actor, Action::Conclude);
    return write(load(caseNumber), actor, EventType::Concluded,
        obj({{"outcome", approved ? "approved" : "denied"}, {"reason", reason}}));
}

CaseState CaseWorkService::deliver(
    const std::string& actor, const std::string& caseNumber, const std::string& method)
{
    authorise(actor, Action::Deliver);
    return write(load(caseNumber), actor, EventType::Delivered, obj({{"method", method}}));
}

CaseState CaseWorkService::withdraw(
    const std::string& actor, const std::string& caseNumber, const std::string& reason)
{
    authorise(actor, Action::Withdraw);
    return write(load(caseNumber), actor, EventType::Withdrawn, obj({{"reason", reason}}));
}

CaseState CaseWorkService::terminate(
    const std::string& actor, const std::string& caseNumber, const std::string& reason)
{
    authorise(actor, Action::Terminate);
    return write(load(caseNumber), actor, EventType::Terminated, obj({{"reason", reason}}));
}

CaseState CaseWorkService::close(const std::string& actor, const std::string& caseNumber)
{
    authorise(actor, Action::Close);
    return write(load(caseNumber), actor, EventType::Closed, Json::object());
}

CaseState CaseWorkService::addNote(
    const std::string& actor, const std::string& caseNumber, const std::string& text)
{
    authorise(actor, Action::AddNote);
    return write(load(caseNumber), actor, EventType::Note, obj({{"text", text}}));
}

CaseState CaseWorkService::assign(const std::string& actor, const std::string& caseNumber,
    const std::string& assignee, const std::string& window)
{
    authorise(actor, Action::Assign);
    auto target = m_ctx.staff.findStaff(assignee);
    if (!target || !target->active)
        throw DomainError("case.assignee_unknown", {{"case", caseNumber}, {"assignee", assignee}});
    // Only someone who works cases (at a window or in the back office) can take one on.
    if (!target->can(Action::Conclude) && !target->can(Action::CompleteStep))
        throw DomainError("case.assignee_cannot_serve", {{"case", caseNumber}, {"assignee", assignee}});
    const CaseState state = load(caseNumber);
    if (!window.empty() && !m_ctx.windows.empty()) {
        auto w = std::find_if(m_ctx.windows.begin(), m_ctx.windows.end(),
            [&](const ServiceWindow& x) { return x.code == window && x.active; });
        if (w == m_ctx.windows.end())
            throw DomainError("queue.unknown_window", {{"window", window}});
        for (const auto& m : state.matters)
            if (const ServiceMatter* matter = m_ctx.catalogue.findMatter(m.code);
                matter && !windowServes(*w, *matter))
                throw DomainError("queue.target_cannot_serve", {{"window", window}, {"matter", m.code}});
    }
    Json body = obj({{"assignee", assignee}});
    if (!window.empty())
        body["window"] = window;
    return write(state, actor, EventType::Assigned, std::move(body));
}

CaseState CaseWorkService::transferToCentre(const std::string& actor, const std::string& caseNumber,
    const std::string& toCentre, const std::string& reason)
{
    authorise(actor, Action::TransferCentre);
    if (!isValidCentreCode(toCentre))
        throw DomainError("case.centre_invalid", {{"case", caseNumber}, {"centre", toCentre}});
    return write(
        load(caseNumber), actor, EventType::Transferred, obj({{"toCentre", toCentre}, {"reason", reason}}));
}

CaseState CaseWorkService::recordEvaluation(const std::string& actor, const std::string& caseNumber,
    int level, const std::string& channel, const std::string& comment)
{
    authorise(actor, Action::RecordEvaluation);
    return write(load(caseNumber), actor, EventType::Evaluated,
        obj({{"level", level}, {"channel", channel}, {"comment", comment}}));
}

CaseState CaseWorkService::recordDocument(const std::string& actor, const std::string& caseNumber,
    const std::string& kind, const std::string& documentNumber, bool reprint)
{
    authorise(actor, Action::IssueDocument);
    return write(load(caseNumber), actor, EventType::DocumentIssued,
        obj({{"kind", kind}, {"number", documentNumber}, {"reprint", reprint}}));
}

CaseState CaseWorkService::resolveConflict(const std::string& actor, const std::string& caseNumber,
    const std::string& group, const std::string& chosenEventId)
{
    authorise(actor, Action::ResolveConflict);
    return write(load(caseNumber), actor, EventType::ConflictResolved,
        obj({{"group", group}, {"chosen", chosenEventId}}));
}

DeadlineResult CaseWorkService::deadline(const std::string& caseNumber, bool statutory) const
{
    return caseDeadline(load(caseNumber), m_ctx.calendar, statutory);
}

DeadlineResult caseDeadline(const CaseState& state, const HolidayCalendar& calendar, bool statutory)
{
    if (!state.acceptedOn)
        throw DomainError("case.not_accepted", {{"case", state.number}, {"status", toString(state.status)}});
    if (state.matters.empty())
        throw DomainError("case.no_matters", {{"case", state.number}});
    // The slowest matter sets the bundle's deadline; compare by the date each would give.
    std::vector<Suspension> suspensions;
    for (const auto& s : state.suspensions)
        suspensions.push_back({s.from, s.to, s.reason});
    std::vector<Extension> extensions;
    for (const auto& x : state.extensions)
        extensions.push_back({x.extra.days, x.extra.counting, x.approvedBy, x.approvedOn});
    std::optional<DeadlineResult> best;
    for (const auto& m : state.matters) {
        TimeLimit limit = statutory ? m.statutoryLimit : m.promisedLimit;
        DeadlineResult r = computeDeadline(calendar, *state.acceptedOn, limit, suspensions, extensions);
        if (!best || r.deadline > best->deadline)
            best = std::move(r);
    }
    return *best;
}

} // namespace ow::model
