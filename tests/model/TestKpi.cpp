// KPIs (model/Kpi.h, docs/KPIS.md) on small hand-made sets whose every figure is worked
// out by hand in the comments: nearest-rank medians and 90th percentiles, per category
// and per window; cases accepted, concluded, overdue, on time, immediate, compressed,
// visits against the promise, per department; ratings and their follow-up; coverage;
// the filters; empty sets giving n/a; and the facts a case state gives.
#include "model/BuiltinCalendars.h"
#include "model/Kpi.h"

#include <catch2/catch.hpp>

using namespace ow::model;

namespace {

const Date kFrom(2026, 3, 2); // Monday
const Date kTo(2026, 3, 6); // Friday
constexpr std::int64_t kSecond = 1000;

TicketFact ticket(const std::string& id, Date day, const std::string& category, TicketStatus status,
    const std::string& window, std::int64_t waitingS, std::int64_t servingS,
    std::vector<std::string> deps = {})
{
    TicketFact t;
    t.id = id;
    t.day = day;
    t.category = category;
    t.status = status;
    t.window = window;
    t.firstCalledAt = window.empty() ? 0 : 1'772'400'000'000;
    t.waitingMs = waitingS * kSecond;
    t.servingMs = servingS * kSecond;
    t.departments = std::move(deps);
    return t;
}

// t1–t7 count; t8 is a day after the range, t9 another centre's.
std::vector<TicketFact> tickets()
{
    using S = TicketStatus;
    return {
        ticket("330102-20260302-A001", Date(2026, 3, 2), "A", S::Ended, "W01", 60, 300),
        ticket("330102-20260302-A002", Date(2026, 3, 2), "A", S::Ended, "W01", 120, 600),
        ticket("330102-20260303-A003", Date(2026, 3, 3), "A", S::Ended, "W02", 180, 240, {"D2"}),
        ticket("330102-20260303-A004", Date(2026, 3, 3), "A", S::NoShow, "W02", 600, 0),
        ticket("330102-20260304-A005", Date(2026, 3, 4), "A", S::Cancelled, "", 0, 0),
        ticket("330102-20260304-B001", Date(2026, 3, 4), "B", S::Ended, "W03", 30, 900, {"D1"}),
        ticket("330102-20260305-B002", Date(2026, 3, 5), "B", S::Waiting, "", 0, 0),
        ticket("330102-20260309-A001", Date(2026, 3, 9), "A", S::Ended, "W01", 1000, 1000),
        ticket("330106-20260302-A001", Date(2026, 3, 2), "A", S::Ended, "W01", 999, 999),
    };
}

ServiceMatter matter(const std::string& code, const std::string& department, bool atMostOnce, int visits)
{
    ServiceMatter m;
    m.code = code;
    m.nameZh = "事项" + code;
    m.nameEn = "Matter " + code;
    m.department = department;
    m.category = "B";
    m.statutoryLimit = {20, DayCounting::Working};
    m.promisedLimit = {5, DayCounting::Working};
    m.atMostOnce = atMostOnce;
    m.visitsPromised = visits;
    return m;
}

// Coverage: 3 of 4 matters at most once; D1 1 of 2, D2 2 of 2.
Catalogue catalogue()
{
    Catalogue c;
    c.addMatter(matter("M1", "D1", true, 1));
    c.addMatter(matter("M2", "D1", false, 2));
    c.addMatter(matter("M3", "D2", true, 0));
    c.addMatter(matter("M4", "D2", true, 1));
    return c;
}

std::optional<Date> day(int d)
{
    const auto month = static_cast<unsigned>(d > 100 ? d / 100 : 3);
    return Date(2026, month, static_cast<unsigned>(d > 100 ? d % 100 : d));
}

struct CaseSpec {
    std::string number;
    std::vector<std::string> deps;
    std::vector<std::string> matters;
    std::optional<Date> accepted, concluded, deadline;
    int statutory = 0, promised = 0;
    bool immediate = false;
    int visits = 1;
    std::string outcome;
};

CaseFact fact(const CaseSpec& s)
{
    CaseFact f;
    f.number = s.number;
    f.centre = centreOfId(s.number);
    f.status = s.concluded ? "approved" : "in_review";
    f.outcome = s.outcome;
    f.departments = s.deps;
    f.matters = s.matters;
    f.acceptedOn = s.accepted;
    f.concludedOn = s.concluded;
    f.deadline = s.deadline;
    f.statutoryDays = s.statutory;
    f.promisedDays = s.promised;
    f.immediate = s.immediate;
    f.visits = s.visits;
    return f;
}

// Days in March 2026 unless written MDD (220 = 20 February, 310 = 10 March).
std::vector<CaseFact> cases()
{
    const std::nullopt_t none = std::nullopt;
    return {
        // accepted, concluded on time (4 ≤ 6), 1 visit of 1 promised
        fact({"330102-20260302-000001", {"D1"}, {"M1"}, day(2), day(4), day(6), 20, 5, false, 1, "approved"}),
        // accepted, concluded late (6 > 5), 2 visits of 2 promised (M2)
        fact({"330102-20260303-000002", {"D1"}, {"M2"}, day(3), day(6), day(5), 10, 4, false, 2, "denied"}),
        // accepted, immediate: every matter immediate, decided on its acceptance day
        fact({"330102-20260303-000003", {"D2"}, {"M4"}, day(3), day(3), day(4), 5, 1, true, 1, "approved"}),
        // accepted, running on the 6th past its deadline of the 5th
        fact({"330102-20260304-000004", {"D2"}, {"M3", "M4"}, day(4), none, day(5), 15, 5, false, 1, ""}),
        // accepted before the range, concluded in it, late (5 > 3); 3 visits of max(1, 0) = 1 promised
        fact({"330102-20260220-000005", {"D1", "D2"}, {"M1", "M3"}, day(220), day(5), day(3), 20, 5, false, 3,
            "approved"}),
        // running, due on the 6th itself: not overdue
        fact({"330102-20260223-000006", {"D1"}, {"M1"}, day(223), none, day(6), 20, 5, false, 1, ""}),
        // running, due on the 2nd: overdue
        fact({"330102-20260216-000007", {"D2"}, {"M3"}, day(216), none, day(2), 20, 10, false, 1, ""}),
        // accepted, concluded after the range: running on the 6th, due the 9th: not overdue
        fact({"330102-20260305-000008", {"D1"}, {"M1"}, day(5), day(310), day(9), 20, 5, false, 1,
            "approved"}),
        // another centre: left out
        fact({"330106-20260302-000009", {"D1"}, {"M1"}, day(2), day(2), day(6), 20, 5, true, 1, "approved"}),
        // accepted and withdrawn the same day: concluded (on time) but not decided, so not immediate
        fact({"330102-20260305-000010", {"D2"}, {"M4"}, day(5), day(5), day(6), 5, 1, true, 1, ""}),
        // refused, never accepted: left out
        fact({"330102-20260303-000011", {"D2"}, {"M4"}, none, day(3), none, 0, 0, true, 1, ""}),
        // accepted, suspended without an end: no deadline, never overdue
        fact({"330102-20260302-000012", {"D2"}, {"M3"}, day(2), none, none, 20, 10, false, 1, ""}),
    };
}

Evaluation rating(
    const std::string& id, int level, const std::string& window, Date on, const std::string& caseNumber)
{
    Evaluation v;
    v.id = id;
    v.level = level;
    v.window = window;
    v.day = on;
    v.caseNumber = caseNumber;
    v.followUpDue = on.addDays(7);
    return v;
}

std::vector<RatingFact> ratings()
{
    const std::string c = "330102-20260302-000001";
    std::vector<RatingFact> out;
    auto add = [&](Evaluation v, std::vector<std::string> deps = {"D1"}) { out.push_back({v, deps}); };
    add(rating("r1", 5, "W01", Date(2026, 3, 2), c)); // satisfied
    add(rating("r2", 4, "W01", Date(2026, 3, 3), c)); // satisfied
    add(rating("r3", 3, "W02", Date(2026, 3, 3), c)); // 基本满意 counts as satisfied
    Evaluation r4 = rating("r4", 2, "W02", Date(2026, 3, 4), c); // called back, rectified, closed
    r4.callbackDone = true;
    r4.rectified = true;
    r4.closed = true;
    r4.closedOn = Date(2026, 3, 5);
    add(r4);
    Evaluation r5 = rating("r5", 1, "W03", Date(2026, 3, 4), c); // called back, open, due the 5th: overdue
    r5.callbackDone = true;
    r5.followUpDue = Date(2026, 3, 5);
    add(r5, {"D2"});
    Evaluation r6 = rating("r6", 1, "W03", Date(2026, 3, 5), c); // appeal upheld: does not count
    r6.appeal = AppealOutcome::Upheld;
    r6.closed = true;
    r6.closedOn = Date(2026, 3, 6);
    add(r6, {"D2"});
    Evaluation r7 = rating("r7", 2, "", Date(2026, 3, 6), ""); // by phone, no case: open, due the 13th
    r7.ticket = "330102-20260306-A009";
    add(r7, {});
    Evaluation r8
        = rating("r8", 1, "W01", Date(2026, 3, 5), c); // rectified, closed after `to`: open on the 6th
    r8.rectified = true;
    r8.closed = true;
    r8.closedOn = Date(2026, 3, 9);
    add(r8);
    add(rating("r9", 5, "W01", Date(2026, 3, 9), c)); // after the range
    add(rating("r10", 1, "W01", Date(2026, 3, 3), "330106-20260302-000009")); // another centre
    return out;
}

KpiQuery query(const std::string& department = {})
{
    return {kFrom, kTo, "330102", department};
}

const TicketFigures& byKey(const std::vector<TicketFigures>& list, const std::string& key)
{
    for (const auto& f : list)
        if (f.key == key)
            return f;
    FAIL("no row " << key);
    throw std::logic_error("unreachable");
}

const CaseFigures& department(const KpiReport& r, const std::string& d)
{
    for (const auto& f : r.casesByDepartment)
        if (f.department == d)
            return f;
    FAIL("no department " << d);
    throw std::logic_error("unreachable");
}

const RatingFigures& ratingWindow(const KpiReport& r, const std::string& w)
{
    for (const auto& f : r.ratingsByWindow)
        if (f.window == w)
            return f;
    FAIL("no window " << w);
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("kpi: nearest-rank median and 90th percentile", "[kpi]")
{
    std::vector<std::int64_t> tenSeconds;
    for (int i = 1; i <= 10; ++i)
        tenSeconds.push_back(i * kSecond);
    // n = 10: median at rank ceil(5) = 5, p90 at rank ceil(9) = 9; mean 55/10.
    auto s = durationStats(tenSeconds);
    CHECK(s.count == 10);
    CHECK(*s.mean == Approx(5.5));
    CHECK(*s.median == 5.0);
    CHECK(*s.p90 == 9.0);
    // n = 11 (unsorted input): median at rank ceil(5.5) = 6, p90 at rank ceil(9.9) = 10.
    s = durationStats({11000, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000});
    CHECK(*s.median == 6.0);
    CHECK(*s.p90 == 10.0);
    CHECK(*s.mean == Approx(6.0));
    // n = 4: median is the lower middle (rank 2), not the mean of the two middles.
    s = durationStats({4000, 1000, 3000, 2000});
    CHECK(*s.median == 2.0);
    CHECK(*s.p90 == 4.0); // rank ceil(3.6) = 4
    // One value is every percentile; milliseconds stay as fractions of a second.
    s = durationStats({1500});
    CHECK(*s.median == 1.5);
    CHECK(*s.p90 == 1.5);
    CHECK(nearestRank({7}, 1) == 7);
    CHECK(nearestRank({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20}, 90) == 18);
    // Nothing to measure: n/a, never a division by zero.
    s = durationStats({});
    CHECK(s.count == 0);
    CHECK_FALSE(s.mean);
    CHECK_FALSE(s.median);
    CHECK_FALSE(s.p90);
}

TEST_CASE("kpi: tickets per category and per window", "[kpi]")
{
    KpiReport r = computeKpis(query(), tickets(), {}, {}, catalogue());
    // t1–t7: 7 issued; called t1–t4, t6 (5); ended t1, t2, t3, t6 (4); one no-show, one cancelled.
    CHECK(r.tickets.issued == 7);
    CHECK(r.tickets.called == 5);
    CHECK(r.tickets.served == 4);
    CHECK(r.tickets.noShow == 1);
    CHECK(r.tickets.cancelled == 1);
    // Waiting of the called: 30 60 120 180 600 s → mean 990/5 = 198, median rank 3 = 120,
    // p90 rank ceil(4.5) = 5 = 600 (the no-show waited too).
    CHECK(r.tickets.waiting.count == 5);
    CHECK(*r.tickets.waiting.mean == Approx(198.0));
    CHECK(*r.tickets.waiting.median == 120.0);
    CHECK(*r.tickets.waiting.p90 == 600.0);
    // Serving of the ended: 240 300 600 900 s → mean 2040/4 = 510, median rank 2 = 300, p90 rank 4 = 900.
    CHECK(r.tickets.serving.count == 4);
    CHECK(*r.tickets.serving.mean == Approx(510.0));
    CHECK(*r.tickets.serving.median == 300.0);
    CHECK(*r.tickets.serving.p90 == 900.0);

    REQUIRE(r.ticketsByCategory.size() == 2);
    const auto& a = byKey(r.ticketsByCategory, "A");
    // A: t1–t5. Waiting 60 120 180 600 → mean 240, median rank 2 = 120, p90 rank 4 = 600.
    // Serving 240 300 600 → mean 380, median rank 2 = 300, p90 rank ceil(2.7) = 3 = 600.
    CHECK(a.issued == 5);
    CHECK(a.called == 4);
    CHECK(a.served == 3);
    CHECK(a.noShow == 1);
    CHECK(a.cancelled == 1);
    CHECK(*a.waiting.mean == Approx(240.0));
    CHECK(*a.waiting.median == 120.0);
    CHECK(*a.waiting.p90 == 600.0);
    CHECK(*a.serving.mean == Approx(380.0));
    CHECK(*a.serving.median == 300.0);
    CHECK(*a.serving.p90 == 600.0);
    const auto& b = byKey(r.ticketsByCategory, "B");
    // B: B001 waited 30 s and was served 900 s; B002 still waits (not called, no time).
    CHECK(b.issued == 2);
    CHECK(b.called == 1);
    CHECK(*b.waiting.median == 30.0);
    CHECK(*b.serving.p90 == 900.0);

    // Windows: only called tickets, where they were served.
    REQUIRE(r.ticketsByWindow.size() == 3);
    CHECK(r.ticketsByWindow[0].key == "W01");
    const auto& w1 = byKey(r.ticketsByWindow, "W01");
    // W01: 60, 120 → mean 90, median rank 1 = 60, p90 rank 2 = 120; serving 300, 600 → mean 450.
    CHECK(w1.issued == 2);
    CHECK(*w1.waiting.mean == Approx(90.0));
    CHECK(*w1.waiting.median == 60.0);
    CHECK(*w1.waiting.p90 == 120.0);
    CHECK(*w1.serving.mean == Approx(450.0));
    const auto& w2 = byKey(r.ticketsByWindow, "W02");
    // W02: 180, 600 → mean 390, median 180; one served (240 s), one no-show.
    CHECK(w2.called == 2);
    CHECK(w2.served == 1);
    CHECK(w2.noShow == 1);
    CHECK(*w2.waiting.mean == Approx(390.0));
    CHECK(*w2.waiting.median == 180.0);
    CHECK(*w2.serving.mean == Approx(240.0));
    CHECK(byKey(r.ticketsByWindow, "W03").served == 1);
}

TEST_CASE("kpi: cases accepted, concluded, overdue, on time, immediate, compressed, visits", "[kpi]")
{
    KpiReport r = computeKpis(query(), {}, cases(), {}, catalogue());
    const CaseFigures& c = r.cases;
    // Accepted 2–6 March: 1, 2, 3, 4, 8, 10, 12 (5, 6, 7 before; 9 another centre; 11 refused).
    CHECK(c.accepted == 7);
    // Concluded 2–6 March after acceptance: 1, 2, 3, 5, 10 (8 concluded on the 10th).
    CHECK(c.concluded == 5);
    // Late: 2 (6th > 5th), 5 (5th > 3rd). Running on the 6th past the deadline: 4 (5th), 7 (2nd);
    // not 6 (due the 6th itself), 8 (due the 9th), 12 (no deadline while suspended).
    CHECK(c.concludedLate == 2);
    CHECK(c.runningOverdue == 2);
    CHECK(c.overdue() == 4);
    // On time: (5 − 2) / 5.
    CHECK(*c.onTimeRate == Approx(0.6));
    // Immediate: only 3 (10 was withdrawn the same day: concluded, not decided) → 1/7.
    CHECK(c.immediate == 1);
    CHECK(*c.immediateRate == Approx(1.0 / 7.0));
    // Accepted cases' limits: statutory 20+10+5+15+20+5+20 = 95, promised 5+4+1+5+5+1+10 = 31.
    CHECK(c.statutoryDays == 95);
    CHECK(c.promisedDays == 31);
    CHECK(*c.timeCompression == Approx(1.0 - 31.0 / 95.0));
    // Visits of the concluded: 1+2+1+3+1 = 8 → 1.6 a case; within the promise: all but 5
    // (3 visits, promised max(M1 1, M3 0) = 1) → 4/5.
    CHECK(c.visits == 8);
    CHECK(*c.visitsPerCase == Approx(1.6));
    CHECK(c.withinPromisedVisits == 4);
    CHECK(*c.atMostOnceRate == Approx(0.8));
    // Coverage: M1, M3, M4 of M1–M4.
    CHECK(c.matters == 4);
    CHECK(c.atMostOnceMatters == 3);
    CHECK(*c.coverage == Approx(0.75));

    REQUIRE(r.casesByDepartment.size() == 2);
    const CaseFigures& d1 = department(r, "D1");
    // D1: cases 1, 2, 5, 6, 8. Accepted 1, 2, 8; concluded 1, 2, 5 of which 2 and 5 late;
    // nothing running overdue. Limits 50 / 14; visits 1+2+3 = 6; within the promise 1 and 2.
    CHECK(d1.accepted == 3);
    CHECK(d1.concluded == 3);
    CHECK(d1.overdue() == 2);
    CHECK(d1.runningOverdue == 0);
    CHECK(*d1.onTimeRate == Approx(1.0 / 3.0));
    CHECK(*d1.immediateRate == 0.0);
    CHECK(*d1.timeCompression == Approx(1.0 - 14.0 / 50.0));
    CHECK(*d1.visitsPerCase == Approx(2.0));
    CHECK(*d1.atMostOnceRate == Approx(2.0 / 3.0));
    CHECK(*d1.coverage == Approx(0.5));
    const CaseFigures& d2 = department(r, "D2");
    // D2: cases 3, 4, 5, 7, 10, 12. Accepted 3, 4, 10, 12; concluded 3, 5, 10, late 5;
    // running overdue 4 and 7. Limits 45 / 17; visits 1+3+1 = 5; within 3 and 10.
    CHECK(d2.accepted == 4);
    CHECK(d2.concluded == 3);
    CHECK(d2.concludedLate == 1);
    CHECK(d2.runningOverdue == 2);
    CHECK(d2.overdue() == 3);
    CHECK(*d2.onTimeRate == Approx(2.0 / 3.0));
    CHECK(*d2.immediateRate == Approx(0.25));
    CHECK(*d2.timeCompression == Approx(1.0 - 17.0 / 45.0));
    CHECK(*d2.visitsPerCase == Approx(5.0 / 3.0));
    CHECK(*d2.atMostOnceRate == Approx(2.0 / 3.0));
    CHECK(*d2.coverage == 1.0);
}

TEST_CASE("kpi: ratings, satisfaction and the follow-up of bad ones", "[kpi]")
{
    KpiReport r = computeKpis(query(), {}, {}, ratings(), catalogue());
    const RatingFigures& t = r.ratings;
    // r1–r8 in the range and centre (r9 after, r10 another centre's case).
    CHECK(t.ratings == 8);
    // Levels: 1 → r5 r6 r8; 2 → r4 r7; 3 → r3; 4 → r2; 5 → r1.
    CHECK(t.byLevel == std::array<std::int64_t, 5>{3, 2, 1, 1, 1});
    // r6's appeal was upheld: 7 count, of which r1–r3 satisfied → 3/7.
    CHECK(t.appealsUpheld == 1);
    CHECK(t.counting == 7);
    CHECK(t.satisfied == 3);
    CHECK(*t.satisfactionRate == Approx(3.0 / 7.0));
    // Bad and counting: r4 r5 r7 r8. Called back r4 r5 → 1/2; rectified r4 r8 → 1/2.
    CHECK(t.bad == 4);
    CHECK(*t.callbackRate == Approx(0.5));
    CHECK(*t.rectificationRate == Approx(0.5));
    // Open on the 6th: r5, r7, r8 (closed on the 9th); r4 and r6 closed by then. Overdue:
    // r5 only (due the 5th; r7 is due the 13th, r8 the 12th).
    CHECK(t.openFollowUps == 3);
    CHECK(t.overdueFollowUps == 1);

    REQUIRE(r.ratingsByWindow.size() == 3); // r7 names no window
    const RatingFigures& w1 = ratingWindow(r, "W01");
    // W01: r1 r2 r8 → 2/3 satisfied; bad r8: rectified, not called back, open.
    CHECK(w1.ratings == 3);
    CHECK(*w1.satisfactionRate == Approx(2.0 / 3.0));
    CHECK(*w1.callbackRate == 0.0);
    CHECK(*w1.rectificationRate == 1.0);
    CHECK(w1.openFollowUps == 1);
    const RatingFigures& w3 = ratingWindow(r, "W03");
    // W03: r5 counts, r6 does not → satisfaction 0/1; r5 called back, overdue.
    CHECK(w3.ratings == 2);
    CHECK(w3.counting == 1);
    CHECK(*w3.satisfactionRate == 0.0);
    CHECK(*w3.callbackRate == 1.0);
    CHECK(w3.overdueFollowUps == 1);
    CHECK(*ratingWindow(r, "W02").satisfactionRate == Approx(0.5));
}

TEST_CASE("kpi: a department narrows tickets, cases, ratings and coverage", "[kpi]")
{
    KpiReport r = computeKpis(query("D2"), tickets(), cases(), ratings(), catalogue());
    // Tickets: only A003 carries a case of D2 (waited 180 s, served 240 s).
    CHECK(r.tickets.issued == 1);
    CHECK(*r.tickets.waiting.mean == Approx(180.0));
    // Cases: the D2 row of the unfiltered report, and D2 alone in the breakdown.
    CHECK(r.cases.accepted == 4);
    CHECK(r.cases.overdue() == 3);
    CHECK(*r.cases.immediateRate == Approx(0.25));
    CHECK(r.cases.matters == 2);
    CHECK(*r.cases.coverage == 1.0);
    REQUIRE(r.casesByDepartment.size() == 1);
    CHECK(r.casesByDepartment[0].department == "D2");
    // Ratings of D2's cases: r5 and r6 (upheld) → 1 counting, not satisfied.
    CHECK(r.ratings.ratings == 2);
    CHECK(r.ratings.counting == 1);
    CHECK(*r.ratings.satisfactionRate == 0.0);

    // Every centre: the other centre's ticket, case and rating come in too.
    KpiQuery all{kFrom, kTo, "", ""};
    KpiReport wide = computeKpis(all, tickets(), cases(), ratings(), catalogue());
    CHECK(wide.tickets.issued == 8);
    CHECK(wide.cases.accepted == 8);
    CHECK(wide.cases.immediate == 2); // case 9 was immediate too
    CHECK(wide.ratings.ratings == 9);
}

TEST_CASE("kpi: empty sets give n/a, never a division by zero", "[kpi]")
{
    KpiReport r = computeKpis(query(), {}, {}, {}, Catalogue());
    CHECK(r.tickets.issued == 0);
    CHECK_FALSE(r.tickets.waiting.mean);
    CHECK_FALSE(r.cases.onTimeRate);
    CHECK_FALSE(r.cases.immediateRate);
    CHECK_FALSE(r.cases.timeCompression);
    CHECK_FALSE(r.cases.visitsPerCase);
    CHECK_FALSE(r.cases.atMostOnceRate);
    CHECK_FALSE(r.cases.coverage);
    CHECK_FALSE(r.ratings.satisfactionRate);
    CHECK_FALSE(r.ratings.callbackRate);
    CHECK(r.ticketsByCategory.empty());
    CHECK(r.casesByDepartment.empty());
    Json j = r.toJson();
    CHECK(j["cases"]["onTimeRate"].isNull());
    CHECK(j["tickets"]["waitingSeconds"]["median"].isNull());
    CHECK(j["ratings"]["satisfactionRate"].isNull());
    // Accepted cases without a rate that can be formed: concluded ones alone.
    KpiReport some = computeKpis(query(), {}, {cases()[4]}, {}, catalogue());
    CHECK(some.cases.accepted == 0);
    CHECK_FALSE(some.cases.immediateRate);
    CHECK_FALSE(some.cases.timeCompression);
    CHECK(*some.cases.onTimeRate == 0.0); // concluded late: 0 of 1
}

TEST_CASE("kpi: the JSON report: fixed decimals, null for n/a, keyed rows", "[kpi]")
{
    KpiReport r = computeKpis(query(), tickets(), cases(), ratings(), catalogue());
    Json j = r.toJson();
    CHECK(j["query"]["from"].asString() == "2026-03-02");
    CHECK(j["query"]["to"].asString() == "2026-03-06");
    CHECK(j["query"]["centre"].asString() == "330102");
    CHECK(j["query"]["department"].isNull());
    CHECK(j["tickets"]["issued"].asInt() == 7);
    CHECK(j["tickets"]["waitingSeconds"]["median"].asDouble() == 120.0);
    CHECK(j["tickets"]["byCategory"].asArray().at(0)["category"].asString() == "A");
    CHECK(j["tickets"]["byWindow"].size() == 3);
    CHECK(j["cases"]["overdue"].asInt() == 4);
    CHECK(j["cases"]["onTimeRate"].asDouble() == 0.6);
    CHECK(j["cases"]["immediateRate"].asDouble() == 0.1429); // 1/7 to 4 decimals
    CHECK(j["cases"]["timeCompression"].asDouble() == 0.6737); // 64/95
    CHECK(j["cases"]["visitsPerCase"].asDouble() == 1.6);
    CHECK(j["cases"]["byDepartment"].size() == 2);
    CHECK(j["ratings"]["byLevel"]["1"].asInt() == 3);
    CHECK(j["ratings"]["satisfactionRate"].asDouble() == 0.4286); // 3/7
    CHECK(j["ratings"]["byWindow"].asArray().at(0)["window"].asString() == "W01");
}

TEST_CASE("kpi: a case's facts from its state", "[kpi]")
{
    HolidayCalendar calendar = builtinCalendar();
    CaseState s;
    s.number = "330102-20260302-000001";
    s.centre = "330102";
    s.status = CaseStatus::InReview;
    s.acceptedOn = Date(2026, 3, 2);
    s.visits = 2;
    // 20wd / 5wd, and 30cd / 10cd. From Monday 2 March: 30cd ends Wednesday 1 April, which
    // is 22 working days on (3–6, 9–13, 16–20, 23–27 March, 30, 31 March, 1 April: 4+5+5+5+3);
    // 10cd ends Thursday 12 March, 8 working days on (3–6, 9–12 March). The slowest: 22 and 8.
    s.matters.push_back({"M1", "甲", "A", "D1", {20, DayCounting::Working}, {5, DayCounting::Working}, true});
    s.matters.push_back(
        {"M2", "乙", "B", "D2, Licences", {30, DayCounting::Calendar}, {10, DayCounting::Calendar}, false});
    CaseFact f = caseFactOf(s, calendar);
    CHECK(f.statutoryDays == 22);
    CHECK(f.promisedDays == 8);
    // The promised deadline: 5wd gives 9 March, 10cd 12 March; the later one stands.
    CHECK(f.deadline == Date(2026, 3, 12));
    CHECK_FALSE(f.immediate); // M2 is not immediate
    CHECK(f.departments == std::vector<std::string>{"D1", "D2, Licences"});
    CHECK(f.matters == std::vector<std::string>{"M1", "M2"});
    CHECK(f.visits == 2);
    CHECK(f.centre == "330102");
    CHECK(f.status == "in_review");
    CHECK_FALSE(f.concludedOn);
    // A department with a comma survives the stored column.
    CHECK(splitList(joinList(f.departments)) == f.departments);

    // Immediate only when every matter is; an open-ended suspension hides the deadline.
    s.matters.pop_back();
    s.suspensions.push_back({Date(2026, 3, 3), std::nullopt, "补正", CaseStatus::InReview});
    s.status = CaseStatus::Suspended;
    f = caseFactOf(s, calendar);
    CHECK(f.immediate);
    CHECK_FALSE(f.deadline);
    CHECK(f.statutoryDays == 20);
    CHECK(f.promisedDays == 5);

    // Before acceptance: no deadline, no limits.
    CaseState open;
    open.number = "330102-20260302-000002";
    open.status = CaseStatus::Consulting;
    open.matters = s.matters;
    f = caseFactOf(open, calendar);
    CHECK_FALSE(f.acceptedOn);
    CHECK_FALSE(f.deadline);
    CHECK(f.statutoryDays == 0);
    CHECK(centreOfId("330102-20260302-A001") == "330102");
}
