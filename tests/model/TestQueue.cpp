// The hall's queue: ticket numbers and bands, appointments, the order windows call in,
// recall/no-show/park/end with the times they record, passing tickets on with their work,
// who may do what, and the pure pieces (the ticket fold, the choice, the predicted wait).
#include "model/Applicant.h"
#include "model/CentreSetup.h"
#include "model/Error.h"
#include "model/Event.h"
#include "model/Floor.h"
#include "model/HybridClock.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Json.h"
#include "model/Queue.h"
#include "model/QueueService.h"

#include "ServiceWorld.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

using namespace ow::model;
using ow::test::errorOf;
using ow::test::noonMs;

namespace {

const Date kDay(2026, 3, 2); // a Monday
constexpr std::int64_t kMinute = 60'000;
const std::string kBdc = "330102-BDC-001"; // category B

// The code of the DomainError `f` throws, or "(none)".
std::string codeOf(const std::function<void()>& f)
{
    auto e = errorOf(f);
    return e ? e->code() : std::string("(none)");
}

std::string residentId(const std::string& first17)
{
    return first17 + *gb11643CheckDigit(first17);
}

Applicant bornOn(const std::string& yyyymmdd)
{
    Applicant a;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    a.idKind = IdKind::ResidentId;
    a.idNumber = residentId("330102" + yyyymmdd + "123");
    a.phone = "13812345678";
    return a;
}

HallSetup hallSetup()
{
    HallSetup s;
    s.categories = demoCategories();
    // A short band that does not start at 1, served only by the general windows W01/W02.
    s.categories.push_back({"G", "\xE6\xB5\x8B\xE8\xAF\x95", "Test band", 801, 803}); // 测试
    s.windows = demoWindows(); // W01–W02 general (A), W03–W04 B, W05–W06 C, W07–W08 D, ...
    return s;
}

// The demo hall on 2026-03-02 at noon over ServiceWorld's store and staff, plus a second
// window clerk (clerk03).
struct Hall : ow::test::ServiceWorld {
    Hall()
        : ServiceWorld(kDay, {Role::WindowStaff})
    {
        staff.put({"clerk03", "\xE7\x8E\x8B\xE4\xBA\x94", {Role::WindowStaff}, "330102", true}); // 王五
    }

    void advance(std::int64_t ms) { nowMs += ms; }
    Ticket ticket(const std::string& id) const
    {
        auto t = queue.find(id);
        REQUIRE(t);
        return *t;
    }
    std::string lastEventType() const { return store.allEvents().back().type; }
    // A real-estate case (matter of category B), opened at W03.
    std::string openCase()
    {
        IntakeRequest r;
        r.applicant = bornOn("19800101");
        r.matterCodes = {kBdc};
        r.receivedMaterials = {"property_certificate"};
        r.window = "W03";
        return intake.open("clerk01", r).number;
    }

    InMemoryHallStore hall{store};
    QueueService queue{hall, staff, store, catalogue, hallSetup(), [this] { return nowMs; }, "330102"};
};

std::vector<std::string> idsOf(const std::vector<Ticket>& tickets)
{
    std::vector<std::string> out;
    for (const auto& t : tickets)
        out.push_back(t.id);
    return out;
}

Event ticketEvent(const char* type, std::int64_t atMs, Json body = Json::object())
{
    Event e;
    e.origin = "ws01";
    e.hlc = makeHlc(atMs, 0);
    e.type = type;
    e.actor = "clerk01";
    body["ticket"] = "330102-20260302-A001";
    e.body = std::move(body);
    return e;
}

Event calledTo(const std::string& window, std::int64_t atMs)
{
    Json body = Json::object();
    body["window"] = window;
    body["staff"] = "clerk01";
    return ticketEvent(TicketEvent::Called, atMs, std::move(body));
}

Ticket waitingTicket(const std::string& category, int number, std::int64_t queuedAt)
{
    Ticket t;
    t.id = formatTicketId("330102", kDay, category, number);
    t.centre = "330102";
    t.day = kDay;
    t.category = category;
    t.number = number;
    t.issuedAt = queuedAt;
    t.queuedAt = queuedAt;
    return t;
}

} // namespace

TEST_CASE("queue: numbers count up per category and day from the band's first number", "[queue]")
{
    Hall h;
    const std::int64_t t0 = h.nowMs;
    const Ticket a1 = h.queue.issue("clerk01", "A");
    CHECK(a1.id == "330102-20260302-A001");
    CHECK(a1.display() == "A001");
    CHECK(a1.centre == "330102");
    CHECK(a1.day == kDay);
    CHECK(a1.category == "A");
    CHECK(a1.number == 1);
    CHECK(a1.priority == TicketPriority::Normal);
    CHECK(a1.status == TicketStatus::Waiting);
    CHECK_FALSE(a1.walkIn);
    CHECK_FALSE(a1.directed());
    CHECK(a1.issuedAt == t0);
    CHECK(a1.queuedAt == t0);
    CHECK(a1.appointmentAt == 0);
    {
        const auto events = h.store.allEvents();
        REQUIRE(events.size() == 1);
        CHECK(events.back().type == "ticket.issued");
        CHECK(events.back().actor == "clerk01");
        CHECK(events.back().caseNumber.empty());
        CHECK(events.back().body.getString("ticket") == a1.id);
    }

    h.advance(1000);
    const Ticket a2 = h.queue.issue("manager01", "A"); // the queue manager issues too
    CHECK(a2.id == "330102-20260302-A002");
    CHECK(a2.number == 2);
    CHECK(a2.issuedAt == t0 + 1000);
    const Ticket b1 = h.queue.issue("clerk01", "B", TicketPriority::Elderly);
    CHECK(b1.id == "330102-20260302-B001");
    CHECK(b1.priority == TicketPriority::Elderly);
    const Ticket g1 = h.queue.issue("clerk01", "G");
    CHECK(g1.number == 801);
    CHECK(g1.id == "330102-20260302-G801");
    CHECK(g1.display() == "G801");
    CHECK(h.queue.issue("clerk01", "G").number == 802);
    const Ticket a3 = h.queue.issue("clerk01", "A");
    CHECK(a3.display() == "A003");
    CHECK(h.eventCount() == 6);
    const auto today = h.queue.today();
    REQUIRE(today.size() == 6);
    CHECK(today[0].id == a1.id);
    CHECK(today[2].id == b1.id);
    CHECK(today[5].id == a3.id);

    // A new day starts every band again; yesterday's tickets stay where they were.
    h.setDay(kDay.addDays(1));
    const Ticket next = h.queue.issue("clerk01", "A");
    CHECK(next.id == "330102-20260303-A001");
    CHECK(next.day == kDay.addDays(1));
    CHECK(idsOf(h.queue.today()) == std::vector<std::string>{next.id});
    CHECK(h.ticket(a1.id).day == kDay);
}

