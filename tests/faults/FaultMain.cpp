// ow_faults: the fault suite's programs (docs/FAULTS.md), one binary with subcommands.
//
//   ow_faults writer --db CONN [--first K] [--count N] [--retry-seconds S]
//       appends cases (case.opened + a note, one transaction each) through db::Store and
//       prints "ack CASE ID ID" on stdout after each append returned (committed). With
//       --retry-seconds a failed append prints "error CODE" and the writer reopens the store
//       and goes on, giving up after S seconds without success (exit 3).
//   ow_faults kill9 --db CONN [--iterations N] [--writers W] [--verify-every V] [--seed S]
//       starts W writers, kills them with SIGKILL at a random moment, and checks after each
//       round that every acknowledged event is stored (and, on SQLite, that the file passes
//       PRAGMA integrity_check); Store::verify() every V rounds and at the end.
//   ow_faults io --dir DIR --mode write|sync|full [--appends N] [--from K] [--to K]
//       the I/O-error check on SQLite: for every k, the k-th write or fsync fails (or the disk
//       is full from the k-th write on) while a store opens and appends N cases; afterwards
//       the file must pass integrity_check and Store::verify(), and hold every acknowledged
//       event. Without --to, k runs over every write (sync) a clean run makes, plus two.
//   ow_faults check --db CONN --acked FILE
//       every event id in the "ack" lines of FILE is stored, and the store verifies.
// Each subcommand ends with one JSON line of figures on stdout and exits 0 when no check
// failed, 1 when one did, 2 on wrong usage.
#include "model/Error.h"
#include "model/Json.h"

#include "FaultVfs.h"
#include "bench/SyntheticCases.h"
#include "db/Store.h"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <poll.h>
#include <random>
#include <set>
#include <signal.h>
#include <sqlite3.h>
#include <sstream>
#include <stdexcept>
#include <string>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using ow::model::Json;

namespace {

using Clock = std::chrono::steady_clock;

double secondsSince(Clock::time_point t0)
{
    return std::chrono::duration<double>(Clock::now() - t0).count();
}

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

class Args {
public:
    Args(int argc, char** argv, int from)
    {
        for (int i = from; i < argc; ++i) {
            std::string a = argv[i];
            if (a.rfind("--", 0) != 0 || i + 1 >= argc)
                throw UsageError("expected --OPTION VALUE, got '" + a + "'");
            m_values[a] = argv[++i];
        }
    }
    std::string text(const std::string& name, const std::string& fallback = {}) const
    {
        auto it = m_values.find(name);
        m_used.insert(name);
        return it == m_values.end() ? fallback : it->second;
    }
    std::string required(const std::string& name) const
    {
        std::string v = text(name);
        if (v.empty())
            throw UsageError(name + " is required");
        return v;
    }
    long long number(const std::string& name, long long fallback) const
    {
        std::string v = text(name);
        if (v.empty())
            return fallback;
        try {
            std::size_t end = 0;
            long long n = std::stoll(v, &end);
            if (end != v.size())
                throw std::invalid_argument(v);
            return n;
        } catch (const std::exception&) {
            throw UsageError(name + " must be a whole number, got '" + v + "'");
        }
    }
    void rejectUnknown() const
    {
        for (const auto& [k, v] : m_values)
            if (!m_used.count(k))
                throw UsageError("unknown option " + k);
    }

private:
    std::map<std::string, std::string> m_values;
    mutable std::set<std::string> m_used;
};

// One append: the opening of case k and a note on it, in one transaction, as intake writes.
std::vector<ow::model::NewEvent> caseAppend(long long k)
{
    std::vector<ow::model::NewEvent> events{ow::bench::openedEvent(k)};
    Json note = Json::object();
    note["text"] = "fault suite " + std::to_string(k);
    events.push_back({ow::model::EventType::Note, ow::bench::caseNumberOf(k), "clerk03", {}, note});
    return events;
}

std::unique_ptr<ow::db::Store> openInitialised(const std::string& conn)
{
    auto store = ow::db::Store::open(conn);
    if (store->centre().empty())
        store->initialise("330102");
    return store;
}

std::string errorCode(const std::exception& e)
{
    if (auto* d = dynamic_cast<const ow::model::DomainError*>(&e))
        return d->code();
    return "exception";
}

// Writes the whole line with one write(2) call: a reader sees it whole or, when the writer
// died first, not at all (a line cut short has no newline and does not count).
void emit(const std::string& line)
{
    std::string text = line + "\n";
    const char* p = text.data();
    std::size_t left = text.size();
    while (left > 0) {
        ssize_t n = ::write(STDOUT_FILENO, p, left);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            std::_Exit(4); // nobody reads our acknowledgements any more
        }
        p += n;
        left -= static_cast<std::size_t>(n);
    }
}

