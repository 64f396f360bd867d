// Latency at scale on SQLite, each figure with a raw sqlite3 baseline from the same run
// on the same database file:
//   one intake (open + accept, 10 materials) durably committed   median <= 5 ms
//   search by ID / phone / case number / name prefix, 50 rows     p95 <= 5 ms each
//   first page of the case list                                    p95 <= 50 ms
//   rebuilding every projection from the events                    <= 60 s
// Usage: ow_bench_scale [--cases N] [--intakes N]   (defaults: 1,000,000 cases, 200 intakes)
#include "model/BuiltinCalendars.h"
#include "model/HmacSha256.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "BenchSupport.h"
#include "SyntheticCases.h"
#include "db/PasswordHash.h"
#include "db/Store.h"

#include <filesystem>
#include <iostream>
#include <random>
#include <sqlite3.h>
#include <stdexcept>
#include <unistd.h>

using namespace ow;

namespace {

// A read-only raw connection to the same file, for the baselines.
class Raw {
public:
    explicit Raw(const std::string& path)
    {
        if (sqlite3_open_v2(path.c_str(), &m_db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK)
            throw std::runtime_error("sqlite3_open failed");
    }
    ~Raw() { sqlite3_close(m_db); }
    Raw(const Raw&) = delete;
    Raw& operator=(const Raw&) = delete;

    // Runs `sql` with text parameters, stepping through every row; returns the row count.
    int run(const std::string& sql, const std::vector<std::string>& params = {})
    {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(m_db));
        for (std::size_t i = 0; i < params.size(); ++i)
            sqlite3_bind_text(st, static_cast<int>(i + 1), params[i].c_str(), -1, SQLITE_TRANSIENT);
        int rows = 0;
        int rc = 0;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW)
            ++rows;
        sqlite3_finalize(st);
        if (rc != SQLITE_DONE)
            throw std::runtime_error(std::string("step: ") + sqlite3_errmsg(m_db));
        return rows;
    }
    std::string text(const std::string& sql)
    {
        sqlite3_stmt* st = nullptr;
        sqlite3_prepare_v2(m_db, sql.c_str(), -1, &st, nullptr);
        std::string out;
        if (sqlite3_step(st) == SQLITE_ROW)
            out = reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        sqlite3_finalize(st);
        return out;
    }
    sqlite3* handle() { return m_db; }

private:
    sqlite3* m_db = nullptr;
};

bool report(bench::Result r)
{
    bench::print(r);
    return r.pass();
}

std::vector<std::string> richestChecklist(const model::Catalogue& catalogue)
{
    // The bundle whose merged checklist is closest to ten materials (at least ten).
    std::vector<std::string> best;
    std::size_t bestCount = 0;
    for (const auto& [code, b] : catalogue.bundles()) {
        auto merged = catalogue.mergedMaterials(b.matterCodes);
        if (merged.size() >= 10 && (bestCount == 0 || merged.size() < bestCount)) {
            best = b.matterCodes;
            bestCount = merged.size();
        }
    }
    return best;
}

bool benchIntake(const std::filesystem::path& dir, int intakes)
{
    std::string file = (dir / "intake.db").string();
    auto store = db::Store::open("sqlite3://db=" + file);
    store->initialise("330102");
    model::Catalogue catalogue = model::fullDemoCatalogue();
    store->putCatalogue(catalogue, "admin");
    store->putStaff({"clerk01", "王芳", {model::Role::WindowStaff}, "330102", true}, "", "admin");
    model::HolidayCalendar calendar = model::builtinCalendar();
    model::FixedClock clock(model::Date(2026, 3, 2));
    db::StoreCaseNumberSource numbers(*store, "330102", "W01", 50);
    model::ServiceContext ctx{*store, catalogue, calendar, *store, numbers, clock, "330102"};
    model::IntakeService intake(ctx);

    model::IntakeRequest req;
    req.applicant.name = "李强";
    req.applicant.idNumber = bench::residentIdOf(42);
    req.applicant.phone = "13812345678";
    req.matterCodes = richestChecklist(catalogue);
    for (const auto& m : catalogue.mergedMaterials(req.matterCodes))
        req.receivedMaterials.push_back(m.material.code);
    req.window = "W01";

    std::vector<double> ours;
    for (int i = 0; i < intakes; ++i) {
        bench::Stopwatch sw;
        auto c = intake.open("clerk01", req);
        intake.accept("clerk01", c.number);
        ours.push_back(sw.millis());
    }
    // Raw: the same two event documents, each in its own durable transaction.
    auto changes = store->changesSince(store->lastArrival() - 2, 2);
    store.reset();
    std::string rawFile = (dir / "intake-raw.db").string();
    sqlite3* db = nullptr;
    sqlite3_open(rawFile.c_str(), &db);
    for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
             "PRAGMA cache_size = -32768", "CREATE TABLE events (arrival INTEGER, id TEXT UNIQUE, doc TEXT)"})
        sqlite3_exec(db, sql, nullptr, nullptr, nullptr);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "INSERT INTO events (arrival, id, doc) VALUES (?, ?, ?)", -1, &st, nullptr);
    std::vector<double> raw;
    long long arrival = 0;
    for (int i = 0; i < intakes; ++i) {
        bench::Stopwatch sw;
        for (const auto& ch : changes) {
            std::string id = ch.event.id() + "-" + std::to_string(arrival);
            std::string doc = ch.event.documentText();
            sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr);
            sqlite3_bind_int64(st, 1, ++arrival);
            sqlite3_bind_text(st, 2, id.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_bind_text(st, 3, doc.c_str(), -1, SQLITE_TRANSIENT);
            sqlite3_step(st);
            sqlite3_reset(st);
            sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
        }
        raw.push_back(sw.millis());
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return report({"sqlite intake (open+accept, " + std::to_string(req.receivedMaterials.size())
            + " materials), median",
        bench::percentile(ours, 0.5), "ms", 5.0, bench::percentile(raw, 0.5), false, false});
}

