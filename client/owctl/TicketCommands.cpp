// Queue tickets from the command line: issue, call, list, recall, no-show, park, resume,
// end, cancel and transfer, through the queue service. A ticket is claimed under the
// hall's lock on the shared database (--db), so these commands never write through
// --replica: a replica cannot promise that no other window calls the same person.
#include "model/CaseNumber.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/QueueService.h"

#include "Commands.h"
#include "Messages.h"
#include "Output.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <functional>
#include <map>
#include <optional>

namespace ow::owctl {

namespace {

using model::Json;
using model::Ticket;
using model::TicketPriority;
using model::TicketStatus;

constexpr std::int64_t kMsPerMinute = 60'000;
constexpr std::int64_t kMsPerDay = 86'400'000;
constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000; // China Standard Time, no daylight saving
constexpr const char* kDefaultKiosk = "owctl";

// The option or argument each kind of refusal is about, so the one line names the field.
struct Fields {
    std::string actor = "--staff";
    std::string category = "category";
    std::string window = "--window";
};

std::string joined(const std::vector<std::string>& items)
{
    std::string out;
    for (const auto& s : items)
        out += (out.empty() ? "" : ", ") + s;
    return out;
}

std::unique_ptr<db::Store> openShared(const Context& ctx)
{
    try {
        return openDatabase("the shared database", ctx.connectionString(), storeOptions(false, true));
    } catch (const Failure& e) {
        throw Failure(ctx.subject(),
            "cannot open " + e.subject() + ": " + e.reason() + " (tickets live only in the shared database"
                + (ctx.globals().replica.empty() ? "" : "; --replica is not used for them") + ")");
    }
}

// The shared store and the queue service over it. Not movable: the service keeps
// references to the store and the catalogue.
class Hall {
public:
    explicit Hall(const Context& ctx)
        : m_store(openShared(ctx))
    {
        m_centre = m_store->centre();
        if (m_centre.empty())
            throw Failure(ctx.subject(), "the database has no centre yet; run 'owctl init'");
        m_catalogue = m_store->catalogue();
        model::HallSetup setup{m_store->categories(), m_store->windows(), 60};
        m_queue = std::make_unique<model::QueueService>(
            *m_store, *m_store, *m_store, m_catalogue, std::move(setup), model::PhysicalClock{}, m_centre);
    }
    Hall(const Hall&) = delete;
    Hall& operator=(const Hall&) = delete;

    db::Store& store() { return *m_store; }
    model::QueueService& queue() { return *m_queue; }
    const std::string& centre() const { return m_centre; }

