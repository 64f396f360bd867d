// Who may do what: the role × action table written out here on purpose (a change in
// model/Permissions.cpp must be repeated here), and the services enforcing it.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Permissions.h"
#include "model/ServiceContext.h"

#include "ServiceWorld.h"

#include <catch2/catch.hpp>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

using namespace ow::model;
using ow::test::errorOf;

namespace {

using A = Action;

struct Row {
    Action action;
    const char* name;
    bool windowStaff;
    bool reviewer;
    bool queueManager;
    bool administrator;
};

// clang-format off
const std::vector<Row> kTable = {
    //  action                 stable name          window reviewer manager admin
    {A::ViewCase,          "view_case",          true,  true,  true,  true },
    {A::OpenCase,          "open_case",          true,  false, false, false},
    {A::ReceiveMaterial,   "receive_material",   true,  true,  false, false},
    {A::Accept,            "accept",             true,  false, false, false},
    {A::AcceptDeficient,   "accept_deficient",   true,  false, false, false},
    {A::IssueNotice,       "issue_notice",       true,  false, false, false},
    {A::RecordCorrection,  "record_correction",  true,  false, false, false},
    {A::Refuse,            "refuse",             true,  false, false, false},
    {A::Route,             "route",              true,  true,  false, false},
    {A::CompleteStep,      "complete_step",      false, true,  false, false},
    {A::Suspend,           "suspend",            true,  true,  false, false},
    {A::Resume,            "resume",             true,  true,  false, false},
    {A::ApproveExtension,  "approve_extension",  false, true,  true,  false},
    {A::Conclude,          "conclude",           true,  true,  false, false},
    {A::Deliver,           "deliver",            true,  false, false, false},
    {A::Withdraw,          "withdraw",           true,  false, false, false},
    {A::Terminate,         "terminate",          false, true,  true,  false},
    {A::Close,             "close",              true,  false, false, false},
    {A::AddNote,           "add_note",           true,  true,  true,  true },
    {A::IssueDocument,     "issue_document",     true,  true,  false, false},
    {A::RecordEvaluation,  "record_evaluation",  false, false, true,  false},
    {A::Assign,            "assign",             false, false, true,  false},
    {A::TransferCentre,    "transfer_centre",    true,  false, true,  false},
    {A::ResolveConflict,   "resolve_conflict",   false, false, true,  true },
    {A::ManageCatalogue,   "manage_catalogue",   false, false, false, true },
    {A::ManageStaff,       "manage_staff",       false, false, false, true },
    {A::ManageCalendar,    "manage_calendar",    false, false, false, true },
    {A::IssueTicket,       "issue_ticket",       true,  false, true,  false},
    {A::CallTicket,        "call_ticket",        true,  false, false, false},
    {A::MoveTicket,        "move_ticket",        false, false, true,  false},
    {A::FollowUpRating,    "follow_up_rating",   false, false, true,  false},
};
// clang-format on

bool expectedAllows(const Row& row, Role role)
{
    switch (role) {
    case Role::WindowStaff:
        return row.windowStaff;
    case Role::Reviewer:
        return row.reviewer;
    case Role::QueueManager:
        return row.queueManager;
    case Role::Administrator:
        return row.administrator;
    }
    return false;
}

const Row& rowOf(Action a)
{
    for (const auto& r : kTable)
        if (r.action == a)
            return r;
    FAIL("action missing from the expected table: " << toString(a));
    return kTable.front();
}

const std::map<Role, std::string> kActorOf = {
    {Role::WindowStaff, "clerk01"},
    {Role::Reviewer, "reviewer01"},
    {Role::QueueManager, "manager01"},
    {Role::Administrator, "admin01"},
};

Applicant applicant()
{
    Applicant a;
    a.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
    const std::string first17 = "33010219800101123";
    a.idNumber = first17 + *gb11643CheckDigit(first17);
    a.phone = "13812345678";
    return a;
}

struct World : ow::test::ServiceWorld {
    // The former clerk still holds two roles: a disabled account may use neither.
    World()
        : ServiceWorld(Date(2026, 3, 2), {Role::WindowStaff, Role::Reviewer})
    {
    }

    IntakeRequest request(std::vector<std::string> received) const
    {
        IntakeRequest r;
        r.applicant = applicant();
        r.matterCodes = {"330102-BDC-001"};
        r.receivedMaterials = std::move(received);
        r.window = "W03";
        return r;
    }

