#include "model/QueueService.h"

#include "model/Error.h"
#include "model/Log.h"
#include "model/Repositories.h"

#include <algorithm>
#include <spdlog/spdlog.h>

namespace ow::model {

namespace {

// lastNumber() goes by the category a ticket is in now, so a ticket passed on to another
// category still holds its number (and id) in its first one: skip numbers already taken.
int nextFreeNumber(HallReader& reader, const std::string& centre, Date day, const QueueCategory& cat)
{
    int number = std::max(reader.lastNumber(day, cat.code) + 1, cat.firstNumber);
    while (number <= cat.lastNumber && reader.ticket(formatTicketId(centre, day, cat.code, number)))
        ++number;
    return number;
}

} // namespace

TicketPriority priorityFor(const Applicant& applicant, Date on, int elderlyAge)
{
    return isElderly(applicant, on, elderlyAge) ? TicketPriority::Elderly : TicketPriority::Normal;
}

QueueService::QueueService(HallStore& hall, const StaffDirectory& staff, const EventStore& cases,
    const Catalogue& catalogue, HallSetup setup, PhysicalClock now, std::string centre)
    : m_hall(hall)
    , m_staff(staff)
    , m_cases(cases)
    , m_catalogue(catalogue)
    , m_setup(std::move(setup))
    , m_now(now ? std::move(now) : systemPhysicalClock())
    , m_centre(std::move(centre))
{
}

Date QueueService::todayDate() const
{
    return chinaDate(m_now());
}

Staff QueueService::authorise(const std::string& actor, Action action) const
{
    auto staff = m_staff.findStaff(actor);
    if (!staff) {
        logger()->info("refused {}: unknown actor {}", toString(action), actor);
        throw DomainError("permission.unknown_actor", {{"actor", actor}, {"action", toString(action)}});
    }
    requirePermission(*staff, action);
    return *staff;
}

const ServiceWindow& QueueService::windowOf(const std::string& code) const
{
    for (const auto& w : m_setup.windows)
        if (w.code == code && w.active)
            return w;
    throw DomainError("queue.unknown_window", {{"window", code}});
}

const QueueCategory& QueueService::categoryOf(const std::string& code) const
{
    for (const auto& c : m_setup.categories)
        if (c.code == code)
            return c;
    throw DomainError("queue.unknown_category", {{"category", code}});
}

Ticket QueueService::loadIn(HallReader& reader, const std::string& id)
{
    auto t = reader.ticket(id);
    if (!t)
        throw DomainError("queue.ticket_not_found", {{"ticket", id}});
    return *t;
}

void QueueService::requireOwnOrMove(const Staff& staff, const Ticket& ticket) const
{
    if (ticket.staff == staff.id && staff.can(Action::CallTicket))
        return;
    if (staff.can(Action::MoveTicket))
        return;
    throw DomainError("queue.not_your_ticket", {{"ticket", ticket.display()}, {"staff", ticket.staff}});
}

void QueueService::requireStatus(
    const Ticket& ticket, std::initializer_list<TicketStatus> allowed, const char* action)
{
    if (std::find(allowed.begin(), allowed.end(), ticket.status) == allowed.end())
        throw DomainError("queue.ticket_state",
            {{"ticket", ticket.display()}, {"status", toString(ticket.status)}, {"action", action}});
}

NewEvent QueueService::event(
    const char* type, const std::string& actor, const std::string& ticketId, Json body) const
{
    if (!body.isObject())
        body = Json::object();
    body["ticket"] = ticketId;
    return NewEvent{type, "", actor, {}, std::move(body)};
}

NewEvent QueueService::issuedEvent(HallReader& reader, const std::string& actor,
    const QueueCategory& category, Date day, TicketPriority priority, std::int64_t appointmentAt, bool walkIn,
    std::string& id, const std::string& offlineWindow) const
{
    int number = 0;
    if (offlineWindow.empty()) {
        number = nextFreeNumber(reader, m_centre, day, category);
        if (number > category.lastNumber)
            throw DomainError("queue.band_exhausted",
                {{"category", category.code}, {"last", std::to_string(category.lastNumber)}});
        id = formatTicketId(m_centre, day, category.code, number);
    } else {
        // Numbered per window outside the band; number 0 keeps it out of the band's count.
        int local = 1;
        while (reader.ticket(formatLocalTicketId(m_centre, day, offlineWindow, category.code, local)))
            ++local;
        id = formatLocalTicketId(m_centre, day, offlineWindow, category.code, local);
    }
    Json body = Json::object();
    body["centre"] = m_centre;
    body["day"] = day.compact();
    body["category"] = category.code;
    body["number"] = number;
    if (!offlineWindow.empty())
        body["offline"] = true;
    body["priority"] = toString(priority);
    if (appointmentAt > 0)
        body["appointmentAt"] = appointmentAt;
    if (walkIn)
        body["walkIn"] = true;
    return event(TicketEvent::Issued, actor, id, std::move(body));
}

std::string QueueService::endCurrent(HallReader& reader, const std::string& actor, const std::string& window,
    Date day, std::vector<NewEvent>& out, const std::string& caseNumber) const
{
    std::string ended;
    for (const auto& t : reader.unfinished(day))
        if (t.status == TicketStatus::Called && t.window == window) {
            ended = t.id;
            Json body = Json::object();
            if (!caseNumber.empty())
                body["case"] = caseNumber;
            out.push_back(event(TicketEvent::Ended, actor, t.id, std::move(body)));
        }
    return ended;
}

NewEvent QueueService::calledEvent(
    const std::string& actor, const std::string& window, const std::string& ticketId) const
{
    Json body = Json::object();
    body["window"] = window;
    body["staff"] = actor;
    return event(TicketEvent::Called, actor, ticketId, std::move(body));
}

Ticket QueueService::issue(const std::string& actor, const std::string& category, TicketPriority priority,
    std::int64_t appointmentAt)
{
    authorise(actor, Action::IssueTicket);
    return issueAs(actor, category, priority, appointmentAt);
}

Ticket QueueService::issueAtKiosk(
    const std::string& kioskId, const std::string& category, TicketPriority priority)
{
    if (kioskId.empty() || kioskId.size() > 40)
        throw DomainError("queue.kiosk_invalid", {{"kiosk", kioskId}});
    return issueAs("kiosk:" + kioskId, category, priority, 0);
}

Ticket QueueService::issueAs(const std::string& actor, const std::string& category, TicketPriority priority,
    std::int64_t appointmentAt)
{
    const QueueCategory& cat = categoryOf(category);
    const std::int64_t now = m_now();
    if (appointmentAt > 0 && chinaDate(appointmentAt) < chinaDate(now))
        throw DomainError("queue.appointment_in_past", {{"appointment", chinaDate(appointmentAt).iso()}});
    if (appointmentAt > 0)
        priority = TicketPriority::Appointment;
    const Date day = appointmentAt > 0 ? chinaDate(appointmentAt) : chinaDate(now);
    std::string id;
    m_hall.appendToHall([&](HallReader& reader) {
        return std::vector<NewEvent>{
            issuedEvent(reader, actor, cat, day, priority, appointmentAt, false, id)};
    });
    logger()->info("ticket {} issued by {}", id, actor);
    return stored(id);
}

CallResult QueueService::callNext(
    const std::string& actor, const std::string& window, const std::string& endedCase)
{
    authorise(actor, Action::CallTicket);
    const ServiceWindow& w = windowOf(window);
    const Date day = todayDate();
    std::string endedId, calledId;
    m_hall.appendToHall([&](HallReader& reader) {
        std::vector<NewEvent> out;
        endedId = endCurrent(reader, actor, window, day, out, endedCase);
        if (auto next = chooseNextTicket(reader.unfinished(day), w, actor, m_now())) {
            calledId = next->id;
            out.push_back(calledEvent(actor, window, next->id));
        }
        return out;
    });
    CallResult result;
    if (!endedId.empty())
        result.ended = m_hall.findTicket(endedId);
    if (!calledId.empty()) {
        result.called = m_hall.findTicket(calledId);
        logger()->info("ticket {} called to {} by {}", calledId, window, actor);
    }
    return result;
}

Ticket QueueService::walkIn(
    const std::string& actor, const std::string& window, const std::string& category, TicketPriority priority)
{
    authorise(actor, Action::CallTicket);
    const ServiceWindow& w = windowOf(window);
    const QueueCategory& cat = categoryOf(category);
    if (!windowServesCategory(w, category))
        throw DomainError("queue.target_cannot_serve", {{"window", window}, {"category", category}});
    const Date day = todayDate();
    std::string id;
    const auto plan = [&](const std::string& offlineWindow) {
        return [&, offlineWindow](HallReader& reader) {
            std::vector<NewEvent> out;
            endCurrent(reader, actor, window, day, out);
            out.push_back(issuedEvent(reader, actor, cat, day, priority, 0, true, id, offlineWindow));
            out.push_back(calledEvent(actor, window, id));
            return out;
        };
    };
    try {
        m_hall.appendToHall(plan({}));
    } catch (const DomainError& e) {
        // Nobody else can claim a person served at one's own window: while the shared
        // hall does not answer, the service is recorded on this node's copy.
        if (e.code() != "queue.offline")
            throw;
        // The ticket as the events just written make it: nothing is read back.
        Ticket local;
        for (const auto& written : m_hall.appendLocally(plan(window)))
            if (written.body.getString("ticket") == id)
                local = applyTicketEvent(std::move(local), written);
        logger()->info("walk-in ticket {} recorded offline at {} by {}", id, window, actor);
        return local;
    }
    logger()->info("walk-in ticket {} served at {} by {}", id, window, actor);
    return stored(id);
}

Ticket QueueService::stored(const std::string& ticketId) const
{
    auto t = m_hall.findTicket(ticketId);
    if (!t)
        throw DomainError("queue.ticket_not_found", {{"ticket", ticketId}});
    return *t;
}

Ticket QueueService::changeTicket(const std::string& actor, const std::string& ticketId, Action action,
    std::initializer_list<TicketStatus> allowed, const char* type, Json body)
{
    const Staff staff = authorise(actor, action);
    const auto plan = [&](HallReader& reader) {
        Ticket t = loadIn(reader, ticketId);
        requireStatus(t, allowed, type);
        requireOwnOrMove(staff, t);
        return std::vector<NewEvent>{event(type, actor, ticketId, body)};
    };
    try {
        m_hall.appendToHall(plan);
    } catch (const DomainError& e) {
        // Ending the service of the person at one's own window claims nobody: while the
        // shared hall does not answer it is recorded on this node's copy.
        const bool own = std::string(type) == TicketEvent::Ended && m_hall.findTicket(ticketId)
            && m_hall.findTicket(ticketId)->staff == actor;
        if (e.code() != "queue.offline" || !own)
            throw;
        m_hall.appendLocally(plan);
    }
    logger()->info("{} {} by {}", type, ticketId, actor);
    return stored(ticketId);
}

Ticket QueueService::recall(const std::string& actor, const std::string& ticketId)
{
    return changeTicket(actor, ticketId, Action::CallTicket, {TicketStatus::Called}, TicketEvent::Recalled);
}

Ticket QueueService::noShow(const std::string& actor, const std::string& ticketId)
{
    return changeTicket(actor, ticketId, Action::CallTicket, {TicketStatus::Called}, TicketEvent::NoShow);
}

Ticket QueueService::park(const std::string& actor, const std::string& ticketId)
{
    return changeTicket(actor, ticketId, Action::CallTicket, {TicketStatus::Called}, TicketEvent::Parked);
}

Ticket QueueService::end(const std::string& actor, const std::string& ticketId, const std::string& caseNumber)
{
    Json body = Json::object();
    if (!caseNumber.empty())
        body["case"] = caseNumber;
    return changeTicket(actor, ticketId, Action::CallTicket, {TicketStatus::Called, TicketStatus::Parked},
        TicketEvent::Ended, std::move(body));
}

Ticket QueueService::resumeParked(
    const std::string& actor, const std::string& window, const std::string& ticketId)
{
    const Staff staff = authorise(actor, Action::CallTicket);
    windowOf(window);
    const Date day = todayDate();
    m_hall.appendToHall([&](HallReader& reader) {
        Ticket t = loadIn(reader, ticketId);
        requireStatus(t, {TicketStatus::Parked}, TicketEvent::Called);
        requireOwnOrMove(staff, t);
        std::vector<NewEvent> out;
        endCurrent(reader, actor, window, day, out);
        out.push_back(calledEvent(actor, window, ticketId));
        return out;
    });
    return stored(ticketId);
}

void QueueService::checkTarget(
    const Ticket& ticket, const TicketTarget& target, const std::string& caseNumber) const
{
    const std::string category = target.category.empty() ? ticket.category : target.category;
    categoryOf(category);
    if (target.window.empty() && target.staff.empty() && target.category.empty())
        throw DomainError("queue.no_target", {{"ticket", ticket.display()}});
    if (!target.window.empty()) {
        const ServiceWindow& w = windowOf(target.window);
        if (!windowServesCategory(w, category))
            throw DomainError(
                "queue.target_cannot_serve", {{"window", target.window}, {"category", category}});
        // The case it carries must be one this window can take on, matter by matter.
        const std::string number = caseNumber.empty() ? ticket.caseNumber : caseNumber;
        if (!number.empty())
            if (auto state = m_cases.findCase(number))
                for (const auto& m : state->matters)
                    if (const ServiceMatter* matter = m_catalogue.findMatter(m.code);
                        matter && !windowServes(w, *matter))
                        throw DomainError(
                            "queue.target_cannot_serve", {{"window", target.window}, {"matter", m.code}});
    }
    if (!target.staff.empty()) {
        auto staff = m_staff.findStaff(target.staff);
        if (!staff)
            throw DomainError("queue.unknown_staff", {{"staff", target.staff}});
        if (!staff->active || !staff->can(Action::CallTicket))
            throw DomainError("queue.staff_cannot_serve", {{"staff", target.staff}});
    }
}

Ticket QueueService::transfer(const std::string& actor, const std::string& ticketId,
    const TicketTarget& target, const std::string& caseNumber, Json draft)
{
    const auto staff = m_staff.findStaff(actor);
    if (!staff)
        throw DomainError("permission.unknown_actor", {{"actor", actor}, {"action", "call_ticket"}});
    if (!staff->can(Action::CallTicket) && !staff->can(Action::MoveTicket))
        requirePermission(*staff, Action::MoveTicket);
    m_hall.appendToHall([&](HallReader& reader) {
        Ticket t = loadIn(reader, ticketId);
        // Waiting tickets belong to nobody: only a queue manager moves them.
        const bool own = t.staff == actor && t.status != TicketStatus::Waiting;
        if (!own)
            requirePermission(*staff, Action::MoveTicket);
        requireStatus(
            t, {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Parked}, TicketEvent::Transferred);
        checkTarget(t, target, caseNumber);
        Json body = Json::object();
        if (!target.window.empty())
            body["toWindow"] = target.window;
        if (!target.staff.empty())
            body["toStaff"] = target.staff;
        if (!target.category.empty() && target.category != t.category)
            body["toCategory"] = target.category;
        if (!caseNumber.empty())
            body["case"] = caseNumber;
        if (!draft.isNull())
            body["draft"] = std::move(draft);
        return std::vector<NewEvent>{event(TicketEvent::Transferred, actor, ticketId, std::move(body))};
    });
    logger()->info("ticket {} passed on by {} (window '{}', staff '{}', category '{}')", ticketId, actor,
        target.window, target.staff, target.category);
    return stored(ticketId);
}

Ticket QueueService::cancel(const std::string& actor, const std::string& ticketId)
{
    authorise(actor, Action::IssueTicket);
    m_hall.appendToHall([&](HallReader& reader) {
        Ticket t = loadIn(reader, ticketId);
        requireStatus(t, {TicketStatus::Waiting}, TicketEvent::Cancelled);
        return std::vector<NewEvent>{event(TicketEvent::Cancelled, actor, ticketId)};
    });
    return stored(ticketId);
}

std::vector<Ticket> QueueService::today() const
{
    return m_hall.hallTickets(todayDate());
}

std::optional<Ticket> QueueService::currentAt(const std::string& window) const
{
    for (const auto& t : today())
        if (t.status == TicketStatus::Called && t.window == window)
            return t;
    return std::nullopt;
}

} // namespace ow::model