    std::string categoryCodes() const
    {
        std::vector<std::string> codes;
        for (const auto& c : m_queue->setup().categories)
            codes.push_back(c.code);
        return joined(codes);
    }
    std::string windowCodes() const
    {
        std::vector<std::string> codes;
        for (const auto& w : m_queue->setup().windows)
            if (w.active)
                codes.push_back(w.code);
        return joined(codes);
    }

private:
    std::unique_ptr<db::Store> m_store;
    std::string m_centre;
    model::Catalogue m_catalogue;
    std::unique_ptr<model::QueueService> m_queue;
};

// A refusal of the queue service as one line naming the field it is about, with the
// hall's categories or windows when the name was unknown.
[[noreturn]] void refuse(
    const Context& ctx, const model::DomainError& e, const Fields& fields, const Hall& hall)
{
    const std::string& code = e.code();
    std::string field;
    std::string hint;
    if (code == "queue.unknown_category" || code == "queue.band_exhausted")
        field = fields.category;
    else if (code == "queue.unknown_window")
        field = fields.window;
    else if (code == "queue.target_cannot_serve")
        field = "--to-window";
    else if (code == "queue.unknown_staff" || code == "queue.staff_cannot_serve")
        field = "--to-staff";
    else if (code == "queue.appointment_in_past")
        field = "--appointment";
    else if (code == "queue.kiosk_invalid")
        field = "--kiosk";
    else if (code.starts_with("permission."))
        field = fields.actor;
    if (code == "queue.unknown_category") {
        const std::string codes = hall.categoryCodes();
        hint = codes.empty() ? " (the hall has no queue categories; 'owctl seed-demo' sets up the demo hall)"
                             : " (categories: " + codes + ")";
    } else if (code == "queue.unknown_window") {
        const std::string codes = hall.windowCodes();
        hint = codes.empty() ? " (the hall has no windows; 'owctl seed-demo' sets up the demo hall)"
                             : " (open windows: " + codes + ")";
    }
    throw Failure(ctx.subject(), (field.empty() ? "" : field + ": ") + explain(e) + hint);
}

template<class F> auto guarded(const Context& ctx, const Fields& fields, const Hall& hall, F work)
{
    try {
        return work();
    } catch (const model::DomainError& e) {
        refuse(ctx, e, fields, hall);
    }
}

// An option the spec marks required (the parser insists on it) that must not be empty.
std::string required(const Context& ctx, const std::string& option)
{
    std::string value = ctx.args().value(option);
    if (value.empty())
        throw UsageError(option + " must not be empty");
    return value;
}

bool allDigits(std::string_view s)
{
    return !s.empty() && std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// "2026-11-30 09:30" (or with a T) in China Standard Time → ms since the epoch.
std::int64_t parseAppointment(const std::string& text)
{
    auto bad = [&] {
        return UsageError(
            "--appointment expects \"YYYY-MM-DD HH:MM\" (China Standard Time), got '" + text + "'");
    };
    if (text.size() != 16 || (text[10] != ' ' && text[10] != 'T') || text[13] != ':'
        || !allDigits(text.substr(11, 2)) || !allDigits(text.substr(14, 2)))
        throw bad();
    const auto day = model::Date::fromIso(text.substr(0, 10));
    const int hour = std::stoi(text.substr(11, 2));
    const int minute = std::stoi(text.substr(14, 2));
    if (!day || hour > 23 || minute > 59)
        throw bad();
    return day->days() * kMsPerDay + (hour * 60 + minute) * kMsPerMinute - kChinaOffsetMs;
}

// ms since the epoch → "2026-11-30 09:30" in China Standard Time.
std::string chinaTime(std::int64_t ms)
{
    const std::int64_t local = ms + kChinaOffsetMs;
    const std::int64_t minuteOfDay = ((local % kMsPerDay + kMsPerDay) % kMsPerDay) / kMsPerMinute;
    char hhmm[8];
    std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", static_cast<int>(minuteOfDay / 60),
        static_cast<int>(minuteOfDay % 60));
    return model::chinaDate(ms).iso() + " " + hhmm;
}

// A case number to record with the ticket: checked for its form only (it may still be on
// its way up from a workstation replica).
std::string caseOption(const Context& ctx)
{
    if (!ctx.args().has("--case"))
        return {};
    const std::string number = ctx.args().value("--case");
    if (!model::CaseNumber::parse(number))
        throw UsageError("--case expects a case number such as 330102-20261129-000123, got '" + number + "'");
    return number;
}

void maskIdNumbers(Json& j)
{
    if (j.isObject()) {
        for (auto& [key, value] : j.asObject())
            if (key == "idNumber" && value.isString())
                value = model::maskId(value.asString());
            else
                maskIdNumbers(value);
    } else if (j.isArray()) {
        for (auto& value : j.asArray())
            maskIdNumbers(value);
    }
}

// Ticket::toJson(), with any identity number in a carried intake draft masked.
Json ticketJson(const Ticket& t)
{
    Json j = t.toJson();
    maskIdNumbers(j);
    return j;
}

// "A001 330102-20261129-A001 called window W01 staff clerk01": number, id, status, then
// where it is served (or, waiting after a transfer, where it goes), priority, appointment
// and case as "key value" pairs when they are set.
std::string ticketLine(const Ticket& t)
{
    std::string s = t.display() + " " + t.id + " " + model::toString(t.status);
    if (t.status == TicketStatus::Waiting) {
        if (!t.targetWindow.empty())
            s += " to-window " + t.targetWindow;
        if (!t.targetStaff.empty())
            s += " to-staff " + t.targetStaff;
    } else {
        if (!t.window.empty())
            s += " window " + t.window;
        if (!t.staff.empty())
            s += " staff " + t.staff;
    }
    if (t.priority == TicketPriority::Elderly || t.priority == TicketPriority::Disabled)
        s += " priority " + model::toString(t.priority);
    if (t.appointmentAt > 0)
        s += " appointment " + chinaTime(t.appointmentAt);
    if (!t.caseNumber.empty())
        s += " case " + t.caseNumber;
    return s;
}

int printTicket(Context& ctx, const Ticket& t)
{
    ctx.out() << (ctx.json() ? ticketJson(t).canonical() : ticketLine(t)) << "\n";
    return kExitOk;
}

std::string resolveTicket(const Context& ctx, Hall& hall, const std::string& text)
{
    return resolveTicketId(ctx, hall.store(), hall.centre(), hall.queue().todayDate(), text, "TICKET");
}

using Change
    = std::function<Ticket(model::QueueService& queue, const std::string& staff, const std::string& id)>;

int runChange(Context& ctx, const Fields& fields, const Change& change)
{
    const std::string staff = required(ctx, "--staff");
    Hall hall(ctx);
    const std::string id = resolveTicket(ctx, hall, ctx.args().positionals.front());
    return printTicket(ctx, guarded(ctx, fields, hall, [&] { return change(hall.queue(), staff, id); }));
}

// Minutes waited: until the first call, or so far for a waiting ticket.
std::string waitedMinutes(const Ticket& t, std::int64_t now)
{
    std::int64_t ms = t.waitingMs;
    if (t.status == TicketStatus::Waiting) {
        if (t.queuedAt > now)
            return "-"; // an appointment whose time has not come
        ms += now - t.queuedAt;
    } else if (t.firstCalledAt == 0) {
        return "-"; // never called (cancelled)
    }
    return std::to_string(std::max<std::int64_t>(0, ms) / kMsPerMinute);
}

std::string orDash(const std::string& s)
{
    return s.empty() ? "-" : s;
}

} // namespace

std::string resolveTicketId(const Context& ctx, const db::Store& store, const std::string& centre,
    model::Date today, const std::string& text, const std::string& what)
{
    if (text.find('-') != std::string::npos) {
        if (!store.findTicket(text))
            throw Failure(ctx.subject(), "there is no ticket " + text);
        return text;
    }
    const std::string digits = text.size() > 1 ? text.substr(1) : std::string();
    if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0])) || !allDigits(digits)
        || digits.size() > 4)
        throw UsageError(what + " expects today's ticket number such as A001, or a full ticket id such as "
            + centre + "-20261129-A001; got '" + text + "'");
    const std::string category(1, static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))));
    const std::string id = model::formatTicketId(centre, today, category, std::stoi(digits));
    if (!store.findTicket(id)) {
        const std::string shortNumber = id.substr(id.rfind('-') + 1);
        throw Failure(ctx.subject(), "there is no ticket " + shortNumber + " today (" + today.iso() + ")");
    }
    return id;
}

