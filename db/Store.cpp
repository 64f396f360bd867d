#include "db/Store.h"

#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Error.h"
#include "model/Evaluation.h"
#include "model/HmacSha256.h"
#include "model/Identity.h"
#include "model/Sha256.h"

#include "db/Log.h"
#include "db/PasswordHash.h"
#include "db/Schema.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <future>
#include <iterator>
#include <limits>
#include <list>
#include <map>
#include <random>
#include <set>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <unordered_map>

namespace ow::db {

using model::DomainError;
using model::Event;
using model::Json;

namespace {

// Every key and term the store holds is UTF-8 text without NUL: anything else matches
// nothing, and is answered so without asking the database (PostgreSQL would cut a
// parameter at its NUL and find the shorter key, or fail on broken UTF-8).
bool isKeyText(const std::string& s)
{
    return s.find('\0') == std::string::npos && model::isValidUtf8(s);
}

std::string trim(const std::string& s)
{
    auto b = s.find_first_not_of(" \t\r\n");
    if (b == std::string::npos)
        return {};
    auto e = s.find_last_not_of(" \t\r\n");
    return s.substr(b, e - b + 1);
}

// SOCI puts its own summary on the first line and the server's reason after it: keep
// both, on one line.
std::string oneLine(const std::string& s)
{
    std::string out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find('\n', start);
        std::string line = trim(s.substr(start, end == std::string::npos ? std::string::npos : end - start));
        if (!line.empty())
            out += (out.empty() ? "" : " ") + line;
        if (end == std::string::npos)
            break;
        start = end + 1;
    }
    return out;
}

std::string randomHex(std::size_t bytes)
{
    std::ifstream urandom("/dev/urandom", std::ios::binary);
    std::string raw(bytes, '\0');
    if (!urandom.read(raw.data(), static_cast<std::streamsize>(bytes))) {
        std::random_device rd;
        for (auto& c : raw)
            c = static_cast<char>(rd());
    }
    return model::toHex(reinterpret_cast<const std::uint8_t*>(raw.data()), raw.size());
}

// libpq key=value parameters: find a key's value (unquoted values only, as we write them).
std::string paramValue(const std::string& params, const std::string& key)
{
    std::size_t pos = 0;
    while (pos < params.size()) {
        while (pos < params.size() && params[pos] == ' ')
            ++pos;
        auto eq = params.find('=', pos);
        if (eq == std::string::npos)
            break;
        auto end = params.find(' ', eq);
        if (end == std::string::npos)
            end = params.size();
        if (trim(params.substr(pos, eq - pos)) == key)
            return params.substr(eq + 1, end - eq - 1);
        pos = end;
    }
    return {};
}

std::string redactPasswords(std::string s)
{
    for (std::size_t pos = s.find("password="); pos != std::string::npos;
         pos = s.find("password=", pos + 1)) {
        auto end = s.find(' ', pos);
        s.replace(pos + 9, (end == std::string::npos ? s.size() : end) - pos - 9, "***");
    }
    return s;
}

// What a database failure may say in messages and logs: the server's own reason, on
// one line, without the statement and its bound values (SOCI appends those, and they
// hold event documents with names and identity numbers), passwords redacted, and any
// run of 15 or more letters and digits that could be an identity number masked.
std::string safeReason(const soci::soci_error& e)
{
    std::string reason = e.get_error_message();
    if (auto context = reason.find("while executing"); context != std::string::npos)
        reason.erase(context);
    if (auto detail = reason.find("DETAIL:"); detail != std::string::npos)
        reason.erase(detail);
    reason = redactPasswords(oneLine(reason));
    std::string out;
    std::size_t run = 0;
    for (std::size_t i = 0; i <= reason.size(); ++i) {
        const bool alnum = i < reason.size() && std::isalnum(static_cast<unsigned char>(reason[i]));
        if (alnum) {
            ++run;
            continue;
        }
        const std::string word = reason.substr(i - run, run);
        const bool digits = word.find_first_of("0123456789") != std::string::npos;
        out += run >= 15 && digits ? std::string("***") : word;
        if (i < reason.size())
            out += reason[i];
        run = 0;
    }
    if (out.size() > 300)
        out = out.substr(0, 300) + "…";
    return out.empty() ? std::string("unknown database error") : out;
}

// Every store method turns a SOCI failure into DomainError "db.failed" (facts operation,
// reason): callers outside db/ never see SOCI, and the replica writer counts any db.*
// error as the shared database not answering, so what was not acknowledged stays pending.
template<class Work> auto guarded(const char* operation, Work&& work) -> decltype(work())
{
    try {
        return work();
    } catch (const soci::soci_error& e) {
        throw DomainError("db.failed", {{"operation", operation}, {"reason", safeReason(e)}});
    }
}

// A transaction that rolls back unless committed. SQLite writers take the write lock
// up front (BEGIN IMMEDIATE) so that two writers never deadlock on lock upgrades.
class Tx {
public:
    Tx(soci::session& sql, Backend backend)
        : m_sql(sql)
    {
        m_sql << (backend == Backend::Sqlite ? "BEGIN IMMEDIATE" : "BEGIN");
    }
    ~Tx()
    {
        if (!m_done) {
            try {
                m_sql << "ROLLBACK";
            } catch (...) {
                // The connection may be gone; nothing was committed either way.
            }
        }
    }
    void commit()
    {
        m_sql << "COMMIT";
        m_done = true;
    }
    Tx(const Tx&) = delete;
    Tx& operator=(const Tx&) = delete;

private:
    soci::session& m_sql;
    bool m_done = false;
};

std::string versionKey(const Event& e)
{
    // Last writer wins by (hlc, origin, seq), zero-padded so strings compare as tuples.
    char buf[32];
    std::snprintf(buf, sizeof buf, "%020lld", static_cast<long long>(e.hlc));
    char seq[32];
    std::snprintf(seq, sizeof seq, "%012lld", static_cast<long long>(e.seq));
    return std::string(buf) + "/" + e.origin + "/" + seq;
}

} // namespace

// ---------------------------------------------------------------- connection strings

ConnectionInfo ConnectionInfo::parse(const std::string& text)
{
    ConnectionInfo info;
    info.original = text;
    auto sep = text.find("://");
    if (sep == std::string::npos)
        throw DomainError(
            "db.connection_string", {{"reason", "missing_scheme"}, {"value", redactPasswords(text)}});
    std::string scheme = text.substr(0, sep);
    info.parameters = text.substr(sep + 3);
    if (scheme == "sqlite3" || scheme == "sqlite") {
        info.backend = Backend::Sqlite;
        if (info.sqlitePath().empty())
            throw DomainError("db.connection_string", {{"reason", "missing_db"}, {"value", text}});
    } else if (scheme == "postgresql" || scheme == "postgres") {
        info.backend = Backend::Postgres;
        if (trim(info.parameters).empty())
            throw DomainError("db.connection_string", {{"reason", "missing_parameters"}, {"value", text}});
    } else {
        throw DomainError("db.connection_string",
            {{"reason", "unknown_backend"}, {"backend", scheme}, {"value", redactPasswords(text)}});
    }
    return info;
}

std::string ConnectionInfo::sqlitePath() const
{
    std::string p = paramValue(parameters, "db");
    if (p.empty() && parameters.find('=') == std::string::npos)
        p = trim(parameters); // "sqlite3://file.db" as a convenience
    return p;
}

std::string ConnectionInfo::redacted() const
{
    return redactPasswords(original);
}

std::string dataFolder()
{
    std::filesystem::path base;
    if (const char* xdg = std::getenv("XDG_DATA_HOME"); xdg && *xdg)
        base = xdg;
    else if (const char* home = std::getenv("HOME"); home && *home)
        base = std::filesystem::path(home) / ".local" / "share";
    else
        base = std::filesystem::temp_directory_path();
    return (base / "onewindow").string();
}

std::string defaultConnectionString()
{
    return "sqlite3://db=" + (std::filesystem::path(dataFolder()) / "onewindow.db").string();
}

// ---------------------------------------------------------------- implementation

struct Store::Impl {
    ConnectionInfo info;
    mutable soci::session sql;
    std::string origin;
    std::string centre;
    std::string searchKey;
    int version = 0;
    model::HybridClock clock;
    model::HolidayCalendar calendar = model::builtinCalendar();

    explicit Impl(model::PhysicalClock physical)
        : clock(std::move(physical))
    {
    }

    std::string meta(const std::string& key) const
    {
        std::string value;
        soci::indicator ind = soci::i_null;
        sql << "SELECT value FROM meta WHERE key = :k", soci::use(key), soci::into(value, ind);
        return sql.got_data() && ind == soci::i_ok ? value : std::string();
    }

    void setMeta(const std::string& key, const std::string& value)
    {
        sql << "INSERT INTO meta (key, value) VALUES (:k, :v)"
               " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            soci::use(key), soci::use(value);
    }

    bool tableExists(const std::string& name) const
    {
        int n = 0;
        if (info.backend == Backend::Sqlite)
            sql << "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = :n", soci::use(name),
                soci::into(n);
        else
            sql << "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()"
                   " AND table_name = :n",
                soci::use(name), soci::into(n);
        return n > 0;
    }

    long long nextArrival(long long count)
    {
        long long last = 0;
        // The counter row is locked until commit, so arrival numbers follow commit order:
        // a reader of "changes since" can never see a later number before an earlier one.
        sql << "UPDATE counters SET value = value + :n WHERE name = 'arrival'", soci::use(count);
        sql << "SELECT value FROM counters WHERE name = 'arrival'", soci::into(last);
        return last - count + 1;
    }

    void syncClock()
    {
        std::string stored = meta("hlc");
        if (!stored.empty())
            clock.observe(std::stoll(stored));
    }

    // One multi-row INSERT per chunk: SOCI would execute a vector binding row by row on
    // PostgreSQL, and re-executing one statement with refilled vectors resends the first
    // batch (SOCI 4.0.3), so each chunk gets its own statement with scalar bindings.
    // `docs`, when given, holds each event's canonical document text already.
    // On SQLite, events go in through one prepared statement of the connection itself
    // (SOCI exposes its handle, and SQLite's API in namespace sqlite_api), bound and stepped per
    // row as SQLite is fastest at; the statement lives as long as the session.
    ::sqlite_api::sqlite3_stmt* sqliteInsert = nullptr;

    ~Impl()
    {
        for (auto* st : {sqliteInsert, sqliteCaseInsert, sqliteTermInsert, sqliteFactInsert,
                 sqliteColumnById[0], sqliteColumnById[1]})
            if (st)
                ::sqlite_api::sqlite3_finalize(st);
    }
    Impl(const Impl&) = delete;
    Impl& operator=(const Impl&) = delete;

    // The columns of an event's row besides its arrival and document text: copied out of a
    // batch so that the batch's events can go on to be folded while the rows are inserted.
    struct EventRow {
        std::string id, origin, type, caseNumber, actor, prev, hash;
        std::int64_t seq = 0, hlc = 0;
        explicit EventRow(const Event& e)
            : id(e.id())
            , origin(e.origin)
            , type(e.type)
            , caseNumber(e.caseNumber)
            , actor(e.actor)
            , prev(e.prev)
            , hash(e.hash)
            , seq(e.seq)
            , hlc(e.hlc)
        {
        }
    };

    static std::vector<EventRow> eventRows(const std::vector<Event>& events)
    {
        std::vector<EventRow> rows;
        rows.reserve(events.size());
        for (const auto& e : events)
            rows.emplace_back(e);
        return rows;
    }

