#include "model/TimeLimit.h"

#include "model/Error.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace ow::model {

namespace {

std::string_view weekdayAbbrev(Date day)
{
    static constexpr std::string_view names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    return names[static_cast<int>(day.weekday())];
}

bool inRange(int days)
{
    return days >= 1 && days <= kMaxLimitDays;
}

[[noreturn]] void invalid(std::string_view reason, Facts facts)
{
    facts["reason"] = std::string(reason);
    throw DomainError("timelimit.invalid", std::move(facts));
}

void validate(
    TimeLimit limit, const std::vector<Suspension>& suspensions, const std::vector<Extension>& extensions)
{
    if (!inRange(limit.days))
        invalid("days_out_of_range",
            {{"days", std::to_string(limit.days)}, {"max", std::to_string(kMaxLimitDays)}});
    for (std::size_t i = 0; i < suspensions.size(); ++i) {
        const Suspension& s = suspensions[i];
        if (s.to && *s.to < s.from)
            invalid("suspension_reversed",
                {{"index", std::to_string(i)}, {"from", s.from.iso()}, {"to", s.to->iso()}});
    }
    for (std::size_t i = 0; i < extensions.size(); ++i) {
        const Extension& e = extensions[i];
        if (!inRange(e.days))
            invalid("extension_out_of_range",
                {{"index", std::to_string(i)}, {"days", std::to_string(e.days)},
                    {"max", std::to_string(kMaxLimitDays)}});
        // An extension only exists once someone with authority approved it.
        if (e.approvedBy.empty())
            invalid("extension_unapproved", {{"index", std::to_string(i)}});
    }
}

struct Phase {
    int days;
    DayCounting counting;
    LedgerEntry::Effect countedAs;
};

// Walks the days after `start` one by one, so that every day the deadline depends on is
// written to the ledger with the reason it did or did not count.
class Clock {
public:
    Clock(const HolidayCalendar& calendar, Date start, const std::vector<Suspension>& suspensions,
        DeadlineResult& result)
        : m_calendar(calendar)
        , m_day(start)
        , m_suspensions(suspensions)
        , m_result(result)
    {
    }

    // Returns false when an open-ended suspension stopped the clock for good.
    bool run(const Phase& phase)
    {
        int counted = 0;
        while (counted < phase.days) {
            if (!step())
                return false;
            LedgerEntry& entry = m_result.ledger.back();
            if (entry.effect == LedgerEntry::NotCountedSuspended)
                continue;
            if (phase.counting == DayCounting::Working && !m_calendar.isWorkingDay(entry.date)) {
                entry.effect = LedgerEntry::NotCountedNonWorking;
                continue;
            }
            ++counted;
            entry.effect = phase.countedAs;
            entry.runningCount = ++m_result.countedDays;
        }
        if (phase.counting == DayCounting::Calendar && !m_calendar.isWorkingDay(m_day))
            return rollForward();
        return true;
    }

    Date day() const { return m_day; }

private:
    // The office is closed on the last day: the deadline becomes the next working day.
    bool rollForward()
    {
        for (;;) {
            if (!step())
                return false;
            LedgerEntry& entry = m_result.ledger.back();
            if (entry.effect == LedgerEntry::NotCountedSuspended)
                continue;
            if (m_calendar.isWorkingDay(entry.date)) {
                entry.effect = LedgerEntry::RolledForwardDeadline;
                return true;
            }
            entry.effect = LedgerEntry::RolledForwardHoliday;
        }
    }

    // Advances one day and appends its entry (marked suspended if it is). Returns false,
    // leaving that entry as the last one, when an open-ended suspension covers the day.
    bool step()
    {
        m_day = m_day.addDays(1);
        LedgerEntry entry;
        entry.date = m_day;
        entry.dayType = m_calendar.dayType(m_day);
        entry.runningCount = m_result.countedDays;
        entry.note = m_calendar.holidayName(m_day);
        entry.provisional = m_calendar.isProvisional(m_day);
        const Suspension* closed = nullptr;
        const Suspension* open = nullptr;
        for (const Suspension& s : m_suspensions) {
            if (m_day < s.from || (s.to && m_day >= *s.to))
                continue;
            if (!s.to && !open)
                open = &s;
            if (s.to && !closed)
                closed = &s;
        }
        if (const Suspension* s = open ? open : closed) {
            entry.effect = LedgerEntry::NotCountedSuspended;
            entry.note = s->reason;
        }
        m_result.ledger.push_back(std::move(entry));
        return open == nullptr;
    }

    const HolidayCalendar& m_calendar;
    Date m_day;
    const std::vector<Suspension>& m_suspensions;
    DeadlineResult& m_result;
};

} // namespace

