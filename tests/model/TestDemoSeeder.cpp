// The demo seeder: synthetic applicants always valid, every case status covered, the
// same seed giving the same store, every event in the past, in working hours, on working
// days, and nothing the fold would flag.
#include "model/BuiltinCalendars.h"
#include "model/Catalogue.h"
#include "model/DemoSeeder.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/StateHash.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <map>
#include <memory>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace ow::model;

namespace {

constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;

// Midnight China Standard Time at the start of `d`, in ms since the epoch.
std::int64_t midnightCst(Date d)
{
    return d.days() * kMsPerDay - kChinaOffsetMs;
}

void addDemoStaff(InMemoryStaffDirectory& directory, const std::vector<DemoStaffMember>& staff,
    const std::string& centre = "330102")
{
    for (const auto& m : staff)
        directory.put({m.id, m.name, {m.role}, centre, true});
}

// A centre whose store, clock and case numbers are driven only by moveTo.
struct SeedWorld {
    std::int64_t nowMs = 0;
    InMemoryEventStore store{"seed01", [this] { return nowMs; }};
    Catalogue catalogue = demoCatalogue();
    HolidayCalendar calendar = builtinCalendar();
    InMemoryStaffDirectory staff;
    InMemoryCaseNumberSource numbers{"330102", "W01"};
    FixedClock clock{Date(2026, 1, 1)};
    ServiceContext ctx{store, catalogue, calendar, staff, numbers, clock, "330102"};
    int moves = 0;
    std::int64_t lastMoveMs = 0;
    bool movesMonotonic = true;
    bool movesConsistent = true;

    explicit SeedWorld(Catalogue c = demoCatalogue())
        : catalogue(std::move(c))
    {
        addDemoStaff(staff, demoStaff(1));
    }

    DemoSeedResult seed(int cases, Date today, std::uint64_t seed = 1)
    {
        DemoSeedOptions o;
        o.cases = cases;
        o.today = today;
        o.seed = seed;
        return seedDemoCases(ctx, o, [this](Date d, std::int64_t ms) {
            ++moves;
            movesMonotonic = movesMonotonic && ms >= lastMoveMs;
            movesConsistent = movesConsistent && dateOfHlc(makeHlc(ms, 0)) == d;
            lastMoveMs = ms;
            clock.set(d);
            nowMs = ms;
        });
    }

    std::vector<CaseState> cases() const
    {
        std::vector<CaseState> out;
        for (const auto& n : store.caseNumbers())
            out.push_back(*store.findCase(n));
        return out;
    }
};

std::set<CaseStatus> everyStatusButNone()
{
    std::set<CaseStatus> all(allCaseStatuses().begin(), allCaseStatuses().end());
    all.erase(CaseStatus::None);
    return all;
}

std::set<CaseStatus> statusesOf(const DemoSeedResult& r)
{
    std::set<CaseStatus> out;
    for (const auto& [status, count] : r.byStatus)
        if (count > 0)
            out.insert(status);
    return out;
}

std::string describe(const DemoSeedResult& r)
{
    std::string s;
    for (const auto& [status, count] : r.byStatus)
        s += toString(status) + "=" + std::to_string(count) + " ";
    return s;
}

// Every stored event in the past, in 08:30–17:30 China time on a working day; each
// case's events in order of time and date; no anomaly, no conflict; the projection
// equal to a fresh fold.
void checkStore(const SeedWorld& w, Date today)
{
    const std::int64_t limit = midnightCst(today);
    const std::int64_t yearAgo = midnightCst(today.addDays(-400));
    for (const auto& e : w.store.allEvents()) {
        INFO(e.id() << " " << e.type << " " << e.caseNumber);
        const std::int64_t wall = hlcWallMs(e.hlc);
        CHECK(wall < limit);
        CHECK(wall >= yearAgo);
        const Date day = dateOfHlc(e.hlc);
        CHECK(w.calendar.isWorkingDay(day));
        const std::int64_t minuteOfDay = (wall - midnightCst(day)) / 60'000;
        CHECK(minuteOfDay >= 8 * 60 + 30);
        CHECK(minuteOfDay < 17 * 60 + 30);
        CHECK(eventDate(e) == day); // the service's date and the stamped time agree
    }
    for (const auto& n : w.store.caseNumbers()) {
        INFO(n);
        const CaseState st = *w.store.findCase(n);
        CHECK(st.anomalies.empty());
        CHECK_FALSE(st.inConflict());
        CHECK(st.unknownEvents == 0);
        CHECK(foldCase(w.store.caseEvents(n)).toJson() == st.toJson());
        auto evs = canonicalOrder(w.store.caseEvents(n));
        for (std::size_t i = 1; i < evs.size(); ++i) {
            CHECK(evs[i].hlc > evs[i - 1].hlc);
            CHECK(eventDate(evs[i]) >= eventDate(evs[i - 1]));
        }
        // The case number carries the day of intake.
        CHECK(n.substr(7, 8) == st.openedOn.compact());
    }
}

} // namespace

