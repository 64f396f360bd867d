// Ratings (好差评) from the command line: the evaluator facing the applicant rates the
// service its window has just ended (rating give), a queue manager records a rating taken
// by SMS, phone, web or on paper (rating record), lists them (rating list) and follows up
// the bad ones (rating follow-up), through the rating service. Like the tickets they rate,
// ratings are written straight to --db and never through --replica.
#include "model/BuiltinCalendars.h"
#include "model/CaseNumber.h"
#include "model/Error.h"
#include "model/EvaluationService.h"

#include "Commands.h"
#include "Messages.h"
#include "Output.h"

#include <algorithm>
#include <array>
#include <memory>
#include <optional>
#include <stdexcept>

namespace ow::owctl {

namespace {

using model::Evaluation;
using model::Json;

// The channels a queue manager records ratings from; "evaluator" is rating give's own.
const std::array<const char*, 4> kChannels = {"sms", "phone", "web", "paper"};

// The national scale's words, as the evaluator shows them.
std::string levelName(int level)
{
    switch (level) {
    case model::kVerySatisfied:
        return "非常满意";
    case model::kSatisfied:
        return "满意";
    case model::kFairlySatisfied:
        return "基本满意";
    case model::kDissatisfied:
        return "不满意";
    case model::kVeryDissatisfied:
        return "非常不满意";
    default:
        return "?";
    }
}

// Rating commands never open cases.
class NoCaseNumbers : public model::CaseNumberSource {
public:
    model::CaseNumber nextCaseNumber(model::Date) override
    {
        throw std::logic_error("ratings do not draw case numbers");
    }
};

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

// The store (--db) and the rating service over it. Not movable: the service keeps
// references to the context, which keeps references to the members.
class Ratings {
public:
    explicit Ratings(const Context& ctx)
    {
        try {
            m_store = openDatabase("the database", ctx.connectionString(), storeOptions(false, true));
        } catch (const Failure& e) {
            throw Failure(ctx.subject(),
                "cannot open " + e.subject() + ": " + e.reason() + " (ratings are written to --db"
                    + (ctx.globals().replica.empty() ? "" : "; --replica is not used for them") + ")");
        }
        m_centre = m_store->centre();
        if (m_centre.empty())
            throw Failure(ctx.subject(), "the database has no centre yet; run 'owctl init'");
        m_catalogue = m_store->catalogue();
        m_context = std::make_unique<model::ServiceContext>(
            model::ServiceContext{*m_store, m_catalogue, m_calendar, *m_store, m_numbers, m_clock, m_centre});
        m_service = std::make_unique<model::EvaluationService>(*m_context, *m_store, *m_store);
    }
    Ratings(const Ratings&) = delete;
    Ratings& operator=(const Ratings&) = delete;

