// Centre-to-centre sync (DESIGN: "Sync between centres"): two real onewindowd processes on
// loopback, one replicating the other's events over the CouchDB replication protocol with
// everything the daemon does — each event's hash checked, each origin's chain checked,
// projections written, every batch and both checkpoints committed durably.
//   centre sync pull, 100,000 events               >= 25,000 events/s
//     a source node holding the events; a fresh target node started with --peer SOURCE:
//     from the moment the target process is started until its database has applied all
//     of them (its arrival counter, polled every 10 ms).
//   centre sync push, 100,000 events               >= 25,000 events/s
//     an empty target node serving; the source node started with --peer TARGET: from the
//     source's start until the target has applied them all.
//   both directions against PouchDB                ratio >= 8
//     Baseline, same run, same documents: PouchDB (pouchdb-node 9, memory adapter)
//     replicating them to express-pouchdb 4 (express 4, memory adapter, a process of its
//     own) on loopback, bench/pouch_sync_baseline.js. The slower direction is compared.
//   onewindowd resident memory replicating 1,000,000 events   <= 300 MB
//     the target's VmRSS (/proc/PID/status) sampled every 10 ms during a pull of
//     1,000,000 events, and its VmHWM at the end: the peak. Baseline: the resident
//     memory of the same daemon idle on the same empty database.
// The source databases are realistic centre traffic: many workstation and back-office
// origins, each with its hash chain, writing the events of cases from intake to hand-out
// (opened, material received, accepted, routed, step done, concluded, document issued,
// delivered, some notes), interleaved as they would arrive. They are generated once,
// through db::Store::receive in large batches, and kept in the work folder
// (centre-sync-<N>-v2.db); each run replicates a copy. Afterwards the target must hold every
// event, nothing held, with the source's state-hash (else the benchmark fails).
// Usage: ow_bench_centre_sync [--work DIR] [--events N] [--memory-events M] [--runs R]
//          [--batch B] [--daemon PATH] [--interop DIR] [--pouch-batch B] [--no-pouch] [--rebuild]
//   --memory-events 0 leaves the memory figure out; --no-pouch the PouchDB baseline;
//   --batch B runs both daemons with [replication] batch = B instead of their default;
//   --pouch-batch B is PouchDB's batch_size (1000: its best here, 100 being its default).
#include "model/Date.h"
#include "model/Event.h"

#include "BenchSupport.h"
#include "RawSqlite.h"
#include "SyntheticCases.h"
#include "db/Store.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

using namespace ow;
using model::Json;
namespace fs = std::filesystem;

