// Ratings (好差评): the levels and comments accepted, the evaluator facing the applicant
// rating only the service its window has just ended (once), what a rating carries, where
// it is recorded (case.evaluated on the case, evaluation.recorded without one), the
// follow-up of bad ratings due in working days on the shipped calendar, its steps and
// closing, appeals, permissions, and the queue manager's list of open follow-ups.
#include "model/CentreSetup.h"
#include "model/Error.h"
#include "model/Evaluation.h"
#include "model/EvaluationService.h"
#include "model/Event.h"
#include "model/HybridClock.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/QueueService.h"

#include "ServiceWorld.h"

#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

using namespace ow::model;
using ow::test::errorOf;

namespace {

// A Wednesday just before the National Day week (2026-10-01..07 off, 10-10 worked).
const Date kDay(2026, 9, 30);

std::string codeOf(const std::function<void()>& f)
{
    auto e = errorOf(f);
    return e ? e->code() : std::string("(none)");
}

std::string factOf(const std::function<void()>& f, const std::string& key)
{
    auto e = errorOf(f);
    return e ? e->fact(key) : std::string();
}

Rating rating(int level, std::string comment = {})
{
    Rating r;
    r.level = level;
    r.comment = std::move(comment);
    return r;
}

// The demo hall on ServiceWorld's store, a ratings repository over the same events and
// the rating service with the default five working days.
struct Ratings : ow::test::ServiceWorld {
    explicit Ratings(Date day = kDay)
        : ServiceWorld(day, {Role::WindowStaff})
    {
    }

    // An ended service: a kiosk ticket called to `window` by `clerk` and ended with
    // `caseNumber` (may be empty).
    Ticket served(const std::string& window = "W01", const std::string& clerk = "clerk01",
        const std::string& caseNumber = {})
    {
        const Ticket t = queue.issueAtKiosk("K1", "A");
        auto call = queue.callNext(clerk, window);
        REQUIRE(call.called);
        REQUIRE(call.called->id == t.id);
        return queue.end(clerk, t.id, caseNumber);
    }
    std::string openCase()
    {
        IntakeRequest r;
        r.applicant.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
        r.applicant.idKind = IdKind::ResidentId;
        const std::string first17 = "33010219800101123";
        r.applicant.idNumber = first17 + *gb11643CheckDigit(first17);
        r.applicant.phone = "13812345678";
        r.matterCodes = {"330102-BDC-001"};
        r.receivedMaterials = {"property_certificate"};
        r.window = "W01";
        return intake.open("clerk01", r).number;
    }
    // A bad rating (level 1 or 2) given at W01 for a freshly served ticket.
    Evaluation badRating(int level = 1)
    {
        const Ticket t = served();
        return ratings.rateAtWindow(
            "W01", t.id, rating(level, "\xE7\xAD\x89\xE5\xBE\x85\xE5\xA4\xAA\xE4\xB9\x85")); // 等待太久
    }
    Event lastEvent() const { return store.allEvents().back(); }

    InMemoryHallStore hall{store};
    QueueService queue{hall, staff, store, catalogue, HallSetup{demoCategories(), demoWindows(), 60},
        [this] { return nowMs; }, "330102"};
    InMemoryEvaluations evaluations{store};
    EvaluationService ratings{ctx, evaluations, hall};
};

std::vector<std::string> idsOf(const std::vector<Evaluation>& list)
{
    std::vector<std::string> out;
    for (const auto& v : list)
        out.push_back(v.id);
    return out;
}

} // namespace

