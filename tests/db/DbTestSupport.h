// One conformance suite, two backends: OW_DB_BACKEND=sqlite|postgres selects the
// backend; for postgres, OW_PG_STATE names the file tests/pg_cluster.sh wrote.
#pragma once

#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include "db/PasswordHash.h"
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

// A resident ID number: `first17` and its GB 11643 check digit.
std::string residentId(const std::string& first17);
// Password hashing for tests: fast, not strong.
inline const db::PasswordPolicy kFastHash{1, 1024, 1};

// The services of window W03 of centre 330102 over a real store, on 2026-03-02: the
// owner sets up `store` (and `catalogue`), then starts the services.
struct StoreDesk {
    std::unique_ptr<db::Store> store;
    model::Catalogue catalogue = model::demoCatalogue();
    model::HolidayCalendar calendar = model::builtinCalendar();
    model::FixedClock clock{model::Date(2026, 3, 2)};
    std::unique_ptr<db::StoreCaseNumberSource> numbers;
    std::unique_ptr<model::ServiceContext> ctx;
    std::unique_ptr<model::IntakeService> intake;
    std::unique_ptr<model::CaseWorkService> work;

    // The store is its own staff directory; case numbers are reserved `block` at a time.
    void startServices(int block);
    // The services and the store closed, before the database they use goes.
    void close();
    // clerk01 takes in an application of `name` at W03: one matter, two materials.
    model::CaseState open(const std::string& name, const std::string& idNumber, const std::string& phone);
};

} // namespace ow::test
