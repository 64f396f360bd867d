// Failover of the desktop client (DESIGN: "Offline workstation") through client::Backend
// exactly as the client uses it: a shared PostgreSQL written through the workstation
// replica, the replica link at its default cadence (one round trip a second), the link's
// state observed through setLinkListener and linkStatus(). The server is crashed
// (pg_ctl stop -m immediate, tests/pg_cluster.sh) and started again:
//   server stop to OFFLINE, median of 5 (the max printed too)              <= 5000 ms
//     from the moment the stop returned until linkStatus().online is false. Baseline,
//     same crash: a raw libpq connection probing SELECT 1 once a second on a thread of
//     its own, until it sees the failure.
//   server back to zero pending, 1,000 events, median of 3                  <= 5000 ms
//     1,000 events written through the Backend's services while the server is down (500
//     intakes, opened and accepted), then the restart: from the moment it returned until
//     the link is online with nothing pending. Every event must then be on the shared
//     store exactly once (else the benchmark fails). Baseline, same run: the same 1,000
//     event documents in one multi-row INSERT in one transaction into a scratch table,
//     connecting included.
// The cluster given is crashed and restarted: it must be one nobody else uses (./ow bench
// starts one for this benchmark alone).
// Usage: ow_bench_failover --postgres STATEFILE [--stops N] [--recoveries N] [--events N]
#include "model/Catalogue.h"
#include "model/CentreSetup.h"
#include "model/Log.h"

#include "BenchSupport.h"
#include "RawPostgres.h"
#include "SyntheticCases.h"
#include "client/core/Backend.h"
#include "db/PasswordHash.h"
#include "db/Store.h"

#include <condition_variable>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <iostream>
#include <mutex>
#include <optional>
#include <random>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <thread>
#include <unistd.h>

using namespace ow;
using Steady = std::chrono::steady_clock;

namespace {

const char* kUsage
    = "usage: ow_bench_failover --postgres STATEFILE [--stops N] [--recoveries N] [--events N] [--seed S]";
const std::string kCentre = "330102";
const std::string kDatabase = "ow_bench_failover";
constexpr auto kDeadline = std::chrono::seconds(30);

struct Options {
    std::string pgState;
    int stops = 5;
    int recoveries = 3;
    long long events = 1000;
    std::uint64_t seed = 0; // 0: random
};

// The options, or nothing after printing what is wrong with them and the usage.
std::optional<Options> parse(int argc, char** argv)
{
    Options o;
    bench::Args args(argc, argv);
    const auto option = [&] {
        if (args.is("--postgres"))
            o.pgState = args.value();
        else if (args.is("--stops"))
            o.stops = args.number<int>();
        else if (args.is("--recoveries"))
            o.recoveries = args.number<int>();
        else if (args.is("--events"))
            o.events = args.number();
        else if (args.is("--seed"))
            o.seed = args.number<std::uint64_t>();
        else
            args.unknown();
    };
    const auto check = [&] {
        if (o.pgState.empty() || o.stops < 1 || o.recoveries < 1 || o.events < 1)
            throw std::invalid_argument(
                "--postgres is needed, and --stops, --recoveries and --events must be positive");
    };
    if (!args.read("ow_bench_failover", kUsage, option, check))
        return std::nullopt;
    return o;
}

std::string thousands(long long n)
{
    std::string digits = std::to_string(n);
    for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3)
        digits.insert(static_cast<std::size_t>(i), ",");
    return digits;
}

double millisBetween(Steady::time_point from, Steady::time_point to)
{
    return std::max(0.0, std::chrono::duration<double, std::milli>(to - from).count());
}

// tests/pg_cluster.sh crash|restart on the cluster: returns when pg_ctl has returned.
void cluster(const std::string& command, const std::string& state)
{
    const std::string line = "bash '" + std::string(OW_SOURCE_DIR) + "/tests/pg_cluster.sh' " + command + " '"
        + state + "' >/dev/null";
    if (std::system(line.c_str()) != 0)
        throw std::runtime_error("pg_cluster.sh " + command + " failed");
}

// The link's state as the client's status bar learns of it: the listener (on the link's
// thread) wakes whoever waits, who reads linkStatus(). Made before the Backend and gone
// after it: the link may be calling the listener until the Backend has stopped it.
class LinkWatch {
public:
    LinkWatch() = default;
    LinkWatch(const LinkWatch&) = delete;
    LinkWatch& operator=(const LinkWatch&) = delete;