TEST_CASE("seeder: synthetic applicants always validate", "[seeder]")
{
    const Date today(2026, 6, 15);
    std::mt19937_64 rng(20260615);
    const std::regex mobile("1[3-9][0-9]{9}");
    int persons = 0, enterprises = 0, elderly = 0, agents = 0, assisted = 0, post = 0, extB = 0, permits = 0;
    std::set<std::string> ids;
    for (int i = 0; i < 1000; ++i) {
        const Applicant a = syntheticApplicant(rng, today);
        INFO("draw " << i << " " << a.name << " " << maskId(a.idNumber));
        const auto problems = validate(a, today);
        for (const auto& p : problems)
            FAIL_CHECK(p.field << ": " << p.code);
        CHECK(problems.empty());
        ids.insert(a.idNumber);
        CHECK(checkId(a.idKind, a.idNumber, today).normalized == a.idNumber);
        if (a.type == ApplicantType::Person) {
            ++persons;
            CHECK(isPersonalIdKind(a.idKind));
            auto birth = birthDate(a);
            REQUIRE(birth);
            CHECK(*birth >= Date(1940, 1, 1));
            CHECK(*birth <= Date(2005, 12, 31));
            if (isElderly(a, today))
                ++elderly;
            if (a.idKind != IdKind::ResidentId)
                ++permits;
            if (!a.phone.empty())
                CHECK(std::regex_match(a.phone, mobile));
        } else {
            ++enterprises;
            CHECK(a.idKind == IdKind::UnifiedSocialCreditCode);
            CHECK(a.idNumber.size() == 18);
            CHECK_FALSE(a.legalRepresentative.empty());
        }
        if (a.agent) {
            ++agents;
            CHECK_FALSE(a.agent->authorisation.empty());
            CHECK(std::regex_match(a.agent->phone, mobile));
        }
        if (a.assisted)
            ++assisted;
        if (a.delivery == DeliveryMethod::Post) {
            ++post;
            CHECK_FALSE(a.postalAddress.empty());
        }
        if (a.name.find("\xF0\xA0\xAE\xB7") != std::string::npos) // 𠮷, CJK Extension B
            ++extB;
    }
    INFO("persons " << persons << " enterprises " << enterprises << " elderly " << elderly << " agents "
                    << agents << " assisted " << assisted << " post " << post << " extB " << extB
                    << " permits " << permits);
    CHECK(persons > 700);
    CHECK(enterprises > 80);
    CHECK(elderly > 150);
    CHECK(agents > 40);
    CHECK(assisted > 30);
    CHECK(post > 100);
    CHECK(extB >= 5);
    CHECK(permits >= 10);
    CHECK(ids.size() > 990); // collisions are possible but must be rare

    // The sex digit of a resident ID follows the 17th-digit rule both ways.
    std::mt19937_64 again(7);
    std::set<Sex> sexes;
    for (int i = 0; i < 200; ++i) {
        const Applicant a = syntheticApplicant(again, today);
        if (a.type == ApplicantType::Person)
            if (auto s = sexFromId(a.idKind, a.idNumber))
                sexes.insert(*s);
    }
    CHECK(sexes.size() == 2);
}

