#include "model/Kpi.h"

#include "model/CaseWorkService.h"
#include "model/Error.h"
#include "model/TimeLimit.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace ow::model {

namespace {

// The working days a limit gives when counted from `start`: the limit itself for working
// days, the working days up to the (rolled-forward) deadline for calendar days.
int limitInWorkingDays(const HolidayCalendar& calendar, Date start, TimeLimit limit)
{
    if (limit.counting == DayCounting::Working)
        return limit.days;
    return workingDaysBetween(calendar, start, computeDeadline(calendar, start, limit).deadline);
}

std::optional<double> ratio(std::int64_t part, std::int64_t whole)
{
    if (whole <= 0)
        return std::nullopt;
    return static_cast<double>(part) / static_cast<double>(whole);
}

bool contains(const std::vector<std::string>& list, const std::string& item)
{
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool inRange(Date day, const KpiQuery& q)
{
    return day >= q.from && day <= q.to;
}

// The promised number of visits of a case: the largest among its matters in the catalogue
// (a matter the catalogue no longer has counts as one visit).
int visitsPromised(const CaseFact& c, const Catalogue& catalogue)
{
    int most = 0;
    for (const auto& code : c.matters) {
        const ServiceMatter* m = catalogue.findMatter(code);
        most = std::max(most, m ? m->visitsPromised : 1);
    }
    return c.matters.empty() ? 1 : most;
}

// Accumulates one group of tickets; the times are kept until finish().
struct TicketGroup {
    TicketFigures figures;
    std::vector<std::int64_t> waiting;
    std::vector<std::int64_t> serving;

    void add(const TicketFact& t)
    {
        ++figures.issued;
        if (t.called()) {
            ++figures.called;
            waiting.push_back(t.waitingMs);
        }
        if (t.status == TicketStatus::Ended) {
            ++figures.served;
            serving.push_back(t.servingMs);
        } else if (t.status == TicketStatus::NoShow) {
            ++figures.noShow;
        } else if (t.status == TicketStatus::Cancelled) {
            ++figures.cancelled;
        }
    }
    TicketFigures finish()
    {
        figures.waiting = durationStats(std::move(waiting));
        figures.serving = durationStats(std::move(serving));
        return figures;
    }
};

struct CaseGroup {
    CaseFigures f;

    void add(const CaseFact& c, const KpiQuery& q, const Catalogue& catalogue)
    {
        const bool accepted = c.acceptedOn && inRange(*c.acceptedOn, q);
        const bool concluded = c.acceptedOn && c.concludedOn && inRange(*c.concludedOn, q);
        if (accepted) {
            ++f.accepted;
            f.statutoryDays += c.statutoryDays;
            f.promisedDays += c.promisedDays;
            if (c.immediate && c.concludedOn && *c.concludedOn == *c.acceptedOn && !c.outcome.empty())
                ++f.immediate;
        }
        if (concluded) {
            ++f.concluded;
            if (c.deadline && *c.concludedOn > *c.deadline)
                ++f.concludedLate;
            f.visits += c.visits;
            if (c.visits <= visitsPromised(c, catalogue))
                ++f.withinPromisedVisits;
        }
        const bool runningOnTo
            = c.acceptedOn && *c.acceptedOn <= q.to && (!c.concludedOn || *c.concludedOn > q.to);
        if (runningOnTo && c.deadline && *c.deadline < q.to)
            ++f.runningOverdue;
    }
    void addMatter(const ServiceMatter& m)
    {
        ++f.matters;
        if (m.atMostOnce)
            ++f.atMostOnceMatters;
    }
    CaseFigures finish()
    {
        f.onTimeRate = ratio(f.concluded - f.concludedLate, f.concluded);
        f.immediateRate = ratio(f.immediate, f.accepted);
        if (f.statutoryDays > 0)
            f.timeCompression
                = 1.0 - static_cast<double>(f.promisedDays) / static_cast<double>(f.statutoryDays);
        f.visitsPerCase = ratio(f.visits, f.concluded);
        f.atMostOnceRate = ratio(f.withinPromisedVisits, f.concluded);
        f.coverage = ratio(f.atMostOnceMatters, f.matters);
        return f;
    }
};

struct RatingGroup {
    RatingFigures f;

    void add(const Evaluation& v, const KpiQuery& q)
    {
        ++f.ratings;
        if (v.level >= 1 && v.level <= 5)
            ++f.byLevel[static_cast<std::size_t>(v.level - 1)];
        if (v.needsFollowUp() && !(v.closed && v.closedOn <= q.to)) {
            ++f.openFollowUps;
            if (v.followUpDue < q.to)
                ++f.overdueFollowUps;
        }
        if (!v.counts()) {
            ++f.appealsUpheld;
            return;
        }
        ++f.counting;
        if (v.satisfied())
            ++f.satisfied;
        if (v.needsFollowUp()) {
            ++f.bad;
            if (v.callbackDone)
                ++f.callbacks;
            if (v.rectified)
                ++f.rectified;
        }
    }
    RatingFigures finish()
    {
        f.satisfactionRate = ratio(f.satisfied, f.counting);
        f.callbackRate = ratio(f.callbacks, f.bad);
        f.rectificationRate = ratio(f.rectified, f.bad);
        return f;
    }
};

std::string ratingCentre(const Evaluation& v)
{
    return centreOfId(!v.caseNumber.empty() ? v.caseNumber : v.ticket);
}

// Fixed decimals, so that the JSON shows what a person would write down.
Json rounded(const std::optional<double>& value, int decimals)
{
    if (!value)
        return Json();
    const double scale = std::pow(10.0, decimals);
    return Json(std::round(*value * scale) / scale);
}

Json statsJson(const DurationStats& s)
{
    Json j = Json::object();
    j["count"] = s.count;
    j["mean"] = rounded(s.mean, 3);
    j["median"] = rounded(s.median, 3);
    j["p90"] = rounded(s.p90, 3);
    return j;
}

Json figuresJson(const TicketFigures& t, const char* keyName)
{
    Json j = Json::object();
    if (keyName)
        j[keyName] = t.key;
    j["issued"] = t.issued;
    j["called"] = t.called;
    j["served"] = t.served;
    j["noShow"] = t.noShow;
    j["cancelled"] = t.cancelled;
    j["waitingSeconds"] = statsJson(t.waiting);
    j["servingSeconds"] = statsJson(t.serving);
    return j;
}

Json figuresJson(const CaseFigures& c, bool withKey)
{
    Json j = Json::object();
    if (withKey)
        j["department"] = c.department;
    j["accepted"] = c.accepted;
    j["concluded"] = c.concluded;
    j["concludedLate"] = c.concludedLate;
    j["runningOverdue"] = c.runningOverdue;
    j["overdue"] = c.overdue();
    j["onTimeRate"] = rounded(c.onTimeRate, 4);
    j["immediate"] = c.immediate;
    j["immediateRate"] = rounded(c.immediateRate, 4);
    j["statutoryDays"] = c.statutoryDays;
    j["promisedDays"] = c.promisedDays;
    j["timeCompression"] = rounded(c.timeCompression, 4);
    j["visits"] = c.visits;
    j["visitsPerCase"] = rounded(c.visitsPerCase, 3);
    j["withinPromisedVisits"] = c.withinPromisedVisits;
    j["atMostOnceRate"] = rounded(c.atMostOnceRate, 4);
    j["matters"] = c.matters;
    j["atMostOnceMatters"] = c.atMostOnceMatters;
    j["coverage"] = rounded(c.coverage, 4);
    return j;
}

Json figuresJson(const RatingFigures& r, bool withKey)
{
    Json j = Json::object();
    if (withKey)
        j["window"] = r.window;
    j["ratings"] = r.ratings;
    Json levels = Json::object();
    for (int level = 1; level <= 5; ++level)
        levels[std::to_string(level)] = r.byLevel[static_cast<std::size_t>(level - 1)];
    j["byLevel"] = levels;
    j["appealsUpheld"] = r.appealsUpheld;
    j["counting"] = r.counting;
    j["satisfied"] = r.satisfied;
    j["satisfactionRate"] = rounded(r.satisfactionRate, 4);
    j["bad"] = r.bad;
    j["callbacks"] = r.callbacks;
    j["callbackRate"] = rounded(r.callbackRate, 4);
    j["rectified"] = r.rectified;
    j["rectificationRate"] = rounded(r.rectificationRate, 4);
    j["openFollowUps"] = r.openFollowUps;
    j["overdueFollowUps"] = r.overdueFollowUps;
    return j;
}

Json textOrNull(const std::string& s)
{
    return s.empty() ? Json() : Json(s);
}

} // namespace

std::string centreOfId(const std::string& idOrNumber)
{
    return idOrNumber.substr(0, idOrNumber.find('-'));
}

std::string joinList(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& s : items) {
        if (!out.empty())
            out += '\n';
        out += s;
    }
    return out;
}

