// The hall's queue: tickets (号票) per category, with priority classes and appointments,
// called by windows, recalled, parked, transferred and ended. A ticket's life is a
// stream of ticket.* events (no case number; the ticket id is in the body), claimed under
// one lock on the shared database so two windows never call the same person; its current
// state is applyTicketEvent() folded over them in arrival order.
#pragma once

#include "model/CentreSetup.h"
#include "model/Date.h"
#include "model/Event.h"
#include "model/Json.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

namespace TicketEvent {
inline constexpr const char* Issued = "ticket.issued"; // at a kiosk, a window (walk-in) or booked
inline constexpr const char* Called = "ticket.called"; // to a window; also a parked ticket taken back
inline constexpr const char* Recalled = "ticket.recalled"; // announced again
inline constexpr const char* NoShow = "ticket.no_show";
inline constexpr const char* Parked = "ticket.parked"; // the applicant stepped away (copies, a signature)
inline constexpr const char* Transferred
    = "ticket.transferred"; // back to the queue of a window, category or staff member
inline constexpr const char* Ended = "ticket.ended"; // service finished
inline constexpr const char* Cancelled = "ticket.cancelled"; // an appointment called off before its time
} // namespace TicketEvent

bool isTicketEventType(const std::string& type);

enum class TicketStatus { Waiting, Called, Parked, Ended, NoShow, Cancelled };
enum class TicketPriority { Normal, Elderly, Disabled, Appointment };

std::string toString(TicketStatus);
std::optional<TicketStatus> ticketStatusFromString(const std::string&);
std::string toString(TicketPriority);
std::optional<TicketPriority> ticketPriorityFromString(const std::string&);
bool isFinished(TicketStatus);

struct Ticket {
    std::string id; // "<centre>-<yyyymmdd>-A001": unique across centres and days
    std::string centre;
    Date day;
    std::string category; // the queue it waits in now (a transfer may change it)
    std::string issuedCategory; // the category its number was issued in (the slip's letter)
    int number = 0;
    TicketPriority priority = TicketPriority::Normal;
    bool walkIn = false; // served at once by the window that issued it (no ticket taken)
    std::int64_t issuedAt = 0; // ms since the epoch
    std::int64_t appointmentAt = 0; // an appointment's time; 0 for walk-ins and kiosk tickets
    std::int64_t queuedAt = 0; // when it (re)entered the queue: issue, appointment or transfer time
    TicketStatus status = TicketStatus::Waiting;
    // Where it is served (Called, Parked, Ended) or was last served.
    std::string window;
    std::string staff;
    // A transfer's destination while it waits again; empty: anyone serving the category.
    std::string targetWindow;
    std::string targetStaff;
    std::string caseNumber; // the case it carries, once there is one
    Json draft; // a half-done intake carried by a transfer (null when none)
    int recalls = 0;
    int transfers = 0;
    std::int64_t firstCalledAt = 0;
    std::int64_t servingSince = 0; // start of the current serving stretch (Called)
    std::int64_t endedAt = 0;
    std::int64_t waitingMs = 0; // time spent waiting, summed over every stretch in the queue
    std::int64_t servingMs = 0; // summed over every stretch at a window

    std::string display() const; // "A001"; "W01-A001" for a walk-in recorded offline
    bool directed() const { return !targetWindow.empty() || !targetStaff.empty(); }

    Json toJson() const;
    static Ticket fromJson(const Json&); // lenient: the projection's own rows
};

// "<centre>-<yyyymmdd>-<category><number, 3 digits>".
std::string formatTicketId(const std::string& centre, Date day, const std::string& category, int number);
// A walk-in recorded at a window while the shared hall did not answer: numbered per
// window and day outside the category's band, "<centre>-<yyyymmdd>-<window>-<category><nnn>",
// so it can never collide with a ticket the hall issued.
std::string formatLocalTicketId(
    const std::string& centre, Date day, const std::string& window, const std::string& category, int number);

// The ticket after one of its events; `at` is the event's wall time (ms). Events a state
// does not allow (a call of an ended ticket, say) leave it unchanged: the services check
// before they write, and a replica must not fail on what the shared database accepted.
Ticket applyTicketEvent(Ticket ticket, const Event& event);
// A new ticket from its ticket.issued event.
Ticket ticketFromIssued(const Event& event);

// Which waiting ticket `window` (staffed by `staff`) calls next at `nowMs`: tickets
// transferred to this staff member or window first, then the priority classes
// (disabled, elderly and appointments once their time has come, alike), then everyone
// else; within each, the earliest queue time, then the lowest number. Appointments are not called before
// their time. `waiting` may hold tickets of any state; only Waiting ones count.
std::optional<Ticket> chooseNextTicket(const std::vector<Ticket>& waiting, const ServiceWindow& window,
    const std::string& staff, std::int64_t nowMs);

// Whether this window may serve a ticket of `category` (its own or the general one).
bool windowServesCategory(const ServiceWindow& window, const std::string& category);

// Predicted wait in ms for a ticket joining a category now: the tickets ahead of it
// times the recent mean serving time, shared among the windows serving it.
std::int64_t predictedWaitMs(int ticketsAhead, std::int64_t meanServingMs, int windowsServing);

} // namespace ow::model