TEST_CASE("evaluation: levels 1 to 5 are taken; 0, 6 and an overlong comment are refused", "[evaluation]")
{
    Ratings w;
    for (int level = 1; level <= 5; ++level) {
        const Ticket t = w.served();
        const Evaluation v = w.ratings.rateAtWindow("W01", t.id, rating(level));
        CHECK(v.level == level);
        CHECK(v.needsFollowUp() == (level <= 2));
        CHECK(v.satisfied() == (level >= 3));
        CHECK(isBadRating(level) == (level <= 2));
    }
    CHECK_FALSE(isBadRating(0));
    CHECK_FALSE(isBadRating(6));

    const Ticket t = w.served();
    const std::size_t events = w.eventCount();
    for (int level : {0, 6, -1}) {
        CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", t.id, rating(level)); }) == "evaluation.level");
        CHECK(factOf([&] { w.ratings.rateAtWindow("W01", t.id, rating(level)); }, "level")
            == std::to_string(level));
        CHECK(codeOf([&] {
            Rating r = rating(level);
            r.ticket = t.id;
            w.ratings.record("manager01", r);
        }) == "evaluation.level");
    }
    // 500 bytes of UTF-8 at most (about 160 Chinese characters).
    std::string longest;
    for (int i = 0; i < 166; ++i)
        longest += "\xE5\xA5\xBD"; // 好, 3 bytes
    longest += "!!"; // 500 bytes
    REQUIRE(longest.size() == 500);
    CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", t.id, rating(4, longest + "!")); })
        == "evaluation.comment_too_long");
    CHECK(factOf([&] { w.ratings.rateAtWindow("W01", t.id, rating(4, longest + "!")); }, "max") == "500");
    CHECK(w.eventCount() == events); // nothing written by a refusal, the ticket still unrated
    const Evaluation v = w.ratings.rateAtWindow("W01", t.id, rating(4, longest));
    CHECK(v.comment == longest);
    CHECK(w.eventCount() == events + 1);
}

TEST_CASE("evaluation: the evaluator rates only the service its window has just ended, once", "[evaluation]")
{
    Ratings w;
    // Waiting, then called: not served yet.
    const Ticket waiting = w.queue.issueAtKiosk("K1", "A");
    CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", waiting.id, rating(5)); })
        == "evaluation.not_served_here");
    REQUIRE(w.queue.callNext("clerk01", "W01").called);
    const auto refusal = errorOf([&] { w.ratings.rateAtWindow("W01", waiting.id, rating(5)); });
    REQUIRE(refusal);
    CHECK(refusal->code() == "evaluation.not_served_here");
    CHECK(refusal->fact("ticket") == "A001");
    CHECK(refusal->fact("window") == "W01");
    // Ended at W01: the evaluator of W02 cannot rate it.
    const std::string number = w.openCase();
    w.nowMs += 7 * 60'000;
    const Ticket ended = w.queue.end("clerk01", waiting.id, number);
    CHECK(
        codeOf([&] { w.ratings.rateAtWindow("W02", ended.id, rating(5)); }) == "evaluation.not_served_here");
    CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", "330102-20260930-A099", rating(5)); })
        == "queue.ticket_not_found");
    // No-show and cancelled tickets were not served either.
    const Ticket gone = w.queue.issueAtKiosk("K1", "A");
    REQUIRE(w.queue.callNext("clerk01", "W01").called);
    w.queue.noShow("clerk01", gone.id);
    CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", gone.id, rating(5)); }) == "evaluation.not_served_here");

    // The rating carries the case, the ticket, the staff member and the window of the ticket.
    Rating given = rating(4, "\xE5\x8A\x9E\xE4\xBA\x8B\xE5\xBF\xAB"); // 办事快
    given.anonymous = true;
    given.channel = "sms"; // the evaluator's own channel wins
    given.staff = "clerk03"; // what the ticket says wins
    given.window = "W09";
    given.caseNumber = "330102-20260930-999999";
    const Evaluation v = w.ratings.rateAtWindow("W01", ended.id, given);
    CHECK(v.ticket == ended.id);
    CHECK(v.caseNumber == number);
    CHECK(v.staff == "clerk01");
    CHECK(v.window == "W01");
    CHECK(v.level == 4);
    CHECK(v.channel == "evaluator");
    CHECK(v.comment == "\xE5\x8A\x9E\xE4\xBA\x8B\xE5\xBF\xAB");
    CHECK(v.anonymous);
    CHECK(v.day == kDay);
    CHECK(v.at == w.nowMs);
    CHECK_FALSE(v.needsFollowUp());
    // The evaluator is a public device: no staff account, its own actor.
    CHECK(w.lastEvent().actor == "evaluator:W01");
    CHECK(w.lastEvent().id() == v.id);
    CHECK(w.evaluations.evaluationOfTicket(ended.id)->id == v.id);

    // Once per ticket, whichever way the second rating comes.
    const std::size_t events = w.eventCount();
    const auto again = errorOf([&] { w.ratings.rateAtWindow("W01", ended.id, rating(1)); });
    REQUIRE(again);
    CHECK(again->code() == "evaluation.already_rated");
    CHECK(again->fact("ticket") == "A001");
    CHECK(codeOf([&] {
        Rating r = rating(1);
        r.ticket = ended.id;
        r.channel = "phone";
        w.ratings.record("manager01", r);
    }) == "evaluation.already_rated");
    CHECK(w.eventCount() == events);
}