template<class F> std::vector<double> timeEach(int n, F&& f)
{
    std::vector<double> out;
    for (int i = 0; i < n; ++i) {
        bench::Stopwatch sw;
        f(i);
        out.push_back(sw.millis());
    }
    return out;
}

bool benchScale(const std::filesystem::path& dir, long long cases)
{
    std::string file = (dir / "scale.db").string();
    auto store = db::Store::open("sqlite3://db=" + file);
    store->initialise("330102");
    bench::Stopwatch build;
    bench::appendSyntheticCases(*store, cases);
    std::printf("built %lld cases in %.1f s (%.0f cases/s)\n", cases, build.seconds(),
        static_cast<double>(cases) / build.seconds());
    std::fflush(stdout);

    Raw raw(file);
    const std::string key = raw.text("SELECT value FROM meta WHERE key = 'search_key'");
    std::mt19937_64 rng(20261128);
    const int n = 300;
    std::vector<long long> picks;
    for (int i = 0; i < n; ++i)
        picks.push_back(static_cast<long long>(rng() % static_cast<std::uint64_t>(cases)));
    bool ok = true;
    auto searchRow = [&](const std::string& kind, auto query, auto rawQuery, std::size_t expectRows) {
        std::size_t minRows = SIZE_MAX;
        auto ours = timeEach(n, [&](int i) {
            minRows = std::min(minRows, store->search(query(picks[static_cast<std::size_t>(i)])).size());
        });
        auto base = timeEach(n, [&](int i) { rawQuery(picks[static_cast<std::size_t>(i)]); });
        if (minRows < expectRows)
            std::printf("  (search by %s returned only %zu rows)\n", kind.c_str(), minRows);
        ok = report({"search by " + kind + " at " + std::to_string(cases) + " cases, p95",
                 bench::percentile(ours, 0.95), "ms", 5.0, bench::percentile(base, 0.95), false, false})
            && minRows >= expectRows && ok;
    };
    const std::string termQuery
        = "SELECT c.number, c.state FROM search_terms t JOIN cases c ON c.number = t.case_number"
          " WHERE t.kind = ? AND t.term = ?";
    searchRow(
        "ID number", [](long long k) { return bench::residentIdOf(k); },
        [&](long long k) {
            raw.run(termQuery, {"id", model::hmacSha256Hex(key, bench::residentIdOf(k))});
        },
        1);
    searchRow(
        "phone", [](long long k) { return bench::phoneOf(k); },
        [&](long long k) {
            raw.run(termQuery, {"phone", bench::phoneOf(k)});
        },
        1);
    searchRow(
        "case number", [](long long k) { return bench::caseNumberOf(k); },
        [&](long long k) {
            raw.run("SELECT number, state FROM cases WHERE number = ?", {bench::caseNumberOf(k)});
        },
        1);
    searchRow(
        "name prefix (50 rows)",
        [](long long k) { return bench::surnames()[static_cast<std::size_t>(k) % bench::surnames().size()]; },
        [&](long long k) {
            std::string p = bench::surnames()[static_cast<std::size_t>(k) % bench::surnames().size()];
            raw.run("SELECT c.number, c.state FROM search_terms t JOIN cases c ON c.number = t.case_number"
                    " WHERE t.kind = 'name' AND t.term >= ? AND t.term <= ? ORDER BY t.term LIMIT 50",
                {p, p + "\xF4\x8F\xBF\xBF"});
        },
        static_cast<std::size_t>(
            std::min<long long>(50, cases / static_cast<long long>(bench::surnames().size()))));

    auto list = timeEach(50, [&](int) { store->listCases("", 50); });
    auto listBase = timeEach(
        50, [&](int) { raw.run("SELECT number, state FROM cases ORDER BY number DESC LIMIT 50"); });
    ok = report({"case list first page at " + std::to_string(cases) + " cases, p95",
             bench::percentile(list, 0.95), "ms", 50.0, bench::percentile(listBase, 0.95), false, false})
        && ok;

    long long events = store->eventCount();
    bench::Stopwatch scan;
    raw.run("SELECT doc FROM events ORDER BY arrival");
    double scanSecs = scan.seconds();
    const std::string hashBefore = store->stateHash();
    bench::Stopwatch rebuild;
    store->rebuildProjections();
    const double rebuildSecs = rebuild.seconds();
    if (store->stateHash() != hashBefore) {
        std::printf("rebuild changed the state-hash: the rebuilt projections are wrong\n");
        ok = false;
    }
    ok = report({"rebuild projections from " + std::to_string(events) + " events", rebuildSecs, "s", 60.0,
             scanSecs, false, false})
        && ok;
    return ok;
}

} // namespace

int main(int argc, char* argv[])
{
    long long cases = 1'000'000;
    int intakes = 200;
    bench::Args args(argc, argv);
    if (!args.read("ow_bench_scale", "usage: ow_bench_scale [--cases N] [--intakes N]", [&] {
            if (args.is("--cases"))
                cases = args.number();
            else if (args.is("--intakes"))
                intakes = args.number<int>();
            else
                args.unknown();
        }))
        return 2;
    auto dir = std::filesystem::temp_directory_path() / ("ow-bench-scale-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    bool ok = true;
    try {
        ok = benchIntake(dir, intakes) && ok;
        ok = benchScale(dir, cases) && ok;
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_scale: " << e.what() << "\n";
        std::filesystem::remove_all(dir);
        return 1;
    }
    std::filesystem::remove_all(dir);
    return ok ? 0 : 1;
}