int runWriter(const Args& args)
{
    const std::string conn = args.required("--db");
    const long long first = args.number("--first", 0);
    const long long count = args.number("--count", 10000);
    const double retrySeconds = static_cast<double>(args.number("--retry-seconds", 0));
    args.rejectUnknown();
    std::unique_ptr<ow::db::Store> store;
    auto lastSuccess = Clock::now();
    std::string lastError;
    for (long long k = first; k < first + count;) {
        try {
            if (!store)
                store = openInitialised(conn);
            auto written = store->append(caseAppend(k));
            std::string line = "ack " + ow::bench::caseNumberOf(k);
            for (const auto& e : written)
                line += " " + e.id();
            emit(line);
            ++k;
            lastSuccess = Clock::now();
            lastError.clear();
        } catch (const std::exception& e) {
            store.reset();
            if (retrySeconds <= 0) {
                std::cerr << "ow_faults writer: " << e.what() << "\n";
                return 3;
            }
            const std::string code = errorCode(e);
            if (code != lastError)
                emit("error " + code);
            lastError = code;
            if (secondsSince(lastSuccess) > retrySeconds) {
                std::cerr << "ow_faults writer: no append succeeded for " << retrySeconds
                          << " s: " << e.what() << "\n";
                return 3;
            }
            // The store is down: try again at a steady pace rather than spinning.
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
    return 0;
}

// The acknowledged event ids in writer output: complete "ack" lines only.
std::vector<std::string> ackedIds(const std::string& output, long long* appends = nullptr)
{
    std::vector<std::string> ids;
    std::size_t start = 0;
    while (true) {
        std::size_t end = output.find('\n', start);
        if (end == std::string::npos)
            break; // a line without its newline was cut short by the kill: not acknowledged
        std::istringstream line(output.substr(start, end - start));
        start = end + 1;
        std::string word, caseNumber, id;
        if (!(line >> word) || word != "ack" || !(line >> caseNumber))
            continue;
        if (appends)
            ++*appends;
        while (line >> id)
            ids.push_back(id);
    }
    return ids;
}

// "ok", or what SQLite's integrity check found, read through its own connection.
std::string sqliteIntegrity(const std::string& path)
{
    sqlite3* db = nullptr;
    if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) != SQLITE_OK) {
        std::string e = db ? sqlite3_errmsg(db) : "out of memory";
        sqlite3_close(db);
        return "cannot open: " + e;
    }
    sqlite3_busy_timeout(db, 10000);
    std::string result;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, nullptr) != SQLITE_OK) {
        result = std::string("cannot check: ") + sqlite3_errmsg(db);
    } else {
        int rc;
        while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
            if (!result.empty())
                result += "; ";
            result += reinterpret_cast<const char*>(sqlite3_column_text(st, 0));
        }
        if (rc != SQLITE_DONE)
            result += std::string(" (check stopped: ") + sqlite3_errmsg(db) + ")";
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return result;
}

std::string describe(const ow::db::VerifyReport& r)
{
    std::string s;
    for (std::size_t i = 0; i < r.problems.size() && i < 3; ++i)
        s += (i ? "; " : "") + r.problems[i].kind + " " + r.problems[i].subject + ": " + r.problems[i].detail;
    return s;
}

struct Child {
    pid_t pid = -1;
    int out = -1;
    std::string output;
    bool exited = false;
};

