#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "../db/DbTestSupport.h"
#include "SyncTestSupport.h"
#include "sync/ReplicaWriter.h"
#include "sync/Replicator.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <mutex>
#include <set>

using namespace ow;
using namespace ow::model;
using ow::test::Desk;
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
    sync::ReplicaWriter writer(*replica, ow::test::sharedWhile(reachable, central));
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

namespace {

// A target whose COMMIT is never acknowledged: receive() stores the batch (the target
// commits) and then fails as a connection lost before the answer arrived would, for the
// first `failures` calls.
class UnacknowledgedTarget : public sync::Endpoint {
public:
    struct Call {
        std::size_t sent;
        std::size_t stored;
    };

    // `claimLacking`: lacking() answers that every event is missing, as a transport that
    // cannot ask would, so that only the store's idempotence by id keeps a batch that is
    // sent again from being stored twice.
    UnacknowledgedTarget(db::Store& store, int failures, bool claimLacking)
        : m_inner(store)
        , m_failures(failures)
        , m_claimLacking(claimLacking)
    {
    }
    std::string id() const override { return m_inner.id(); }
    std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) override
    {
        return m_inner.changesSince(cursor, limit);
    }
    std::vector<std::string> lacking(const std::vector<std::string>& ids) override
    {
        return m_claimLacking ? ids : m_inner.lacking(ids);
    }
    std::size_t receive(const std::vector<model::Event>& events) override
    {
        const std::size_t stored = m_inner.receive(events);
        calls.push_back({events.size(), stored});
        if (m_failures > 0) {
            --m_failures;
            throw DomainError(
                "db.write_failed", {{"reason", "test: connection lost before the COMMIT was acknowledged"}});
        }
        return stored;
    }
    std::optional<std::int64_t> checkpoint(const std::string& key) override
    {
        return m_inner.checkpoint(key);
    }
    void setCheckpoint(const std::string& key, std::int64_t value) override
    {
        m_inner.setCheckpoint(key, value);
    }

    std::vector<Call> calls; // every receive, acknowledged or not

private:
    sync::StoreEndpoint m_inner;
    int m_failures;
    bool m_claimLacking;
};

// The error code replicate() failed with, or "" when it did not fail.
std::string failureOf(sync::Replicator& replicator, sync::Endpoint& source, sync::Endpoint& target)
{
    try {
        replicator.replicate(source, target);
    } catch (const DomainError& e) {
        return e.code();
    }
    return {};
}

} // namespace