std::string_view toToken(DayCounting counting)
{
    return counting == DayCounting::Working ? "wd" : "cd";
}

std::optional<TimeLimit> TimeLimit::parse(std::string_view text)
{
    if (text.size() < 3)
        return std::nullopt;
    std::string_view unit = text.substr(text.size() - 2);
    std::string_view number = text.substr(0, text.size() - 2);
    TimeLimit limit;
    if (unit == "wd")
        limit.counting = DayCounting::Working;
    else if (unit == "cd")
        limit.counting = DayCounting::Calendar;
    else
        return std::nullopt;
    if (number.front() < '1' || number.front() > '9')
        return std::nullopt;
    auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), limit.days);
    if (ec != std::errc() || end != number.data() + number.size() || !inRange(limit.days))
        return std::nullopt;
    return limit;
}

std::string TimeLimit::toString() const
{
    return std::to_string(days) + std::string(toToken(counting));
}

std::string_view toToken(LedgerEntry::Effect effect)
{
    switch (effect) {
    case LedgerEntry::Counted:
        return "counted";
    case LedgerEntry::NotCountedNonWorking:
        return "non-working";
    case LedgerEntry::NotCountedSuspended:
        return "suspended";
    case LedgerEntry::ExtensionCounted:
        return "extension";
    case LedgerEntry::RolledForwardHoliday:
        return "rolled";
    case LedgerEntry::RolledForwardDeadline:
        return "rolled-due";
    }
    return "unknown";
}

DeadlineResult computeDeadline(const HolidayCalendar& calendar, Date start, TimeLimit limit,
    const std::vector<Suspension>& suspensions, const std::vector<Extension>& extensions)
{
    validate(limit, suspensions, extensions);

    std::vector<Phase> phases{{limit.days, limit.counting, LedgerEntry::Counted}};
    std::vector<const Extension*> ordered;
    for (const Extension& e : extensions)
        ordered.push_back(&e);
    std::stable_sort(ordered.begin(), ordered.end(),
        [](const Extension* a, const Extension* b) { return a->approvedOn < b->approvedOn; });
    for (const Extension* e : ordered)
        phases.push_back({e->days, e->counting, LedgerEntry::ExtensionCounted});

    DeadlineResult result;
    result.start = start;
    result.limit = limit;
    Clock clock(calendar, start, suspensions, result);
    for (const Phase& phase : phases) {
        if (!clock.run(phase)) {
            result.suspendedOpenEnded = true;
            break;
        }
    }
    result.deadline = clock.day();
    result.provisional = std::any_of(
        result.ledger.begin(), result.ledger.end(), [](const LedgerEntry& e) { return e.provisional; });
    return result;
}

Date acceptanceDecisionDue(const HolidayCalendar& calendar, Date received)
{
    return computeDeadline(calendar, received, TimeLimit{5, DayCounting::Working}).deadline;
}

int workingDaysBetween(const HolidayCalendar& calendar, Date from, Date to)
{
    if (to < from)
        return -workingDaysBetween(calendar, to, from);
    int count = 0;
    for (Date d = from.addDays(1); d <= to; d = d.addDays(1))
        if (calendar.isWorkingDay(d))
            ++count;
    return count;
}

Remaining remaining(const HolidayCalendar& calendar, Date deadline, Date today)
{
    Remaining r;
    r.workingDays = workingDaysBetween(calendar, today, deadline);
    r.overdue = today > deadline;
    r.dueToday = today == deadline;
    return r;
}

std::string formatLedger(const DeadlineResult& result)
{
    std::string out = "start " + result.start.iso() + " " + std::string(weekdayAbbrev(result.start))
        + " limit " + result.limit.toString() + "\n";
    for (const LedgerEntry& e : result.ledger) {
        char line[96];
        std::snprintf(line, sizeof line, "%s %s %-7s %-11s %4d %-4s", e.date.iso().c_str(),
            std::string(weekdayAbbrev(e.date)).c_str(), std::string(toToken(e.dayType)).c_str(),
            std::string(toToken(e.effect)).c_str(), e.runningCount, e.provisional ? "prov" : "");
        std::string text = line;
        if (!e.note.empty())
            text += " " + e.note;
        while (!text.empty() && text.back() == ' ')
            text.pop_back();
        out += text + "\n";
    }
    out += result.suspendedOpenEnded ? "suspended-open-ended " : "deadline ";
    out += result.deadline.iso() + " " + std::string(weekdayAbbrev(result.deadline)) + " counted "
        + std::to_string(result.countedDays);
    if (result.provisional)
        out += " provisional";
    return out + "\n";
}

} // namespace ow::model
