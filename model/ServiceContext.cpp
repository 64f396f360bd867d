#include "model/ServiceContext.h"

#include "model/Error.h"
#include "model/Log.h"

#include <set>
#include <spdlog/spdlog.h>

namespace ow::model {

Staff ServiceBase::authorise(const std::string& actor, Action action) const
{
    auto staff = m_ctx.staff.findStaff(actor);
    if (!staff) {
        logger()->info("refused {}: unknown actor {}", toString(action), actor);
        throw DomainError("permission.unknown_actor", {{"actor", actor}, {"action", toString(action)}});
    }
    requirePermission(*staff, action);
    return *staff;
}

CaseState ServiceBase::load(const std::string& caseNumber) const
{
    auto state = m_ctx.store.findCase(caseNumber);
    if (!state || state->status == CaseStatus::None)
        throw DomainError("case.not_found", {{"case", caseNumber}});
    return *state;
}

CaseState ServiceBase::write(
    const CaseState& state, const std::string& actor, const std::string& type, Json body)
{
    writeEvent(state, actor, type, std::move(body));
    return load(state.number);
}

Event ServiceBase::writeEvent(
    const CaseState& state, const std::string& actor, const std::string& type, Json body)
{
    // A case transferred to another centre (通办) is worked there. Here it can still be
    // read, annotated and rated, its documents reprinted for an applicant who comes back,
    // and its conflicts resolved; and while two transfers conflict, nobody knows where it is.
    static const std::set<std::string> anywhere
        = {EventType::Note, EventType::Evaluated, EventType::DocumentIssued, EventType::ConflictResolved};
    if (!m_ctx.centre.empty() && !state.currentCentre.empty() && state.currentCentre != m_ctx.centre
        && !anywhere.count(type) && !state.conflict("transfer"))
        throw DomainError("case.at_other_centre",
            {{"case", state.number}, {"centre", state.currentCentre}, {"here", m_ctx.centre}});
    if (!body.contains("on") && type != EventType::Note && type != EventType::Assigned)
        body["on"] = m_ctx.clock.today().iso();
    NewEvent n{type, state.number, actor, state.heads, std::move(body)};
    // Judge the event exactly as the fold will, before anything is written.
    Event probe;
    probe.type = n.type;
    probe.caseNumber = n.caseNumber;
    probe.actor = n.actor;
    probe.heads = n.heads;
    probe.body = n.body;
    checkTransition(state, probe);
    auto stored = m_ctx.store.append({n});
    // Ids, types and actors only: bodies hold identity numbers.
    logger()->debug("{} {} case {} by {}", stored.front().id(), type, state.number, actor);
    return stored.front();
}

} // namespace ow::model
