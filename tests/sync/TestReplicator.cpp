#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "../db/DbTestSupport.h"
#include "sync/ReplicaWriter.h"
#include "sync/Replicator.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ow;
using namespace ow::model;
using ow::test::TestDatabase;

namespace {

// A workstation's replica is always SQLite; the shared side is the suite's backend.
class ReplicaFile {
public:
    ReplicaFile()
        : m_path(ow::test::testFolder() + "/replica-" + std::to_string(++s_count) + ".db")
    {
        std::filesystem::create_directories(ow::test::testFolder());
        std::filesystem::remove(m_path);
    }
    ~ReplicaFile()
    {
        for (const char* suffix : {"", "-wal", "-shm"})
            std::filesystem::remove(m_path + suffix);
    }
    std::unique_ptr<db::Store> open() const { return db::Store::open("sqlite3://db=" + m_path); }

private:
    static inline int s_count = 0;
    std::string m_path;
};

// Services writing to one store, as a window does.
struct Desk {
    model::EventStore& store;
    Catalogue catalogue = demoCatalogue();
    HolidayCalendar calendar = builtinCalendar();
    InMemoryStaffDirectory staff;
    FixedClock clock{Date(2026, 3, 2)};
    InMemoryCaseNumberSource numbers;
    ServiceContext ctx{store, catalogue, calendar, staff, numbers, clock, "330102"};
    IntakeService intake{ctx};
    CaseWorkService work{ctx};

    Desk(model::EventStore& s, const std::string& workstation)
        : store(s)
        , numbers("330102", workstation)
    {
        staff.put({"clerk01", "王芳", {Role::WindowStaff}, "330102", true});
        staff.put({"reviewer01", "陈静", {Role::Reviewer}, "330102", true});
    }

    CaseState open(const std::string& name, const std::string& first17)
    {
        IntakeRequest r;
        r.applicant.name = name;
        r.applicant.idNumber = first17 + *gb11643CheckDigit(first17);
        r.matterCodes = {"330102-SC-001"};
        r.receivedMaterials = {"premises_proof", "registration_form"};
        return intake.open("clerk01", r);
    }
};

} // namespace

TEST_CASE(
    "replicator: a replica's events reach the shared store once, from its checkpoint on", "[replicator]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    Desk desk(*replica, "W03");
    auto a = desk.open("李强", "33010219800101001");
    desk.intake.accept("clerk01", a.number);
    auto b = desk.open("王芳", "33010219550505002");

    sync::StoreEndpoint up(*replica);
    sync::StoreEndpoint down(*central);
    sync::Replicator replicator(2); // small batches: several target transactions
    auto first = replicator.replicate(up, down);
    CHECK(first.read == 3);
    CHECK(first.sent == 3);
    CHECK(first.stored == 3);
    CHECK(first.batches == 2);
    CHECK(central->stateHash() == replica->stateHash());
    CHECK(central->findCase(a.number)->status == CaseStatus::Accepted);

    // Nothing new: nothing read, nothing sent.
    auto again = replicator.replicate(up, down);
    CHECK(again.read == 0);
    CHECK(again.sent == 0);
    CHECK(again.fromCursor == first.toCursor);

    // New work is picked up from the checkpoint.
    desk.work.addNote("clerk01", b.number, "applicant called");
    auto more = replicator.replicate(up, down);
    CHECK(more.read == 1);
    CHECK(more.sent == 1);
    CHECK(central->stateHash() == replica->stateHash());
    CHECK(central->verify().ok());
}

TEST_CASE("replicator: a lost checkpoint resends nothing the target already holds", "[replicator]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    Desk desk(*replica, "W03");
    desk.open("李强", "33010219800101001");
    desk.open("王芳", "33010219550505002");
    sync::StoreEndpoint up(*replica);
    sync::StoreEndpoint down(*central);
    sync::Replicator replicator;
    replicator.replicate(up, down);
    auto events = central->eventCount();
    // As if the process died after the target committed but before the checkpoint moved.
    central->setSetting(sync::Replicator::checkpointKey(up, down), "0");
    auto retry = replicator.replicate(up, down);
    CHECK(retry.read == 2);
    CHECK(retry.sent == 0); // the target said it has them all
    CHECK(central->eventCount() == events);
    central->setSetting(sync::Replicator::checkpointKey(up, down), "not a number");
    CHECK_THROWS_AS(replicator.replicate(up, down), DomainError);
}

