#include "model/Error.h"
#include "model/HolidayCalendar.h"
#include "model/TimeLimit.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

Date d(const char* iso)
{
    return *Date::fromIso(iso);
}

const HolidayCalendar& cal()
{
    static const HolidayCalendar calendar = [] {
        HolidayCalendar c;
        c.loadDirectory(OW_CALENDAR_DIR);
        return c;
    }();
    return calendar;
}

constexpr TimeLimit wd(int n)
{
    return {n, DayCounting::Working};
}
constexpr TimeLimit cd(int n)
{
    return {n, DayCounting::Calendar};
}

// Invariants every result must keep: one entry per day from start + 1 to the deadline,
// counts that add up, and the provisional flag derived from the entries.
void checkLedger(const DeadlineResult& r, Date start)
{
    REQUIRE(static_cast<std::int64_t>(r.ledger.size()) == start.daysUntil(r.deadline));
    int counted = 0;
    int previous = 0;
    bool provisional = false;
    for (std::size_t i = 0; i < r.ledger.size(); ++i) {
        const LedgerEntry& e = r.ledger[i];
        INFO(e.date.iso());
        CHECK(e.date == start.addDays(static_cast<std::int64_t>(i) + 1));
        CHECK(e.dayType == cal().dayType(e.date));
        CHECK(e.provisional == cal().isProvisional(e.date));
        if (e.effect == LedgerEntry::Counted || e.effect == LedgerEntry::ExtensionCounted) {
            ++counted;
            CHECK(e.runningCount == previous + 1);
        } else {
            CHECK(e.runningCount == previous);
        }
        previous = e.runningCount;
        provisional = provisional || e.provisional;
    }
    CHECK(counted == r.countedDays);
    CHECK(r.provisional == provisional);
    CHECK(r.start == start);
    if (!r.suspendedOpenEnded)
        CHECK(cal().isWorkingDay(r.deadline));
}

DeadlineResult run(const char* start, TimeLimit limit, const std::vector<Suspension>& s = {},
    const std::vector<Extension>& e = {})
{
    DeadlineResult r = computeDeadline(cal(), d(start), limit, s, e);
    checkLedger(r, d(start));
    return r;
}

const LedgerEntry& entryOn(const DeadlineResult& r, const char* iso)
{
    auto it = std::find_if(
        r.ledger.begin(), r.ledger.end(), [&](const LedgerEntry& e) { return e.date == d(iso); });
    REQUIRE(it != r.ledger.end());
    return *it;
}

std::string invalidReason(
    Date start, TimeLimit limit, const std::vector<Suspension>& s = {}, const std::vector<Extension>& e = {})
{
    try {
        computeDeadline(cal(), start, limit, s, e);
    } catch (const DomainError& err) {
        CHECK(err.code() == "timelimit.invalid");
        return err.fact("reason");
    }
    return "no error";
}

} // namespace

TEST_CASE("timelimit: parse and format limits", "[timelimit]")
{
    CHECK(TimeLimit::parse("5wd") == wd(5));
    CHECK(TimeLimit::parse("100cd") == cd(100));
    CHECK(TimeLimit::parse("3650cd") == cd(3650));
    CHECK(wd(5).toString() == "5wd");
    CHECK(cd(100).toString() == "100cd");
    for (const char* bad : {"", "wd", "0wd", "05wd", "-5wd", "+5wd", "5", "5WD", "5 wd", "5wdx", "3651wd",
             "5d", "99999999999wd", " 5wd"}) {
        INFO(bad);
        CHECK_FALSE(TimeLimit::parse(bad));
    }
    for (TimeLimit t : {wd(1), wd(20), cd(60), cd(3650)})
        CHECK(TimeLimit::parse(t.toString()) == t);
}