Child spawnWriter(const std::string& self, const std::vector<std::string>& args)
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0)
        throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
    std::vector<std::string> argv{self, "writer"};
    argv.insert(argv.end(), args.begin(), args.end());
    pid_t pid = ::fork();
    if (pid < 0)
        throw std::runtime_error(std::string("fork: ") + std::strerror(errno));
    if (pid == 0) {
        ::dup2(fds[1], STDOUT_FILENO);
        ::close(fds[0]);
        ::close(fds[1]);
        std::vector<char*> cargv;
        for (auto& a : argv)
            cargv.push_back(a.data());
        cargv.push_back(nullptr);
        ::execv(self.c_str(), cargv.data());
        std::_Exit(127);
    }
    ::close(fds[1]);
    Child c;
    c.pid = pid;
    c.out = fds[0];
    return c;
}

// Reads what is there on the children's pipes until `deadline`; false when all have ended.
bool pump(std::vector<Child>& children, Clock::time_point deadline)
{
    char buf[65536];
    while (true) {
        std::vector<pollfd> fds;
        std::vector<Child*> owners;
        for (auto& c : children)
            if (c.out >= 0) {
                fds.push_back({c.out, POLLIN, 0});
                owners.push_back(&c);
            }
        if (fds.empty())
            return false;
        auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
        if (left <= 0)
            return true;
        int n = ::poll(fds.data(), fds.size(), static_cast<int>(left));
        if (n < 0 && errno != EINTR)
            throw std::runtime_error(std::string("poll: ") + std::strerror(errno));
        for (std::size_t i = 0; n > 0 && i < fds.size(); ++i) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            ssize_t got = ::read(fds[i].fd, buf, sizeof buf);
            if (got > 0) {
                owners[i]->output.append(buf, static_cast<std::size_t>(got));
            } else if (got == 0 || errno != EINTR) {
                ::close(owners[i]->out);
                owners[i]->out = -1;
            }
        }
    }
}

// Kills every child, collects its exit, and reads what it wrote before it died.
int killAndDrain(std::vector<Child>& children)
{
    int killedAlive = 0;
    for (auto& c : children) {
        int status = 0;
        if (::waitpid(c.pid, &status, WNOHANG) == c.pid) {
            c.exited = true;
            continue;
        }
        if (::kill(c.pid, SIGKILL) == 0)
            ++killedAlive;
    }
    for (auto& c : children) {
        int status = 0;
        if (!c.exited)
            ::waitpid(c.pid, &status, 0);
    }
    pump(children, Clock::now() + std::chrono::seconds(30)); // to EOF: every writer is gone
    return killedAlive;
}

std::string selfPath()
{
    return fs::read_symlink("/proc/self/exe").string();
}

