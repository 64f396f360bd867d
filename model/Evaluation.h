// 好差评: the applicant's rating of one service, given on the evaluator facing them (or
// taken by phone, SMS or on paper and recorded by a queue manager), against the case,
// the ticket and the staff member who served. A rating of 不满意 or 非常不满意 opens a
// follow-up due within N working days: a callback (回访), a rectification (整改), or an
// appeal for review (申诉复核) when the rating was mistaken or malicious; it stays on
// the queue manager's list until closed. Ratings with a case are case.evaluated events
// (the case keeps them); a service without a case gives evaluation.recorded. Follow-ups
// are evaluation.followup events naming the rating's event id.
#pragma once

#include "model/Date.h"
#include "model/Event.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

namespace EvaluationEvent {
inline constexpr const char* Recorded = "evaluation.recorded"; // a service without a case
inline constexpr const char* FollowUp = "evaluation.followup";
} // namespace EvaluationEvent

// Levels as the national 好差评 scale counts them.
inline constexpr int kVerySatisfied = 5; // 非常满意
inline constexpr int kSatisfied = 4; // 满意
inline constexpr int kFairlySatisfied = 3; // 基本满意
inline constexpr int kDissatisfied = 2; // 不满意
inline constexpr int kVeryDissatisfied = 1; // 非常不满意

bool isBadRating(int level); // 不满意 or 非常不满意: needs a follow-up
bool isEvaluationEvent(const Event& e); // a rating (case.evaluated or evaluation.recorded)

enum class FollowUpAction { Callback, Rectification, Appeal };
enum class AppealOutcome { None, Pending, Upheld, Rejected };
std::string toString(FollowUpAction);
std::optional<FollowUpAction> followUpActionFromString(const std::string&);
std::string toString(AppealOutcome);
std::optional<AppealOutcome> appealOutcomeFromString(const std::string&);

struct FollowUpStep {
    FollowUpAction action = FollowUpAction::Callback;
    std::string note;
    std::string actor;
    Date on;
};

struct Evaluation {
    std::string id; // the rating event's id
    std::string caseNumber; // "" for a service without a case
    std::string ticket; // "" when not served from a ticket
    std::string staff; // who served
    std::string window;
    int level = 0;
    std::string channel; // "evaluator", "sms", "phone", "web", "paper"
    std::string comment;
    bool anonymous = false;
    std::int64_t at = 0; // ms since the epoch
    Date day; // China Standard Time
    // Follow-up (bad ratings only).
    Date followUpDue;
    std::vector<FollowUpStep> steps;
    bool callbackDone = false;
    bool rectified = false;
    AppealOutcome appeal = AppealOutcome::None;
    bool closed = false;
    Date closedOn;

    bool needsFollowUp() const { return isBadRating(level); }
    bool followUpOpen() const { return needsFollowUp() && !closed; }
    // An appeal upheld on review takes the rating out of the satisfaction figures.
    bool counts() const { return appeal != AppealOutcome::Upheld; }
    bool satisfied() const { return level >= kFairlySatisfied; }

    Json toJson() const;
    static Evaluation fromJson(const Json&);
};

// The rating an event records (case.evaluated or evaluation.recorded).
Evaluation evaluationFromEvent(const Event& e);
// The rating after one of its evaluation.followup events. Steps after closing are ignored.
Evaluation applyFollowUp(Evaluation evaluation, const Event& e);

} // namespace ow::model
