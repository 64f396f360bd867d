#include "model/EvaluationService.h"

#include "model/Error.h"
#include "model/Log.h"

#include <spdlog/spdlog.h>

namespace ow::model {

namespace {

constexpr std::size_t kMaxComment = 500; // bytes of UTF-8, about 160 Chinese characters

} // namespace

Date followUpDue(Date day, int workingDays, const HolidayCalendar& calendar)
{
    Date d = day;
    for (int left = workingDays; left > 0;) {
        d = d.addDays(1);
        if (calendar.isWorkingDay(d))
            --left;
    }
    return d;
}

EvaluationService::EvaluationService(
    ServiceContext& ctx, const EvaluationRepository& evaluations, const HallStore& hall, int followUpDays)
    : ServiceBase(ctx)
    , m_evaluations(evaluations)
    , m_hall(hall)
    , m_followUpDays(followUpDays > 0 ? followUpDays : 5)
{
}

Evaluation EvaluationService::write(const std::string& actor, const Rating& r)
{
    if (r.level < kVeryDissatisfied || r.level > kVerySatisfied)
        throw DomainError("evaluation.level", {{"level", std::to_string(r.level)}});
    if (r.comment.size() > kMaxComment)
        throw DomainError("evaluation.comment_too_long", {{"max", std::to_string(kMaxComment)}});
    if (r.caseNumber.empty() && r.ticket.empty())
        throw DomainError("evaluation.nothing_rated");
    Json body = Json::object();
    body["level"] = r.level;
    body["channel"] = r.channel;
    body["comment"] = r.comment;
    body["anonymous"] = r.anonymous;
    if (!r.ticket.empty())
        body["ticket"] = r.ticket;
    if (!r.staff.empty())
        body["staff"] = r.staff;
    if (!r.window.empty())
        body["window"] = r.window;
    if (isBadRating(r.level))
        body["followUpDue"] = followUpDue(m_ctx.clock.today(), m_followUpDays, m_ctx.calendar).iso();
    std::string id;
    if (!r.caseNumber.empty()) {
        id = writeEvent(load(r.caseNumber), actor, EventType::Evaluated, std::move(body)).id();
    } else {
        auto stored
            = m_ctx.store.append({NewEvent{EvaluationEvent::Recorded, "", actor, {}, std::move(body)}});
        id = stored.front().id();
    }
    logger()->info("rating {} ({}) by {}", id, r.level, actor);
    auto stored = m_evaluations.findEvaluation(id);
    if (!stored)
        throw DomainError("evaluation.not_found", {{"evaluation", id}});
    return *stored;
}

Evaluation EvaluationService::rateAtWindow(
    const std::string& window, const std::string& ticketId, const Rating& rating)
{
    auto ticket = m_hall.findTicket(ticketId);
    if (!ticket)
        throw DomainError("queue.ticket_not_found", {{"ticket", ticketId}});
    if (ticket->window != window || ticket->status != TicketStatus::Ended)
        throw DomainError("evaluation.not_served_here", {{"ticket", ticket->display()}, {"window", window}});
    if (m_evaluations.evaluationOfTicket(ticketId))
        throw DomainError("evaluation.already_rated", {{"ticket", ticket->display()}});
    Rating r = rating;
    r.channel = "evaluator";
    r.ticket = ticket->id;
    r.caseNumber = ticket->caseNumber;
    r.staff = ticket->staff;
    r.window = window;
    return write("evaluator:" + window, r);
}

Evaluation EvaluationService::record(const std::string& actor, const Rating& rating)
{
    authorise(actor, Action::RecordEvaluation);
    if (!rating.ticket.empty() && m_evaluations.evaluationOfTicket(rating.ticket))
        throw DomainError("evaluation.already_rated", {{"ticket", rating.ticket}});
    return write(actor, rating);
}

Evaluation EvaluationService::followUp(const std::string& actor, const std::string& evaluationId,
    FollowUpAction action, const std::string& note, bool close, AppealOutcome outcome)
{
    authorise(actor, Action::FollowUpRating);
    auto found = m_evaluations.findEvaluation(evaluationId);
    if (!found)
        throw DomainError("evaluation.not_found", {{"evaluation", evaluationId}});
    const Evaluation& v = *found;
    if (!v.needsFollowUp())
        throw DomainError("evaluation.no_follow_up", {{"evaluation", evaluationId}});
    if (v.closed)
        throw DomainError("evaluation.closed", {{"evaluation", evaluationId}});
    if (note.find_first_not_of(" \t\r\n") == std::string::npos)
        throw DomainError("evaluation.note_missing");
    if (action == FollowUpAction::Appeal && outcome == AppealOutcome::None)
        outcome = AppealOutcome::Pending;
    if (action != FollowUpAction::Appeal && outcome != AppealOutcome::None)
        throw DomainError("evaluation.outcome", {{"outcome", toString(outcome)}});
    auto decided = [](AppealOutcome o) { return o == AppealOutcome::Upheld || o == AppealOutcome::Rejected; };
    const bool acted = v.callbackDone || v.rectified || decided(v.appeal) || action != FollowUpAction::Appeal
        || decided(outcome);
    if (close && !acted)
        throw DomainError("evaluation.close_without_action", {{"evaluation", evaluationId}});
    Json body = Json::object();
    body["evaluation"] = evaluationId;
    body["action"] = toString(action);
    body["note"] = note;
    body["close"] = close;
    if (action == FollowUpAction::Appeal)
        body["outcome"] = toString(outcome);
    m_ctx.store.append({NewEvent{EvaluationEvent::FollowUp, "", actor, {}, std::move(body)}});
    logger()->info(
        "follow-up {} of rating {} by {}{}", toString(action), evaluationId, actor, close ? " (closed)" : "");
    return *m_evaluations.findEvaluation(evaluationId);
}

} // namespace ow::model
