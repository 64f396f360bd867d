#include "model/Evaluation.h"

#include "model/Repositories.h"

#include <array>
#include <utility>

namespace ow::model {

namespace {

const std::array<std::pair<FollowUpAction, const char*>, 3> kActions = {{
    {FollowUpAction::Callback, "callback"},
    {FollowUpAction::Rectification, "rectification"},
    {FollowUpAction::Appeal, "appeal"},
}};

const std::array<std::pair<AppealOutcome, const char*>, 4> kOutcomes = {{
    {AppealOutcome::None, "none"},
    {AppealOutcome::Pending, "pending"},
    {AppealOutcome::Upheld, "upheld"},
    {AppealOutcome::Rejected, "rejected"},
}};

} // namespace

bool isBadRating(int level)
{
    return level >= kVeryDissatisfied && level <= kDissatisfied;
}

bool isEvaluationEvent(const Event& e)
{
    return e.type == EventType::Evaluated || e.type == EvaluationEvent::Recorded;
}

std::string toString(FollowUpAction a)
{
    for (const auto& [v, name] : kActions)
        if (v == a)
            return name;
    return "callback";
}

std::optional<FollowUpAction> followUpActionFromString(const std::string& s)
{
    for (const auto& [v, name] : kActions)
        if (s == name)
            return v;
    return std::nullopt;
}

std::string toString(AppealOutcome o)
{
    for (const auto& [v, name] : kOutcomes)
        if (v == o)
            return name;
    return "none";
}

std::optional<AppealOutcome> appealOutcomeFromString(const std::string& s)
{
    for (const auto& [v, name] : kOutcomes)
        if (s == name)
            return v;
    return std::nullopt;
}

Json Evaluation::toJson() const
{
    Json j = Json::object();
    j["id"] = id;
    j["case"] = caseNumber;
    j["ticket"] = ticket;
    j["staff"] = staff;
    j["window"] = window;
    j["level"] = level;
    j["channel"] = channel;
    j["comment"] = comment;
    j["anonymous"] = anonymous;
    j["at"] = at;
    j["day"] = day.iso();
    j["followUpDue"] = needsFollowUp() ? followUpDue.iso() : std::string();
    Json s = Json::array();
    for (const auto& step : steps) {
        Json o = Json::object();
        o["action"] = toString(step.action);
        o["note"] = step.note;
        o["actor"] = step.actor;
        o["on"] = step.on.iso();
        s.push_back(std::move(o));
    }
    j["steps"] = std::move(s);
    j["callbackDone"] = callbackDone;
    j["rectified"] = rectified;
    j["appeal"] = toString(appeal);
    j["closed"] = closed;
    j["closedOn"] = closed ? closedOn.iso() : std::string();
    return j;
}

Evaluation Evaluation::fromJson(const Json& j)
{
    Evaluation e;
    e.id = j.getString("id");
    e.caseNumber = j.getString("case");
    e.ticket = j.getString("ticket");
    e.staff = j.getString("staff");
    e.window = j.getString("window");
    e.level = static_cast<int>(j.getInt("level"));
    e.channel = j.getString("channel");
    e.comment = j.getString("comment");
    e.anonymous = j.getBool("anonymous");
    e.at = j.getInt("at");
    e.day = Date::fromIso(j.getString("day")).value_or(Date());
    e.followUpDue = Date::fromIso(j.getString("followUpDue")).value_or(Date());
    if (const Json* s = j.get("steps"); s && s->isArray())
        for (const auto& o : s->asArray())
            e.steps.push_back(
                {followUpActionFromString(o.getString("action")).value_or(FollowUpAction::Callback),
                    o.getString("note"), o.getString("actor"),
                    Date::fromIso(o.getString("on")).value_or(Date())});
    e.callbackDone = j.getBool("callbackDone");
    e.rectified = j.getBool("rectified");
    e.appeal = appealOutcomeFromString(j.getString("appeal")).value_or(AppealOutcome::None);
    e.closed = j.getBool("closed");
    e.closedOn = Date::fromIso(j.getString("closedOn")).value_or(Date());
    return e;
}

Evaluation evaluationFromEvent(const Event& e)
{
    Evaluation v;
    v.id = e.id();
    v.caseNumber = e.type == EventType::Evaluated ? e.caseNumber : e.body.getString("case");
    v.ticket = e.body.getString("ticket");
    v.staff = e.body.getString("staff");
    v.window = e.body.getString("window");
    v.level = static_cast<int>(e.body.getInt("level"));
    v.channel = e.body.getString("channel");
    v.comment = e.body.getString("comment");
    v.anonymous = e.body.getBool("anonymous");
    v.at = hlcWallMs(e.hlc);
    v.day = chinaDate(v.at);
    // The due date is decided by the writer (its centre's setting and calendar) and
    // carried in the event, so every node lists the same deadline.
    v.followUpDue = Date::fromIso(e.body.getString("followUpDue")).value_or(v.day);
    return v;
}

Evaluation applyFollowUp(Evaluation v, const Event& e)
{
    if (v.closed || !v.needsFollowUp())
        return v;
    auto action = followUpActionFromString(e.body.getString("action"));
    if (!action)
        return v;
    const Date on = chinaDate(hlcWallMs(e.hlc));
    v.steps.push_back({*action, e.body.getString("note"), e.actor, on});
    if (*action == FollowUpAction::Callback)
        v.callbackDone = true;
    else if (*action == FollowUpAction::Rectification)
        v.rectified = true;
    else {
        // A decided appeal stays decided: a later appeal step without an outcome is a note.
        const auto outcome
            = appealOutcomeFromString(e.body.getString("outcome")).value_or(AppealOutcome::Pending);
        if (outcome != AppealOutcome::Pending || v.appeal == AppealOutcome::None)
            v.appeal = outcome;
    }
    if (e.body.getBool("close")) {
        v.closed = true;
        v.closedOn = on;
    }
    return v;
}

} // namespace ow::model