namespace {

const char* kUsage
    = "usage: ow_bench_centre_sync [--work DIR] [--events N] [--memory-events M] [--runs R]\n"
      "         [--batch B] [--daemon PATH] [--interop DIR] [--pouch-batch B] [--no-pouch] [--rebuild]";
// Bump when the generated traffic changes: a cached database of another version is rebuilt.
const std::string kVersion = "v2";
const std::string kSourceCentre = "330102";
const std::string kTargetCentre = "330106";
// Events per replication batch when --batch is not given: DaemonConfig's default.
const long long kDaemonBatch = 10000;

struct Options {
    fs::path work;
    long long events = 100'000;
    long long memoryEvents = 1'000'000;
    int runs = 3;
    std::string daemon;
    fs::path interop;
    int batch = 0; // 0: the daemon's default ([replication] batch)
    int pouchBatch = 1000;
    bool pouch = true;
    bool rebuild = false;
};

// ------------------------------------------------------------------ the source traffic

struct Origin {
    std::string id;
    std::int64_t seq = 0;
    std::string lastHash;
};

// What happens to case k, in order; each step names the kind of origin writing it.
struct Step {
    const char* type;
    bool backOffice;
};

std::vector<Step> lifecycle(long long k)
{
    std::vector<Step> steps = {{model::EventType::Opened, false}, {model::EventType::MaterialReceived, false},
        {model::EventType::Accepted, false}, {model::EventType::Routed, true}};
    if (k % 4 == 0)
        steps.push_back({model::EventType::Note, true});
    steps.insert(steps.end(),
        {{model::EventType::StepDone, true}, {model::EventType::Concluded, true},
            {model::EventType::DocumentIssued, false}, {model::EventType::Delivered, false}});
    return steps;
}

Json bodyOf(const char* type, long long k, const model::Date& day)
{
    const std::string t = type;
    if (t == model::EventType::Opened) {
        Json body = bench::openedEvent(k).body;
        // One material comes later, on the day of acceptance.
        body["materials"].asArray()[1]["received"] = false;
        body["on"] = day.iso();
        return body;
    }
    Json body = Json::object();
    body["on"] = day.iso();
    if (t == model::EventType::MaterialReceived) {
        body["codes"] = Json(Json::Array{Json("premises_proof")});
    } else if (t == model::EventType::Routed) {
        body["step"] = "review";
        body["department"]
            = k % 3 == 0 ? "市场监督管理局" : (k % 3 == 1 ? "人力资源和社会保障局" : "住房和城乡建设局");
        body["assignee"] = "rev" + std::to_string(k % 40);
    } else if (t == model::EventType::Note) {
        body["text"] = "申请人来电询问办理进度，已告知预计办结时间。";
    } else if (t == model::EventType::StepDone) {
        body["step"] = "review";
        body["outcome"] = "approved";
    } else if (t == model::EventType::Concluded) {
        body["outcome"] = "approved";
    } else if (t == model::EventType::DocumentIssued) {
        body["kind"] = "LQ";
        body["number"] = bench::caseNumberOf(k) + "-LQ-1";
    } else if (t == model::EventType::Delivered) {
        body["method"] = "window";
    }
    return body;
}

// `events` events of cases from intake to hand-out, written by 48 window workstations and
// 12 back-office origins. Cases run 2,000 at a time, each taking its next step in turn;
// each step of the 2,000 is one receive into `store` (events of many origins and cases).
void generate(db::Store& store, long long events)
{
    std::vector<Origin> windows, backOffice;
    for (int i = 0; i < 48; ++i) {
        char id[48];
        std::snprintf(
            id, sizeof id, "ws%sw%02d_%04x", kSourceCentre.c_str(), i + 1, (i * 7919 + 4099) & 0xffff);
        windows.push_back({id, 0, {}});
    }
    for (int i = 0; i < 12; ++i) {
        char id[48];
        std::snprintf(
            id, sizeof id, "bo%sr%02d_%04x", kSourceCentre.c_str(), i + 1, (i * 104729 + 31) & 0xffff);
        backOffice.push_back({id, 0, {}});
    }
    // Written over the 90 days before now, 1/10 s apart on average: never ahead of a clock.
    const std::int64_t nowMs = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::system_clock::now().time_since_epoch())
                                   .count();
    const std::int64_t startMs = nowMs - 90LL * 24 * 3600 * 1000;
    const std::int64_t stepMs = std::max<std::int64_t>(1, 80LL * 24 * 3600 * 1000 / std::max(1LL, events));
    std::int64_t written = 0;
    std::vector<model::Event> batch;
    const auto flush = [&] {
        if (batch.empty())
            return;
        if (store.receive(batch) != batch.size())
            throw std::runtime_error("the generated events were not all applied");
        batch.clear();
    };
    const std::size_t group = 2000;
    for (long long first = 0; written < events; first += static_cast<long long>(group)) {
        std::vector<std::vector<Step>> steps;
        std::vector<std::string> lastId(group);
        std::size_t longest = 0;
        for (std::size_t i = 0; i < group; ++i) {
            steps.push_back(lifecycle(first + static_cast<long long>(i)));
            longest = std::max(longest, steps.back().size());
        }
        const model::Date day = model::Date(2026, 6, 1).addDays(static_cast<int>(first / 2000));
        for (std::size_t phase = 0; phase < longest && written < events; ++phase) {
            for (std::size_t i = 0; i < group && written < events; ++i) {
                if (phase >= steps[i].size())
                    continue;
                const long long k = first + static_cast<long long>(i);
                const Step& step = steps[i][phase];
                const auto who = static_cast<std::size_t>(k);
                Origin& o
                    = step.backOffice ? backOffice[who % backOffice.size()] : windows[who % windows.size()];
                model::Event e;
                e.origin = o.id;
                e.seq = ++o.seq;
                e.hlc = (startMs + written * stepMs) << 10;
                e.type = step.type;
                e.caseNumber = bench::caseNumberOf(k);
                e.actor = step.backOffice ? "rev" + std::to_string(k % 40) : "clerk" + std::to_string(k % 48);
                if (!lastId[i].empty())
                    e.heads = {lastId[i]};
                e.prev = o.lastHash;
                e.body = bodyOf(step.type, k, day.addDays(phase < 3 ? 0 : static_cast<int>(phase)));
                e.seal();
                o.lastHash = e.hash;
                lastId[i] = e.id();
                batch.push_back(std::move(e));
                ++written;
            }
            // A node applies each receive's events origin by origin: one step of the
            // group's cases per receive keeps every case's events in the order they happened.
            flush();
        }
    }
    flush();
}

