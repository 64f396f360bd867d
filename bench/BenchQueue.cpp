// The queue on the centre's shared PostgreSQL over loopback:
//   call-next (end the window's ticket, claim the next under the hall's lock, append the
//   events with their projection), median of the calls                    <= 20 ms
//   floor view refresh with 200 waiting tickets and 30 windows (the day's tickets read,
//   windows and categories read, the floor summarised), median            <= 50 ms
// Baselines, same run, same server: for call-next, one raw libpq transaction doing the
// least a claim can do (lock a row, pick the oldest waiting row, mark it, insert one
// event row, commit); for the floor, one raw SELECT of the same ticket rows.
// Usage: ow_bench_queue --postgres STATEFILE [--calls N]
#include "model/Floor.h"
#include "model/QueueService.h"

#include "BenchSupport.h"
#include "RawPostgres.h"
#include "db/Store.h"

#include <iostream>
#include <optional>
#include <stdexcept>

using namespace ow;

namespace {

struct Options {
    int calls = 400;
    std::string pgState;
};

// The options, or nothing after printing what is wrong with them and the usage.
std::optional<Options> parse(int argc, char** argv)
{
    Options o;
    bench::Args args(argc, argv);
    const auto option = [&] {
        if (args.is("--postgres"))
            o.pgState = args.value();
        else if (args.is("--calls"))
            o.calls = args.number<int>();
        else
            args.unknown();
    };
    const auto check = [&] {
        if (o.pgState.empty())
            throw std::invalid_argument("--postgres is needed");
        if (o.calls < 1)
            throw std::invalid_argument("--calls must be positive");
    };
    if (!args.read("ow_bench_queue", "usage: ow_bench_queue --postgres STATEFILE [--calls N]", option, check))
        return std::nullopt;
    return o;
}

// 30 windows: two general, the rest serving one category each, round the six categories.
std::vector<model::ServiceWindow> thirtyWindows()
{
    std::vector<model::ServiceWindow> out;
    const char* cats[] = {"A", "B", "C", "D", "E", "F"};
    for (int i = 1; i <= 30; ++i) {
        std::string code = (i < 10 ? "W0" : "W") + std::to_string(i);
        out.push_back({code, std::to_string(i) + "号窗口", {i <= 2 ? "A" : cats[i % 6]}, true});
    }
    return out;
}

struct Hall {
    std::unique_ptr<db::Store> store;
    model::Catalogue catalogue;
    std::unique_ptr<model::QueueService> queue;

    explicit Hall(const std::string& connection)
        : store(db::Store::open(connection))
    {
        catalogue = store->catalogue();
        model::HallSetup setup{store->categories(), store->windows(), 60};
        queue = std::make_unique<model::QueueService>(
            *store, *store, *store, catalogue, setup, model::systemPhysicalClock(), store->centre());
    }
};

} // namespace

int main(int argc, char** argv)
{
    const std::optional<Options> options = parse(argc, argv);
    if (!options)
        return 2;
    const Options& o = *options;
    try {
        auto state = bench::readPgState(o.pgState);
        const std::string conninfo = bench::freshPgDatabase(state, "ow_bench_queue");
        const std::string connection = "postgresql://" + conninfo;
        {
            auto store = db::Store::open(connection);
            store->initialise("330102");
            store->putCatalogue(model::demoCatalogue(), "admin");
            auto categories = model::demoCategories();
            for (auto& c : categories)
                c.lastNumber = 999;
            store->putCentreSetup(categories, thirtyWindows(), "admin");
            for (int i = 1; i <= 30; ++i)
                store->putStaff(
                    {"clerk" + std::to_string(i), "clerk", {model::Role::WindowStaff}, "330102", true}, "",
                    "admin");
        }
        Hall hall(connection);

        // Call-next: every ticket is called by a general window (which serves them all).
        for (int i = 0; i < o.calls; ++i)
            hall.queue->issueAtKiosk("bench", "A");
        std::vector<double> calls;
        for (int i = 0; i < o.calls; ++i) {
            bench::Stopwatch sw;
            auto r = hall.queue->callNext("clerk1", "W01");
            calls.push_back(sw.millis());
            if (!r.called)
                throw std::runtime_error("nobody was waiting at call " + std::to_string(i));
        }
        const double callMs = bench::percentile(calls, 0.5);

        // Raw: the least a claim on the shared database costs, on a table of the same rows.
        std::vector<double> raw;
        {
            bench::PgConnection c(conninfo);
            c.exec("SET client_min_messages = warning");
            c.exec("CREATE TABLE raw_lock (name TEXT PRIMARY KEY, value BIGINT NOT NULL)");
            c.exec("INSERT INTO raw_lock VALUES ('hall', 0)");
            c.exec(
                "CREATE TABLE raw_tickets (id BIGINT PRIMARY KEY, status TEXT NOT NULL, queued_at BIGINT NOT "
                "NULL)");
            c.exec("CREATE INDEX raw_tickets_status ON raw_tickets (status, queued_at)");
            c.exec("CREATE TABLE raw_events (arrival BIGSERIAL PRIMARY KEY, doc TEXT NOT NULL)");
            c.exec("INSERT INTO raw_tickets SELECT g, 'waiting', g FROM generate_series(1, "
                + std::to_string(o.calls) + ") g");
            for (int i = 0; i < o.calls; ++i) {
                bench::Stopwatch sw;
                c.exec("BEGIN");
                c.exec("SELECT value FROM raw_lock WHERE name = 'hall' FOR UPDATE");
                c.exec("UPDATE raw_tickets SET status = 'called' WHERE id = (SELECT id FROM raw_tickets WHERE"
                       " status = 'waiting' ORDER BY queued_at LIMIT 1)");
                c.exec("INSERT INTO raw_events (doc) VALUES ('{\"type\":\"ticket.called\"}')");
                c.exec("COMMIT");
                raw.push_back(sw.millis());
            }
        }
        const double rawCallMs = bench::percentile(raw, 0.5);
        bench::print({"call-next on PostgreSQL (median ms)", callMs, "ms", 20, rawCallMs, false, false});

        // The floor: 200 waiting tickets spread over the categories (the calls above
        // left the earlier ones ended), 30 windows.
        const char* cats[] = {"A", "B", "C", "D", "E", "F"};
        for (int i = 0; i < 200; ++i)
            hall.queue->issueAtKiosk("bench", cats[i % 6]);
        const auto today = hall.queue->todayDate();
        std::vector<double> floors;
        std::size_t waiting = 0;
        for (int i = 0; i < 30; ++i) {
            bench::Stopwatch sw;
            auto view = model::summariseFloor(hall.store->hallTickets(today), hall.store->windows(),
                hall.store->categories(), model::systemPhysicalClock()());
            floors.push_back(sw.millis());
            waiting = view.waiting.size();
        }
        if (waiting != 200)
            throw std::runtime_error("the floor shows " + std::to_string(waiting) + " waiting, not 200");
        std::vector<double> rawFloors;
        {
            bench::PgConnection c(conninfo);
            for (int i = 0; i < 30; ++i) {
                bench::Stopwatch sw;
                c.exec("SELECT state FROM tickets WHERE day = '" + today.iso() + "'");
                rawFloors.push_back(sw.millis());
            }
        }
        bench::print({"floor view, 200 waiting and 30 windows (median ms)", bench::percentile(floors, 0.5),
            "ms", 50, bench::percentile(rawFloors, 0.5), false, false});
        bench::dropPgDatabase(state, "ow_bench_queue");
        return 0;
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_queue: " << e.what() << "\n";
        return 1;
    }
}
