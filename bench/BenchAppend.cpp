// Batched event append against raw baselines measured in the same run on identical rows,
// batch sizes and pragmas:
//   SQLite, hash chain only   vs raw sqlite3 prepared inserts      (target ratio >= 0.5)
//   SQLite, with projections  vs the same raw inserts               (target ratio >= 0.3)
//   PostgreSQL, hash chain    vs one raw libpq multi-row INSERT     (target ratio >= 0.4)
// Usage: ow_bench_append [--events N] [--batch B] [--postgres CONNINFO-FILE]
#include "model/Identity.h"

#include "BenchSupport.h"
#include "RawPostgres.h"
#include "SyntheticCases.h"
#include "db/Store.h"

#include <filesystem>
#include <iostream>
#include <sqlite3.h>
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

void check(int rc, sqlite3* db, const char* what)
{
    if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW)
        throw std::runtime_error(std::string(what) + ": " + sqlite3_errmsg(db));
}

// Raw sqlite3: one prepared INSERT, bound and stepped per row, one transaction per batch.
// Rows of a table copied from the store's file, as text, and the statement to create it
// with its indexes exactly as the store's migrations did.
struct TableCopy {
    std::string name;
    std::vector<std::string> ddl;
    std::vector<std::vector<std::string>> rows;
    std::size_t columns = 0;
};

TableCopy copyTable(const std::string& path, const std::string& table)
{
    TableCopy t;
    t.name = table;
    sqlite3* db = nullptr;
    check(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    sqlite3_stmt* st = nullptr;
    check(sqlite3_prepare_v2(db,
              "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC", -1,
              &st, nullptr),
        db, "prepare");
    sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW)
        t.ddl.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    check(sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &st, nullptr), db, "prepare");
    t.columns = static_cast<std::size_t>(sqlite3_column_count(st));
    while (sqlite3_step(st) == SQLITE_ROW) {
        std::vector<std::string> row;
        for (int c = 0; c < static_cast<int>(t.columns); ++c) {
            const unsigned char* v = sqlite3_column_text(st, c);
            row.emplace_back(v ? reinterpret_cast<const char*>(v) : "");
        }
        t.rows.push_back(std::move(row));
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return t;
}

// Raw sqlite3: one prepared INSERT per table, bound and stepped per row; the rows of every
// table are spread evenly over the same number of transactions as the store's batches,
// with the store's pragmas. Returns event rows per second (the first table's rows).
double rawSqlite(const std::vector<TableCopy>& tables, std::size_t batches, const std::string& path)
{
    std::filesystem::remove(path);
    sqlite3* db = nullptr;
    check(sqlite3_open(path.c_str(), &db), db, "open");
    for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
             "PRAGMA cache_size = -32768", "PRAGMA foreign_keys = ON"})
        check(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
    std::vector<sqlite3_stmt*> inserts;
    for (const auto& t : tables) {
        for (const auto& ddl : t.ddl)
            check(sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr), db, ddl.c_str());
        std::string q = "INSERT INTO " + t.name + " VALUES (";
        for (std::size_t c = 0; c < t.columns; ++c)
            q += c ? ",?" : "?";
        q += ")";
        sqlite3_stmt* st = nullptr;
        check(sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr), db, "prepare");
        inserts.push_back(st);
    }
    bench::Stopwatch sw;
    for (std::size_t b = 0; b < batches; ++b) {
        check(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (std::size_t t = 0; t < tables.size(); ++t) {
            const auto& rows = tables[t].rows;
            std::size_t from = rows.size() * b / batches;
            std::size_t to = rows.size() * (b + 1) / batches;
            for (std::size_t k = from; k < to; ++k) {
                for (std::size_t c = 0; c < tables[t].columns; ++c)
                    sqlite3_bind_text(
                        inserts[t], static_cast<int>(c + 1), rows[k][c].c_str(), -1, SQLITE_STATIC);
                check(sqlite3_step(inserts[t]), db, "step");
                sqlite3_reset(inserts[t]);
            }
        }
        check(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    double secs = sw.seconds();
    for (auto* st : inserts)
        sqlite3_finalize(st);
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
    return static_cast<double>(tables.front().rows.size()) / secs;
}

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
            std::vector<TableCopy> tables{copyTable(file, "events")};
            if (cases) {
                bench::print({"sqlite append + projections (raw: events only)", ours, "rows/s", 0,
                    rawSqlite(tables, batches, (dir / "raw.db").string())});
                tables.push_back(copyTable(file, "cases"));
                tables.push_back(copyTable(file, "search_terms"));
            }
            double raw = rawSqlite(tables, batches, (dir / "raw.db").string());
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