const char* kSqliteSuffixes[] = {"", "-wal", "-shm"};

void removeSqlite(const fs::path& file)
{
    for (const char* s : kSqliteSuffixes)
        fs::remove(file.string() + s);
}

std::string sqliteUrl(const fs::path& file)
{
    return "sqlite3://db=" + file.string();
}

// The cached source database of `events` events; built when missing or of another version.
fs::path sourceDatabase(const Options& o, long long events)
{
    const fs::path file = o.work / ("centre-sync-" + std::to_string(events) + "-" + kVersion + ".db");
    const std::string done = kVersion + ":" + std::to_string(events);
    if (!o.rebuild && fs::exists(file)) {
        auto store = db::Store::open(sqliteUrl(file));
        if (store->setting("bench/centre-sync") == done
            && store->schemaVersion() == db::currentSchemaVersion() && store->lastArrival() == events) {
            std::printf("  source of %lld events: reusing %s\n", events, file.c_str());
            return file;
        }
    }
    removeSqlite(file);
    bench::Stopwatch sw;
    {
        auto store = db::Store::open(sqliteUrl(file));
        store->initialise(kSourceCentre);
        generate(*store, events);
        store->setSetting("bench/state-hash", store->stateHash());
        store->setSetting("bench/centre-sync", done);
    }
    std::printf("  source of %lld events: built %s in %.1f s\n", events, file.c_str(), sw.seconds());
    return file;
}

// ------------------------------------------------------------------ processes

class Daemon {
public:
    Daemon(std::string name, const Options& o, const fs::path& dir, const fs::path& database,
        const std::string& centre, const std::vector<std::string>& extra)
        : m_name(std::move(name))
        , m_log(dir / (m_name + ".log"))
        , m_ready(dir / (m_name + ".url"))
    {
        fs::remove(m_ready);
        std::vector<std::string> args = {o.daemon, "--db", sqliteUrl(database), "--listen", "127.0.0.1:0",
            "--centre", centre, "--ready-file", m_ready.string()};
        if (o.batch > 0) {
            // Events per replication batch: the one setting with no command-line option.
            const fs::path config = dir / "batch.ini";
            std::ofstream(config) << "[replication]\nbatch = " << o.batch << "\n";
            args.insert(args.end(), {"--config", config.string()});
        }
        args.insert(args.end(), extra.begin(), extra.end());
        std::vector<char*> argv;
        for (auto& a : args)
            argv.push_back(a.data());
        argv.push_back(nullptr);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, m_log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
        posix_spawn_file_actions_adddup2(&actions, 1, 2);
        const int rc = posix_spawn(&m_pid, o.daemon.c_str(), &actions, nullptr, argv.data(), environ);
        posix_spawn_file_actions_destroy(&actions);
        if (rc != 0)
            throw std::runtime_error("cannot start " + o.daemon + ": " + std::strerror(rc));
    }
    ~Daemon() { stop(); }
    Daemon(const Daemon&) = delete;
    Daemon& operator=(const Daemon&) = delete;

