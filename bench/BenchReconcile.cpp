// Reconciling a workstation that worked offline: its SQLite replica holds N pending
// events under its own origin (synthetic intake: each case opened, then accepted), written
// while the shared PostgreSQL database was unreachable. The figure is one
// sync::ReplicaWriter::sync() once the shared store answers again, into a fresh database:
// every event sent, applied in sequence with its hash chain checked, projected (case
// rows, search terms) and committed, then the pull back that finds nothing missing.
//   reconciling 10,000 pending events                                <= 3 s
// Baseline, same run, same server: the very events rows the shared store wrote, into a
// fresh database and table, in one transaction of raw libpq multi-row INSERTs.
// Each run starts from a copy of the same replica and a fresh shared database; the
// median of the runs is reported.
// Usage: ow_bench_reconcile --postgres STATEFILE [--events N] [--runs R] [--batch B]
//   --batch B: push and pull through sync::Replicator(B) instead of the ReplicaWriter's
//              default, to compare batch sizes (the figure is then for information only).
#include "model/Error.h"

#include "BenchSupport.h"
#include "RawPostgres.h"
#include "SyntheticCases.h"
#include "db/Store.h"
#include "sync/ReplicaWriter.h"
#include "sync/Replicator.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <stdexcept>
#include <unistd.h>

using namespace ow;
using model::Json;

namespace {

struct Options {
    long long events = 10000;
    int runs = 3;
    std::size_t batch = 0; // 0: ReplicaWriter::sync() as it is
    std::string pgState;
};

const char* kSqliteSuffixes[] = {"", "-wal", "-shm"};

void removeSqlite(const std::string& path)
{
    for (const char* suffix : kSqliteSuffixes)
        std::filesystem::remove(path + suffix);
}

// A replica whose writer never reached the shared store: `events` events of its own
// origin, pending. Case k is opened, then accepted (heads: its opening), as intake does.
void buildOfflineReplica(const std::string& path, long long events)
{
    removeSqlite(path);
    auto replica = db::Store::open("sqlite3://db=" + path);
    replica->initialise("330102");
    sync::ReplicaWriter writer(*replica, []() -> db::Store& {
        throw model::DomainError("db.unreachable", {{"reason", "benchmark: shared store down"}});
    });
    const std::string origin = replica->origin();
    long long seq = 0;
    const long long casesPerAppend = 250;
    for (long long k = 0; 2 * k < events;) {
        std::vector<model::NewEvent> batch;
        for (long long end = k + casesPerAppend; k < end && 2 * k < events; ++k) {
            batch.push_back(bench::openedEvent(k));
            const std::string opened = model::formatEventId(origin, ++seq);
            if (2 * k + 1 < events) {
                Json body = Json::object();
                body["on"] = "2026-03-02";
                batch.push_back(
                    {model::EventType::Accepted, bench::caseNumberOf(k), "clerk03", {opened}, body});
                ++seq;
            }
        }
        auto stored = writer.append(batch);
        if (stored.back().seq != seq)
            throw std::runtime_error("replica sequence is not the predicted one");
    }
    if (writer.online() || writer.pending() != events)
        throw std::runtime_error("the replica should hold every event as pending");
}

struct Run {
    double ours = 0; // seconds
    double raw = 0; // seconds
};

Run runOnce(const Options& o, std::map<std::string, std::string>& state, const std::string& templatePath,
    const std::string& replicaPath)
{
    removeSqlite(replicaPath);
    for (const char* suffix : kSqliteSuffixes)
        if (std::filesystem::exists(templatePath + suffix))
            std::filesystem::copy_file(templatePath + suffix, replicaPath + suffix);
    Run run;
    {
        const std::string conninfo = bench::freshPgDatabase(state, "ow_bench_reconcile");
        // Opened (and migrated) before the clock starts, as the workstation's session holds it.
        auto shared = db::Store::open("postgresql://" + conninfo);
        auto replica = db::Store::open("sqlite3://db=" + replicaPath);
        sync::ReplicaWriter writer(*replica, [&]() -> db::Store& { return *shared; });
        if (writer.pending() != o.events)
            throw std::runtime_error("the replica copy does not hold the pending events");
        bench::Stopwatch sw;
        if (o.batch == 0) {
            if (!writer.sync())
                throw std::runtime_error("sync failed: " + writer.lastError());
        } else {
            // What sync() does, with another batch size.
            sync::Replicator replicator(o.batch);
            sync::StoreEndpoint local(*replica);
            sync::StoreEndpoint central(*shared);
            auto pushed = replicator.replicate(local, central);
            // The acknowledgement ReplicaWriter keeps (pending() below checks it took).
            replica->setSetting("replica/pushed", std::to_string(pushed.toCursor));
            replicator.replicate(central, local);
        }
        run.ours = sw.seconds();
        // Everything arrived, applied (nothing held), projected as on the replica, and the
        // audit (hash chain, counters, every row against a fresh fold) passes.
        if (writer.pending() != 0 || shared->eventCount() != o.events || !shared->heldEvents().empty()
            || shared->countCases("") != (o.events + 1) / 2 || shared->countCases("accepted") != o.events / 2
            || shared->stateHash() != replica->stateHash() || !shared->verify().ok())
            throw std::runtime_error("the shared store does not hold what the replica holds");
        auto rows = bench::eventRowsOf(*shared);
        shared.reset();
        run.raw = bench::rawPgInsertSeconds(
            rows, rows.size(), bench::freshPgDatabase(state, "ow_bench_reconcile_raw"), "events");
    }
    removeSqlite(replicaPath);
    return run;
}

} // namespace