TEST_CASE("seeder: demo staff accounts", "[seeder]")
{
    const auto staff = demoStaff(1);
    REQUIRE(staff.size() == 15);
    for (int i = 0; i < 12; ++i) {
        const std::string id = "clerk" + std::string(i < 9 ? "0" : "") + std::to_string(i + 1);
        CHECK(staff[static_cast<std::size_t>(i)].id == id);
        CHECK(staff[static_cast<std::size_t>(i)].role == Role::WindowStaff);
    }
    CHECK(staff[12].id == "reviewer01");
    CHECK(staff[12].role == Role::Reviewer);
    CHECK(staff[13].id == "manager01");
    CHECK(staff[13].role == Role::QueueManager);
    CHECK(staff[14].id == "admin");
    CHECK(staff[14].role == Role::Administrator);
    std::set<std::string> names;
    for (const auto& m : staff) {
        INFO(m.id);
        CHECK(std::regex_match(m.password, std::regex(m.id + "-[a-z0-9]{6}")));
        CHECK_FALSE(m.name.empty());
        names.insert(m.name);
    }
    CHECK(names.size() == staff.size());

    const auto same = demoStaff(1);
    const auto other = demoStaff(2);
    for (std::size_t i = 0; i < staff.size(); ++i) {
        CHECK(same[i].password == staff[i].password);
        CHECK(same[i].name == staff[i].name);
    }
    int differ = 0;
    for (std::size_t i = 0; i < staff.size(); ++i)
        differ += other[i].password != staff[i].password ? 1 : 0;
    CHECK(differ == static_cast<int>(staff.size()));
}

TEST_CASE("seeder: N=14 covers every status", "[seeder]")
{
    const Date today(2026, 11, 30);
    SeedWorld w;
    const DemoSeedResult r = w.seed(14, today);
    INFO(describe(r));
    CHECK(r.cases == 14);
    CHECK(statusesOf(r) == everyStatusButNone());
    CHECK(w.store.caseNumbers().size() == 14);
    CHECK(w.moves == static_cast<int>(w.store.allEvents().size()));
    CHECK(w.movesMonotonic);
    CHECK(w.movesConsistent);
    checkStore(w, today);
}

TEST_CASE("seeder: N=200 covers every status with realistic work", "[seeder]")
{
    const Date today(2026, 11, 30);
    SeedWorld w;
    const DemoSeedResult r = w.seed(200, today);
    INFO(describe(r));
    CHECK(r.cases == 200);
    CHECK(statusesOf(r) == everyStatusButNone());
    int total = 0;
    for (const auto& [status, count] : r.byStatus)
        total += count;
    CHECK(total == 200);
    CHECK(w.movesMonotonic);
    checkStore(w, today);

    // Who did what: extensions approved by the reviewer, assignments and ratings by the
    // queue manager, never by window staff.
    std::map<std::string, std::set<std::string>> actorsByType;
    for (const auto& e : w.store.allEvents())
        actorsByType[e.type].insert(e.actor);
    CHECK(actorsByType[EventType::Extended] == std::set<std::string>{"reviewer01"});
    CHECK(actorsByType[EventType::Evaluated] == std::set<std::string>{"manager01"});
    CHECK(actorsByType[EventType::Assigned] == std::set<std::string>{"manager01"});
    CHECK(actorsByType[EventType::Opened].size() > 6); // many windows at work

    int bundles = 0, multiVisit = 0, good = 0, bad = 0, elderly = 0, documents = 0, deficientEver = 0;
    std::set<std::string> matters;
    Date first = today, last(2000, 1, 1);
    for (const auto& st : w.cases()) {
        bundles += st.bundle.empty() ? 0 : 1;
        multiVisit += st.visits > 1 ? 1 : 0;
        documents += st.documentsIssued;
        deficientEver += st.commitmentDue ? 1 : 0;
        elderly += isElderly(st.applicant, st.openedOn) ? 1 : 0;
        for (const auto& m : st.matters)
            matters.insert(m.code);
        for (const auto& ev : st.evaluations) {
            good += ev.level >= 4 ? 1 : 0;
            bad += ev.level <= 2 ? 1 : 0;
        }
        for (const auto& x : st.extensions)
            CHECK(x.approvedBy == "reviewer01");
        first = std::min(first, st.openedOn);
        last = std::max(last, st.openedOn);
    }
    INFO("bundles " << bundles << " multiVisit " << multiVisit << " good " << good << " bad " << bad);
    CHECK(bundles >= 10);
    CHECK(multiVisit >= 3);
    CHECK(deficientEver >= 5);
    CHECK(elderly >= 20);
    CHECK(documents >= 100);
    CHECK(matters.size() == w.catalogue.matters().size());
    CHECK(good > 4 * bad);
    CHECK(bad >= 1);
    // Spread over the year before today.
    CHECK(first.daysUntil(today) > 250);
    CHECK(first.daysUntil(today) <= 400);
    CHECK(last.daysUntil(today) <= 30);
}