    pid_t pid() const { return m_pid; }

    bool running()
    {
        if (m_pid <= 0)
            return false;
        int status = 0;
        if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
            m_pid = -1;
            return false;
        }
        return true;
    }

    // The URL it serves, once it does.
    std::string waitReady(std::chrono::seconds limit = std::chrono::seconds(60))
    {
        const auto deadline = std::chrono::steady_clock::now() + limit;
        while (std::chrono::steady_clock::now() < deadline) {
            std::ifstream in(m_ready);
            std::string url;
            if (in >> url && !url.empty())
                return url;
            if (!running())
                fail("exited at start");
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }
        fail("did not serve within " + std::to_string(limit.count()) + " s");
    }

    void stop()
    {
        if (m_pid <= 0)
            return;
        ::kill(m_pid, SIGTERM);
        for (int i = 0; i < 3000; ++i) {
            int status = 0;
            if (::waitpid(m_pid, &status, WNOHANG) == m_pid) {
                m_pid = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
        ::kill(m_pid, SIGKILL);
        ::waitpid(m_pid, nullptr, 0);
        m_pid = -1;
    }

    [[noreturn]] void fail(const std::string& what) const
    {
        std::ifstream in(m_log);
        std::vector<std::string> lines;
        for (std::string line; std::getline(in, line);)
            lines.push_back(line);
        std::string tail;
        for (std::size_t i = lines.size() > 20 ? lines.size() - 20 : 0; i < lines.size(); ++i)
            tail += "\n    " + lines[i];
        throw std::runtime_error("onewindowd " + m_name + " " + what + "; its log ends:" + tail);
    }

private:
    std::string m_name;
    fs::path m_log;
    fs::path m_ready;
    pid_t m_pid = -1;
};

// Resident memory of a process in MB: VmRSS now, or VmHWM (its peak so far).
double memoryMb(pid_t pid, const char* field = "VmRSS:")
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    for (std::string line; std::getline(in, line);)
        if (line.rfind(field, 0) == 0) {
            std::istringstream fields(line.substr(std::strlen(field)));
            double kb = 0;
            fields >> kb;
            return kb / 1024.0;
        }
    return 0;
}

