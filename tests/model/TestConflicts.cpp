#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/ConflictTable.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/StateHash.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace ow::model;

namespace {

// Source files stay ASCII; UTF-8 text is spelled in bytes.
const std::string kWangFang = "\xE7\x8E\x8B\xE8\x8A\xB3"; // U+738B U+82B3

constexpr std::int64_t kT0 = 1796000000000; // 2026-11-30T00:53:20Z in ms since the epoch

// What every replica shares: reference data, staff and the day.
struct World {
    Catalogue catalogue = demoCatalogue();
    HolidayCalendar calendar = builtinCalendar();
    InMemoryStaffDirectory staff;
    FixedClock today{Date(2026, 11, 30)};

    World()
    {
        staff.put({"clerk_a", "Clerk A", {Role::WindowStaff}, "330102", true});
        staff.put({"clerk_b", "Clerk B", {Role::WindowStaff}, "330102", true});
        staff.put({"reviewer", "Reviewer", {Role::Reviewer}, "330102", true});
        staff.put({"manager", "Queue manager", {Role::QueueManager}, "330102", true});
    }
};

// One node: its own store (own origin, own wall clock) and the real services on it.
struct Replica {
    std::int64_t wallMs;
    InMemoryEventStore store;
    InMemoryCaseNumberSource numbers;
    ServiceContext ctx;
    IntakeService intake;
    CaseWorkService work;

    Replica(World& w, const std::string& origin, const std::string& workstation, std::int64_t wall)
        : wallMs(wall)
        , store(origin, [this] { return wallMs; })
        , numbers("330102", workstation)
        , ctx{store, w.catalogue, w.calendar, w.staff, numbers, w.today, "330102"}
        , intake(ctx)
        , work(ctx)
    {
    }

    CaseState state(const std::string& number) const
    {
        auto s = store.findCase(number);
        REQUIRE(s);
        return *s;
    }
};

// Replication is a set union: each side receives everything the other has.
void exchange(Replica& a, Replica& b)
{
    a.store.receive(b.store.allEvents());
    b.store.receive(a.store.allEvents());
}

Applicant applicant()
{
    Applicant a;
    a.name = kWangFang;
    a.idKind = IdKind::ResidentId;
    a.idNumber = "11010519491231002X";
    a.phone = "13812345678";
    return a;
}

// Deed tax: id_card comes by data sharing; the two copies are handed over or not.
std::string openCase(Replica& r, bool withMaterials)
{
    IntakeRequest req;
    req.applicant = applicant();
    req.matterCodes = {"330102-SW-001"};
    if (withMaterials)
        req.receivedMaterials = {"sale_contract", "property_certificate"};
    req.window = "W03";
    return r.intake.open("clerk_a", req).number;
}

std::string errorCode(const std::function<void()>& action)
{
    try {
        action();
    } catch (const DomainError& e) {
        return e.code();
    }
    return "no error";
}

std::string lastEventId(const Replica& r, const std::string& type)
{
    std::string id;
    for (const auto& e : r.store.allEvents())
        if (e.type == type && e.origin == r.store.origin())
            id = e.id();
    REQUIRE(!id.empty());
    return id;
}

std::set<std::string> ids(const std::vector<Event>& events)
{
    std::set<std::string> out;
    for (const auto& e : events)
        out.insert(e.id());
    return out;
}

bool hasAnomaly(const CaseState& s, const std::string& eventId, const std::string& code)
{
    return std::any_of(s.anomalies.begin(), s.anomalies.end(),
        [&](const Anomaly& a) { return a.eventId == eventId && a.code == code; });
}

// Both replicas hold the same events and fold them to the same state.
void requireConverged(const Replica& a, const Replica& b, const std::string& number)
{
    REQUIRE(ids(a.store.allEvents()) == ids(b.store.allEvents()));
    CaseState sa = a.state(number);
    CaseState sb = b.state(number);
    CHECK(sa.toJson().canonical() == sb.toJson().canonical());
    CHECK(stateHash({sa}) == stateHash({sb}));
    CHECK(sa.eventCount == static_cast<int>(a.store.caseEvents(number).size()));
}

Event eventOf(const std::string& type, Json body = Json::object())
{
    Event e;
    e.origin = "ws_t";
    e.seq = 1;
    e.type = type;
    e.caseNumber = "330102-20261130-000001";
    e.actor = "clerk_a";
    e.body = std::move(body);
    return e;
}

Json member(const char* key, const char* value)
{
    Json j = Json::object();
    j[key] = value;
    return j;
}

} // namespace

