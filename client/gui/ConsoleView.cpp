#include "ConsoleView.h"

#include "model/HolidayCalendar.h"
#include "model/TimeLimit.h"

#include "CaseListModel.h"
#include "Text.h"
#include "client/core/Backend.h"

#include <algorithm>
#include <tuple>
#include <wx/datetime.h>
#include <wx/intl.h>

namespace ow::gui {

namespace {

using Tone = TableRow::Tone;

// A category's mean service when none ended today yet.
constexpr std::int64_t kDefaultServingMs = 5 * 60 * 1000;

// When a ticket last left `window` (ended, did not come, parked or passed on), or 0.
std::int64_t leftAt(const model::Ticket& t)
{
    using S = model::TicketStatus;
    switch (t.status) {
    case S::Ended:
    case S::NoShow:
        return t.endedAt;
    case S::Waiting:
        return t.transfers > 0 ? t.queuedAt : 0; // served here, then passed on
    case S::Parked:
        // Not recorded as such: the end of its serving so far (exact for one stretch).
        return t.firstCalledAt > 0 ? t.firstCalledAt + t.servingMs : 0;
    case S::Called:
    case S::Cancelled:
        break;
    }
    return 0;
}

// Whether the ticket was at `window` today (served there now or before).
bool servedAt(const model::Ticket& t, const std::string& window)
{
    return t.window == window && t.firstCalledAt > 0;
}

std::int64_t waitedMs(const model::Ticket& t, std::int64_t nowMs)
{
    if (t.status != model::TicketStatus::Waiting)
        return t.waitingMs;
    return t.waitingMs + std::max<std::int64_t>(0, nowMs - t.queuedAt);
}

bool overdue(const FloorData& f, const db::CaseSummary& c)
{
    return !c.deadline.empty() && c.deadline < f.today.iso();
}

wxString windowText(const FloorData& f, const std::string& code)
{
    for (const auto& w : f.windows)
        if (w.code == code)
            return w.nameZh.empty() ? wx(code) : wx(code) + " " + wx(w.nameZh);
    return wx(code);
}

} // namespace

model::Date lastDayWithin(const model::HolidayCalendar& calendar, model::Date today, int workingDays)
{
    model::Date until = today;
    // Weekends and the longest holidays (Spring Festival) stay well within a month.
    for (int i = 1; i <= 31; ++i) {
        const model::Date next = today.addDays(i);
        if (model::workingDaysBetween(calendar, today, next) > workingDays)
            break;
        until = next;
    }
    return until;
}

FloorData loadFloor(client::Backend& b)
{
    FloorData f;
    f.today = b.today();
    f.riskUntil = lastDayWithin(b.calendar(), f.today, 2);
    f.tickets = b.hallToday();
    f.windows = b.windows();
    f.categories = b.categories();
    for (auto& member : b.staffList())
        f.staff.emplace(member.id, member);
    f.atRisk = b.casesDueBy(f.riskUntil);
    f.conflicts = b.conflicts();
    return f;
}

wxString clockText(std::int64_t ms)
{
    const long long s = std::max<long long>(0, ms / 1000);
    if (s >= 3600)
        return wxString::Format("%lld:%02lld:%02lld", s / 3600, s / 60 % 60, s % 60);
    return wxString::Format("%lld:%02lld", s / 60, s % 60);
}

wxString minutesText(std::int64_t ms)
{
    // TRANSLATORS: a duration in whole minutes.
    return wxString::Format(_("%lld min"), static_cast<long long>(std::max<std::int64_t>(0, ms) / 60000));
}

wxString personText(const FloorData& f, const std::string& id)
{
    if (id.empty())
        return {};
    if (auto it = f.staff.find(id); it != f.staff.end() && !it->second.name.empty())
        // TRANSLATORS: a staff member's name and account, e.g. "王芳 (clerk01)".
        return wxString::Format(_("%s (%s)"), wx(it->second.name), wx(id));
    return wx(id);
}

wxString nameOf(const FloorData& f, const std::string& id)
{
    if (auto it = f.staff.find(id); it != f.staff.end() && !it->second.name.empty())
        return wx(it->second.name);
    return wx(id);
}

bool waitingNow(const model::Ticket& t, std::int64_t nowMs)
{
    return t.status == model::TicketStatus::Waiting && (t.appointmentAt == 0 || t.appointmentAt <= nowMs);
}

const model::Ticket* ticketById(const FloorData& f, const std::string& id)
{
    for (const auto& t : f.tickets)
        if (t.id == id)
            return &t;
    return nullptr;
}

const model::Ticket* currentTicketAt(const FloorData& f, const std::string& window)
{
    for (const auto& t : f.tickets)
        if (t.status == model::TicketStatus::Called && t.window == window)
            return &t;
    return nullptr;
}

const db::CaseSummary* caseByNumber(const FloorData& f, const std::string& number)
{
    for (const auto* list : {&f.atRisk, &f.conflicts})
        for (const auto& c : *list)
            if (c.number == number)
                return &c;
    return nullptr;
}

std::string staffAt(const FloorData& f, const std::string& window)
{
    if (const model::Ticket* current = currentTicketAt(f, window))
        return current->staff;
    const model::Ticket* last = nullptr;
    auto touched = [](const model::Ticket& t) {
        return std::max({leftAt(t), t.firstCalledAt, t.servingSince});
    };
    for (const auto& t : f.tickets)
        if (servedAt(t, window) && (!last || touched(t) >= touched(*last)))
            last = &t;
    return last ? last->staff : std::string();
}

std::vector<TableRow> floorRows(const FloorData& f, std::int64_t nowMs)
{
    std::vector<TableRow> rows;
    for (const auto& w : f.windows) {
        TableRow r;
        r.key = w.code;
        r.cells.resize(FloorColumns);
        r.cells[FlWindow] = wx(w.code);
        r.cells[FlName] = wx(w.nameZh);
        wxString serves;
        for (const auto& c : w.categories)
            serves += (serves.empty() ? "" : ", ") + wx(c);
        r.cells[FlServes] = serves;
        r.cells[FlStaff] = nameOf(f, staffAt(f, w.code));
        if (!w.active) {
            // TRANSLATORS: a window that is not open (in the floor console).
            r.cells[FlTime] = _("not open");
            r.tone = Tone::Muted;
            rows.push_back(std::move(r));
            continue;
        }
        if (const model::Ticket* t = currentTicketAt(f, w.code)) {
            r.cells[FlTicket] = wx(t->display());
            const std::int64_t served = t->servingMs + (t->servingSince > 0 ? nowMs - t->servingSince : 0);
            // TRANSLATORS: the time a window has been serving its current ticket, e.g. "serving 3:05".
            r.cells[FlTime] = wxString::Format(_("serving %s"), clockText(served));
            rows.push_back(std::move(r));
            continue;
        }
        std::int64_t last = 0;
        wxString parked;
        for (const auto& t : f.tickets) {
            if (!servedAt(t, w.code))
                continue;
            last = std::max(last, leftAt(t));
            if (t.status == model::TicketStatus::Parked)
                parked += (parked.empty() ? "" : ", ") + wx(t.display());
        }
        if (!parked.empty())
            // TRANSLATORS: tickets parked at a window (the applicant stepped away), e.g. "parked A003".
            r.cells[FlTicket] = wxString::Format(_("parked %s"), parked);
        // TRANSLATORS: a window without a ticket, and for how long, e.g. "idle 12 min".
        r.cells[FlTime]
            = last > 0 ? wxString::Format(_("idle %s"), minutesText(nowMs - last)) : wxString(_("idle"));
        r.tone = Tone::Muted;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> categoryRows(const FloorData& f, std::int64_t nowMs)
{
    std::vector<TableRow> rows;
    for (const auto& c : f.categories) {
        int waiting = 0, ended = 0;
        std::int64_t longest = 0, served = 0;
        for (const auto& t : f.tickets) {
            if (t.category != c.code)
                continue;
            if (waitingNow(t, nowMs)) {
                ++waiting;
                longest = std::max(longest, waitedMs(t, nowMs));
            } else if (t.status == model::TicketStatus::Ended && t.servingMs > 0) {
                ++ended;
                served += t.servingMs;
            }
        }
        int windows = 0;
        for (const auto& w : f.windows)
            windows += model::windowServesCategory(w, c.code) ? 1 : 0;
        const std::int64_t mean = ended > 0 ? served / ended : kDefaultServingMs;
        TableRow r;
        r.key = c.code;
        r.cells.resize(CategoryColumns);
        r.cells[CaCategory] = wx(c.code) + " " + localName(c.nameZh, c.nameEn);
        r.cells[CaWaiting] = wxString::Format("%d", waiting);
        r.cells[CaLongest] = waiting > 0 ? minutesText(longest) : wxString();
        if (windows == 0)
            // TRANSLATORS: no open window serves this queue category, so no wait can be predicted.
            r.cells[CaPredicted] = _("no window");
        else
            r.cells[CaPredicted] = minutesText(model::predictedWaitMs(waiting, mean, windows));
        r.cells[CaWindows] = wxString::Format("%d", windows);
        r.tone = waiting > 0 ? Tone::Normal : Tone::Muted;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> ticketRows(const FloorData& f, std::int64_t nowMs)
{
    std::map<std::string, std::size_t> categoryOrder;
    for (std::size_t i = 0; i < f.categories.size(); ++i)
        categoryOrder.emplace(f.categories[i].code, i);
    std::vector<const model::Ticket*> shown;
    for (const auto& t : f.tickets)
        if (t.status == model::TicketStatus::Waiting || t.status == model::TicketStatus::Parked)
            shown.push_back(&t);
    // The order the windows would call them in (chooseNextTicket), parked ones last.
    auto order = [&](const model::Ticket* t) {
        auto it = categoryOrder.find(t->category);
        const int rank = t->status == model::TicketStatus::Parked
            ? 4
            : (!waitingNow(*t, nowMs)
                    ? 3
                    : (t->directed() ? 0 : (t->priority != model::TicketPriority::Normal ? 1 : 2)));
        return std::make_tuple(it == categoryOrder.end() ? categoryOrder.size() : it->second, t->category,
            rank, t->queuedAt, t->number, t->id);
    };
    std::stable_sort(shown.begin(), shown.end(), [&](auto* a, auto* b) { return order(a) < order(b); });

    std::vector<TableRow> rows;
    for (const model::Ticket* t : shown) {
        TableRow r;
        r.key = t->id;
        r.cells.resize(TicketColumns);
        r.cells[TiTicket] = wx(t->display());
        r.cells[TiCategory] = wx(t->category);
        r.cells[TiPriority] = ticketPriorityLabel(t->priority);
        if (t->status == model::TicketStatus::Parked) {
            r.cells[TiWaited] = minutesText(t->waitingMs);
            // TRANSLATORS: where a parked ticket is, e.g. "parked at W01".
            r.cells[TiWhere] = wxString::Format(_("parked at %s"), wx(t->window));
            r.tone = Tone::Muted;
        } else if (!waitingNow(*t, nowMs)) {
            // TRANSLATORS: an appointment whose time has not come, e.g. "booked 14:30".
            r.cells[TiWaited]
                = wxString::Format(_("booked %s"), wxDateTime(wxLongLong(t->appointmentAt)).Format("%H:%M"));
            r.tone = Tone::Muted;
        } else {
            r.cells[TiWaited] = minutesText(waitedMs(*t, nowMs));
        }
        if (t->status == model::TicketStatus::Waiting && t->directed()) {
            wxString where;
            if (!t->targetWindow.empty())
                where = windowText(f, t->targetWindow);
            if (!t->targetStaff.empty())
                where += (where.empty() ? "" : ", ") + nameOf(f, t->targetStaff);
            r.cells[TiWhere] = where;
        }
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> riskRows(const FloorData& f)
{
    std::vector<TableRow> rows;
    for (const auto& c : f.atRisk) {
        TableRow r;
        r.key = c.number;
        r.cells.resize(RiskColumns);
        r.cells[RiNumber] = wx(c.number);
        r.cells[RiApplicant] = wx(c.applicantName);
        r.cells[RiAssignee] = nameOf(f, c.assignee);
        if (auto d = workingDaysUntil(c.deadline))
            r.cells[RiDeadline] = wxString::Format(_("%s (%d wd)"), wx(c.deadline), *d);
        else
            r.cells[RiDeadline] = wx(c.deadline);
        r.tone = overdue(f, c) ? Tone::Bad : Tone::Warning;
        rows.push_back(std::move(r));
    }
    return rows;
}

std::vector<TableRow> conflictRows(const FloorData& f)
{
    std::vector<TableRow> rows;
    for (const auto& c : f.conflicts) {
        TableRow r;
        r.key = c.number;
        r.cells.resize(ConflictColumns);
        r.cells[CoNumber] = wx(c.number);
        r.cells[CoApplicant] = wx(c.applicantName);
        r.cells[CoStatus] = statusLabel(c.status);
        r.cells[CoAssignee] = nameOf(f, c.assignee);
        rows.push_back(std::move(r));
    }
    return rows;
}

wxString floorSummary(const FloorData& f)
{
    int open = 0, serving = 0;
    for (const auto& w : f.windows) {
        open += w.active ? 1 : 0;
        serving += w.active && currentTicketAt(f, w.code) ? 1 : 0;
    }
    // TRANSLATORS: the heading of the floor list: how many of the open windows serve a ticket now.
    return wxString::Format(_("Windows: serving at %d of %d open"), serving, open);
}

} // namespace ow::gui