TEST_CASE("queue: an exhausted band, an unknown category or window write nothing", "[queue]")
{
    Hall h;
    for (int n = 801; n <= 803; ++n)
        CHECK(h.queue.issue("clerk01", "G").number == n);
    const std::size_t afterBand = h.eventCount();
    auto e = errorOf([&] { h.queue.issue("clerk01", "G"); });
    REQUIRE(e);
    CHECK(e->code() == "queue.band_exhausted");
    CHECK(e->fact("category") == "G");
    CHECK(e->fact("last") == "803");
    CHECK(h.eventCount() == afterBand);

    // Nor does a walk-in into it: the window keeps serving its current ticket.
    const Ticket current = h.queue.walkIn("clerk01", "W01", "A");
    const std::size_t withCurrent = h.eventCount();
    CHECK(codeOf([&] { h.queue.walkIn("clerk01", "W01", "G"); }) == "queue.band_exhausted");
    CHECK(h.eventCount() == withCurrent);
    REQUIRE(h.queue.currentAt("W01"));
    CHECK(h.queue.currentAt("W01")->id == current.id);
    CHECK(h.ticket(current.id).status == TicketStatus::Called);
    // The other bands go on.
    CHECK(h.queue.issue("clerk01", "A").display() == "A002");

    const std::size_t before = h.eventCount();
    e = errorOf([&] { h.queue.issue("clerk01", "Z"); });
    REQUIRE(e);
    CHECK(e->code() == "queue.unknown_category");
    CHECK(e->fact("category") == "Z");
    CHECK(codeOf([&] { h.queue.issue("clerk01", ""); }) == "queue.unknown_category");
    CHECK(codeOf([&] { h.queue.issue("clerk01", "a"); }) == "queue.unknown_category");
    CHECK(codeOf([&] { h.queue.walkIn("clerk01", "W01", "Z"); }) == "queue.unknown_category");
    e = errorOf([&] { h.queue.callNext("clerk01", "W99"); });
    REQUIRE(e);
    CHECK(e->code() == "queue.unknown_window");
    CHECK(e->fact("window") == "W99");
    CHECK(codeOf([&] { h.queue.walkIn("clerk01", "W99", "A"); }) == "queue.unknown_window");
    CHECK(codeOf([&] { h.queue.recall("clerk01", "330102-20260302-A404"); }) == "queue.ticket_not_found");
    CHECK(codeOf([&] { h.queue.cancel("clerk01", "330102-20260302-A404"); }) == "queue.ticket_not_found");
    CHECK(h.eventCount() == before);
}

TEST_CASE("queue: an appointment is called once its time has come, then before walk-ins", "[queue]")
{
    Hall h;
    const std::int64_t noon = h.nowMs;
    const std::int64_t at = noon + 120 * kMinute; // 14:00
    const Ticket appt = h.queue.issue("clerk01", "B", TicketPriority::Normal, at);
    CHECK(appt.priority == TicketPriority::Appointment);
    CHECK(appt.appointmentAt == at);
    CHECK(appt.queuedAt == at);
    CHECK(appt.issuedAt == noon);
    CHECK(appt.day == kDay);
    CHECK(appt.id == "330102-20260302-B001");

    h.advance(kMinute);
    const Ticket b2 = h.queue.issue("clerk01", "B");
    auto r = h.queue.callNext("clerk03", "W03");
    REQUIRE(r.called);
    CHECK(r.called->id == b2.id);

    // Nobody else waits, and still the appointment is not called early.
    h.nowMs = at - 1;
    r = h.queue.callNext("clerk03", "W03");
    CHECK_FALSE(r.called);
    REQUIRE(r.ended);
    CHECK(r.ended->id == b2.id);
    CHECK(h.ticket(appt.id).status == TicketStatus::Waiting);

    // A walk-in queued before 14:00 waits behind it once 14:00 has passed.
    const Ticket b3 = h.queue.issue("clerk01", "B");
    h.nowMs = at + 5000;
    r = h.queue.callNext("clerk03", "W03");
    REQUIRE(r.called);
    CHECK(r.called->id == appt.id);
    CHECK(r.called->firstCalledAt == at + 5000);
    CHECK(r.called->waitingMs == 5000); // from the appointment, not from the booking
    r = h.queue.callNext("clerk03", "W03");
    REQUIRE(r.called);
    CHECK(r.called->id == b3.id);
}

TEST_CASE("queue: appointments on other days; cancelling one", "[queue]")
{
    Hall h;
    const std::int64_t noon = h.nowMs;
    const Ticket walkUp = h.queue.issue("clerk01", "A");
    const std::int64_t tomorrow10 = noonMs(kDay.addDays(1)) - 120 * kMinute;
    const Ticket booked = h.queue.issue("manager01", "A", TicketPriority::Normal, tomorrow10);
    CHECK(booked.id == "330102-20260303-A001"); // tomorrow's band
    CHECK(booked.day == kDay.addDays(1));
    CHECK(booked.priority == TicketPriority::Appointment);
    CHECK(idsOf(h.queue.today()) == std::vector<std::string>{walkUp.id});

    // Not called today, however late it gets (18:00 China time is still today).
    h.advance(6 * 60 * kMinute);
    auto r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == walkUp.id);
    r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.called);

    // Earlier today is still today: accepted, and due at once.
    const Ticket late = h.queue.issue("clerk01", "A", TicketPriority::Normal, noon - 60 * kMinute);
    CHECK(late.day == kDay);
    CHECK(late.display() == "A002");
    r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == late.id);

    // Yesterday is refused, and nothing is written.
    const std::size_t before = h.eventCount();
    auto e
        = errorOf([&] { h.queue.issue("clerk01", "A", TicketPriority::Normal, noonMs(kDay.addDays(-1))); });
    REQUIRE(e);
    CHECK(e->code() == "queue.appointment_in_past");
    CHECK(e->fact("appointment") == "2026-03-01");
    CHECK(h.eventCount() == before);

    // Calling tomorrow's appointment off.
    const Ticket cancelled = h.queue.cancel("manager01", booked.id);
    CHECK(cancelled.status == TicketStatus::Cancelled);
    CHECK(cancelled.endedAt == h.nowMs);
    CHECK(h.lastEventType() == "ticket.cancelled");
    CHECK(codeOf([&] { h.queue.cancel("manager01", booked.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.cancel("clerk01", late.id); }) == "queue.ticket_state"); // being served
    CHECK(codeOf([&] { h.queue.cancel("reviewer01", booked.id); }) == "permission.denied");
}

TEST_CASE("queue: callNext takes directed tickets, then priority classes, then the rest in order", "[queue]")
{
    Hall h;
    const Ticket a1 = h.queue.issue("clerk01", "A");
    h.advance(1000);
    const Ticket b1 = h.queue.issue("clerk01", "B");
    h.advance(1000);
    const Ticket elderly = h.queue.issue("clerk01", "C", TicketPriority::Elderly);
    h.advance(1000);
    const Ticket disabled = h.queue.issue("clerk01", "D", TicketPriority::Disabled);
    h.advance(1000);
    const Ticket a2 = h.queue.issue("clerk01", "A");
    h.advance(1000);
    // Passed on to W01 by the clerk of W03, after everyone else queued.
    const Ticket toW01 = h.queue.walkIn("clerk03", "W03", "B");
    h.advance(1000);
    CHECK(h.queue.transfer("clerk03", toW01.id, {"W01", "", ""}).targetWindow == "W01");
    // And one passed on to W02, which W01 leaves alone.
    const Ticket toW02 = h.queue.walkIn("clerk03", "W03", "B");
    h.queue.transfer("clerk03", toW02.id, {"W02", "", ""});

    std::vector<std::string> called;
    std::optional<Ticket> previous;
    for (int i = 0; i < 10; ++i) {
        h.advance(1000);
        const CallResult r = h.queue.callNext("clerk01", "W01");
        REQUIRE(r.ended.has_value() == previous.has_value());
        if (r.ended) {
            CHECK(r.ended->id == previous->id);
            CHECK(r.ended->status == TicketStatus::Ended);
            CHECK(r.ended->servingMs == previous->servingMs + 1000); // toW01 was served at W03 before
        }
        if (!r.called)
            break;
        CHECK(r.called->status == TicketStatus::Called);
        CHECK(r.called->window == "W01");
        CHECK(r.called->staff == "clerk01");
        CHECK_FALSE(r.called->directed());
        called.push_back(r.called->id);
        previous = r.called;
    }
    CHECK(called == std::vector<std::string>{toW01.id, elderly.id, disabled.id, a1.id, b1.id, a2.id});
    CHECK(h.ticket(toW02.id).status == TicketStatus::Waiting);

    auto r = h.queue.callNext("clerk03", "W02");
    REQUIRE(r.called);
    CHECK(r.called->id == toW02.id);
    CHECK(r.called->targetWindow.empty());
}