TEST_CASE("conflicts: the table groups every known event type", "[conflicts]")
{
    // The design: decisions, assignments, transfers and suspensions conflict; materials,
    // notes, evaluations and the like commute; completion steps collapse when repeated.
    const std::map<std::string, std::string> expected = {
        {EventType::Accepted, "decision"},
        {EventType::AcceptedDeficient, "decision"},
        {EventType::NoticeIssued, "decision"},
        {EventType::Refused, "decision"},
        {EventType::Concluded, "decision"},
        {EventType::Withdrawn, "decision"},
        {EventType::Terminated, "decision"},
        {EventType::Assigned, "assignment"},
        {EventType::Transferred, "transfer"},
        {EventType::Suspended, "suspension"},
        {EventType::Resumed, "suspension"},
        {EventType::Extended, "suspension"},
        {EventType::Corrected, "completion"},
        {EventType::Delivered, "completion"},
        {EventType::Closed, "completion"},
    };
    for (const auto& type : knownCaseEventTypes()) {
        INFO(type);
        auto it = expected.find(type);
        auto group = conflictGroup(type);
        if (it == expected.end()) {
            CHECK_FALSE(group);
        } else {
            REQUIRE(group);
            CHECK(*group == it->second);
        }
    }
    CHECK_FALSE(conflictGroup("case.from_the_future"));
    CHECK(groupCanConflict("decision"));
    CHECK(groupCanConflict("assignment"));
    CHECK(groupCanConflict("transfer"));
    CHECK(groupCanConflict("suspension"));
    CHECK_FALSE(groupCanConflict("completion"));
}

TEST_CASE("conflicts: every pair of event types, same and different values", "[conflicts]")
{
    const std::set<std::string> decision
        = {EventType::Accepted, EventType::AcceptedDeficient, EventType::NoticeIssued, EventType::Refused,
            EventType::Concluded, EventType::Withdrawn, EventType::Terminated};
    const std::set<std::string> suspension = {EventType::Suspended, EventType::Resumed, EventType::Extended};
    auto groupOf = [&](const std::string& t) -> std::string {
        if (decision.count(t))
            return "decision";
        if (suspension.count(t))
            return "suspension";
        if (t == EventType::Assigned)
            return "assignment";
        if (t == EventType::Transferred)
            return "transfer";
        return ""; // commutes, or collapses as a duplicate
    };
    // One representative body per type; the value compared is the same for equal types.
    auto sample = [](const std::string& t) {
        if (t == EventType::Assigned)
            return eventOf(t, member("assignee", "clerk_b"));
        if (t == EventType::Transferred)
            return eventOf(t, member("toCentre", "330106"));
        if (t == EventType::Concluded)
            return eventOf(t, member("outcome", "approved"));
        return eventOf(t);
    };

    std::vector<std::string> types = knownCaseEventTypes();
    types.push_back("case.from_the_future");
    int pairs = 0;
    for (const auto& ta : types) {
        for (const auto& tb : types) {
            INFO(ta << " vs " << tb);
            const std::string g = groupOf(ta);
            const bool expected = !g.empty() && g == groupOf(tb) && ta != tb;
            CHECK(eventsConflict(sample(ta), sample(tb)) == expected);
            ++pairs;
        }
    }
    CHECK(pairs == 24 * 24);

    // Values within a type.
    auto assigned = [](const char* who) { return eventOf(EventType::Assigned, member("assignee", who)); };
    CHECK(eventsConflict(assigned("clerk_a"), assigned("clerk_b")));
    CHECK_FALSE(eventsConflict(assigned("clerk_a"), assigned("clerk_a")));
    CHECK(conflictValue(assigned("clerk_a")) == "clerk_a");
    auto transferred = [](const char* to) { return eventOf(EventType::Transferred, member("toCentre", to)); };
    CHECK(eventsConflict(transferred("330106"), transferred("330108")));
    CHECK_FALSE(eventsConflict(transferred("330106"), transferred("330106")));
    auto concluded
        = [](const char* outcome) { return eventOf(EventType::Concluded, member("outcome", outcome)); };
    CHECK(eventsConflict(concluded("approved"), concluded("denied")));
    CHECK_FALSE(eventsConflict(concluded("denied"), concluded("denied")));
    CHECK(eventsConflict(concluded("approved"), eventOf(EventType::Withdrawn)));
    // Completion steps never conflict, whatever their bodies say.
    CHECK_FALSE(eventsConflict(eventOf(EventType::Delivered, member("method", "post")),
        eventOf(EventType::Delivered, member("method", "window"))));
    // Commuting types never conflict, whatever their bodies say.
    CHECK_FALSE(eventsConflict(
        eventOf(EventType::Note, member("text", "a")), eventOf(EventType::Note, member("text", "b"))));
    CHECK_FALSE(eventsConflict(eventOf(EventType::MaterialReceived, member("codes", "a")),
        eventOf(EventType::MaterialReceived, member("codes", "b"))));
}