TEST_CASE(
    "replicator: a COMMIT that was never acknowledged counts as pending and is sent again", "[replicator]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    Desk desk(*replica, "W03");
    std::vector<std::string> numbers;
    for (const char* first17 : {"33010219800101001", "33010219550505002"}) {
        auto c = desk.open("李强", first17);
        desk.intake.accept("clerk01", c.number);
        numbers.push_back(c.number);
    }
    numbers.push_back(desk.open("王芳", "33010219900909003").number);
    REQUIRE(replica->eventCount() == 5); // arrivals 1..5: batches [1 2] [3 4] [5]

    sync::StoreEndpoint up(*replica);
    sync::Replicator replicator(2);
    const bool claimLacking = GENERATE(false, true);
    CAPTURE(claimLacking);

    // Both sides hold the same events, once each, and nothing is left to send.
    auto converged = [&](UnacknowledgedTarget& target) {
        const std::string key = sync::Replicator::checkpointKey(up, target);
        CHECK(target.checkpoint(key) == replica->lastArrival());
        CHECK(central->eventCount() == replica->eventCount());
        CHECK(shared.queryText("SELECT count(*) - count(DISTINCT id) FROM events") == "0\n");
        for (const auto& n : numbers)
            CHECK(central->caseEvents(n).size() == replica->caseEvents(n).size());
        CHECK(central->stateHash() == replica->stateHash());
        CHECK(central->verify().ok());
        auto again = replicator.replicate(up, target);
        CHECK(again.read == 0);
        CHECK(again.sent == 0);
    };

    SECTION("once: the committed batch is still pending and the retry stores it no second time")
    {
        UnacknowledgedTarget target(*central, 1, claimLacking);
        const std::string key = sync::Replicator::checkpointKey(up, target);
        CHECK(failureOf(replicator, up, target).rfind("db.", 0) == 0);
        REQUIRE(target.calls.size() == 1);
        CHECK(target.calls[0].stored == 2); // the target did commit the first batch
        CHECK(central->eventCount() == 2);
        CHECK_FALSE(target.checkpoint(key)); // but the checkpoint did not move past it
        CHECK(up.changesSince(target.checkpoint(key).value_or(0), 100).size() == 5);

        auto retry = replicator.replicate(up, target);
        CHECK(retry.fromCursor == 0);
        CHECK(retry.read == 5);
        CHECK(retry.stored == 3);
        if (claimLacking) {
            // Sent again, and the target stored nothing new of it.
            CHECK(retry.sent == 5);
            REQUIRE(target.calls.size() == 4);
            CHECK(target.calls[1].sent == 2);
            CHECK(target.calls[1].stored == 0);
        } else {
            CHECK(retry.sent == 3); // the target said it holds the first batch
            CHECK(target.calls.size() == 3);
        }
        converged(target);
    }

    SECTION("three times in a row: the checkpoint never passes a batch that was not acknowledged")
    {
        UnacknowledgedTarget target(*central, 3, claimLacking);
        const std::string key = sync::Replicator::checkpointKey(up, target);
        // Asking the target first, each attempt gets one batch further; sending blindly,
        // the first batch goes three times. Either way the checkpoint stays behind the
        // last unacknowledged batch.
        const std::vector<std::optional<std::int64_t>> expected = claimLacking
            ? std::vector<std::optional<std::int64_t>>{std::nullopt, std::nullopt, std::nullopt}
            : std::vector<std::optional<std::int64_t>>{std::nullopt, 2, 4};
        for (std::size_t attempt = 0; attempt < 3; ++attempt) {
            CAPTURE(attempt);
            CHECK(failureOf(replicator, up, target).rfind("db.", 0) == 0);
            CHECK(target.checkpoint(key) == expected[attempt]);
        }
        CHECK(central->eventCount() == (claimLacking ? 2 : 5));
        auto last = replicator.replicate(up, target);
        CHECK(last.stored == (claimLacking ? 3u : 0u));
        std::size_t stored = 0;
        for (const auto& call : target.calls)
            stored += call.stored;
        CHECK(stored == 5); // over all attempts, every event was stored exactly once
        converged(target);
    }
}

// The shared store commits a push, then the write of the checkpoint fails (on PostgreSQL
// the connection is cut there). The case is in the replica, so the append returns and
// leaves the events pending; the next sync acknowledges them without sending twice.
TEST_CASE("replica writer: a push whose checkpoint write is cut leaves the events pending", "[replica]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    sync::ReplicaWriter writer(*replica, [&]() -> db::Store& { return *central; });
    Desk desk(writer, "W03");
    desk.open("李强", "33010219800101001");
    REQUIRE(writer.pending() == 0);

    const std::string key = "setting:replication/" + replica->origin() + "->" + central->origin();
    const bool postgres = ow::test::testBackend() == ow::test::TestBackend::Postgres;
    if (postgres) {
        shared.exec("CREATE FUNCTION ow_test_cut() RETURNS trigger LANGUAGE plpgsql AS"
                    " $$ BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$");
        shared.exec("CREATE TRIGGER ow_test_cut BEFORE INSERT ON meta FOR EACH ROW WHEN (NEW.key = '" + key
            + "') EXECUTE FUNCTION ow_test_cut()");
    } else {
        shared.exec("CREATE TRIGGER ow_test_cut BEFORE INSERT ON meta WHEN NEW.key = '" + key
            + "' BEGIN SELECT RAISE(ABORT, 'test: connection lost'); END");
    }
    std::optional<CaseState> during;
    REQUIRE_NOTHROW(during = desk.open("王芳", "33010219550505002"));
    CHECK_FALSE(writer.online());
    CHECK(writer.pending() == 1);
    CHECK(replica->findCase(during->number));
    shared.exec(postgres ? "DROP TRIGGER ow_test_cut ON meta" : "DROP TRIGGER ow_test_cut");
    central = shared.open(); // a new connection, as the next run would open
    CHECK(central->eventCount() == 2); // the shared store had committed it
    CHECK(writer.sync());
    CHECK(writer.pending() == 0);
    CHECK(central->eventCount() == replica->eventCount());
    CHECK(central->stateHash() == replica->stateHash());
}

