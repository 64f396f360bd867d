// Roles on every service call, over a real store (the suite's backend): a table with one
// row per public call of the intake, case-work, queue and rating services that writes or
// reads a case, a ticket or a rating, each tried by one account of every role, by a second
// window clerk who does not own the ticket, by a disabled account holding every role and by
// an unknown name. The expected outcome comes from the row's guard and the role × action
// table (model/Permissions); a refused call must name the actor and action and write
// nothing, an allowed one must write as the actor.
//
// The table is data that must stay complete: every Action needs a row (or an entry in the
// short list of actions no service offers yet), every Role an account, and every public
// method of the service headers that takes an actor a row, so a new call or action without
// an entry fails here.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/CentreSetup.h"
#include "model/Error.h"
#include "model/EvaluationService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"
#include "model/Permissions.h"
#include "model/QueueService.h"

#include "../db/DbTestSupport.h"
#include "db/Store.h"

#include <catch2/catch.hpp>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace ow;
using namespace ow::model;
using ow::test::TestDatabase;

namespace {

const Date kDay(2026, 3, 2);

// How a call decides who may make it.
enum class Guard {
    Action, // the row's action, nothing else
    OwnTicket, // CallTicket, and the ticket is the caller's own unless they may MoveTicket
    PassOn, // one's own called ticket with CallTicket, anybody's with MoveTicket
};

// A counter with every service on one store, the demo hall and one account per role.
struct Counter {
    TestDatabase tdb;
    std::int64_t nowMs = kDay.days() * 86'400'000 + 4 * 3'600'000; // noon, China Standard Time
    std::unique_ptr<db::Store> store;
    Catalogue catalogue;
    HolidayCalendar calendar = builtinCalendar();
    FixedClock clock{kDay};
    std::unique_ptr<db::StoreCaseNumberSource> numbers;
    std::unique_ptr<ServiceContext> ctx;
    std::unique_ptr<IntakeService> intake;
    std::unique_ptr<CaseWorkService> work;
    std::unique_ptr<QueueService> queue;
    std::unique_ptr<EvaluationService> ratings;
    int peers = 0;

    Counter()
    {
        db::OpenOptions options;
        options.clock = [this] { return nowMs; };
        store = tdb.open(options);
        store->initialise("330102");
        store->putCatalogue(demoCatalogue(), "admin01");
        store->putCentreSetup(demoCategories(), demoWindows(), "admin01");
        const std::set<Role> every(allRoles().begin(), allRoles().end());
        for (const Staff& s : std::vector<Staff>{{"clerk01", "clerk", {Role::WindowStaff}, "330102", true},
                 {"clerk03", "clerk", {Role::WindowStaff}, "330102", true},
                 {"reviewer01", "reviewer", {Role::Reviewer}, "330102", true},
                 {"manager01", "manager", {Role::QueueManager}, "330102", true},
                 {"admin01", "admin", {Role::Administrator}, "330102", true},
                 {"former01", "former", every, "330102", false}})
            store->putStaff(s, "", "admin01");
        catalogue = store->catalogue();
        numbers = std::make_unique<db::StoreCaseNumberSource>(*store, "330102", "W03", 50);
        ctx = std::make_unique<ServiceContext>(
            ServiceContext{*store, catalogue, calendar, *store, *numbers, clock, "330102"});
        intake = std::make_unique<IntakeService>(*ctx);
        work = std::make_unique<CaseWorkService>(*ctx);
        queue = std::make_unique<QueueService>(
            *store, *store, *store, catalogue, HallSetup{store->categories(), store->windows(), 60},
            [this] { return nowMs; }, "330102");
        ratings = std::make_unique<EvaluationService>(*ctx, *store, *store);
    }

    IntakeRequest request(std::vector<std::string> received) const
    {
        IntakeRequest r;
        r.applicant.name = "\xE7\x8E\x8B\xE8\x8A\xB3"; // 王芳
        const std::string first17 = "33010219800101123";
        r.applicant.idNumber = first17 + *gb11643CheckDigit(first17);
        r.applicant.phone = "13812345678";
        r.matterCodes = {"330102-BDC-001"};
        r.receivedMaterials = std::move(received);
        r.window = "W03";
        return r;
    }