    void watch(client::Backend& backend)
    {
        m_backend = &backend;
        backend.setLinkListener([this] {
            {
                std::lock_guard lock(m_mutex);
                ++m_changes;
            }
            m_changed.notify_all();
        });
    }

    // The moment `done` was first seen to hold; throws after `limit`.
    Steady::time_point waitFor(const std::function<bool(const client::BackendStatus&)>& done,
        const std::string& what, std::chrono::milliseconds limit = kDeadline)
    {
        const auto deadline = Steady::now() + limit;
        std::unique_lock lock(m_mutex);
        for (;;) {
            const auto seen = m_changes;
            const auto status = m_backend->linkStatus();
            if (done(status))
                return Steady::now();
            if (!m_changed.wait_until(lock, deadline, [&] { return m_changes != seen; }))
                throw std::runtime_error("the link was not " + what + " within "
                    + std::to_string(std::chrono::duration_cast<std::chrono::seconds>(limit).count())
                    + " s (last error: " + m_backend->linkStatus().lastError + ")");
        }
    }

private:
    client::Backend* m_backend = nullptr;
    std::mutex m_mutex;
    std::condition_variable m_changed;
    std::uint64_t m_changes = 0;
};

// The raw baseline of the outage figure: one libpq connection, SELECT 1 once a second on
// a thread of its own, until a probe fails.
class RawProbe {
public:
    RawProbe(const std::string& conninfo, std::chrono::milliseconds interval)
        : m_connection(conninfo)
        , m_interval(interval)
    {
        m_connection.exec("SELECT 1");
        m_thread = std::thread([this] { run(); });
    }
    ~RawProbe()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stopping = true;
        }
        m_wake.notify_all();
        m_thread.join();
    }
    RawProbe(const RawProbe&) = delete;
    RawProbe& operator=(const RawProbe&) = delete;

    Steady::time_point failedAt()
    {
        std::unique_lock lock(m_mutex);
        if (!m_wake.wait_for(lock, kDeadline, [&] { return m_failedAt.has_value(); }))
            throw std::runtime_error("the raw probe did not see the server go");
        return *m_failedAt;
    }

private:
    void run()
    {
        for (;;) {
            PGresult* result = PQexec(m_connection.get(), "SELECT 1");
            const bool ok = PQresultStatus(result) == PGRES_TUPLES_OK;
            PQclear(result);
            std::unique_lock lock(m_mutex);
            if (!ok) {
                m_failedAt = Steady::now();
                m_wake.notify_all();
                return;
            }
            if (m_wake.wait_for(lock, m_interval, [&] { return m_stopping; }))
                return;
        }
    }

    bench::PgConnection m_connection;
    std::chrono::milliseconds m_interval;
    std::mutex m_mutex;
    std::condition_variable m_wake;
    std::optional<Steady::time_point> m_failedAt;
    bool m_stopping = false;
    std::thread m_thread;
};

// The raw baseline of the recovery figure: connect, then the rows in one transaction
// through one multi-row INSERT with parameters (several only past PostgreSQL's 65535
// parameters a statement), into a scratch table made beforehand.
double rawInsertMillis(const std::vector<bench::EventRow>& rows, const std::string& conninfo)
{
    bench::rawPgFreshEventsTable(conninfo, "failover_scratch");
    bench::Stopwatch sw;
    bench::PgConnection c(conninfo);
    c.exec("BEGIN");
    bench::rawPgInsertRows(c, "failover_scratch", rows, 0, rows.size(), 5000);
    c.exec("COMMIT");
    return sw.millis();
}

long long countOf(bench::PgConnection& c, const std::string& sql)
{
    PGresult* r = PQexec(c.get(), sql.c_str());
    if (PQresultStatus(r) != PGRES_TUPLES_OK) {
        PQclear(r);
        throw std::runtime_error(sql + ": " + PQerrorMessage(c.get()));
    }
    const long long n = std::stoll(PQgetvalue(r, 0, 0));
    PQclear(r);
    return n;
}