std::vector<std::string> splitList(const std::string& text)
{
    std::vector<std::string> out;
    std::size_t start = 0;
    while (start < text.size()) {
        auto end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        if (end > start)
            out.push_back(text.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

TicketFact ticketFactOf(const Ticket& t, std::vector<std::string> caseDepartments)
{
    TicketFact f;
    f.id = t.id;
    f.day = t.day;
    f.category = t.issuedCategory;
    f.window = t.firstCalledAt > 0 ? t.window : std::string();
    f.status = t.status;
    f.firstCalledAt = t.firstCalledAt;
    f.waitingMs = t.waitingMs;
    f.servingMs = t.servingMs;
    f.caseNumber = t.caseNumber;
    f.departments = std::move(caseDepartments);
    return f;
}

CaseFact caseFactOf(const CaseState& s, const HolidayCalendar& calendar)
{
    CaseFact f;
    f.number = s.number;
    f.centre = s.centre;
    f.status = toString(s.status);
    f.outcome = s.outcome;
    std::set<std::string> departments;
    for (const auto& m : s.matters) {
        f.matters.push_back(m.code);
        if (!m.department.empty())
            departments.insert(m.department);
    }
    f.departments.assign(departments.begin(), departments.end());
    f.acceptedOn = s.acceptedOn;
    f.concludedOn = s.concludedOn;
    f.immediate = !s.matters.empty()
        && std::all_of(s.matters.begin(), s.matters.end(), [](const CaseMatter& m) { return m.immediate; });
    f.visits = s.visits;
    if (s.acceptedOn && !s.matters.empty()) {
        // As the case list has it (db rowFor): a malformed limit from an old node leaves
        // the figures empty instead of failing the projection.
        try {
            DeadlineResult d = caseDeadline(s, calendar);
            if (!d.suspendedOpenEnded)
                f.deadline = d.deadline;
            for (const auto& m : s.matters) {
                f.statutoryDays = std::max(
                    f.statutoryDays, limitInWorkingDays(calendar, *s.acceptedOn, m.statutoryLimit));
                f.promisedDays
                    = std::max(f.promisedDays, limitInWorkingDays(calendar, *s.acceptedOn, m.promisedLimit));
            }
        } catch (const DomainError&) {
            f.statutoryDays = 0;
            f.promisedDays = 0;
        }
    }
    return f;
}

std::int64_t nearestRank(const std::vector<std::int64_t>& sorted, int percent)
{
    const auto n = static_cast<std::int64_t>(sorted.size());
    std::int64_t rank = (static_cast<std::int64_t>(percent) * n + 99) / 100; // ceil(p·n/100)
    rank = std::clamp<std::int64_t>(rank, 1, n);
    return sorted[static_cast<std::size_t>(rank - 1)];
}

DurationStats durationStats(std::vector<std::int64_t> ms)
{
    DurationStats s;
    s.count = static_cast<std::int64_t>(ms.size());
    if (ms.empty())
        return s;
    long double sum = 0;
    for (auto v : ms)
        sum += static_cast<long double>(v);
    s.mean = static_cast<double>(sum / static_cast<long double>(ms.size()) / 1000.0L);
    // Two selections instead of a sort: the same nearest-rank values, in linear time.
    auto rankValue = [&ms](int percent) {
        const auto n = static_cast<std::int64_t>(ms.size());
        const std::int64_t rank = std::clamp<std::int64_t>((percent * n + 99) / 100, 1, n);
        auto it = ms.begin() + static_cast<std::ptrdiff_t>(rank - 1);
        std::nth_element(ms.begin(), it, ms.end());
        return *it;
    };
    s.median = static_cast<double>(rankValue(50)) / 1000.0;
    s.p90 = static_cast<double>(rankValue(90)) / 1000.0;
    return s;
}

KpiReport computeKpis(const KpiQuery& q, const std::vector<TicketFact>& tickets,
    const std::vector<CaseFact>& cases, const std::vector<RatingFact>& ratings, const Catalogue& catalogue)
{
    KpiReport report;
    report.query = q;
    // The centre is worked out only when the query names one (half a million tickets).
    auto wanted = [&](auto centreOf, const std::vector<std::string>& departments) {
        return (q.centre.empty() || centreOf() == q.centre)
            && (q.department.empty() || contains(departments, q.department));
    };

    TicketGroup allTickets;
    std::map<std::string, TicketGroup> byCategory, byWindow;
    for (const auto& t : tickets) {
        if (!inRange(t.day, q) || !wanted([&] { return centreOfId(t.id); }, t.departments))
            continue;
        allTickets.add(t);
        byCategory[t.category].add(t);
        if (t.called())
            byWindow[t.window].add(t);
    }
    report.tickets = allTickets.finish();
    for (auto& [key, group] : byCategory) {
        report.ticketsByCategory.push_back(group.finish());
        report.ticketsByCategory.back().key = key;
    }
    for (auto& [key, group] : byWindow) {
        report.ticketsByWindow.push_back(group.finish());
        report.ticketsByWindow.back().key = key;
    }

    CaseGroup allCases;
    std::map<std::string, CaseGroup> byDepartment;
    for (const auto& [code, m] : catalogue.matters()) {
        if (!q.department.empty() && m.department != q.department)
            continue;
        allCases.addMatter(m);
        byDepartment[m.department].addMatter(m);
    }
    for (const auto& c : cases) {
        if (!c.acceptedOn || !wanted([&] { return c.centre; }, c.departments))
            continue;
        allCases.add(c, q, catalogue);
        for (const auto& d : c.departments)
            if (q.department.empty() || d == q.department)
                byDepartment[d].add(c, q, catalogue);
    }
    report.cases = allCases.finish();
    for (auto& [department, group] : byDepartment) {
        report.casesByDepartment.push_back(group.finish());
        report.casesByDepartment.back().department = department;
    }

    RatingGroup allRatings;
    std::map<std::string, RatingGroup> ratingsByWindow;
    for (const auto& r : ratings) {
        if (!inRange(r.rating.day, q) || !wanted([&] { return ratingCentre(r.rating); }, r.departments))
            continue;
        allRatings.add(r.rating, q);
        if (!r.rating.window.empty())
            ratingsByWindow[r.rating.window].add(r.rating, q);
    }
    report.ratings = allRatings.finish();
    for (auto& [window, group] : ratingsByWindow) {
        report.ratingsByWindow.push_back(group.finish());
        report.ratingsByWindow.back().window = window;
    }
    return report;
}

Json KpiReport::toJson() const
{
    Json j = Json::object();
    Json qj = Json::object();
    qj["from"] = query.from.iso();
    qj["to"] = query.to.iso();
    qj["centre"] = textOrNull(query.centre);
    qj["department"] = textOrNull(query.department);
    j["query"] = qj;

    Json t = figuresJson(tickets, nullptr);
    Json cats = Json::array();
    for (const auto& c : ticketsByCategory)
        cats.push_back(figuresJson(c, "category"));
    t["byCategory"] = cats;
    Json wins = Json::array();
    for (const auto& w : ticketsByWindow)
        wins.push_back(figuresJson(w, "window"));
    t["byWindow"] = wins;
    j["tickets"] = t;

    Json c = figuresJson(cases, false);
    Json deps = Json::array();
    for (const auto& d : casesByDepartment)
        deps.push_back(figuresJson(d, true));
    c["byDepartment"] = deps;
    j["cases"] = c;

    Json r = figuresJson(ratings, false);
    Json rw = Json::array();
    for (const auto& w : ratingsByWindow)
        rw.push_back(figuresJson(w, true));
    r["byWindow"] = rw;
    j["ratings"] = r;
    return j;
}

} // namespace ow::model