TEST_CASE("replica writer: a push acknowledged by the shared store before the writer died is not pending",
    "[replica]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    bool reachable = false;
    sync::ReplicaWriter writer(*replica, ow::test::sharedWhile(reachable, central));
    Desk desk(writer, "W03");
    desk.open("李强", "33010219800101001");
    REQUIRE(writer.pending() == 1);
    // Another process pushed these events and checkpointed them on the shared store, then
    // died before it noted the acknowledgement in the replica.
    sync::StoreEndpoint from(*replica);
    sync::StoreEndpoint to(*central);
    sync::Replicator().replicate(from, to);
    CHECK(writer.pending() == 1);
    reachable = true;
    CHECK(writer.sync());
    CHECK(writer.pending() == 0);
    CHECK(central->eventCount() == replica->eventCount());
}

namespace {

// A target taking batches over connections of its own (as an HTTP peer does), all into one
// store: each call is serialised on it, and every call and checkpoint is recorded. The
// `failOn`-th batch received (1-based; 0: none) fails without storing anything.
class ConcurrentTarget : public sync::Endpoint {
public:
    ConcurrentTarget(db::Store& store, std::size_t failOn)
        : m_inner(store)
        , m_failOn(failOn)
    {
        for (int i = 0; i < 3; ++i)
            m_senders.push_back(std::make_unique<Sender>(*this));
    }
    std::string id() const override { return m_inner.id(); }
    std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) override
    {
        std::lock_guard lock(m_mutex);
        return m_inner.changesSince(cursor, limit);
    }
    std::vector<std::string> lacking(const std::vector<std::string>& ids) override
    {
        std::lock_guard lock(m_mutex);
        return m_inner.lacking(ids);
    }
    std::size_t receive(const std::vector<model::Event>&) override
    {
        throw std::logic_error("batches go through the other connections");
    }
    std::optional<std::int64_t> checkpoint(const std::string& key) override
    {
        std::lock_guard lock(m_mutex);
        return m_inner.checkpoint(key);
    }
    void setCheckpoint(const std::string& key, std::int64_t value) override
    {
        std::lock_guard lock(m_mutex);
        m_inner.setCheckpoint(key, value);
        checkpoints.push_back(value);
    }
    std::vector<Endpoint*> moreConnections(std::size_t n) override
    {
        std::vector<Endpoint*> out;
        for (std::size_t i = 0; i < std::min(n, m_senders.size()); ++i)
            out.push_back(m_senders[i].get());
        return out;
    }

    std::vector<std::int64_t> checkpoints;
    std::set<const Endpoint*> usedSenders;

private:
    class Sender : public sync::Endpoint {
    public:
        explicit Sender(ConcurrentTarget& target)
            : m_target(target)
        {
        }
        std::string id() const override { return m_target.id(); }
        std::vector<db::Change> changesSince(std::int64_t, std::size_t) override { unused(); }
        std::vector<std::string> lacking(const std::vector<std::string>&) override { unused(); }
        std::size_t receive(const std::vector<model::Event>& events) override
        {
            std::lock_guard lock(m_target.m_mutex);
            m_target.usedSenders.insert(this);
            if (++m_target.m_received == m_target.m_failOn)
                throw DomainError("sync.unreachable", {{"peer", "test"}, {"reason", "test: batch lost"}});
            return m_target.m_inner.receive(events);
        }
        std::optional<std::int64_t> checkpoint(const std::string&) override { unused(); }
        void setCheckpoint(const std::string&, std::int64_t) override { unused(); }