int runTicketIssue(Context& ctx)
{
    const std::string category = ctx.args().positionals.front();
    const std::string priorityText = ctx.args().value("--priority", "normal");
    const auto priority = model::ticketPriorityFromString(priorityText);
    if (!priority || *priority == TicketPriority::Appointment)
        throw UsageError("--priority expects normal, elderly or disabled, got '" + priorityText + "'"
            + (priorityText == "appointment" ? " (book an appointment with --appointment)" : ""));
    const bool kiosk = ctx.args().has("--kiosk");
    const std::string actor = ctx.actor({});
    // The kiosk read an ID card: the priority follows the birth date in it. The number
    // itself is neither stored nor printed.
    auto idPriority = std::optional<TicketPriority>();
    if (ctx.args().has("--id-number")) {
        if (ctx.args().has("--priority"))
            throw UsageError("--priority cannot be combined with --id-number (the ID decides it)");
        model::Applicant applicant;
        applicant.idNumber = ctx.args().value("--id-number");
        const auto kind = model::guessIdKind(applicant.idNumber);
        const model::Date today = model::chinaDate(model::systemPhysicalClock()());
        if (!kind || !model::checkId(*kind, applicant.idNumber, today).ok)
            throw UsageError("--id-number: not a valid identity number (its check failed)");
        applicant.idKind = *kind;
        idPriority = model::priorityFor(applicant, today);
    }
    const bool booked = ctx.args().has("--appointment");
    const std::int64_t appointmentAt = booked ? parseAppointment(ctx.args().value("--appointment")) : 0;
    if (kiosk && ctx.args().has("--as"))
        throw UsageError(
            "--kiosk and --as exclude each other: a ticket comes from a kiosk or from a staff member");
    if (booked && actor.empty())
        throw UsageError("--appointment needs --as USER: appointments are booked by staff");
    if (booked && *priority != TicketPriority::Normal)
        throw UsageError(
            "--priority cannot be combined with --appointment (an appointment is its own priority)");
    if (ctx.args().has("--as") && actor.empty())
        throw UsageError("--as must not be empty");

    Hall hall(ctx);
    Fields fields;
    fields.actor = "--as";
    const Ticket ticket = guarded(ctx, fields, hall, [&] {
        const TicketPriority p = idPriority.value_or(*priority);
        if (actor.empty())
            return hall.queue().issueAtKiosk(
                kiosk ? ctx.args().value("--kiosk") : std::string(kDefaultKiosk), category, p);
        return hall.queue().issue(actor, category, p, appointmentAt);
    });
    return printTicket(ctx, ticket);
}

