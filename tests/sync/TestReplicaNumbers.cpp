// Case numbers on a workstation with a replica: blocks reserved on the shared store while
// it answers and kept in the replica, the workstation fallback when a block runs out
// offline, nothing handed out twice across restarts.
#include "model/Error.h"

#include "../db/DbTestSupport.h"
#include "SyncTestSupport.h"
#include "sync/ReplicaCaseNumbers.h"

#include <catch2/catch.hpp>
#include <filesystem>

using namespace ow;
using model::CaseNumber;
using model::Date;
using ow::test::TestDatabase;

namespace {

// A workstation: its SQLite replica and a writer whose shared store can be switched off.
struct Workstation {
    TestDatabase shared;
    std::unique_ptr<db::Store> central = shared.open();
    std::string path;
    std::unique_ptr<db::Store> replica;
    bool reachable = true;
    std::unique_ptr<sync::ReplicaWriter> writer;

    Workstation()
    {
        static int count = 0;
        std::filesystem::create_directories(ow::test::testFolder());
        path = ow::test::testFolder() + "/numbers-" + std::to_string(++count) + ".db";
        std::filesystem::remove(path);
        replica = db::Store::open("sqlite3://db=" + path);
        central->initialise("330102");
        replica->initialise("330102");
        restart();
    }
    // A new process on the same replica: nothing kept in memory survives.
    void restart()
    {
        writer = std::make_unique<sync::ReplicaWriter>(*replica, ow::test::sharedWhile(reachable, central));
    }
    sync::ReplicaCaseNumberSource numbers(std::int64_t block = 4)
    {
        return sync::ReplicaCaseNumberSource(*writer, "330102", "W05", block);
    }
};

const Date kDay(2026, 3, 2);

} // namespace

TEST_CASE("replica numbers: online, a block is reserved on the shared store and used in order", "[numbers]")
{
    Workstation w;
    auto numbers = w.numbers(4);
    CHECK(numbers.nextCaseNumber(kDay).str() == "330102-20260302-000001");
    CHECK(numbers.remaining(kDay) == 3);
    // The whole block is taken on the shared store: another desk starts after it.
    CHECK(w.central->reserveCaseNumbers("330102", kDay, 1).first == 5);
    CHECK(numbers.nextCaseNumber(kDay).str() == "330102-20260302-000002");
}

TEST_CASE(
    "replica numbers: offline, the block reserved online lasts, then the workstation fallback", "[numbers]")
{
    Workstation w;
    CHECK(w.numbers(3).topUp(kDay, 2));
    CHECK(w.numbers().remaining(kDay) == 3);
    w.reachable = false;
    std::vector<std::string> got;
    for (int i = 0; i < 5; ++i) {
        w.restart(); // a new owctl run each time
        got.push_back(w.numbers().nextCaseNumber(kDay).str());
    }
    CHECK(got
        == std::vector<std::string>{"330102-20260302-000001", "330102-20260302-000002",
            "330102-20260302-000003", "330102-20260302-W05-0001", "330102-20260302-W05-0002"});
    CHECK_FALSE(w.numbers().topUp(kDay, 1)); // nothing in hand, nothing to reserve from
    // A new day offline: yesterday's numbers are no use; the fallback starts again at 1.
    CHECK(w.numbers().nextCaseNumber(kDay.addDays(1)).str() == "330102-20260303-W05-0001");
    // Back online: a fresh block, after everything reserved before.
    w.reachable = true;
    CHECK(w.numbers(10).nextCaseNumber(kDay).str() == "330102-20260302-000004");
}

TEST_CASE("replica numbers: top-up keeps numbers in hand and never gives one out twice", "[numbers]")
{
    Workstation w;
    auto numbers = w.numbers(5);
    CHECK(numbers.topUp(kDay, 2));
    CHECK(numbers.remaining(kDay) == 5);
    CHECK(numbers.topUp(kDay, 2)); // enough in hand: nothing reserved
    CHECK(w.central->reserveCaseNumbers("330102", kDay, 1).first == 6);
    for (int i = 0; i < 4; ++i)
        numbers.nextCaseNumber(kDay);
    CHECK(numbers.remaining(kDay) == 1);
    CHECK(numbers.topUp(kDay, 2)); // below the threshold: a new block replaces the rest
    CHECK(numbers.remaining(kDay) == 5);
    CHECK(numbers.nextCaseNumber(kDay).sequence == 7);
    std::set<std::string> seen;
    for (int i = 0; i < 30; ++i) {
        w.reachable = i % 3 != 0;
        w.restart();
        CHECK(seen.insert(w.numbers(5).nextCaseNumber(kDay).str()).second);
    }
}