TEST_CASE("seeder: the full demo catalogue", "[seeder]")
{
    const Date today(2027, 3, 15);
    SeedWorld w(fullDemoCatalogue());
    const DemoSeedResult r = w.seed(300, today, 9);
    INFO(describe(r));
    CHECK(r.cases == 300);
    CHECK(statusesOf(r) == everyStatusButNone());
    checkStore(w, today);
    std::set<std::string> matters, bundles, windows;
    int enterprisesOnEnterpriseMatters = 0, enterprises = 0;
    for (const auto& st : w.cases()) {
        for (const auto& m : st.matters)
            matters.insert(m.code);
        if (!st.bundle.empty())
            bundles.insert(st.bundle);
        windows.insert(st.window);
        if (st.applicant.type == ApplicantType::Enterprise) {
            ++enterprises;
            bool licence = false;
            for (const auto& m : st.materials)
                licence = licence || m.code == "business_licence";
            enterprisesOnEnterpriseMatters += licence ? 1 : 0;
        }
    }
    CHECK(matters.size() >= 30);
    CHECK(bundles.size() >= 5);
    CHECK(windows.size() == 12);
    CHECK(enterprisesOnEnterpriseMatters == enterprises);
}

TEST_CASE("seeder: the same seed gives the same store", "[seeder]")
{
    const Date today(2026, 3, 2);
    SeedWorld a;
    SeedWorld b;
    SeedWorld c;
    a.seed(60, today, 42);
    b.seed(60, today, 42);
    c.seed(60, today, 43);
    CHECK(stateHash(a.cases()) == stateHash(b.cases()));
    CHECK(stateHash(a.cases()) != stateHash(c.cases()));
    const auto ea = a.store.allEvents();
    const auto eb = b.store.allEvents();
    REQUIRE(ea.size() == eb.size());
    for (std::size_t i = 0; i < ea.size(); ++i)
        CHECK(ea[i].hash == eb[i].hash);
}

TEST_CASE("seeder: N=0 writes nothing", "[seeder]")
{
    SeedWorld w;
    const DemoSeedResult r = w.seed(0, Date(2026, 6, 1));
    CHECK(r.cases == 0);
    CHECK(r.byStatus.empty());
    CHECK(w.store.allEvents().empty());
    CHECK(w.moves == 0);
    CHECK(w.seed(-3, Date(2026, 6, 1)).cases == 0);
}

TEST_CASE("seeder: any day from mid-2025 to 2027 as today", "[seeder]")
{
    // Holidays, make-up working days, a year without a calendar file, weekends.
    for (const Date today :
        {Date(2025, 6, 1), Date(2025, 10, 1), Date(2025, 10, 9), Date(2026, 1, 1), Date(2026, 2, 16),
            Date(2026, 2, 24), Date(2026, 10, 8), Date(2027, 1, 1), Date(2027, 6, 30), Date(2027, 12, 31)}) {
        INFO("today " << today.iso());
        SeedWorld w;
        DemoSeedResult r;
        REQUIRE_NOTHROW(r = w.seed(40, today, static_cast<std::uint64_t>(today.days())));
        CHECK(r.cases == 40);
        CHECK(statusesOf(r) == everyStatusButNone());
        checkStore(w, today);
    }
}

TEST_CASE("seeder: missing staff accounts are refused before anything is written", "[seeder]")
{
    SeedWorld w;
    InMemoryStaffDirectory partial;
    auto staff = demoStaff(1);
    staff.erase(staff.begin() + 12); // no reviewer01
    addDemoStaff(partial, staff);
    ServiceContext ctx{w.store, w.catalogue, w.calendar, partial, w.numbers, w.clock, "330102"};
    DemoSeedOptions o;
    o.cases = 5;
    o.today = Date(2026, 6, 1);
    try {
        seedDemoCases(ctx, o, [](Date, std::int64_t) {});
        FAIL("no error");
    } catch (const DomainError& e) {
        CHECK(e.code() == "demo.staff_missing");
        CHECK(e.fact("actor") == "reviewer01");
    }
    CHECK(w.store.allEvents().empty());
}