TEST_CASE("timelimit: 5 working days across the 2026 Spring Festival", "[timelimit]")
{
    // Accepted Thu 2026-02-12: Fri 13 (1), Sat 14 make-up (2), 15-23 off, Tue 24 (3),
    // Wed 25 (4), Thu 26 (5) -> 2026-02-26.
    auto r = run("2026-02-12", wd(5));
    CHECK(r.deadline == d("2026-02-26"));
    CHECK(r.countedDays == 5);
    CHECK_FALSE(r.provisional);
    CHECK_FALSE(r.suspendedOpenEnded);
    CHECK(r.ledger.size() == 14);
    CHECK(r.ledger.back().runningCount == 5);
    CHECK(entryOn(r, "2026-02-14").effect == LedgerEntry::Counted);
    CHECK(entryOn(r, "2026-02-14").dayType == DayType::MakeUpWorkingDay);
    CHECK(entryOn(r, "2026-02-14").note == "春节调休");
    CHECK(entryOn(r, "2026-02-14").runningCount == 2);
    for (const char* day : {"2026-02-15", "2026-02-16", "2026-02-21", "2026-02-23"}) {
        CHECK(entryOn(r, day).effect == LedgerEntry::NotCountedNonWorking);
        CHECK(entryOn(r, day).dayType == DayType::Holiday);
        CHECK(entryOn(r, day).note == "春节");
        CHECK(entryOn(r, day).runningCount == 2);
    }
    CHECK(entryOn(r, "2026-02-24").runningCount == 3);
}

TEST_CASE("timelimit: make-up Saturdays count as working days", "[timelimit]")
{
    // Wed 2026-02-25: Thu 26 (1), Fri 27 (2), Sat 28 make-up (3) -> 2026-02-28.
    CHECK(run("2026-02-25", wd(3)).deadline == d("2026-02-28"));
    // Wed 2026-04-29: Thu 30 (1), May 1-5 off, Wed 6 (2), Thu 7 (3), Fri 8 (4),
    // Sat 9 make-up (5) -> 2026-05-09.
    auto r = run("2026-04-29", wd(5));
    CHECK(r.deadline == d("2026-05-09"));
    CHECK(r.ledger.back().dayType == DayType::MakeUpWorkingDay);
    CHECK(r.ledger.back().runningCount == 5);
    // An ordinary Saturday does not count: Fri 2026-03-06 + 1wd -> Mon 2026-03-09.
    CHECK(run("2026-03-06", wd(1)).deadline == d("2026-03-09"));
}

TEST_CASE("timelimit: National Day 2025 with make-up Sep 28 and Oct 11", "[timelimit]")
{
    // Fri 2025-09-26: Sat 27 weekend, Sun 28 make-up (1), Mon 29 (2), Tue 30 (3),
    // Oct 1-8 off, Thu 9 (4), Fri 10 (5) -> 2025-10-10.
    auto r = run("2025-09-26", wd(5));
    CHECK(r.deadline == d("2025-10-10"));
    CHECK(entryOn(r, "2025-09-27").effect == LedgerEntry::NotCountedNonWorking);
    CHECK(entryOn(r, "2025-09-28").effect == LedgerEntry::Counted);
    CHECK(entryOn(r, "2025-10-08").note == "国庆节、中秋节");
    // Tue 2025-09-30: Thu Oct 9 (1), Fri 10 (2), Sat 11 make-up (3) -> 2025-10-11.
    CHECK(run("2025-09-30", wd(3)).deadline == d("2025-10-11"));
    // Thu 2025-09-25: 26 (1), 28 (2), 29 (3), 30 (4), Oct 9 (5), 10 (6), 11 (7),
    // 13 (8), 14 (9), 15 (10) -> 2025-10-15.
    CHECK(run("2025-09-25", wd(10)).deadline == d("2025-10-15"));
}