    // Uses only SQLite's own API on the connection, so it may run on another thread while
    // the connection's owner does no database work (receive folds the batch meanwhile).
    void insertEventsSqlite(
        const std::vector<EventRow>& rows, long long firstArrival, const std::vector<std::string>& docs)
    {
        namespace api = ::sqlite_api;
        auto* backend = static_cast<soci::sqlite3_session_backend*>(sql.get_backend());
        api::sqlite3* db = backend->conn_;
        auto fail = [&](const char* what) {
            throw soci::soci_error(std::string(what) + ": " + api::sqlite3_errmsg(db));
        };
        if (!sqliteInsert
            && api::sqlite3_prepare_v2(db,
                   "INSERT INTO events (arrival, id, origin, seq, hlc, type, case_number, actor, prev, hash, "
                   "doc)"
                   " VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                   -1, &sqliteInsert, nullptr)
                != SQLITE_OK)
            fail("prepare event insert");
        auto text = [&](int column, const std::string& value) {
            api::sqlite3_bind_text(sqliteInsert, column, value.data(), static_cast<int>(value.size()),
                static_cast<api::sqlite3_destructor_type>(
                    nullptr)); // SQLITE_STATIC: the strings outlive the step
        };
        for (std::size_t i = 0; i < rows.size(); ++i) {
            const EventRow& e = rows[i];
            api::sqlite3_bind_int64(sqliteInsert, 1, firstArrival + static_cast<long long>(i));
            text(2, e.id);
            text(3, e.origin);
            api::sqlite3_bind_int64(sqliteInsert, 4, e.seq);
            api::sqlite3_bind_int64(sqliteInsert, 5, e.hlc);
            text(6, e.type);
            text(7, e.caseNumber);
            text(8, e.actor);
            text(9, e.prev);
            text(10, e.hash);
            text(11, docs[i]);
            int rc = api::sqlite3_step(sqliteInsert);
            api::sqlite3_reset(sqliteInsert);
            api::sqlite3_clear_bindings(sqliteInsert);
            if (rc != SQLITE_DONE)
                fail("insert event");
        }
    }

    void insertEvents(const std::vector<Event>& events, long long firstArrival,
        const std::vector<std::string>* docs = nullptr)
    {
        if (info.backend == Backend::Sqlite) {
            std::vector<std::string> built;
            if (!docs)
                for (const auto& e : events)
                    built.push_back(e.documentText());
            return insertEventsSqlite(eventRows(events), firstArrival, docs ? *docs : built);
        }
        constexpr std::size_t chunk = 400; // 11 parameters a row stays far below both backends' limits
        for (std::size_t start = 0; start < events.size(); start += chunk) {
            std::size_t n = std::min(chunk, events.size() - start);
            struct Row {
                long long arrival, seq, hlc;
                std::string id, doc;
            };
            std::vector<Row> rows(n);
            std::string q
                = "INSERT INTO events (arrival, id, origin, seq, hlc, type, case_number, actor, prev, hash,"
                  " doc) VALUES ";
            for (std::size_t i = 0; i < n; ++i) {
                const Event& e = events[start + i];
                rows[i] = {firstArrival + static_cast<long long>(start + i), e.seq, e.hlc, e.id(),
                    docs ? (*docs)[start + i] : e.documentText()};
                if (info.backend == Backend::Sqlite) {
                    // Positional: SQLite looks named parameters up by a linear search.
                    q += i ? ",(?,?,?,?,?,?,?,?,?,?,?)" : "(?,?,?,?,?,?,?,?,?,?,?)";
                } else {
                    std::string k = std::to_string(i);
                    q += (i ? ",(" : "(") + (":a" + k) + ",:i" + k + ",:o" + k + ",:s" + k + ",:h" + k + ",:t"
                        + k + ",:c" + k + ",:ac" + k + ",:p" + k + ",:hs" + k + ",:d" + k + ")";
                }
            }
            soci::statement st(sql);
            prepareOnce(st, q);
            for (std::size_t i = 0; i < n; ++i) {
                const Event& e = events[start + i];
                st.exchange(soci::use(rows[i].arrival));
                st.exchange(soci::use(rows[i].id));
                st.exchange(soci::use(e.origin));
                st.exchange(soci::use(rows[i].seq));
                st.exchange(soci::use(rows[i].hlc));
                st.exchange(soci::use(e.type));
                st.exchange(soci::use(e.caseNumber));
                st.exchange(soci::use(e.actor));
                st.exchange(soci::use(e.prev));
                st.exchange(soci::use(e.hash));
                st.exchange(soci::use(rows[i].doc));
            }
            st.define_and_bind();
            st.execute(true);
        }
    }

    // Statements that take a list of values go in chunks of this many.
    static constexpr std::size_t kInChunk = 500;

    // "(?,?,…)" on SQLite, "(:p0,:p1,…)" on PostgreSQL: an IN list of `n` parameters.
    std::string inList(std::size_t n) const
    {
        std::string q = "(";
        for (std::size_t i = 0; i < n; ++i) {
            if (i)
                q += ',';
            q += info.backend == Backend::Sqlite ? std::string("?") : ":p" + std::to_string(i);
        }
        return q + ")";
    }

    // A statement run once: on PostgreSQL one round trip (no PREPARE and DEALLOCATE).
    static void prepareOnce(soci::statement& st, const std::string& q)
    {
        st.alloc();
        st.prepare(q, soci::details::st_one_time_query);
    }

    // Columns of event rows read by id (eventColumnById).
    enum class EventColumn { Hash, Doc };
    // SQLite: one statement per column prepared once per session and stepped per id (a
    // look-up in the id index each), instead of long IN lists bound value by value through
    // SOCI; the two readers of rows by id share it.
    mutable std::array<::sqlite_api::sqlite3_stmt*, 2> sqliteColumnById{};

    // The value of `column` of each of these event ids stored here (absent ones left out);
    // on PostgreSQL one query a chunk.
    std::map<std::string, std::string> eventColumnById(
        EventColumn column, const std::vector<std::string>& ids) const
    {
        std::map<std::string, std::string> out;
        const char* name = column == EventColumn::Hash ? "hash" : "doc";
        if (info.backend == Backend::Sqlite) {
            namespace api = ::sqlite_api;
            api::sqlite3* db = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
            api::sqlite3_stmt*& st = sqliteColumnById[static_cast<std::size_t>(column)];
            if (!st
                && api::sqlite3_prepare_v2(db,
                       (std::string("SELECT ") + name + " FROM events WHERE id = ?").c_str(), -1, &st,
                       nullptr)
                    != SQLITE_OK)
                throw soci::soci_error(std::string("prepare: ") + api::sqlite3_errmsg(db));
            // Outside a transaction every step would take and drop a read snapshot of its own.
            struct ReadTx {
                api::sqlite3* db = nullptr;
                ~ReadTx()
                {
                    if (db)
                        api::sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
                }
            } readTx;
            if (api::sqlite3_get_autocommit(db)
                && api::sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr) == SQLITE_OK)
                readTx.db = db;
            for (const auto& id : ids) {
                api::sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()),
                    static_cast<api::sqlite3_destructor_type>(nullptr)); // SQLITE_STATIC
                const int rc = api::sqlite3_step(st);
                if (rc == SQLITE_ROW)
                    out.emplace(id,
                        std::string(reinterpret_cast<const char*>(api::sqlite3_column_text(st, 0)),
                            static_cast<std::size_t>(api::sqlite3_column_bytes(st, 0))));
                api::sqlite3_reset(st);
                if (rc != SQLITE_ROW && rc != SQLITE_DONE)
                    throw soci::soci_error(std::string("select: ") + api::sqlite3_errmsg(db));
            }
            return out;
        }
        for (std::size_t start = 0; start < ids.size(); start += kInChunk) {
            const std::size_t n = std::min(kInChunk, ids.size() - start);
            std::string id, value;
            soci::statement st(sql);
            prepareOnce(st, std::string("SELECT id, ") + name + " FROM events WHERE id IN " + inList(n));
            st.exchange(soci::into(id));
            st.exchange(soci::into(value));
            for (std::size_t i = 0; i < n; ++i)
                st.exchange(soci::use(ids[start + i]));
            st.define_and_bind();
            st.execute();
            while (st.fetch())
                out.emplace(id, value);
        }
        return out;
    }

    // The stored hash of each of these event ids this store holds.
    std::map<std::string, std::string> storedHashes(const std::vector<std::string>& ids) const
    {
        return eventColumnById(EventColumn::Hash, ids);
    }

    std::vector<Event> eventsWhere(const std::string& where, const std::string& param) const
    {
        std::vector<Event> out;
        std::string doc;
        soci::statement st = (sql.prepare << "SELECT doc FROM events WHERE " + where + " ORDER BY arrival",
            soci::use(param), soci::into(doc));
        st.execute();
        while (st.fetch())
            out.push_back(Event::fromDocument(Json::parse(doc), false));
        return out;
    }

    // The projected columns of a case row; verify() compares stored rows with these.
    struct CaseRow {
        std::string status, centre, currentCentre, name, maskedId, maskedPhone, assignee, opened, accepted,
            deadline, state;
        int conflict = 0;
        bool operator==(const CaseRow&) const = default;
    };

    CaseRow rowFor(const model::CaseState& s) const
    {
        CaseRow r;
        if (s.acceptedOn && !s.matters.empty()) {
            try {
                auto d = model::caseDeadline(s, calendar);
                if (!d.suspendedOpenEnded)
                    r.deadline = d.deadline.iso();
            } catch (const DomainError&) {
                // A malformed limit from an old node: the case is still listed.
            }
        }
        r.status = model::toString(s.status);
        r.centre = s.centre;
        r.currentCentre = s.currentCentre;
        r.name = s.applicant.name;
        r.maskedId = model::maskId(s.applicant.idNumber);
        r.maskedPhone = model::maskPhone(s.applicant.phone);
        r.assignee = s.assignee;
        r.opened = s.openedOn.iso();
        r.accepted = s.acceptedOn ? s.acceptedOn->iso() : std::string();
        r.conflict = s.inConflict() ? 1 : 0;
        r.state = s.canonicalText();
        return r;
    }

    // Statements of the projection hot path, prepared once per session and re-executed
    // with scalar bindings (re-reading the bound variables on each execution).
    struct CaseWriter {
        std::string number;
        long long before = 0;
        std::string doc;
        std::string state;
        soci::indicator stateIndicator = soci::i_null;
        std::unique_ptr<soci::statement> selectEvents, selectState, deleteCase, deleteTerms;
    };
    std::unique_ptr<CaseWriter> writer;

    CaseWriter& caseWriter()
    {
        if (writer)
            return *writer;
        writer = std::make_unique<CaseWriter>();
        CaseWriter& w = *writer;
        w.selectEvents
            = std::make_unique<soci::statement>((sql.prepare << "SELECT doc FROM events WHERE case_number"
                                                                " = :c AND arrival < :a ORDER BY arrival",
                soci::use(w.number), soci::use(w.before), soci::into(w.doc)));
        w.selectState
            = std::make_unique<soci::statement>((sql.prepare << "SELECT state FROM cases WHERE number = :n",
                soci::use(w.number), soci::into(w.state, w.stateIndicator)));
        w.deleteCase = std::make_unique<soci::statement>(
            (sql.prepare << "DELETE FROM cases WHERE number = :n", soci::use(w.number)));
        w.deleteTerms = std::make_unique<soci::statement>(
            (sql.prepare << "DELETE FROM search_terms WHERE case_number = :n", soci::use(w.number)));
        return w;
    }

    std::string idTerm(const std::string& idNumber) const
    {
        // Identity numbers are indexed under a keyed hash, never in clear.
        return idNumber.empty() ? std::string() : model::hmacSha256Hex(searchKey, idNumber);
    }

    // Rows a batch's projection writes, inserted together at the end of the batch.
    struct PendingRows {
        std::vector<std::vector<std::string>> cases;
        std::vector<std::vector<std::string>> terms;
        std::vector<std::vector<std::string>> facts; // case_facts (schema 4 on)
    };

    // One multi-row INSERT per chunk of rows, every value bound as text (both backends
    // convert to the column's type). Positional parameters on SQLite, which looks named
    // ones up by a linear search; SOCI's :names on PostgreSQL.
    void insertMany(const std::string& head, const std::string& tail, std::size_t columns,
        const std::vector<std::vector<std::string>>& rows)
    {
        const std::size_t chunk = std::max<std::size_t>(1, 4000 / columns);
        for (std::size_t start = 0; start < rows.size(); start += chunk) {
            std::size_t n = std::min(chunk, rows.size() - start);
            std::string q = head + " VALUES ";
            std::size_t p = 0;
            for (std::size_t i = 0; i < n; ++i) {
                q += i ? ",(" : "(";
                for (std::size_t c = 0; c < columns; ++c) {
                    if (c)
                        q += ',';
                    q += info.backend == Backend::Sqlite ? "?" : ":p" + std::to_string(p);
                    ++p;
                }
                q += ')';
            }
            q += tail;
            soci::statement st(sql);
            prepareOnce(st, q);
            for (std::size_t i = 0; i < n; ++i)
                for (const auto& v : rows[start + i])
                    st.exchange(soci::use(v));
            st.define_and_bind();
            st.execute(true);
        }
    }

    // SQLite: each projection table gets one statement prepared once per session.
    ::sqlite_api::sqlite3_stmt* sqliteCaseInsert = nullptr;
    ::sqlite_api::sqlite3_stmt* sqliteTermInsert = nullptr;
    ::sqlite_api::sqlite3_stmt* sqliteFactInsert = nullptr;

    void stepRows(::sqlite_api::sqlite3_stmt*& st, const char* sqlText,
        const std::vector<std::vector<std::string>>& rows)
    {
        namespace api = ::sqlite_api;
        api::sqlite3* db = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
        if (!st && api::sqlite3_prepare_v2(db, sqlText, -1, &st, nullptr) != SQLITE_OK)
            throw soci::soci_error(std::string("prepare: ") + api::sqlite3_errmsg(db));
        for (const auto& row : rows) {
            for (std::size_t c = 0; c < row.size(); ++c)
                api::sqlite3_bind_text(st, static_cast<int>(c + 1), row[c].data(),
                    static_cast<int>(row[c].size()),
                    static_cast<api::sqlite3_destructor_type>(
                        nullptr)); // SQLITE_STATIC: rows outlive the step
            int rc = api::sqlite3_step(st);
            api::sqlite3_reset(st);
            if (rc != SQLITE_DONE)
                throw soci::soci_error(std::string("insert: ") + api::sqlite3_errmsg(db));
        }
    }

    void flush(PendingRows& pending)
    {
        static const char* caseInsert
            = "INSERT INTO cases (number, status, centre, current_centre, applicant_name,"
              " masked_id, masked_phone, assignee, opened_on, accepted_on, deadline,"
              " in_conflict, state)";
        // A case folded onto its kept fold keeps its row: it is updated in place.
        static const std::string caseUpsert
            = " ON CONFLICT (number) DO UPDATE SET status = excluded.status, centre = excluded.centre,"
              " current_centre = excluded.current_centre, applicant_name = excluded.applicant_name,"
              " masked_id = excluded.masked_id, masked_phone = excluded.masked_phone,"
              " assignee = excluded.assignee, opened_on = excluded.opened_on,"
              " accepted_on = excluded.accepted_on, deadline = excluded.deadline,"
              " in_conflict = excluded.in_conflict, state = excluded.state";
        static const char* termInsert = "INSERT INTO search_terms (kind, term, case_number)";
        if (info.backend == Backend::Sqlite) {
            stepRows(sqliteCaseInsert,
                (std::string(caseInsert) + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)" + caseUpsert).c_str(),
                pending.cases);
            stepRows(sqliteTermInsert,
                (std::string(termInsert) + " VALUES (?,?,?) ON CONFLICT DO NOTHING").c_str(), pending.terms);
        } else {
            insertMany(caseInsert, caseUpsert, 13, pending.cases);
            insertMany(termInsert, " ON CONFLICT DO NOTHING", 3, pending.terms);
        }
        flushFacts(pending.facts);
        pending = {};
    }

    // case_facts rows replace the case's earlier row (an upsert: the cases row is deleted
    // and inserted again by the callers, this one needs no delete of its own).
    void flushFacts(const std::vector<std::vector<std::string>>& rows)
    {
        if (version < 4 || rows.empty())
            return; // an older schema has no such table; migrating to 4 fills it
        static const std::string head
            = "INSERT INTO case_facts (number, centre, status, outcome, departments, matters, accepted_on,"
              " concluded_on, deadline, statutory_days, promised_days, immediate, visits)";
        static const std::string tail
            = " ON CONFLICT (number) DO UPDATE SET centre = excluded.centre, status = excluded.status,"
              " outcome = excluded.outcome, departments = excluded.departments, matters = excluded.matters,"
              " accepted_on = excluded.accepted_on, concluded_on = excluded.concluded_on,"
              " deadline = excluded.deadline, statutory_days = excluded.statutory_days,"
              " promised_days = excluded.promised_days, immediate = excluded.immediate,"
              " visits = excluded.visits";
        if (info.backend == Backend::Sqlite)
            stepRows(sqliteFactInsert, (head + " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)" + tail).c_str(), rows);
        else
            insertMany(head, tail, 13, rows);
    }

    // The case_facts row of a folded case.
    std::vector<std::string> factRow(const model::CaseState& s) const
    {
        const model::CaseFact f = model::caseFactOf(s, calendar);
        auto iso = [](const std::optional<model::Date>& d) { return d ? d->iso() : std::string(); };
        return {f.number, f.centre, f.status, f.outcome, model::joinList(f.departments),
            model::joinList(f.matters), iso(f.acceptedOn), iso(f.concludedOn), iso(f.deadline),
            std::to_string(f.statutoryDays), std::to_string(f.promisedDays), f.immediate ? "1" : "0",
            std::to_string(f.visits)};
    }

    // Every case's facts from its events (a database migrated to schema 4 had none), read
    // a page at a time in (case, arrival) order like a rebuild.
    void projectAllCaseFacts()
    {
        std::string lastCase;
        long long lastArrival = 0;
        const long long page = 20000;
        std::string current;
        std::vector<Event> events;
        std::vector<std::vector<std::string>> rows;
        auto foldCurrent = [&] {
            if (current.empty())
                return;
            model::CaseState s = model::foldCase(std::move(events));
            events.clear();
            if (s.status != model::CaseStatus::None)
                rows.push_back(factRow(s));
        };
        while (true) {
            std::string number, doc;
            long long arrival = 0;
            long long read = 0;
            soci::statement st
                = (sql.prepare << "SELECT case_number, arrival, doc FROM events WHERE case_number <> ''"
                                  " AND (case_number > :c OR (case_number = :c2 AND arrival > :a))"
                                  " ORDER BY case_number, arrival LIMIT :n",
                    soci::use(lastCase), soci::use(lastCase), soci::use(lastArrival), soci::use(page),
                    soci::into(number), soci::into(arrival), soci::into(doc));
            st.execute();
            while (st.fetch()) {
                if (number != current) {
                    foldCurrent();
                    current = number;
                }
                events.push_back(Event::fromDocument(Json::parse(doc), false));
                lastCase = number;
                lastArrival = arrival;
                ++read;
            }
            flushFacts(rows);
            rows.clear();
            if (read < page)
                break;
        }
        foldCurrent();
        flushFacts(rows);
    }

    // The folds of the cases projected lately, each with the state text its row got. When a
    // case's stored state is still that text (nobody wrote the case since: the text holds
    // its heads and event count), a batch's events of it are folded onto the kept fold
    // instead of reading back and folding all its events. At most kKeptFolds, the least
    // recently used going first; a rolled-back batch leaves a fold whose text no row has.
    struct KeptFold {
        model::FoldedCase fold;
        std::string stateText;
        std::list<std::string>::iterator age;
    };
    static constexpr std::size_t kKeptFolds = 4096;
    std::unordered_map<std::string, KeptFold> keptFolds;
    std::list<std::string> keptAge; // most recently used first

    KeptFold* keptFold(const std::string& number)
    {
        auto it = keptFolds.find(number);
        if (it == keptFolds.end())
            return nullptr;
        keptAge.splice(keptAge.begin(), keptAge, it->second.age);
        return &it->second;
    }

    void forgetFold(const std::string& number)
    {
        if (auto it = keptFolds.find(number); it != keptFolds.end()) {
            keptAge.erase(it->second.age);
            keptFolds.erase(it);
        }
    }

    void keepFold(const std::string& number, model::FoldedCase fold, std::string stateText)
    {
        forgetFold(number);
        if (stateText.empty())
            return; // no row: nothing to compare with next time
        keptAge.push_front(number);
        keptFolds.emplace(number, KeptFold{std::move(fold), std::move(stateText), keptAge.begin()});
        if (keptFolds.size() > kKeptFolds) {
            keptFolds.erase(keptAge.back());
            keptAge.pop_back();
        }
    }

    // Folds a batch's events of one case onto its kept fold, each once everything it
    // follows in the batch (its heads, its origin's earlier events) is folded. False when
    // one of them needs a whole fold; the kept fold is then half advanced: forget it.
    static bool foldBatchOnto(model::FoldedCase& fold, const std::vector<Event>& recent)
    {
        std::vector<const Event*> left;
        for (const auto& e : recent)
            left.push_back(&e);
        while (!left.empty()) {
            auto next = std::find_if(left.begin(), left.end(), [&](const Event* e) {
                return std::none_of(left.begin(), left.end(), [&](const Event* other) {
                    return other != e
                        && ((other->origin == e->origin && other->seq < e->seq)
                            || std::find(e->heads.begin(), e->heads.end(), other->id()) != e->heads.end());
                });
            });
            if (next == left.end() || !model::foldOnto(fold, **next))
                return false;
            left.erase(next);
        }
        return true;
    }

    // Whether two states of a case give the same search terms (the applicant's and agent's
    // names, ID numbers and phones).
    static bool sameTerms(const model::Applicant& a, const model::Applicant& b)
    {
        const auto same = [](const auto& x, const auto& y) {
            return x.name == y.name && x.idNumber == y.idNumber && x.phone == y.phone;
        };
        return same(a, b) && a.agent.has_value() == b.agent.has_value()
            && (!a.agent || same(*a.agent, *b.agent));
    }

    // A kept fold of `number` advanced by `recent` when the stored state (`stored`, absent
    // when the case has no row) is still the kept one: its row queued (an upsert), and its
    // search terms too when they changed (`termsChanged`; the caller deletes the old ones).
    // False: project the case from its events.
    bool projectOntoKept(const std::string& number, const std::vector<Event>& recent,
        const std::optional<std::string>& stored, PendingRows& out, bool& termsChanged)
    {
        KeptFold* kept = keptFold(number);
        if (!kept)
            return false;
        if (!stored || *stored != kept->stateText) {
            forgetFold(number);
            return false;
        }
        const model::Applicant before = kept->fold.state.applicant;
        if (!foldBatchOnto(kept->fold, recent)) {
            forgetFold(number);
            return false;
        }
        termsChanged = !sameTerms(before, kept->fold.state.applicant);
        kept->stateText = projectState(number, kept->fold.state, out, termsChanged);
        if (kept->stateText.empty())
            forgetFold(number);
        return true;
    }

    // One case's part of a batch's projection on SQLite (projectCasesLocally).
    struct CaseJob {
        std::string number;
        std::vector<Event> recent; // the case's events in this batch
        KeptFold* kept = nullptr; // a kept fold still matching the stored row, to fold onto
        std::vector<Event> earlier; // else: the case's events stored before this batch
        bool known = false; // it had some: its rows are replaced
        bool refold = false; // folded from all its events (not onto a kept fold)
        bool termsChanged = true;
        model::FoldedCase fold; // a refold's result, kept afterwards
        std::string text; // the row's state text; "" when the case gets no row
        PendingRows rows;
    };

    // Reads the events of a job's case stored before this batch, for a whole fold.
    void readEarlier(CaseJob& job, long long firstArrival)
    {
        CaseWriter& w = caseWriter();
        w.number = job.number;
        w.before = firstArrival;
        job.kept = nullptr;
        job.refold = true;
        job.earlier.clear();
        w.selectEvents->execute();
        while (w.selectEvents->fetch())
            job.earlier.push_back(Event::fromDocument(Json::parse(w.doc), false));
        // A case seen for the first time has no rows to replace (the common case at intake).
        job.known = !job.earlier.empty();
    }

    // Folds a job's case and queues its rows; touches only the job and its kept fold, no
    // database, so it runs while the batch's event rows are inserted. False: its events
    // did not fold onto the kept fold, which is then half advanced (forget it and fold the
    // case whole).
    bool foldJob(CaseJob& job) const
    {
        if (!job.refold) {
            // Until the batch's rows are written (projectCasesLocally sets the new text) the
            // advanced fold matches no stored row: a batch that fails leaves it unused.
            job.kept->stateText.clear();
            const model::Applicant before = job.kept->fold.state.applicant;
            if (!foldBatchOnto(job.kept->fold, job.recent))
                return false;
            job.termsChanged = !sameTerms(before, job.kept->fold.state.applicant);
            job.text = projectState(job.number, job.kept->fold.state, job.rows, job.termsChanged);
            return true;
        }
        std::vector<Event> events = std::move(job.earlier);
        events.insert(events.end(), std::make_move_iterator(job.recent.begin()),
            std::make_move_iterator(job.recent.end()));
        job.fold = model::foldCaseKeeping(std::move(events));
        job.text = projectState(job.number, job.fold.state, job.rows);
        return true;
    }

    // The cases of a batch (their events in it, by case) projected on SQLite: each case's
    // stored state or earlier events read; then the cases folded and turned into rows,
    // which touches no database, while `alongside` (the batch's event rows being inserted)
    // runs on another thread; then the replaced rows deleted and the folds kept. A case
    // whose kept fold still matches its row (nobody wrote it since: the text holds its
    // heads and event count) gets this batch's events folded onto it, its row updated in
    // place and its search terms rewritten only when they changed; any other is folded
    // from all its events. Statements are prepared once per session: no round trips to save.
    void projectCasesLocally(std::map<std::string, std::vector<Event>>& cases, long long firstArrival,
        PendingRows& out, const std::function<void()>& alongside)
    {
        std::vector<CaseJob> jobs(cases.size());
        std::size_t i = 0;
        CaseWriter& w = caseWriter();
        for (auto& [number, recent] : cases) {
            CaseJob& job = jobs[i++];
            job.number = number;
            job.recent = std::move(recent);
            if (KeptFold* kept = keptFold(number)) {
                // Read to the end, which ends SQLite's statement (an unfinished one would
                // keep its read snapshot open).
                w.number = number;
                std::optional<std::string> stored;
                w.selectState->execute();
                while (w.selectState->fetch())
                    if (w.stateIndicator == soci::i_ok)
                        stored = w.state;
                if (stored && *stored == kept->stateText) {
                    job.kept = kept;
                    continue;
                }
                forgetFold(number);
            }
            readEarlier(job, firstArrival);
        }
        std::vector<char> done(jobs.size(), 0);
        {
            // Joined before anything else touches the connection, also when folding throws
            // (the future's destructor waits).
            std::future<void> inserting;
            if (alongside)
                inserting = std::async(std::launch::async, alongside);
            for (std::size_t k = 0; k < jobs.size(); ++k)
                done[k] = foldJob(jobs[k]) ? 1 : 0;
            if (inserting.valid())
                inserting.get();
        }
        for (std::size_t k = 0; k < jobs.size(); ++k) {
            if (done[k])
                continue;
            forgetFold(jobs[k].number);
            readEarlier(jobs[k], firstArrival);
            foldJob(jobs[k]);
        }
        // Folds onto kept ones first: keeping the refolds may push other kept folds out.
        for (auto& job : jobs) {
            w.number = job.number;
            if (!job.refold) {
                // The row is updated in place (the state was there: it was compared),
                // unless the case no longer gets one.
                job.kept->stateText = job.text;
                if (job.text.empty()) {
                    forgetFold(job.number);
                    w.deleteCase->execute(true);
                }
                if (job.termsChanged)
                    w.deleteTerms->execute(true);
            } else if (job.known) {
                w.deleteCase->execute(true);
                w.deleteTerms->execute(true);
            }
            for (auto list : {&PendingRows::cases, &PendingRows::terms, &PendingRows::facts})
                std::move((job.rows.*list).begin(), (job.rows.*list).end(), std::back_inserter(out.*list));
        }
        for (auto& job : jobs)
            if (job.refold)
                keepFold(job.number, std::move(job.fold), std::move(job.text));
    }

    // Folds a case's events and queues its row and search terms (old rows already gone).
    void projectFolded(const std::string& number, std::vector<Event> events, PendingRows& out) const
    {
        projectState(number, model::foldCase(std::move(events)), out);
    }

    // Queues a folded case's row, facts and search terms (old rows already gone); returns
    // the row's state text, "" when the case gets no row (its opening has not arrived).
    std::string projectState(
        const std::string& number, const model::CaseState& s, PendingRows& out, bool withTerms = true) const
    {
        if (s.status == model::CaseStatus::None)
            return {}; // events of a case whose opening has not arrived: nothing to list yet
        CaseRow row = rowFor(s);
        out.cases.push_back({number, row.status, row.centre, row.currentCentre, row.name, row.maskedId,
            row.maskedPhone, row.assignee, row.opened, row.accepted, row.deadline,
            std::to_string(row.conflict), row.state});
        out.facts.push_back(factRow(s));
        if (!withTerms)
            return row.state;
        // The case number itself is found through the cases table's primary key.
        std::set<std::pair<std::string, std::string>> terms;
        auto add = [&](const char* kind, const std::string& term) {
            if (!term.empty() && terms.emplace(kind, term).second)
                out.terms.push_back({kind, term, number});
        };
        add("name", s.applicant.name);
        add("id", idTerm(s.applicant.idNumber));
        add("phone", s.applicant.phone);
        if (s.applicant.agent) {
            add("name", s.applicant.agent->name);
            add("id", idTerm(s.applicant.agent->idNumber));
            add("phone", s.applicant.agent->phone);
        }
        return row.state;
    }

    void projectReference(const Event& e)
    {
        if (model::isTicketEventType(e.type))
            return projectTicket(e);
        std::string key = versionKey(e);
        if (e.type == "staff.put" || e.type == "staff.password") {
            std::string id = e.body.getString("id");
            std::string storedKey;
            soci::indicator ind = soci::i_null;
            sql << "SELECT version_key FROM staff WHERE id = :i", soci::use(id), soci::into(storedKey, ind);
            bool exists = sql.got_data();
            if (exists && storedKey >= key)
                return;
            if (e.type == "staff.password") {
                if (!exists)
                    return;
                std::string hash = e.body.getString("passwordHash");
                sql << "UPDATE staff SET password_hash = :h, version_key = :k WHERE id = :i", soci::use(hash),
                    soci::use(key), soci::use(id);
                return;
            }
            std::string name = e.body.getString("name");
            std::string roles;
            if (const Json* r = e.body.get("roles"); r && r->isArray())
                for (const auto& x : r->asArray())
                    if (x.isString())
                        roles += (roles.empty() ? "" : ",") + x.asString();
            std::string centreCode = e.body.getString("centre");
            int active = e.body.getBool("active", true) ? 1 : 0;
            std::string hash = e.body.getString("passwordHash");
            if (exists) {
                if (hash.empty())
                    sql << "SELECT password_hash FROM staff WHERE id = :i", soci::use(id), soci::into(hash);
                sql << "DELETE FROM staff WHERE id = :i", soci::use(id);
            }
            sql << "INSERT INTO staff (id, name, roles, centre, active, password_hash, version_key)"
                   " VALUES (:i, :n, :r, :c, :a, :h, :k)",
                soci::use(id), soci::use(name), soci::use(roles), soci::use(centreCode), soci::use(active),
                soci::use(hash), soci::use(key);
        } else if (e.type == "catalogue.matter" || e.type == "catalogue.bundle" || e.type == "centre.category"
            || e.type == "centre.window") {
            // Reference data keyed by kind and code; the kind is the type's last word.
            std::string kind = e.type.substr(e.type.find('.') + 1);
            std::string code = e.body.getString("code");
            std::string storedKey;
            soci::indicator ind = soci::i_null;
            sql << "SELECT version_key FROM catalogue_items WHERE kind = :k AND code = :c", soci::use(kind),
                soci::use(code), soci::into(storedKey, ind);
            bool exists = sql.got_data();
            if (exists && storedKey >= key)
                return;
            std::string doc = e.body.canonical();
            if (exists)
                sql << "DELETE FROM catalogue_items WHERE kind = :k AND code = :c", soci::use(kind),
                    soci::use(code);
            sql << "INSERT INTO catalogue_items (kind, code, doc, version_key) VALUES (:k, :c, :d, :v)",
                soci::use(kind), soci::use(code), soci::use(doc), soci::use(key);
        }
    }

    // PostgreSQL, where every statement is a round trip: the earlier events of all the
    // batch's cases in one query a chunk, the rows of the cases already listed deleted
    // likewise, then each case folded as projectCasesLocally does.
    void projectCasesInBulk(
        std::map<std::string, std::vector<Event>>& cases, long long firstArrival, PendingRows& out)
    {
        // Cases with a kept fold: their stored states in one query a chunk, and those still
        // as kept get this batch's events folded on.
        std::vector<std::string> withKept;
        for (const auto& entry : cases)
            if (keptFolds.count(entry.first))
                withKept.push_back(entry.first);
        std::map<std::string, std::string> storedStates;
        for (std::size_t start = 0; start < withKept.size(); start += kInChunk) {
            const std::size_t n = std::min(kInChunk, withKept.size() - start);
            std::string number, state;
            soci::statement st(sql);
            prepareOnce(st, "SELECT number, state FROM cases WHERE number IN " + inList(n));
            st.exchange(soci::into(number));
            st.exchange(soci::into(state));
            for (std::size_t i = 0; i < n; ++i)
                st.exchange(soci::use(withKept[start + i]));
            st.define_and_bind();
            st.execute();
            while (st.fetch())
                storedStates.emplace(number, state);
        }
        std::vector<std::string> known; // cases whose rows are replaced, search terms and all
        std::vector<std::string> newTerms; // cases folded on whose search terms changed
        std::set<std::string> folded;
        for (const auto& number : withKept) {
            auto stored = storedStates.find(number);
            bool termsChanged = true;
            if (projectOntoKept(number, cases[number],
                    stored == storedStates.end() ? std::nullopt : std::optional<std::string>(stored->second),
                    out, termsChanged)) {
                folded.insert(number);
                if (!keptFolds.count(number))
                    known.push_back(number); // no row any more
                else if (termsChanged)
                    newTerms.push_back(number);
            }
        }
        std::vector<std::string> numbers;
        numbers.reserve(cases.size());
        for (const auto& entry : cases)
            if (!folded.count(entry.first))
                numbers.push_back(entry.first);
        std::map<std::string, std::vector<Event>> earlier;
        for (std::size_t start = 0; start < numbers.size(); start += kInChunk) {
            const std::size_t n = std::min(kInChunk, numbers.size() - start);
            std::string number, doc;
            long long before = firstArrival;
            soci::statement st(sql);
            prepareOnce(st,
                "SELECT case_number, doc FROM events WHERE arrival < :a AND case_number IN " + inList(n)
                    + " ORDER BY case_number, arrival");
            st.exchange(soci::into(number));
            st.exchange(soci::into(doc));
            st.exchange(soci::use(before));
            for (std::size_t i = 0; i < n; ++i)
                st.exchange(soci::use(numbers[start + i]));
            st.define_and_bind();
            st.execute();
            while (st.fetch())
                earlier[number].push_back(Event::fromDocument(Json::parse(doc), false));
        }
        // A case seen for the first time has no rows to replace (the common case at intake).
        for (const auto& entry : earlier)
            known.push_back(entry.first);
        std::vector<std::string> oldTerms = known;
        oldTerms.insert(oldTerms.end(), newTerms.begin(), newTerms.end());
        for (const auto& [head, list] : {std::pair<std::string, const std::vector<std::string>*>{
                                             "DELETE FROM cases WHERE number IN ", &known},
                 {"DELETE FROM search_terms WHERE case_number IN ", &oldTerms}}) {
            for (std::size_t start = 0; start < list->size(); start += kInChunk) {
                const std::size_t n = std::min(kInChunk, list->size() - start);
                soci::statement st(sql);
                prepareOnce(st, head + inList(n));
                for (std::size_t i = 0; i < n; ++i)
                    st.exchange(soci::use((*list)[start + i]));
                st.define_and_bind();
                st.execute(true);
            }
        }
        for (auto& [number, recent] : cases) {
            if (folded.count(number))
                continue;
            std::vector<Event> events;
            if (auto it = earlier.find(number); it != earlier.end())
                events = std::move(it->second);
            events.insert(
                events.end(), std::make_move_iterator(recent.begin()), std::make_move_iterator(recent.end()));
            model::FoldedCase fold = model::foldCaseKeeping(std::move(events));
            std::string text = projectState(number, fold.state, out);
            keepFold(number, std::move(fold), std::move(text));
        }
    }

    // Appends under this store's origin inside the caller's transaction.
    std::vector<Event> appendInTx(const std::vector<model::NewEvent>& events)
    {
        syncClock();
        long long count = static_cast<long long>(events.size());
        // The origin's counter row: gap-free and in commit order even when several
        // writers share this origin on PostgreSQL (a SEQUENCE is neither).
        sql << "INSERT INTO origins (origin, last_seq, last_hash) VALUES (:o, 0, '') ON CONFLICT DO NOTHING",
            soci::use(origin);
        sql << "UPDATE origins SET last_seq = last_seq + :n WHERE origin = :o", soci::use(count),
            soci::use(origin);
        long long lastSeq = 0;
        std::string prev;
        sql << "SELECT last_seq, last_hash FROM origins WHERE origin = :o", soci::use(origin),
            soci::into(lastSeq), soci::into(prev);
        const long long firstArrival = nextArrival(count);
        std::vector<Event> batch;
        std::vector<std::string> docs;
        long long seq = lastSeq - count;
        for (const auto& n : events) {
            Event e;
            e.origin = origin;
            e.seq = ++seq;
            e.hlc = clock.tick();
            e.type = n.type;
            e.caseNumber = n.caseNumber;
            e.actor = n.actor;
            e.heads = n.heads;
            e.prev = prev;
            e.body = n.body;
            docs.push_back(e.sealDocument());
            prev = e.hash;
            batch.push_back(std::move(e));
        }
        insertEvents(batch, firstArrival, &docs);
        sql << "UPDATE origins SET last_hash = :h WHERE origin = :o", soci::use(prev), soci::use(origin);
        setMeta("hlc", std::to_string(clock.highWater()));
        project(batch, firstArrival);
        return batch;
    }

    // A projected row's `state` column as a model value (Ticket, Evaluation): one row by
    // id, or the rows `where` (with its ORDER BY) selects.
    template<class T> std::optional<T> loadState(const char* table, const std::string& id) const
    {
        std::string state;
        sql << std::string("SELECT state FROM ") + table + " WHERE id = :i", soci::use(id), soci::into(state);
        if (!sql.got_data())
            return std::nullopt;
        return T::fromJson(Json::parse(state));
    }

    template<class T>
    std::vector<T> statesWhere(
        const char* table, const std::string& where, const std::vector<std::string>& params) const
    {
        std::vector<T> out;
        std::string state;
        soci::statement st(sql);
        st.alloc();
        st.prepare(std::string("SELECT state FROM ") + table + " WHERE " + where);
        st.exchange(soci::into(state));
        for (const auto& p : params)
            st.exchange(soci::use(p));
        st.define_and_bind();
        st.execute();
        while (st.fetch())
            out.push_back(T::fromJson(Json::parse(state)));
        return out;
    }

    std::optional<model::Ticket> loadTicket(const std::string& id) const
    {
        if (!isKeyText(id))
            return std::nullopt;
        return loadState<model::Ticket>("tickets", id);
    }

    std::vector<model::Ticket> ticketsWhere(
        const std::string& where, const std::vector<std::string>& params) const
    {
        return statesWhere<model::Ticket>("tickets", where + " ORDER BY issued_at, category, number", params);
    }

    // A ticket event applied to the ticket's row, in arrival order.
    void projectTicket(const Event& e)
    {
        const std::string id = e.body.getString("ticket");
        if (id.empty() || version < 4)
            return; // an older schema keeps them as events only, projected when it migrates
        std::optional<model::Ticket> before = loadTicket(id);
        if (!before && e.type != model::TicketEvent::Issued)
            return; // a change of a ticket this node never saw issued
        model::Ticket t = before ? model::applyTicketEvent(*before, e) : model::ticketFromIssued(e);
        if (before)
            sql << "DELETE FROM tickets WHERE id = :i", soci::use(id);
        std::string day = t.day.iso(), status = model::toString(t.status),
                    priority = model::toString(t.priority), state = t.toJson().canonical();
        long long number = t.number, walkIn = t.walkIn ? 1 : 0, issued = t.issuedAt, queued = t.queuedAt,
                  first = t.firstCalledAt, ended = t.endedAt, waiting = t.waitingMs, serving = t.servingMs;
        sql << "INSERT INTO tickets (id, day, category, issued_category, number, status, priority, "
               "service_window, staff,"
               " target_window, target_staff, case_number, walk_in, issued_at, queued_at, first_called_at,"
               " ended_at, waiting_ms, serving_ms, state) VALUES (:id, :day, :cat, :icat, :num, :st, :pr, "
               ":win, :staff,"
               " :tw, :ts, :cn, :wi, :ia, :qa, :fc, :ea, :wm, :sm, :state)",
            soci::use(t.id), soci::use(day), soci::use(t.category), soci::use(t.issuedCategory),
            soci::use(number), soci::use(status), soci::use(priority), soci::use(t.window),
            soci::use(t.staff), soci::use(t.targetWindow), soci::use(t.targetStaff), soci::use(t.caseNumber),
            soci::use(walkIn), soci::use(issued), soci::use(queued), soci::use(first), soci::use(ended),
            soci::use(waiting), soci::use(serving), soci::use(state);
    }

    // `events` arrived as one batch numbered from `firstArrival`. `alongside` (SQLite only:
    // receive inserts the batch's event rows with it) runs while the batch's cases are
    // folded; nothing projected here reads this batch's rows.
    void project(
        std::vector<Event> events, long long firstArrival, const std::function<void()>& alongside = {})
    {
        // Ratings and follow-ups first, which read no other projection, while `events` still
        // holds them all in arrival order; the cases' events are then moved into their groups.
        projectEvaluations(events, firstArrival);
        std::map<std::string, std::vector<Event>> cases;
        for (auto& e : events) {
            if (!e.caseNumber.empty())
                cases[e.caseNumber].push_back(std::move(e));
            else if (e.type.rfind("evaluation.", 0) != 0)
                projectReference(e);
        }
        events.clear();
        PendingRows pending;
        if (info.backend == Backend::Postgres) {
            if (alongside)
                throw std::logic_error("project: rows alongside the fold are for SQLite only");
            projectCasesInBulk(cases, firstArrival, pending);
        } else {
            projectCasesLocally(cases, firstArrival, pending, alongside);
        }
        flush(pending);
    }

    // Every rating and follow-up again, in arrival order (rebuilds and migrations).
    void replayEvaluations()
    {
        projectEvaluations(eventsWhere("type = :t OR type LIKE 'evaluation.%'", "case.evaluated"), 0);
    }

    std::optional<model::Evaluation> loadEvaluation(const std::string& id) const
    {
        if (!isKeyText(id))
            return std::nullopt;
        return loadState<model::Evaluation>("evaluations", id);
    }

    std::vector<model::Evaluation> evaluationsWhere(
        const std::string& where, const std::vector<std::string>& params) const
    {
        return statesWhere<model::Evaluation>("evaluations", where, params);
    }

    void saveEvaluation(const model::Evaluation& v, bool replace)
    {
        if (replace)
            sql << "DELETE FROM evaluations WHERE id = :i", soci::use(v.id);
        std::string day = v.day.iso(), due = v.needsFollowUp() ? v.followUpDue.iso() : std::string(),
                    state = v.toJson().canonical();
        long long at = v.at, level = v.level, open = v.followUpOpen() ? 1 : 0;
        sql << "INSERT INTO evaluations (id, day, at_ms, case_number, ticket, staff, service_window, level,"
               " channel, follow_up_open, follow_up_due, state) VALUES (:id, :day, :at, :cn, :t, :s, :w, :l,"
               " :ch, :o, :due, :state)",
            soci::use(v.id), soci::use(day), soci::use(at), soci::use(v.caseNumber), soci::use(v.ticket),
            soci::use(v.staff), soci::use(v.window), soci::use(level), soci::use(v.channel), soci::use(open),
            soci::use(due), soci::use(state);
    }

    // Ratings first, then their follow-ups in arrival order: a batch received from several
    // origins may hold a follow-up ahead of the rating it follows. A follow-up whose rating
    // has not arrived at all waits in evaluation_orphans and is applied when it comes.
    // `firstArrival`: the arrival number of events[0] (the rest follow in order).
    void projectEvaluations(const std::vector<Event>& events, long long firstArrival)
    {
        if (version < 4)
            return; // an older schema keeps them as events only, projected when it migrates
        for (const auto& e : events) {
            if (!model::isEvaluationEvent(e) || loadEvaluation(e.id()))
                continue;
            model::Evaluation v = model::evaluationFromEvent(e);
            const std::string id = v.id;
            std::vector<std::string> waiting;
            {
                std::string orphan;
                soci::statement st
                    = (sql.prepare << "SELECT event_id FROM evaluation_orphans WHERE evaluation = :e"
                                      " ORDER BY arrival",
                        soci::use(id), soci::into(orphan));
                st.execute();
                while (st.fetch())
                    waiting.push_back(orphan);
            }
            for (const auto& orphanId : waiting) {
                std::string doc;
                sql << "SELECT doc FROM events WHERE id = :i", soci::use(orphanId), soci::into(doc);
                if (sql.got_data())
                    v = model::applyFollowUp(std::move(v), Event::fromDocument(Json::parse(doc), false));
                sql << "DELETE FROM evaluation_orphans WHERE event_id = :i", soci::use(orphanId);
            }
            saveEvaluation(v, false);
        }
        for (std::size_t i = 0; i < events.size(); ++i) {
            const Event& e = events[i];
            if (e.type != model::EvaluationEvent::FollowUp)
                continue;
            const std::string rating = e.body.getString("evaluation");
            auto v = loadEvaluation(rating);
            if (!v) {
                const std::string id = e.id();
                long long arrival = firstArrival + static_cast<long long>(i);
                sql << "INSERT INTO evaluation_orphans (event_id, evaluation, arrival) VALUES (:i, :e, :a)"
                       " ON CONFLICT DO NOTHING",
                    soci::use(id), soci::use(rating), soci::use(arrival);
                logger()->info("follow-up {} waits for its rating {}", id, rating);
                continue;
            }
            saveEvaluation(model::applyFollowUp(std::move(*v), e), true);
        }
    }

    std::vector<CaseSummary> summaries(const std::string& query, const std::vector<std::string>& params,
        long long limit, long long offset) const
    {
        std::vector<CaseSummary> out;
        CaseSummary row;
        int conflict = 0;
        soci::statement st(sql);
        st.alloc();
        st.prepare("SELECT c.number, c.status, c.applicant_name, c.masked_id, c.masked_phone, c.assignee,"
                   " c.opened_on, c.accepted_on, c.deadline, c.in_conflict "
            + query + " LIMIT :limit OFFSET :offset");
        st.exchange(soci::into(row.number));
        st.exchange(soci::into(row.status));
        st.exchange(soci::into(row.applicantName));
        st.exchange(soci::into(row.maskedId));
        st.exchange(soci::into(row.maskedPhone));
        st.exchange(soci::into(row.assignee));
        st.exchange(soci::into(row.openedOn));
        st.exchange(soci::into(row.acceptedOn));
        st.exchange(soci::into(row.deadline));
        st.exchange(soci::into(conflict));
        for (const auto& p : params)
            st.exchange(soci::use(p));
        st.exchange(soci::use(limit));
        st.exchange(soci::use(offset));
        st.define_and_bind();
        st.execute();
        while (st.fetch()) {
            row.inConflict = conflict != 0;
            out.push_back(row);
        }
        return out;
    }
};