int runKill9(const Args& args)
{
    const std::string conn = args.required("--db");
    const long long iterations = args.number("--iterations", 1000);
    const int writers = static_cast<int>(args.number("--writers", 2));
    const long long verifyEvery = args.number("--verify-every", 50);
    const unsigned seed = static_cast<unsigned>(args.number("--seed", std::random_device{}()));
    args.rejectUnknown();
    if (iterations < 1 || writers < 1 || writers > 16 || verifyEvery < 1)
        throw UsageError("--iterations, --writers (1-16) and --verify-every must be positive");
    const auto info = ow::db::ConnectionInfo::parse(conn);
    const bool sqlite = info.backend == ow::db::Backend::Sqlite;
    const std::string self = selfPath();
    const auto started = Clock::now();
    openInitialised(conn); // schema and centre once, before anyone is killed

    // How long a writer takes to start and make its first appends, uninterrupted: the kills
    // land anywhere from at once to about ten appends after the first.
    long long next = 1'000'000'000; // case indexes of this run: far from any earlier run's
    {
        auto t0 = Clock::now();
        std::vector<Child> probe{
            spawnWriter(self, {"--db", conn, "--first", std::to_string(next), "--count", "12"})};
        next += 100;
        double firstAck = -1;
        while (pump(probe, Clock::now() + std::chrono::milliseconds(5)) || probe[0].out >= 0) {
            if (firstAck < 0 && probe[0].output.find('\n') != std::string::npos)
                firstAck = secondsSince(t0);
            if (secondsSince(t0) > 60)
                throw std::runtime_error("a writer took more than 60 s for 12 appends");
        }
        int status = 0;
        ::waitpid(probe[0].pid, &status, 0);
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || ackedIds(probe[0].output).size() != 24)
            throw std::runtime_error("the calibration writer failed (exit status " + std::to_string(status)
                + "); output: " + probe[0].output.substr(0, 300));
        const double total = secondsSince(t0);
        firstAck = std::max(firstAck, 0.001);
        // Two writers at once are slower than one alone: half as long again.
        double window = (firstAck + (total - firstAck) * 10.0 / 11.0) * 1.5;
        std::cerr << "kill9: first acknowledgement after " << static_cast<int>(firstAck * 1000)
                  << " ms, 12 appends in " << static_cast<int>(total * 1000) << " ms; kills within "
                  << static_cast<int>(window * 1000) << " ms; seed " << seed << "\n";
        std::mt19937 rng(seed);
        long long acknowledged = 0, appends = 0, lost = 0, integrityFailures = 0, killedMidRun = 0,
                  verifies = 0;
        long long roundsWithAck = 0, silentInARow = 0;
        std::vector<std::string> problems;
        auto fullVerify = [&](long long round) {
            ++verifies;
            auto report = ow::db::Store::open(conn)->verify();
            if (!report.ok()) {
                ++integrityFailures;
                problems.push_back("round " + std::to_string(round) + ": verify: " + describe(report));
            }
        };
        for (long long i = 1; i <= iterations; ++i) {
            std::vector<Child> children;
            for (int w = 0; w < writers; ++w) {
                children.push_back(spawnWriter(self, {"--db", conn, "--first", std::to_string(next)}));
                next += 10000;
            }
            std::uniform_real_distribution<double> pick(0.0, window);
            auto deadline = Clock::now() + std::chrono::microseconds(static_cast<long long>(pick(rng) * 1e6));
            pump(children, deadline);
            killedMidRun += killAndDrain(children);
            std::vector<std::string> ids;
            long long roundAppends = 0;
            for (auto& c : children) {
                auto mine = ackedIds(c.output, &roundAppends);
                ids.insert(ids.end(), mine.begin(), mine.end());
            }
            acknowledged += static_cast<long long>(ids.size());
            appends += roundAppends;
            if (roundAppends > 0) {
                ++roundsWithAck;
                silentInARow = 0;
            } else if (++silentInARow >= 20) {
                // Writers slower than measured (a busier machine): widen the window rather
                // than kill every one of them before it could acknowledge.
                window *= 1.5;
                silentInARow = 0;
            }
            try {
                auto missing = ow::db::Store::open(conn)->lacking(ids);
                lost += static_cast<long long>(missing.size());
                if (!missing.empty())
                    problems.push_back("round " + std::to_string(i) + ": " + std::to_string(missing.size())
                        + " acknowledged events missing, first " + missing.front());
            } catch (const std::exception& e) {
                ++integrityFailures;
                problems.push_back("round " + std::to_string(i) + ": the store does not open: " + e.what());
            }
            if (sqlite) {
                std::string check = sqliteIntegrity(info.sqlitePath());
                if (check != "ok") {
                    ++integrityFailures;
                    problems.push_back("round " + std::to_string(i) + ": integrity_check: " + check);
                }
            }
            if (i % verifyEvery == 0 || i == iterations)
                fullVerify(i);
            if (i % 100 == 0)
                std::cerr << "kill9: " << i << "/" << iterations << " rounds, " << acknowledged
                          << " events acknowledged, " << lost << " lost, " << integrityFailures
                          << " integrity failures\n";
        }
        for (const auto& p : problems)
            std::cerr << "kill9: FAIL " << p << "\n";
        // The kills must have hit writers at work and some writers must have acknowledged,
        // or the loop proved nothing.
        const bool meaningful = killedMidRun >= iterations && roundsWithAck * 4 >= iterations;
        if (!meaningful)
            std::cerr << "kill9: FAIL the loop proved little: " << killedMidRun << " writers killed mid-run, "
                      << roundsWithAck << " of " << iterations << " rounds with an acknowledgement\n";
        Json out = Json::object();
        out["backend"] = sqlite ? "sqlite" : "postgres";
        out["iterations"] = iterations;
        out["writers"] = writers;
        out["acknowledged_events"] = acknowledged;
        out["acknowledged_appends"] = appends;
        out["rounds_with_ack"] = roundsWithAck;
        out["killed_mid_run"] = killedMidRun;
        out["lost"] = lost;
        out["integrity_failures"] = integrityFailures;
        out["verify_runs"] = verifies;
        out["seconds"] = secondsSince(started);
        out["seed"] = static_cast<long long>(seed);
        std::cout << out.canonical() << std::endl;
        return lost == 0 && integrityFailures == 0 && meaningful ? 0 : 1;
    }
}

