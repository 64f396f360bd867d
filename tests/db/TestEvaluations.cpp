// Ratings (好差评) on a real store, SQLite and PostgreSQL alike: the evaluator's and the
// queue manager's flow through db::Store, the evaluations projection against a rebuild,
// against another store that received the same events (a follow-up and its rating in one
// batch from different origins) and against an in-memory fold, and ratings written under
// schema 3 projected when the database migrates to 4.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/CentreSetup.h"
#include "model/Error.h"
#include "model/EvaluationService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/QueueService.h"

#include "DbTestSupport.h"
#include "db/Store.h"

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

using namespace ow;
using namespace ow::model;
using ow::test::errorCode;
using ow::test::TestDatabase;

namespace {

// A Wednesday just before the National Day week: a bad rating's follow-up is due
// 2026-10-13 (10-01..07 off; 10-08, 10-09, 10-10 (调休), 10-12, 10-13 working).
const Date kDay(2026, 9, 30);
const Date kDue(2026, 10, 13);

std::int64_t noonMs(Date d)
{
    return d.days() * 86'400'000 + 4 * 3'600'000; // 12:00 China Standard Time
}

// Every row of the evaluations table, all columns, in id order: what must be identical.
std::string evaluationRows(const TestDatabase& tdb)
{
    return tdb.queryText("SELECT * FROM evaluations ORDER BY id");
}

// The ratings as the repository gives them, by id, as canonical JSON.
std::map<std::string, std::string> ratingsOf(const db::Store& store)
{
    std::map<std::string, std::string> out;
    for (const auto& v : store.evaluationsBetween(Date(2000, 1, 1), Date(2100, 1, 1)))
        out[v.id] = v.toJson().canonical();
    return out;
}

std::vector<std::string> idsOf(const std::vector<Evaluation>& list)
{
    std::vector<std::string> out;
    for (const auto& v : list)
        out.push_back(v.id);
    return out;
}

std::vector<Event> eventsOf(const db::Store& store)
{
    std::vector<Event> out;
    for (auto& c : store.changesSince(0, 1'000'000))
        out.push_back(std::move(c.event));
    return out;
}

Rating rating(int level, std::string comment = {})
{
    Rating r;
    r.level = level;
    r.comment = std::move(comment);
    return r;
}

// A centre's services on one store, with a wall clock the test moves (shared by every
// store of the test, so that none of them finds the others' clocks ahead).
struct Centre {
    Centre(const TestDatabase& tdb, std::int64_t& nowMs, bool seed, int targetVersion = 0)
        : clock(chinaDate(nowMs))
    {
        db::OpenOptions options;
        options.clock = [&nowMs] { return nowMs; };
        options.targetVersion = targetVersion;
        store = tdb.open(options);
        if (seed) {
            store->initialise("330102");
            store->putCatalogue(catalogue, "admin");
            if (targetVersion == 0 || targetVersion >= 4)
                store->putCentreSetup(demoCategories(), demoWindows(), "admin");
            store->putStaff({"clerk01", "\xE7\x8E\x8B\xE8\x8A\xB3", {Role::WindowStaff}, "330102", true}, "",
                "admin"); // 王芳
            store->putStaff({"manager01", "\xE8\xB5\xB5\xE6\x95\x8F", {Role::QueueManager}, "330102", true},
                "",
                "admin"); // 赵敏
        }
        numbers = std::make_unique<db::StoreCaseNumberSource>(*store, "330102", "W01", 10);
        ctx = std::make_unique<ServiceContext>(
            ServiceContext{*store, catalogue, calendar, *store, *numbers, clock, "330102"});
        intake = std::make_unique<IntakeService>(*ctx);
        work = std::make_unique<CaseWorkService>(*ctx);
        queue = std::make_unique<QueueService>(
            *store, *store, *store, catalogue, HallSetup{demoCategories(), demoWindows(), 60},
            [&nowMs] { return nowMs; }, "330102");
        ratings = std::make_unique<EvaluationService>(*ctx, *store, *store);
    }