TEST_CASE(
    "evaluation: with a case a case.evaluated event the case keeps, else evaluation.recorded", "[evaluation]")
{
    Ratings w;
    // A service that led to no case (a question answered at the window).
    const Ticket plain = w.served();
    const Evaluation a = w.ratings.rateAtWindow("W01", plain.id, rating(5, "ok"));
    CHECK(w.lastEvent().type == EvaluationEvent::Recorded);
    CHECK(w.lastEvent().caseNumber.empty());
    CHECK(w.lastEvent().body.getInt("level") == 5);
    CHECK(w.lastEvent().body.getString("ticket") == plain.id);
    CHECK(w.lastEvent().body.getString("staff") == "clerk01");
    CHECK(w.lastEvent().body.getString("window") == "W01");
    CHECK(w.lastEvent().body.get("followUpDue") == nullptr); // a good rating has no follow-up
    CHECK(a.caseNumber.empty());
    CHECK(isEvaluationEvent(w.lastEvent()));

    // A service that led to a case: the rating is an event of that case.
    const std::string number = w.openCase();
    const Ticket withCase = w.served("W02", "clerk01", number);
    const Evaluation b = w.ratings.rateAtWindow(
        "W02", withCase.id, rating(2, "\xE6\x80\x81\xE5\xBA\xA6\xE5\xB7\xAE")); // 态度差
    CHECK(w.lastEvent().type == EventType::Evaluated);
    CHECK(w.lastEvent().caseNumber == number);
    CHECK(w.lastEvent().body.getString("followUpDue") == "2026-10-13");
    CHECK(isEvaluationEvent(w.lastEvent()));
    CHECK(b.caseNumber == number);
    CHECK(b.id == w.lastEvent().id());
    const auto state = w.store.findCase(number);
    REQUIRE(state);
    REQUIRE(state->evaluations.size() == 1);
    CHECK(state->evaluations[0].level == 2);
    CHECK(state->evaluations[0].channel == "evaluator");
    CHECK(state->evaluations[0].comment == "\xE6\x80\x81\xE5\xBA\xA6\xE5\xB7\xAE");
    CHECK(state->evaluations[0].on == kDay);

    // A follow-up is an event of its own that names the rating; the case is not touched.
    const std::size_t caseEvents = w.store.caseEvents(number).size();
    w.ratings.followUp("manager01", b.id, FollowUpAction::Callback, "called back", false);
    CHECK(w.lastEvent().type == EvaluationEvent::FollowUp);
    CHECK(w.lastEvent().caseNumber.empty());
    CHECK(w.lastEvent().body.getString("evaluation") == b.id);
    CHECK(w.store.caseEvents(number).size() == caseEvents);
    CHECK_FALSE(isEvaluationEvent(w.lastEvent()));

    // The repository finds both, by id, by ticket and by day.
    CHECK(idsOf(w.evaluations.evaluationsBetween(kDay, kDay)) == std::vector<std::string>{a.id, b.id});
    CHECK(w.evaluations.evaluationsBetween(kDay.addDays(1), kDay.addDays(9)).empty());
    CHECK(w.evaluations.findEvaluation(a.id)->ticket == plain.id);
    CHECK_FALSE(w.evaluations.findEvaluation("ev-nobody-000000000001"));
    CHECK_FALSE(w.evaluations.evaluationOfTicket(""));
}