int main(int argc, char* argv[])
{
    Options o;
    bench::Args args(argc, argv);
    if (!args.read("ow_bench_reconcile",
            "usage: ow_bench_reconcile --postgres STATEFILE [--events N] [--runs R] [--batch B]", [&] {
                if (args.is("--events"))
                    o.events = args.number();
                else if (args.is("--runs"))
                    o.runs = args.number<int>();
                else if (args.is("--batch"))
                    o.batch = args.number<std::size_t>();
                else if (args.is("--postgres"))
                    o.pgState = args.value();
                else
                    args.unknown();
            }))
        return 2;
    if (o.pgState.empty() || o.events < 1 || o.runs < 1) {
        std::cerr << "usage: ow_bench_reconcile --postgres STATEFILE [--events N] [--runs R] [--batch B]\n";
        return 2;
    }
    auto dir = std::filesystem::temp_directory_path() / ("ow-bench-reconcile-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    bool pass = true;
    try {
        auto state = bench::readPgState(o.pgState);
        const std::string templatePath = (dir / "offline.db").string();
        buildOfflineReplica(templatePath, o.events);
        std::vector<double> ours, raw;
        for (int r = 0; r < o.runs; ++r) {
            Run run = runOnce(o, state, templatePath, (dir / "replica.db").string());
            std::printf("  run %d: reconcile %.3f s, raw insert %.3f s\n", r + 1, run.ours, run.raw);
            std::fflush(stdout);
            ours.push_back(run.ours);
            raw.push_back(run.raw);
        }
        std::string name = "reconcile " + std::to_string(o.events) + " pending events into postgresql";
        if (o.batch)
            name += ", batch " + std::to_string(o.batch);
        bench::Result result{name + ", median", bench::percentile(ours, 0.5), "s", o.batch ? 0.0 : 3.0,
            bench::percentile(raw, 0.5), false, false};
        bench::print(result);
        pass = result.pass() || o.batch != 0;
        for (const char* db : {"ow_bench_reconcile", "ow_bench_reconcile_raw"})
            bench::dropPgDatabase(state, db);
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_reconcile: " << e.what() << "\n";
        std::filesystem::remove_all(dir);
        return 1;
    }
    std::filesystem::remove_all(dir);
    return pass ? 0 : 1;
}