// Appointments booked elsewhere (an online booking system's export): one per line,
// "YYYY-MM-DD HH:MM,CATEGORY", an optional header line "time,category", '#' comments.
// Every good line is booked; every bad one is named with its line number and the import
// carries on, so nothing accepted is lost; the exit status is 1 when a line was refused.
int runTicketImport(Context& ctx)
{
    const std::string path = ctx.args().positionals.front();
    const std::string actor = ctx.actor({});
    if (actor.empty())
        throw UsageError("--as USER is required: appointments are booked by staff");
    const std::string text = readFile(ctx, path);
    Hall hall(ctx);
    std::vector<Ticket> booked;
    std::vector<std::string> problems;
    std::size_t lineNumber = 0, start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos)
            end = text.size();
        std::string line = text.substr(start, end - start);
        start = end + 1;
        ++lineNumber;
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        if (lineNumber == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0)
            line.erase(0, 3); // a byte-order mark from a spreadsheet
        const auto first = line.find_first_not_of(" \t");
        if (first == std::string::npos || line[first] == '#')
            continue;
        if (lineNumber == 1 && line.rfind("time,", 0) == 0)
            continue;
        auto where = [&] { return path + ":" + std::to_string(lineNumber) + ": "; };
        const auto comma = line.find(',');
        if (comma == std::string::npos || line.find(',', comma + 1) != std::string::npos) {
            problems.push_back(where() + "expected two fields \"YYYY-MM-DD HH:MM,CATEGORY\"");
            continue;
        }
        const std::string time = line.substr(0, comma), category = line.substr(comma + 1);
        try {
            const std::int64_t at = parseAppointment(time);
            booked.push_back(hall.queue().issue(actor, category, TicketPriority::Appointment, at));
        } catch (const UsageError&) {
            problems.push_back(
                where() + "time: expected \"YYYY-MM-DD HH:MM\" (China time), got '" + time + "'");
        } catch (const model::DomainError& e) {
            if (e.code().starts_with("permission.") || e.code().starts_with("db."))
                throw Failure(ctx.subject(), explain(e)); // nothing further could be booked
            problems.push_back(where() + explain(e));
        }
        if (end == text.size())
            break;
    }
    if (ctx.json()) {
        Json list = Json::array();
        for (const auto& t : booked)
            list.push_back(ticketJson(t));
        ctx.out() << list.canonical() << "\n";
    } else {
        for (const auto& t : booked)
            ctx.out() << ticketLine(t) << "\n";
    }
    for (const auto& p : problems)
        std::fprintf(stderr, "owctl: %s\n", p.c_str());
    if (!problems.empty())
        std::fprintf(stderr, "owctl: ticket import %s: %zu booked, %zu lines refused\n", path.c_str(),
            booked.size(), problems.size());
    return problems.empty() ? 0 : 1;
}

int runTicketCall(Context& ctx)
{
    const std::string window = required(ctx, "--window");
    const std::string staff = required(ctx, "--staff");
    Hall hall(ctx);
    const model::CallResult result
        = guarded(ctx, Fields{}, hall, [&] { return hall.queue().callNext(staff, window); });
    // Always this one JSON line, with or without --json: scripts read it. "ticket" first,
    // so that '{"ticket":null' can be matched as text too.
    ctx.out() << "{\"ticket\":" << (result.called ? ticketJson(*result.called).canonical() : "null")
              << ",\"ended\":" << (result.ended ? Json(result.ended->display()).canonical() : "null")
              << "}\n";
    if (!result.called) {
        ctx.flush();
        throw NothingToDo("nobody is waiting for window " + window
            + (result.ended ? " (" + result.ended->display() + " ended)" : ""));
    }
    return kExitOk;
}