TEST_CASE("evaluation: a bad rating's follow-up is due five working days later on the shipped calendar",
    "[evaluation]")
{
    // Rated on Wednesday 2026-09-30. Working days counted after that day, on the shipped
    // 2026 calendar: 10-01..10-07 are the National Day holiday (the weekend 10-03/04 lies
    // inside it), Thu 10-08 is 1, Fri 10-09 is 2, Sat 10-10 is a make-up working day (调休)
    // and 3, Sun 10-11 is off, Mon 10-12 is 4, Tue 10-13 is 5. Counting weekdays only
    // would have given 10-07.
    Ratings w;
    CHECK(followUpDue(kDay, 5, w.calendar) == Date(2026, 10, 13));
    CHECK(followUpDue(kDay, 3, w.calendar) == Date(2026, 10, 10));
    CHECK(followUpDue(kDay, 1, w.calendar) == Date(2026, 10, 8));
    // From Monday 2026-09-28: 09-29 (1), 09-30 (2), 10-08 (3), 10-09 (4), 10-10 (5).
    CHECK(followUpDue(Date(2026, 9, 28), 5, w.calendar) == Date(2026, 10, 10));
    CHECK(w.ratings.followUpDays() == 5);

    for (int level : {1, 2}) {
        const Evaluation v = w.badRating(level);
        CHECK(v.needsFollowUp());
        CHECK(v.followUpOpen());
        CHECK(v.followUpDue == Date(2026, 10, 13));
        CHECK(v.toJson().getString("followUpDue") == "2026-10-13");
        CHECK(w.lastEvent().body.getString("followUpDue") == "2026-10-13");
    }
    for (int level : {3, 4, 5}) {
        const Ticket t = w.served();
        const Evaluation v = w.ratings.rateAtWindow("W01", t.id, rating(level));
        CHECK_FALSE(v.needsFollowUp());
        CHECK_FALSE(v.followUpOpen());
        CHECK(v.toJson().getString("followUpDue").empty());
        CHECK(w.lastEvent().body.get("followUpDue") == nullptr);
        const std::size_t events = w.eventCount();
        const auto e = errorOf(
            [&] { w.ratings.followUp("manager01", v.id, FollowUpAction::Callback, "thanks", true); });
        REQUIRE(e);
        CHECK(e->code() == "evaluation.no_follow_up");
        CHECK(e->fact("evaluation") == v.id);
        CHECK(w.eventCount() == events);
    }

    // The centre's setting: three working days (and nonsense falls back to five).
    EvaluationService three(w.ctx, w.evaluations, w.hall, 3);
    const Ticket t = w.served();
    CHECK(three.rateAtWindow("W01", t.id, rating(1)).followUpDue == Date(2026, 10, 10));
    CHECK(EvaluationService(w.ctx, w.evaluations, w.hall, 0).followUpDays() == 5);
}

