// Shared by the PostgreSQL benchmarks: the throwaway cluster's state file, a fresh
// database per run, the events rows a store wrote, and the raw libpq baseline that
// inserts those very rows through multi-row INSERTs with parameters.
#pragma once

#include "BenchSupport.h"
#include "db/Schema.h"
#include "db/Store.h"

#include <cstddef>
#include <fstream>
#include <libpq-fe.h>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace ow::bench {

// The shell assignments tests/pg_cluster.sh writes (OW_PG_PORT, OW_PG_ADMIN, …).
inline std::map<std::string, std::string> readPgState(const std::string& path)
{
    std::map<std::string, std::string> out;
    std::ifstream in(path);
    if (!in)
        throw std::runtime_error("cannot read the cluster state file " + path);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string v = line.substr(eq + 1);
        if (v.size() >= 2 && v.front() == '\'')
            v = v.substr(1, v.size() - 2);
        out[line.substr(0, eq)] = v;
    }
    return out;
}

class PgConnection {
public:
    explicit PgConnection(const std::string& conninfo)
        : m_conn(PQconnectdb(conninfo.c_str()))
    {
        if (PQstatus(m_conn) != CONNECTION_OK) {
            std::string why = PQerrorMessage(m_conn);
            PQfinish(m_conn);
            throw std::runtime_error("libpq: " + why);
        }
    }
    ~PgConnection() { PQfinish(m_conn); }
    PgConnection(const PgConnection&) = delete;
    PgConnection& operator=(const PgConnection&) = delete;

    void exec(const std::string& sql)
    {
        PGresult* r = PQexec(m_conn, sql.c_str());
        auto status = PQresultStatus(r);
        PQclear(r);
        if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
            throw std::runtime_error(sql + ": " + PQerrorMessage(m_conn));
    }
    PGconn* get() { return m_conn; }

private:
    PGconn* m_conn;
};

// Drops and creates database `name` on the cluster; returns its libpq conninfo.
inline std::string freshPgDatabase(std::map<std::string, std::string>& state, const std::string& name)
{
    std::string admin = state["OW_PG_ADMIN"];
    PgConnection c(admin.substr(admin.find("://") + 3));
    c.exec("SET client_min_messages = warning");
    c.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    c.exec("CREATE DATABASE " + name + " ENCODING 'UTF8' TEMPLATE template0");
    return "host=127.0.0.1 port=" + state["OW_PG_PORT"] + " dbname=" + name + " user=postgres";
}

inline void dropPgDatabase(std::map<std::string, std::string>& state, const std::string& name)
{
    std::string admin = state["OW_PG_ADMIN"];
    PgConnection c(admin.substr(admin.find("://") + 3));
    c.exec("SET client_min_messages = warning");
    c.exec("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
}

// One row of the events table, as the store wrote it.
struct EventRow {
    long long arrival;
    std::string id, origin;
    long long seq, hlc;
    std::string type, caseNumber, actor, prev, hash, doc;
};

inline std::vector<EventRow> eventRowsOf(db::Store& store)
{
    std::vector<EventRow> rows;
    std::int64_t cursor = 0;
    while (true) {
        auto changes = store.changesSince(cursor, 100000);
        if (changes.empty())
            break;
        for (auto& ch : changes) {
            const auto& e = ch.event;
            rows.push_back({ch.arrival, e.id(), e.origin, e.seq, e.hlc, e.type, e.caseNumber, e.actor, e.prev,
                e.hash, e.documentText()});
        }
        cursor = changes.back().arrival;
    }
    return rows;
}

// The events table and its index exactly as the store's PostgreSQL migrations create
// them, under the name `table`.
inline std::vector<std::string> pgEventsDdl(const std::string& table)
{
    std::vector<std::string> out;
    for (const auto& stmt : db::migrations().front().postgres) {
        for (const std::string from : {"CREATE TABLE events ", "CREATE INDEX events_case ON events "}) {
            if (stmt.rfind(from, 0) != 0)
                continue;
            std::string to = from == "CREATE TABLE events "
                ? "CREATE TABLE " + table + " "
                : "CREATE INDEX " + table + "_case ON " + table + " ";
            out.push_back(to + stmt.substr(from.size()));
        }
    }
    if (out.size() != 2)
        throw std::runtime_error("the events table is no longer in the first migration");
    return out;
}

// Raw libpq: a fresh table `table` with the events' columns and indexes on `conninfo`.
inline void rawPgFreshEventsTable(const std::string& conninfo, const std::string& table)
{
    PgConnection c(conninfo);
    c.exec("SET client_min_messages = warning");
    c.exec("DROP TABLE IF EXISTS " + table);
    for (const auto& ddl : pgEventsDdl(table))
        c.exec(ddl);
}

// Raw libpq: rows[begin, end) into `table` through multi-row INSERTs with parameters,
// `perStatement` rows each (PostgreSQL allows 65535 parameters a statement, 11 a row).
inline void rawPgInsertRows(PgConnection& c, const std::string& table, const std::vector<EventRow>& rows,
    std::size_t begin, std::size_t end, std::size_t perStatement)
{
    for (std::size_t s = begin; s < end; s += perStatement) {
        const std::size_t e = std::min(end, s + perStatement);
        std::string q = "INSERT INTO " + table
            + " (arrival, id, origin, seq, hlc, type, case_number, actor, prev, hash, doc) VALUES ";
        std::vector<std::string> values;
        values.reserve((e - s) * 11);
        int p = 1;
        for (std::size_t k = s; k < e; ++k) {
            const EventRow& r = rows[k];
            q += (k == s ? "(" : ",(");
            for (int col = 0; col < 11; ++col)
                q += (col ? ",$" : "$") + std::to_string(p++);
            q += ")";
            for (const auto& v : {std::to_string(r.arrival), r.id, r.origin, std::to_string(r.seq),
                     std::to_string(r.hlc), r.type, r.caseNumber, r.actor, r.prev, r.hash, r.doc})
                values.push_back(v);
        }
        std::vector<const char*> ptrs;
        ptrs.reserve(values.size());
        for (const auto& v : values)
            ptrs.push_back(v.c_str());
        PGresult* res = PQexecParams(
            c.get(), q.c_str(), static_cast<int>(ptrs.size()), nullptr, ptrs.data(), nullptr, nullptr, 0);
        const auto status = PQresultStatus(res);
        PQclear(res);
        if (status != PGRES_COMMAND_OK)
            throw std::runtime_error(std::string("insert: ") + PQerrorMessage(c.get()));
    }
}

// Raw libpq: a fresh table `table` on `conninfo`, then the rows in transactions of
// `rowsPerTransaction`, 400 rows a statement as the store writes them. Returns the seconds
// from the first BEGIN to the last COMMIT.
inline double rawPgInsertSeconds(const std::vector<EventRow>& rows, std::size_t rowsPerTransaction,
    const std::string& conninfo, const std::string& table)
{
    rawPgFreshEventsTable(conninfo, table);
    PgConnection c(conninfo);
    Stopwatch sw;
    for (std::size_t i = 0; i < rows.size(); i += rowsPerTransaction) {
        c.exec("BEGIN");
        rawPgInsertRows(c, table, rows, i, std::min(rows.size(), i + rowsPerTransaction), 400);
        c.exec("COMMIT");
    }
    return sw.seconds();
}

} // namespace ow::bench