void removeDatabase(const fs::path& path)
{
    for (const char* suffix : {"", "-wal", "-shm", "-journal"})
        fs::remove(path.string() + suffix);
}

struct IoRun {
    std::int64_t writes = 0, syncs = 0, injected = 0;
    std::vector<std::string> acked;
    int errors = 0; // appends (or the open) that reported a failure
    bool opened = false;
};

// One scenario under the armed fault: open the store, append `appends` cases one at a time.
// A failed append is reported and the next one tried, as a program would.
IoRun ioScenario(
    const std::string& conn, int appends, long long firstCase, ow::faults::FaultMode mode, std::int64_t k)
{
    IoRun run;
    ow::faults::armFault(mode, k);
    {
        std::unique_ptr<ow::db::Store> store;
        try {
            store = ow::db::Store::open(conn);
            run.opened = true;
        } catch (const std::exception&) {
            ++run.errors;
        }
        for (int i = 0; store && i < appends; ++i) {
            try {
                for (const auto& e : store->append(caseAppend(firstCase + i)))
                    run.acked.push_back(e.id());
            } catch (const std::exception&) {
                ++run.errors;
            }
        }
    } // closed while the fault is still armed: the last close's checkpoint may fail too
    auto c = ow::faults::faultCounters();
    ow::faults::armFault(ow::faults::FaultMode::None, 0);
    run.writes = c.writes;
    run.syncs = c.syncs;
    run.injected = c.injected;
    return run;
}

int runIo(const Args& args)
{
    const fs::path dir = args.required("--dir");
    const auto mode = ow::faults::parseFaultMode(args.required("--mode"));
    const int appends = static_cast<int>(args.number("--appends", 10));
    long long from = args.number("--from", 1);
    long long to = args.number("--to", 0);
    args.rejectUnknown();
    if (mode == ow::faults::FaultMode::None || appends < 1 || from < 1)
        throw UsageError("--mode must be write, sync or full; --appends and --from positive");
    const auto started = Clock::now();
    ow::faults::installFaultVfs();
    fs::create_directories(dir);
    const fs::path base = dir / "base.db";
    const fs::path work = dir / "run.db";
    const std::string conn = "sqlite3://db=" + work.string();

    // A centre with a few cases, closed cleanly (no WAL left), copied afresh for every k.
    removeDatabase(base);
    {
        auto store = openInitialised("sqlite3://db=" + base.string());
        for (int i = 0; i < 5; ++i)
            store->append(caseAppend(i));
    }
    auto fresh = [&] {
        removeDatabase(work);
        fs::copy_file(base, work);
    };
    fresh();
    IoRun clean = ioScenario(conn, appends, 100, ow::faults::FaultMode::None, 0);
    if (!clean.opened || clean.errors != 0 || clean.acked.size() != static_cast<std::size_t>(appends) * 2)
        throw std::runtime_error("the scenario fails without any fault injected");
    const std::int64_t operations = mode == ow::faults::FaultMode::Sync ? clean.syncs : clean.writes;
    if (to <= 0)
        to = operations + 2;
    std::cerr << "io " << ow::faults::faultModeName(mode) << ": a clean run makes " << clean.writes
              << " writes and " << clean.syncs << " syncs; injecting at k = " << from << ".." << to << "\n";

    long long runs = 0, fired = 0, surfaced = 0, corruptions = 0, ackedNotStored = 0, acked = 0;
    std::vector<std::string> problems;
    for (long long k = from; k <= to; ++k) {
        fresh();
        IoRun run = ioScenario(conn, appends, 100, mode, k);
        ++runs;
        acked += static_cast<long long>(run.acked.size());
        if (run.injected > 0)
            ++fired;
        if (run.errors > 0)
            ++surfaced;
        const std::string where = "k=" + std::to_string(k);
        std::string check = sqliteIntegrity(work.string());
        if (check != "ok") {
            ++corruptions;
            problems.push_back(where + ": integrity_check: " + check);
            continue;
        }
        try {
            auto store = ow::db::Store::open(conn);
            auto report = store->verify();
            if (!report.ok()) {
                ++corruptions;
                problems.push_back(where + ": verify: " + describe(report));
            }
            auto missing = store->lacking(run.acked);
            ackedNotStored += static_cast<long long>(missing.size());
            if (!missing.empty())
                problems.push_back(where + ": acknowledged but not stored: " + missing.front());
            // The store still takes appends once the disk behaves again.
            store->append(caseAppend(900));
        } catch (const std::exception& e) {
            ++corruptions;
            problems.push_back(where + ": the store does not open or append after the fault: " + e.what());
        }
    }
    removeDatabase(work);
    removeDatabase(base);
    for (const auto& p : problems)
        std::cerr << "io " << ow::faults::faultModeName(mode) << ": FAIL " << p << "\n";
    // Faults injected inside the range must have reached SQLite, or the run proved nothing.
    const bool meaningful = fired >= std::min<long long>(runs, operations - from + 1);
    if (!meaningful)
        std::cerr << "io: FAIL only " << fired << " of " << runs << " runs injected their fault\n";
    Json out = Json::object();
    out["mode"] = ow::faults::faultModeName(mode);
    out["runs"] = runs;
    out["k_from"] = from;
    out["k_to"] = to;
    out["clean_writes"] = clean.writes;
    out["clean_syncs"] = clean.syncs;
    out["faults_fired"] = fired;
    out["errors_surfaced"] = surfaced;
    out["acknowledged_events"] = acked;
    out["corruptions"] = corruptions;
    out["acknowledged_not_stored"] = ackedNotStored;
    out["seconds"] = secondsSince(started);
    std::cout << out.canonical() << std::endl;
    return corruptions == 0 && ackedNotStored == 0 && meaningful ? 0 : 1;
}