TEST_CASE("conflicts: concurrent accept and refuse on two replicas", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0);
    Replica b(world, "ws_b", "W02", kT0 + 1000); // B's clock runs a second ahead

    const std::string number = openCase(a, true);
    CHECK(b.store.receive(a.store.allEvents()) == 1);
    REQUIRE(b.state(number).status == CaseStatus::Consulting);

    // Both sides decide before hearing from the other.
    CHECK(a.intake.accept("clerk_a", number).status == CaseStatus::Accepted);
    CHECK(b.intake.refuse("clerk_b", number, "not competent", "Art. 32").status == CaseStatus::Refused);
    const std::string acceptId = lastEventId(a, EventType::Accepted);
    const std::string refuseId = lastEventId(b, EventType::Refused);

    exchange(a, b);
    requireConverged(a, b, number);
    const CaseState s = a.state(number);

    // Both candidates are kept; nothing is dropped.
    CHECK(s.eventCount == 3);
    CHECK(s.inConflict());
    REQUIRE(s.conflicts.size() == 1);
    const CaseConflict* c = s.conflict("decision");
    REQUIRE(c);
    REQUIRE(c->candidates.size() == 2);
    std::set<std::string> candidateIds = {c->candidates[0].eventId, c->candidates[1].eventId};
    CHECK(candidateIds == std::set<std::string>{acceptId, refuseId});
    // The earlier one (by hlc) is provisionally in effect.
    CHECK(c->candidates[0].eventId == acceptId);
    CHECK(c->candidates[0].type == EventType::Accepted);
    CHECK(c->candidates[0].actor == "clerk_a");
    CHECK(c->candidates[1].type == EventType::Refused);
    CHECK(c->candidates[1].actor == "clerk_b");
    CHECK(s.status == CaseStatus::Accepted);
    CHECK(s.heads == std::vector<std::string>{acceptId, refuseId});

    // While in conflict nobody can decide again, on either side; annotations go on.
    CHECK(errorCode([&] { a.work.conclude("clerk_a", number, true); }) == "case.in_conflict");
    CHECK(errorCode([&] { b.work.withdraw("clerk_b", number, "applicant left"); }) == "case.in_conflict");

    SECTION("resolving for the second candidate")
    {
        const std::string chosen = c->candidates[1].eventId;
        const std::string loser = c->candidates[0].eventId;
        CaseState resolved = a.work.resolveConflict("manager", number, "decision", chosen);
        CHECK(resolved.status == CaseStatus::Refused);
        exchange(a, b);
        requireConverged(a, b, number);

        for (const Replica* r : {&a, &b}) {
            INFO(r->store.origin());
            const CaseState st = r->state(number);
            CHECK(st.status == CaseStatus::Refused);
            CHECK(st.refusalReason == "not competent");
            CHECK(st.refusalLegalBasis == "Art. 32");
            CHECK_FALSE(st.acceptedOn);
            CHECK_FALSE(st.inConflict());
            CHECK(st.eventCount == 4);
            // The losing event is still stored and visibly overruled.
            CHECK(ids(r->store.caseEvents(number)).count(loser) == 1);
            CHECK(hasAnomaly(st, loser, "case.overruled"));
        }
        // The refused case goes on as any refused case.
        CHECK(b.work.close("clerk_b", number).status == CaseStatus::Closed);
        exchange(a, b);
        requireConverged(a, b, number);
        CHECK(a.state(number).status == CaseStatus::Closed);
    }

    SECTION("resolving for the first candidate")
    {
        const std::string chosen = c->candidates[0].eventId;
        const std::string loser = c->candidates[1].eventId;
        b.work.resolveConflict("manager", number, "decision", chosen);
        exchange(a, b);
        requireConverged(a, b, number);

        for (const Replica* r : {&a, &b}) {
            INFO(r->store.origin());
            const CaseState st = r->state(number);
            CHECK(st.status == CaseStatus::Accepted);
            CHECK(st.refusalReason.empty());
            CHECK_FALSE(st.inConflict());
            CHECK(st.eventCount == 4);
            CHECK(ids(r->store.caseEvents(number)).count(loser) == 1);
            // Nothing silently dropped: the refusal that lost is as visible as in the other case.
            CHECK(hasAnomaly(st, loser, "case.overruled"));
        }
        CHECK(a.work.conclude("clerk_a", number, true).status == CaseStatus::Approved);
    }

    SECTION("a resolution must name a candidate of an open conflict")
    {
        CHECK(errorCode([&] {
            a.work.resolveConflict("manager", number, "decision", "ev-ws_a-000000000001");
        }) == "case.conflict_candidate_unknown");
        CHECK(errorCode([&] { a.work.resolveConflict("manager", number, "assignment", acceptId); })
            == "case.no_conflict");
        CHECK(errorCode([&] { a.work.resolveConflict("clerk_a", number, "decision", acceptId); })
            == "permission.denied");
        CHECK(a.state(number).inConflict());
    }
}