TEST_CASE("timelimit: calendar-day limit ending on a holiday rolls forward", "[timelimit]")
{
    // Thu 2026-09-24 + 7cd: Sep 25..Oct 1 counted (the 中秋 days count too); Oct 1 is a
    // holiday, Oct 2-7 still off -> rolls to Thu 2026-10-08.
    auto r = run("2026-09-24", cd(7));
    CHECK(r.deadline == d("2026-10-08"));
    CHECK(r.countedDays == 7);
    CHECK(entryOn(r, "2026-09-25").effect == LedgerEntry::Counted);
    CHECK(entryOn(r, "2026-10-01").effect == LedgerEntry::Counted);
    CHECK(entryOn(r, "2026-10-01").runningCount == 7);
    for (int day = 2; day <= 7; ++day) {
        const LedgerEntry& e = r.ledger[static_cast<std::size_t>(7 + day - 2)];
        CHECK(e.date == Date(2026, 10, static_cast<unsigned>(day)));
        CHECK(e.effect == LedgerEntry::RolledForwardHoliday);
        CHECK(e.runningCount == 7);
    }
    CHECK(r.ledger.back().effect == LedgerEntry::RolledForwardDeadline);
    CHECK(r.ledger.size() == 14);

    // Mon 2026-03-02 + 5cd -> Sat Mar 7 -> rolls to Mon 2026-03-09.
    auto w = run("2026-03-02", cd(5));
    CHECK(w.deadline == d("2026-03-09"));
    CHECK(entryOn(w, "2026-03-08").effect == LedgerEntry::RolledForwardHoliday);
    // Ending on a working day: no roll. Mon 2026-03-02 + 3cd -> Thu 2026-03-05.
    auto n = run("2026-03-02", cd(3));
    CHECK(n.deadline == d("2026-03-05"));
    CHECK(n.ledger.back().effect == LedgerEntry::Counted);
    // Ending on a make-up Saturday: that is a working day. Mon 2026-02-23 + 5cd -> Sat 02-28.
    CHECK(run("2026-02-23", cd(5)).deadline == d("2026-02-28"));
}

TEST_CASE("timelimit: 100 calendar days for investment approvals", "[timelimit]")
{
    // Mon 2026-03-02 + 100cd: Mar 3-31 (29), Apr (30) = 59, May (31) = 90, Jun 1-10 = 100
    // -> Wed 2026-06-10.
    auto r = run("2026-03-02", cd(100));
    CHECK(r.deadline == d("2026-06-10"));
    CHECK(r.ledger.size() == 100);
    CHECK(r.ledger.back().runningCount == 100);
    // Wed 2026-03-11 + 100cd -> Fri 2026-06-19 (端午, off to Jun 21) -> Mon 2026-06-22.
    auto h = run("2026-03-11", cd(100));
    CHECK(h.deadline == d("2026-06-22"));
    CHECK(h.countedDays == 100);
    CHECK(entryOn(h, "2026-06-19").runningCount == 100);
    CHECK(entryOn(h, "2026-06-20").note == "端午节");
    CHECK(h.ledger.size() == 103);
}

TEST_CASE("timelimit: a suspension in the middle stops the clock", "[timelimit]")
{
    // Mon 2026-03-02 + 10wd without suspension: Mar 3-6 (4), 9-13 (9), Mon 16 (10).
    CHECK(run("2026-03-02", wd(10)).deadline == d("2026-03-16"));
    // Suspended Thu Mar 5, resumed Tue Mar 10: Mar 3 (1), 4 (2), 5-9 suspended,
    // 10 (3), 11 (4), 12 (5), 13 (6), 16 (7), 17 (8), 18 (9), Thu 19 (10) -> 2026-03-19.
    auto r = run("2026-03-02", wd(10), {{d("2026-03-05"), d("2026-03-10"), "补正材料"}});
    CHECK(r.deadline == d("2026-03-19"));
    CHECK(r.ledger.size() == 17);
    for (const char* day : {"2026-03-05", "2026-03-06", "2026-03-07", "2026-03-08", "2026-03-09"}) {
        CHECK(entryOn(r, day).effect == LedgerEntry::NotCountedSuspended);
        CHECK(entryOn(r, day).note == "补正材料");
    }
    CHECK(entryOn(r, "2026-03-10").effect == LedgerEntry::Counted); // `to` is the day it resumes
    CHECK(entryOn(r, "2026-03-10").runningCount == 3);
    CHECK(r.ledger.back().runningCount == 10);

    // Calendar days are suspended too. Mon 2026-03-02 + 10cd, suspended Mar 5 to Mar 8:
    // Mar 3 (1), 4 (2), 5-7 suspended, 8 (3) ... Sun 15 (10) -> rolls to Mon 2026-03-16.
    auto c = run("2026-03-02", cd(10), {{d("2026-03-05"), d("2026-03-08"), "专家评审"}});
    CHECK(c.deadline == d("2026-03-16"));
    CHECK(entryOn(c, "2026-03-15").runningCount == 10);

    // A zero-length suspension (to == from) changes nothing.
    CHECK(run("2026-03-02", wd(10), {{d("2026-03-05"), d("2026-03-05"), "x"}}).deadline == d("2026-03-16"));
}