Store::Store(std::unique_ptr<Impl> impl)
    : m_impl(std::move(impl))
{
}
Store::~Store() = default;

std::unique_ptr<Store> Store::open(const std::string& connectionString, const OpenOptions& options)
{
    ConnectionInfo info = ConnectionInfo::parse(connectionString);
    auto impl = std::make_unique<Impl>(options.clock ? options.clock : model::systemPhysicalClock());
    impl->info = info;
    int target = options.targetVersion > 0 ? options.targetVersion : currentSchemaVersion();
    try {
        if (info.backend == Backend::Sqlite) {
            std::filesystem::path path = info.sqlitePath();
            if (path != ":memory:") {
                if (!std::filesystem::exists(path)) {
                    if (!options.create)
                        throw DomainError("db.not_found", {{"path", path.string()}});
                    if (path.has_parent_path())
                        std::filesystem::create_directories(path.parent_path());
                }
            }
            impl->sql.open(soci::sqlite3, "db=" + path.string());
            // WAL with synchronous=FULL: an acknowledged event survives power loss.
            impl->sql << "PRAGMA busy_timeout = 10000";
            impl->sql << "PRAGMA journal_mode = WAL";
            impl->sql << "PRAGMA synchronous = FULL";
            impl->sql << "PRAGMA foreign_keys = ON";
            // 32 MiB of page cache: large batches and rebuilds stay out of the WAL until commit.
            impl->sql << "PRAGMA cache_size = -32768";
            if (options.walCheckpointPages > 0)
                impl->sql << "PRAGMA wal_autocheckpoint = " + std::to_string(options.walCheckpointPages);
        } else {
            std::string params = info.parameters;
            // Notice an unreachable server within seconds, not minutes.
            if (paramValue(params, "connect_timeout").empty())
                params += " connect_timeout=5";
            if (paramValue(params, "tcp_user_timeout").empty())
                params += " tcp_user_timeout=5000";
            impl->sql.open(soci::postgresql, params);
            std::string encoding;
            impl->sql << "SHOW server_encoding", soci::into(encoding);
            if (encoding != "UTF8")
                throw DomainError("db.not_utf8", {{"encoding", encoding}});
            impl->sql << "SET client_encoding = 'UTF8'";
        }
    } catch (const soci::soci_error& e) {
        throw DomainError("db.unreachable",
            {{"backend", info.backend == Backend::Sqlite ? "sqlite3" : "postgresql"},
                {"database", info.redacted()}, {"reason", safeReason(e)}});
    } catch (const std::filesystem::filesystem_error& e) {
        throw DomainError("db.open_failed", {{"database", info.redacted()}, {"reason", e.code().message()}});
    }

    Impl& d = *impl;
    try {
        Tx tx(d.sql, info.backend);
        if (info.backend == Backend::Postgres)
            d.sql << "SELECT pg_advisory_xact_lock(7438201)"; // one migrator at a time
        int version = 0;
        if (d.tableExists("meta")) {
            std::string v = d.meta("schema_version");
            version = v.empty() ? 0 : std::stoi(v);
        } else if (!options.create) {
            throw DomainError("db.not_initialised", {{"database", info.redacted()}});
        }
        if (version > currentSchemaVersion())
            throw DomainError("db.schema_too_new",
                {{"database", std::to_string(version)}, {"binary", std::to_string(currentSchemaVersion())}});
        if (version < target && version > 0 && !options.migrate)
            throw DomainError("db.schema_too_old",
                {{"database", std::to_string(version)}, {"binary", std::to_string(currentSchemaVersion())}});
        const int from = version;
        for (const auto& m : migrations()) {
            if (m.version <= version || m.version > target)
                continue;
            for (const auto& stmt : info.backend == Backend::Sqlite ? m.sqlite : m.postgres)
                d.sql << stmt;
            if (m.version == 1) {
                d.setMeta("origin", "n" + randomHex(8));
                d.setMeta("search_key", randomHex(32));
                d.setMeta("hlc", "0");
                d.setMeta("centre", "");
            }
            d.setMeta("schema_version", std::to_string(m.version));
            logger()->info("database migrated to schema {} ({})", m.version, m.purpose);
            version = m.version;
        }
        d.version = version;
        d.origin = d.meta("origin");
        // Ticket events a newer node sent before this one knew them: project them now.
        if (from > 0 && from < 4 && version >= 4) {
            for (const auto& e : d.eventsWhere("case_number = :c AND type LIKE 'ticket.%'", std::string()))
                d.projectTicket(e);
            d.replayEvaluations(); // ratings recorded before there was a table for them
            d.projectAllCaseFacts(); // and the reports' facts of the cases already there
        }
        d.centre = d.meta("centre");
        d.searchKey = d.meta("search_key");
        d.syncClock();
        // Pre-release builds packed the clock as 48-bit ms | 16-bit counter; such values
        // are beyond what a JavaScript peer keeps exactly, and decode to the wrong time.
        if (d.clock.highWater() > model::kHlcJsSafeMax)
            throw DomainError("db.clock_layout_old", {{"database", info.redacted()}});
        tx.commit();
    } catch (const soci::soci_error& e) {
        throw DomainError("db.open_failed", {{"database", info.redacted()}, {"reason", safeReason(e)}});
    }
    return std::unique_ptr<Store>(new Store(std::move(impl)));
}

