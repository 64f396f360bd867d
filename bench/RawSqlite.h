// Shared by the SQLite benchmarks: the raw sqlite3 baseline that inserts the very rows a
// store wrote (copied from its file as text) into a fresh file with the same schema, indexes
// and pragmas, one prepared INSERT per table, in as many transactions as the store used.
#pragma once

#include "BenchSupport.h"

#include <cstddef>
#include <filesystem>
#include <sqlite3.h>
#include <stdexcept>
#include <string>
#include <vector>

namespace ow::bench {

inline void sqliteCheck(int rc, sqlite3* db, const char* what)
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

inline TableCopy copyTable(const std::string& path, const std::string& table)
{
    TableCopy t;
    t.name = table;
    sqlite3* db = nullptr;
    sqliteCheck(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    sqlite3_stmt* st = nullptr;
    sqliteCheck(sqlite3_prepare_v2(db,
                    "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC",
                    -1, &st, nullptr),
        db, "prepare");
    sqlite3_bind_text(st, 1, table.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW)
        t.ddl.push_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqliteCheck(sqlite3_prepare_v2(db, ("SELECT * FROM " + table).c_str(), -1, &st, nullptr), db, "prepare");
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
inline double rawSqlite(const std::vector<TableCopy>& tables, std::size_t batches, const std::string& path)
{
    std::filesystem::remove(path);
    sqlite3* db = nullptr;
    sqliteCheck(sqlite3_open(path.c_str(), &db), db, "open");
    for (const char* sql : {"PRAGMA journal_mode = WAL", "PRAGMA synchronous = FULL",
             "PRAGMA cache_size = -32768", "PRAGMA foreign_keys = ON"})
        sqliteCheck(sqlite3_exec(db, sql, nullptr, nullptr, nullptr), db, sql);
    std::vector<sqlite3_stmt*> inserts;
    for (const auto& t : tables) {
        for (const auto& ddl : t.ddl)
            sqliteCheck(sqlite3_exec(db, ddl.c_str(), nullptr, nullptr, nullptr), db, ddl.c_str());
        std::string q = "INSERT INTO " + t.name + " VALUES (";
        for (std::size_t c = 0; c < t.columns; ++c)
            q += c ? ",?" : "?";
        q += ")";
        sqlite3_stmt* st = nullptr;
        sqliteCheck(sqlite3_prepare_v2(db, q.c_str(), -1, &st, nullptr), db, "prepare");
        inserts.push_back(st);
    }
    bench::Stopwatch sw;
    for (std::size_t b = 0; b < batches; ++b) {
        sqliteCheck(sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), db, "begin");
        for (std::size_t t = 0; t < tables.size(); ++t) {
            const auto& rows = tables[t].rows;
            std::size_t from = rows.size() * b / batches;
            std::size_t to = rows.size() * (b + 1) / batches;
            for (std::size_t k = from; k < to; ++k) {
                for (std::size_t c = 0; c < tables[t].columns; ++c)
                    sqlite3_bind_text(
                        inserts[t], static_cast<int>(c + 1), rows[k][c].c_str(), -1, SQLITE_STATIC);
                sqliteCheck(sqlite3_step(inserts[t]), db, "step");
                sqlite3_reset(inserts[t]);
            }
        }
        sqliteCheck(sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr), db, "commit");
    }
    double secs = sw.seconds();
    for (auto* st : inserts)
        sqlite3_finalize(st);
    sqlite3_close(db);
    for (const char* suffix : {"", "-wal", "-shm"})
        std::filesystem::remove(path + suffix);
    return static_cast<double>(tables.front().rows.size()) / secs;
}

// Every table of the store's file that holds rows, in the order the migrations created
// them, except `first`, which comes first (the rows rawSqlite counts).
inline std::vector<TableCopy> copyTablesWithRows(const std::string& path, const std::string& first)
{
    std::vector<TableCopy> tables{copyTable(path, first)};
    sqlite3* db = nullptr;
    sqliteCheck(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), db, "open");
    std::vector<std::string> names;
    sqlite3_stmt* st = nullptr;
    sqliteCheck(
        sqlite3_prepare_v2(db,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid",
            -1, &st, nullptr),
        db, "prepare");
    while (sqlite3_step(st) == SQLITE_ROW)
        names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    sqlite3_close(db);
    for (const auto& name : names)
        if (name != first) {
            TableCopy t = copyTable(path, name);
            if (!t.rows.empty())
                tables.push_back(std::move(t));
        }
    return tables;
}

} // namespace ow::bench