// The target's arrival counter, read-only, as another process would read it.
class ArrivalProbe {
public:
    explicit ArrivalProbe(const fs::path& file)
    {
        if (sqlite3_open_v2(file.c_str(), &m_db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("cannot open " + file.string());
        sqlite3_busy_timeout(m_db, 2000);
        if (sqlite3_prepare_v2(m_db, "SELECT value FROM counters WHERE name = 'arrival'", -1, &m_st, nullptr)
            != SQLITE_OK)
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(m_db));
    }
    ~ArrivalProbe()
    {
        sqlite3_finalize(m_st);
        sqlite3_close(m_db);
    }
    ArrivalProbe(const ArrivalProbe&) = delete;
    ArrivalProbe& operator=(const ArrivalProbe&) = delete;

    long long read()
    {
        long long v = -1;
        if (sqlite3_step(m_st) == SQLITE_ROW)
            v = sqlite3_column_int64(m_st, 0);
        sqlite3_reset(m_st);
        return v;
    }

private:
    sqlite3* m_db = nullptr;
    sqlite3_stmt* m_st = nullptr;
};

// Polls the target every 10 ms until it has applied `events` events; the seconds since
// `started`. Samples `sample` (the memory) at each poll.
double waitForArrivals(const fs::path& target, long long events, Daemon& watched,
    std::chrono::steady_clock::time_point started, const std::function<void()>& sample = {})
{
    ArrivalProbe probe(target);
    long long last = -1;
    auto progressed = std::chrono::steady_clock::now();
    for (;;) {
        const long long now = probe.read();
        if (sample)
            sample();
        if (now >= events)
            return std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        if (now != last) {
            last = now;
            progressed = std::chrono::steady_clock::now();
        } else if (std::chrono::steady_clock::now() - progressed > std::chrono::seconds(120)) {
            watched.fail(
                "made no progress for 120 s at " + std::to_string(now) + " of " + std::to_string(events));
        }
        if (!watched.running())
            watched.fail("exited at " + std::to_string(now) + " of " + std::to_string(events));
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
}

fs::path copySource(const fs::path& cached, const fs::path& dir)
{
    const fs::path copy = dir / "source.db";
    removeSqlite(copy);
    fs::copy_file(cached, copy);
    return copy;
}

fs::path freshTarget(const fs::path& dir)
{
    const fs::path file = dir / "target.db";
    removeSqlite(file);
    auto store = db::Store::open(sqliteUrl(file));
    store->initialise(kTargetCentre); // as owctl init does before a node first starts
    return file;
}

// Everything arrived, applied (nothing held), projected as on the source.
void checkTarget(const fs::path& source, const fs::path& target, long long events)
{
    auto s = db::Store::open(sqliteUrl(source));
    auto t = db::Store::open(sqliteUrl(target));
    const std::string expected = s->setting("bench/state-hash").value_or("");
    if (t->eventCount() != events || !t->heldEvents().empty())
        throw std::runtime_error("the target holds " + std::to_string(t->eventCount()) + " events ("
            + std::to_string(t->heldEvents().size()) + " held), not " + std::to_string(events));
    if (expected.empty() || t->stateHash() != expected)
        throw std::runtime_error("the target's state-hash differs from the source's");
}

enum class Direction { Pull, Push };

// One replication of the cached source into a fresh target; events/s.
double replicateOnce(
    const Options& o, const fs::path& cached, long long events, Direction direction, const fs::path& dir)
{
    const fs::path source = copySource(cached, dir);
    const fs::path target = freshTarget(dir);
    double seconds = 0;
    if (direction == Direction::Pull) {
        Daemon src("source", o, dir, source, kSourceCentre, {});
        const std::string url = src.waitReady();
        const auto started = std::chrono::steady_clock::now();
        Daemon tgt("target", o, dir, target, kTargetCentre, {"--peer", url});
        seconds = waitForArrivals(target, events, tgt, started);
    } else {
        Daemon tgt("target", o, dir, target, kTargetCentre, {});
        const std::string url = tgt.waitReady();
        const auto started = std::chrono::steady_clock::now();
        Daemon src("source", o, dir, source, kSourceCentre, {"--peer", url});
        seconds = waitForArrivals(target, events, tgt, started);
    }
    checkTarget(source, target, events);
    return static_cast<double>(events) / seconds;
}

// PouchDB → express-pouchdb on the same documents (read from a source node serving them).
double pouchBaseline(const Options& o, const fs::path& cached, long long events, const fs::path& dir)
{
    const fs::path source = copySource(cached, dir);
    Daemon src("source", o, dir, source, kSourceCentre, {});
    const std::string url = src.waitReady();
    const fs::path script = fs::path(OW_SOURCE_DIR) / "bench" / "pouch_sync_baseline.js";
    const std::string command = "node '" + script.string() + "' '" + o.interop.string() + "' '" + url
        + "/onewindow' " + std::to_string(o.pouchBatch) + " 2>'" + (dir / "pouch.log").string() + "'";
    FILE* p = ::popen(command.c_str(), "r");
    if (!p)
        throw std::runtime_error("cannot run node");
    std::string out;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, p))
        out += buffer;
    const int status = ::pclose(p);
    if (status != 0) {
        std::ifstream log(dir / "pouch.log");
        std::stringstream text;
        text << log.rdbuf();
        throw std::runtime_error(
            "the PouchDB baseline failed (" + std::to_string(status) + "): " + out + text.str());
    }
    const Json result = Json::parse(out.substr(0, out.find('\n')));
    if (result.getInt("written") != events || result.getInt("documents") != events)
        throw std::runtime_error("PouchDB did not replicate every document: " + out);
    const double ms = result["ms"].asDouble();
    std::printf("  PouchDB → express-pouchdb: %lld documents in %.1f s, batch_size %d\n", events, ms / 1000,
        o.pouchBatch);
    return static_cast<double>(events) / (ms / 1000.0);
}