Backend Store::backend() const
{
    return m_impl->info.backend;
}
int Store::schemaVersion() const
{
    return m_impl->version;
}
std::string Store::centre() const
{
    return m_impl->centre;
}
std::string Store::origin() const
{
    return m_impl->origin;
}

void Store::initialise(const std::string& centre)
{
    guarded("initialise", [&] {
        if (!model::isValidCentreCode(centre))
            throw DomainError("db.centre_invalid", {{"centre", centre}});
        Impl& d = *m_impl;
        Tx tx(d.sql, d.info.backend);
        std::string current = d.meta("centre");
        if (!current.empty() && current != centre)
            throw DomainError("db.already_initialised", {{"centre", current}, {"requested", centre}});
        d.setMeta("centre", centre);
        tx.commit();
        d.centre = centre;
    });
}

std::vector<Event> Store::append(const std::vector<model::NewEvent>& events)
{
    if (events.empty())
        return {};
    Impl& d = *m_impl;
    try {
        Tx tx(d.sql, d.info.backend);
        std::vector<Event> batch = d.appendInTx(events);
        tx.commit();
        return batch;
    } catch (const soci::soci_error& e) {
        throw DomainError("db.write_failed", {{"reason", safeReason(e)}});
    }
}

std::size_t Store::receive(std::vector<Event> events)
{
    for (const auto& e : events)
        if (!e.hashValid())
            throw DomainError("event.invalid", {{"field", "hash"}, {"reason", "mismatch"}, {"id", e.id()}});
    return receive(std::move(events), {});
}