TEST_CASE("replicator: two replicas working on one case converge through the shared store", "[replicator]")
{
    TestDatabase shared;
    ReplicaFile fileA;
    ReplicaFile fileB;
    auto central = shared.open();
    auto replicaA = fileA.open();
    auto replicaB = fileB.open();
    Desk deskA(*replicaA, "W03");
    Desk deskB(*replicaB, "W04");
    sync::StoreEndpoint a(*replicaA);
    sync::StoreEndpoint b(*replicaB);
    sync::StoreEndpoint c(*central);
    sync::Replicator r;

    auto opened = deskA.open("李强", "33010219800101001");
    r.replicate(a, c);
    r.replicate(c, b);
    REQUIRE(replicaB->findCase(opened.number));
    // Offline from each other: A accepts, B refuses the same application.
    deskA.intake.accept("clerk01", opened.number);
    deskB.intake.refuse("clerk01", opened.number, "不属于本机关职权范围", "");
    r.replicate(a, c);
    r.replicate(b, c);
    r.replicate(c, a);
    r.replicate(c, b);
    auto hash = central->stateHash();
    CHECK(replicaA->stateHash() == hash);
    CHECK(replicaB->stateHash() == hash);
    auto state = central->findCase(opened.number);
    REQUIRE(state);
    CHECK(state->inConflict());
    REQUIRE(state->conflict("decision"));
    CHECK(state->conflict("decision")->candidates.size() == 2);
    CHECK(replicaA->findCase(opened.number)->conflicts.size() == 1);
    CHECK(replicaB->findCase(opened.number)->conflicts.size() == 1);
}

TEST_CASE("replica writer: online, events reach the shared store at once", "[replica]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    sync::ReplicaWriter writer(*replica, [&]() -> db::Store& { return *central; });
    Desk desk(writer, "W03");
    auto c = desk.open("李强", "33010219800101001");
    desk.intake.accept("clerk01", c.number);
    CHECK(writer.online());
    CHECK(writer.pending() == 0);
    CHECK(central->eventCount() == 2);
    CHECK(central->findCase(c.number)->status == CaseStatus::Accepted);
    // Events carry the replica's own origin.
    CHECK(central->caseEvents(c.number).front().origin == replica->origin());
}

TEST_CASE(
    "replica writer: offline, work goes on locally and goes up when the shared store is back", "[replica]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    bool reachable = true;
    sync::ReplicaWriter writer(*replica, [&]() -> db::Store& {
        if (!reachable)
            throw DomainError("db.unreachable", {{"reason", "test: server stopped"}});
        return *central;
    });
    Desk desk(writer, "W03");
    auto before = desk.open("李强", "33010219800101001");
    CHECK(writer.pending() == 0);

    reachable = false;
    auto during = desk.open("王芳", "33010219550505002");
    desk.intake.accept("clerk01", during.number);
    desk.work.addNote("clerk01", before.number, "worked on while offline");
    CHECK_FALSE(writer.online());
    CHECK(writer.pending() == 3);
    CHECK(writer.lastError().find("db.unreachable") != std::string::npos);
    CHECK(writer.findCase(during.number)->status == CaseStatus::Accepted); // read from the replica
    CHECK_FALSE(central->findCase(during.number));
    CHECK_FALSE(writer.sync());

    reachable = true;
    CHECK(writer.sync());
    CHECK(writer.online());
    CHECK(writer.pending() == 0);
    CHECK(central->eventCount() == replica->eventCount());
    CHECK(central->stateHash() == replica->stateHash());
    CHECK(central->findCase(before.number)->notes == 1);
    // Pushing again sends nothing twice.
    auto events = central->eventCount();
    CHECK(writer.sync());
    CHECK(central->eventCount() == events);
    CHECK(central->verify().ok());
    CHECK(replica->verify().ok());
}
