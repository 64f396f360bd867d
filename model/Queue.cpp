#include "model/Queue.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <tuple>
#include <utility>

namespace ow::model {

namespace {

const std::array<std::pair<TicketStatus, const char*>, 6> kStatuses = {{
    {TicketStatus::Waiting, "waiting"},
    {TicketStatus::Called, "called"},
    {TicketStatus::Parked, "parked"},
    {TicketStatus::Ended, "ended"},
    {TicketStatus::NoShow, "no_show"},
    {TicketStatus::Cancelled, "cancelled"},
}};

const std::array<std::pair<TicketPriority, const char*>, 4> kPriorities = {{
    {TicketPriority::Normal, "normal"},
    {TicketPriority::Elderly, "elderly"},
    {TicketPriority::Disabled, "disabled"},
    {TicketPriority::Appointment, "appointment"},
}};

std::int64_t eventMs(const Event& e)
{
    return hlcWallMs(e.hlc);
}

// Closes the current serving stretch at `at`.
void stopServing(Ticket& t, std::int64_t at)
{
    if (t.status == TicketStatus::Called && t.servingSince > 0)
        t.servingMs += std::max<std::int64_t>(0, at - t.servingSince);
    t.servingSince = 0;
}

} // namespace

bool isTicketEventType(const std::string& type)
{
    return type.rfind("ticket.", 0) == 0;
}

std::string toString(TicketStatus s)
{
    for (const auto& [v, name] : kStatuses)
        if (v == s)
            return name;
    return "waiting";
}

std::optional<TicketStatus> ticketStatusFromString(const std::string& s)
{
    for (const auto& [v, name] : kStatuses)
        if (s == name)
            return v;
    return std::nullopt;
}

std::string toString(TicketPriority p)
{
    for (const auto& [v, name] : kPriorities)
        if (v == p)
            return name;
    return "normal";
}

std::optional<TicketPriority> ticketPriorityFromString(const std::string& s)
{
    for (const auto& [v, name] : kPriorities)
        if (s == name)
            return v;
    return std::nullopt;
}

bool isFinished(TicketStatus s)
{
    return s == TicketStatus::Ended || s == TicketStatus::NoShow || s == TicketStatus::Cancelled;
}

std::string formatTicketId(const std::string& centre, Date day, const std::string& category, int number)
{
    char digits[16];
    std::snprintf(digits, sizeof digits, "%03d", number);
    return centre + "-" + day.compact() + "-" + category + digits;
}

std::string formatLocalTicketId(
    const std::string& centre, Date day, const std::string& window, const std::string& category, int number)
{
    return formatTicketId(centre, day, window + "-" + category, number);
}

std::string Ticket::display() const
{
    // The number on the applicant's slip: a ticket passed on to another category keeps it.
    // A walk-in recorded offline shows its window too (its number is the window's own).
    if (const auto dash = id.rfind('-'); dash != std::string::npos && dash + 1 < id.size()) {
        const std::string prefix = centre + "-" + day.compact() + "-";
        if (!centre.empty() && id.rfind(prefix, 0) == 0)
            return id.substr(prefix.size());
        return id.substr(dash + 1);
    }
    char digits[16];
    std::snprintf(digits, sizeof digits, "%03d", number);
    return issuedCategory + digits;
}

Json Ticket::toJson() const
{
    Json j = Json::object();
    j["id"] = id;
    j["number"] = display();
    j["centre"] = centre;
    j["day"] = day.iso();
    j["category"] = category;
    j["issuedCategory"] = issuedCategory;
    j["sequence"] = number;
    j["priority"] = toString(priority);
    j["walkIn"] = walkIn;
    j["issuedAt"] = issuedAt;
    j["appointmentAt"] = appointmentAt;
    j["queuedAt"] = queuedAt;
    j["status"] = toString(status);
    j["window"] = window;
    j["staff"] = staff;
    j["targetWindow"] = targetWindow;
    j["targetStaff"] = targetStaff;
    j["case"] = caseNumber;
    j["draft"] = draft;
    j["recalls"] = recalls;
    j["transfers"] = transfers;
    j["firstCalledAt"] = firstCalledAt;
    j["servingSince"] = servingSince;
    j["endedAt"] = endedAt;
    j["waitingMs"] = waitingMs;
    j["servingMs"] = servingMs;
    return j;
}

Ticket Ticket::fromJson(const Json& j)
{
    Ticket t;
    t.id = j.getString("id");
    t.centre = j.getString("centre");
    t.day = Date::fromIso(j.getString("day")).value_or(Date());
    t.category = j.getString("category");
    t.issuedCategory = j.getString("issuedCategory", t.category);
    t.number = static_cast<int>(j.getInt("sequence"));
    t.priority = ticketPriorityFromString(j.getString("priority")).value_or(TicketPriority::Normal);
    t.walkIn = j.getBool("walkIn");
    t.issuedAt = j.getInt("issuedAt");
    t.appointmentAt = j.getInt("appointmentAt");
    t.queuedAt = j.getInt("queuedAt");
    t.status = ticketStatusFromString(j.getString("status")).value_or(TicketStatus::Waiting);
    t.window = j.getString("window");
    t.staff = j.getString("staff");
    t.targetWindow = j.getString("targetWindow");
    t.targetStaff = j.getString("targetStaff");
    t.caseNumber = j.getString("case");
    if (const Json* d = j.get("draft"))
        t.draft = *d;
    t.recalls = static_cast<int>(j.getInt("recalls"));
    t.transfers = static_cast<int>(j.getInt("transfers"));
    t.firstCalledAt = j.getInt("firstCalledAt");
    t.servingSince = j.getInt("servingSince");
    t.endedAt = j.getInt("endedAt");
    t.waitingMs = j.getInt("waitingMs");
    t.servingMs = j.getInt("servingMs");
    return t;
}

Ticket ticketFromIssued(const Event& e)
{
    Ticket t;
    t.id = e.body.getString("ticket");
    t.centre = e.body.getString("centre");
    t.day = Date::fromCompact(e.body.getString("day")).value_or(Date());
    t.category = e.body.getString("category");
    t.issuedCategory = t.category;
    t.number = static_cast<int>(e.body.getInt("number"));
    t.priority = ticketPriorityFromString(e.body.getString("priority")).value_or(TicketPriority::Normal);
    t.walkIn = e.body.getBool("walkIn");
    t.issuedAt = eventMs(e);
    t.appointmentAt = e.body.getInt("appointmentAt");
    t.queuedAt = t.appointmentAt > 0 ? t.appointmentAt : t.issuedAt;
    t.caseNumber = e.body.getString("case");
    return t;
}

Ticket applyTicketEvent(Ticket t, const Event& e)
{
    const std::int64_t at = eventMs(e);
    const std::string& type = e.type;
    if (type == TicketEvent::Issued)
        return t.id.empty() ? ticketFromIssued(e) : t;
    if (type == TicketEvent::Called) {
        if (t.status == TicketStatus::Waiting) {
            t.waitingMs += std::max<std::int64_t>(0, at - t.queuedAt);
            if (t.firstCalledAt == 0)
                t.firstCalledAt = at;
        } else if (t.status != TicketStatus::Parked) {
            return t;
        }
        t.status = TicketStatus::Called;
        t.servingSince = at;
        t.window = e.body.getString("window");
        t.staff = e.body.getString("staff");
        t.targetWindow.clear();
        t.targetStaff.clear();
    } else if (type == TicketEvent::Recalled) {
        if (t.status == TicketStatus::Called)
            ++t.recalls;
    } else if (type == TicketEvent::NoShow) {
        if (t.status != TicketStatus::Called)
            return t;
        t.servingSince = 0; // nobody was served
        t.status = TicketStatus::NoShow;
        t.endedAt = at;
    } else if (type == TicketEvent::Parked) {
        if (t.status != TicketStatus::Called)
            return t;
        stopServing(t, at);
        t.status = TicketStatus::Parked;
    } else if (type == TicketEvent::Transferred) {
        if (isFinished(t.status))
            return t;
        stopServing(t, at);
        t.status = TicketStatus::Waiting;
        t.queuedAt = at;
        t.targetWindow = e.body.getString("toWindow");
        t.targetStaff = e.body.getString("toStaff");
        if (std::string c = e.body.getString("toCategory"); !c.empty())
            t.category = c;
        if (std::string c = e.body.getString("case"); !c.empty())
            t.caseNumber = c;
        if (const Json* d = e.body.get("draft"))
            t.draft = *d;
        ++t.transfers;
    } else if (type == TicketEvent::Ended) {
        if (t.status != TicketStatus::Called && t.status != TicketStatus::Parked)
            return t;
        stopServing(t, at);
        t.status = TicketStatus::Ended;
        t.endedAt = at;
        if (std::string c = e.body.getString("case"); !c.empty())
            t.caseNumber = c;
        t.draft = Json();
    } else if (type == TicketEvent::Cancelled) {
        if (t.status != TicketStatus::Waiting)
            return t;
        t.status = TicketStatus::Cancelled;
        t.endedAt = at;
    }
    return t;
}

bool windowServesCategory(const ServiceWindow& window, const std::string& category)
{
    if (!window.active)
        return false;
    return std::any_of(window.categories.begin(), window.categories.end(),
        [&](const std::string& c) { return c == kGeneralCategory || c == category; });
}

std::optional<Ticket> chooseNextTicket(const std::vector<Ticket>& waiting, const ServiceWindow& window,
    const std::string& staff, std::int64_t nowMs)
{
    const Ticket* best = nullptr;
    auto key = [&](const Ticket& t) {
        int rank = t.directed() ? 0 : (t.priority != TicketPriority::Normal ? 1 : 2);
        return std::make_tuple(rank, t.queuedAt, t.number, t.id);
    };
    for (const auto& t : waiting) {
        if (t.status != TicketStatus::Waiting)
            continue;
        if (t.appointmentAt > 0 && t.appointmentAt > nowMs)
            continue;
        if (t.directed()) {
            if (!t.targetStaff.empty() && t.targetStaff != staff)
                continue;
            if (!t.targetWindow.empty() && t.targetWindow != window.code)
                continue;
        } else if (!windowServesCategory(window, t.category)) {
            continue;
        }
        if (!best || key(t) < key(*best))
            best = &t;
    }
    if (!best)
        return std::nullopt;
    return *best;
}

std::int64_t predictedWaitMs(int ticketsAhead, std::int64_t meanServingMs, int windowsServing)
{
    if (ticketsAhead <= 0)
        return 0;
    // Each window takes its share of those ahead, one mean service each.
    return ticketsAhead * std::max<std::int64_t>(0, meanServingMs) / std::max(1, windowsServing);
}

} // namespace ow::model