std::size_t Store::receive(
    std::vector<Event> events, std::vector<std::string> docs, std::vector<RefusedEvent>* refused)
{
    if (!docs.empty() && docs.size() != events.size())
        throw std::invalid_argument("Store::receive: one document text per event");
    for (const auto& e : events) {
        // Indexed as text columns, which PostgreSQL would cut at a NUL (another case's row).
        for (const auto& [field, text] : {std::pair<const char*, const std::string*>{"type", &e.type},
                 {"case", &e.caseNumber}, {"actor", &e.actor}})
            if (text->find('\0') != std::string::npos)
                throw DomainError("event.invalid", {{"field", field}, {"reason", "nul"}, {"id", e.id()}});
    }
    Impl& d = *m_impl;
    try {
        Tx tx(d.sql, d.info.backend);
        // The clock's high-water mark as stored, which another connection (owctl, a client)
        // may have moved on since: it is written back below and must never go backwards.
        d.syncClock();
        // Candidates: what this batch brings that is not stored yet, plus everything held
        // before (its predecessor may be in this batch), each with its document text.
        struct Candidate {
            Event event;
            std::string doc;
            bool wasHeld = false;
        };
        std::map<std::pair<std::string, long long>, Candidate> candidates;
        // An event of this batch under the id of a held one, with another hash: it takes the
        // held one's place if, when their turn comes, it chains and the held one does not;
        // otherwise it is a collision.
        std::map<std::pair<std::string, long long>, Candidate> rivals;
        {
            std::string doc;
            soci::statement st = (d.sql.prepare << "SELECT doc FROM held_events", soci::into(doc));
            st.execute();
            while (st.fetch()) {
                Event e = Event::fromDocument(Json::parse(doc), false);
                auto key = std::make_pair(e.origin, static_cast<long long>(e.seq));
                candidates.try_emplace(std::move(key), Candidate{std::move(e), doc, true});
            }
        }
        std::vector<std::string> ids;
        ids.reserve(events.size());
        for (const auto& e : events)
            ids.push_back(e.id());
        const auto stored = d.storedHashes(ids);
        const auto refuse = [&](const std::string& id, const char* reason) {
            if (!refused)
                throw DomainError(std::string("event.") + reason, {{"id", id}});
            refused->push_back({id, reason});
        };
        for (std::size_t i = 0; i < events.size(); ++i) {
            Event& e = events[i];
            const std::string& id = ids[i];
            if (auto have = stored.find(id); have != stored.end()) {
                if (have->second != e.hash)
                    refuse(id, "id_collision");
                continue;
            }
            auto key = std::make_pair(e.origin, static_cast<long long>(e.seq));
            if (auto it = candidates.find(key); it != candidates.end()) {
                const auto rival = rivals.find(key);
                if (it->second.event.hash == e.hash
                    || (rival != rivals.end() && rival->second.event.hash == e.hash))
                    continue;
                if (it->second.wasHeld && rival == rivals.end()) {
                    std::string doc = docs.empty() ? e.documentText() : std::move(docs[i]);
                    rivals.emplace(std::move(key), Candidate{std::move(e), std::move(doc), false});
                } else {
                    refuse(id, "id_collision");
                }
                continue;
            }
            // Only this store writes under its own origin: one it does not hold is forged.
            if (refused && e.origin == d.origin) {
                refuse(id, "own_origin");
                continue;
            }
            std::string doc = docs.empty() ? e.documentText() : std::move(docs[i]);
            candidates.emplace(std::move(key), Candidate{std::move(e), std::move(doc), false});
        }
        events.clear();
        docs.clear();
        // Each origin's events apply in sequence, each only after its predecessor: a gap,
        // a broken chain or a clock too far ahead holds it (and those after it) instead.
        std::vector<Event> apply;
        std::vector<std::string> applyDocs;
        std::vector<std::pair<Candidate, std::string>> hold; // candidate, reason
        std::vector<std::string> released; // held before, applied now
        std::string origin;
        long long expected = 0;
        std::string lastHash;
        std::string blockedBy;
        for (auto& [key, c] : candidates) {
            Event& e = c.event;
            if (key.first != origin) {
                origin = key.first;
                long long last = 0;
                std::string hash;
                soci::indicator ind = soci::i_null;
                d.sql << "SELECT last_seq, last_hash FROM origins WHERE origin = :o", soci::use(origin),
                    soci::into(last), soci::into(hash, ind);
                expected = d.sql.got_data() ? last + 1 : 1;
                lastHash = d.sql.got_data() ? hash : std::string();
                blockedBy.clear();
            }
            std::string reason = blockedBy;
            if (reason.empty() && e.seq == expected && e.prev != lastHash) {
                // A held event that does not chain gives way to one under its id that does
                // (the other was damaged or forged); its held row is replaced below.
                if (auto r = rivals.find(key); r != rivals.end() && r->second.event.prev == lastHash) {
                    logger()->warn("received event {} chains and replaces the held one under its id, which "
                                   "does not (held hash {}, new hash {})",
                        e.id(), e.hash, r->second.event.hash);
                    c.event = std::move(r->second.event);
                    c.doc = std::move(r->second.doc);
                    rivals.erase(r);
                }
            }
            if (reason.empty()) {
                if (e.seq != expected)
                    reason = "missing_predecessor";
                else if (e.prev != lastHash)
                    reason = "chain_mismatch";
                else if (d.clock.tooFarAhead(e.hlc, model::HybridClock::defaultMaxSkewMs))
                    reason = "clock_ahead";
            }
            if (!reason.empty()) {
                blockedBy = reason == "missing_predecessor" ? reason : "missing_predecessor";
                hold.emplace_back(std::move(c), reason);
                continue;
            }
            ++expected;
            lastHash = e.hash;
            if (c.wasHeld)
                released.push_back(e.id());
            applyDocs.push_back(std::move(c.doc));
            apply.push_back(std::move(e));
        }
        for (const auto& [key, rival] : rivals)
            refuse(rival.event.id(), "id_collision"); // the held one chains as well, or neither
        candidates.clear();
        for (auto& id : released)
            d.sql << "DELETE FROM held_events WHERE id = :i", soci::use(id);
        for (auto& [c, reason] : hold) {
            std::string id = c.event.id();
            long long seq = c.event.seq;
            d.sql << "DELETE FROM held_events WHERE id = :i", soci::use(id);
            d.sql << "INSERT INTO held_events (id, origin, seq, reason, doc) VALUES (:i, :o, :s, :r, :d)",
                soci::use(id), soci::use(c.event.origin), soci::use(seq), soci::use(reason), soci::use(c.doc);
        }
        if (!hold.empty())
            logger()->info("holding {} received events (first: {} {})", hold.size(),
                hold.front().first.event.id(), hold.front().second);
        if (apply.empty()) {
            tx.commit();
            return 0;
        }
        const long long firstArrival = d.nextArrival(static_cast<long long>(apply.size()));
        for (std::size_t i = 0; i < apply.size(); ++i) {
            const Event& e = apply[i];
            d.clock.observe(e.hlc);
            // `apply` holds each origin's events together, in sequence: its counter row
            // moves once, to the last of them.
            if (i + 1 < apply.size() && apply[i + 1].origin == e.origin)
                continue;
            long long seq = e.seq;
            d.sql << "INSERT INTO origins (origin, last_seq, last_hash) VALUES (:o, 0, '') ON CONFLICT DO "
                     "NOTHING",
                soci::use(e.origin);
            d.sql << "UPDATE origins SET last_seq = :s, last_hash = :h WHERE origin = :o AND last_seq < :s2",
                soci::use(seq), soci::use(e.hash), soci::use(e.origin), soci::use(seq);
        }
        d.setMeta("hlc", std::to_string(d.clock.highWater()));
        const std::size_t applied = apply.size();
        // A peer's batch on SQLite: its rows go in on another thread while it is folded
        // (project()). A handful of events (a workstation's) is not worth the thread.
        constexpr std::size_t kInsertAlongside = 256;
        if (d.info.backend == Backend::Sqlite && apply.size() >= kInsertAlongside) {
            const std::vector<Impl::EventRow> rows = Impl::eventRows(apply);
            d.project(std::move(apply), firstArrival, [&d, &rows, &applyDocs, firstArrival] {
                d.insertEventsSqlite(rows, firstArrival, applyDocs);
            });
        } else {
            d.insertEvents(apply, firstArrival, &applyDocs);
            applyDocs.clear();
            d.project(std::move(apply), firstArrival);
        }
        tx.commit();
        return applied;
    } catch (const soci::soci_error& e) {
        throw DomainError("db.write_failed", {{"reason", safeReason(e)}});
    }
}