TEST_CASE("queue: a window calls only the categories it serves; general windows serve all", "[queue]")
{
    Hall h;
    const Ticket a = h.queue.issue("clerk01", "A");
    h.advance(1000);
    const Ticket c = h.queue.issue("clerk01", "C");
    h.advance(1000);
    const Ticket b = h.queue.issue("clerk01", "B");

    auto r = h.queue.callNext("clerk03", "W03"); // real estate only: not A, not C
    REQUIRE(r.called);
    CHECK(r.called->id == b.id);
    r = h.queue.callNext("clerk03", "W03");
    CHECK_FALSE(r.called);
    REQUIRE(r.ended);
    CHECK(r.ended->id == b.id);
    r = h.queue.callNext("clerk01", "W05");
    REQUIRE(r.called);
    CHECK(r.called->id == c.id);
    r = h.queue.callNext("clerk03", "W02");
    REQUIRE(r.called);
    CHECK(r.called->id == a.id);

    // W01 (general) would have taken any of them first: nothing is left for it.
    const std::size_t before = h.eventCount();
    r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.called);
    CHECK_FALSE(r.ended);
    CHECK(h.eventCount() == before);
}

TEST_CASE("queue: calling ends the window's current ticket, even when nobody waits", "[queue]")
{
    Hall h;
    const Ticket a1 = h.queue.issue("clerk01", "A");
    const Ticket a2 = h.queue.issue("clerk01", "A");
    h.advance(2000);
    auto r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == a1.id);
    CHECK(r.called->waitingMs == 2000);
    CHECK(h.lastEventType() == "ticket.called");
    r = h.queue.callNext("clerk03", "W02");
    REQUIRE(r.called);
    CHECK(r.called->id == a2.id);
    CHECK_FALSE(r.ended); // W01's ticket is not W02's to end

    h.advance(3000);
    const std::size_t before = h.eventCount();
    r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.called);
    REQUIRE(r.ended);
    CHECK(r.ended->id == a1.id);
    CHECK(r.ended->status == TicketStatus::Ended);
    CHECK(r.ended->endedAt == h.nowMs);
    CHECK(r.ended->servingMs == 3000);
    CHECK(h.eventCount() == before + 1);
    CHECK(h.lastEventType() == "ticket.ended");
    CHECK_FALSE(h.queue.currentAt("W01"));
    REQUIRE(h.queue.currentAt("W02"));
    CHECK(h.queue.currentAt("W02")->id == a2.id);

    r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.called);
    CHECK_FALSE(r.ended);
    CHECK(h.eventCount() == before + 1);
}

TEST_CASE("queue: two windows calling one after another never get the same ticket", "[queue]")
{
    Hall h;
    std::vector<Ticket> t;
    for (int i = 0; i < 3; ++i) {
        t.push_back(h.queue.issue("clerk01", "A"));
        h.advance(1000);
    }
    auto one = h.queue.callNext("clerk01", "W01");
    auto two = h.queue.callNext("clerk03", "W02");
    REQUIRE(one.called);
    REQUIRE(two.called);
    CHECK(one.called->id == t[0].id);
    CHECK(two.called->id == t[1].id);
    one = h.queue.callNext("clerk01", "W01");
    REQUIRE(one.called);
    CHECK(one.called->id == t[2].id);
    two = h.queue.callNext("clerk03", "W02");
    CHECK_FALSE(two.called);
    REQUIRE(two.ended);
    CHECK(two.ended->id == t[1].id);
}

TEST_CASE("queue: windows calling at the same time share the tickets out", "[queue]")
{
    Hall h;
    constexpr int kTickets = 60;
    for (int i = 0; i < kTickets; ++i)
        h.queue.issue("clerk01", "A");
    std::vector<std::string> got[2];
    std::string failure[2];
    auto window = [&](int i, std::string actor, std::string code) {
        try {
            while (auto next = h.queue.callNext(actor, code).called)
                got[i].push_back(next->id);
        } catch (const std::exception& e) {
            failure[i] = e.what();
        }
    };
    std::thread w01(window, 0, "clerk01", "W01");
    std::thread w02(window, 1, "clerk03", "W02");
    w01.join();
    w02.join();
    CHECK(failure[0].empty());
    CHECK(failure[1].empty());
    INFO("W01 called " << got[0].size() << ", W02 " << got[1].size());
    CHECK(got[0].size() + got[1].size() == kTickets);
    std::set<std::string> distinct(got[0].begin(), got[0].end());
    distinct.insert(got[1].begin(), got[1].end());
    CHECK(distinct.size() == kTickets);
    std::map<std::string, int> calls;
    for (const auto& e : h.store.allEvents())
        if (e.type == TicketEvent::Called)
            ++calls[e.body.getString("ticket")];
    CHECK(calls.size() == kTickets);
    for (const auto& [id, n] : calls) {
        INFO(id);
        CHECK(n == 1);
    }
}

