// The KPI report (model/Kpi.h, owctl report) over one year of a busy centre on SQLite:
// 500,000 tickets and 200,000 cases with their ratings, the whole year's report (the
// store's fact queries, computeKpis and the JSON) in <= 2 s, median of 5, against a raw
// sqlite3 baseline on the same file: the same rows of tickets, case_facts and
// evaluations read by one plain SELECT each, every column touched and summed.
// The synthetic year is built once and kept in the work folder (--work, default a
// folder in the temporary directory) for the next run: events of one synthetic origin
// with the times of 2025's working days, received a day (about 12,000 events) at a time.
// Usage: ow_bench_kpi [--work DIR] [--tickets N] [--cases N] [--runs N] [--rebuild]
#include "model/BuiltinCalendars.h"
#include "model/Catalogue.h"
#include "model/Evaluation.h"
#include "model/Event.h"
#include "model/HybridClock.h"
#include "model/Kpi.h"
#include "model/Queue.h"

#include "BenchSupport.h"
#include "SyntheticCases.h"
#include "db/Store.h"

#include <filesystem>
#include <iostream>
#include <map>
#include <random>
#include <sqlite3.h>
#include <stdexcept>

using namespace ow;
using model::Date;
using model::Json;

namespace {

constexpr std::int64_t kMinute = 60'000;
constexpr std::int64_t kChinaOffsetMs = 8 * 3'600'000;
const char* const kDoneKey = "bench/kpi-year-complete";

// Ms since the epoch of `minutes` after midnight, China time, on `day`.
std::int64_t msAt(Date day, std::int64_t minutes)
{
    return day.days() * 86'400'000 + minutes * kMinute - kChinaOffsetMs;
}

// One synthetic writer: its events chain by sequence and hash like a real origin's.
class Writer {
public:
    explicit Writer(db::Store& store)
        : m_store(store)
    {
    }
    // Returns the event's id.
    std::string add(
        const char* type, const std::string& caseNumber, const std::string& actor, std::int64_t ms, Json body)
    {
        model::Event e;
        e.origin = "benchkpi";
        e.seq = ++m_seq;
        e.hlc = model::makeHlc(ms, 0);
        e.type = type;
        e.caseNumber = caseNumber;
        e.actor = actor;
        e.prev = m_prev;
        e.body = std::move(body);
        e.seal();
        m_prev = e.hash;
        m_batch.push_back(std::move(e));
        return m_batch.back().id();
    }
    void flush()
    {
        m_events += static_cast<long long>(m_batch.size());
        m_store.receive(m_batch);
        m_batch.clear();
    }
    long long events() const { return m_events; }

private:
    db::Store& m_store;
    std::vector<model::Event> m_batch;
    long long m_seq = 0;
    long long m_events = 0;
    std::string m_prev;
};

Json object(std::initializer_list<std::pair<const char*, Json>> members)
{
    Json j = Json::object();
    for (const auto& [k, v] : members)
        j[k] = v;
    return j;
}

Json matterJson(const model::ServiceMatter& m)
{
    return object({{"code", m.code}, {"nameZh", m.nameZh}, {"nameEn", m.nameEn}, {"department", m.department},
        {"statutoryLimit", m.statutoryLimit.toString()}, {"promisedLimit", m.promisedLimit.toString()},
        {"immediate", m.immediate}});
}

Date nextWorkingDay(const model::HolidayCalendar& calendar, Date d)
{
    while (!calendar.isWorkingDay(d))
        d = d.addDays(1);
    return d;
}

// A year of a busy hall: every working day of 2025, tickets over 08:30–16:30 in the six
// demo categories (each served by its two windows), 92 % served, 5 % no-shows, 3 %
// cancelled; the first served tickets of the day lead to the day's cases (one matter of
// the demo catalogue, now and then two), 95 % accepted, 90 % of those concluded within
// 0–12 days (an immediate matter at once), 40 % of the served rated (bad ratings
// followed up, most of them closed).
void buildYear(db::Store& store, long long tickets, long long cases)
{
    store.initialise("330102");
    const model::Catalogue catalogue = model::fullDemoCatalogue();
    store.putCatalogue(catalogue, "admin");
    std::vector<const model::ServiceMatter*> matters;
    for (const auto& [code, m] : catalogue.matters())
        matters.push_back(&m);
    const model::HolidayCalendar calendar = model::builtinCalendar();
    std::vector<Date> days;
    for (Date d(2025, 1, 1); d <= Date(2025, 12, 31); d = d.addDays(1))
        if (calendar.isWorkingDay(d))
            days.push_back(d);
    const auto nDays = static_cast<long long>(days.size());

    std::mt19937_64 rng(20250101);
    auto roll = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    Writer w(store);
    const std::string categories = "ABCDEF";
    long long caseSerial = 0;
    bench::Stopwatch sw;
    for (long long di = 0; di < nDays; ++di) {
        const Date day = days[static_cast<std::size_t>(di)];
        const long long nT = tickets * (di + 1) / nDays - tickets * di / nDays;
        const long long nC = cases * (di + 1) / nDays - cases * di / nDays;
        std::map<char, int> numbers;
        long long casesToday = 0;
        for (long long i = 0; i < nT; ++i) {
            const char cat = categories[static_cast<std::size_t>(roll(6))];
            const int number = ++numbers[cat];
            const std::string id = model::formatTicketId("330102", day, std::string(1, cat), number);
            const std::int64_t issued = msAt(day, 8 * 60 + 30) + i * (8 * 60 * kMinute) / nT;
            const int windowNo = 2 * static_cast<int>(categories.find(cat)) + 1 + roll(2);
            char window[16], staff[24];
            std::snprintf(window, sizeof window, "W%02d", windowNo);
            std::snprintf(staff, sizeof staff, "clerk%02d", windowNo);
            const std::int64_t called = issued + (1 + roll(25)) * kMinute + roll(60) * 1000;
            const std::int64_t ended = called + (3 + roll(20)) * kMinute + roll(60) * 1000;
            const int fate = roll(100);
            w.add(model::TicketEvent::Issued, "", "kiosk:k1", issued,
                object({{"ticket", id}, {"centre", "330102"}, {"day", day.compact()},
                    {"category", std::string(1, cat)}, {"number", number}, {"priority", "normal"}}));
            if (fate < 3) {
                w.add(model::TicketEvent::Cancelled, "", staff, called, object({{"ticket", id}}));
                continue;
            }
            w.add(model::TicketEvent::Called, "", staff, called,
                object({{"ticket", id}, {"window", window}, {"staff", staff}}));
            if (fate < 8) {
                w.add(model::TicketEvent::NoShow, "", staff, called + 2 * kMinute, object({{"ticket", id}}));
                continue;
            }
            std::string caseNumber;
            if (casesToday < nC) {
                ++casesToday;
                char buf[40];
                std::snprintf(buf, sizeof buf, "330102-%s-%06lld", day.compact().c_str(), casesToday);
                caseNumber = buf;
                const long long k = caseSerial++;
                Json opened = bench::openedEvent(k).body;
                Json list = Json::array();
                const model::ServiceMatter* first
                    = matters[static_cast<std::size_t>(roll(static_cast<int>(matters.size())))];
                list.push_back(matterJson(*first));
                bool immediate = first->immediate;
                if (roll(10) == 0) {
                    const auto* second
                        = matters[static_cast<std::size_t>(roll(static_cast<int>(matters.size())))];
                    if (second != first) {
                        list.push_back(matterJson(*second));
                        immediate = immediate && second->immediate;
                    }
                }
                opened["matters"] = list;
                opened["materials"] = Json::array();
                opened["on"] = day.iso();
                opened["window"] = window;
                w.add(model::EventType::Opened, caseNumber, staff, called + kMinute, opened);
                if (roll(100) < 5) {
                    w.add(model::EventType::Refused, caseNumber, staff, called + 2 * kMinute,
                        object({{"reason", "不符合受理条件"}, {"legalBasis", "《行政许可法》第三十二条"},
                            {"on", day.iso()}}));
                } else {
                    w.add(model::EventType::Accepted, caseNumber, staff, called + 2 * kMinute,
                        object({{"on", day.iso()}}));
                    if (roll(100) < 90) {
                        const Date on = immediate ? day : nextWorkingDay(calendar, day.addDays(roll(13)));
                        const std::int64_t at
                            = on == day ? ended - kMinute : msAt(on, 10 * 60) + roll(400) * kMinute;
                        w.add(model::EventType::Concluded, caseNumber, "reviewer01", at,
                            object({{"outcome", roll(20) == 0 ? "denied" : "approved"}, {"on", on.iso()}}));
                    }
                }
            }
            w.add(model::TicketEvent::Ended, "", staff, ended,
                caseNumber.empty() ? object({{"ticket", id}})
                                   : object({{"ticket", id}, {"case", caseNumber}}));
            if (roll(100) >= 40)
                continue;
            const int r = roll(100);
            const int level = r < 70 ? 5 : r < 85 ? 4 : r < 93 ? 3 : r < 97 ? 2 : 1;
            Json body = object({{"level", level}, {"channel", "evaluator"}, {"comment", ""},
                {"anonymous", false}, {"ticket", id}, {"staff", staff}, {"window", window}});
            if (model::isBadRating(level))
                body["followUpDue"] = nextWorkingDay(calendar, day.addDays(7)).iso();
            std::string rating;
            const std::string actor = std::string("evaluator:") + window;
            if (!caseNumber.empty()) {
                body["on"] = day.iso();
                rating = w.add(model::EventType::Evaluated, caseNumber, actor, ended + 30'000, body);
            } else {
                rating = w.add(model::EvaluationEvent::Recorded, "", actor, ended + 30'000, body);
            }
            if (model::isBadRating(level) && roll(10) < 8)
                w.add(model::EvaluationEvent::FollowUp, "", "manager01", ended + 3 * 3'600'000,
                    object({{"evaluation", rating}, {"action", roll(2) ? "callback" : "rectification"},
                        {"note", "已处理"}, {"close", true}}));
        }
        w.flush();
        if ((di + 1) % 50 == 0) {
            std::printf(
                "  %lld of %lld days, %lld events, %.0f s\n", di + 1, nDays, w.events(), sw.seconds());
            std::fflush(stdout);
        }
    }
    store.setSetting(kDoneKey, "1");
    std::printf("built one year (%lld tickets, %lld cases, %lld events) in %.1f s\n", tickets, caseSerial,
        w.events(), sw.seconds());
    std::fflush(stdout);
}

// The same rows as the store's fact queries, read by plain SELECTs on a raw connection:
// every column stepped through and summed, nothing joined, nothing built.
double rawScan(sqlite3* db, const std::string& from, const std::string& to, long long& rows)
{
    const char* queries[] = {
        "SELECT id, day, issued_category, service_window, status, first_called_at, waiting_ms, serving_ms,"
        " case_number FROM tickets WHERE day >= ?1 AND day <= ?2",
        "SELECT number, centre, status, outcome, departments, matters, accepted_on, concluded_on, deadline,"
        " statutory_days, promised_days, immediate, visits FROM case_facts"
        " WHERE accepted_on <> '' AND accepted_on <= ?2 AND (concluded_on = '' OR concluded_on >= ?1)",
        "SELECT id, day, at_ms, case_number, ticket, staff, service_window, level, channel, follow_up_due"
        " FROM evaluations WHERE day >= ?1 AND day <= ?2",
    };
    bench::Stopwatch sw;
    long long sum = 0;
    rows = 0;
    for (const char* q : queries) {
        sqlite3_stmt* st = nullptr;
        if (sqlite3_prepare_v2(db, q, -1, &st, nullptr) != SQLITE_OK)
            throw std::runtime_error(std::string("prepare: ") + sqlite3_errmsg(db));
        sqlite3_bind_text(st, 1, from.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(st, 2, to.c_str(), -1, SQLITE_TRANSIENT);
        while (sqlite3_step(st) == SQLITE_ROW) {
            ++rows;
            const int n = sqlite3_column_count(st);
            for (int c = 0; c < n; ++c)
                sum += sqlite3_column_type(st, c) == SQLITE_INTEGER ? sqlite3_column_int64(st, c)
                                                                    : sqlite3_column_bytes(st, c);
        }
        sqlite3_finalize(st);
    }
    if (sum == 42)
        std::printf("(the sum is 42)\n"); // keeps the reads from being optimised away
    return sw.millis();
}

} // namespace

int main(int argc, char* argv[])
{
    long long tickets = 500'000;
    long long cases = 200'000;
    int runs = 5;
    bool rebuild = false;
    std::filesystem::path work = std::filesystem::temp_directory_path() / "ow-bench-work";
    bench::Args args(argc, argv);
    if (!args.read("ow_bench_kpi",
            "usage: ow_bench_kpi [--work DIR] [--tickets N] [--cases N] [--runs N] [--rebuild]", [&] {
                if (args.is("--tickets"))
                    tickets = args.number();
                else if (args.is("--cases"))
                    cases = args.number();
                else if (args.is("--runs"))
                    runs = args.number<int>();
                else if (args.is("--work"))
                    work = args.value();
                else if (args.is("--rebuild"))
                    rebuild = true;
                else
                    args.unknown();
            }))
        return 2;
    if (tickets < 1 || cases < 0 || cases > tickets || runs < 1) {
        std::cerr << "ow_bench_kpi: need 0 <= cases <= tickets, tickets >= 1, runs >= 1\n";
        return 2;
    }
    try {
        std::filesystem::create_directories(work);
        const std::string file
            = (work / ("kpi-year-" + std::to_string(tickets) + "t-" + std::to_string(cases) + "c-v2.db"))
                  .string();
        {
            bool ready = false;
            if (!rebuild && std::filesystem::exists(file)) {
                auto store = db::Store::open("sqlite3://db=" + file);
                ready = store->setting(kDoneKey).has_value()
                    && store->schemaVersion() == db::currentSchemaVersion();
            }
            if (ready) {
                std::printf("one year of a busy centre: reusing %s\n", file.c_str());
            } else {
                for (const char* suffix : {"", "-wal", "-shm"})
                    std::filesystem::remove(file + suffix);
                auto store = db::Store::open("sqlite3://db=" + file);
                buildYear(*store, tickets, cases);
            }
        }
        std::fflush(stdout);

        const model::KpiQuery query{Date(2025, 1, 1), Date(2025, 12, 31), "", ""};
        auto store = db::Store::open("sqlite3://db=" + file);
        std::vector<double> ours;
        model::KpiReport report;
        std::size_t jsonBytes = 0;
        for (int i = 0; i < runs; ++i) {
            bench::Stopwatch sw;
            const model::Catalogue catalogue = store->catalogue();
            report = model::computeKpis(query, store->ticketFactsBetween(query.from, query.to, false),
                store->caseFactsBetween(query.from, query.to),
                store->ratingFactsBetween(query.from, query.to, false), catalogue);
            jsonBytes = report.toJson().canonical().size();
            ours.push_back(sw.millis());
        }
        {
            // Where the time goes, once: each fact query, then the figures.
            bench::Stopwatch sw;
            auto t = store->ticketFactsBetween(query.from, query.to, false);
            const double ticketsMs = sw.millis();
            auto c = store->caseFactsBetween(query.from, query.to);
            const double casesMs = sw.millis() - ticketsMs;
            auto g = store->ratingFactsBetween(query.from, query.to, false);
            const double ratingsMs = sw.millis() - ticketsMs - casesMs;
            const double before = sw.millis();
            model::computeKpis(query, t, c, g, store->catalogue());
            std::printf(
                "one report: ticket facts %.0f ms (%zu), case facts %.0f ms (%zu), rating facts %.0f ms"
                " (%zu), figures %.0f ms\n",
                ticketsMs, t.size(), casesMs, c.size(), ratingsMs, g.size(), sw.millis() - before);
        }
        sqlite3* raw = nullptr;
        if (sqlite3_open_v2(file.c_str(), &raw, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK)
            throw std::runtime_error("sqlite3_open failed");
        std::vector<double> base;
        long long rows = 0;
        for (int i = 0; i < runs; ++i)
            base.push_back(rawScan(raw, query.from.iso(), query.to.iso(), rows));
        sqlite3_close(raw);

        std::printf("report: %lld tickets (%lld served), %lld cases accepted, %lld concluded, %lld ratings;"
                    " %zu bytes of JSON; the baseline read %lld rows\n",
            static_cast<long long>(report.tickets.issued), static_cast<long long>(report.tickets.served),
            static_cast<long long>(report.cases.accepted), static_cast<long long>(report.cases.concluded),
            static_cast<long long>(report.ratings.ratings), jsonBytes, rows);
        bool ok = report.tickets.issued == tickets;
        if (!ok)
            std::printf("the report counts %lld tickets, not %lld\n",
                static_cast<long long>(report.tickets.issued), tickets);
        bench::Result result{"kpi report, one year (" + std::to_string(tickets) + " tickets, "
                + std::to_string(cases) + " cases), median",
            bench::percentile(ours, 0.5), "ms", 2000.0, bench::percentile(base, 0.5), false, false};
        bench::print(result);
        return ok && result.pass() ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "ow_bench_kpi: " << e.what() << "\n";
        return 1;
    }
}