    std::string openCase()
    {
        IntakeRequest r;
        r.applicant.name = "\xE6\x9D\x8E\xE5\xBC\xBA"; // 李强
        const std::string first17 = "33010219750315123";
        r.applicant.idNumber = first17 + *gb11643CheckDigit(first17);
        r.applicant.phone = "13912345678";
        r.matterCodes = {"330102-BDC-001"};
        r.receivedMaterials = {"property_certificate"};
        r.window = "W01";
        return intake->open("clerk01", r).number;
    }
    // A kiosk ticket called to `window` by clerk01 and ended with `caseNumber`.
    Ticket served(const std::string& window, const std::string& caseNumber = {})
    {
        const Ticket t = queue->issueAtKiosk("K1", "A");
        auto call = queue->callNext("clerk01", window);
        REQUIRE(call.called);
        REQUIRE(call.called->id == t.id);
        return queue->end("clerk01", t.id, caseNumber);
    }

    Catalogue catalogue = demoCatalogue();
    HolidayCalendar calendar = builtinCalendar();
    FixedClock clock;
    std::unique_ptr<db::Store> store;
    std::unique_ptr<db::StoreCaseNumberSource> numbers;
    std::unique_ptr<ServiceContext> ctx;
    std::unique_ptr<IntakeService> intake;
    std::unique_ptr<CaseWorkService> work;
    std::unique_ptr<QueueService> queue;
    std::unique_ptr<EvaluationService> ratings;
};

} // namespace