// The bundle whose merged checklist is closest to ten materials (at least ten), as the
// intake benchmark takes.
model::IntakeRequest intakeRequest(const model::Catalogue& catalogue, long long k)
{
    model::IntakeRequest req;
    req.applicant.name = bench::nameOf(k);
    req.applicant.idNumber = bench::residentIdOf(k);
    req.applicant.phone = bench::phoneOf(k);
    std::size_t best = 0;
    for (const auto& [code, b] : catalogue.bundles()) {
        auto merged = catalogue.mergedMaterials(b.matterCodes);
        if (merged.size() >= 10 && (best == 0 || merged.size() < best)) {
            req.matterCodes = b.matterCodes;
            best = merged.size();
        }
    }
    for (const auto& m : catalogue.mergedMaterials(req.matterCodes))
        req.receivedMaterials.push_back(m.material.code);
    req.window = "W01";
    return req;
}

struct Centre {
    std::string conninfo; // libpq
    std::string password;
};

Centre setUpCentre(std::map<std::string, std::string>& state)
{
    Centre centre;
    centre.conninfo = bench::freshPgDatabase(state, kDatabase);
    centre.password = "bench-" + std::to_string(::getpid());
    auto shared = db::Store::open("postgresql://" + centre.conninfo);
    shared->initialise(kCentre);
    shared->putCatalogue(model::fullDemoCatalogue(), "admin");
    shared->putCentreSetup(model::demoCategories(), model::demoWindows(), "admin");
    shared->putStaff({"clerk01", "王芳", {model::Role::WindowStaff}, kCentre, true},
        db::hashPassword(centre.password), "admin");
    return centre;
}

struct Figures {
    std::vector<double> ours;
    std::vector<double> raw;
};

// A crash or a restart comes at any moment of the link's cadence, not just after a round:
// waits a random part of a second (a bench's choice of moment, not a synchronisation).
void anyMoment(std::mt19937_64& rng)
{
    std::this_thread::sleep_for(std::chrono::milliseconds(std::uniform_int_distribution<int>(0, 999)(rng)));
}

Figures measureOutages(LinkWatch& watch, const Options& o, const std::string& conninfo, std::mt19937_64& rng)
{
    Figures f;
    for (int run = 1; run <= o.stops; ++run) {
        watch.waitFor([](const client::BackendStatus& s) { return s.online; }, "online");
        double ours = 0;
        double raw = 0;
        {
            anyMoment(rng);
            RawProbe probe(conninfo, std::chrono::milliseconds(1000)); // a phase of its own
            anyMoment(rng);
            cluster("crash", o.pgState);
            const auto stopped = Steady::now();
            ours = millisBetween(
                stopped, watch.waitFor([](const client::BackendStatus& s) { return !s.online; }, "offline"));
            raw = millisBetween(stopped, probe.failedAt());
        }
        std::printf("  stop %d: offline after %.0f ms, raw probe %.0f ms\n", run, ours, raw);
        std::fflush(stdout);
        f.ours.push_back(ours);
        f.raw.push_back(raw);
        cluster("restart", o.pgState);
    }
    watch.waitFor([](const client::BackendStatus& s) { return s.online; }, "online");
    return f;
}