    private:
        [[noreturn]] static void unused() { throw std::logic_error("a sending connection only receives"); }
        ConcurrentTarget& m_target;
    };

    std::mutex m_mutex;
    sync::StoreEndpoint m_inner;
    std::size_t m_failOn;
    std::size_t m_received = 0;
    std::vector<std::unique_ptr<Sender>> m_senders;
};

// Each checkpoint only covers events the target holds: every source event that arrived
// at or before it is there.
bool checkpointsCovered(db::Store& source, db::Store& target, const std::vector<std::int64_t>& checkpoints)
{
    const auto all = source.changesSince(0, 100000);
    for (auto c : checkpoints) {
        std::vector<std::string> ids;
        for (const auto& ch : all)
            if (ch.arrival <= c)
                ids.push_back(ch.event.id());
        if (!target.lacking(ids).empty())
            return false;
    }
    return true;
}

} // namespace

TEST_CASE(
    "replicator: batches sent ahead over more connections arrive once, checkpointed in order", "[replicator]")
{
    TestDatabase shared;
    ReplicaFile replicaFile;
    auto central = shared.open();
    auto replica = replicaFile.open();
    Desk desk(*replica, "W03");
    for (int i = 0; i < 7; ++i) {
        auto c = desk.open("张" + std::to_string(i), "3301021980010100" + std::to_string(i));
        if (i % 2 == 0)
            desk.intake.accept("clerk01", c.number);
    }
    const auto events = replica->eventCount();
    sync::StoreEndpoint up(*replica);

    SECTION("every batch stored, checkpoints rising")
    {
        ConcurrentTarget down(*central, 0);
        sync::Replicator replicator(2);
        replicator.setBatchesInFlight(2);
        const auto result = replicator.replicate(up, down);
        CHECK(result.stored == static_cast<std::size_t>(events));
        CHECK(result.batches == static_cast<std::size_t>((events + 1) / 2));
        CHECK(down.usedSenders.size() == 2);
        CHECK(std::is_sorted(down.checkpoints.begin(), down.checkpoints.end()));
        CHECK(std::adjacent_find(down.checkpoints.begin(), down.checkpoints.end()) == down.checkpoints.end());
        CHECK(down.checkpoints.back() == result.toCursor);
        CHECK(down.checkpoint(sync::Replicator::checkpointKey(up, down)) == result.toCursor);
        CHECK(central->stateHash() == replica->stateHash());
        CHECK(central->eventCount() == events);
        CHECK(central->verify().ok());
    }
    SECTION("a lost batch stops the checkpoint before it; the next pass completes without duplicates")
    {
        ConcurrentTarget down(*central, 3);
        sync::Replicator replicator(2);
        replicator.setBatchesInFlight(3);
        CHECK(failureOf(replicator, up, down) == "sync.unreachable");
        // The third batch to reach the target was lost (batches in flight at once may reach
        // it in any order): the pass stopped short, and every checkpoint it wrote covers
        // only batches the target committed.
        const auto before = down.checkpoints.size();
        CHECK(before < static_cast<std::size_t>((events + 1) / 2));
        CHECK(checkpointsCovered(*replica, *central, down.checkpoints));
        CHECK(central->eventCount() < events);
        const auto retry = replicator.replicate(up, down);
        CHECK(retry.fromCursor == (before > 0 ? down.checkpoints[before - 1] : 0));
        CHECK(checkpointsCovered(*replica, *central, down.checkpoints));
        CHECK(central->eventCount() == events);
        CHECK(central->stateHash() == replica->stateHash());
        CHECK(central->heldEvents().empty());
    }
    SECTION("one batch in flight by default: the target's own connection only")
    {
        ConcurrentTarget down(*central, 0);
        sync::Replicator replicator(2);
        CHECK_THROWS_AS(replicator.replicate(up, down), std::logic_error);
    }
}