TEST_CASE("evaluation: a follow-up takes steps and closes only after something was done", "[evaluation]")
{
    Ratings w;
    const Evaluation v = w.badRating(1);
    const std::size_t before = w.eventCount();

    // Closing with nothing done, or with only an appeal still pending, is refused.
    CHECK(codeOf([&] { w.ratings.followUp("manager01", v.id, FollowUpAction::Appeal, "malicious?", true); })
        == "evaluation.close_without_action");
    CHECK(codeOf([&] {
        w.ratings.followUp(
            "manager01", v.id, FollowUpAction::Appeal, "malicious?", true, AppealOutcome::Pending);
    }) == "evaluation.close_without_action");
    // A note is required; an outcome belongs to appeals only.
    CHECK(codeOf([&] { w.ratings.followUp("manager01", v.id, FollowUpAction::Callback, "", false); })
        == "evaluation.note_missing");
    CHECK(codeOf([&] { w.ratings.followUp("manager01", v.id, FollowUpAction::Callback, " \t\n ", true); })
        == "evaluation.note_missing");
    const auto outcome = errorOf([&] {
        w.ratings.followUp("manager01", v.id, FollowUpAction::Callback, "x", false, AppealOutcome::Upheld);
    });
    REQUIRE(outcome);
    CHECK(outcome->code() == "evaluation.outcome");
    CHECK(outcome->fact("outcome") == "upheld");
    CHECK(codeOf([&] {
        w.ratings.followUp("manager01", "ev-ws01-000000000999", FollowUpAction::Callback, "x", true);
    }) == "evaluation.not_found");
    CHECK(w.eventCount() == before);

    // An appeal lodged (pending) is a step but not yet an action that allows closing.
    const Evaluation appealed = w.ratings.followUp(
        "manager01", v.id, FollowUpAction::Appeal, "the applicant rated the wrong window", false);
    CHECK(appealed.appeal == AppealOutcome::Pending);
    CHECK(appealed.followUpOpen());
    CHECK(appealed.counts());
    CHECK(codeOf([&] {
        w.ratings.followUp("manager01", v.id, FollowUpAction::Appeal, "still waiting", true);
    }) == "evaluation.close_without_action");

    // The callback, a day later; then closing with a second callback two days after.
    w.setDay(Date(2026, 10, 8));
    const Evaluation called = w.ratings.followUp(
        "manager01", v.id, FollowUpAction::Callback, "\xE5\xB7\xB2\xE5\x9B\x9E\xE8\xAE\xBF", false); // 已回访
    CHECK(called.callbackDone);
    CHECK_FALSE(called.rectified);
    CHECK(called.followUpOpen());
    CHECK_FALSE(called.closed);
    w.setDay(Date(2026, 10, 9));
    const Evaluation closed = w.ratings.followUp(
        "manager01", v.id, FollowUpAction::Callback, "the applicant is satisfied now", true);
    CHECK(closed.closed);
    CHECK(closed.closedOn == Date(2026, 10, 9));
    CHECK_FALSE(closed.followUpOpen());
    CHECK(closed.counts()); // the rating itself stays in the figures
    CHECK(closed.appeal == AppealOutcome::Pending);
    CHECK(closed.followUpDue == Date(2026, 10, 13));
    REQUIRE(closed.steps.size() == 3);
    CHECK(closed.steps[0].action == FollowUpAction::Appeal);
    CHECK(closed.steps[1].action == FollowUpAction::Callback);
    CHECK(closed.steps[1].note == "\xE5\xB7\xB2\xE5\x9B\x9E\xE8\xAE\xBF");
    CHECK(closed.steps[1].on == Date(2026, 10, 8));
    CHECK(closed.steps[2].on == Date(2026, 10, 9));
    for (const auto& s : closed.steps)
        CHECK(s.actor == "manager01");
    CHECK(w.eventCount() == before + 3);

    // Nothing more once closed.
    for (auto action : {FollowUpAction::Callback, FollowUpAction::Rectification, FollowUpAction::Appeal})
        CHECK(codeOf([&] { w.ratings.followUp("manager01", v.id, action, "again", false); })
            == "evaluation.closed");
    CHECK(w.eventCount() == before + 3);

    // A rectification alone is an action too: closing with it at once is fine.
    const Evaluation other = w.badRating(2);
    const Evaluation fixed = w.ratings.followUp("manager01", other.id, FollowUpAction::Rectification,
        "\xE5\xA2\x9E\xE5\x8A\xA0\xE7\xAA\x97\xE5\x8F\xA3", true); // 增加窗口
    CHECK(fixed.rectified);
    CHECK(fixed.closed);
}

TEST_CASE(
    "evaluation: an appeal upheld takes the rating out of the figures; one rejected does not", "[evaluation]")
{
    Ratings w;
    const Evaluation mistaken = w.badRating(1);
    const Evaluation upheld = w.ratings.followUp("manager01", mistaken.id, FollowUpAction::Appeal,
        "\xE7\x94\xB3\xE8\xAF\x89\xE5\xA4\x8D\xE6\xA0\xB8\xE6\x88\x90\xE7\xAB\x8B", true,
        AppealOutcome::Upheld); // 申诉复核成立
    CHECK(upheld.appeal == AppealOutcome::Upheld);
    CHECK(upheld.closed);
    CHECK_FALSE(upheld.counts());
    CHECK(w.lastEvent().body.getString("outcome") == "upheld");

    const Evaluation fair = w.badRating(2);
    w.ratings.followUp("manager01", fair.id, FollowUpAction::Appeal, "lodged", false);
    const Evaluation rejected = w.ratings.followUp("manager01", fair.id, FollowUpAction::Appeal,
        "review found the rating fair", true, AppealOutcome::Rejected);
    CHECK(rejected.appeal == AppealOutcome::Rejected);
    CHECK(rejected.closed);
    CHECK(rejected.counts());
    CHECK(rejected.steps.size() == 2);
}