    // Subjects prepared by the clerk (and others where the state needs them) in a state in
    // which the call under test is allowed by the state machine and the queue rules.
    std::string consulting() { return intake->open("clerk01", request({"property_certificate"})).number; }
    std::string complete()
    {
        return intake->open("clerk01", request({"property_certificate", "sale_contract"})).number;
    }
    std::string awaiting()
    {
        auto n = consulting();
        intake->issueNotice("clerk01", n, {"sale_contract"});
        return n;
    }
    std::string accepted()
    {
        auto n = complete();
        intake->accept("clerk01", n);
        return n;
    }
    std::string inReview()
    {
        auto n = accepted();
        work->route("clerk01", n, "s1", "BDC", "reviewer01");
        return n;
    }
    std::string suspended()
    {
        auto n = accepted();
        work->suspend("clerk01", n, "site_visit");
        return n;
    }
    std::string approved()
    {
        auto n = accepted();
        work->conclude("clerk01", n, true);
        return n;
    }
    std::string refused()
    {
        auto n = consulting();
        intake->refuse("clerk01", n, "outside_remit", "");
        return n;
    }
    // Accepted here and, concurrently, refused at another workstation that had seen only
    // the opening: a decision conflict.
    std::string inConflict()
    {
        auto n = complete();
        const std::string openedId = store->caseEvents(n).front().id();
        intake->accept("clerk01", n);
        Event other;
        other.origin = "ws" + std::to_string(++peers);
        other.seq = 1;
        other.hlc = makeHlc(nowMs + 10, 0);
        other.type = EventType::Refused;
        other.caseNumber = n;
        other.actor = "clerk09";
        other.heads = {openedId};
        other.body = Json::object();
        other.body["reason"] = "duplicate_application";
        other.seal();
        REQUIRE(store->receive({other}) == 1);
        return n;
    }
    std::string inEffect(const std::string& n) const
    {
        return store->findCase(n)->conflict("decision")->candidates.front().eventId;
    }
    // A kiosk ticket called to W01 by clerk01.
    std::string calledTicket()
    {
        queue->issueAtKiosk("K1", "A");
        auto call = queue->callNext("clerk01", "W01");
        REQUIRE(call.called);
        return call.called->id;
    }
    std::string parkedTicket()
    {
        auto t = calledTicket();
        queue->park("clerk01", t);
        return t;
    }
    std::string waitingTicket() { return queue->issueAtKiosk("K1", "A").id; }
    std::string servedTicket()
    {
        auto t = calledTicket();
        queue->end("clerk01", t);
        return t;
    }
    static Rating phoneRating(int level, const std::string& caseNumber)
    {
        Rating r;
        r.level = level;
        r.channel = "phone";
        r.comment = "slow";
        r.caseNumber = caseNumber;
        return r;
    }
    std::string badRating() { return ratings->record("manager01", phoneRating(1, consulting())).id; }
    std::string nothing() { return {}; }
};

using C = Counter;
using Str = const std::string&;

struct Call {
    const char* service;
    const char* method;
    Action action;
    Guard guard;
    std::function<std::string(C&)> prepare;
    std::function<void(C&, Str actor, Str subject)> act;
    bool writes = true;
};

std::vector<Call> calls()
{
    using A = Action;
    using G = Guard;
    return {
        // IntakeService
        {"IntakeService", "open", A::OpenCase, G::Action, &C::nothing,
            [](C& c, Str a, Str) { c.intake->open(a, c.request({})); }},
        {"IntakeService", "receiveMaterials", A::ReceiveMaterial, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.intake->receiveMaterials(a, n, {"sale_contract"}); }},
        {"IntakeService", "accept", A::Accept, G::Action, &C::complete,
            [](C& c, Str a, Str n) { c.intake->accept(a, n); }},
        {"IntakeService", "acceptWithDeficiencies", A::AcceptDeficient, G::Action, &C::consulting,
            [](C& c, Str a, Str n) {
                c.intake->acceptWithDeficiencies(a, n, {"sale_contract"}, Date(2026, 3, 16));
            }},
        {"IntakeService", "issueNotice", A::IssueNotice, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.intake->issueNotice(a, n, {"sale_contract"}); }},
        {"IntakeService", "recordCorrection", A::RecordCorrection, G::Action, &C::awaiting,
            [](C& c, Str a, Str n) { c.intake->recordCorrection(a, n, {"sale_contract"}); }},
        {"IntakeService", "refuse", A::Refuse, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.intake->refuse(a, n, "outside_remit", ""); }},
        // CaseWorkService
        {"CaseWorkService", "view", A::ViewCase, G::Action, &C::consulting,
            [](C& c, Str a, Str n) {
                if (c.work->view(a, n).number != n)
                    throw std::logic_error("view returned another case");
            },
            false},
        {"CaseWorkService", "route", A::Route, G::Action, &C::accepted,
            [](C& c, Str a, Str n) { c.work->route(a, n, "s1", "BDC", "reviewer01"); }},
        {"CaseWorkService", "completeStep", A::CompleteStep, G::Action, &C::inReview,
            [](C& c, Str a, Str n) { c.work->completeStep(a, n, "s1", "ok"); }},
        {"CaseWorkService", "suspend", A::Suspend, G::Action, &C::accepted,
            [](C& c, Str a, Str n) { c.work->suspend(a, n, "site_visit"); }},
        {"CaseWorkService", "resume", A::Resume, G::Action, &C::suspended,
            [](C& c, Str a, Str n) { c.work->resume(a, n); }},
        {"CaseWorkService", "extend", A::ApproveExtension, G::Action, &C::inReview,
            [](C& c, Str a, Str n) {
                c.work->extend(a, n, {5, DayCounting::Working}, "survey", "clerk01");
            }},
        {"CaseWorkService", "conclude", A::Conclude, G::Action, &C::accepted,
            [](C& c, Str a, Str n) { c.work->conclude(a, n, true); }},
        {"CaseWorkService", "deliver", A::Deliver, G::Action, &C::approved,
            [](C& c, Str a, Str n) { c.work->deliver(a, n, "window"); }},
        {"CaseWorkService", "withdraw", A::Withdraw, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->withdraw(a, n, "applicant_request"); }},
        {"CaseWorkService", "terminate", A::Terminate, G::Action, &C::accepted,
            [](C& c, Str a, Str n) { c.work->terminate(a, n, "object_lost"); }},
        {"CaseWorkService", "close", A::Close, G::Action, &C::refused,
            [](C& c, Str a, Str n) { c.work->close(a, n); }},
        {"CaseWorkService", "addNote", A::AddNote, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->addNote(a, n, "called"); }},
        {"CaseWorkService", "assign", A::Assign, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->assign(a, n, "clerk01", "W05"); }},
        {"CaseWorkService", "transferToCentre", A::TransferCentre, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->transferToCentre(a, n, "330105", "tongban"); }},
        {"CaseWorkService", "recordEvaluation", A::RecordEvaluation, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->recordEvaluation(a, n, 5, "window", ""); }},
        {"CaseWorkService", "recordDocument", A::IssueDocument, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.work->recordDocument(a, n, "receipt", "SJ-1", false); }},
        {"CaseWorkService", "resolveConflict", A::ResolveConflict, G::Action, &C::inConflict,
            [](C& c, Str a, Str n) { c.work->resolveConflict(a, n, "decision", c.inEffect(n)); }},
        // QueueService
        {"QueueService", "issue", A::IssueTicket, G::Action, &C::nothing,
            [](C& c, Str a, Str) { c.queue->issue(a, "A"); }},
        {"QueueService", "callNext", A::CallTicket, G::Action, &C::waitingTicket,
            [](C& c, Str a, Str) {
                if (!c.queue->callNext(a, "W02").called)
                    throw std::logic_error("nobody called although somebody waits");
            }},
        {"QueueService", "walkIn", A::CallTicket, G::Action, &C::nothing,
            [](C& c, Str a, Str) { c.queue->walkIn(a, "W02", "A"); }},
        {"QueueService", "recall", A::CallTicket, G::OwnTicket, &C::calledTicket,
            [](C& c, Str a, Str t) { c.queue->recall(a, t); }},
        {"QueueService", "noShow", A::CallTicket, G::OwnTicket, &C::calledTicket,
            [](C& c, Str a, Str t) { c.queue->noShow(a, t); }},
        {"QueueService", "park", A::CallTicket, G::OwnTicket, &C::calledTicket,
            [](C& c, Str a, Str t) { c.queue->park(a, t); }},
        {"QueueService", "resumeParked", A::CallTicket, G::OwnTicket, &C::parkedTicket,
            [](C& c, Str a, Str t) { c.queue->resumeParked(a, "W01", t); }},
        {"QueueService", "end", A::CallTicket, G::OwnTicket, &C::calledTicket,
            [](C& c, Str a, Str t) { c.queue->end(a, t); }},
        {"QueueService", "transfer", A::MoveTicket, G::PassOn, &C::calledTicket,
            [](C& c, Str a, Str t) {
                c.queue->transfer(a, t, TicketTarget{"W02", "", ""});
            }},
        {"QueueService", "cancel", A::IssueTicket, G::Action, &C::waitingTicket,
            [](C& c, Str a, Str t) { c.queue->cancel(a, t); }},
        // EvaluationService
        {"EvaluationService", "record", A::RecordEvaluation, G::Action, &C::consulting,
            [](C& c, Str a, Str n) { c.ratings->record(a, C::phoneRating(2, n)); }},
        {"EvaluationService", "followUp", A::FollowUpRating, G::Action, &C::badRating,
            [](C& c, Str a, Str v) {
                c.ratings->followUp(a, v, FollowUpAction::Callback, "called back", false);
            }},
    };
}