struct Memory {
    double peakMb = 0;
    double idleMb = 0;
    double eventsPerSecond = 0;
};

// A pull of the cached source of `events` into a fresh target, its memory sampled.
Memory memoryRun(const Options& o, const fs::path& cached, long long events, const fs::path& dir)
{
    Memory m;
    const fs::path source = copySource(cached, dir);
    const fs::path target = freshTarget(dir);
    {
        // The baseline: the same daemon, idle on the same empty database.
        Daemon idle("idle", o, dir, target, kTargetCentre, {});
        idle.waitReady();
        std::this_thread::sleep_for(std::chrono::milliseconds(500)); // settled: nothing to do
        m.idleMb = memoryMb(idle.pid());
    }
    Daemon src("source", o, dir, source, kSourceCentre, {});
    const std::string url = src.waitReady();
    const auto started = std::chrono::steady_clock::now();
    Daemon tgt("target", o, dir, target, kTargetCentre, {"--peer", url});
    const double seconds = waitForArrivals(
        target, events, tgt, started, [&] { m.peakMb = std::max(m.peakMb, memoryMb(tgt.pid())); });
    m.peakMb = std::max(m.peakMb, memoryMb(tgt.pid(), "VmHWM:"));
    m.eventsPerSecond = static_cast<double>(events) / seconds;
    tgt.stop();
    src.stop();
    checkTarget(source, target, events);
    return m;
}

// The options, or nothing after printing what is wrong with them and the usage.
std::optional<Options> parse(int argc, char** argv)
{
    Options o;
    o.work = fs::temp_directory_path() / "ow-bench-work";
    o.interop = fs::path(OW_SOURCE_DIR) / "tests" / "interop";
    o.daemon = (fs::canonical("/proc/self/exe").parent_path() / "onewindowd").string();
    bench::Args args(argc, argv);
    const auto option = [&] {
        if (args.is("--work"))
            o.work = args.value();
        else if (args.is("--events"))
            o.events = args.number();
        else if (args.is("--memory-events"))
            o.memoryEvents = args.number();
        else if (args.is("--runs"))
            o.runs = args.number<int>();
        else if (args.is("--daemon"))
            o.daemon = args.value();
        else if (args.is("--interop"))
            o.interop = args.value();
        else if (args.is("--batch"))
            o.batch = args.number<int>();
        else if (args.is("--pouch-batch"))
            o.pouchBatch = args.number<int>();
        else if (args.is("--no-pouch"))
            o.pouch = false;
        else if (args.is("--rebuild"))
            o.rebuild = true;
        else
            args.unknown();
    };
    const auto check = [&] {
        if (o.events < 1 || o.memoryEvents < 0 || o.runs < 1 || o.pouchBatch < 1 || o.batch < 0)
            throw std::invalid_argument("--events, --runs and --pouch-batch must be positive");
    };
    if (!args.read("ow_bench_centre_sync", kUsage, option, check))
        return std::nullopt;
    return o;
}

std::string thousands(long long n)
{
    std::string digits = std::to_string(n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i && (digits.size() - i) % 3 == 0)
            out += ',';
        out += digits[i];
    }
    return out;
}

} // namespace