TEST_CASE("conflicts: concurrent identical decisions and assignments are duplicates", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0);
    Replica b(world, "ws_b", "W02", kT0);
    const std::string number = openCase(a, true);
    b.store.receive(a.store.allEvents());

    a.work.assign("manager", number, "clerk_b", "W05");
    b.work.assign("manager", number, "clerk_b", "W05");
    a.intake.accept("clerk_a", number);
    b.intake.accept("clerk_b", number);
    exchange(a, b);
    requireConverged(a, b, number);

    const CaseState s = a.state(number);
    CHECK_FALSE(s.inConflict());
    CHECK(s.assignee == "clerk_b");
    CHECK(s.window == "W05");
    CHECK(s.status == CaseStatus::Accepted);
    CHECK(s.eventCount == 5);
    CHECK(s.anomalies.empty());
    CHECK(s.heads.size() == 2);

    // Work goes on from the merged state on either side.
    CHECK(b.work.route("clerk_b", number, "review", "Tax bureau", "reviewer").status == CaseStatus::InReview);
    exchange(a, b);
    requireConverged(a, b, number);
}

TEST_CASE("conflicts: concurrent different assignments and transfers conflict", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0);
    Replica b(world, "ws_b", "W02", kT0 + 5);
    const std::string number = openCase(a, true);
    b.store.receive(a.store.allEvents());

    a.work.assign("manager", number, "clerk_a");
    b.work.assign("manager", number, "clerk_b");
    a.work.transferToCentre("manager", number, "330106", "applicant moved");
    b.work.transferToCentre("manager", number, "330108", "applicant moved");
    exchange(a, b);
    requireConverged(a, b, number);

    const CaseState s = a.state(number);
    CHECK(s.eventCount == 5);
    REQUIRE(s.conflict("assignment"));
    REQUIRE(s.conflict("transfer"));
    CHECK(s.conflict("assignment")->candidates.size() == 2);
    CHECK(s.conflict("transfer")->candidates.size() == 2);
    std::set<std::string> values;
    for (const auto& cand : s.conflict("transfer")->candidates)
        values.insert(cand.value);
    CHECK(values == std::set<std::string>{"330106", "330108"});
    // Other groups are not blocked: the decision can still be made.
    CHECK(a.intake.accept("clerk_a", number).status == CaseStatus::Accepted);

    // Each group is resolved on its own.
    const std::string chosen = s.conflict("transfer")->candidates[1].eventId;
    CHECK(b.work.resolveConflict("manager", number, "transfer", chosen).conflict("transfer") == nullptr);
    exchange(a, b);
    requireConverged(a, b, number);
    const CaseState after = a.state(number);
    CHECK(after.conflict("transfer") == nullptr);
    CHECK(after.conflict("assignment") != nullptr);
    CHECK(after.currentCentre == s.conflict("transfer")->candidates[1].value);
    CHECK(after.status == CaseStatus::Accepted);
}

TEST_CASE("conflicts: concurrent suspension and extension conflict", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0);
    Replica b(world, "ws_b", "W02", kT0 + 5);
    const std::string number = openCase(a, true);
    a.intake.accept("clerk_a", number);
    a.work.route("clerk_a", number, "review", "Tax bureau", "reviewer");
    b.store.receive(a.store.allEvents());
    REQUIRE(b.state(number).status == CaseStatus::InReview);

    a.work.suspend("reviewer", number, "expert opinion");
    b.work.extend("reviewer", number, {5, DayCounting::Working}, "complex", "clerk_b");
    exchange(a, b);
    requireConverged(a, b, number);
    const CaseState s = a.state(number);
    REQUIRE(s.conflict("suspension"));
    CHECK(s.conflict("suspension")->candidates.size() == 2);
    CHECK(s.eventCount == 5);
}