std::vector<HeldEvent> Store::heldEvents() const
{
    return guarded("heldEvents", [&]() -> std::vector<HeldEvent> {
        std::vector<HeldEvent> out;
        std::string id, reason;
        soci::statement st
            = (m_impl->sql.prepare << "SELECT id, reason FROM held_events ORDER BY origin, seq",
                soci::into(id), soci::into(reason));
        st.execute();
        while (st.fetch())
            out.push_back({id, reason});
        return out;
    });
}

std::vector<Event> Store::caseEvents(const std::string& caseNumber) const
{
    return guarded("caseEvents", [&]() -> std::vector<Event> {
        if (!isKeyText(caseNumber))
            return {};
        return m_impl->eventsWhere("case_number = :c", caseNumber);
    });
}

std::optional<model::CaseState> Store::findCase(const std::string& caseNumber) const
{
    return guarded("findCase", [&]() -> std::optional<model::CaseState> {
        // The full state is a fold of the case's events (the projected row holds its JSON).
        auto events = caseEvents(caseNumber);
        if (events.empty())
            return std::nullopt;
        auto state = model::foldCase(std::move(events));
        if (state.status == model::CaseStatus::None)
            return std::nullopt; // its opening has not arrived here yet: not a case to show
        return state;
    });
}

std::vector<Change> Store::changesSince(std::int64_t cursor, std::size_t limit) const
{
    return guarded("changesSince", [&]() -> std::vector<Change> {
        std::vector<Change> out;
        long long arrival = 0;
        std::string doc;
        long long c = cursor;
        long long lim = static_cast<long long>(std::min<std::size_t>(limit, 100000));
        soci::statement st = (m_impl->sql.prepare << "SELECT arrival, doc FROM events WHERE arrival > :c"
                                                     " ORDER BY arrival LIMIT :l",
            soci::use(c), soci::use(lim), soci::into(arrival), soci::into(doc));
        st.execute();
        // This store's own rows, read as its other reads of them are (their hashes are
        // audited by verify()): whoever receives them checks each event's hash itself.
        while (st.fetch())
            out.push_back({arrival, Event::fromDocument(Json::parse(doc), false), doc});
        return out;
    });
}

std::vector<Change> Store::documentsSince(std::int64_t cursor, std::size_t limit) const
{
    return guarded("documentsSince", [&]() -> std::vector<Change> {
        std::vector<Change> out;
        long long arrival = 0;
        long long seq = 0;
        std::string origin, doc;
        long long c = cursor;
        long long lim = static_cast<long long>(std::min<std::size_t>(limit, 100000));
        soci::statement st
            = (m_impl->sql.prepare << "SELECT arrival, origin, seq, doc FROM events WHERE arrival > :c"
                                      " ORDER BY arrival LIMIT :l",
                soci::use(c), soci::use(lim), soci::into(arrival), soci::into(origin), soci::into(seq),
                soci::into(doc));
        st.execute();
        while (st.fetch()) {
            Change change;
            change.arrival = arrival;
            change.event.origin = origin;
            change.event.seq = seq;
            change.doc = std::move(doc);
            out.push_back(std::move(change));
        }
        return out;
    });
}

std::string documentRevision(const std::string& doc)
{
    static const std::string key = "\"_rev\":\"";
    auto p = doc.find(key);
    if (p == std::string::npos)
        return {};
    p += key.size();
    const auto end = doc.find('"', p);
    return end == std::string::npos ? std::string() : doc.substr(p, end - p);
}

namespace {

// Events after `after` in `column`'s order (arrival or id), at most `limit` (and 100,000),
// each with its revision and, when asked, its stored document text.
template<class Key>
std::vector<RawChange> rawRowsAfter(
    soci::session& sql, const char* column, Key after, std::size_t limit, bool withDocs)
{
    std::vector<RawChange> out;
    long long arrival = 0;
    std::string id, doc;
    long long lim = static_cast<long long>(std::min<std::size_t>(limit, 100000));
    soci::statement st = (sql.prepare << "SELECT arrival, id, doc FROM events WHERE " << column << " > :a"
                                      << " ORDER BY " << column << " LIMIT :l",
        soci::use(after), soci::use(lim), soci::into(arrival), soci::into(id), soci::into(doc));
    st.execute();
    while (st.fetch()) {
        RawChange row{arrival, id, documentRevision(doc), {}};
        if (withDocs)
            row.doc = std::move(doc);
        out.push_back(std::move(row));
    }
    return out;
}

} // namespace

std::vector<RawChange> Store::rawChangesSince(std::int64_t cursor, std::size_t limit, bool withDocs) const
{
    return guarded("rawChangesSince", [&]() {
        return rawRowsAfter(m_impl->sql, "arrival", static_cast<long long>(cursor), limit, withDocs);
    });
}

std::map<std::string, std::string> Store::documents(const std::vector<std::string>& ids) const
{
    return guarded("documents", [&]() { return m_impl->eventColumnById(Impl::EventColumn::Doc, ids); });
}

std::vector<RawChange> Store::documentsInIdOrder(
    const std::string& afterId, std::size_t limit, bool withDocs) const
{
    return guarded(
        "documentsInIdOrder", [&]() { return rawRowsAfter(m_impl->sql, "id", afterId, limit, withDocs); });
}

std::map<std::string, std::string> Store::storedHashes(const std::vector<std::string>& ids) const
{
    return guarded("storedHashes", [&]() { return m_impl->storedHashes(ids); });
}

std::int64_t Store::lastArrival() const
{
    long long v = 0;
    m_impl->sql << "SELECT value FROM counters WHERE name = 'arrival'", soci::into(v);
    return v;
}

std::vector<std::string> Store::lacking(const std::vector<std::string>& ids) const
{
    return guarded("lacking", [&]() -> std::vector<std::string> {
        const auto present = m_impl->storedHashes(ids);
        std::vector<std::string> out;
        for (const auto& id : ids)
            if (!present.count(id))
                out.push_back(id);
        return out;
    });
}

std::optional<std::string> Store::setting(const std::string& key) const
{
    return guarded("setting", [&]() -> std::optional<std::string> {
        if (!isKeyText(key))
            return std::nullopt;
        std::string value;
        soci::indicator ind = soci::i_null;
        const std::string k = "setting:" + key;
        m_impl->sql << "SELECT value FROM meta WHERE key = :k", soci::use(k), soci::into(value, ind);
        if (!m_impl->sql.got_data() || ind != soci::i_ok)
            return std::nullopt;
        return value;
    });
}

void Store::setSetting(const std::string& key, const std::string& value)
{
    guarded("setSetting", [&] {
        // Prefixed so that no setting can overwrite the schema version, origin or keys.
        Tx tx(m_impl->sql, m_impl->info.backend);
        m_impl->setMeta("setting:" + key, value);
        tx.commit();
    });
}

std::int64_t Store::countOwnSince(std::int64_t cursor) const
{
    long long n = 0;
    long long c = cursor;
    m_impl->sql << "SELECT COUNT(*) FROM events WHERE arrival > :c AND origin = :o", soci::use(c),
        soci::use(m_impl->origin), soci::into(n);
    return n;
}

std::int64_t Store::eventCount() const
{
    long long v = 0;
    m_impl->sql << "SELECT COUNT(*) FROM events", soci::into(v);
    return v;
}

std::vector<CaseSummary> Store::listCases(
    const std::string& status, std::size_t limit, std::size_t offset) const
{
    return guarded("listCases", [&]() -> std::vector<CaseSummary> {
        if (!isKeyText(status))
            return {};
        long long lim = static_cast<long long>(limit);
        long long off = static_cast<long long>(offset);
        if (status.empty())
            return m_impl->summaries("FROM cases c ORDER BY c.number DESC", {}, lim, off);
        return m_impl->summaries(
            "FROM cases c WHERE c.status = :s ORDER BY c.number DESC", {status}, lim, off);
    });
}

std::int64_t Store::countCases(const std::string& status) const
{
    long long n = 0;
    if (!isKeyText(status))
        return 0;
    if (status.empty())
        m_impl->sql << "SELECT COUNT(*) FROM cases", soci::into(n);
    else
        m_impl->sql << "SELECT COUNT(*) FROM cases WHERE status = :s", soci::use(status), soci::into(n);
    return n;
}

std::vector<CaseSummary> Store::search(const std::string& rawText, std::size_t limit) const
{
    return guarded("search", [&]() -> std::vector<CaseSummary> {
        std::string text = trim(rawText);
        if (text.empty() || !isKeyText(text))
            return {};
        long long lim = static_cast<long long>(limit);
        const std::string join = "FROM search_terms t JOIN cases c ON c.number = t.case_number ";
        std::vector<CaseSummary> out;
        auto addUnique = [&](std::vector<CaseSummary> rows) {
            for (auto& r : rows)
                if (out.size() < limit && std::none_of(out.begin(), out.end(), [&](const CaseSummary& x) {
                        return x.number == r.number;
                    }))
                    out.push_back(std::move(r));
        };
        if (model::CaseNumber::parse(text))
            addUnique(m_impl->summaries("FROM cases c WHERE c.number = :t", {text}, lim, 0));
        if (auto kind = model::guessIdKind(text)) {
            auto check = model::checkId(*kind, text);
            if (check.ok)
                addUnique(m_impl->summaries(
                    join + "WHERE t.kind = 'id' AND t.term = :t ORDER BY t.case_number DESC",
                    {m_impl->idTerm(check.normalized)}, lim, 0));
        }
        bool digits = std::all_of(
            text.begin(), text.end(), [](char ch) { return (ch >= '0' && ch <= '9') || ch == '-'; });
        if (digits)
            addUnique(m_impl->summaries(
                join + "WHERE t.kind = 'phone' AND t.term = :t ORDER BY t.case_number DESC", {text}, lim, 0));
        if (out.size() < limit && !digits) {
            // Prefix of a name: a byte range on the b-tree; U+10FFFF bounds every continuation.
            // Ordered as the index is, so LIMIT stops after 50 rows instead of sorting them all.
            std::string upper = text + "\xF4\x8F\xBF\xBF";
            addUnique(m_impl->summaries(join
                    + "WHERE t.kind = 'name' AND t.term >= :lo AND t.term <= :hi ORDER BY t.term, "
                      "t.case_number",
                {text, upper}, lim, 0));
        }
        return out;
    });
}

std::vector<CaseSummary> Store::workList(const std::string& staff, std::size_t limit) const
{
    return guarded("workList", [&]() -> std::vector<CaseSummary> {
        if (!isKeyText(staff))
            return {};
        return m_impl->summaries(
            "FROM cases c WHERE c.assignee = :a AND c.status NOT IN ('refused', 'withdrawn',"
            " 'terminated', 'delivered', 'closed', 'approved', 'denied')"
            " ORDER BY c.deadline, c.number",
            {staff}, static_cast<long long>(limit), 0);
    });
}

std::vector<CaseSummary> Store::deadlineList(const std::string& until, std::size_t limit) const
{
    return guarded("deadlineList", [&]() -> std::vector<CaseSummary> {
        return m_impl->summaries("FROM cases c WHERE c.deadline <> '' AND c.deadline <= :d AND c.status NOT "
                                 "IN ('refused', 'withdrawn',"
                                 " 'terminated', 'delivered', 'closed', 'approved', 'denied', 'suspended')"
                                 " ORDER BY c.deadline, c.number",
            {until}, static_cast<long long>(limit), 0);
    });
}

std::vector<CaseSummary> Store::conflicts(std::size_t limit) const
{
    return guarded("conflicts", [&]() -> std::vector<CaseSummary> {
        return m_impl->summaries("FROM cases c WHERE c.in_conflict = :f ORDER BY c.number", {"1"},
            static_cast<long long>(limit), 0);
    });
}

std::string Store::stateHash() const
{
    return guarded("stateHash", [&]() -> std::string {
        model::Sha256 h;
        std::string state;
        soci::statement st
            = (m_impl->sql.prepare << "SELECT state FROM cases ORDER BY number", soci::into(state));
        st.execute();
        while (st.fetch()) {
            h.update(state);
            h.update("\n");
        }
        auto digest = h.finish();
        return model::toHex(digest.data(), digest.size());
    });
}