    db::Store& store() { return *m_store; }
    model::EvaluationService& service() { return *m_service; }
    const std::string& centre() const { return m_centre; }
    model::Date today() const { return m_clock.today(); }

private:
    std::unique_ptr<db::Store> m_store;
    std::string m_centre;
    model::Catalogue m_catalogue;
    model::HolidayCalendar m_calendar = model::builtinCalendar();
    model::SystemClock m_clock;
    NoCaseNumbers m_numbers;
    std::unique_ptr<model::ServiceContext> m_context;
    std::unique_ptr<model::EvaluationService> m_service;
};

// The option a refusal is about, so that the one line names the field.
std::string fieldOf(const std::string& code)
{
    if (code == "evaluation.level")
        return "--level";
    if (code == "evaluation.comment_too_long")
        return "--comment";
    if (code == "evaluation.not_served_here" || code == "evaluation.already_rated"
        || code == "queue.ticket_not_found")
        return "--ticket";
    if (code == "evaluation.note_missing")
        return "--note";
    if (code == "evaluation.close_without_action")
        return "--close";
    if (code == "evaluation.outcome")
        return "--outcome";
    if (code == "case.not_found")
        return "--case";
    if (code.starts_with("permission."))
        return "--as";
    return {};
}

template<class F> auto guarded(const Context& ctx, F work)
{
    try {
        return work();
    } catch (const model::DomainError& e) {
        const std::string field = fieldOf(e.code());
        throw Failure(ctx.subject(), (field.empty() ? "" : field + ": ") + explain(e));
    }
}

// An option the spec marks required (the parser insists on it) that must not be empty.
std::string required(const Context& ctx, const std::string& option)
{
    std::string value = ctx.args().value(option);
    if (value.empty())
        throw UsageError(option + " must not be empty");
    return value;
}

int levelOption(const Context& ctx)
{
    return static_cast<int>(
        parseCount("--level", ctx.args().value("--level"), model::kVeryDissatisfied, model::kVerySatisfied));
}

std::optional<model::Date> dateOption(const Context& ctx, const std::string& option)
{
    if (!ctx.args().has(option))
        return std::nullopt;
    auto day = model::Date::fromIso(ctx.args().value(option));
    if (!day)
        throw UsageError(option + " expects a date YYYY-MM-DD, got '" + ctx.args().value(option) + "'");
    return day;
}

std::string orDash(const std::string& s)
{
    return s.empty() ? "-" : s;
}

// "A001" of "330102-20261129-A001".
std::string shortTicket(const std::string& id)
{
    const auto dash = id.rfind('-');
    return dash == std::string::npos ? id : id.substr(dash + 1);
}

// Where the follow-up stands: "-" for a good rating, "open", "overdue" (open past its
// due day), "closed"; an appeal's outcome after a comma.
std::string followUpState(const Evaluation& v, model::Date today)
{
    if (!v.needsFollowUp())
        return "-";
    std::string s = v.closed ? "closed" : (v.followUpDue < today ? "overdue" : "open");
    if (v.appeal != model::AppealOutcome::None)
        s += ", appeal " + model::toString(v.appeal);
    return s;
}

// "ev-n1a2b3c4d-000000000007 level 1 open due 2026-10-13 channel evaluator ticket
// 330102-20260930-A001 case … staff clerk01 window W01": id, level, follow-up state, then
// "key value" pairs for what is set.
std::string ratingLine(const Evaluation& v)
{
    std::string s = v.id + " level " + std::to_string(v.level) + " "
        + (!v.needsFollowUp() ? "no-follow-up" : (v.closed ? "closed" : "open"));
    if (v.needsFollowUp())
        s += " due " + v.followUpDue.iso();
    if (v.closed)
        s += " closed-on " + v.closedOn.iso();
    if (v.appeal != model::AppealOutcome::None)
        s += " appeal " + model::toString(v.appeal);
    if (!v.steps.empty()) {
        std::string steps;
        for (const auto& step : v.steps)
            steps += (steps.empty() ? "" : ",") + model::toString(step.action);
        s += " steps " + steps;
    }
    s += " channel " + v.channel;
    if (!v.ticket.empty())
        s += " ticket " + v.ticket;
    if (!v.caseNumber.empty())
        s += " case " + v.caseNumber;
    if (!v.staff.empty())
        s += " staff " + v.staff;
    if (!v.window.empty())
        s += " window " + v.window;
    if (v.anonymous)
        s += " anonymous";
    return s;
}

int printRating(Context& ctx, const Evaluation& v)
{
    ctx.out() << (ctx.json() ? v.toJson().canonical() : ratingLine(v)) << "\n";
    return kExitOk;
}

} // namespace

int runRatingGive(Context& ctx)
{
    const std::string window = required(ctx, "--window");
    const std::string ticketText = required(ctx, "--ticket");
    model::Rating rating;
    rating.level = levelOption(ctx);
    rating.comment = ctx.args().value("--comment");
    rating.anonymous = ctx.args().has("--anonymous");

    Ratings ratings(ctx);
    std::vector<std::string> windows;
    bool known = false;
    for (const auto& w : ratings.store().windows())
        if (w.active) {
            windows.push_back(w.code);
            known = known || w.code == window;
        }
    if (!known)
        throw Failure(ctx.subject(),
            "--window: there is no open window '" + window + "'"
                + (windows.empty()
                        ? std::string(" (the hall has no windows; 'owctl seed-demo' sets up the demo hall)")
                        : " (open windows: " + joined(windows) + ")"));
    const std::string ticket
        = resolveTicketId(ctx, ratings.store(), ratings.centre(), ratings.today(), ticketText, "--ticket");
    return printRating(
        ctx, guarded(ctx, [&] { return ratings.service().rateAtWindow(window, ticket, rating); }));
}

int runRatingRecord(Context& ctx)
{
    const std::string actor = required(ctx, "--as");
    model::Rating rating;
    rating.level = levelOption(ctx);
    rating.channel = ctx.args().value("--channel");
    if (std::find(kChannels.begin(), kChannels.end(), rating.channel) == kChannels.end())
        throw UsageError("--channel expects sms, phone, web or paper, got '" + rating.channel + "'"
            + (rating.channel == "evaluator" ? " (the evaluator's ratings come with 'owctl rating give')"
                                             : ""));
    rating.comment = ctx.args().value("--comment");
    rating.anonymous = ctx.args().has("--anonymous");
    const bool hasCase = ctx.args().has("--case");
    const bool hasTicket = ctx.args().has("--ticket");
    if (!hasCase && !hasTicket)
        throw UsageError("'rating record' needs --case NUMBER or --ticket TICKET: the service rated");
    if (hasCase) {
        rating.caseNumber = ctx.args().value("--case");
        if (!model::CaseNumber::parse(rating.caseNumber))
            throw UsageError("--case expects a case number such as 330102-20261129-000123, got '"
                + rating.caseNumber + "'");
    }

    Ratings ratings(ctx);
    if (hasTicket) {
        // The ticket says who served where, and the case it led to.
        rating.ticket = resolveTicketId(ctx, ratings.store(), ratings.centre(), ratings.today(),
            ctx.args().value("--ticket"), "--ticket");
        const auto ticket = ratings.store().findTicket(rating.ticket);
        if (ticket) {
            if (hasCase && !ticket->caseNumber.empty() && ticket->caseNumber != rating.caseNumber)
                throw Failure(ctx.subject(),
                    "--case: ticket " + ticket->display() + " led to case " + ticket->caseNumber + ", not "
                        + rating.caseNumber);
            if (!hasCase)
                rating.caseNumber = ticket->caseNumber;
            rating.staff = ticket->staff;
            rating.window = ticket->window;
        }
    } else if (auto state = ratings.store().findCase(rating.caseNumber)) {
        // Without a ticket: the case's assignee at its window.
        rating.staff = state->assignee;
        rating.window = state->window;
    }
    return printRating(ctx, guarded(ctx, [&] { return ratings.service().record(actor, rating); }));
}

int runRatingList(Context& ctx)
{
    const bool openOnly = ctx.args().has("--open");
    std::optional<model::Date> from = dateOption(ctx, "--from");
    std::optional<model::Date> to = dateOption(ctx, "--to");
    if (from && to && *to < *from)
        throw UsageError("--to " + to->iso() + " is before --from " + from->iso());

    Ratings ratings(ctx);
    const model::Date today = ratings.today();
    std::vector<Evaluation> list;
    if (openOnly) {
        // Every open follow-up unless a range is given; earliest due first.
        for (auto& v : ratings.store().openFollowUps())
            if ((!from || v.day >= *from) && (!to || v.day <= *to))
                list.push_back(std::move(v));
    } else {
        if (!to)
            to = from && today < *from ? *from : today;
        if (!from)
            from = std::min(*to, today);
        list = ratings.store().evaluationsBetween(*from, *to);
    }

    if (ctx.json()) {
        Json a = Json::array();
        for (const auto& v : list)
            a.push_back(v.toJson());
        ctx.out() << a.canonical() << "\n";
        return kExitOk;
    }
    Table table({"ID", "DAY", "LEVEL", "CHANNEL", "TICKET", "CASE", "STAFF", "WINDOW", "DUE", "FOLLOW-UP",
        "STEPS", "COMMENT"});
    int bad = 0, openCount = 0, overdue = 0, satisfied = 0;
    for (const auto& v : list) {
        bad += v.needsFollowUp() ? 1 : 0;
        openCount += v.followUpOpen() ? 1 : 0;
        overdue += v.followUpOpen() && v.followUpDue < today ? 1 : 0;
        satisfied += v.satisfied() ? 1 : 0;
        std::string steps;
        for (const auto& step : v.steps)
            steps += (steps.empty() ? "" : ",") + model::toString(step.action);
        table.add({v.id, v.day.iso(), std::to_string(v.level) + " " + levelName(v.level), v.channel,
            orDash(shortTicket(v.ticket)), orDash(v.caseNumber), orDash(v.staff), orDash(v.window),
            v.needsFollowUp() ? v.followUpDue.iso() : "-", followUpState(v, today), orDash(steps),
            orDash(oneLine(v.comment))});
    }
    table.print(ctx.out());
    const std::string count = std::to_string(list.size());
    if (openOnly) {
        ctx.out() << count << (list.size() == 1 ? " open follow-up" : " open follow-ups") << ", " << overdue
                  << " overdue\n";
    } else {
        ctx.out() << count << (list.size() == 1 ? " rating" : " ratings")
                  << (*from == *to ? " on " + from->iso() : " from " + from->iso() + " to " + to->iso())
                  << ": " << satisfied << " satisfied, " << bad << " bad (" << openCount << " open, "
                  << overdue << " overdue)\n";
    }
    return kExitOk;
}

int runRatingFollowUp(Context& ctx)
{
    const std::string id = ctx.args().positionals.front();
    const std::string actor = required(ctx, "--as");
    const std::string actionText = ctx.args().value("--action");
    const auto action = model::followUpActionFromString(actionText);
    if (!action)
        throw UsageError("--action expects callback, rectification or appeal, got '" + actionText + "'");
    const std::string note = ctx.args().value("--note");
    const bool close = ctx.args().has("--close");
    model::AppealOutcome outcome = model::AppealOutcome::None;
    if (ctx.args().has("--outcome")) {
        const std::string text = ctx.args().value("--outcome");
        const auto parsed = model::appealOutcomeFromString(text);
        if (!parsed || *parsed == model::AppealOutcome::None)
            throw UsageError("--outcome expects pending, upheld or rejected, got '" + text + "'");
        if (*action != model::FollowUpAction::Appeal)
            throw UsageError("--outcome belongs to --action appeal (the result of the review)");
        outcome = *parsed;
    }
    if (!model::parseEventId(id))
        throw UsageError(
            "ID expects a rating's id such as ev-n1a2b3c4d-000000000007 (see 'owctl rating list'), "
            "got '"
            + id + "'");

    Ratings ratings(ctx);
    return printRating(ctx,
        guarded(ctx, [&] { return ratings.service().followUp(actor, id, *action, note, close, outcome); }));
}

} // namespace ow::owctl