TEST_CASE("timelimit: two suspensions", "[timelimit]")
{
    // As above, plus suspended Mon Mar 16 to Wed Mar 18: 10 (3), 11 (4), 12 (5), 13 (6),
    // 16-17 suspended, 18 (7), 19 (8), 20 (9), Mon 23 (10) -> 2026-03-23.
    std::vector<Suspension> s{
        {d("2026-03-16"), d("2026-03-18"), "专家评审"}, {d("2026-03-05"), d("2026-03-10"), "补正材料"}};
    auto r = run("2026-03-02", wd(10), s);
    CHECK(r.deadline == d("2026-03-23"));
    CHECK(entryOn(r, "2026-03-16").note == "专家评审");
    CHECK(entryOn(r, "2026-03-17").effect == LedgerEntry::NotCountedSuspended);
    CHECK(entryOn(r, "2026-03-18").effect == LedgerEntry::Counted);
    // Overlapping suspensions are their union.
    std::vector<Suspension> overlap{
        {d("2026-03-05"), d("2026-03-08"), "a"}, {d("2026-03-07"), d("2026-03-10"), "b"}};
    CHECK(run("2026-03-02", wd(10), overlap).deadline == d("2026-03-19"));
}

TEST_CASE("timelimit: an open-ended suspension leaves the deadline unknown", "[timelimit]")
{
    // Mar 3 (1), Mar 4 (2), suspended from Thu Mar 5 with no end: the ledger stops there.
    auto r = run("2026-03-02", wd(10), {{d("2026-03-05"), std::nullopt, "补正材料"}});
    CHECK(r.suspendedOpenEnded);
    CHECK(r.deadline == d("2026-03-05")); // placeholder: the suspension's first day
    CHECK(r.countedDays == 2);
    CHECK(r.ledger.size() == 3);
    CHECK(r.ledger.back().effect == LedgerEntry::NotCountedSuspended);
    CHECK(r.ledger.back().note == "补正材料");

    // Suspended since before acceptance: the placeholder is the first day after start.
    auto early = run("2026-03-02", wd(10), {{d("2026-02-01"), std::nullopt, "x"}});
    CHECK(early.suspendedOpenEnded);
    CHECK(early.deadline == d("2026-03-03"));
    CHECK(early.countedDays == 0);

    // Suspended only after the deadline passed: the deadline stands.
    auto late = run("2026-03-02", wd(10), {{d("2026-03-17"), std::nullopt, "x"}});
    CHECK_FALSE(late.suspendedOpenEnded);
    CHECK(late.deadline == d("2026-03-16"));

    // Once the suspension ends, the deadline is known again.
    CHECK(run("2026-03-02", wd(10), {{d("2026-03-05"), d("2026-03-10"), "补正材料"}}).deadline
        == d("2026-03-19"));
}

TEST_CASE("timelimit: approved extension after the base limit", "[timelimit]")
{
    // Base 5wd from Thu 2026-02-12 ends Thu Feb 26; +5wd: Fri 27 (6), Sat 28 make-up (7),
    // Sun Mar 1, Mon 2 (8), Tue 3 (9), Wed 4 (10) -> 2026-03-04.
    auto r = run("2026-02-12", wd(5), {}, {{5, DayCounting::Working, "局长 张三", d("2026-02-24")}});
    CHECK(r.deadline == d("2026-03-04"));
    CHECK(r.countedDays == 10);
    CHECK(r.ledger.size() == 20);
    CHECK(entryOn(r, "2026-02-26").effect == LedgerEntry::Counted);
    CHECK(entryOn(r, "2026-02-27").effect == LedgerEntry::ExtensionCounted);
    CHECK(entryOn(r, "2026-02-28").effect == LedgerEntry::ExtensionCounted);
    CHECK(entryOn(r, "2026-03-01").effect == LedgerEntry::NotCountedNonWorking);
    CHECK(r.ledger.back().effect == LedgerEntry::ExtensionCounted);
    CHECK(r.ledger.back().runningCount == 10);
    CHECK(r.limit == wd(5));

    // A calendar-day extension rolls forward on its own: Feb 27, 28, Sun Mar 1 -> Mon Mar 2.
    auto c = run("2026-02-12", wd(5), {}, {{3, DayCounting::Calendar, "局长 张三", d("2026-02-24")}});
    CHECK(c.deadline == d("2026-03-02"));
    CHECK(c.ledger.back().effect == LedgerEntry::RolledForwardDeadline);

    // Extensions apply in order of approval, whatever the order given. 3cd (approved
    // Feb 20) first: Feb 27, 28, Mar 1 -> rolled to Mon Mar 2; then 1wd (approved Feb 25)
    // -> Tue 2026-03-03. (The other order would end on Mar 2.)
    std::vector<Extension> e{
        {1, DayCounting::Working, "b", d("2026-02-25")}, {3, DayCounting::Calendar, "a", d("2026-02-20")}};
    auto o = run("2026-02-12", wd(5), {}, e);
    CHECK(o.deadline == d("2026-03-03"));
    CHECK(o.countedDays == 9);

    // Suspensions also stop the clock during an extension.
    auto s = run("2026-02-12", wd(5), {{d("2026-03-02"), d("2026-03-04"), "x"}},
        {{5, DayCounting::Working, "局长 张三", d("2026-02-24")}});
    CHECK(s.deadline == d("2026-03-06"));
}