TEST_CASE("evaluations: ratings and follow-ups through the store, kept by a rebuild", "[evaluation]")
{
    std::int64_t nowMs = noonMs(kDay);
    TestDatabase tdb;
    Centre c(tdb, nowMs, true);

    // The evaluator at W01 rates the service that ended there, with its case.
    const std::string number = c.openCase();
    const Ticket waiting = c.queue->issueAtKiosk("K1", "A");
    CHECK(errorCode([&] { c.ratings->rateAtWindow("W01", waiting.id, rating(1)); })
        == "evaluation.not_served_here");
    REQUIRE(c.queue->callNext("clerk01", "W01").called);
    CHECK(errorCode([&] { c.ratings->rateAtWindow("W01", waiting.id, rating(1)); })
        == "evaluation.not_served_here");
    nowMs += 60'000;
    c.queue->end("clerk01", waiting.id, number);
    CHECK(errorCode([&] { c.ratings->rateAtWindow("W02", waiting.id, rating(1)); })
        == "evaluation.not_served_here");
    const Evaluation bad = c.ratings->rateAtWindow(
        "W01", waiting.id, rating(1, "\xE7\xAD\x89\xE5\xBE\x85\xE5\xA4\xAA\xE4\xB9\x85")); // 等待太久
    CHECK(bad.caseNumber == number);
    CHECK(bad.ticket == waiting.id);
    CHECK(bad.staff == "clerk01");
    CHECK(bad.window == "W01");
    CHECK(bad.channel == "evaluator");
    CHECK(bad.day == kDay);
    CHECK(bad.followUpDue == kDue);
    CHECK(bad.followUpOpen());
    CHECK(errorCode([&] { c.ratings->rateAtWindow("W01", waiting.id, rating(5)); })
        == "evaluation.already_rated");
    {
        const auto events = c.store->caseEvents(number);
        REQUIRE_FALSE(events.empty());
        CHECK(events.back().type == EventType::Evaluated);
        CHECK(events.back().actor == "evaluator:W01");
        const auto state = c.store->findCase(number);
        REQUIRE(state);
        REQUIRE(state->evaluations.size() == 1);
        CHECK(state->evaluations[0].level == 1);
    }
    CHECK(c.store->evaluationOfTicket(waiting.id)->id == bad.id);
    CHECK(c.store->findEvaluation(bad.id)->toJson().canonical() == bad.toJson().canonical());

    // A service without a case: evaluation.recorded, good, no follow-up.
    nowMs += 60'000;
    const Ticket plain = c.served("W02");
    const Evaluation good = c.ratings->rateAtWindow("W02", plain.id, rating(5));
    CHECK(good.caseNumber.empty());
    CHECK_FALSE(good.needsFollowUp());
    CHECK(errorCode([&] {
        c.ratings->followUp("manager01", good.id, FollowUpAction::Callback, "thanks", true);
    }) == "evaluation.no_follow_up");

    // The queue manager records a rating taken by phone, due sooner under a one-day rule.
    nowMs += 60'000;
    EvaluationService urgent(*c.ctx, *c.store, *c.store, 1);
    Rating phone = rating(2, "\xE6\x80\x81\xE5\xBA\xA6\xE5\xB7\xAE"); // 态度差
    phone.channel = "phone";
    phone.caseNumber = number;
    phone.staff = "clerk01";
    CHECK(errorCode([&] { urgent.record("clerk01", phone); }) == "permission.denied");
    const Evaluation byPhone = urgent.record("manager01", phone);
    CHECK(byPhone.followUpDue == Date(2026, 10, 8));
    CHECK(c.store->findCase(number)->evaluations.size() == 2);
    CHECK(idsOf(c.store->openFollowUps()) == std::vector<std::string>{byPhone.id, bad.id});
    CHECK(idsOf(c.store->evaluationsBetween(kDay, kDay))
        == std::vector<std::string>{bad.id, good.id, byPhone.id});
    CHECK(c.store->evaluationsBetween(kDay.addDays(1), kDue).empty());

    // Follow-up: a clerk may not; an appeal pending is no action to close on; callback, close.
    const auto events = c.store->eventCount();
    CHECK(errorCode([&] { c.ratings->followUp("clerk01", bad.id, FollowUpAction::Callback, "x", true); })
        == "permission.denied");
    CHECK(errorCode([&] { c.ratings->followUp("manager01", bad.id, FollowUpAction::Callback, " ", true); })
        == "evaluation.note_missing");
    CHECK(errorCode([&] {
        c.ratings->followUp("manager01", bad.id, FollowUpAction::Appeal, "wrong window", true);
    }) == "evaluation.close_without_action");
    CHECK(c.store->eventCount() == events);
    nowMs += 60'000;
    CHECK(c.ratings->followUp("manager01", bad.id, FollowUpAction::Appeal, "wrong window", false).appeal
        == AppealOutcome::Pending);
    CHECK(c.store->findEvaluation(bad.id)->followUpOpen());
    nowMs = noonMs(Date(2026, 10, 9));
    c.clock.set(Date(2026, 10, 9));
    const Evaluation closed = c.ratings->followUp("manager01", bad.id, FollowUpAction::Callback,
        "\xE5\xB7\xB2\xE5\x9B\x9E\xE8\xAE\xBF\xEF\xBC\x8C\xE7\x94\xB3\xE8\xAF\xB7\xE4\xBA\xBA\xE6\xBB\xA1\xE6"
        "\x84\x8F",
        true); // 已回访，申请人满意
    CHECK(closed.closed);
    CHECK(closed.closedOn == Date(2026, 10, 9));
    CHECK(closed.callbackDone);
    CHECK(closed.steps.size() == 2);
    CHECK(errorCode([&] {
        c.ratings->followUp("manager01", bad.id, FollowUpAction::Rectification, "more", true);
    }) == "evaluation.closed");
    CHECK(idsOf(c.store->openFollowUps()) == std::vector<std::string>{byPhone.id});
    const Evaluation upheld = c.ratings->followUp(
        "manager01", byPhone.id, FollowUpAction::Appeal, "malicious rating", true, AppealOutcome::Upheld);
    CHECK_FALSE(upheld.counts());
    CHECK(c.store->openFollowUps().empty());
    CHECK_FALSE(c.store->findEvaluation(byPhone.id)->counts());

    // The same rows after a rebuild, column for column, and the same ratings.
    const std::string rows = evaluationRows(tdb);
    const auto before = ratingsOf(*c.store);
    CHECK(before.size() == 3);
    CHECK(before.at(bad.id) == closed.toJson().canonical());
    c.store->rebuildProjections();
    CHECK(evaluationRows(tdb) == rows);
    CHECK(ratingsOf(*c.store) == before);
    CHECK(c.store->openFollowUps().empty());
    CHECK(c.store->verify().ok());

    // The in-memory repository folds the same events into the same ratings.
    InMemoryEventStore memory("memory", [&nowMs] { return nowMs; });
    memory.receive(eventsOf(*c.store));
    InMemoryEvaluations inMemory(memory);
    std::map<std::string, std::string> folded;
    for (const auto& v : inMemory.evaluationsBetween(Date(2000, 1, 1), Date(2100, 1, 1)))
        folded[v.id] = v.toJson().canonical();
    CHECK(folded == before);
}