VerifyReport Store::verify() const
{
    return guarded("verify", [&]() -> VerifyReport {
        Impl& d = *m_impl;
        VerifyReport report;
        std::map<std::string, std::vector<std::pair<long long, std::string>>> byOrigin; // seq → hash
        std::map<std::string, std::map<long long, std::string>> prevOf;
        std::set<std::string> caseNumbers;
        {
            std::string id, origin, prev, hash, doc, caseNumber, type, actor;
            long long seq = 0, hlc = 0, arrival = 0, lastArrival = 0;
            std::string lastOrigin;
            soci::statement st
                = (d.sql.prepare << "SELECT id, origin, seq, prev, hash, case_number, doc, hlc, type, actor,"
                                    " arrival FROM events ORDER BY origin, seq",
                    soci::into(id), soci::into(origin), soci::into(seq), soci::into(prev), soci::into(hash),
                    soci::into(caseNumber), soci::into(doc), soci::into(hlc), soci::into(type),
                    soci::into(actor), soci::into(arrival));
            st.execute();
            while (st.fetch()) {
                ++report.events;
                try {
                    Event e = Event::fromDocument(Json::parse(doc));
                    if (e.id() != id || e.hash != hash || e.prev != prev || e.caseNumber != caseNumber
                        || e.seq != seq || e.origin != origin || e.hlc != hlc || e.type != type
                        || e.actor != actor)
                        report.problems.push_back(
                            {"columns_mismatch", id, "indexed columns differ from the document"});
                } catch (const DomainError& err) {
                    report.problems.push_back(
                        {err.fact("reason") == "mismatch" ? "hash_mismatch" : "document_invalid", id,
                            err.what()});
                }
                // An origin's events are applied in sequence, so they arrive in sequence.
                if (origin == lastOrigin && arrival <= lastArrival)
                    report.problems.push_back({"arrival_order", id,
                        "arrived before the event ahead of it in its origin's sequence (reordered)"});
                lastOrigin = origin;
                lastArrival = arrival;
                byOrigin[origin].push_back({seq, hash});
                prevOf[origin][seq] = prev;
                if (!caseNumber.empty())
                    caseNumbers.insert(caseNumber);
            }
        }
        report.origins = static_cast<std::int64_t>(byOrigin.size());
        for (const auto& [origin, list] : byOrigin) {
            long long expected = 1;
            std::string lastHash;
            for (const auto& [seq, hash] : list) {
                if (seq != expected) {
                    report.problems.push_back({"sequence_gap", model::formatEventId(origin, expected),
                        "missing or deleted: seq " + std::to_string(expected)
                            + (seq > expected + 1 ? " to " + std::to_string(seq - 1) : "")});
                    lastHash.clear();
                } else if (seq > 1 && !lastHash.empty() && prevOf[origin][seq] != lastHash) {
                    report.problems.push_back({"chain_broken", model::formatEventId(origin, seq),
                        "prev does not match the hash of seq " + std::to_string(seq - 1)
                            + " (reordered or altered)"});
                }
                lastHash = hash;
                expected = seq + 1;
            }
            long long recorded = 0;
            std::string recordedHash;
            soci::indicator ind = soci::i_null;
            d.sql << "SELECT last_seq, last_hash FROM origins WHERE origin = :o", soci::use(origin),
                soci::into(recorded, ind), soci::into(recordedHash);
            if (!d.sql.got_data() || recorded != list.back().first)
                report.problems.push_back({"origin_counter", origin,
                    "origins.last_seq " + std::to_string(recorded) + " but last event seq "
                        + std::to_string(list.back().first)});
            else if (recordedHash != list.back().second)
                report.problems.push_back({"origin_counter", origin,
                    "origins.last_hash differs from the hash of its last event, seq "
                        + std::to_string(list.back().first) + " (altered or replaced)"});
        }
        {
            // An origin that recorded events but has none left: all of them deleted.
            std::string origin;
            long long recorded = 0;
            soci::statement st = (d.sql.prepare << "SELECT origin, last_seq FROM origins WHERE last_seq > 0",
                soci::into(origin), soci::into(recorded));
            st.execute();
            while (st.fetch())
                if (!byOrigin.count(origin))
                    report.problems.push_back({"origin_counter", origin,
                        "origins.last_seq " + std::to_string(recorded) + " but no event of this origin"});
        }
        // Every stored projection row must equal a fresh fold of its events.
        std::set<std::string> projected;
        {
            std::string number;
            Impl::CaseRow stored;
            soci::statement st
                = (d.sql.prepare << "SELECT number, status, centre, current_centre, applicant_name,"
                                    " masked_id, masked_phone, assignee, opened_on, accepted_on, deadline,"
                                    " in_conflict, state FROM cases",
                    soci::into(number), soci::into(stored.status), soci::into(stored.centre),
                    soci::into(stored.currentCentre), soci::into(stored.name), soci::into(stored.maskedId),
                    soci::into(stored.maskedPhone), soci::into(stored.assignee), soci::into(stored.opened),
                    soci::into(stored.accepted), soci::into(stored.deadline), soci::into(stored.conflict),
                    soci::into(stored.state));
            st.execute();
            std::vector<std::pair<std::string, Impl::CaseRow>> rows;
            while (st.fetch())
                rows.emplace_back(number, stored);
            for (const auto& [n, row] : rows) {
                projected.insert(n);
                ++report.cases;
                std::vector<Event> evs;
                try {
                    evs = d.eventsWhere("case_number = :c", n);
                } catch (const DomainError&) {
                    continue; // already reported above as an invalid document
                }
                if (!(d.rowFor(model::foldCase(std::move(evs))) == row))
                    report.problems.push_back(
                        {"projection_mismatch", n, "stored row differs from a fresh fold"});
            }
        }
        for (const auto& n : caseNumbers)
            if (!projected.count(n))
                report.problems.push_back({"projection_missing", n, "case has events but no projected row"});
        for (const auto& n : projected)
            if (!caseNumbers.count(n))
                report.problems.push_back({"projection_orphan", n, "projected row without events"});
        return report;
    });
}

void Store::rebuildProjections()
{
    guarded("rebuildProjections", [&] {
        Impl& d = *m_impl;
        Tx tx(d.sql, d.info.backend);
        // A rebuild rewrites every projection page in one transaction: give SQLite room to
        // keep them in memory instead of spilling them to the WAL over and over.
        if (d.info.backend == Backend::Sqlite)
            d.sql << "PRAGMA cache_size = -524288";
        for (const auto& index : projectionIndexes())
            d.sql << std::string("DROP INDEX IF EXISTS ") + index.name;
        d.sql << "DELETE FROM cases";
        d.keptFolds.clear();
        d.keptAge.clear();
        d.sql << "DELETE FROM search_terms";
        d.sql << "DELETE FROM staff";
        d.sql << "DELETE FROM catalogue_items";
        d.sql << "DELETE FROM tickets";
        d.sql << "DELETE FROM evaluations";
        d.sql << "DELETE FROM evaluation_orphans";
        d.sql << "DELETE FROM case_facts";
        std::vector<Event> reference = d.eventsWhere("case_number = :c", std::string());
        for (const auto& e : reference)
            if (e.type.rfind("evaluation.", 0) != 0)
                d.projectReference(e);
        // Stream every case's events in (case, arrival) order, a page at a time (PostgreSQL's
        // client would otherwise hold the whole result in memory), folding case by case.
        Impl::PendingRows pending;
        std::string lastCase;
        long long lastArrival = 0;
        // Cases are folded in parallel, a batch at a time: the fold is pure and most of the
        // work; reading and writing stay on this connection.
        using Group = std::pair<std::string, std::vector<std::string>>; // case number, documents
        std::vector<Group> groups;
        auto foldGroups = [&d](std::vector<Group>::iterator from, std::vector<Group>::iterator to) {
            Impl::PendingRows rows;
            for (auto it = from; it != to; ++it) {
                std::vector<Event> events;
                for (const auto& text : it->second)
                    events.push_back(Event::fromDocument(Json::parse(text), false));
                d.projectFolded(it->first, std::move(events), rows);
            }
            return rows;
        };
        auto drain = [&](bool all) {
            // The last group may continue on the next page; keep it unless this is the end.
            std::size_t ready = all ? groups.size() : (groups.empty() ? 0 : groups.size() - 1);
            if (ready < (all ? 1 : 4000))
                return;
            auto mid = groups.begin() + static_cast<std::ptrdiff_t>(ready / 2);
            auto end = groups.begin() + static_cast<std::ptrdiff_t>(ready);
            auto worker = std::async(std::launch::async, foldGroups, groups.begin(), mid);
            Impl::PendingRows second = foldGroups(mid, end);
            Impl::PendingRows first = worker.get();
            for (auto* part : {&first, &second}) {
                std::move(part->cases.begin(), part->cases.end(), std::back_inserter(pending.cases));
                std::move(part->terms.begin(), part->terms.end(), std::back_inserter(pending.terms));
                std::move(part->facts.begin(), part->facts.end(), std::back_inserter(pending.facts));
            }
            groups.erase(groups.begin(), end);
            d.flush(pending);
        };
        const long long page = 20000;
        while (true) {
            std::string number, doc;
            long long arrival = 0;
            long long rows = 0;
            soci::statement st
                = (d.sql.prepare << "SELECT case_number, arrival, doc FROM events WHERE case_number <> ''"
                                    " AND (case_number > :c OR (case_number = :c2 AND arrival > :a))"
                                    " ORDER BY case_number, arrival LIMIT :n",
                    soci::use(lastCase), soci::use(lastCase), soci::use(lastArrival), soci::use(page),
                    soci::into(number), soci::into(arrival), soci::into(doc));
            st.execute();
            while (st.fetch()) {
                if (groups.empty() || groups.back().first != number)
                    groups.emplace_back(number, std::vector<std::string>{});
                groups.back().second.push_back(doc);
                lastCase = number;
                lastArrival = arrival;
                ++rows;
            }
            drain(false);
            if (rows < page)
                break;
        }
        drain(true);
        d.flush(pending);
        d.replayEvaluations();
        for (const auto& index : projectionIndexes())
            d.sql << index.create;
        tx.commit();
        if (d.info.backend == Backend::Sqlite)
            d.sql << "PRAGMA cache_size = -32768";
    });
}

namespace {

// The hall as the planner sees it, read through the locked transaction's connection.
class TxHallReader : public model::HallReader {
public:
    explicit TxHallReader(Store::Impl& d)
        : m_d(d)
    {
    }
    std::optional<model::Ticket> ticket(const std::string& id) override { return m_d.loadTicket(id); }
    std::vector<model::Ticket> unfinished(model::Date day) override
    {
        return m_d.ticketsWhere("day = :d AND status IN ('waiting', 'called', 'parked')", {day.iso()});
    }
    int lastNumber(model::Date day, const std::string& category) override
    {
        int last = 0;
        soci::indicator ind = soci::i_null;
        std::string iso = day.iso();
        m_d.sql << "SELECT MAX(number) FROM tickets WHERE day = :d AND issued_category = :c", soci::use(iso),
            soci::use(category), soci::into(last, ind);
        return ind == soci::i_ok ? last : 0;
    }

private:
    Store::Impl& m_d;
};

} // namespace

std::vector<Event> Store::appendToHall(
    const std::function<std::vector<model::NewEvent>(model::HallReader&)>& plan)
{
    Impl& d = *m_impl;
    try {
        Tx tx(d.sql, d.info.backend);
        // One ticket writer at a time: whoever holds this row decides, and the next one
        // reads the hall as it left it (READ COMMITTED takes a fresh snapshot per statement).
        // SQLite's BEGIN IMMEDIATE has already taken the database's write lock.
        if (d.info.backend == Backend::Postgres)
            d.sql << "SELECT value FROM counters WHERE name = 'hall' FOR UPDATE";
        TxHallReader reader(d);
        std::vector<model::NewEvent> planned = plan(reader);
        if (planned.empty()) {
            tx.commit();
            return {};
        }
        std::vector<Event> batch = d.appendInTx(planned);
        tx.commit();
        return batch;
    } catch (const soci::soci_error& e) {
        throw DomainError("db.write_failed", {{"reason", safeReason(e)}});
    }
}

std::optional<model::Ticket> Store::findTicket(const std::string& id) const
{
    return guarded("findTicket", [&] { return m_impl->loadTicket(id); });
}

std::vector<model::Ticket> Store::hallTickets(model::Date day) const
{
    return guarded("hallTickets", [&] { return m_impl->ticketsWhere("day = :d", {day.iso()}); });
}

std::optional<model::Evaluation> Store::findEvaluation(const std::string& id) const
{
    return guarded("findEvaluation", [&] { return m_impl->loadEvaluation(id); });
}

std::optional<model::Evaluation> Store::evaluationOfTicket(const std::string& ticket) const
{
    return guarded("evaluationOfTicket", [&]() -> std::optional<model::Evaluation> {
        if (ticket.empty() || !isKeyText(ticket))
            return std::nullopt;
        auto found = m_impl->evaluationsWhere("ticket = :t ORDER BY id LIMIT 1", {ticket});
        if (found.empty())
            return std::nullopt;
        return found.front();
    });
}

std::vector<model::Evaluation> Store::openFollowUps() const
{
    return guarded("openFollowUps",
        [&] { return m_impl->evaluationsWhere("follow_up_open = 1 ORDER BY follow_up_due, at_ms, id", {}); });
}

std::vector<model::Evaluation> Store::evaluationsBetween(model::Date from, model::Date to) const
{
    return guarded("evaluationsBetween", [&] {
        return m_impl->evaluationsWhere("day >= :f AND day <= :t ORDER BY at_ms, id", {from.iso(), to.iso()});
    });
}

std::vector<model::Ticket> Store::ticketsBetween(model::Date from, model::Date to) const
{
    return guarded("ticketsBetween", [&] {
        return m_impl->ticketsWhere("day >= :f AND day <= :t", {from.iso(), to.iso()});
    });
}

namespace {

std::optional<model::Date> optionalDate(std::string_view iso)
{
    if (iso.empty())
        return std::nullopt;
    return model::Date::fromIso(iso);
}

// A row of a facts query: its columns by index, as text or as whole numbers.
class FactRow {
public:
    virtual ~FactRow() = default;
    virtual std::string_view text(int column) const = 0;
    virtual long long integer(int column) const = 0;
    std::string string(int column) const { return std::string(text(column)); }
};

// Runs a query with text parameters (given in the order they first appear) and calls
// `onRow` for each row. On SQLite straight through SQLite's API on the session's own
// connection: SOCI's per-value conversions cost several times the scan itself over a
// year's half-million rows. On PostgreSQL through SOCI, a page of rows at a time into
// vectors (one round trip a page, not a row). `integers` marks the integer columns.
void scanFacts(soci::session& sql, Backend backend, const std::string& query,
    const std::vector<std::string>& params, const std::vector<bool>& integers,
    const std::function<void(const FactRow&)>& onRow)
{
    if (backend == Backend::Sqlite) {
        namespace api = ::sqlite_api;
        api::sqlite3* db = static_cast<soci::sqlite3_session_backend*>(sql.get_backend())->conn_;
        api::sqlite3_stmt* raw = nullptr;
        if (api::sqlite3_prepare_v2(db, query.c_str(), -1, &raw, nullptr) != SQLITE_OK)
            throw soci::soci_error(std::string("prepare: ") + api::sqlite3_errmsg(db));
        std::unique_ptr<api::sqlite3_stmt, int (*)(api::sqlite3_stmt*)> st(raw, api::sqlite3_finalize);
        for (std::size_t i = 0; i < params.size(); ++i)
            api::sqlite3_bind_text(raw, static_cast<int>(i + 1), params[i].data(),
                static_cast<int>(params[i].size()),
                static_cast<api::sqlite3_destructor_type>(
                    nullptr)); // SQLITE_STATIC: params outlive the steps
        struct Row : FactRow {
            api::sqlite3_stmt* st = nullptr;
            std::string_view text(int c) const override
            {
                const auto* p = api::sqlite3_column_text(st, c);
                return p ? std::string_view(reinterpret_cast<const char*>(p),
                           static_cast<std::size_t>(api::sqlite3_column_bytes(st, c)))
                         : std::string_view();
            }
            long long integer(int c) const override { return api::sqlite3_column_int64(st, c); }
        } row;
        row.st = raw;
        int rc = 0;
        while ((rc = api::sqlite3_step(raw)) == SQLITE_ROW)
            onRow(row);
        if (rc != SQLITE_DONE)
            throw soci::soci_error(std::string("step: ") + api::sqlite3_errmsg(db));
        return;
    }
    constexpr std::size_t page = 4096;
    std::vector<std::vector<std::string>> texts;
    std::vector<std::vector<long long>> numbers;
    texts.reserve(integers.size()); // the statement holds references into these vectors
    numbers.reserve(integers.size());
    std::vector<std::size_t> slot;
    soci::statement st(sql);
    st.alloc();
    st.prepare(query);
    for (bool isInteger : integers) {
        if (isInteger) {
            slot.push_back(numbers.size());
            numbers.emplace_back(page);
            st.exchange(soci::into(numbers.back()));
        } else {
            slot.push_back(texts.size());
            texts.emplace_back(page);
            st.exchange(soci::into(texts.back()));
        }
    }
    for (const auto& p : params)
        st.exchange(soci::use(p));
    st.define_and_bind();
    st.execute(false);
    struct Row : FactRow {
        const std::vector<std::vector<std::string>>* texts = nullptr;
        const std::vector<std::vector<long long>>* numbers = nullptr;
        const std::vector<std::size_t>* slot = nullptr;
        const std::vector<bool>* integers = nullptr;
        std::size_t index = 0;
        std::string_view text(int c) const override
        {
            return (*texts)[(*slot)[static_cast<std::size_t>(c)]][index];
        }
        long long integer(int c) const override
        {
            return (*numbers)[(*slot)[static_cast<std::size_t>(c)]][index];
        }
    } row;
    row.texts = &texts;
    row.numbers = &numbers;
    row.slot = &slot;
    while (st.fetch()) {
        const std::size_t n = integers.front() ? numbers[slot.front()].size() : texts[slot.front()].size();
        for (row.index = 0; row.index < n; ++row.index)
            onRow(row);
        for (auto& v : texts)
            v.resize(page);
        for (auto& v : numbers)
            v.resize(page);
    }
}

} // namespace

