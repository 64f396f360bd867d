// Ratings (好差评) and the follow-up of bad ones. The evaluator facing the applicant is a
// public device paired with a window: it rates the service that window has just ended
// (the ticket names the case and the staff member) and needs no staff permission; a
// queue manager records ratings taken otherwise and follows up the bad ones.
#pragma once

#include "model/Evaluation.h"
#include "model/ServiceContext.h"

#include <string>

namespace ow::model {

class EvaluationRepository {
public:
    virtual ~EvaluationRepository() = default;
    virtual std::optional<Evaluation> findEvaluation(const std::string& id) const = 0;
    virtual std::optional<Evaluation> evaluationOfTicket(const std::string& ticket) const = 0;
    // Bad ratings whose follow-up is not closed, earliest due first.
    virtual std::vector<Evaluation> openFollowUps() const = 0;
    // Ratings given on days from `from` to `to` (inclusive).
    virtual std::vector<Evaluation> evaluationsBetween(Date from, Date to) const = 0;
};

struct Rating {
    int level = 0; // 1 非常不满意 … 5 非常满意
    std::string comment;
    bool anonymous = false; // real-name ratings carry the applicant's case and name
    std::string channel = "evaluator"; // evaluator, sms, phone, web, paper
    // For ratings recorded by a queue manager (the evaluator takes these from the ticket).
    std::string caseNumber;
    std::string ticket;
    std::string staff;
    std::string window;
};

class EvaluationService : ServiceBase {
public:
    // `followUpDays`: working days a bad rating's follow-up may take (default 5).
    EvaluationService(ServiceContext& ctx, const EvaluationRepository& evaluations, const HallStore& hall,
        int followUpDays = 5);

    // The evaluator at `window` rates the ticket served there. Throws
    // "evaluation.level" (facts level), "evaluation.comment_too_long" (facts max),
    // "queue.ticket_not_found", "evaluation.not_served_here" (facts ticket, window),
    // "evaluation.already_rated" (facts ticket).
    Evaluation rateAtWindow(const std::string& window, const std::string& ticketId, const Rating& rating);
    // A rating taken by another channel (RecordEvaluation): against a case, a ticket or both.
    Evaluation record(const std::string& actor, const Rating& rating);
    // One step of a bad rating's follow-up (FollowUpRating). Closing needs a callback, a
    // rectification or a decided appeal. Throws "evaluation.not_found",
    // "evaluation.no_follow_up", "evaluation.closed", "evaluation.note_missing",
    // "evaluation.close_without_action", "evaluation.outcome" (facts outcome).
    Evaluation followUp(const std::string& actor, const std::string& evaluationId, FollowUpAction action,
        const std::string& note, bool close, AppealOutcome outcome = AppealOutcome::None);

    std::vector<Evaluation> openFollowUps() const { return m_evaluations.openFollowUps(); }
    int followUpDays() const { return m_followUpDays; }

private:
    Evaluation write(const std::string& actor, const Rating& rating);

    const EvaluationRepository& m_evaluations;
    const HallStore& m_hall;
    int m_followUpDays;
};

// The day a follow-up of a rating given on `day` is due: `workingDays` working days later.
Date followUpDue(Date day, int workingDays, const HolidayCalendar& calendar);

} // namespace ow::model