TEST_CASE("timelimit: years without a calendar file give provisional deadlines", "[timelimit]")
{
    // Mon 2027-03-01 + 5wd, weekdays only: Mar 2-5 (4), Mon Mar 8 (5).
    auto r = run("2027-03-01", wd(5));
    CHECK(r.deadline == d("2027-03-08"));
    CHECK(r.provisional);

    // Mon 2026-12-28 + 5wd: Dec 29 (1), 30 (2), Thu 31 (3), Fri 2027-01-01 (4, a guess),
    // Mon 2027-01-04 (5).
    auto x = run("2026-12-28", wd(5));
    CHECK(x.deadline == d("2027-01-04"));
    CHECK(x.provisional);
    CHECK_FALSE(entryOn(x, "2026-12-31").provisional);
    CHECK(entryOn(x, "2027-01-01").provisional);
    CHECK(entryOn(x, "2027-01-01").effect == LedgerEntry::Counted);

    // Ending on the last day of a known year is firm.
    auto firm = run("2026-12-28", wd(3));
    CHECK(firm.deadline == d("2026-12-31"));
    CHECK_FALSE(firm.provisional);
}

TEST_CASE("timelimit: invalid limits, suspensions and extensions are rejected", "[timelimit]")
{
    Date s = d("2026-03-02");
    CHECK(invalidReason(s, wd(0)) == "days_out_of_range");
    CHECK(invalidReason(s, wd(-1)) == "days_out_of_range");
    CHECK(invalidReason(s, cd(3651)) == "days_out_of_range");
    CHECK(invalidReason(s, wd(5), {{d("2026-03-10"), d("2026-03-09"), "x"}}) == "suspension_reversed");
    CHECK(invalidReason(s, wd(5), {}, {{0, DayCounting::Working, "a", s}}) == "extension_out_of_range");
    CHECK(invalidReason(s, wd(5), {}, {{3651, DayCounting::Calendar, "a", s}}) == "extension_out_of_range");
    CHECK(invalidReason(s, wd(5), {}, {{5, DayCounting::Working, "", s}}) == "extension_unapproved");
    try {
        computeDeadline(cal(), s, wd(5), {{s, s, "ok"}, {d("2026-03-10"), d("2026-03-09"), "x"}});
        FAIL("no error");
    } catch (const DomainError& e) {
        CHECK(e.fact("index") == "1");
        CHECK(e.fact("from") == "2026-03-10");
        CHECK(e.fact("to") == "2026-03-09");
    }
    // The largest limits are accepted.
    CHECK(computeDeadline(cal(), s, cd(3650)).countedDays == 3650);
    CHECK(computeDeadline(cal(), s, wd(3650)).countedDays == 3650);
}