int main(int argc, char* argv[])
{
    const std::optional<Options> options = parse(argc, argv);
    if (!options)
        return 2;
    const Options& o = *options;
    std::signal(SIGPIPE, SIG_IGN);
    const fs::path dir = fs::temp_directory_path() / ("ow-bench-centre-sync-" + std::to_string(::getpid()));
    bool pass = true;
    try {
        fs::create_directories(o.work);
        fs::create_directories(dir);
        if (!fs::exists(o.daemon))
            throw std::runtime_error("no onewindowd at " + o.daemon + " (give --daemon PATH)");
        const fs::path cached = sourceDatabase(o, o.events);
        std::fflush(stdout);

        std::vector<double> pulls, pushes;
        for (int r = 0; r < o.runs; ++r) {
            pulls.push_back(replicateOnce(o, cached, o.events, Direction::Pull, dir));
            pushes.push_back(replicateOnce(o, cached, o.events, Direction::Push, dir));
            std::printf(
                "  run %d: pull %.0f events/s, push %.0f events/s\n", r + 1, pulls.back(), pushes.back());
            std::fflush(stdout);
        }
        const double pull = bench::percentile(pulls, 0.5);
        const double push = bench::percentile(pushes, 0.5);
        // What this storage allows at best: raw sqlite3 inserting only the rows the last
        // push left in its target (every table, same schema, indexes and pragmas) in as
        // many transactions as the daemon committed batches; no HTTP, parsing, hash checks,
        // reads, folding or rewrites of a case a later batch touched again.
        const auto tables = bench::copyTablesWithRows((dir / "target.db").string(), "events");
        const long long perBatch = o.batch > 0 ? o.batch : kDaemonBatch;
        const double ceiling = bench::rawSqlite(tables,
            static_cast<std::size_t>((o.events + perBatch - 1) / perBatch), (dir / "raw.db").string());
        std::printf("  raw sqlite3 insert of the target's rows:");
        for (const auto& t : tables)
            std::printf(" %s %zu", t.name.c_str(), t.rows.size());
        std::printf("; %.0f events/s\n", ceiling);
        double pouch = 0;
        if (o.pouch) {
            if (std::system("command -v node >/dev/null 2>&1") != 0
                || !fs::exists(o.interop / "node_modules" / "express-pouchdb"))
                throw std::runtime_error("node or the npm packages of " + o.interop.string()
                    + " are missing (npm ci there, or --no-pouch)");
            pouch = pouchBaseline(o, cached, o.events, dir);
        }
        const std::string n = thousands(o.events);
        std::vector<bench::Result> results = {
            {"centre sync pull, onewindowd → onewindowd, " + n + " events, median", pull, "ev/s", 25000,
                pouch, true, false},
            {"centre sync push, onewindowd → onewindowd, " + n + " events, median", push, "ev/s", 25000,
                pouch, true, false},
        };
        if (o.pouch)
            results.push_back({"centre sync, slower direction against PouchDB → express-pouchdb",
                std::min(pull, push), "ev/s", 8, pouch, true, true});
        results.push_back({"centre sync ceiling: raw sqlite3 insert of the target's rows", ceiling, "ev/s", 0,
            pouch, true, true});
        for (const auto& r : results) {
            bench::print(r);
            pass = pass && r.pass();
        }
        if (o.memoryEvents > 0) {
            const fs::path big = sourceDatabase(o, o.memoryEvents);
            std::fflush(stdout);
            const Memory m = memoryRun(o, big, o.memoryEvents, dir);
            std::printf("  pull of %s events: %.0f events/s, target peak resident %.1f MB, idle %.1f MB\n",
                thousands(o.memoryEvents).c_str(), m.eventsPerSecond, m.peakMb, m.idleMb);
            const bench::Result r{
                "onewindowd peak resident memory, pull of " + thousands(o.memoryEvents) + " events", m.peakMb,
                "MB", 300, m.idleMb, false, false};
            bench::print(r);
            pass = pass && r.pass();
        }
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_centre_sync: " << e.what() << "\n";
        std::error_code ignored;
        fs::remove_all(dir, ignored);
        return 1;
    }
    std::error_code ignored;
    fs::remove_all(dir, ignored);
    return pass ? 0 : 1;
}
