// Batched event append against raw baselines measured in the same run on identical rows,
// batch sizes and pragmas:
//   SQLite, hash chain only   vs raw sqlite3 prepared inserts      (target ratio >= 0.5)
//   SQLite, with projections  vs the same raw inserts               (target ratio >= 0.3)
//   PostgreSQL, hash chain    vs one raw libpq multi-row INSERT     (target ratio >= 0.4)
// Usage: ow_bench_append [--events N] [--batch B] [--postgres CONNINFO-FILE]
#include "model/Identity.h"

#include "BenchSupport.h"
#include "RawPostgres.h"
#include "RawSqlite.h"
#include "SyntheticCases.h"
#include "db/Store.h"

#include <filesystem>
#include <iostream>
#include <stdexcept>
#include <unistd.h>

using namespace ow;
using model::Json;

namespace {

struct Options {
    int events = 20000;
    int batch = 1000;
    std::string pgState;
    std::string only; // "chain" or "cases": one SQLite workload (for profiling)
};

std::vector<model::NewEvent> noteBatch(int n, int offset)
{
    std::vector<model::NewEvent> out;
    for (int i = 0; i < n; ++i) {
        Json body = Json::object();
        body["text"] = "batch note " + std::to_string(offset + i);
        out.push_back({model::EventType::Note, "", "bench", {}, body});
    }
    return out;
}

// Realistic case traffic: each case opened (applicant, one matter, three materials), then noted.
std::vector<model::NewEvent> caseBatch(int n, int offset)
{
    std::vector<model::NewEvent> out;
    for (int i = 0; i < n / 2; ++i) {
        long long k = offset / 2 + i;
        out.push_back(bench::openedEvent(k));
        Json note = Json::object();
        note["text"] = "checked";
        out.push_back({model::EventType::Note, bench::caseNumberOf(k), "bench", {}, note});
    }
    return out;
}

double ourAppend(const std::string& conn, const Options& o, bool cases)
{
    auto store = db::Store::open(conn);
    bench::Stopwatch sw;
    for (int i = 0; i < o.events; i += o.batch)
        store->append(cases ? caseBatch(o.batch, i) : noteBatch(o.batch, i));
    return static_cast<double>(o.events) / sw.seconds();
}

} // namespace

int main(int argc, char* argv[])
{
    Options o;
    bench::Args args(argc, argv);
    if (!args.read("ow_bench_append",
            "usage: ow_bench_append [--events N] [--batch B] [--postgres STATEFILE] [--only chain|cases]",
            [&] {
                if (args.is("--events"))
                    o.events = args.number<int>();
                else if (args.is("--batch"))
                    o.batch = args.number<int>();
                else if (args.is("--postgres"))
                    o.pgState = args.value();
                else if (args.is("--only"))
                    o.only = args.value();
                else
                    args.unknown();
            }))
        return 2;
    auto dir = std::filesystem::temp_directory_path() / ("ow-bench-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    bool allPass = true;
    try {
        for (bool cases : {false, true}) {
            if (!o.only.empty() && o.only != (cases ? "cases" : "chain"))
                continue;
            std::string file = (dir / (cases ? "cases.db" : "chain.db")).string();
            double ours = ourAppend("sqlite3://db=" + file, o, cases);
            const std::size_t batches = static_cast<std::size_t>((o.events + o.batch - 1) / o.batch);
            // The baseline writes the very rows the store wrote: the events, and with
            // projections also the case rows and search terms, same schema and indexes.
            std::vector<bench::TableCopy> tables{bench::copyTable(file, "events")};
            if (cases) {
                bench::print({"sqlite append + projections (raw: events only)", ours, "rows/s", 0,
                    bench::rawSqlite(tables, batches, (dir / "raw.db").string())});
                tables.push_back(bench::copyTable(file, "cases"));
                tables.push_back(bench::copyTable(file, "search_terms"));
            }
            double raw = bench::rawSqlite(tables, batches, (dir / "raw.db").string());
            bench::Result r{cases ? "sqlite append, hash chain + projections" : "sqlite append, hash chain",
                ours, "rows/s", cases ? 0.3 : 0.5, raw};
            bench::print(r);
            allPass = allPass && r.pass();
        }
        if (!o.pgState.empty()) {
            // A fresh database for each run; the baseline's table sits beside the store's.
            auto state = bench::readPgState(o.pgState);
            std::string conninfo = bench::freshPgDatabase(state, "ow_bench");
            double ours = ourAppend("postgresql://" + conninfo, o, false);
            auto store = db::Store::open("postgresql://" + conninfo);
            auto rows = bench::eventRowsOf(*store);
            store.reset();
            double raw = static_cast<double>(rows.size())
                / bench::rawPgInsertSeconds(rows, static_cast<std::size_t>(o.batch), conninfo, "raw_events");
            bench::Result r{"postgresql append, hash chain", ours, "rows/s", 0.4, raw};
            bench::print(r);
            allPass = allPass && r.pass();
        }
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_append: " << e.what() << "\n";
        std::filesystem::remove_all(dir);
        return 1;
    }
    std::filesystem::remove_all(dir);
    return allPass ? 0 : 1;
}