TEST_CASE("conflicts: concurrent notes and materials commute", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0 + 7);
    Replica b(world, "ws_b", "W02", kT0);
    const std::string number = openCase(a, false);
    b.store.receive(a.store.allEvents());
    REQUIRE(a.state(number).missingMandatoryMaterials().size() == 2);
    CHECK(errorCode([&] { a.intake.accept("clerk_a", number); }) == "case.materials_missing");

    a.intake.receiveMaterials("clerk_a", number, {"sale_contract"});
    b.intake.receiveMaterials("clerk_b", number, {"property_certificate"});
    a.work.addNote("clerk_a", number, "applicant called");
    b.work.addNote("clerk_b", number, "copy was blurred, new one taken");
    b.work.addNote("clerk_b", number, "second note");
    exchange(a, b);
    requireConverged(a, b, number);

    const CaseState s = a.state(number);
    CHECK_FALSE(s.inConflict());
    CHECK(s.anomalies.empty());
    CHECK(s.notes == 3);
    CHECK(s.eventCount == 6);
    CHECK(s.missingMandatoryMaterials().empty());
    REQUIRE(s.material("sale_contract"));
    CHECK(s.material("sale_contract")->received);
    REQUIRE(s.material("property_certificate"));
    CHECK(s.material("property_certificate")->received);

    // Each side alone was missing the other's material; together the case can be accepted.
    CHECK(b.intake.accept("clerk_b", number).status == CaseStatus::Accepted);
    exchange(a, b);
    requireConverged(a, b, number);
}

TEST_CASE("conflicts: concurrent extensions of different length are not collapsed", "[conflicts]")
{
    World world;
    Replica a(world, "ws_a", "W01", kT0);
    Replica b(world, "ws_b", "W02", kT0 + 5);
    const std::string number = openCase(a, true);
    a.intake.accept("clerk_a", number);
    a.work.route("clerk_a", number, "review", "Tax bureau", "reviewer");
    b.store.receive(a.store.allEvents());

    SECTION("different limits conflict")
    {
        a.work.extend("reviewer", number, {5, DayCounting::Working}, "complex", "clerk_a");
        b.work.extend("manager", number, {10, DayCounting::Working}, "very complex", "clerk_b");
        exchange(a, b);
        requireConverged(a, b, number);
        const CaseState s = a.state(number);
        CHECK(s.eventCount == 5);
        // Two approvals of different length: keeping one and dropping the other silently
        // would move the deadline without anyone deciding it.
        CHECK(s.conflict("suspension") != nullptr);
    }
    SECTION("identical limits are one extension")
    {
        a.work.extend("reviewer", number, {5, DayCounting::Working}, "complex", "clerk_a");
        b.work.extend("manager", number, {5, DayCounting::Working}, "complex", "clerk_b");
        exchange(a, b);
        requireConverged(a, b, number);
        const CaseState s = a.state(number);
        CHECK_FALSE(s.inConflict());
        CHECK(s.extensions.size() == 1);
        CHECK(s.status == CaseStatus::Extended);
    }
}

TEST_CASE("conflicts: concurrent contradictory resolutions stay visible", "[conflicts]")
{
    for (const bool aFirst : {true, false}) {
        INFO("the resolution for the first candidate is " << (aFirst ? "earlier" : "later"));
        World world;
        Replica a(world, "ws_a", "W01", kT0);
        Replica b(world, "ws_b", "W02", kT0 + 1000);
        const std::string number = openCase(a, true);
        b.store.receive(a.store.allEvents());
        a.intake.accept("clerk_a", number);
        b.intake.refuse("clerk_b", number, "not competent", "Art. 32");
        exchange(a, b);
        const CaseConflict c = *a.state(number).conflict("decision");

        // Two managers settle it at the same time, differently.
        a.wallMs = kT0 + (aFirst ? 5000 : 9000);
        b.wallMs = kT0 + (aFirst ? 9000 : 5000);
        a.work.resolveConflict("manager", number, "decision", c.candidates[0].eventId);
        b.work.resolveConflict("manager", number, "decision", c.candidates[1].eventId);
        const std::string resolutionA = lastEventId(a, EventType::ConflictResolved);
        const std::string resolutionB = lastEventId(b, EventType::ConflictResolved);
        exchange(a, b);
        requireConverged(a, b, number);

        const CaseState s = a.state(number);
        CHECK(s.eventCount == 5);
        // One of them wins; the other must not vanish without a trace.
        const bool aWon = s.status == CaseStatus::Accepted;
        const std::string losingResolution = aWon ? resolutionB : resolutionA;
        const bool visible = s.inConflict()
            || std::any_of(s.anomalies.begin(), s.anomalies.end(),
                [&](const Anomaly& x) { return x.eventId == losingResolution; });
        CHECK(visible);
    }
}
