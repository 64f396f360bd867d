// The queue at the counter: issuing tickets (kiosk, appointment, walk-in), calling the
// next one, recalling, no-shows, parking, passing a ticket on with its half-done work,
// and ending the service. Every change is decided under the hall's lock on the shared
// database (HallStore), so two windows calling at the same instant get different people.
#pragma once

#include "model/Applicant.h"
#include "model/Catalogue.h"
#include "model/HybridClock.h"
#include "model/Queue.h"
#include "model/Repositories.h"

#include <optional>
#include <string>
#include <vector>

namespace ow::model {

struct HallSetup {
    std::vector<QueueCategory> categories;
    std::vector<ServiceWindow> windows;
    int elderlyAge = 60; // applicants this old or older get priority
};

// Where a ticket goes when it is passed on: a window, a staff member, another category,
// or a combination (empty parts: anyone).
struct TicketTarget {
    std::string window;
    std::string staff;
    std::string category;
};

struct CallResult {
    std::optional<Ticket> ended; // the window's previous ticket, ended by this call
    std::optional<Ticket> called; // nothing when nobody is waiting for this window
};

// Elderly when the applicant's ID shows them `elderlyAge` or older on `on`.
TicketPriority priorityFor(const Applicant& applicant, Date on, int elderlyAge = 60);

class QueueService {
public:
    QueueService(HallStore& hall, const StaffDirectory& staff, const EventStore& cases,
        const Catalogue& catalogue, HallSetup setup, PhysicalClock now, std::string centre);

    // Throws "queue.unknown_category", "queue.band_exhausted" (facts category, last),
    // "queue.appointment_in_past". An appointment's ticket is for its day and is called
    // once its time has come.
    Ticket issue(const std::string& actor, const std::string& category,
        TicketPriority priority = TicketPriority::Normal, std::int64_t appointmentAt = 0);
    // A ticket taken by the applicant at a kiosk (a public device: no staff permission);
    // recorded with the actor "kiosk:<kioskId>".
    Ticket issueAtKiosk(const std::string& kioskId, const std::string& category,
        TicketPriority priority = TicketPriority::Normal);
    // Ends the window's current ticket (recording `endedCase`, the case it led to, if
    // any), then claims the next one for it. Throws "queue.unknown_window" (facts window).
    CallResult callNext(
        const std::string& actor, const std::string& window, const std::string& endedCase = {});
    // Serve someone without a ticket: issues one and calls it to this window at once. While
    // the shared hall does not answer ("queue.offline") the walk-in is recorded on this
    // node's copy of the hall with a number of the window's own (formatLocalTicketId), and
    // `end` of one's own ticket is recorded there too; every other change is refused.
    Ticket walkIn(const std::string& actor, const std::string& window, const std::string& category,
        TicketPriority priority = TicketPriority::Normal);
    Ticket recall(const std::string& actor, const std::string& ticketId);
    Ticket noShow(const std::string& actor, const std::string& ticketId);
    Ticket park(const std::string& actor, const std::string& ticketId);
    // Takes a parked ticket back to `window` (ending the window's current one first).
    Ticket resumeParked(const std::string& actor, const std::string& window, const std::string& ticketId);
    Ticket end(const std::string& actor, const std::string& ticketId, const std::string& caseNumber = {});
    // Back into the queue of the target, carrying its case or half-done intake. Passing
    // on one's own current ticket needs CallTicket, anybody else's MoveTicket. Throws
    // "queue.target_cannot_serve" (facts window, category or matter),
    // "queue.unknown_staff", "queue.staff_cannot_serve" (facts staff).
    Ticket transfer(const std::string& actor, const std::string& ticketId, const TicketTarget& target,
        const std::string& caseNumber = {}, Json draft = Json());
    Ticket cancel(const std::string& actor, const std::string& ticketId);

    std::optional<Ticket> find(const std::string& ticketId) const { return m_hall.findTicket(ticketId); }
    // Today's tickets (China Standard Time), in issue order.
    std::vector<Ticket> today() const;
    // The ticket this window is serving now, if any.
    std::optional<Ticket> currentAt(const std::string& window) const;
    const HallSetup& setup() const { return m_setup; }
    Date todayDate() const;

private:
    Ticket issueAs(const std::string& actor, const std::string& category, TicketPriority priority,
        std::int64_t appointmentAt);
    Staff authorise(const std::string& actor, Action action) const;
    const ServiceWindow& windowOf(const std::string& code) const;
    const QueueCategory& categoryOf(const std::string& code) const;
    // The ticket as the plan sees it; throws "queue.ticket_not_found".
    static Ticket loadIn(HallReader& reader, const std::string& id);
    // Own ticket with CallTicket, or anybody's with MoveTicket; throws "queue.not_your_ticket".
    void requireOwnOrMove(const Staff& staff, const Ticket& ticket) const;
    static void requireStatus(
        const Ticket& ticket, std::initializer_list<TicketStatus> allowed, const char* action);
    NewEvent event(
        const char* type, const std::string& actor, const std::string& ticketId, Json body = {}) const;
    // The ticket.issued event of the category's next free number on `day` (its id in `id`);
    // throws "queue.band_exhausted".
    NewEvent issuedEvent(HallReader& reader, const std::string& actor, const QueueCategory& category,
        Date day, TicketPriority priority, std::int64_t appointmentAt, bool walkIn, std::string& id,
        const std::string& offlineWindow = {}) const;
    // The ticket as the hall holds it after a change; "queue.ticket_not_found" if it does not.
    Ticket stored(const std::string& ticketId) const;
    // Ends the ticket `window` is serving on `day`, if any (recording `caseNumber`);
    // returns its id, "" when none.
    std::string endCurrent(HallReader& reader, const std::string& actor, const std::string& window, Date day,
        std::vector<NewEvent>& out, const std::string& caseNumber = {}) const;
    NewEvent calledEvent(
        const std::string& actor, const std::string& window, const std::string& ticketId) const;
    // Writes one change to one ticket and returns it as stored.
    Ticket changeTicket(const std::string& actor, const std::string& ticketId, Action action,
        std::initializer_list<TicketStatus> allowed, const char* type, Json body = {});
    void checkTarget(const Ticket& ticket, const TicketTarget& target, const std::string& caseNumber) const;

    HallStore& m_hall;
    const StaffDirectory& m_staff;
    const EventStore& m_cases;
    const Catalogue& m_catalogue;
    HallSetup m_setup;
    PhysicalClock m_now;
    std::string m_centre;
};

} // namespace ow::model