    // Cases prepared by the clerk (and the reviewer for review steps) in a state where
    // the action under test is allowed by the state machine.
    std::string consulting() { return intake.open("clerk01", request({"property_certificate"})).number; }
    std::string complete()
    {
        return intake.open("clerk01", request({"property_certificate", "sale_contract"})).number;
    }
    std::string awaiting()
    {
        auto n = consulting();
        intake.issueNotice("clerk01", n, {"sale_contract"});
        return n;
    }
    std::string accepted()
    {
        auto n = complete();
        intake.accept("clerk01", n);
        return n;
    }
    std::string inReview()
    {
        auto n = accepted();
        work.route("clerk01", n, "s1", "BDC", "reviewer01");
        return n;
    }
    std::string suspended()
    {
        auto n = accepted();
        work.suspend("clerk01", n, "site_visit");
        return n;
    }
    std::string approved()
    {
        auto n = accepted();
        work.conclude("clerk01", n, true);
        return n;
    }
    std::string refused()
    {
        auto n = consulting();
        intake.refuse("clerk01", n, "outside_remit", "");
        return n;
    }
    // Accepted here and, concurrently, refused at another workstation (ws02) that had
    // seen only the opening: a decision conflict.
    std::string inConflict()
    {
        auto n = complete();
        const std::string openedId = store.caseEvents(n).front().id();
        intake.accept("clerk01", n);
        Event other;
        other.origin = "ws02";
        other.seq = 1;
        other.hlc = makeHlc(nowMs + 10, 0);
        other.type = EventType::Refused;
        other.caseNumber = n;
        other.actor = "clerk09";
        other.heads = {openedId};
        other.body = Json::object();
        other.body["reason"] = "duplicate_application";
        other.seal();
        store.receive({other});
        return n;
    }
    std::string inEffect(const std::string& n) const
    {
        return store.findCase(n)->conflict("decision")->candidates.front().eventId;
    }
};

// A representative service call per action: `prepare` brings a case (by the clerk) into
// a state where the state machine allows the action; `act` is the call under test.
struct Probe {
    std::function<std::string(World&)> prepare;
    std::function<void(World&, const std::string& actor, const std::string& caseNumber)> act;
};

using W = World;
using Str = const std::string&;

std::map<Action, Probe> serviceCalls()
{
    return {
        {A::ViewCase, {&W::consulting, [](W& w, Str a, Str n) { w.work.view(a, n); }}},
        {A::OpenCase,
            {[](W&) { return std::string(); }, [](W& w, Str a, Str) { w.intake.open(a, w.request({})); }}},
        {A::ReceiveMaterial,
            {&W::consulting, [](W& w, Str a, Str n) { w.intake.receiveMaterials(a, n, {"sale_contract"}); }}},
        {A::Accept, {&W::complete, [](W& w, Str a, Str n) { w.intake.accept(a, n); }}},
        {A::AcceptDeficient,
            {&W::consulting,
                [](W& w, Str a, Str n) {
                    w.intake.acceptWithDeficiencies(a, n, {"sale_contract"}, Date(2026, 3, 16));
                }}},
        {A::IssueNotice,
            {&W::consulting, [](W& w, Str a, Str n) { w.intake.issueNotice(a, n, {"sale_contract"}); }}},
        {A::RecordCorrection,
            {&W::awaiting, [](W& w, Str a, Str n) { w.intake.recordCorrection(a, n, {"sale_contract"}); }}},
        {A::Refuse, {&W::consulting, [](W& w, Str a, Str n) { w.intake.refuse(a, n, "outside_remit", ""); }}},
        {A::Route, {&W::accepted, [](W& w, Str a, Str n) { w.work.route(a, n, "s1", "BDC", "reviewer01"); }}},
        {A::CompleteStep, {&W::inReview, [](W& w, Str a, Str n) { w.work.completeStep(a, n, "s1", "ok"); }}},
        {A::Suspend, {&W::accepted, [](W& w, Str a, Str n) { w.work.suspend(a, n, "site_visit"); }}},
        {A::Resume, {&W::suspended, [](W& w, Str a, Str n) { w.work.resume(a, n); }}},
        {A::ApproveExtension,
            {&W::inReview,
                [](W& w, Str a, Str n) {
                    w.work.extend(a, n, {5, DayCounting::Working}, "survey", "clerk01");
                }}},
        {A::Conclude, {&W::accepted, [](W& w, Str a, Str n) { w.work.conclude(a, n, true); }}},
        {A::Deliver, {&W::approved, [](W& w, Str a, Str n) { w.work.deliver(a, n, "window"); }}},
        {A::Withdraw,
            {&W::consulting, [](W& w, Str a, Str n) { w.work.withdraw(a, n, "applicant_request"); }}},
        {A::Terminate, {&W::accepted, [](W& w, Str a, Str n) { w.work.terminate(a, n, "object_lost"); }}},
        {A::Close, {&W::refused, [](W& w, Str a, Str n) { w.work.close(a, n); }}},
        {A::AddNote, {&W::consulting, [](W& w, Str a, Str n) { w.work.addNote(a, n, "called"); }}},
        {A::IssueDocument,
            {&W::consulting,
                [](W& w, Str a, Str n) { w.work.recordDocument(a, n, "receipt", "SJ-1", false); }}},
        {A::RecordEvaluation,
            {&W::consulting, [](W& w, Str a, Str n) { w.work.recordEvaluation(a, n, 5, "window", ""); }}},
        {A::Assign, {&W::consulting, [](W& w, Str a, Str n) { w.work.assign(a, n, "clerk01", "W05"); }}},
        {A::TransferCentre,
            {&W::consulting, [](W& w, Str a, Str n) { w.work.transferToCentre(a, n, "330105", "tongban"); }}},
        {A::ResolveConflict,
            {&W::inConflict,
                [](W& w, Str a, Str n) { w.work.resolveConflict(a, n, "decision", w.inEffect(n)); }}},
    };
}

} // namespace

