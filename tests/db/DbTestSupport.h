// One conformance suite, two backends: OW_DB_BACKEND=sqlite|postgres selects the
// backend; for postgres, OW_PG_STATE names the file tests/pg_cluster.sh wrote.
#pragma once

#include "db/Store.h"

#include <functional>
#include <memory>
#include <string>

namespace ow::test {

enum class TestBackend { Sqlite, Postgres };

TestBackend testBackend();
const char* backendName();
// Why the suite cannot run here, or "" when it can.
std::string unavailableReason();
// Set by a test that cannot run here (a program it needs is missing) after it said why
// with WARN: main() then exits with 77, which CTest's SKIP_RETURN_CODE reports as skipped.
bool& skippedFlag();
// The code of the DomainError `action` throws, or "no error" when it throws none.
std::string errorCode(const std::function<void()>& action);
// The folder holding this process's SQLite test files; removed by removeTestFolder().
std::string testFolder();
void removeTestFolder();

// A fresh, empty database for one test: a new SQLite file, or a new PostgreSQL
// database created on the test cluster. Dropped/deleted when destroyed.
class TestDatabase {
public:
    TestDatabase();
    ~TestDatabase();
    TestDatabase(const TestDatabase&) = delete;
    TestDatabase& operator=(const TestDatabase&) = delete;

    const std::string& connection() const { return m_connection; }
    std::unique_ptr<db::Store> open(const db::OpenOptions& options = {}) const;
    // Runs raw SQL on the database (tests only: tampering, plans).
    void exec(const std::string& sql) const;
    // All rows, one line each, columns joined by '|'; `setup` runs first on the same connection.
    std::string queryText(const std::string& sql, const std::string& setup = {}) const;

    // Connection parameters of the test cluster's admin database ("" for SQLite).
    static std::string postgresAdmin();
    static std::string postgresConnection(const std::string& dbname);

private:
    std::string m_connection;
    std::string m_name;
    std::string m_file;
};

} // namespace ow::test