TEST_CASE("timelimit: the 5-working-day acceptance rule", "[timelimit]")
{
    CHECK(acceptanceDecisionDue(cal(), d("2026-02-12")) == d("2026-02-26"));
    // Tue 2025-09-30: Oct 9 (1), 10 (2), Sat 11 make-up (3), Mon 13 (4), Tue 14 (5).
    CHECK(acceptanceDecisionDue(cal(), d("2025-09-30")) == d("2025-10-14"));
    // Received online on Sat 2026-03-07: Mon 9 .. Fri 13.
    CHECK(acceptanceDecisionDue(cal(), d("2026-03-07")) == d("2026-03-13"));
    // Received on a holiday: Mon 2026-02-16 -> Feb 24, 25, 26, 27, Sat 28 make-up.
    CHECK(acceptanceDecisionDue(cal(), d("2026-02-16")) == d("2026-02-28"));
}

TEST_CASE("timelimit: workingDaysBetween", "[timelimit]")
{
    CHECK(workingDaysBetween(cal(), d("2026-02-12"), d("2026-02-26")) == 5);
    CHECK(workingDaysBetween(cal(), d("2026-02-26"), d("2026-02-12")) == -5);
    CHECK(workingDaysBetween(cal(), d("2026-02-12"), d("2026-02-12")) == 0);
    CHECK(workingDaysBetween(cal(), d("2026-02-14"), d("2026-02-23")) == 0); // all off
    CHECK(workingDaysBetween(cal(), d("2026-02-13"), d("2026-02-14")) == 1); // make-up Sat
    // 2026: 261 weekdays, 19 of them official days off, 6 make-up days.
    CHECK(workingDaysBetween(cal(), d("2025-12-31"), d("2026-12-31")) == 261 - 19 + 6);
}

TEST_CASE("timelimit: remaining, due today and overdue", "[timelimit]")
{
    const Date deadline = d("2026-02-26");
    Remaining before = remaining(cal(), deadline, d("2026-02-12"));
    CHECK(before.workingDays == 5);
    CHECK_FALSE(before.overdue);
    CHECK_FALSE(before.dueToday);
    // During the festival three working days remain: 24, 25, 26.
    CHECK(remaining(cal(), deadline, d("2026-02-21")).workingDays == 3);
    Remaining today = remaining(cal(), deadline, deadline);
    CHECK(today.workingDays == 0);
    CHECK(today.dueToday);
    CHECK_FALSE(today.overdue);
    Remaining after = remaining(cal(), deadline, d("2026-02-27"));
    CHECK(after.workingDays == -1);
    CHECK(after.overdue);
    CHECK_FALSE(after.dueToday);
    // Overdue since Friday, seen on Sunday: no working day lost yet, but overdue.
    Remaining weekend = remaining(cal(), d("2026-03-06"), d("2026-03-08"));
    CHECK(weekend.overdue);
    CHECK(weekend.workingDays == 0);
}

TEST_CASE("timelimit: formatLedger renders one line per day", "[timelimit]")
{
    auto r = run("2026-02-12", wd(5));
    std::string text = formatLedger(r);
    std::vector<std::string> lines;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        lines.push_back(line);
    REQUIRE(lines.size() == r.ledger.size() + 2);
    CHECK(lines.front() == "start 2026-02-12 Thu limit 5wd");
    CHECK(lines[1] == "2026-02-13 Fri working counted        1");
    CHECK(lines[2] == "2026-02-14 Sat makeup  counted        2      春节调休");
    CHECK(lines[3] == "2026-02-15 Sun holiday non-working    2      春节");
    CHECK(lines.back() == "deadline 2026-02-26 Thu counted 5");

    auto p = run("2026-12-28", wd(5));
    std::string ptext = formatLedger(p);
    CHECK(ptext.find("2027-01-01 Fri working counted        4 prov\n") != std::string::npos);
    CHECK(ptext.ends_with("deadline 2027-01-04 Mon counted 5 provisional\n"));

    auto s = run("2026-03-02", wd(10), {{d("2026-03-05"), std::nullopt, "补正材料"}});
    std::string stext = formatLedger(s);
    CHECK(stext.find("2026-03-05 Thu working suspended      2      补正材料\n") != std::string::npos);
    CHECK(stext.ends_with("suspended-open-ended 2026-03-05 Thu counted 2\n"));

    auto c = run("2026-09-24", cd(7));
    std::string ctext = formatLedger(c);
    CHECK(ctext.find("2026-10-02 Fri holiday rolled         7      国庆节\n") != std::string::npos);
    CHECK(ctext.find("2026-10-08 Thu working rolled-due     7\n") != std::string::npos);
}