Figures measureRecoveries(client::Backend& backend, LinkWatch& watch, const Options& o,
    const std::string& conninfo, const std::string& replicaConnection, std::mt19937_64& rng)
{
    Figures f;
    const model::Catalogue catalogue = backend.catalogue();
    auto replica = db::Store::open(replicaConnection); // a reader of its own, as owctl status
    long long applicant = 0;
    for (int run = 1; run <= o.recoveries; ++run) {
        watch.waitFor([](const client::BackendStatus& s) { return s.online && s.pending == 0; }, "in step");
        cluster("crash", o.pgState);
        watch.waitFor([](const client::BackendStatus& s) { return !s.online; }, "offline");

        // The window goes on taking in applications, through the replica.
        const std::int64_t from = replica->lastArrival();
        for (long long written = 0; written < o.events; ++applicant) {
            auto opened = backend.intake().open("clerk01", intakeRequest(catalogue, applicant));
            if (++written < o.events) {
                backend.intake().accept("clerk01", opened.number);
                ++written;
            }
        }
        const std::int64_t pending = backend.status().pending; // counted on the replica now
        std::vector<std::string> ids;
        std::vector<bench::EventRow> rows;
        for (const auto& ch : replica->changesSince(from, static_cast<std::size_t>(o.events) * 2)) {
            const auto& e = ch.event;
            if (e.origin != replica->origin())
                continue;
            ids.push_back(e.id());
            rows.push_back({static_cast<long long>(rows.size() + 1), e.id(), e.origin, e.seq, e.hlc, e.type,
                e.caseNumber, e.actor, e.prev, e.hash, e.documentText()});
        }
        if (static_cast<long long>(ids.size()) != o.events || pending != o.events)
            throw std::runtime_error("wrote " + std::to_string(ids.size()) + " events while offline, "
                + std::to_string(pending) + " pending; expected " + std::to_string(o.events));

        anyMoment(rng);
        cluster("restart", o.pgState);
        const auto restarted = Steady::now();
        const double ours = millisBetween(restarted,
            watch.waitFor(
                [](const client::BackendStatus& s) { return s.online && s.pending == 0; }, "back in step"));

        // Every event on the shared store exactly once, both sides in the same state.
        {
            auto shared = db::Store::open("postgresql://" + conninfo);
            bench::PgConnection c(conninfo);
            const auto missing = shared->lacking(ids).size();
            const long long twice = countOf(c, "SELECT count(*) - count(DISTINCT id) FROM events");
            if (missing != 0 || twice != 0 || shared->eventCount() != replica->eventCount()
                || shared->stateHash() != replica->stateHash())
                throw std::runtime_error("after the recovery the shared store lacks "
                    + std::to_string(missing) + " events, holds " + std::to_string(twice) + " twice, "
                    + std::to_string(shared->eventCount()) + " events against the replica's "
                    + std::to_string(replica->eventCount()));
        }
        const double raw = rawInsertMillis(rows, conninfo);
        std::printf("  recovery %d: %lld events pending, zero pending %.0f ms after the restart, raw insert "
                    "%.0f ms\n",
            run, static_cast<long long>(ids.size()), ours, raw);
        std::fflush(stdout);
        f.ours.push_back(ours);
        f.raw.push_back(raw);
    }
    return f;
}

} // namespace

int main(int argc, char* argv[])
{
    const std::optional<Options> options = parse(argc, argv);
    if (!options)
        return 2;
    Options o = *options; // the seed is drawn below when none was given
    // Results on stdout; the link's notes of each outage would drown them.
    spdlog::set_level(spdlog::level::err);
    model::logger()->set_level(spdlog::level::err);

    auto dir = std::filesystem::temp_directory_path() / ("ow-bench-failover-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    bool pass = true;
    try {
        auto state = bench::readPgState(o.pgState);
        if (o.seed == 0)
            o.seed = (static_cast<std::uint64_t>(std::random_device{}()) << 32) | std::random_device{}();
        std::printf("  seed %llu (--seed to repeat the moments of the crashes and restarts)\n",
            static_cast<unsigned long long>(o.seed));
        std::mt19937_64 rng(o.seed);
        const Centre centre = setUpCentre(state);
        client::ConnectionSettings settings; // the link's interval as the client has it (1 s)
        settings.database = "postgresql://" + centre.conninfo;
        settings.replica = "sqlite3://db=" + (dir / "replica.db").string();
        Figures outage;
        Figures recovery;
        {
            LinkWatch watch;
            client::Backend backend(settings);
            backend.open();
            backend.login("clerk01", centre.password);
            watch.watch(backend);
            outage = measureOutages(watch, o, centre.conninfo, rng);
            recovery = measureRecoveries(backend, watch, o, centre.conninfo, settings.replica, rng);
        }

        bench::Result offline{"failover: server stop to OFFLINE, median", bench::percentile(outage.ours, 0.5),
            "ms", 5000, bench::percentile(outage.raw, 0.5), false, false};
        bench::print(offline);
        bench::print({"failover: server stop to OFFLINE, max", bench::percentile(outage.ours, 1.0), "ms", 0,
            bench::percentile(outage.raw, 1.0), false, false});
        bench::Result back{
            "failover: server back to zero pending, " + thousands(o.events) + " events, median",
            bench::percentile(recovery.ours, 0.5), "ms", 5000, bench::percentile(recovery.raw, 0.5), false,
            false};
        bench::print(back);
        pass = offline.pass() && back.pass();
        bench::dropPgDatabase(state, kDatabase);
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_failover: " << e.what() << "\n";
        std::filesystem::remove_all(dir);
        return 1;
    }
    std::filesystem::remove_all(dir);
    return pass ? 0 : 1;
}