TEST_CASE("queue: recall, park, resume and end; waiting and serving times from the clock", "[queue]")
{
    Hall h;
    const std::int64_t t0 = h.nowMs;
    const Ticket t = h.queue.issue("clerk01", "A");
    h.advance(60'000);
    auto r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == t.id);
    CHECK(r.called->firstCalledAt == t0 + 60'000);
    CHECK(r.called->waitingMs == 60'000);
    CHECK(r.called->servingSince == t0 + 60'000);
    CHECK(r.called->servingMs == 0);

    Ticket x = h.queue.recall("clerk01", t.id);
    CHECK(x.recalls == 1);
    CHECK(x.status == TicketStatus::Called);
    CHECK(h.lastEventType() == "ticket.recalled");
    CHECK(h.queue.recall("clerk01", t.id).recalls == 2);

    h.advance(30'000);
    x = h.queue.park("clerk01", t.id);
    CHECK(x.status == TicketStatus::Parked);
    CHECK(x.servingMs == 30'000);
    CHECK(x.servingSince == 0);
    CHECK(x.window == "W01");
    CHECK(h.lastEventType() == "ticket.parked");
    CHECK_FALSE(h.queue.currentAt("W01"));

    // While the applicant is away the window serves the next one; calling does not end a
    // parked ticket.
    h.advance(20'000);
    const Ticket other = h.queue.issue("clerk01", "A");
    h.advance(80'000);
    r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == other.id);
    CHECK(r.called->waitingMs == 80'000);
    CHECK_FALSE(r.ended);
    CHECK(h.ticket(t.id).status == TicketStatus::Parked);

    h.advance(10'000);
    x = h.queue.resumeParked("clerk01", "W01", t.id);
    CHECK(x.status == TicketStatus::Called);
    CHECK(x.window == "W01");
    CHECK(x.servingSince == h.nowMs);
    CHECK(x.waitingMs == 60'000); // a resumption is no new wait
    CHECK(x.firstCalledAt == t0 + 60'000);
    CHECK(x.recalls == 2);
    const Ticket otherEnded = h.ticket(other.id);
    CHECK(otherEnded.status == TicketStatus::Ended);
    CHECK(otherEnded.servingMs == 10'000);

    h.advance(45'000);
    const std::string caseNumber = h.openCase();
    x = h.queue.end("clerk01", t.id, caseNumber);
    CHECK(x.status == TicketStatus::Ended);
    CHECK(x.caseNumber == caseNumber);
    CHECK(x.endedAt == h.nowMs);
    CHECK(x.servingMs == 30'000 + 45'000); // the 110 s parked do not count
    CHECK(x.servingSince == 0);
    CHECK(x.waitingMs == 60'000);
    CHECK(h.lastEventType() == "ticket.ended");
    CHECK_FALSE(h.queue.currentAt("W01"));

    // A finished ticket takes no more changes.
    const std::size_t before = h.eventCount();
    CHECK(codeOf([&] { h.queue.recall("clerk01", t.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.park("clerk01", t.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.noShow("clerk01", t.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.end("clerk01", t.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.resumeParked("clerk01", "W01", t.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.transfer("manager01", t.id, {"W02", "", ""}); }) == "queue.ticket_state");
    CHECK(h.eventCount() == before);
    CHECK(h.ticket(t.id).servingMs == 75'000);
}

TEST_CASE("queue: a no-show finishes the ticket; a parked ticket may be ended directly", "[queue]")
{
    Hall h;
    const Ticket t = h.queue.issue("clerk01", "A");
    h.advance(5000);
    REQUIRE(h.queue.callNext("clerk01", "W01").called);
    h.queue.recall("clerk01", t.id);
    h.advance(10'000);
    const Ticket gone = h.queue.noShow("clerk01", t.id);
    CHECK(gone.status == TicketStatus::NoShow);
    CHECK(isFinished(gone.status));
    CHECK(gone.servingMs == 0); // nobody was served
    CHECK(gone.endedAt == h.nowMs);
    CHECK(gone.waitingMs == 5000);
    CHECK(gone.recalls == 1);
    CHECK(h.lastEventType() == "ticket.no_show");
    CHECK_FALSE(h.queue.currentAt("W01"));

    const Ticket t2 = h.queue.issue("clerk01", "A");
    auto r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.ended); // the no-show is not the window's any more
    REQUIRE(r.called);
    CHECK(r.called->id == t2.id);
    h.advance(7000);
    h.queue.park("clerk01", t2.id);
    h.advance(60'000);
    const Ticket done = h.queue.end("clerk01", t2.id);
    CHECK(done.status == TicketStatus::Ended);
    CHECK(done.servingMs == 7000);
    CHECK(done.endedAt == h.nowMs);
    CHECK(done.caseNumber.empty());

    // A waiting ticket has not been called yet: nothing to mark absent or announce again.
    const Ticket t3 = h.queue.issue("clerk01", "A");
    const std::size_t before = h.eventCount();
    CHECK(codeOf([&] { h.queue.noShow("clerk01", t3.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.recall("clerk01", t3.id); }) == "queue.ticket_state");
    CHECK(codeOf([&] { h.queue.park("clerk01", t3.id); }) == "queue.ticket_state");
    CHECK(h.eventCount() == before);
}

TEST_CASE("queue: only the serving clerk changes a ticket; other roles cannot issue or call", "[queue]")
{
    Hall h;
    const Ticket t = h.queue.issue("clerk01", "A");
    const Ticket waiting = h.queue.issue("clerk01", "A");
    REQUIRE(h.queue.callNext("clerk01", "W01").called);
    const std::size_t before = h.eventCount();

    auto e = errorOf([&] { h.queue.recall("clerk03", t.id); });
    REQUIRE(e);
    CHECK(e->code() == "queue.not_your_ticket");
    CHECK(e->fact("staff") == "clerk01");
    CHECK(e->fact("ticket") == "A001");
    CHECK(codeOf([&] { h.queue.noShow("clerk03", t.id); }) == "queue.not_your_ticket");
    CHECK(codeOf([&] { h.queue.park("clerk03", t.id); }) == "queue.not_your_ticket");
    CHECK(codeOf([&] { h.queue.end("clerk03", t.id); }) == "queue.not_your_ticket");
    CHECK(h.eventCount() == before);
    h.queue.park("clerk01", t.id);
    CHECK(codeOf([&] { h.queue.resumeParked("clerk03", "W02", t.id); }) == "queue.not_your_ticket");
    CHECK(codeOf([&] { h.queue.end("clerk03", t.id); }) == "queue.not_your_ticket");
    CHECK(h.ticket(t.id).status == TicketStatus::Parked);
    const std::size_t parked = h.eventCount();

    // The queue manager moves tickets but does not serve them.
    e = errorOf([&] { h.queue.recall("manager01", t.id); });
    REQUIRE(e);
    CHECK(e->code() == "permission.denied");
    CHECK(e->fact("action") == "call_ticket");
    CHECK(codeOf([&] { h.queue.callNext("manager01", "W01"); }) == "permission.denied");
    CHECK(codeOf([&] { h.queue.walkIn("manager01", "W01", "A"); }) == "permission.denied");
    CHECK(codeOf([&] { h.queue.end("manager01", t.id); }) == "permission.denied");

    // Neither reviewers nor administrators take part in the queue.
    for (const std::string actor : {"reviewer01", "admin01"}) {
        INFO(actor);
        e = errorOf([&] { h.queue.issue(actor, "A"); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("actor") == actor);
        CHECK(e->fact("action") == "issue_ticket");
        e = errorOf([&] { h.queue.callNext(actor, "W01"); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("action") == "call_ticket");
        CHECK(codeOf([&] { h.queue.walkIn(actor, "W01", "A"); }) == "permission.denied");
        CHECK(codeOf([&] { h.queue.resumeParked(actor, "W01", t.id); }) == "permission.denied");
        CHECK(codeOf([&] { h.queue.cancel(actor, waiting.id); }) == "permission.denied");
        e = errorOf([&] { h.queue.transfer(actor, waiting.id, {"W02", "", ""}); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("action") == "move_ticket");
    }

    // A disabled account does nothing, whatever roles it still holds.
    CHECK(codeOf([&] { h.queue.issue("clerk02", "A"); }) == "permission.inactive");
    CHECK(codeOf([&] { h.queue.callNext("clerk02", "W02"); }) == "permission.inactive");
    CHECK(codeOf([&] { h.queue.walkIn("clerk02", "W02", "A"); }) == "permission.inactive");
    CHECK(codeOf([&] { h.queue.transfer("clerk02", waiting.id, {"W02", "", ""}); }) == "permission.inactive");
    CHECK(codeOf([&] { h.queue.cancel("clerk02", waiting.id); }) == "permission.inactive");
    CHECK(codeOf([&] { h.queue.issue("ghost", "A"); }) == "permission.unknown_actor");
    CHECK(codeOf([&] { h.queue.callNext("ghost", "W02"); }) == "permission.unknown_actor");
    CHECK(codeOf([&] {
        h.queue.transfer("ghost", waiting.id, {"W02", "", ""});
    }) == "permission.unknown_actor");
    CHECK(h.eventCount() == parked);
    CHECK(h.ticket(waiting.id).status == TicketStatus::Waiting);
}

TEST_CASE("queue: a clerk passes their own ticket on, with its case and draft, to be called first", "[queue]")
{
    Hall h;
    const std::string caseNumber = h.openCase();
    const Ticket e1 = h.queue.issue("clerk01", "B", TicketPriority::Elderly);
    const Ticket e2 = h.queue.issue("clerk01", "B", TicketPriority::Elderly);
    h.advance(1000);
    const Ticket t = h.queue.walkIn("clerk01", "W01", "A");
    h.advance(90'000);
    Json draft = Json::object();
    draft["matter"] = kBdc;
    draft["received"] = Json::array();
    draft["received"].push_back("property_certificate");

    const Ticket moved = h.queue.transfer("clerk01", t.id, {"W03", "", "B"}, caseNumber, draft);
    CHECK(h.lastEventType() == "ticket.transferred");
    CHECK(moved.id == t.id);
    CHECK(moved.status == TicketStatus::Waiting);
    CHECK(moved.category == "B");
    CHECK(moved.display() == "A001"); // the applicant's slip still says A001
    CHECK(moved.targetWindow == "W03");
    CHECK(moved.targetStaff.empty());
    CHECK(moved.directed());
    CHECK(moved.caseNumber == caseNumber);
    CHECK(moved.draft == draft);
    CHECK(moved.transfers == 1);
    CHECK(moved.queuedAt == h.nowMs);
    CHECK(moved.servingMs == 90'000);
    CHECK(moved.servingSince == 0);
    CHECK(moved.window == "W01"); // where it was last served
    CHECK_FALSE(h.queue.currentAt("W01"));

    // The other real-estate window takes the elderly; W03 takes the transferred ticket first.
    h.advance(2000);
    auto r = h.queue.callNext("clerk03", "W04");
    REQUIRE(r.called);
    CHECK(r.called->id == e1.id);
    r = h.queue.callNext("clerk01", "W03");
    REQUIRE(r.called);
    CHECK(r.called->id == t.id);
    CHECK(r.called->window == "W03");
    CHECK(r.called->staff == "clerk01");
    CHECK_FALSE(r.called->directed());
    CHECK(r.called->caseNumber == caseNumber);
    CHECK(r.called->draft == draft);
    CHECK(r.called->firstCalledAt == t.firstCalledAt);
    h.advance(30'000);
    const Ticket done = h.queue.end("clerk01", t.id, caseNumber);
    CHECK(done.servingMs == 90'000 + 30'000);
    CHECK(done.caseNumber == caseNumber);
    CHECK(done.draft.isNull()); // the draft became the case
    CHECK(done.transfers == 1);
    r = h.queue.callNext("clerk01", "W03");
    REQUIRE(r.called);
    CHECK(r.called->id == e2.id);
}

TEST_CASE("queue: passing a ticket on to a staff member or another category", "[queue]")
{
    Hall h;
    const Ticket s = h.queue.walkIn("clerk01", "W01", "A");
    h.advance(1000);
    const Ticket elderly = h.queue.issue("clerk01", "A", TicketPriority::Elderly);
    h.advance(1000);
    const Ticket toClerk03 = h.queue.transfer("clerk01", s.id, {"", "clerk03", ""});
    CHECK(toClerk03.targetStaff == "clerk03");
    CHECK(toClerk03.targetWindow.empty());
    CHECK(toClerk03.category == "A");
    auto r = h.queue.callNext("clerk01", "W01");
    REQUIRE(r.called);
    CHECK(r.called->id == elderly.id); // not clerk01's any more
    r = h.queue.callNext("clerk01", "W01");
    CHECK_FALSE(r.called);
    r = h.queue.callNext("clerk03", "W02");
    REQUIRE(r.called);
    CHECK(r.called->id == s.id);
    CHECK(r.called->staff == "clerk03");

    // To another category only: it queues there like everyone else, from now.
    const Ticket c = h.queue.walkIn("clerk01", "W01", "A");
    h.advance(1000);
    const Ticket early = h.queue.issue("clerk01", "C");
    h.advance(1000);
    const Ticket toC = h.queue.transfer("clerk01", c.id, {"", "", "C"});
    CHECK(toC.category == "C");
    CHECK_FALSE(toC.directed());
    CHECK(toC.queuedAt == h.nowMs);
    CHECK(toC.display() == c.display());
    r = h.queue.callNext("clerk03", "W03"); // real estate: not for it
    CHECK_FALSE(r.called);
    r = h.queue.callNext("clerk03", "W05");
    REQUIRE(r.called);
    CHECK(r.called->id == early.id);
    r = h.queue.callNext("clerk03", "W05");
    REQUIRE(r.called);
    CHECK(r.called->id == c.id);
    CHECK(r.called->category == "C");
}

TEST_CASE("queue: a ticket passed on to another category keeps its number; nobody else gets it", "[queue]")
{
    Hall h;
    const Ticket a1 = h.queue.issue("clerk01", "A");
    const Ticket a2 = h.queue.issue("clerk01", "A");
    const Ticket b1 = h.queue.issue("clerk01", "B");
    // The last A ticket goes to the real-estate queue before anyone else takes an A.
    const Ticket moved = h.queue.transfer("manager01", a2.id, {"", "", "B"});
    CHECK(moved.category == "B");
    CHECK(moved.display() == "A002");

    const Ticket a3 = h.queue.issue("clerk01", "A");
    CHECK(a3.id != a2.id);
    CHECK(a3.display() == "A003");
    CHECK(a3.status == TicketStatus::Waiting);
    const Ticket b2 = h.queue.issue("clerk01", "B");
    CHECK(b2.id != b1.id);
    CHECK(b2.id != a2.id);
    // B's numbers go on from B's own last one: a ticket passed into B does not count.
    CHECK(b2.number == b1.number + 1);
    CHECK(moved.issuedCategory == "A");
    CHECK(h.queue.today().size() == 5);
    std::set<std::string> shown;
    for (const auto& t : h.queue.today())
        shown.insert(t.display());
    CHECK(shown.size() == 5); // no two slips called out alike
    CHECK(h.ticket(a2.id).category == "B");
    CHECK(h.ticket(a2.id).status == TicketStatus::Waiting);
    CHECK(h.ticket(a1.id).category == "A");
}

TEST_CASE("queue: passing on checks the target and who may move which ticket", "[queue]")
{
    Hall h;
    const std::string caseNumber = h.openCase(); // real estate (B)
    const Ticket waiting = h.queue.issue("clerk01", "A");
    const Ticket mine = h.queue.walkIn("clerk01", "W01", "A");
    const Ticket other = h.queue.walkIn("clerk03", "W02", "A");
    const Ticket licence = h.queue.walkIn("clerk01", "W05", "C");
    const std::size_t before = h.eventCount();

    auto e = errorOf([&] { h.queue.transfer("clerk01", mine.id, {"W05", "", ""}); });
    REQUIRE(e);
    CHECK(e->code() == "queue.target_cannot_serve");
    CHECK(e->fact("window") == "W05");
    CHECK(e->fact("category") == "A");
    // W06 serves licences, but not the real-estate case the ticket carries.
    e = errorOf([&] { h.queue.transfer("clerk01", licence.id, {"W06", "", ""}, caseNumber); });
    REQUIRE(e);
    CHECK(e->code() == "queue.target_cannot_serve");
    CHECK(e->fact("matter") == kBdc);
    e = errorOf([&] { h.queue.transfer("clerk01", mine.id, {"", "ghost", ""}); });
    REQUIRE(e);
    CHECK(e->code() == "queue.unknown_staff");
    CHECK(e->fact("staff") == "ghost");
    CHECK(codeOf([&] {
        h.queue.transfer("clerk01", mine.id, {"", "clerk02", ""});
    }) == "queue.staff_cannot_serve"); // inactive
    CHECK(codeOf([&] {
        h.queue.transfer("clerk01", mine.id, {"", "reviewer01", ""});
    }) == "queue.staff_cannot_serve");
    CHECK(codeOf([&] { h.queue.transfer("clerk01", mine.id, {"", "", "Z"}); }) == "queue.unknown_category");
    CHECK(codeOf([&] { h.queue.transfer("clerk01", mine.id, {"W99", "", ""}); }) == "queue.unknown_window");
    CHECK(codeOf([&] { h.queue.transfer("clerk01", mine.id, {"", "", ""}); }) == "queue.no_target");
    CHECK(codeOf([&] {
        h.queue.transfer("clerk01", "330102-20260302-A404", {"W02", "", ""});
    }) == "queue.ticket_not_found");

    // A clerk moves neither a waiting ticket nor another clerk's.
    e = errorOf([&] { h.queue.transfer("clerk01", waiting.id, {"W02", "", ""}); });
    REQUIRE(e);
    CHECK(e->code() == "permission.denied");
    CHECK(e->fact("action") == "move_ticket");
    CHECK(codeOf([&] { h.queue.transfer("clerk01", other.id, {"W01", "", ""}); }) == "permission.denied");
    CHECK(h.eventCount() == before);

    // A general window can take the case; the queue manager moves anybody's ticket.
    CHECK(h.queue.transfer("clerk01", licence.id, {"W01", "", ""}, caseNumber).caseNumber == caseNumber);
    const Ticket w = h.queue.transfer("manager01", waiting.id, {"W02", "", ""});
    CHECK(w.targetWindow == "W02");
    CHECK(w.status == TicketStatus::Waiting);
    h.advance(4000);
    const Ticket o = h.queue.transfer("manager01", other.id, {"", "clerk01", "B"});
    CHECK(o.status == TicketStatus::Waiting);
    CHECK(o.targetStaff == "clerk01");
    CHECK(o.category == "B");
    CHECK(o.servingMs == 4000);
    CHECK_FALSE(h.queue.currentAt("W02"));
    CHECK(h.eventCount() == before + 3);
    const auto events = h.store.allEvents();
    CHECK(events.back().actor == "manager01");
    CHECK(events.back().body.getString("toStaff") == "clerk01");
    CHECK(events.back().body.getString("toCategory") == "B");
}

TEST_CASE("queue: a walk-in is issued and called at once", "[queue]")
{
    Hall h;
    const Ticket b1 = h.queue.issue("clerk01", "B");
    REQUIRE(h.queue.callNext("clerk01", "W03").called);
    h.advance(5000);
    const std::size_t before = h.eventCount();
    const Ticket w = h.queue.walkIn("clerk01", "W03", "B", TicketPriority::Elderly);
    CHECK(h.eventCount() == before + 3); // the window's current ticket ended, issued, called
    CHECK(w.walkIn);
    CHECK(w.id == "330102-20260302-B002");
    CHECK(w.priority == TicketPriority::Elderly);
    CHECK(w.status == TicketStatus::Called);
    CHECK(w.window == "W03");
    CHECK(w.staff == "clerk01");
    CHECK(w.issuedAt == h.nowMs);
    CHECK(w.firstCalledAt == h.nowMs);
    CHECK(w.servingSince == h.nowMs);
    CHECK(w.waitingMs == 0);
    const Ticket ended = h.ticket(b1.id);
    CHECK(ended.status == TicketStatus::Ended);
    CHECK(ended.servingMs == 5000);
    REQUIRE(h.queue.currentAt("W03"));
    CHECK(h.queue.currentAt("W03")->id == w.id);

    h.queue.end("clerk01", w.id);
    const std::size_t idle = h.eventCount();
    CHECK(h.queue.walkIn("clerk01", "W03", "B").walkIn);
    CHECK(h.eventCount() == idle + 2);
    auto e = errorOf([&] { h.queue.walkIn("clerk01", "W03", "C"); });
    REQUIRE(e);
    CHECK(e->code() == "queue.target_cannot_serve");
    CHECK(e->fact("window") == "W03");
    CHECK(e->fact("category") == "C");
    CHECK(h.eventCount() == idle + 2);
}

TEST_CASE("queue: priorityFor gives applicants of 60 and over the elderly class", "[queue]")
{
    CHECK(priorityFor(bornOn("19500615"), kDay) == TicketPriority::Elderly);
    CHECK(priorityFor(bornOn("19660302"), kDay) == TicketPriority::Elderly); // 60 today
    CHECK(priorityFor(bornOn("19660303"), kDay) == TicketPriority::Normal); // 60 tomorrow
    CHECK(priorityFor(bornOn("19800101"), kDay) == TicketPriority::Normal);
    CHECK(priorityFor(bornOn("19500615"), kDay, 80) == TicketPriority::Normal);
    CHECK(priorityFor(bornOn("19660303"), kDay, 59) == TicketPriority::Elderly);
    Applicant passport = bornOn("19400101");
    passport.idKind = IdKind::Passport;
    passport.idNumber = "E12345678"; // no birth date in it
    CHECK(priorityFor(passport, kDay) == TicketPriority::Normal);
    Applicant broken = bornOn("19400101");
    broken.idNumber.back() = broken.idNumber.back() == '0' ? '1' : '0'; // bad check digit
    CHECK(priorityFor(broken, kDay) == TicketPriority::Normal);
}

TEST_CASE("queue: the ticket fold ignores what a state does not allow", "[queue]")
{
    const std::int64_t t0 = noonMs(kDay);
    Json issued = Json::object();
    issued["centre"] = "330102";
    issued["day"] = "20260302";
    issued["category"] = "A";
    issued["number"] = 1;
    issued["priority"] = "disabled";
    const Ticket fresh = ticketFromIssued(ticketEvent(TicketEvent::Issued, t0, issued));
    CHECK(fresh.id == "330102-20260302-A001");
    CHECK(fresh.day == kDay);
    CHECK(fresh.number == 1);
    CHECK(fresh.priority == TicketPriority::Disabled);
    CHECK(fresh.issuedAt == t0);
    CHECK(fresh.queuedAt == t0);
    CHECK(fresh.status == TicketStatus::Waiting);

    auto unchanged = [](const Ticket& before, const Event& e) {
        INFO(toString(before.status) << " + " << e.type);
        CHECK(applyTicketEvent(before, e).toJson() == before.toJson());
    };
    // Waiting: nothing to recall, park, end or mark absent; a second issue changes nothing.
    unchanged(fresh, ticketEvent(TicketEvent::Recalled, t0 + 1));
    unchanged(fresh, ticketEvent(TicketEvent::Parked, t0 + 1));
    unchanged(fresh, ticketEvent(TicketEvent::Ended, t0 + 1));
    unchanged(fresh, ticketEvent(TicketEvent::NoShow, t0 + 1));
    Json again = issued;
    again["number"] = 7;
    unchanged(fresh, ticketEvent(TicketEvent::Issued, t0 + 1, again));

    Ticket t = applyTicketEvent(fresh, calledTo("W01", t0 + 1000));
    CHECK(t.status == TicketStatus::Called);
    CHECK(t.window == "W01");
    CHECK(t.waitingMs == 1000);
    unchanged(t, calledTo("W02", t0 + 1500)); // already called
    unchanged(t, ticketEvent(TicketEvent::Cancelled, t0 + 1500));
    t = applyTicketEvent(t, ticketEvent(TicketEvent::Parked, t0 + 4000));
    CHECK(t.status == TicketStatus::Parked);
    CHECK(t.servingMs == 3000);
    unchanged(t, ticketEvent(TicketEvent::Recalled, t0 + 5000));
    unchanged(t, ticketEvent(TicketEvent::Parked, t0 + 5000));
    unchanged(t, ticketEvent(TicketEvent::NoShow, t0 + 5000));
    t = applyTicketEvent(t, calledTo("W02", t0 + 10'000));
    CHECK(t.status == TicketStatus::Called);
    CHECK(t.window == "W02");
    CHECK(t.waitingMs == 1000);
    CHECK(t.firstCalledAt == t0 + 1000);
    Json closing = Json::object();
    closing["case"] = "330102-20260302-000001";
    t = applyTicketEvent(t, ticketEvent(TicketEvent::Ended, t0 + 12'000, closing));
    CHECK(t.status == TicketStatus::Ended);
    CHECK(t.servingMs == 5000);
    CHECK(t.endedAt == t0 + 12'000);
    CHECK(t.caseNumber == "330102-20260302-000001");

    // An ended ticket stays as it is, whatever a replica receives later.
    for (const char* type : {TicketEvent::Called, TicketEvent::Recalled, TicketEvent::NoShow,
             TicketEvent::Parked, TicketEvent::Transferred, TicketEvent::Ended, TicketEvent::Cancelled})
        unchanged(t,
            std::string(type) == TicketEvent::Called ? calledTo("W03", t0 + 20'000)
                                                     : ticketEvent(type, t0 + 20'000));

    // A ticket survives its own JSON.
    CHECK(Ticket::fromJson(t.toJson()).toJson() == t.toJson());
    CHECK(t.toJson().getString("number") == "A001");
    CHECK(t.toJson().getString("status") == "ended");
}

TEST_CASE("queue: chooseNextTicket, pure", "[queue]")
{
    const ServiceWindow w03{"W03", "3", {"B"}, true};
    const ServiceWindow w01{"W01", "1", {"A"}, true};
    const std::int64_t now = 100'000;

    // Same queue time: the lower number; an earlier queue time beats a lower number.
    std::vector<Ticket> q
        = {waitingTicket("B", 7, 1000), waitingTicket("B", 3, 1000), waitingTicket("B", 1, 2000)};
    CHECK(chooseNextTicket(q, w03, "clerk01", now)->number == 3);
    q[1].status = TicketStatus::Called;
    CHECK(chooseNextTicket(q, w03, "clerk01", now)->number == 7);
    q[0].status = TicketStatus::Parked;
    CHECK(chooseNextTicket(q, w03, "clerk01", now)->number == 1);
    q[2].category = "A"; // a real-estate window does not call general tickets
    CHECK_FALSE(chooseNextTicket(q, w03, "clerk01", now));
    CHECK(chooseNextTicket(q, w01, "clerk01", now)->number == 1);
    CHECK_FALSE(chooseNextTicket({}, w01, "clerk01", now));

    // Priority classes before the rest, by queue time among themselves.
    std::vector<Ticket> p
        = {waitingTicket("B", 1, 1000), waitingTicket("B", 2, 5000), waitingTicket("B", 3, 4000)};
    p[1].priority = TicketPriority::Disabled;
    p[2].priority = TicketPriority::Elderly;
    CHECK(chooseNextTicket(p, w03, "clerk01", now)->number == 3);
    p[2].status = TicketStatus::Ended;
    CHECK(chooseNextTicket(p, w03, "clerk01", now)->number == 2);

    // An appointment waits for its time, then goes first.
    Ticket appt = waitingTicket("B", 9, now + 1);
    appt.priority = TicketPriority::Appointment;
    appt.appointmentAt = now + 1;
    p.push_back(appt);
    CHECK(chooseNextTicket(p, w03, "clerk01", now)->number == 2);
    p[1].status = TicketStatus::Ended;
    CHECK(chooseNextTicket(p, w03, "clerk01", now)->number == 1);
    CHECK(chooseNextTicket(p, w03, "clerk01", now + 1)->number == 9);

    // Directed tickets: only for their staff member and window, and before everything.
    Ticket forClerk03 = waitingTicket("B", 20, now);
    forClerk03.targetStaff = "clerk03";
    Ticket forW04 = waitingTicket("B", 21, now);
    forW04.targetWindow = "W04";
    p.push_back(forClerk03);
    p.push_back(forW04);
    CHECK(chooseNextTicket(p, w03, "clerk01", now + 1)->number == 9);
    CHECK(chooseNextTicket(p, w03, "clerk03", now + 1)->number == 20);
    const ServiceWindow w04{"W04", "4", {"B"}, true};
    CHECK(chooseNextTicket(p, w04, "clerk01", now + 1)->number == 21);
    CHECK(chooseNextTicket(p, w04, "clerk03", now + 1)->number == 20); // same queue time, lower number
}

TEST_CASE("queue: windows, ids, names and the predicted wait", "[queue]")
{
    const ServiceWindow general{"W01", "1", {"A"}, true};
    const ServiceWindow estate{"W03", "3", {"B"}, true};
    const ServiceWindow closed{"W02", "2", {"A"}, false};
    const ServiceWindow both{"W13", "13", {"B", "C"}, true};
    CHECK(windowServesCategory(general, "A"));
    CHECK(windowServesCategory(general, "F"));
    CHECK(windowServesCategory(estate, "B"));
    CHECK_FALSE(windowServesCategory(estate, "A"));
    CHECK_FALSE(windowServesCategory(estate, "C"));
    CHECK_FALSE(windowServesCategory(closed, "A"));
    CHECK(windowServesCategory(both, "C"));
    CHECK_FALSE(windowServesCategory(both, "D"));

    CHECK(formatTicketId("330102", kDay, "A", 1) == "330102-20260302-A001");
    CHECK(formatTicketId("330105", Date(2026, 12, 31), "F", 42) == "330105-20261231-F042");
    CHECK(formatTicketId("330102", kDay, "B", 999) == "330102-20260302-B999");

    for (TicketStatus s : {TicketStatus::Waiting, TicketStatus::Called, TicketStatus::Parked,
             TicketStatus::Ended, TicketStatus::NoShow, TicketStatus::Cancelled})
        CHECK(ticketStatusFromString(toString(s)) == s);
    CHECK(toString(TicketStatus::NoShow) == "no_show");
    CHECK_FALSE(ticketStatusFromString("gone"));
    for (TicketPriority p : {TicketPriority::Normal, TicketPriority::Elderly, TicketPriority::Disabled,
             TicketPriority::Appointment})
        CHECK(ticketPriorityFromString(toString(p)) == p);
    CHECK_FALSE(ticketPriorityFromString("vip"));
    CHECK(isTicketEventType(TicketEvent::Transferred));
    CHECK_FALSE(isTicketEventType("case.opened"));
    CHECK_FALSE(isFinished(TicketStatus::Parked));
    CHECK(isFinished(TicketStatus::Cancelled));

    CHECK(predictedWaitMs(0, 300'000, 2) == 0);
    CHECK(predictedWaitMs(-3, 300'000, 2) == 0);
    CHECK(predictedWaitMs(3, 300'000, 2) == 450'000);
    CHECK(predictedWaitMs(4, 300'000, 2) == 600'000);
    CHECK(predictedWaitMs(5, 60'000, 1) == 300'000);
    CHECK(predictedWaitMs(7, 90'000, 3) == 210'000);
    CHECK(predictedWaitMs(2, 1000, 0) == 2000); // no window open: as if one
}

TEST_CASE("queue: the floor at a glance — windows, categories and predicted waits", "[queue][floor]")
{
    Hall h;
    const Ticket a1 = h.queue.issue("clerk01", "A");
    const Ticket a2 = h.queue.issue("clerk01", "A");
    h.advance(2 * kMinute);
    const Ticket b1 = h.queue.issue("clerk01", "B");
    const Ticket a3 = h.queue.issue("clerk01", "A");
    // W01 serves A001 for 6 minutes and ends it; W02 calls A002 and has served it 3 minutes.
    h.queue.callNext("clerk01", "W01");
    h.advance(6 * kMinute);
    h.queue.end("clerk01", a1.id);
    h.queue.callNext("clerk03", "W02");
    h.advance(3 * kMinute);
    FloorView f = summariseFloor(h.queue.today(), hallSetup().windows, hallSetup().categories, h.nowMs);
    REQUIRE(f.windows.size() == 12);
    CHECK(f.windows[0].window.code == "W01");
    CHECK_FALSE(f.windows[0].current);
    CHECK(f.windows[0].staff == "clerk01");
    CHECK(f.windows[0].served == 1);
    CHECK(f.windows[0].idleMs == 3 * kMinute);
    REQUIRE(f.windows[1].current);
    CHECK(f.windows[1].current->id == a2.id);
    CHECK(f.windows[1].staff == "clerk03");
    CHECK(f.windows[1].servingMs == 3 * kMinute);
    CHECK(f.windows[2].idleMs == 0); // never served today
    // Waiting: B001 and A003, both issued 9 minutes ago, in call order.
    CHECK(idsOf(f.waiting) == std::vector<std::string>{b1.id, a3.id});
    const FloorCategory& catA = f.categories[0];
    CHECK(catA.category.code == "A");
    CHECK(catA.waiting == 1);
    CHECK(catA.longestWaitMs == 9 * kMinute);
    CHECK(catA.meanServingMs == 6 * kMinute); // A001's service
    CHECK(catA.windowsServing == 2);
    CHECK(catA.predictedWaitMs == 3 * kMinute); // 1 ahead × 6 min / 2 windows
    const FloorCategory& catB = f.categories[1];
    CHECK(catB.waiting == 1);
    CHECK(catB.meanServingMs == 5 * kMinute); // nobody served in B yet: the default
    CHECK(catB.windowsServing == 4); // W03, W04 and the general windows W01, W02
    CHECK(catB.predictedWaitMs == 5 * kMinute / 4);
    CHECK(f.categories[2].waiting == 0);
    CHECK(f.categories[2].predictedWaitMs == 0);
}

TEST_CASE("queue: a case assigned to a window that does not serve its matters is refused", "[queue][assign]")
{
    Hall h;
    h.ctx.windows = hallSetup().windows;
    const std::string n = h.openCase(); // a real-estate matter: category B
    const std::size_t before = h.eventCount();
    CHECK(codeOf([&] { h.work.assign("manager01", n, "clerk03", "W05"); }) == "queue.target_cannot_serve");
    auto e = errorOf([&] { h.work.assign("manager01", n, "clerk03", "W05"); });
    REQUIRE(e);
    CHECK(e->fact("matter") == kBdc);
    CHECK(codeOf([&] { h.work.assign("manager01", n, "clerk03", "W99"); }) == "queue.unknown_window");
    // An administrator does not work on cases.
    CHECK(codeOf([&] { h.work.assign("manager01", n, "admin01", ""); }) == "case.assignee_cannot_serve");
    CHECK(h.eventCount() == before);
    // W03 serves real estate; W01 is a general window.
    CHECK(h.work.assign("manager01", n, "clerk03", "W03").assignee == "clerk03");
    CHECK(h.work.assign("manager01", n, "clerk01", "W01").window == "W01");
    CHECK(h.work.assign("manager01", n, "reviewer01", "").assignee == "reviewer01");
}

namespace {

// The hall as a workstation sees it during an outage: the shared hall refuses every
// change with "queue.offline"; the node's own copy (here the same in-memory hall) takes
// what nobody else can claim.
class OfflineHall : public HallStore {
public:
    explicit OfflineHall(InMemoryHallStore& local)
        : m_local(local)
    {
    }
    bool offline = true;
    int localAppends = 0;
    std::vector<Event> appendToHall(const std::function<std::vector<NewEvent>(HallReader&)>& plan) override
    {
        if (offline)
            throw DomainError("queue.offline", {{"reason", "test"}});
        return m_local.appendToHall(plan);
    }
    std::vector<Event> appendLocally(const std::function<std::vector<NewEvent>(HallReader&)>& plan) override
    {
        ++localAppends;
        return m_local.appendToHall(plan);
    }
    std::optional<Ticket> findTicket(const std::string& id) const override { return m_local.findTicket(id); }
    std::vector<Ticket> hallTickets(Date day) const override { return m_local.hallTickets(day); }

private:
    InMemoryHallStore& m_local;
};

} // namespace

TEST_CASE("queue: offline, a walk-in is recorded at the window with a number of its own; calling is refused",
    "[queue]")
{
    Hall h;
    OfflineHall offline(h.hall);
    QueueService queue{
        offline, h.staff, h.store, h.catalogue, hallSetup(), [&h] { return h.nowMs; }, "330102"};
    const Ticket waiting = h.queue.issue("clerk01", "A"); // issued before the outage: A001

    CHECK(codeOf([&] { queue.callNext("clerk01", "W01"); }) == "queue.offline");
    const Ticket first = queue.walkIn("clerk01", "W01", "A");
    CHECK(first.id == "330102-20260302-W01-A001");
    CHECK(first.display() == "W01-A001");
    CHECK(first.status == TicketStatus::Called);
    CHECK(first.window == "W01");
    CHECK(first.walkIn);
    CHECK(offline.localAppends == 1);
    // A second walk-in ends the first and takes the window's next own number.
    const Ticket second = queue.walkIn("clerk01", "W01", "A");
    CHECK(second.id == "330102-20260302-W01-A002");
    CHECK(h.ticket(first.id).status == TicketStatus::Ended);
    // Ending one's own service is recorded too; recalling or parking claims the shared
    // hall and is refused.
    CHECK(codeOf([&] { queue.recall("clerk01", second.id); }) == "queue.offline");
    CHECK(queue.end("clerk01", second.id).status == TicketStatus::Ended);
    CHECK(offline.localAppends == 3);
    // A ticket of somebody else's is not ended offline.
    offline.offline = false;
    const Ticket others = queue.walkIn("clerk03", "W02", "A");
    offline.offline = true;
    CHECK(codeOf([&] { queue.end("clerk01", others.id); }) == "queue.offline");

    // Back online, the band goes on where it was: the offline walk-ins took no number of it.
    offline.offline = false;
    CHECK(waiting.display() == "A001");
    CHECK(others.display() == "A002");
    CHECK(queue.issue("clerk01", "A").display() == "A003");
    CHECK(queue.callNext("clerk01", "W01").called->id == waiting.id);
}