int runTicketList(Context& ctx)
{
    std::optional<model::Date> day;
    if (ctx.args().has("--day")) {
        day = model::Date::fromIso(ctx.args().value("--day"));
        if (!day)
            throw UsageError("--day expects a date YYYY-MM-DD, got '" + ctx.args().value("--day") + "'");
    }
    std::optional<TicketStatus> status;
    if (ctx.args().has("--status")) {
        status = model::ticketStatusFromString(ctx.args().value("--status"));
        if (!status)
            throw UsageError("--status expects waiting, called, parked, ended, no_show or cancelled, got '"
                + ctx.args().value("--status") + "'");
    }
    auto store = openShared(ctx);
    const std::int64_t now = model::systemPhysicalClock()();
    if (!day)
        day = model::chinaDate(now);
    std::vector<Ticket> tickets;
    for (auto& t : store->hallTickets(*day))
        if (!status || t.status == *status)
            tickets.push_back(std::move(t));

    if (ctx.json()) {
        Json a = Json::array();
        for (const auto& t : tickets)
            a.push_back(ticketJson(t));
        ctx.out() << a.canonical() << "\n";
        return kExitOk;
    }
    Table table({"NUMBER", "STATUS", "PRIORITY", "WINDOW", "STAFF", "WAIT(MIN)", "CASE"});
    std::map<TicketStatus, int> counts;
    for (const auto& t : tickets) {
        ++counts[t.status];
        const bool waiting = t.status == TicketStatus::Waiting;
        std::string priority = model::toString(t.priority);
        if (t.appointmentAt > 0)
            priority += " " + chinaTime(t.appointmentAt).substr(11);
        table.add({t.display(), model::toString(t.status), priority,
            waiting ? (t.targetWindow.empty() ? "-" : "→" + t.targetWindow) : orDash(t.window),
            waiting ? (t.targetStaff.empty() ? "-" : "→" + t.targetStaff) : orDash(t.staff),
            waitedMinutes(t, now), orDash(t.caseNumber)});
    }
    table.print(ctx.out());
    std::string footer = std::to_string(tickets.size()) + (tickets.size() == 1 ? " ticket" : " tickets")
        + " on " + day->iso();
    std::string breakdown;
    for (const auto& [st, n] : counts)
        breakdown += (breakdown.empty() ? ": " : ", ") + std::to_string(n) + " " + model::toString(st);
    ctx.out() << footer << breakdown << "\n";
    return kExitOk;
}

int runTicketRecall(Context& ctx)
{
    return runChange(ctx, Fields{},
        [](auto& queue, const auto& staff, const auto& id) { return queue.recall(staff, id); });
}

int runTicketNoShow(Context& ctx)
{
    return runChange(ctx, Fields{},
        [](auto& queue, const auto& staff, const auto& id) { return queue.noShow(staff, id); });
}

int runTicketPark(Context& ctx)
{
    return runChange(
        ctx, Fields{}, [](auto& queue, const auto& staff, const auto& id) { return queue.park(staff, id); });
}

int runTicketEnd(Context& ctx)
{
    const std::string caseNumber = caseOption(ctx);
    return runChange(ctx, Fields{},
        [&](auto& queue, const auto& staff, const auto& id) { return queue.end(staff, id, caseNumber); });
}

int runTicketCancel(Context& ctx)
{
    return runChange(ctx, Fields{},
        [](auto& queue, const auto& staff, const auto& id) { return queue.cancel(staff, id); });
}

int runTicketResume(Context& ctx)
{
    const std::string window = required(ctx, "--window");
    return runChange(ctx, Fields{}, [&](auto& queue, const auto& staff, const auto& id) {
        return queue.resumeParked(staff, window, id);
    });
}

int runTicketTransfer(Context& ctx)
{
    model::TicketTarget target;
    target.window = ctx.args().value("--to-window");
    target.staff = ctx.args().value("--to-staff");
    target.category = ctx.args().value("--to-category");
    if (target.window.empty() && target.staff.empty() && target.category.empty())
        throw UsageError("'ticket transfer' needs --to-window W, --to-staff USER or --to-category C");
    const std::string caseNumber = caseOption(ctx);
    Fields fields;
    fields.window = "--to-window";
    fields.category = "--to-category";
    return runChange(ctx, fields, [&](auto& queue, const auto& staff, const auto& id) {
        return queue.transfer(staff, id, target, caseNumber);
    });
}

} // namespace ow::owctl
