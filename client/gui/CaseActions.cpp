#include "CaseActions.h"

#include "model/ConflictTable.h"
#include "model/HybridClock.h"

#include "Text.h"

#include <wx/intl.h>

namespace ow::gui {

namespace {

namespace T = model::EventType;
using model::Json;

// A placeholder for required text fields of a probe: only the rules are being asked.
const char* const kProbeText = "?";

Json body(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json j = Json::object();
    for (const auto& [k, v] : members)
        j[k] = v;
    return j;
}

} // namespace

const std::vector<CaseActionInfo>& caseActions()
{
    using A = model::Action;
    using C = CaseAction;
    static const std::vector<CaseActionInfo> actions = {
        {C::Accept, A::Accept},
        {C::Refuse, A::Refuse},
        {C::Route, A::Route},
        {C::CompleteStep, A::CompleteStep},
        {C::ReceiveMaterials, A::ReceiveMaterial},
        {C::Correction, A::RecordCorrection},
        {C::Suspend, A::Suspend},
        {C::Resume, A::Resume},
        {C::Extend, A::ApproveExtension},
        {C::Conclude, A::Conclude},
        {C::Deliver, A::Deliver},
        {C::Close, A::Close},
        {C::Withdraw, A::Withdraw},
        {C::Terminate, A::Terminate},
        {C::Assign, A::Assign},
        {C::AddNote, A::AddNote},
        {C::ResolveConflict, A::ResolveConflict},
    };
    return actions;
}

std::string nextStepId(const model::CaseState& state)
{
    for (std::size_t n = state.steps.size() + 1;; ++n) {
        std::string id = "S" + std::to_string(n);
        if (!state.step(id))
            return id;
    }
}

std::vector<const model::CaseStep*> openSteps(const model::CaseState& state)
{
    std::vector<const model::CaseStep*> out;
    for (const auto& s : state.steps)
        if (!s.done)
            out.push_back(&s);
    return out;
}

std::vector<const model::CaseMaterial*> outstandingMaterials(const model::CaseState& state)
{
    std::vector<const model::CaseMaterial*> out;
    for (const auto& m : state.materials)
        if (!m.received && !m.dataShared)
            out.push_back(&m);
    return out;
}

wxString stateRefusal(CaseAction action, const model::CaseState& state, const std::string& user)
{
    using C = CaseAction;
    model::Event probe;
    probe.caseNumber = state.number;
    probe.actor = user;
    probe.hlc = model::makeHlc(model::systemPhysicalClock()(), 0);
    switch (action) {
    case C::Accept:
        probe.type = T::Accepted;
        break;
    case C::Refuse:
        probe.type = T::Refused;
        probe.body = body({{"reason", kProbeText}});
        break;
    case C::Route:
        probe.type = T::Routed;
        probe.body = body({{"step", nextStepId(state)}, {"department", kProbeText}});
        break;
    case C::CompleteStep: {
        auto open = openSteps(state);
        if (open.empty())
            return _("No step is open.");
        probe.type = T::StepDone;
        probe.body = body({{"step", open.front()->id}, {"outcome", kProbeText}});
        break;
    }
    case C::ReceiveMaterials: {
        auto owed = outstandingMaterials(state);
        if (owed.empty())
            return _("Every material has been received.");
        probe.type = T::MaterialReceived;
        Json codes = Json::array();
        codes.push_back(Json(owed.front()->code));
        probe.body = body({{"codes", codes}});
        break;
    }
    case C::Correction:
        probe.type = T::Corrected;
        probe.body = body({{"codes", Json::array()}});
        break;
    case C::Suspend:
        probe.type = T::Suspended;
        probe.body = body({{"reason", kProbeText}});
        break;
    case C::Resume:
        probe.type = T::Resumed;
        break;
    case C::Extend:
        probe.type = T::Extended;
        probe.body
            = body({{"limit", "1wd"}, {"approvedBy", user}, {"requestedBy", user}, {"reason", kProbeText}});
        break;
    case C::Conclude:
        // A denial is possible whenever a conclusion is; the dialog explains when approval is not.
        probe.type = T::Concluded;
        probe.body = body({{"outcome", "denied"}, {"reason", kProbeText}});
        break;
    case C::Deliver:
        probe.type = T::Delivered;
        probe.body = body({{"method", "window"}});
        break;
    case C::Close:
        probe.type = T::Closed;
        break;
    case C::Withdraw:
        probe.type = T::Withdrawn;
        probe.body = body({{"reason", kProbeText}});
        break;
    case C::Terminate:
        probe.type = T::Terminated;
        probe.body = body({{"reason", kProbeText}});
        break;
    case C::Assign:
        probe.type = T::Assigned;
        probe.body = body({{"assignee", user}});
        break;
    case C::AddNote:
        probe.type = T::Note;
        probe.body = body({{"text", kProbeText}});
        break;
    case C::ResolveConflict:
        if (!state.inConflict() || state.conflicts.front().candidates.empty())
            return _("The case is not in conflict.");
        probe.type = T::ConflictResolved;
        probe.body = body({{"group", state.conflicts.front().group},
            {"chosen", state.conflicts.front().candidates.front().eventId}});
        break;
    }
    // Handing out or archiving a result whose decision is in conflict would hand out what
    // the queue manager may yet overrule; the model lets these completion steps through
    // (they never conflict themselves), so the tab holds them back until it is resolved.
    if ((action == C::Deliver || action == C::Close) && state.conflict(model::ConflictGroup::Decision))
        return describe(model::DomainError("case.in_conflict",
            {{"case", state.number}, {"group", model::ConflictGroup::Decision}, {"event", probe.type}}));
    try {
        model::checkTransition(state, probe);
    } catch (const model::DomainError& e) {
        return describe(e);
    }
    return {};
}

} // namespace ow::gui