// Actions no application service offers yet: reference data is written by the
// administrator's tool (owctl) with the database's own credentials.
const std::set<Action> kNoServiceCall
    = {Action::ManageCatalogue, Action::ManageStaff, Action::ManageCalendar};

// Who tries each call: one account per role, plus the cases the guards distinguish.
struct Actor {
    std::string id;
    std::optional<Role> role;
};
const std::vector<Actor> kActors = {
    {"clerk01", Role::WindowStaff}, {"reviewer01", Role::Reviewer}, {"manager01", Role::QueueManager},
    {"admin01", Role::Administrator}, {"clerk03", Role::WindowStaff}, // not the owner of the prepared tickets
    {"former01", std::nullopt}, // disabled, holding every role
    {"ghost", std::nullopt}, // no such account
};

// The error a call by `actor` must end with, "" when it must succeed.
std::string expectedOutcome(const Call& call, const db::Store& store, const std::string& actor)
{
    const auto staff = store.findStaff(actor);
    if (!staff)
        return "permission.unknown_actor";
    if (!staff->active)
        return "permission.inactive";
    const bool own = actor == "clerk01"; // the prepared tickets are called by clerk01
    switch (call.guard) {
    case Guard::Action:
        return staff->can(call.action) ? "" : "permission.denied";
    case Guard::OwnTicket:
        if (!staff->can(Action::CallTicket))
            return "permission.denied";
        return own || staff->can(Action::MoveTicket) ? "" : "queue.not_your_ticket";
    case Guard::PassOn:
        return (own && staff->can(Action::CallTicket)) || staff->can(Action::MoveTicket)
            ? ""
            : "permission.denied";
    }
    return "unknown guard";
}

