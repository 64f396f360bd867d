// What the queue manager's floor console shows, in two halves like CaseView: the floor
// gathered on the worker thread (today's tickets, windows, categories, staff, the cases
// at risk and in conflict), and the table rows made from it on the GUI thread for a
// given instant, so that the clocks tick without asking the database again.
#pragma once

#include "model/Date.h"
#include "model/Permissions.h"
#include "model/Queue.h"

#include "CaseTable.h"
#include "db/Store.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace ow::client {
class Backend;
}

namespace ow::gui {

struct FloorData {
    model::Date today;
    // The last day counted as "at risk": two working days from today (the amber of lists).
    model::Date riskUntil;
    std::vector<model::Ticket> tickets; // today's, in issue order
    std::vector<model::ServiceWindow> windows;
    std::vector<model::QueueCategory> categories;
    std::map<std::string, model::Staff> staff; // every account, by id
    std::vector<db::CaseSummary> atRisk; // running cases due by riskUntil, earliest first
    std::vector<db::CaseSummary> conflicts;
};

// Worker thread.
FloorData loadFloor(client::Backend& backend);
// The last date up to which at most `workingDays` working days lie after `today`.
model::Date lastDayWithin(const model::HolidayCalendar& calendar, model::Date today, int workingDays);

// GUI thread, from here on. `nowMs` is the wall clock in ms since the epoch.

enum FloorColumn { FlWindow, FlName, FlServes, FlStaff, FlTicket, FlTime, FloorColumns };
enum CategoryColumn { CaCategory, CaWaiting, CaLongest, CaPredicted, CaWindows, CategoryColumns };
enum TicketColumn { TiTicket, TiCategory, TiPriority, TiWaited, TiWhere, TicketColumns };
enum RiskColumn { RiNumber, RiApplicant, RiAssignee, RiDeadline, RiskColumns };
enum ConflictColumn { CoNumber, CoApplicant, CoStatus, CoAssignee, ConflictColumns };

// One row per window (key: its code): who serves there today, the current ticket and
// how long it has been served, or how long the window has been idle.
std::vector<TableRow> floorRows(const FloorData& f, std::int64_t nowMs);
// One row per category (key: its code): waiting, longest wait, predicted wait.
std::vector<TableRow> categoryRows(const FloorData& f, std::int64_t nowMs);
// Waiting and parked tickets (key: the ticket id), category by category in calling order.
std::vector<TableRow> ticketRows(const FloorData& f, std::int64_t nowMs);
// Key: the case number. Overdue ones red, the others amber.
std::vector<TableRow> riskRows(const FloorData& f);
std::vector<TableRow> conflictRows(const FloorData& f);

// Tickets that may be called now (appointments only once their time has come).
bool waitingNow(const model::Ticket& t, std::int64_t nowMs);
// The staff member serving at `window` today: of its current ticket, else its last one.
std::string staffAt(const FloorData& f, const std::string& window);
// "王芳 (clerk01)", or the id alone for an unknown account.
wxString personText(const FloorData& f, const std::string& id);
// "王芳": the name alone, for the tables (the id when there is no name).
wxString nameOf(const FloorData& f, const std::string& id);
// The ticket a row of the floor or of the ticket list stands for.
const model::Ticket* ticketById(const FloorData& f, const std::string& id);
const model::Ticket* currentTicketAt(const FloorData& f, const std::string& window);
const db::CaseSummary* caseByNumber(const FloorData& f, const std::string& number);
// The heading of the floor: "Windows: serving at 3 of 12 open".
wxString floorSummary(const FloorData& f);

// "3:05" (minutes:seconds), and "12 min".
wxString clockText(std::int64_t ms);
wxString minutesText(std::int64_t ms);

} // namespace ow::gui