TEST_CASE("permissions: the expected table names every action once, in the model's order", "[permissions]")
{
    REQUIRE(kTable.size() == allActions().size());
    for (std::size_t i = 0; i < kTable.size(); ++i) {
        INFO(kTable[i].name);
        CHECK(allActions()[i] == kTable[i].action);
        CHECK(toString(kTable[i].action) == kTable[i].name);
    }
    std::set<std::string> names;
    for (const auto& r : kTable)
        names.insert(r.name);
    CHECK(names.size() == kTable.size());

    CHECK(allRoles()
        == std::vector<Role>{Role::WindowStaff, Role::Reviewer, Role::QueueManager, Role::Administrator});
    const std::map<Role, std::string> roleNames
        = {{Role::WindowStaff, "window_staff"}, {Role::Reviewer, "reviewer"},
            {Role::QueueManager, "queue_manager"}, {Role::Administrator, "administrator"}};
    for (Role r : allRoles()) {
        CHECK(toString(r) == roleNames.at(r));
        CHECK(roleFromString(toString(r)) == r);
    }
    CHECK_FALSE(roleFromString("superuser"));
    CHECK_FALSE(roleFromString(""));
}

TEST_CASE("permissions: roleAllows for every role and action", "[permissions]")
{
    int allowed = 0;
    for (Role role : allRoles()) {
        for (Action action : allActions()) {
            INFO(toString(role) << " " << toString(action));
            const bool expected = expectedAllows(rowOf(action), role);
            CHECK(roleAllows(role, action) == expected);
            allowed += expected ? 1 : 0;
        }
    }
    CHECK(allowed == 20 + 11 + 11 + 6);
}

TEST_CASE("permissions: staff with several roles get the union; inactive staff nothing", "[permissions]")
{
    Staff both{"dual01", "dual", {Role::WindowStaff, Role::Reviewer}, "330102", true};
    for (Action a : allActions()) {
        INFO(toString(a));
        const Row& row = rowOf(a);
        CHECK(both.can(a) == (row.windowStaff || row.reviewer));
        if (both.can(a))
            CHECK_NOTHROW(requirePermission(both, a));
    }
    Staff none{"nobody", "nobody", {}, "330102", true};
    Staff gone{"gone01", "gone", {Role::Administrator}, "330102", false};
    for (Action a : allActions()) {
        INFO(toString(a));
        CHECK_FALSE(none.can(a));
        CHECK_FALSE(gone.can(a));
        auto e = errorOf([&] { requirePermission(gone, a); });
        REQUIRE(e);
        CHECK(e->code() == "permission.inactive");
        CHECK(e->fact("actor") == "gone01");
        CHECK(e->fact("action") == toString(a));
        e = errorOf([&] { requirePermission(none, a); });
        REQUIRE(e);
        CHECK(e->code() == "permission.denied");
        CHECK(e->fact("roles").empty());
    }
    auto e = errorOf([&] { requirePermission(both, A::Assign); });
    REQUIRE(e);
    CHECK(e->code() == "permission.denied");
    CHECK(e->fact("actor") == "dual01");
    CHECK(e->fact("action") == "assign");
    CHECK(e->fact("roles") == "window_staff,reviewer");
}

