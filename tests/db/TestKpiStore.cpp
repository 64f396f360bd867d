// The reports' facts on a real store (both backends): the case_facts rows written by
// intake and case work through the services equal what model::caseFactOf gives for the
// folded states, the column-only ticket and rating facts equal the projected tickets and
// ratings, a report from the store's facts equals one from the states; and all of it
// survives a rebuild, replication to another store and a migration from schema 3.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/CentreSetup.h"
#include "model/EvaluationService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Kpi.h"
#include "model/QueueService.h"

#include "DbTestSupport.h"
#include "db/Store.h"

#include <catch2/catch.hpp>
#include <map>

using namespace ow;
using namespace ow::model;
using ow::test::TestDatabase;

namespace {

const Date kMonday(2026, 3, 2);

Rating rated(int level, const std::string& comment, const std::string& channel = "evaluator")
{
    Rating r;
    r.level = level;
    r.comment = comment;
    r.channel = channel;
    return r;
}

using ow::test::residentId;

// A centre on a real store with every service, and one clock the test moves: the date the
// services see and the physical time the store stamps (tickets and ratings take theirs
// from it).
struct Centre {
    std::int64_t nowMs = 0;
    std::unique_ptr<db::Store> store;
    Catalogue catalogue = demoCatalogue();
    HolidayCalendar calendar = builtinCalendar();
    FixedClock clock{kMonday};
    std::unique_ptr<db::StoreCaseNumberSource> numbers;
    std::unique_ptr<ServiceContext> ctx;
    std::unique_ptr<IntakeService> intake;
    std::unique_ptr<CaseWorkService> work;
    std::unique_ptr<QueueService> queue;
    std::unique_ptr<EvaluationService> ratings;
    int applicants = 0;

    explicit Centre(const TestDatabase& db, int schemaVersion = 0)
    {
        at(kMonday, 8, 0);
        db::OpenOptions options;
        options.clock = [this] { return nowMs; };
        options.targetVersion = schemaVersion;
        store = db.open(options);
        store->initialise("330102");
        store->putCatalogue(catalogue, "admin");
        for (const char* clerk : {"clerk01", "clerk02"})
            store->putStaff({clerk, clerk, {Role::WindowStaff}, "330102", true}, "", "admin");
        store->putStaff({"reviewer01", "陈静", {Role::Reviewer}, "330102", true}, "", "admin");
        store->putStaff({"manager01", "赵敏", {Role::QueueManager}, "330102", true}, "", "admin");
        numbers = std::make_unique<db::StoreCaseNumberSource>(*store, "330102", "W01", 20);
        ctx = std::make_unique<ServiceContext>(
            ServiceContext{*store, catalogue, calendar, *store, *numbers, clock, "330102"});
        intake = std::make_unique<IntakeService>(*ctx);
        work = std::make_unique<CaseWorkService>(*ctx);
        if (schemaVersion == 0 || schemaVersion >= 4) {
            store->putCentreSetup(demoCategories(), demoWindows(), "admin");
            queue = std::make_unique<QueueService>(
                *store, *store, *store, catalogue, HallSetup{store->categories(), store->windows(), 60},
                [this] { return nowMs; }, "330102");
            ratings = std::make_unique<EvaluationService>(*ctx, *store, *store);
        }
    }

    // `hour`:`minute` China time on `day`.
    void at(Date day, int hour, int minute)
    {
        clock.set(day);
        nowMs = day.days() * 86'400'000 + (hour * 60 + minute - 8 * 60) * 60'000;
    }