std::vector<model::TicketFact> Store::ticketFactsBetween(
    model::Date from, model::Date to, bool withDepartments) const
{
    return guarded("ticketFactsBetween", [&] {
        std::vector<model::TicketFact> out;
        scanFacts(m_impl->sql, m_impl->info.backend,
            withDepartments
                ? "SELECT t.id, t.day, t.issued_category, t.service_window, t.status, t.first_called_at,"
                  " t.waiting_ms, t.serving_ms, t.case_number, COALESCE(f.departments, '') FROM tickets t"
                  " LEFT JOIN case_facts f ON f.number = t.case_number WHERE t.day >= :f AND t.day <= :t"
                : "SELECT id, day, issued_category, service_window, status, first_called_at, waiting_ms,"
                  " serving_ms, case_number, '' FROM tickets WHERE day >= :f AND day <= :t",
            {from.iso(), to.iso()}, {false, false, false, false, false, true, true, true, false, false},
            [&](const FactRow& r) {
                model::TicketFact x;
                x.id = r.string(0);
                x.day = model::Date::fromIso(r.text(1)).value_or(model::Date());
                x.category = r.string(2);
                x.status = model::ticketStatusFromString(r.string(4)).value_or(model::TicketStatus::Waiting);
                x.firstCalledAt = r.integer(5);
                if (x.firstCalledAt > 0)
                    x.window = r.string(3);
                x.waitingMs = r.integer(6);
                x.servingMs = r.integer(7);
                x.caseNumber = r.string(8);
                x.departments = model::splitList(r.string(9));
                out.push_back(std::move(x));
            });
        return out;
    });
}

namespace {

model::CaseFact caseFactOfRow(const FactRow& r)
{
    model::CaseFact x;
    x.number = r.string(0);
    x.centre = r.string(1);
    x.status = r.string(2);
    x.outcome = r.string(3);
    x.departments = model::splitList(r.string(4));
    x.matters = model::splitList(r.string(5));
    x.acceptedOn = optionalDate(r.text(6));
    x.concludedOn = optionalDate(r.text(7));
    x.deadline = optionalDate(r.text(8));
    x.statutoryDays = static_cast<int>(r.integer(9));
    x.promisedDays = static_cast<int>(r.integer(10));
    x.immediate = r.integer(11) != 0;
    x.visits = static_cast<int>(r.integer(12));
    return x;
}

const char* const kCaseFactColumns
    = "SELECT number, centre, status, outcome, departments, matters, accepted_on, concluded_on, deadline,"
      " statutory_days, promised_days, immediate, visits FROM case_facts";
const std::vector<bool> kCaseFactIntegers
    = {false, false, false, false, false, false, false, false, false, true, true, true, true};

} // namespace

std::vector<model::CaseFact> Store::caseFactsBetween(model::Date from, model::Date to) const
{
    return guarded("caseFactsBetween", [&] {
        std::vector<model::CaseFact> out;
        scanFacts(m_impl->sql, m_impl->info.backend,
            std::string(kCaseFactColumns)
                + " WHERE accepted_on <> '' AND accepted_on <= :t AND (concluded_on = '' OR concluded_on >= "
                  ":f)",
            {to.iso(), from.iso()}, kCaseFactIntegers,
            [&](const FactRow& r) { out.push_back(caseFactOfRow(r)); });
        return out;
    });
}

std::optional<model::CaseFact> Store::caseFacts(const std::string& caseNumber) const
{
    return guarded("caseFacts", [&]() -> std::optional<model::CaseFact> {
        if (!isKeyText(caseNumber))
            return std::nullopt;
        std::optional<model::CaseFact> out;
        scanFacts(m_impl->sql, m_impl->info.backend, std::string(kCaseFactColumns) + " WHERE number = :n",
            {caseNumber}, kCaseFactIntegers, [&](const FactRow& r) { out = caseFactOfRow(r); });
        return out;
    });
}

std::vector<model::RatingFact> Store::ratingFactsBetween(
    model::Date from, model::Date to, bool withDepartments) const
{
    return guarded("ratingFactsBetween", [&] {
        std::vector<model::RatingFact> out;
        // Only a bad rating (level 1–2) has a follow-up, the one part kept in JSON alone.
        const std::string columns
            = "SELECT e.id, e.day, e.at_ms, e.case_number, e.ticket, e.staff, e.service_window, e.level,"
              " e.channel, e.follow_up_due, CASE WHEN e.level <= 2 THEN e.state ELSE '' END,";
        scanFacts(m_impl->sql, m_impl->info.backend,
            columns
                + (withDepartments ? " COALESCE(f.departments, '') FROM evaluations e"
                                     " LEFT JOIN case_facts f ON f.number = e.case_number"
                                   : " '' FROM evaluations e")
                + " WHERE e.day >= :f AND e.day <= :t",
            {from.iso(), to.iso()},
            {false, false, true, false, false, false, false, true, false, false, false, false},
            [&](const FactRow& r) {
                model::RatingFact x;
                if (const std::string_view state = r.text(10); !state.empty()) {
                    x.rating = model::Evaluation::fromJson(Json::parse(state));
                } else {
                    model::Evaluation& v = x.rating;
                    v.id = r.string(0);
                    v.day = model::Date::fromIso(r.text(1)).value_or(model::Date());
                    v.at = r.integer(2);
                    v.caseNumber = r.string(3);
                    v.ticket = r.string(4);
                    v.staff = r.string(5);
                    v.window = r.string(6);
                    v.level = static_cast<int>(r.integer(7));
                    v.channel = r.string(8);
                    v.followUpDue = model::Date::fromIso(r.text(9)).value_or(v.day);
                }
                x.departments = model::splitList(r.string(11));
                out.push_back(std::move(x));
            });
        return out;
    });
}

model::Catalogue Store::catalogue() const
{
    return guarded("catalogue", [&]() -> model::Catalogue {
        Json doc = Json::object();
        doc["matters"] = Json::array();
        doc["bundles"] = Json::array();
        std::string kind, body;
        soci::statement st = (m_impl->sql.prepare << "SELECT kind, doc FROM catalogue_items WHERE kind IN "
                                                     "('matter', 'bundle') ORDER BY kind DESC, code",
            soci::into(kind), soci::into(body));
        st.execute();
        while (st.fetch())
            doc[kind == "matter" ? "matters" : "bundles"].push_back(Json::parse(body));
        return model::Catalogue::fromJson(doc);
    });
}

std::size_t Store::putCatalogue(const model::Catalogue& catalogue, const std::string& actor)
{
    return guarded("putCatalogue", [&]() -> std::size_t {
        std::vector<model::NewEvent> events;
        model::Catalogue current = this->catalogue();
        for (const auto& [code, m] : catalogue.matters()) {
            Json body = model::toJson(m);
            const auto* have = current.findMatter(code);
            if (have && model::toJson(*have) == body)
                continue; // unchanged: no event
            events.push_back({"catalogue.matter", "", actor, {}, body});
        }
        for (const auto& [code, b] : catalogue.bundles()) {
            Json body = model::toJson(b);
            const auto* have = current.findBundle(code);
            if (have && model::toJson(*have) == body)
                continue;
            events.push_back({"catalogue.bundle", "", actor, {}, body});
        }
        append(events);
        return events.size();
    });
}

std::size_t Store::putCentreSetup(const std::vector<model::QueueCategory>& categories,
    const std::vector<model::ServiceWindow>& windows, const std::string& actor)
{
    return guarded("putCentreSetup", [&]() -> std::size_t {
        std::vector<model::NewEvent> events;
        auto haveCategories = this->categories();
        for (const auto& c : categories) {
            Json body = model::toJson(c);
            bool same = std::any_of(haveCategories.begin(), haveCategories.end(),
                [&](const model::QueueCategory& h) { return model::toJson(h) == body; });
            if (!same)
                events.push_back({"centre.category", "", actor, {}, body});
        }
        auto haveWindows = this->windows();
        for (const auto& w : windows) {
            Json body = model::toJson(w);
            bool same = std::any_of(haveWindows.begin(), haveWindows.end(),
                [&](const model::ServiceWindow& h) { return model::toJson(h) == body; });
            if (!same)
                events.push_back({"centre.window", "", actor, {}, body});
        }
        append(events);
        return events.size();
    });
}

namespace {

std::vector<Json> referenceDocs(soci::session& sql, const std::string& kind)
{
    std::vector<Json> out;
    std::string doc;
    soci::statement st = (sql.prepare << "SELECT doc FROM catalogue_items WHERE kind = :k ORDER BY code",
        soci::use(kind), soci::into(doc));
    st.execute();
    while (st.fetch())
        out.push_back(Json::parse(doc));
    return out;
}

} // namespace

std::vector<model::QueueCategory> Store::categories() const
{
    return guarded("categories", [&]() -> std::vector<model::QueueCategory> {
        std::vector<model::QueueCategory> out;
        for (const auto& j : referenceDocs(m_impl->sql, "category"))
            out.push_back(model::queueCategoryFromJson(j));
        return out;
    });
}

std::vector<model::ServiceWindow> Store::windows() const
{
    return guarded("windows", [&]() -> std::vector<model::ServiceWindow> {
        std::vector<model::ServiceWindow> out;
        for (const auto& j : referenceDocs(m_impl->sql, "window"))
            out.push_back(model::serviceWindowFromJson(j));
        return out;
    });
}

void Store::putStaff(const model::Staff& staff, const std::string& passwordHash, const std::string& actor)
{
    guarded("putStaff", [&] {
        Json body = Json::object();
        body["id"] = staff.id;
        body["name"] = staff.name;
        Json roles = Json::array();
        for (auto r : staff.roles)
            roles.push_back(Json(model::toString(r)));
        body["roles"] = roles;
        body["centre"] = staff.centre;
        body["active"] = staff.active;
        body["passwordHash"] = passwordHash;
        append({{"staff.put", "", actor, {}, body}});
    });
}

void Store::setPassword(const std::string& staffId, const std::string& passwordHash, const std::string& actor)
{
    guarded("setPassword", [&] {
        if (!findStaff(staffId))
            throw DomainError("staff.unknown", {{"id", staffId}});
        Json body = Json::object();
        body["id"] = staffId;
        body["passwordHash"] = passwordHash;
        append({{"staff.password", "", actor, {}, body}});
    });
}

namespace {

// Staff rows: the one account `id`, or all of them when `id` is empty (no account has an
// empty id, so "id <> ''" selects every row with the same statement); roles are stored as
// a comma-separated list of role names.
std::vector<StaffRecord> readStaff(soci::session& sql, const std::string& id)
{
    std::vector<StaffRecord> out;
    std::string rowId, name, roles, centreCode, hash;
    int active = 0;
    const std::string where = id.empty() ? std::string(" WHERE id <> :i") : std::string(" WHERE id = :i");
    soci::statement st = (sql.prepare
            << "SELECT id, name, roles, centre, active, password_hash FROM staff" + where + " ORDER BY id",
        soci::use(id), soci::into(rowId), soci::into(name), soci::into(roles), soci::into(centreCode),
        soci::into(active), soci::into(hash));
    st.execute();
    while (st.fetch()) {
        StaffRecord r;
        r.staff.id = rowId;
        r.staff.name = name;
        r.staff.centre = centreCode;
        r.staff.active = active != 0;
        std::size_t pos = 0;
        while (pos <= roles.size() && !roles.empty()) {
            auto comma = roles.find(',', pos);
            std::string one = roles.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
            if (auto role = model::roleFromString(one))
                r.staff.roles.insert(*role);
            if (comma == std::string::npos)
                break;
            pos = comma + 1;
        }
        r.passwordHash = hash;
        out.push_back(std::move(r));
    }
    return out;
}

} // namespace

std::vector<StaffRecord> Store::listStaff() const
{
    return guarded("listStaff", [&]() -> std::vector<StaffRecord> { return readStaff(m_impl->sql, {}); });
}

std::optional<model::Staff> Store::findStaff(const std::string& id) const
{
    return guarded("findStaff", [&]() -> std::optional<model::Staff> {
        if (id.empty() || !isKeyText(id))
            return std::nullopt;
        auto rows = readStaff(m_impl->sql, id);
        if (rows.empty())
            return std::nullopt;
        return rows.front().staff;
    });
}

std::optional<model::Staff> Store::authenticate(const std::string& id, const std::string& password) const
{
    return guarded("authenticate", [&]() -> std::optional<model::Staff> {
        auto rows = id.empty() || !isKeyText(id) ? std::vector<StaffRecord>{} : readStaff(m_impl->sql, id);
        if (!rows.empty()) {
            const auto& r = rows.front();
            if (!r.staff.active || !verifyPassword(r.passwordHash, password))
                return std::nullopt;
            return r.staff;
        }
        // Spend the same time on an unknown account, so timing does not reveal which exist.
        static const std::string decoy = hashPassword(generatePassword(16));
        verifyPassword(decoy, password);
        return std::nullopt;
    });
}

model::CaseNumberBlock Store::reserveCaseNumbers(
    const std::string& centre, model::Date day, std::int64_t size)
{
    return guarded("reserveCaseNumbers", [&]() -> model::CaseNumberBlock {
        if (size < 1 || size > 100000)
            throw DomainError(
                "casenumber.block_invalid", {{"reason", "size"}, {"size", std::to_string(size)}});
        Impl& d = *m_impl;
        Tx tx(d.sql, d.info.backend);
        std::string dayText = day.iso();
        long long n = size;
        d.sql << "INSERT INTO case_number_days (centre, day, next) VALUES (:c, :d, 1) ON CONFLICT DO NOTHING",
            soci::use(centre), soci::use(dayText);
        d.sql << "UPDATE case_number_days SET next = next + :n WHERE centre = :c AND day = :d", soci::use(n),
            soci::use(centre), soci::use(dayText);
        long long next = 0;
        d.sql << "SELECT next FROM case_number_days WHERE centre = :c AND day = :d", soci::use(centre),
            soci::use(dayText), soci::into(next);
        tx.commit();
        if (next - 1 > 999999)
            throw DomainError("casenumber.day_exhausted", {{"centre", centre}, {"day", dayText}});
        return {centre, day, next - n, next - 1};
    });
}

StoreCaseNumberSource::StoreCaseNumberSource(
    Store& store, std::string centre, std::string workstation, std::int64_t blockSize)
    : m_store(store)
    , m_allocator(centre, std::move(workstation))
    , m_centre(std::move(centre))
    , m_blockSize(blockSize)
{
}

model::CaseNumber StoreCaseNumberSource::nextCaseNumber(model::Date date)
{
    if (m_allocator.remaining(date) == 0)
        m_allocator.addBlock(m_store.reserveCaseNumbers(m_centre, date, m_blockSize));
    return m_allocator.next(date);
}

} // namespace ow::db