TEST_CASE("permissions: the services enforce the table for every role", "[permissions]")
{
    const auto calls = serviceCalls();
    // Only reference-data management has no case service to call. The ticket actions
    // belong to the queue service and the rating follow-up to the evaluation service, whose
    // role checks are tested in TestQueue.cpp and TestEvaluation.cpp.
    for (Action a : allActions()) {
        const bool referenceData = a == A::ManageCatalogue || a == A::ManageStaff || a == A::ManageCalendar;
        const bool queue
            = a == A::IssueTicket || a == A::CallTicket || a == A::MoveTicket || a == A::FollowUpRating;
        CHECK(calls.count(a) == (referenceData || queue ? 0U : 1U));
    }
    for (const auto& [action, probe] : calls) {
        for (Role role : allRoles()) {
            const std::string& actor = kActorOf.at(role);
            INFO(toString(role) << " (" << actor << ") " << toString(action));
            World w;
            const std::string n = probe.prepare(w);
            const std::size_t before = w.eventCount();
            auto e = errorOf([&] { probe.act(w, actor, n); });
            if (expectedAllows(rowOf(action), role)) {
                if (e)
                    FAIL_CHECK("refused: " << e->what());
                // Viewing writes nothing; everything else exactly one event by the actor.
                const std::size_t written = action == A::ViewCase ? 0 : 1;
                REQUIRE(w.eventCount() == before + written);
                if (written)
                    CHECK(w.store.allEvents().back().actor == actor);
                continue;
            }
            REQUIRE(e);
            CHECK(e->code() == "permission.denied");
            CHECK(e->fact("actor") == actor);
            CHECK(e->fact("action") == toString(action));
            CHECK(e->fact("roles") == toString(role));
            CHECK(w.eventCount() == before);
        }
    }
}

TEST_CASE("permissions: a refused call appends no event", "[permissions]")
{
    World w;
    const std::string n = w.accepted();
    const std::string incomplete = w.consulting();
    const std::size_t before = w.eventCount();
    const auto heads = w.store.findCase(n)->heads;
    const std::vector<std::pair<std::string, std::function<void()>>> refusals = {
        {"permission.denied", [&] { w.work.completeStep("clerk01", n, "s1", "ok"); }},
        {"permission.denied",
            [&] {
                w.work.extend("clerk01", n, {5, DayCounting::Working}, "x", "clerk01");
            }},
        {"permission.denied", [&] { w.work.assign("clerk01", n, "clerk01"); }},
        {"permission.denied", [&] { w.intake.open("reviewer01", w.request({})); }},
        {"permission.denied", [&] { w.work.close("reviewer01", n); }},
        {"permission.denied", [&] { w.work.route("manager01", n, "s1", "BDC", ""); }},
        {"permission.denied", [&] { w.work.conclude("manager01", n, true); }},
        {"permission.denied", [&] { w.work.suspend("admin01", n, "x"); }},
        {"permission.denied", [&] { w.intake.refuse("admin01", n, "x", ""); }},
        {"permission.inactive", [&] { w.work.route("clerk02", n, "s1", "BDC", ""); }},
        {"permission.inactive", [&] { w.intake.open("clerk02", w.request({})); }},
        {"permission.inactive", [&] { w.work.view("clerk02", n); }},
        {"permission.unknown_actor", [&] { w.work.addNote("ghost", n, "x"); }},
        {"permission.unknown_actor", [&] { w.intake.open("", w.request({})); }},
        // The state machine refuses through the same path: nothing is written either.
        {"case.transition_refused", [&] { w.work.deliver("clerk01", n, "window"); }},
        {"case.not_suspended", [&] { w.work.resume("clerk01", n); }},
        {"case.body_invalid", [&] { w.work.route("clerk01", n, "s1", "", ""); }},
        {"case.materials_missing", [&] { w.intake.accept("clerk01", incomplete); }},
    };
    for (const auto& [code, call] : refusals) {
        INFO(code);
        const std::size_t count = w.eventCount();
        auto e = errorOf(call);
        REQUIRE(e);
        CHECK(e->code() == code);
        if (code.rfind("permission.", 0) == 0)
            CHECK_FALSE(e->fact("action").empty());
        CHECK(w.eventCount() == count);
        CHECK(w.store.findCase(n)->heads == heads);
    }
    CHECK(w.eventCount() == before);
    // Refused intakes used up no case number.
    CHECK(w.intake.open("clerk01", w.request({})).number == "330102-20260302-000003");
}

TEST_CASE("permissions: unknown and inactive accounts are named in the error", "[permissions]")
{
    World w;
    const std::string n = w.consulting();
    auto e = errorOf([&] { w.work.view("ghost", n); });
    REQUIRE(e);
    CHECK(e->code() == "permission.unknown_actor");
    CHECK(e->fact("actor") == "ghost");
    CHECK(e->fact("action") == "view_case");

    // clerk02 still holds two roles, but a disabled account may do nothing at all.
    e = errorOf([&] { w.intake.accept("clerk02", n); });
    REQUIRE(e);
    CHECK(e->code() == "permission.inactive");
    CHECK(e->fact("actor") == "clerk02");
    CHECK(e->fact("action") == "accept");

    // A permission problem is reported before a missing case.
    e = errorOf([&] { w.work.view("ghost", "330102-20260302-000404"); });
    REQUIRE(e);
    CHECK(e->code() == "permission.unknown_actor");
}
