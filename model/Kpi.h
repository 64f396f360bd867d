// KPIs and reports (统计报表) of a centre for a range of days: the hall's tickets (waiting
// and serving times per category and window), the cases (accepted, concluded, overdue,
// on time, immediate, time compression, visits against the promise), the ratings
// (satisfaction, follow-up of bad ones) and the catalogue's at-most-once coverage.
// Pure: the figures are computed from flat facts (what the db projects in columns, or
// what caseFactOf/ticketFactOf take from the states), never from JSON. The definitions
// are the contract of docs/KPIS.md.
#pragma once

#include "model/CaseState.h"
#include "model/Catalogue.h"
#include "model/Date.h"
#include "model/Evaluation.h"
#include "model/HolidayCalendar.h"
#include "model/Json.h"
#include "model/Queue.h"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

// One ticket as the reports need it.
struct TicketFact {
    std::string id; // "<centre>-<yyyymmdd>-A001": the centre is its first part
    Date day; // the day it was issued for
    std::string category; // the category its number was issued in (the slip's letter)
    std::string window; // where it was (last) served; "" when never called
    TicketStatus status = TicketStatus::Waiting;
    std::int64_t firstCalledAt = 0; // ms since the epoch; 0: never called
    std::int64_t waitingMs = 0; // every stretch in the queue, summed
    std::int64_t servingMs = 0; // every stretch at a window, summed
    std::string caseNumber; // the case it carries, "" when none
    // The departments of that case's matters, sorted; only a report for one department
    // needs them (db::Store looks them up on request).
    std::vector<std::string> departments;

    bool called() const { return firstCalledAt > 0; }
    bool operator==(const TicketFact&) const = default;
};
TicketFact ticketFactOf(const Ticket& ticket, std::vector<std::string> caseDepartments = {});

// One case as the reports need it: what the db's case_facts projection holds.
struct CaseFact {
    std::string number;
    std::string centre; // where the case was opened
    std::string status; // toString(CaseStatus)
    std::string outcome; // "approved" or "denied" once decided, else ""
    std::vector<std::string> departments; // of its matters, sorted, each once
    std::vector<std::string> matters; // matter codes, in the case's order
    std::optional<Date> acceptedOn;
    std::optional<Date> concludedOn; // decided, refused, withdrawn or terminated
    // The promised deadline as the case list shows it: none before acceptance or while a
    // suspension is open-ended.
    std::optional<Date> deadline;
    // The slowest matter's statutory and promised limits in working days counted from the
    // day of acceptance (a calendar-day limit: the working days up to the day it gives);
    // 0 before acceptance.
    int statutoryDays = 0;
    int promisedDays = 0;
    bool immediate = false; // every matter is an immediate one (即办件)
    int visits = 0; // the applicant's visits so far (1 at opening, +1 per correction)

    bool operator==(const CaseFact&) const = default;
};
CaseFact caseFactOf(const CaseState& state, const HolidayCalendar& calendar);

// A rating with the departments of its case (none when it has no case).
struct RatingFact {
    Evaluation rating;
    std::vector<std::string> departments;
};

// The centre of a ticket id or case number: its first part ("330102").
std::string centreOfId(const std::string& idOrNumber);
// Departments or matter codes as stored in one column: joined by '\n', which the
// catalogue forbids in names (a comma may be part of one).
std::string joinList(const std::vector<std::string>& items);
std::vector<std::string> splitList(const std::string& text);

struct KpiQuery {
    Date from; // first day, inclusive (China Standard Time)
    Date to; // last day, inclusive; also the day "running" and "open" are judged on
    std::string centre; // "": every centre
    std::string department; // "": every department
};

// Durations of one set, in seconds; nothing (n/a) when the set is empty. The median and
// the 90th percentile are nearest-rank: the value at rank ceil(p/100 × n) of the sorted set.
struct DurationStats {
    std::int64_t count = 0;
    std::optional<double> mean;
    std::optional<double> median;
    std::optional<double> p90;
};
DurationStats durationStats(std::vector<std::int64_t> milliseconds);
// The nearest-rank p-th percentile (1 ≤ p ≤ 100) of an ascending, non-empty list.
std::int64_t nearestRank(const std::vector<std::int64_t>& sorted, int percent);

struct TicketFigures {
    std::string key; // the category or window; "" for the total
    std::int64_t issued = 0;
    std::int64_t called = 0; // called at least once
    std::int64_t served = 0; // ended
    std::int64_t noShow = 0;
    std::int64_t cancelled = 0;
    DurationStats waiting; // of the called tickets
    DurationStats serving; // of the served tickets
};

struct CaseFigures {
    std::string department; // "" for the total
    std::int64_t accepted = 0;
    std::int64_t concluded = 0;
    std::int64_t concludedLate = 0; // concluded after the deadline
    std::int64_t runningOverdue = 0; // not concluded by `to`, deadline before `to`
    std::int64_t overdue() const { return concludedLate + runningOverdue; }
    std::optional<double> onTimeRate;
    std::int64_t immediate = 0; // accepted, every matter immediate, decided the same day
    std::optional<double> immediateRate;
    std::int64_t statutoryDays = 0; // over the cases accepted
    std::int64_t promisedDays = 0;
    std::optional<double> timeCompression;
    std::int64_t visits = 0; // over the cases concluded
    std::optional<double> visitsPerCase;
    std::int64_t withinPromisedVisits = 0;
    std::optional<double> atMostOnceRate;
    std::int64_t matters = 0; // in the catalogue
    std::int64_t atMostOnceMatters = 0;
    std::optional<double> coverage;
};

struct RatingFigures {
    std::string window; // "" for the total
    std::int64_t ratings = 0;
    std::array<std::int64_t, 5> byLevel{}; // [0] 非常不满意 (1) … [4] 非常满意 (5)
    std::int64_t appealsUpheld = 0;
    std::int64_t counting = 0; // ratings − appeals upheld
    std::int64_t satisfied = 0; // counting, level 3–5
    std::optional<double> satisfactionRate;
    std::int64_t bad = 0; // counting, level 1–2
    std::int64_t callbacks = 0;
    std::optional<double> callbackRate;
    std::int64_t rectified = 0;
    std::optional<double> rectificationRate;
    std::int64_t openFollowUps = 0; // level 1–2, not closed by `to`
    std::int64_t overdueFollowUps = 0; // open and due before `to`
};

struct KpiReport {
    KpiQuery query;
    TicketFigures tickets;
    std::vector<TicketFigures> ticketsByCategory; // by code
    std::vector<TicketFigures> ticketsByWindow; // by code; called tickets only
    CaseFigures cases; // coverage: the catalogue (the department's matters when filtered)
    std::vector<CaseFigures> casesByDepartment; // the catalogue's departments and the cases'
    RatingFigures ratings;
    std::vector<RatingFigures> ratingsByWindow; // ratings that name a window

    // The JSON of `owctl report --format json`: rates as fractions (4 decimals), times in
    // seconds (3 decimals), n/a as null.
    Json toJson() const;
};

// Facts outside the query (days, centre, department) are skipped, so callers may pass more.
KpiReport computeKpis(const KpiQuery& query, const std::vector<TicketFact>& tickets,
    const std::vector<CaseFact>& cases, const std::vector<RatingFact>& ratings, const Catalogue& catalogue);

} // namespace ow::model