// The public methods of a service class that take the acting account first.
std::set<std::string> actorMethods(const std::string& header, const std::string& className)
{
    std::ifstream in(std::string(OW_SOURCE_DIR) + "/model/" + header);
    REQUIRE(in);
    std::stringstream buffer;
    buffer << in.rdbuf();
    std::string text = buffer.str();
    const auto start = text.find("class " + className);
    REQUIRE(start != std::string::npos);
    text = text.substr(start);
    const auto end = text.find("private:");
    text = text.substr(0, end);
    std::set<std::string> out;
    static const std::regex method(R"((\w+)\(\s*const std::string& actor\b)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), method); it != std::sregex_iterator(); ++it)
        out.insert((*it)[1]);
    return out;
}

} // namespace

TEST_CASE("security: the role table covers every action, role and service call", "[security][roles]")
{
    const auto table = calls();
    std::set<Action> covered;
    for (const auto& c : table)
        covered.insert(c.action);
    for (Action a : allActions()) {
        INFO(toString(a));
        CHECK((covered.count(a) + kNoServiceCall.count(a)) == 1);
    }
    for (Role r : allRoles()) {
        INFO(toString(r));
        CHECK(std::any_of(kActors.begin(), kActors.end(), [&](const Actor& x) { return x.role == r; }));
    }
    const std::map<std::string, std::string> headers
        = {{"IntakeService", "IntakeService.h"}, {"CaseWorkService", "CaseWorkService.h"},
            {"QueueService", "QueueService.h"}, {"EvaluationService", "EvaluationService.h"}};
    for (const auto& [service, header] : headers) {
        std::set<std::string> inTable;
        for (const auto& c : table)
            if (c.service == service)
                inTable.insert(c.method);
        const auto declared = actorMethods(header, service);
        INFO(service);
        CHECK(declared.size() > 1);
        CHECK(declared == inTable);
    }
}