    CaseState open(std::vector<std::string> matters, std::vector<std::string> received)
    {
        IntakeRequest r;
        r.applicant.name = "王芳";
        char first17[32];
        std::snprintf(first17, sizeof first17, "33010219800101%03d", ++applicants);
        r.applicant.idNumber = residentId(first17);
        r.applicant.phone = "13800000000";
        r.matterCodes = std::move(matters);
        r.receivedMaterials = std::move(received);
        r.window = "W01";
        return intake->open("clerk01", r);
    }
};

struct Scenario {
    std::vector<std::string> cases;
    std::vector<std::string> tickets;
};

// One week of a small hall: tickets served with the cases they led to, a no-show, an
// immediate case decided at once, a correction (two visits), a bundle of two departments
// suspended without an end, a refusal, a late conclusion, ratings with their follow-up.
Scenario runWeek(Centre& c)
{
    Scenario s;
    c.at(kMonday, 9, 0);
    const Ticket a1 = c.queue->issueAtKiosk("k1", "A");
    const Ticket c1 = c.queue->issueAtKiosk("k1", "C");
    const Ticket e1 = c.queue->issueAtKiosk("k1", "E");
    s.tickets = {a1.id, c1.id, e1.id};

    c.at(kMonday, 9, 5);
    c.queue->callNext("clerk01", "W01");
    c.at(kMonday, 9, 10);
    // Business licence (区市场监督管理局), 15wd statutory, 1wd promised.
    const std::string case1 = c.open({"330102-SC-001"}, {"premises_proof", "registration_form"}).number;
    c.intake->accept("clerk01", case1);
    c.at(kMonday, 9, 20);
    c.queue->end("clerk01", a1.id, case1);
    c.ratings->rateAtWindow("W01", a1.id, rated(5, ""));

    c.at(kMonday, 9, 25);
    c.queue->callNext("clerk02", "W05");
    // An immediate medical-insurance matter, decided at once.
    const std::string case2 = c.open({"330102-YB-001"}, {}).number;
    c.intake->accept("clerk02", case2);
    c.work->conclude("clerk02", case2, true);
    c.at(kMonday, 9, 40);
    c.queue->end("clerk02", c1.id, case2);
    const Evaluation bad = c.ratings->rateAtWindow("W05", c1.id, rated(2, "排队太久"));

    c.at(kMonday, 9, 45);
    c.queue->callNext("clerk01", "W01");
    c.at(kMonday, 9, 50);
    c.queue->noShow("clerk01", e1.id);

    // A residence permit missing a proof: a one-time notice, accepted on the return visit.
    c.at(kMonday, 10, 0);
    const std::string case3 = c.open({"330102-GA-001"}, {}).number;
    c.intake->issueNotice("clerk01", case3, {"residence_proof"});
    // Utilities transfer (immediate, 1wd promised), concluded two days later: late.
    const std::string case6 = c.open({"330102-SDQ-001"}, {"property_certificate"}).number;
    c.intake->accept("clerk01", case6);

    const Date tuesday = kMonday.addDays(1);
    c.at(tuesday, 10, 0);
    c.intake->recordCorrection("clerk01", case3, {"residence_proof"});
    c.intake->accept("clerk01", case3);
    c.work->route("clerk01", case1, "review", "区市场监督管理局", "reviewer01");
    c.work->completeStep("reviewer01", case1, "review", "通过");
    c.work->conclude("reviewer01", case1, true);
    // Real estate and tax together (two departments), suspended without an end.
    const std::string case4
        = c.open({"330102-BDC-001", "330102-SW-001"}, {"property_certificate", "sale_contract"}).number;
    c.intake->accept("clerk01", case4);
    c.work->suspend("clerk01", case4, "补充材料");
    const std::string case5 = c.open({"330102-SC-001"}, {}).number;
    c.intake->refuse("clerk01", case5, "不属于本中心受理范围", "《行政许可法》第三十二条");
    Rating phone = rated(1, "服务态度差", "phone");
    phone.caseNumber = case3;
    const Evaluation phoned = c.ratings->record("manager01", phone);
    c.ratings->followUp("manager01", phoned.id, FollowUpAction::Callback, "已回访", true);
    c.ratings->followUp("manager01", bad.id, FollowUpAction::Rectification, "增开窗口", false);

    c.at(kMonday.addDays(2), 11, 0);
    c.work->conclude("clerk01", case6, true);
    s.cases = {case1, case2, case3, case4, case5, case6};
    return s;
}

// The facts as the model takes them from the stored states and tickets.
std::vector<CaseFact> modelCaseFacts(const Centre& c, const std::vector<std::string>& numbers)
{
    std::vector<CaseFact> out;
    for (const auto& n : numbers)
        out.push_back(caseFactOf(*c.store->findCase(n), c.calendar));
    return out;
}

void checkCaseFacts(const db::Store& store, const std::vector<std::string>& numbers)
{
    const HolidayCalendar calendar = builtinCalendar();
    for (const auto& n : numbers) {
        INFO("case " << n);
        auto stored = store.caseFacts(n);
        REQUIRE(stored);
        CHECK(*stored == caseFactOf(*store.findCase(n), calendar));
    }
}

std::vector<TicketFact> modelTicketFacts(const db::Store& store, const std::vector<std::string>& ids)
{
    std::vector<TicketFact> out;
    for (const auto& id : ids) {
        Ticket t = *store.findTicket(id);
        auto facts = t.caseNumber.empty() ? std::nullopt : store.caseFacts(t.caseNumber);
        out.push_back(ticketFactOf(t, facts ? facts->departments : std::vector<std::string>{}));
    }
    return out;
}

std::vector<RatingFact> modelRatingFacts(const db::Store& store, Date from, Date to)
{
    std::vector<RatingFact> out;
    for (const auto& v : store.evaluationsBetween(from, to)) {
        auto facts = v.caseNumber.empty() ? std::nullopt : store.caseFacts(v.caseNumber);
        out.push_back({v, facts ? facts->departments : std::vector<std::string>{}});
    }
    return out;
}

template<class T, class Key> std::map<std::string, T> byKey(const std::vector<T>& list, Key key)
{
    std::map<std::string, T> out;
    for (const auto& x : list)
        out.emplace(key(x), x);
    return out;
}

std::string storeReport(const db::Store& store, const KpiQuery& q, const Catalogue& catalogue)
{
    return computeKpis(q, store.ticketFactsBetween(q.from, q.to), store.caseFactsBetween(q.from, q.to),
        store.ratingFactsBetween(q.from, q.to), catalogue)
        .toJson()
        .canonical();
}

void checkRatingFacts(const db::Store& store, Date from, Date to)
{
    auto stored = byKey(store.ratingFactsBetween(from, to), [](const RatingFact& r) { return r.rating.id; });
    auto fromJson = byKey(modelRatingFacts(store, from, to), [](const RatingFact& r) { return r.rating.id; });
    REQUIRE(stored.size() == fromJson.size());
    for (const auto& [id, want] : fromJson) {
        INFO("rating " << id);
        REQUIRE(stored.count(id));
        const Evaluation& got = stored.at(id).rating;
        const Evaluation& v = want.rating;
        CHECK(got.level == v.level);
        CHECK(got.day == v.day);
        CHECK(got.window == v.window);
        CHECK(got.caseNumber == v.caseNumber);
        CHECK(got.ticket == v.ticket);
        CHECK(got.counts() == v.counts());
        CHECK(got.callbackDone == v.callbackDone);
        CHECK(got.rectified == v.rectified);
        CHECK(got.closed == v.closed);
        CHECK(got.closedOn == v.closedOn);
        if (v.needsFollowUp()) // the only ratings with a due date
            CHECK(got.followUpDue == v.followUpDue);
        CHECK(stored.at(id).departments == want.departments);
    }
}

} // namespace

