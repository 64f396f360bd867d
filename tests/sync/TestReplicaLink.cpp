// The workstation's replica link (sync/ReplicaLink.h) against a real PostgreSQL server
// that the tests crash (pg_ctl stop -m immediate) and start again. Each test starts a
// cluster of its own with tests/pg_cluster.sh and stops it afterwards, also when the
// test fails: the suite's fixture cluster, which other tests use in parallel, is never
// touched. Without the PostgreSQL server binaries the tests say why and skip (exit 77).
// Rounds are waited for with ReplicaLink::waitForRound(), never with sleeps.
#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Identity.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "../db/DbTestSupport.h"
#include "SyncTestSupport.h"
#include "sync/ReplicaCaseNumbers.h"
#include "sync/ReplicaLink.h"
#include "sync/ReplicaWriter.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <condition_variable>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

using namespace ow;
using namespace ow::model;
using Steady = std::chrono::steady_clock;

namespace {

const std::string kCentre = "330102";

std::string quoted(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

// Why no PostgreSQL server can be started here, or "" (where pg_cluster.sh looks).
std::string postgresServerMissing()
{
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
        if (std::filesystem::exists(entry.path() / "bin" / "initdb", ec))
            return {};
    if (std::system("command -v initdb >/dev/null 2>&1") == 0)
        return {};
    return "the PostgreSQL server binaries (initdb, pg_ctl) are not installed: install postgresql-15";
}

// A throwaway cluster of this test's own, stopped and deleted when the guard goes.
class OwnCluster {
public:
    OwnCluster()
    {
        std::string pattern = (std::filesystem::temp_directory_path() / "ow-linktest.XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw std::runtime_error("cannot make a temporary folder");
        m_dir = pattern;
        m_state = m_dir + "/pg.env";
        try {
            if (!script("start"))
                throw std::runtime_error("pg_cluster.sh start failed: " + log());
            std::ifstream in(m_state);
            std::string line;
            while (std::getline(in, line)) {
                auto eq = line.find('=');
                if (eq == std::string::npos)
                    continue;
                std::string value = line.substr(eq + 1);
                if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
                    value = value.substr(1, value.size() - 2);
                m_values[line.substr(0, eq)] = value;
            }
            if (m_values["OW_PG_CONN"].empty())
                throw std::runtime_error("pg_cluster.sh wrote no connection string to " + m_state);
        } catch (...) {
            remove();
            throw;
        }
    }
    ~OwnCluster() { remove(); }
    OwnCluster(const OwnCluster&) = delete;
    OwnCluster& operator=(const OwnCluster&) = delete;

    const std::string& connection() const { return m_values.at("OW_PG_CONN"); }
    const std::string& folder() const { return m_dir; }
    // As a crash would: pg_ctl stop -m immediate, returns once the server is gone.
    void crash()
    {
        if (!script("crash"))
            throw std::runtime_error("pg_cluster.sh crash failed: " + log());
    }
    // Started again on the same port; returns once it accepts connections.
    void restart()
    {
        if (!script("restart"))
            throw std::runtime_error("pg_cluster.sh restart failed: " + log());
    }

private:
    void remove() const
    {
        script("stop");
        std::error_code ignored;
        std::filesystem::remove_all(m_dir, ignored);
    }
    bool script(const std::string& command) const
    {
        const std::string line = "bash " + quoted(std::string(OW_SOURCE_DIR) + "/tests/pg_cluster.sh") + " "
            + command + " " + quoted(m_state) + " >>" + quoted(m_dir + "/pg_cluster.log") + " 2>&1";
        return std::system(line.c_str()) == 0;
    }
    std::string log() const
    {
        std::ifstream in(m_dir + "/pg_cluster.log");
        std::stringstream text;
        text << in.rdbuf();
        return text.str();
    }

    std::string m_dir;
    std::string m_state;
    std::map<std::string, std::string> m_values;
};

#define OW_NEED_POSTGRES_SERVER()                                                                            \
    do {                                                                                                     \
        if (auto missing = postgresServerMissing(); !missing.empty()) {                                      \
            WARN("skipped: " << missing);                                                                    \
            ::ow::test::skippedFlag() = true;                                                                \
            return;                                                                                          \
        }                                                                                                    \
    } while (false)

// The shared store of a fresh cluster, initialised for the centre.
void initialiseShared(const std::string& connection)
{
    auto shared = db::Store::open(connection);
    shared->initialise(kCentre);
}

std::unique_ptr<db::Store> createReplica(const std::string& connection)
{
    auto replica = db::Store::open(connection);
    replica->initialise(kCentre);
    return replica;
}

// Rows in the shared events table minus distinct ids: 0 when no event is there twice.
long long duplicatesOnShared(const std::string& connection)
{
    soci::session s(soci::postgresql, connection.substr(connection.find("://") + 3));
    long long duplicates = -1;
    s << "SELECT count(*) - count(DISTINCT id) FROM events", soci::into(duplicates);
    return duplicates;
}

// Both sides hold the same events, each once, with the same state, and pass the audit.
void checkConverged(const std::string& sharedConnection, db::Store& replica)
{
    auto shared = db::Store::open(sharedConnection);
    std::vector<std::string> ids;
    for (const auto& change : replica.changesSince(0, 100000))
        ids.push_back(change.event.id());
    CHECK(shared->lacking(ids).empty());
    CHECK(shared->eventCount() == replica.eventCount());
    CHECK(duplicatesOnShared(sharedConnection) == 0);
    CHECK(shared->stateHash() == replica.stateHash());
    CHECK(shared->verify().ok());
    CHECK(replica.verify().ok());
}

// Waits for rounds until `done` holds or `limit` passes; returns the last state. At least
// one round: the state before it may be older than what the caller just did.
sync::LinkState roundsUntil(sync::ReplicaLink& link, const std::function<bool(const sync::LinkState&)>& done,
    std::chrono::milliseconds limit = std::chrono::seconds(10))
{
    const auto deadline = Steady::now() + limit;
    sync::LinkState state;
    do {
        link.waitForRound();
        state = link.state();
    } while (!done(state) && Steady::now() < deadline);
    return state;
}

// Holds the link's thread in its listener (which runs on that thread after a round's
// state is published, before the next round can start) until the test releases it.
class Parking {
public:
    ~Parking() { release(); }
    // Called by the listener: holds the thread the first time `now` is true.
    void holdIf(bool now)
    {
        std::unique_lock lock(m_mutex);
        if (!now || m_done)
            return;
        m_held = true;
        m_changed.notify_all();
        m_changed.wait(lock, [&] { return m_done; });
    }
    bool waitUntilHeld()
    {
        std::unique_lock lock(m_mutex);
        return m_changed.wait_for(lock, std::chrono::seconds(30), [&] { return m_held; });
    }
    void release()
    {
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_changed.notify_all();
    }

private:
    std::mutex m_mutex;
    std::condition_variable m_changed;
    bool m_held = false;
    bool m_done = false;
};

// Applicants are numbered across the whole run (a forked process goes on counting).
int g_applicants = 0;

// One event-writing application after another, each by another applicant.
CaseState openNext(ow::test::Desk& desk)
{
    return desk.open("李强", "33010219800101" + std::to_string(100 + g_applicants++));
}

// A workstation as the client builds it: the replica written by a ReplicaWriter on the
// caller's thread, whose shared store is asked only while the link says it answers
// (gate) and whose appends are pushed by the link (afterAppend). Like client::Backend,
// the writer's own shared connection is dropped when the link has reconnected since it
// was opened, and a failure of it makes the link check at once.
struct Workstation {
    std::string sharedConnection;
    std::string replicaConnection;
    std::unique_ptr<db::Store> replica;
    sync::ReplicaLink link;
    std::unique_ptr<db::Store> shared;
    std::uint64_t generation = 0;
    int sharedAsked = 0; // times the writer went for the shared store
    int sharedOpened = 0; // connections it opened
    sync::ReplicaWriter writer;
    // Case numbers from the block the replica keeps, as the client draws them.
    sync::ReplicaCaseNumberSource numbers{writer, kCentre, "W03"};
    ow::test::Desk desk{writer, numbers};

    Workstation(std::string sharedConn, std::string replicaConn, sync::ReplicaLink::Options options)
        : sharedConnection(std::move(sharedConn))
        , replicaConnection(std::move(replicaConn))
        , replica(db::Store::open(replicaConnection))
        , link(replicaConnection, sharedConnection, options)
        , writer(
              *replica, [this]() -> db::Store& { return sharedStore(); },
              [this] {
                  shared.reset();
                  link.suspect(writer.lastError());
              })
    {
        writer.setGate([this] { return link.online(); });
        writer.setAfterAppend([this](std::size_t count) { link.appended(count); });
    }

    db::Store& sharedStore()
    {
        ++sharedAsked;
        if (shared && link.reconnections() != generation)
            shared.reset();
        if (!shared) {
            generation = link.reconnections();
            shared = db::Store::open(sharedConnection);
            ++sharedOpened;
        }
        return *shared;
    }
};

sync::ReplicaLink::Options linkOptions(std::chrono::milliseconds interval)
{
    sync::ReplicaLink::Options options;
    options.interval = interval;
    options.centre = kCentre;
    return options;
}

} // namespace

TEST_CASE("replica link: online, appended events reach the shared store within one round", "[link]")
{
    OW_NEED_POSTGRES_SERVER();
    OwnCluster cluster;
    initialiseShared(cluster.connection());
    const std::string replica = "sqlite3://db=" + cluster.folder() + "/replica.db";
    createReplica(replica);
    Workstation ws(cluster.connection(), replica, linkOptions(std::chrono::milliseconds(200)));
    ws.link.start(true);

    auto a = openNext(ws.desk);
    ws.desk.intake.accept("clerk01", a.number);
    openNext(ws.desk);
    ws.link.waitForRound();

    const auto state = ws.link.state();
    CHECK(state.online);
    CHECK(state.pending == 0);
    CHECK(state.sent == 3);
    CHECK(state.received == 0); // the shared store held nothing this replica lacked
    CHECK(state.lastError.empty());
    CHECK(state.reconnections == 0);
    CHECK(ws.writer.pending() == 0);
    checkConverged(cluster.connection(), *ws.replica);
    auto shared = db::Store::open(cluster.connection());
    CHECK(shared->findCase(a.number)->status == CaseStatus::Accepted);
    // The link also keeps a block of case numbers in hand for the next outage.
    CHECK(ws.replica->setting("casenumber/block"));
}

TEST_CASE(
    "replica link: the server crashes, work goes on in the replica, the restart sends it once", "[link]")
{
    OW_NEED_POSTGRES_SERVER();
    OwnCluster cluster;
    initialiseShared(cluster.connection());
    const std::string replica = "sqlite3://db=" + cluster.folder() + "/replica.db";
    createReplica(replica);
    Workstation ws(cluster.connection(), replica, linkOptions(std::chrono::milliseconds(200)));
    ws.link.start(true);

    auto before = openNext(ws.desk);
    ws.link.waitForRound();
    const auto online = ws.link.state();
    REQUIRE(online.online);
    REQUIRE(online.pending == 0);
    REQUIRE(online.sent == 1);
    // The writer's own connection to the shared store, as a read opens it.
    REQUIRE(ws.writer.withShared([](db::Store& s) { s.eventCount(); }));

    cluster.crash();
    ws.link.waitForRound();
    const auto offline = ws.link.state();
    CHECK_FALSE(offline.online);
    CHECK_FALSE(ws.link.online());
    CHECK(offline.since > online.since);
    CHECK_FALSE(offline.lastError.empty());
    CHECK(offline.reconnections == online.reconnections);

    // Intake and case work go on in the replica: two applications, one accepted, and a
    // note on the case taken in before the crash — four events.
    auto during = openNext(ws.desk);
    ws.desk.intake.accept("clerk01", during.number);
    openNext(ws.desk);
    ws.desk.work.addNote("clerk01", before.number, "worked on while offline");
    CHECK(ws.writer.pending() == 4);
    ws.link.waitForRound();
    CHECK(ws.link.state().pending == 4);
    CHECK_FALSE(ws.link.state().online);
    CHECK(ws.replica->findCase(during.number)->status == CaseStatus::Accepted);

    // The gate is closed: the writer does not even try the shared store (a try would
    // open a connection and, on a dead network, wait for the connect timeout).
    const int asked = ws.sharedAsked;
    bool ran = false;
    const auto started = Steady::now();
    const bool answered = ws.writer.withShared([&](db::Store&) { ran = true; });
    const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(Steady::now() - started);
    CHECK_FALSE(answered);
    CHECK_FALSE(ran);
    CHECK(ws.sharedAsked == asked);
    CHECK(took.count() < 100);

    cluster.restart();
    const auto back
        = roundsUntil(ws.link, [](const sync::LinkState& s) { return s.online && s.pending == 0; });
    CHECK(back.online);
    CHECK(back.pending == 0);
    CHECK(back.lastError.empty());
    CHECK(back.since > offline.since);
    CHECK(back.sent == 1 + 4);
    CHECK(back.reconnections == online.reconnections + 1);
    CHECK(ws.writer.pending() == 0);
    checkConverged(cluster.connection(), *ws.replica);

    // The writer's connection from before the crash is dead: it is dropped, not used.
    const int opened = ws.sharedOpened;
    CHECK(ws.writer.withShared([](db::Store& s) { s.eventCount(); }));
    CHECK(ws.sharedOpened == opened + 1);
    CHECK(ws.writer.online());
}

TEST_CASE("replica link: a restart between two rounds is noticed and old connections are dropped", "[link]")
{
    OW_NEED_POSTGRES_SERVER();
    OwnCluster cluster;
    initialiseShared(cluster.connection());
    const std::string replica = "sqlite3://db=" + cluster.folder() + "/replica.db";
    createReplica(replica);
    Parking parking; // made before the link, gone after it: the link may be calling it
    Workstation ws(cluster.connection(), replica, linkOptions(std::chrono::milliseconds(200)));
    ws.link.start(true);
    // Never held when the test ends, whatever failed: the link stops before it is gone.
    struct Unpark {
        Parking& parking;
        ~Unpark() { parking.release(); }
    } unpark{parking};
    auto state = roundsUntil(ws.link, [](const sync::LinkState& s) { return s.online; });
    REQUIRE(state.online);
    // The writer's connection, opened now (a read), before the restart.
    REQUIRE(ws.writer.withShared([](db::Store& s) { s.eventCount(); }));
    const int opened = ws.sharedOpened;

    // The link's thread is held in its listener after the round that sends the next
    // event (the listener runs on that thread between two rounds), so that the crash and
    // the restart fall between two rounds on any machine, however slow.
    ws.link.setListener([&](const sync::LinkState& s) { parking.holdIf(s.sent == 1); });
    openNext(ws.desk);
    REQUIRE(parking.waitUntilHeld());
    const auto before = ws.link.state();
    REQUIRE(before.online);
    REQUIRE(before.sent == 1);
    cluster.crash();
    cluster.restart();
    REQUIRE(ws.link.state().rounds == before.rounds); // no round in between
    parking.release();

    // The next round finds its connection dead, opens a new one at once and stays online:
    // nobody sees an outage, but the reconnection is counted.
    ws.link.waitForRound();
    state = ws.link.state();
    CHECK(state.online);
    CHECK(state.since == before.since);
    CHECK(state.lastError.empty());
    CHECK(state.reconnections == before.reconnections + 1);

    // So the writer drops its connection from before the restart instead of failing on it.
    CHECK(ws.writer.withShared([](db::Store& s) { s.eventCount(); }));
    CHECK(ws.sharedOpened == opened + 1);

    // And work goes up as before.
    openNext(ws.desk);
    state = roundsUntil(ws.link, [](const sync::LinkState& s) { return s.online && s.pending == 0; });
    CHECK(state.pending == 0);
    CHECK(state.sent == 2);
    checkConverged(cluster.connection(), *ws.replica);
}

TEST_CASE("replica link: events of a workstation killed with -9 while offline go up once after the restart",
    "[link]")
{
    OW_NEED_POSTGRES_SERVER();
    OwnCluster cluster;
    initialiseShared(cluster.connection());
    const std::string replica = "sqlite3://db=" + cluster.folder() + "/replica.db";
    createReplica(replica);
    {
        // Online first, so that the replica's acknowledgement is past zero.
        Workstation ws(cluster.connection(), replica, linkOptions(std::chrono::milliseconds(200)));
        ws.link.start(true);
        openNext(ws.desk);
        const auto state = roundsUntil(ws.link, [](const sync::LinkState& s) { return s.sent == 1; });
        REQUIRE(state.sent == 1);
        REQUIRE(state.pending == 0);
    }
    cluster.crash();

    // The workstation process: its link finds the server down, the window takes in three
    // applications (the replica has them durably), and then it is killed with -9, no
    // push ever having reached the shared store. Nothing of this process (no thread, no
    // connection) is open at the fork.
    constexpr int kOffline = 3;
    const pid_t child = ::fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        ::alarm(60); // a hang ends as SIGALRM, which the parent reports
        int code = 0;
        try {
            Workstation ws(cluster.connection(), replica, linkOptions(std::chrono::milliseconds(200)));
            ws.link.start(false, "the shared database is down");
            for (int i = 0; i < kOffline; ++i)
                openNext(ws.desk);
            ws.link.waitForRound();
            const auto state = ws.link.state();
            if (state.online || state.pending != kOffline || state.sent != 0)
                code = 3;
            else
                ::raise(SIGKILL); // the link's thread running, its connections open
        } catch (const std::exception& e) {
            std::fprintf(stderr, "workstation process: %s\n", e.what());
            code = 4;
        }
        ::_exit(code);
    }
    int status = 0;
    REQUIRE(::waitpid(child, &status, 0) == child);
    INFO("workstation process status " << status);
    REQUIRE(WIFSIGNALED(status));
    REQUIRE(WTERMSIG(status) == SIGKILL);

    auto local = db::Store::open(replica);
    sync::ReplicaWriter counter(*local, []() -> db::Store& {
        throw DomainError("db.unreachable", {{"reason", "test: not asked"}});
    });
    CHECK(counter.pending() == kOffline);

    cluster.restart();
    // A new process on the same replica file: its link sends what the dead one left.
    sync::ReplicaLink link(replica, cluster.connection(), linkOptions(std::chrono::milliseconds(200)));
    link.start(false, "not tried yet");
    const auto state = roundsUntil(link, [](const sync::LinkState& s) { return s.online && s.pending == 0; });
    CHECK(state.online);
    CHECK(state.pending == 0);
    CHECK(state.sent == kOffline);
    CHECK(state.reconnections == 1);
    CHECK(counter.pending() == 0);
    checkConverged(cluster.connection(), *local);
    link.stop();
    CHECK(db::Store::open(cluster.connection())->eventCount() == 1 + kOffline);
}
