#include "DbTestSupport.h"

#include "model/Error.h"
#include "model/Identity.h"

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <soci/postgresql/soci-postgresql.h>
#include <soci/soci.h>
#include <soci/sqlite3/soci-sqlite3.h>
#include <sstream>
#include <unistd.h>

namespace ow::test {

std::string residentId(const std::string& first17)
{
    return first17 + *model::gb11643CheckDigit(first17);
}

void StoreDesk::startServices(int block)
{
    numbers = std::make_unique<db::StoreCaseNumberSource>(*store, "330102", "W03", block);
    ctx = std::make_unique<model::ServiceContext>(
        model::ServiceContext{*store, catalogue, calendar, *store, *numbers, clock, "330102"});
    intake = std::make_unique<model::IntakeService>(*ctx);
    work = std::make_unique<model::CaseWorkService>(*ctx);
}

void StoreDesk::close()
{
    work.reset();
    intake.reset();
    ctx.reset();
    numbers.reset();
    store.reset();
}

model::CaseState StoreDesk::open(
    const std::string& name, const std::string& idNumber, const std::string& phone)
{
    model::IntakeRequest r;
    r.applicant.name = name;
    r.applicant.idNumber = idNumber;
    r.applicant.phone = phone;
    r.matterCodes = {"330102-SC-001"};
    r.receivedMaterials = {"premises_proof", "registration_form"};
    r.window = "W03";
    return intake->open("clerk01", r);
}

std::string errorCode(const std::function<void()>& action)
{
    try {
        action();
    } catch (const model::DomainError& e) {
        return e.code();
    }
    return "no error";
}

namespace {

std::map<std::string, std::string> pgState()
{
    std::map<std::string, std::string> out;
    const char* path = std::getenv("OW_PG_STATE");
    if (!path)
        return out;
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
        auto eq = line.find('=');
        if (eq == std::string::npos)
            continue;
        std::string value = line.substr(eq + 1);
        if (value.size() >= 2 && value.front() == '\'' && value.back() == '\'')
            value = value.substr(1, value.size() - 2);
        out[line.substr(0, eq)] = value;
    }
    return out;
}

std::string params(const std::string& conn)
{
    return conn.substr(conn.find("://") + 3);
}

std::atomic<int> counter{0};

} // namespace

TestBackend testBackend()
{
    const char* b = std::getenv("OW_DB_BACKEND");
    return b && std::string(b) == "postgres" ? TestBackend::Postgres : TestBackend::Sqlite;
}

const char* backendName()
{
    return testBackend() == TestBackend::Postgres ? "postgres" : "sqlite";
}

std::string unavailableReason()
{
    if (testBackend() == TestBackend::Sqlite)
        return {};
    if (!std::getenv("OW_PG_STATE"))
        return "OW_PG_STATE is not set: no PostgreSQL test cluster was started (run through ./ow test or "
               "ctest)";
    if (pgState().count("OW_PG_CONN") == 0)
        return std::string("the PostgreSQL test cluster state file ") + std::getenv("OW_PG_STATE")
            + " is missing or incomplete: the cluster did not start";
    return {};
}

std::string TestDatabase::postgresAdmin()
{
    return pgState()["OW_PG_ADMIN"];
}

std::string TestDatabase::postgresConnection(const std::string& dbname)
{
    return "postgresql://host=127.0.0.1 port=" + pgState()["OW_PG_PORT"] + " dbname=" + dbname
        + " user=postgres";
}

std::string testFolder()
{
    return (std::filesystem::temp_directory_path() / ("ow-dbtest-" + std::to_string(::getpid()))).string();
}

void removeTestFolder()
{
    std::error_code ignored;
    std::filesystem::remove_all(testFolder(), ignored);
}

TestDatabase::TestDatabase()
{
    int n = ++counter;
    if (testBackend() == TestBackend::Sqlite) {
        std::filesystem::path dir = testFolder();
        std::filesystem::create_directories(dir);
        m_file = (dir / ("t" + std::to_string(n) + ".db")).string();
        std::filesystem::remove(m_file);
        m_connection = "sqlite3://db=" + m_file;
    } else {
        m_name = "owt_" + std::to_string(::getpid()) + "_" + std::to_string(n);
        soci::session admin(soci::postgresql, params(postgresAdmin()));
        admin << "CREATE DATABASE " + m_name
                + " ENCODING 'UTF8' TEMPLATE template0 LC_COLLATE 'C' LC_CTYPE 'C'";
        m_connection = postgresConnection(m_name);
    }
}

TestDatabase::~TestDatabase()
{
    try {
        if (!m_file.empty()) {
            for (const char* suffix : {"", "-wal", "-shm"})
                std::filesystem::remove(m_file + suffix);
        } else if (!m_name.empty()) {
            soci::session admin(soci::postgresql, params(postgresAdmin()));
            admin << "DROP DATABASE IF EXISTS " + m_name + " WITH (FORCE)";
        }
    } catch (...) {
        // Cleanup must not hide the test's own result; the cluster is thrown away anyway.
    }
}

std::unique_ptr<db::Store> TestDatabase::open(const db::OpenOptions& options) const
{
    return db::Store::open(m_connection, options);
}

void TestDatabase::exec(const std::string& sql) const
{
    if (!m_file.empty()) {
        soci::session s(soci::sqlite3, "db=" + m_file);
        s << sql;
    } else {
        soci::session s(soci::postgresql, params(m_connection));
        s << sql;
    }
}

std::string TestDatabase::queryText(const std::string& sql, const std::string& setup) const
{
    std::unique_ptr<soci::session> s;
    if (!m_file.empty())
        s = std::make_unique<soci::session>(soci::sqlite3, "db=" + m_file);
    else
        s = std::make_unique<soci::session>(soci::postgresql, params(m_connection));
    if (!setup.empty())
        *s << setup;
    soci::rowset<soci::row> rows = (s->prepare << sql);
    std::ostringstream out;
    for (const auto& row : rows) {
        for (std::size_t i = 0; i < row.size(); ++i) {
            if (i)
                out << '|';
            if (row.get_indicator(i) == soci::i_null) {
                out << "NULL";
                continue;
            }
            switch (row.get_properties(i).get_data_type()) {
            case soci::dt_string:
                out << row.get<std::string>(i);
                break;
            case soci::dt_integer:
                out << row.get<int>(i);
                break;
            case soci::dt_long_long:
                out << row.get<long long>(i);
                break;
            case soci::dt_unsigned_long_long:
                out << row.get<unsigned long long>(i);
                break;
            case soci::dt_double:
                out << row.get<double>(i);
                break;
            default:
                out << "?";
            }
        }
        out << '\n';
    }
    return out.str();
}

} // namespace ow::test