TEST_CASE("evaluation: queue managers record and follow up ratings; clerks may not", "[evaluation]")
{
    Ratings w;
    const std::string number = w.openCase();
    const Ticket t = w.served("W01", "clerk01", number);
    Rating byPhone = rating(2, "\xE7\x94\xB5\xE8\xAF\x9D\xE5\x9B\x9E\xE8\xAE\xBF"); // 电话回访
    byPhone.channel = "phone";
    byPhone.caseNumber = number;
    byPhone.ticket = t.id;
    byPhone.staff = "clerk01";
    byPhone.window = "W01";
    const std::size_t events = w.eventCount();
    // A clerk never rates their own service; reviewers and administrators do not record either.
    for (const char* who : {"clerk01", "reviewer01", "admin01"}) {
        const auto e = errorOf([&] { w.ratings.record(who, byPhone); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("action") == "record_evaluation");
    }
    CHECK(codeOf([&] { w.ratings.record("clerk02", byPhone); }) == "permission.inactive");
    CHECK(codeOf([&] { w.ratings.record("nobody", byPhone); }) == "permission.unknown_actor");
    CHECK(codeOf([&] {
        w.ratings.record("manager01", Rating{5, "", false, "web", "", "", "", ""});
    }) == "evaluation.nothing_rated");
    CHECK(codeOf([&] {
        Rating r = rating(5);
        r.caseNumber = "330102-20260930-000999";
        w.ratings.record("manager01", r);
    }) == "case.not_found");
    CHECK(w.eventCount() == events);

    const Evaluation v = w.ratings.record("manager01", byPhone);
    CHECK(w.lastEvent().actor == "manager01");
    CHECK(w.lastEvent().type == EventType::Evaluated);
    CHECK(v.channel == "phone");
    CHECK(v.caseNumber == number);
    CHECK(v.ticket == t.id);
    CHECK(v.staff == "clerk01");
    CHECK(v.window == "W01");
    CHECK(v.followUpDue == Date(2026, 10, 13));
    // Recorded against the ticket: the evaluator can no longer rate it.
    CHECK(codeOf([&] { w.ratings.rateAtWindow("W01", t.id, rating(5)); }) == "evaluation.already_rated");

    // A paper form naming only the ticket: a service without a case.
    const Ticket plain = w.served();
    Rating paper = rating(3);
    paper.channel = "paper";
    paper.ticket = plain.id;
    CHECK(w.ratings.record("manager01", paper).caseNumber.empty());
    CHECK(w.lastEvent().type == EvaluationEvent::Recorded);

    const std::size_t beforeFollowUp = w.eventCount();
    for (const char* who : {"clerk01", "reviewer01", "admin01"}) {
        const auto e
            = errorOf([&] { w.ratings.followUp(who, v.id, FollowUpAction::Callback, "called", true); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("action") == "follow_up_rating");
    }
    CHECK(w.eventCount() == beforeFollowUp);
    CHECK(w.ratings.followUp("manager01", v.id, FollowUpAction::Callback, "called", true).closed);
}

TEST_CASE("evaluation: open follow-ups are listed earliest due first until closed", "[evaluation]")
{
    Ratings w(Date(2026, 9, 28)); // Monday: a five-day follow-up is due Saturday 10-10 (调休)
    const Evaluation monday = w.badRating(2);
    CHECK(monday.followUpDue == Date(2026, 10, 10));
    const Ticket good = w.served();
    w.ratings.rateAtWindow("W01", good.id, rating(5));

    w.setDay(kDay); // Wednesday 09-30: five days → 10-13, one day → 10-08
    const Evaluation later = w.badRating(1);
    CHECK(later.followUpDue == Date(2026, 10, 13));
    EvaluationService urgent(w.ctx, w.evaluations, w.hall, 1);
    const Ticket t = w.served();
    const Evaluation soonest = urgent.rateAtWindow("W01", t.id, rating(1));
    CHECK(soonest.followUpDue == Date(2026, 10, 8));
    const Evaluation sameDay = w.badRating(2); // due 10-13 too, rated after `later`

    // Earliest due first; equal due dates in the order they were rated; good ones never.
    CHECK(idsOf(w.ratings.openFollowUps())
        == std::vector<std::string>{soonest.id, monday.id, later.id, sameDay.id});
    CHECK(idsOf(w.evaluations.openFollowUps()) == idsOf(w.ratings.openFollowUps()));

    // A step that does not close keeps it listed (with the step); closing takes it off.
    w.ratings.followUp("manager01", monday.id, FollowUpAction::Callback, "called", false);
    auto open = w.ratings.openFollowUps();
    REQUIRE(open.size() == 4);
    CHECK(open[1].id == monday.id);
    CHECK(open[1].steps.size() == 1);
    w.ratings.followUp(
        "manager01", soonest.id, FollowUpAction::Rectification, "fixed the queue display", true);
    w.ratings.followUp(
        "manager01", later.id, FollowUpAction::Appeal, "wrong window", true, AppealOutcome::Upheld);
    CHECK(idsOf(w.ratings.openFollowUps()) == std::vector<std::string>{monday.id, sameDay.id});
    w.ratings.followUp("manager01", monday.id, FollowUpAction::Callback, "done", true);
    w.ratings.followUp("manager01", sameDay.id, FollowUpAction::Callback, "done", true);
    CHECK(w.ratings.openFollowUps().empty());
    // Closed ones are still there for the reports (four bad ratings and the good one).
    CHECK(w.evaluations.evaluationsBetween(Date(2026, 9, 28), kDay).size() == 5);
}

TEST_CASE("evaluation: the fold of a rating and its follow-ups is pure and round-trips", "[evaluation]")
{
    auto ratingEvent = [](int level, std::int64_t atMs) {
        Event e;
        e.origin = "ws01";
        e.seq = 1;
        e.hlc = makeHlc(atMs, 0);
        e.type = EvaluationEvent::Recorded;
        e.actor = "evaluator:W01";
        Json body = Json::object();
        body["level"] = level;
        body["channel"] = "evaluator";
        body["comment"] = "slow";
        body["anonymous"] = false;
        body["ticket"] = "330102-20260930-A001";
        body["staff"] = "clerk01";
        body["window"] = "W01";
        if (isBadRating(level))
            body["followUpDue"] = "2026-10-13";
        e.body = std::move(body);
        return e;
    };
    auto step
        = [](const std::string& action, bool close, std::int64_t atMs, const std::string& outcome = {}) {
              Event e;
              e.origin = "ws02";
              e.seq = 1;
              e.hlc = makeHlc(atMs, 0);
              e.type = EvaluationEvent::FollowUp;
              e.actor = "manager01";
              Json body = Json::object();
              body["evaluation"] = "ev-ws01-000000000001";
              body["action"] = action;
              body["note"] = action + " note";
              body["close"] = close;
              if (!outcome.empty())
                  body["outcome"] = outcome;
              e.body = std::move(body);
              return e;
          };
    const std::int64_t at = ow::test::noonMs(kDay);
    Evaluation v = evaluationFromEvent(ratingEvent(1, at));
    CHECK(v.id == "ev-ws01-000000000001");
    CHECK(v.day == kDay);
    CHECK(v.at == at);
    CHECK(v.followUpDue == Date(2026, 10, 13));
    v = applyFollowUp(v, step("appeal", false, at + 1000));
    CHECK(v.appeal == AppealOutcome::Pending); // an appeal without an outcome is pending
    v = applyFollowUp(v, step("callback", true, ow::test::noonMs(Date(2026, 10, 8))));
    CHECK(v.closed);
    CHECK(v.closedOn == Date(2026, 10, 8));
    // Steps after closing (a replica that had not seen the close) change nothing.
    const Evaluation after = applyFollowUp(v, step("appeal", true, at + 5000, "upheld"));
    CHECK(after.toJson().canonical() == v.toJson().canonical());
    CHECK(after.counts());
    // An unknown action is ignored, as is any step of a good rating.
    CHECK(
        applyFollowUp(evaluationFromEvent(ratingEvent(1, at)), step("praise", true, at)).toJson().canonical()
        == evaluationFromEvent(ratingEvent(1, at)).toJson().canonical());
    const Evaluation good = evaluationFromEvent(ratingEvent(4, at));
    CHECK(applyFollowUp(good, step("callback", true, at)).steps.empty());

    // The projection's row round-trips through JSON.
    CHECK(Evaluation::fromJson(v.toJson()).toJson().canonical() == v.toJson().canonical());
    CHECK(v.toJson().getString("closedOn") == "2026-10-08");
    CHECK(v.toJson().getString("appeal") == "pending");
    CHECK(good.toJson().getString("followUpDue").empty());

    // The stable names.
    CHECK(toString(FollowUpAction::Rectification) == "rectification");
    CHECK(followUpActionFromString("appeal") == FollowUpAction::Appeal);
    CHECK_FALSE(followUpActionFromString("Appeal"));
    CHECK(toString(AppealOutcome::Rejected) == "rejected");
    CHECK(appealOutcomeFromString("upheld") == AppealOutcome::Upheld);
    CHECK_FALSE(appealOutcomeFromString("maybe"));
}