TEST_CASE("security: every service call enforces the roles, for every role", "[security][roles]")
{
    Counter c;
    int allowed = 0, refused = 0;
    for (const auto& call : calls()) {
        for (const auto& actor : kActors) {
            INFO(call.service << "::" << call.method << " by " << actor.id);
            c.nowMs += 1000;
            const std::string subject = call.prepare(c);
            const std::int64_t before = c.store->eventCount();
            const std::string expected = expectedOutcome(call, *c.store, actor.id);
            std::optional<DomainError> error;
            try {
                call.act(c, actor.id, subject);
            } catch (const DomainError& e) {
                error = e;
            }
            if (expected.empty()) {
                if (error)
                    FAIL_CHECK("refused: " << error->code() << " " << error->what());
                if (call.writes) {
                    CHECK(c.store->eventCount() > before);
                    CHECK(
                        c.store->changesSince(c.store->lastArrival() - 1, 1).front().event.actor == actor.id);
                } else {
                    CHECK(c.store->eventCount() == before);
                }
                ++allowed;
                continue;
            }
            REQUIRE(error);
            CHECK(error->code() == expected);
            if (expected.rfind("permission.", 0) == 0) {
                CHECK(error->fact("actor") == actor.id);
                CHECK_FALSE(error->fact("action").empty());
                if (call.guard == Guard::Action)
                    CHECK(error->fact("action") == toString(call.action));
            }
            CHECK(c.store->eventCount() == before);
            ++refused;
        }
    }
    CHECK(allowed + refused == static_cast<int>(calls().size() * kActors.size()));
    CHECK(allowed > 40);
    CHECK(refused > 150);
    CHECK(c.store->verify().ok());
}

TEST_CASE(
    "security: the public devices act without an account and are recorded as themselves", "[security][roles]")
{
    Counter c;
    // The kiosk issues tickets and the evaluator rates the service its window ended; both
    // are recorded under the device's name, never under a staff account.
    const Ticket t = c.queue->issueAtKiosk("K1", "A");
    CHECK(c.store->changesSince(c.store->lastArrival() - 1, 1).front().event.actor == "kiosk:K1");
    CHECK(t.status == TicketStatus::Waiting);
    const std::string served = c.servedTicket();
    Rating r;
    r.level = 5;
    const Evaluation v = c.ratings->rateAtWindow("W01", served, r);
    CHECK(c.store->changesSince(c.store->lastArrival() - 1, 1).front().event.actor == "evaluator:W01");
    // The evaluator of another window cannot rate it, nor can it be rated twice.
    const std::int64_t before = c.store->eventCount();
    try {
        c.ratings->rateAtWindow("W01", served, r);
        FAIL("rated twice");
    } catch (const DomainError& e) {
        CHECK(e.code() == "evaluation.already_rated");
    }
    const std::string other = c.servedTicket();
    const std::int64_t afterServing = c.store->eventCount();
    try {
        c.ratings->rateAtWindow("W02", other, r);
        FAIL("rated from another window");
    } catch (const DomainError& e) {
        CHECK(e.code() == "evaluation.not_served_here");
    }
    CHECK(c.store->eventCount() == afterServing);
    CHECK(afterServing > before);
    CHECK(v.level == 5);
}
