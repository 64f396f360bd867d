// The time-limit engine: statutory and promised limits (法定/承诺时限), suspensions
// (补正, special steps), approved extensions (延期) and the day-by-day clock ledger.
#pragma once

#include "model/Date.h"
#include "model/HolidayCalendar.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

enum class DayCounting { Working, Calendar };

// Stable tokens: "wd" (working days), "cd" (calendar days).
std::string_view toToken(DayCounting counting);

// Longest limit or extension accepted, in days of either kind (about ten years).
inline constexpr int kMaxLimitDays = 3650;

struct TimeLimit {
    int days = 0;
    DayCounting counting = DayCounting::Working;

    // Canonical text only: "5wd", "100cd"; 1..kMaxLimitDays, no sign, no leading zero.
    static std::optional<TimeLimit> parse(std::string_view text);
    std::string toString() const;

    bool operator==(const TimeLimit&) const = default;
};

// The clock stops from `from` (inclusive) to `to`, the day it resumes (exclusive).
// While `to` is empty the suspension is open-ended and no deadline can be known.
struct Suspension {
    Date from;
    std::optional<Date> to;
    std::string reason;
};

// An approved extension adds its days after the deadline that would otherwise apply.
struct Extension {
    int days = 0;
    DayCounting counting = DayCounting::Working;
    std::string approvedBy;
    Date approvedOn;
};

struct LedgerEntry {
    enum Effect {
        Counted, // counted toward the base limit
        NotCountedNonWorking, // weekend or holiday while counting working days
        NotCountedSuspended, // inside a suspension
        ExtensionCounted, // counted toward an approved extension
        RolledForwardHoliday, // calendar-day limit ran out on or before this non-working day
        RolledForwardDeadline, // first working day after such a run: the deadline
    };

    Date date;
    DayType dayType = DayType::WorkingDay;
    Effect effect = Counted;
    int runningCount = 0; // days counted so far, base limit and extensions together
    std::string note; // suspension reason when suspended, else the holiday/make-up name
    bool provisional = false; // the day's year has no calendar file
};

// Stable ASCII tokens: "counted", "non-working", "suspended", "extension", "rolled",
// "rolled-due".
std::string_view toToken(LedgerEntry::Effect effect);

struct DeadlineResult {
    // When suspendedOpenEnded, a placeholder: the first day of the open-ended suspension
    // that the clock reached (never before start + 1). The ledger ends on that day.
    Date deadline;
    bool provisional = false; // some ledger day lies in a year without a calendar file
    std::vector<LedgerEntry> ledger; // one entry per day from start + 1 to deadline
    int countedDays = 0; // Counted + ExtensionCounted entries
    bool suspendedOpenEnded = false;
    Date start; // the day of acceptance (not counted)
    TimeLimit limit; // the base limit, before extensions
};

// Counting starts the day after `start`. Working-day limits count working and make-up
// days; calendar-day limits count every day, and a last day that is not a working day
// rolls forward to the next working day. Suspended days never count. Extensions are
// applied in order of approvedOn (stable), each after the deadline then in force, in
// its own kind of days.
// Throws DomainError "timelimit.invalid" (fact reason: "days_out_of_range",
// "suspension_reversed", "extension_out_of_range", "extension_unapproved").
DeadlineResult computeDeadline(const HolidayCalendar& calendar, Date start, TimeLimit limit,
    const std::vector<Suspension>& suspensions = {}, const std::vector<Extension>& extensions = {});

// Whether to accept an application must be decided by the 5th working day after receipt.
Date acceptanceDecisionDue(const HolidayCalendar& calendar, Date received);

// Working days d with from < d <= to. When to < from the result is the negated count
// of working days d with to < d <= from, so f(a, b) == -f(b, a); f(a, a) == 0.
int workingDaysBetween(const HolidayCalendar& calendar, Date from, Date to);

struct Remaining {
    // Working days after today up to the deadline; when overdue, minus the working days
    // after the deadline up to today (0 if only non-working days have passed).
    int workingDays = 0;
    bool overdue = false; // today is after the deadline
    bool dueToday = false;
};
Remaining remaining(const HolidayCalendar& calendar, Date deadline, Date today);

// One line per ledger day plus a header and a summary, ASCII tokens except the notes
// (UTF-8 holiday names, suspension reasons). For command-line demos and logs.
std::string formatLedger(const DeadlineResult& result);

} // namespace ow::model