TEST_CASE("evaluations: another store receiving the events projects the same rows", "[evaluation][sync]")
{
    std::int64_t nowMs = noonMs(kDay);
    TestDatabase first, second, third;
    Centre a(first, nowMs, true);
    const std::string number = a.openCase();
    const Ticket t = a.served("W01", number);
    const Evaluation bad = a.ratings->rateAtWindow("W01", t.id, rating(2, "slow"));
    nowMs += 60'000;
    const Ticket other = a.served("W02");
    const Evaluation worse = a.ratings->rateAtWindow("W02", other.id, rating(1, "rude"));

    // A second node (another origin) receives them and follows both up.
    Centre b(second, nowMs, false);
    b.store->receive(eventsOf(*a.store));
    REQUIRE(b.store->findEvaluation(bad.id));
    CHECK(b.store->origin() != a.store->origin());
    nowMs += 60'000;
    b.ratings->followUp("manager01", bad.id, FollowUpAction::Callback, "called back", true);
    b.ratings->followUp("manager01", worse.id, FollowUpAction::Rectification, "queue display fixed", false);
    CHECK(idsOf(b.store->openFollowUps()) == std::vector<std::string>{worse.id});

    // A third node gets everything in one batch, the follow-ups (origin b) ahead of the
    // ratings they follow (origin a).
    std::vector<Event> batch;
    std::vector<Event> ratingsFirst;
    for (auto& e : eventsOf(*b.store))
        (e.origin == b.store->origin() ? batch : ratingsFirst).push_back(std::move(e));
    REQUIRE(batch.size() == 2);
    batch.insert(batch.end(), ratingsFirst.begin(), ratingsFirst.end());
    Centre c(third, nowMs, false);
    CHECK(c.store->receive(batch) == batch.size());
    CHECK(c.store->heldEvents().empty());
    CHECK(evaluationRows(third) == evaluationRows(second));
    CHECK(ratingsOf(*c.store) == ratingsOf(*b.store));
    CHECK(idsOf(c.store->openFollowUps()) == std::vector<std::string>{worse.id});
    CHECK(c.store->findEvaluation(bad.id)->closed);

    // The first node catches up with the follow-ups: the same rows there too.
    CHECK(a.store->receive(eventsOf(*b.store)) == 2);
    CHECK(evaluationRows(first) == evaluationRows(second));

    // A follow-up written on the third node reaches the others.
    nowMs += 60'000;
    c.ratings->followUp("manager01", worse.id, FollowUpAction::Callback, "called back", true);
    a.store->receive(eventsOf(*c.store));
    b.store->receive(eventsOf(*c.store));
    CHECK(a.store->openFollowUps().empty());
    CHECK(evaluationRows(first) == evaluationRows(third));
    CHECK(evaluationRows(second) == evaluationRows(third));
}