TEST_CASE("kpi store: case, ticket and rating facts equal the model's, and the report agrees", "[kpi]")
{
    TestDatabase tdb;
    Centre c(tdb);
    const Scenario s = runWeek(c);
    const Date from = kMonday, to = kMonday.addDays(4);

    checkCaseFacts(*c.store, s.cases);
    // The facts of a range: accepted by `to` and not concluded before `from`. The refusal
    // (never accepted) is not among them.
    std::vector<CaseFact> expected;
    for (const auto& f : modelCaseFacts(c, s.cases))
        if (f.acceptedOn && *f.acceptedOn <= to && (!f.concludedOn || *f.concludedOn >= from))
            expected.push_back(f);
    auto got = byKey(c.store->caseFactsBetween(from, to), [](const CaseFact& f) { return f.number; });
    CHECK(got.size() == 5);
    CHECK(got == byKey(expected, [](const CaseFact& f) { return f.number; }));
    // Nothing of a later week; the week's cases again for a range that only holds their end.
    CHECK(c.store->caseFactsBetween(to.addDays(30), to.addDays(40)).size() == 2); // 3 and 4 still running
    CHECK(c.store->caseFactsBetween(Date(2026, 1, 1), Date(2026, 2, 1)).empty());

    // Tickets: the columns equal the projected tickets, with their case's departments.
    auto tickets = byKey(c.store->ticketFactsBetween(from, to), [](const TicketFact& t) { return t.id; });
    auto want = byKey(modelTicketFacts(*c.store, s.tickets), [](const TicketFact& t) { return t.id; });
    CHECK(tickets == want);
    CHECK(tickets.at(s.tickets[0]).departments == std::vector<std::string>{"区市场监督管理局"});
    CHECK(tickets.at(s.tickets[0]).waitingMs == 5 * 60'000); // issued 9:00, called 9:05
    CHECK(tickets.at(s.tickets[0]).servingMs == 15 * 60'000); // ended 9:20
    CHECK(c.store->ticketFactsBetween(to.addDays(1), to.addDays(2)).empty());

    checkRatingFacts(*c.store, from, to);

    // The report from the store's columns equals the one from the states.
    const KpiQuery q{from, to, "330102", ""};
    const std::string fromStore = storeReport(*c.store, q, c.catalogue);
    const KpiReport fromStates = computeKpis(q, modelTicketFacts(*c.store, s.tickets), expected,
        modelRatingFacts(*c.store, from, to), c.catalogue);
    CHECK(fromStore == fromStates.toJson().canonical());
    // And what the week was: 3 tickets (2 served, 1 no-show); accepted 1, 2, 3, 4, 6;
    // concluded 1, 2, 6 of which 6 late (due Tuesday, concluded Wednesday); 2 immediate;
    // 3 ratings, 2 bad, one called back, one rectified.
    CHECK(fromStates.tickets.issued == 3);
    CHECK(fromStates.tickets.served == 2);
    CHECK(fromStates.tickets.noShow == 1);
    CHECK(fromStates.cases.accepted == 5);
    CHECK(fromStates.cases.concluded == 3);
    CHECK(fromStates.cases.concludedLate == 1);
    CHECK(fromStates.cases.immediate == 1);
    CHECK(fromStates.ratings.ratings == 3);
    CHECK(fromStates.ratings.bad == 2);
    CHECK(fromStates.ratings.callbacks == 1);
    CHECK(fromStates.ratings.rectified == 1);
    CHECK(fromStates.ratings.openFollowUps == 1);
    const auto& visits = got.at(s.cases[2]);
    CHECK(visits.visits == 2); // the correction was a second visit
    CHECK(got.at(s.cases[3]).departments.size() == 2);
    CHECK_FALSE(got.at(s.cases[3]).deadline); // suspended without an end

    // A department narrows the report the same way on both sides.
    const KpiQuery tax{from, to, "", "区税务局"};
    CHECK(storeReport(*c.store, tax, c.catalogue)
        == computeKpis(tax, modelTicketFacts(*c.store, s.tickets), expected,
            modelRatingFacts(*c.store, from, to), c.catalogue)
               .toJson()
               .canonical());

    SECTION("a rebuild of the projections gives the same facts")
    {
        c.store->rebuildProjections();
        checkCaseFacts(*c.store, s.cases);
        CHECK(storeReport(*c.store, q, c.catalogue) == fromStore);
        CHECK(c.store->verify().ok());
    }
    SECTION("another store given the same events projects the same facts")
    {
        TestDatabase other;
        auto replica = other.open();
        std::vector<Event> events;
        for (auto& ch : c.store->changesSince(0, 100000))
            events.push_back(ch.event);
        replica->receive(events);
        checkCaseFacts(*replica, s.cases);
        CHECK(storeReport(*replica, q, c.catalogue) == fromStore);
    }
}

TEST_CASE("kpi store: a database migrated from schema 3 gets the facts of its cases", "[kpi][migration]")
{
    TestDatabase tdb;
    std::vector<std::string> numbers;
    {
        Centre old(tdb, 3);
        REQUIRE(old.store->schemaVersion() == 3);
        const std::string a = old.open({"330102-SC-001"}, {"premises_proof", "registration_form"}).number;
        old.intake->accept("clerk01", a);
        old.at(kMonday.addDays(1), 10, 0);
        old.work->conclude("clerk01", a, true);
        numbers = {a, old.open({"330102-YB-001"}, {}).number};
    }
    auto store = tdb.open();
    CHECK(store->schemaVersion() == db::currentSchemaVersion());
    checkCaseFacts(*store, numbers);
    CHECK(store->caseFactsBetween(kMonday, kMonday.addDays(1)).size() == 1);
}