int runCheck(const Args& args)
{
    const std::string conn = args.required("--db");
    const std::string ackedFile = args.required("--acked");
    args.rejectUnknown();
    std::vector<std::string> ids;
    long long appends = 0;
    for (const auto& entry : std::vector<std::string>{ackedFile}) {
        std::ifstream in(entry, std::ios::binary);
        if (!in)
            throw std::runtime_error("cannot read " + entry);
        std::stringstream text;
        text << in.rdbuf();
        ids = ackedIds(text.str(), &appends);
    }
    auto store = ow::db::Store::open(conn);
    auto missing = store->lacking(ids);
    auto report = store->verify();
    for (std::size_t i = 0; i < missing.size() && i < 5; ++i)
        std::cerr << "check: FAIL acknowledged event " << missing[i] << " is not stored\n";
    if (!report.ok())
        std::cerr << "check: FAIL verify: " << describe(report) << "\n";
    Json out = Json::object();
    out["acknowledged_events"] = static_cast<long long>(ids.size());
    out["acknowledged_appends"] = appends;
    out["lost"] = static_cast<long long>(missing.size());
    out["integrity_failures"] = static_cast<long long>(report.problems.size());
    out["events"] = report.events;
    std::cout << out.canonical() << std::endl;
    return missing.empty() && report.ok() ? 0 : 1;
}

void usage(std::ostream& out)
{
    out << "usage: ow_faults writer --db CONN [--first K] [--count N] [--retry-seconds S]\n"
           "       ow_faults kill9 --db CONN [--iterations N] [--writers W] [--verify-every V] [--seed S]\n"
           "       ow_faults io --dir DIR --mode write|sync|full [--appends N] [--from K] [--to K]\n"
           "       ow_faults check --db CONN --acked FILE\n";
}

} // namespace

int main(int argc, char** argv)
{
    if (argc < 2) {
        usage(std::cerr);
        return 2;
    }
    const std::string command = argv[1];
    try {
        Args args(argc, argv, 2);
        if (command == "writer")
            return runWriter(args);
        if (command == "kill9")
            return runKill9(args);
        if (command == "io")
            return runIo(args);
        if (command == "check")
            return runCheck(args);
        usage(std::cerr);
        return 2;
    } catch (const UsageError& e) {
        std::cerr << "ow_faults " << command << ": " << e.what() << "\n";
        usage(std::cerr);
        return 2;
    } catch (const std::exception& e) {
        std::cerr << "ow_faults " << command << ": " << e.what() << "\n";
        return 1;
    }
}