TEST_CASE("evaluations: ratings stored under schema 3 are projected when it migrates to 4",
    "[evaluation][migration]")
{
    std::int64_t nowMs = noonMs(kDay);
    TestDatabase tdb;
    std::string evaluated, recorded;
    std::string number;
    {
        // Schema 3 had no evaluations table: ratings were case.evaluated events only (and a
        // newer node may have sent evaluation.* events it stored without knowing them).
        Centre old(tdb, nowMs, true, 3);
        REQUIRE(old.store->schemaVersion() == 3);
        number = old.openCase();
        old.work->recordEvaluation("manager01", number, 2, "phone", "\xE5\xA4\xAA\xE6\x85\xA2"); // 太慢
        evaluated = old.store->caseEvents(number).back().id();
        nowMs += 60'000;
        Json body = Json::object();
        body["level"] = 1;
        body["channel"] = "paper";
        body["comment"] = "";
        body["anonymous"] = true;
        body["ticket"] = "330102-20260930-A007";
        body["staff"] = "clerk01";
        body["window"] = "W01";
        body["followUpDue"] = kDue.iso();
        recorded = old.store->append({NewEvent{EvaluationEvent::Recorded, "", "manager01", {}, body}})
                       .front()
                       .id();
        nowMs += 60'000;
        Json step = Json::object();
        step["evaluation"] = recorded;
        step["action"] = "callback";
        step["note"] = "called back";
        step["close"] = true;
        old.store->append({NewEvent{EvaluationEvent::FollowUp, "", "manager01", {}, step}});
        CHECK(old.store->findCase(number)->evaluations.size() == 1);
    }
    std::int64_t later = nowMs;
    db::OpenOptions current;
    current.clock = [&later] { return later; };
    auto store = tdb.open(current);
    CHECK(store->schemaVersion() == db::currentSchemaVersion());
    const auto fromCase = store->findEvaluation(evaluated);
    REQUIRE(fromCase);
    CHECK(fromCase->caseNumber == number);
    CHECK(fromCase->level == 2);
    CHECK(fromCase->channel == "phone");
    CHECK(fromCase->comment == "\xE5\xA4\xAA\xE6\x85\xA2");
    CHECK(fromCase->day == kDay);
    // Written before ratings carried a due date: due on the day it was given.
    CHECK(fromCase->followUpOpen());
    CHECK(fromCase->followUpDue == kDay);
    const auto fromPaper = store->findEvaluation(recorded);
    REQUIRE(fromPaper);
    CHECK(fromPaper->ticket == "330102-20260930-A007");
    CHECK(fromPaper->anonymous);
    CHECK(fromPaper->followUpDue == kDue);
    CHECK(fromPaper->closed);
    REQUIRE(fromPaper->steps.size() == 1);
    CHECK(fromPaper->steps[0].action == FollowUpAction::Callback);
    CHECK(store->evaluationOfTicket("330102-20260930-A007")->id == recorded);
    CHECK(idsOf(store->openFollowUps()) == std::vector<std::string>{evaluated});
    CHECK(idsOf(store->evaluationsBetween(kDay, kDay)) == std::vector<std::string>{evaluated, recorded});

    // What the migration projected is what a rebuild projects.
    const std::string rows = evaluationRows(tdb);
    store->rebuildProjections();
    CHECK(evaluationRows(tdb) == rows);
}

// A follow-up may come in an earlier batch than its rating, e.g. from a peer whose changes
// feed is not in arrival order or while the rating is held: it waits for the rating.
TEST_CASE("evaluations: a follow-up received in a batch before its rating's is not lost", "[follow-up-first]")
{
    std::int64_t nowMs = noonMs(kDay);
    TestDatabase first, second, third;
    Centre a(first, nowMs, true);
    const Ticket t = a.served("W01");
    const Evaluation bad = a.ratings->rateAtWindow("W01", t.id, rating(2, "slow"));
    Centre b(second, nowMs, false);
    b.store->receive(eventsOf(*a.store));
    nowMs += 60'000;
    b.ratings->followUp("manager01", bad.id, FollowUpAction::Callback, "called back", true);
    std::vector<Event> followUps, rest;
    for (auto& e : eventsOf(*b.store))
        (e.origin == b.store->origin() ? followUps : rest).push_back(std::move(e));
    Centre c(third, nowMs, false);
    CHECK(c.store->receive(followUps) == followUps.size());
    CHECK(c.store->receive(rest) == rest.size());
    CHECK(evaluationRows(third) == evaluationRows(second));
    CHECK(c.store->findEvaluation(bad.id)->closed);
}
