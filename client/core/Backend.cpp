#include "client/core/Backend.h"

#include "model/BuiltinCalendars.h"
#include "model/Error.h"
#include "model/HybridClock.h"
#include "model/Log.h"
#include "model/Sha256.h"

#include "sync/ReplicaCaseNumbers.h"
#include "sync/ReplicaLink.h"
#include "sync/ReplicaWriter.h"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <spdlog/spdlog.h>

namespace ow::client {

namespace {

bool isConnectionProblem(const model::DomainError& e)
{
    return e.code().rfind("db.", 0) == 0;
}

std::string redacted(const std::string& connection)
{
    try {
        return db::ConnectionInfo::parse(connection).redacted();
    } catch (const model::DomainError&) {
        return connection;
    }
}

// The hall on the shared database: ticket changes are claimed there or not at all (two
// windows must never call the same person, which a replica cannot promise). Reads fall
// back to the replica's copy while the shared database does not answer.
class SharedHall : public model::HallStore {
public:
    SharedHall(db::Store* embedded, sync::ReplicaWriter* writer)
        : m_embedded(embedded)
        , m_writer(writer)
    {
    }

    std::vector<model::Event> appendToHall(
        const std::function<std::vector<model::NewEvent>(model::HallReader&)>& plan) override
    {
        if (m_embedded)
            return m_embedded->appendToHall(plan);
        std::vector<model::Event> out;
        if (!m_writer->withShared([&](db::Store& shared) { out = shared.appendToHall(plan); }))
            throw model::DomainError("queue.offline", {{"reason", m_writer->lastError()}});
        return out;
    }
    // What nobody else can claim, while the shared hall does not answer: on the replica,
    // pushed with everything else once it answers again.
    std::vector<model::Event> appendLocally(
        const std::function<std::vector<model::NewEvent>(model::HallReader&)>& plan) override
    {
        if (m_embedded)
            return m_embedded->appendToHall(plan);
        return m_writer->replica().appendToHall(plan);
    }
    std::optional<model::Ticket> findTicket(const std::string& id) const override
    {
        return read<std::optional<model::Ticket>>([&](db::Store& s) { return s.findTicket(id); });
    }
    std::vector<model::Ticket> hallTickets(model::Date day) const override
    {
        return read<std::vector<model::Ticket>>([&](db::Store& s) { return s.hallTickets(day); });
    }

private:
    template<class T> T read(const std::function<T(db::Store&)>& work) const
    {
        if (m_embedded)
            return work(*m_embedded);
        // The replica holds what is still pending (a walk-in recorded offline); the shared
        // hall is read while it answers and nothing is pending.
        T out{};
        if (m_writer->pending() > 0 || !m_writer->withShared([&](db::Store& shared) { out = work(shared); }))
            out = work(m_writer->replica());
        return out;
    }

    db::Store* m_embedded;
    sync::ReplicaWriter* m_writer;
};

// The ratings as the client reads them now: the shared store while it answers and
// nothing is pending, else the replica (which holds what this workstation just wrote).
class CurrentEvaluations : public model::EvaluationRepository {
public:
    using Visit = std::function<void(const std::function<void(db::Store&)>&)>;
    explicit CurrentEvaluations(Visit visit)
        : m_visit(std::move(visit))
    {
    }
    std::optional<model::Evaluation> findEvaluation(const std::string& id) const override
    {
        return read<std::optional<model::Evaluation>>([&](db::Store& s) { return s.findEvaluation(id); });
    }
    std::optional<model::Evaluation> evaluationOfTicket(const std::string& ticket) const override
    {
        return read<std::optional<model::Evaluation>>(
            [&](db::Store& s) { return s.evaluationOfTicket(ticket); });
    }
    std::vector<model::Evaluation> openFollowUps() const override
    {
        return read<std::vector<model::Evaluation>>([](db::Store& s) { return s.openFollowUps(); });
    }
    std::vector<model::Evaluation> evaluationsBetween(model::Date from, model::Date to) const override
    {
        return read<std::vector<model::Evaluation>>(
            [&](db::Store& s) { return s.evaluationsBetween(from, to); });
    }

private:
    template<class T> T read(const std::function<T(db::Store&)>& work) const
    {
        T out{};
        m_visit([&](db::Store& s) { out = work(s); });
        return out;
    }
    Visit m_visit;
};

} // namespace

std::string defaultReplicaFor(const std::string& sharedConnection)
{
    const std::string digest = model::sha256Hex(db::ConnectionInfo::parse(sharedConnection).redacted());
    return "sqlite3://db="
        + (std::filesystem::path(db::dataFolder()) / ("replica-" + digest.substr(0, 16) + ".db")).string();
}

Backend::Backend(ConnectionSettings settings)
    : m_settings(std::move(settings))
    , m_calendar(model::builtinCalendar())
    , m_clock(std::make_unique<model::SystemClock>())
{
    if (m_settings.database.empty())
        m_settings.database = db::defaultConnectionString();
}

Backend::~Backend()
{
    if (m_link)
        m_link->stop();
}

db::Store& Backend::sharedConnection()
{
    // A connection opened before the link last came back may have died with the server.
    if (m_shared && m_link && m_link->reconnections() != m_sharedGeneration)
        m_shared.reset();
    if (!m_shared) {
        if (m_link)
            m_sharedGeneration = m_link->reconnections();
        m_shared = db::Store::open(m_settings.database);
    }
    return *m_shared;
}

void Backend::open()
{
    const auto info = db::ConnectionInfo::parse(m_settings.database);
    if (info.backend == db::Backend::Sqlite) {
        // An embedded database is local already: written directly, no replica.
        if (auto dir = std::filesystem::path(info.sqlitePath()).parent_path(); !dir.empty())
            std::filesystem::create_directories(dir);
        m_shared = db::Store::open(m_settings.database);
        m_centre = m_shared->centre();
        m_catalogue = m_shared->catalogue();
        spdlog::info("opened the embedded database {}", info.redacted());
        return;
    }
    // A shared PostgreSQL: every event goes through the workstation's replica first.
    if (m_settings.replica.empty())
        m_settings.replica = defaultReplicaFor(m_settings.database);
    const auto replicaInfo = db::ConnectionInfo::parse(m_settings.replica);
    if (auto dir = std::filesystem::path(replicaInfo.sqlitePath()).parent_path(); !dir.empty())
        std::filesystem::create_directories(dir);
    m_replica = db::Store::open(m_settings.replica);
    m_writer = std::make_unique<sync::ReplicaWriter>(
        *m_replica, [this]() -> db::Store& { return sharedConnection(); },
        [this] {
            // The connection may be dead: the next use opens a new one, and the link
            // checks at once whether the shared database still answers.
            m_shared.reset();
            if (m_link)
                m_link->suspect(m_writer->lastError());
        });
    try {
        m_shared = db::Store::open(m_settings.database);
    } catch (const model::DomainError& e) {
        if (!isConnectionProblem(e) || m_replica->centre().empty()) {
            m_replica.reset();
            m_writer.reset();
            throw; // never synced: nothing to work with offline
        }
        m_lastError = e.what();
        spdlog::warn("the shared database {} does not answer; working on the replica", info.redacted());
    }
    if (m_shared) {
        // The first start brings the whole centre down before anyone logs in; later
        // starts send what an earlier run left pending.
        m_writer->sync();
        if (m_replica->centre().empty() && !m_shared->centre().empty())
            m_replica->initialise(m_shared->centre());
    }
    m_centre = (m_shared ? *m_shared : *m_replica).centre();
    m_catalogue = read([](db::Store& s) { return s.catalogue(); });

    // From now on the link does every round trip to the shared database on its own
    // thread; this side only asks it whether the shared database answers.
    sync::ReplicaLink::Options options;
    options.interval = std::chrono::milliseconds(std::max(50, m_settings.linkIntervalMs));
    options.centre = m_centre;
    m_link = std::make_unique<sync::ReplicaLink>(m_settings.replica, m_settings.database, options);
    const bool online = m_shared && m_writer->online();
    m_writer->setGate([this] { return m_link->online(); });
    m_writer->setAfterAppend([this](std::size_t count) { m_link->appended(count); });
    m_link->start(online,
        online ? std::string() : (m_writer->lastError().empty() ? m_lastError : m_writer->lastError()));
    spdlog::info(
        "opened the shared database {} through the replica {}", info.redacted(), replicaInfo.redacted());
}

std::string Backend::centre() const
{
    return m_centre;
}

void Backend::visit(const std::function<void(db::Store&)>& work) const
{
    if (!m_writer) {
        work(*m_shared);
        return;
    }
    if (m_writer->pending() == 0 && m_writer->withShared(work))
        return;
    work(*m_replica);
}

template<class F> auto Backend::read(F work) const -> decltype(work(std::declval<db::Store&>()))
{
    using T = decltype(work(std::declval<db::Store&>()));
    std::optional<T> out;
    visit([&](db::Store& s) { out.emplace(work(s)); });
    return std::move(*out);
}

model::Staff Backend::login(const std::string& user, const std::string& password)
{
    auto staff = read([&](db::Store& s) { return s.authenticate(user, password); });
    if (!staff) {
        // The log names the account, never the password.
        spdlog::warn("login refused for account '{}'", user);
        throw model::DomainError("login.failed", {{"user", user}});
    }
    m_user = *staff;
    bindServices();
    spdlog::info("{} logged in", user);
    return m_user;
}

void Backend::bindServices()
{
    model::EventStore& events = m_writer ? static_cast<model::EventStore&>(*m_writer) : *m_shared;
    const model::StaffDirectory& staff
        = m_writer ? static_cast<const model::StaffDirectory&>(*m_writer) : *m_shared;
    if (m_writer)
        m_numbers
            = std::make_unique<sync::ReplicaCaseNumberSource>(*m_writer, m_centre, m_settings.workstation);
    else
        m_numbers
            = std::make_unique<db::StoreCaseNumberSource>(*m_shared, m_centre, m_settings.workstation, 20);
    auto windows = read([](db::Store& s) { return s.windows(); });
    m_context = std::make_unique<model::ServiceContext>(model::ServiceContext{
        events, m_catalogue, m_calendar, staff, *m_numbers, *m_clock, m_centre, windows});
    m_intake = std::make_unique<model::IntakeService>(*m_context);
    m_work = std::make_unique<model::CaseWorkService>(*m_context);
    m_hall = std::make_unique<SharedHall>(m_writer ? nullptr : m_shared.get(), m_writer.get());
    model::HallSetup setup{read([](db::Store& s) { return s.categories(); }), windows, 60};
    m_queue = std::make_unique<model::QueueService>(
        *m_hall, staff, events, m_catalogue, std::move(setup), model::systemPhysicalClock(), m_centre);
    m_ratings = std::make_unique<CurrentEvaluations>(
        [this](const std::function<void(db::Store&)>& work) { visit(work); });
    m_evaluations = std::make_unique<model::EvaluationService>(
        *m_context, *m_ratings, *m_hall, m_settings.followUpDays);
}

std::vector<model::Evaluation> Backend::openFollowUps() const
{
    return read([](db::Store& s) { return s.openFollowUps(); });
}

model::KpiReport Backend::kpiReport(const model::KpiQuery& query) const
{
    return read([&](db::Store& store) {
        const bool departments = !query.department.empty();
        return model::computeKpis(query, store.ticketFactsBetween(query.from, query.to, departments),
            store.caseFactsBetween(query.from, query.to),
            store.ratingFactsBetween(query.from, query.to, departments), m_catalogue);
    });
}

std::optional<model::Evaluation> Backend::ratingOfTicket(const std::string& ticket) const
{
    return read([&](db::Store& s) { return s.evaluationOfTicket(ticket); });
}

std::vector<model::Ticket> Backend::hallToday() const
{
    SharedHall hall(m_writer ? nullptr : m_shared.get(), m_writer.get());
    return hall.hallTickets(today());
}

std::vector<model::ServiceWindow> Backend::windows() const
{
    return read([](db::Store& s) { return s.windows(); });
}

std::vector<model::QueueCategory> Backend::categories() const
{
    return read([](db::Store& s) { return s.categories(); });
}

bool Backend::may(model::Action action) const
{
    return m_user.can(action);
}

std::optional<model::CaseState> Backend::findCase(const std::string& number) const
{
    return m_writer ? m_writer->findCase(number) : m_shared->findCase(number);
}

std::vector<model::Event> Backend::caseEvents(const std::string& number) const
{
    return m_writer ? m_writer->caseEvents(number) : m_shared->caseEvents(number);
}

std::vector<db::CaseSummary> Backend::workList(std::size_t limit) const
{
    return read([&](db::Store& s) { return s.workList(m_user.id, limit); });
}

std::vector<db::CaseSummary> Backend::search(const std::string& text, std::size_t limit) const
{
    return read([&](db::Store& s) { return s.search(text, limit); });
}

std::vector<db::CaseSummary> Backend::listCases(
    const std::string& status, std::size_t limit, std::size_t offset) const
{
    return read([&](db::Store& s) { return s.listCases(status, limit, offset); });
}

std::int64_t Backend::countCases(const std::string& status) const
{
    return read([&](db::Store& s) { return s.countCases(status); });
}

std::vector<db::CaseSummary> Backend::casesDueBy(model::Date until, std::size_t limit) const
{
    return read([&](db::Store& s) { return s.deadlineList(until.iso(), limit); });
}

std::vector<db::CaseSummary> Backend::conflicts(std::size_t limit) const
{
    return read([&](db::Store& s) { return s.conflicts(limit); });
}

std::optional<model::Staff> Backend::findStaff(const std::string& id) const
{
    return read([&](db::Store& s) { return s.findStaff(id); });
}

std::vector<model::Staff> Backend::staffList() const
{
    std::vector<model::Staff> out;
    for (auto& record : read([](db::Store& s) { return s.listStaff(); }))
        out.push_back(std::move(record.staff));
    return out;
}

model::Date Backend::today() const
{
    return m_clock->today();
}

std::int64_t Backend::changeMarker()
{
    // Every event reaches the replica, this workstation's at once and everybody else's
    // with the link's next round trip: its arrival counter moves whenever anything new
    // can be read, wherever the reads go.
    const std::int64_t marker = m_writer ? m_replica->lastArrival() : m_shared->lastArrival();
    if (m_marker >= 0 && marker != m_marker)
        m_catalogue = read([](db::Store& s) { return s.catalogue(); });
    m_marker = marker;
    return marker;
}

void Backend::syncNow()
{
    if (m_link)
        m_link->nudge();
}

BackendStatus Backend::linkStatus() const
{
    BackendStatus s;
    s.database = redacted(m_settings.database);
    if (!m_link) {
        s.open = isOpen();
        s.online = s.open;
        return s;
    }
    // Nothing the worker changes is read here (m_shared comes and goes on the worker).
    s.open = true;
    const auto link = m_link->state();
    s.throughReplica = true;
    s.online = link.online;
    s.since = link.since;
    s.pending = link.pending;
    s.sent = link.sent;
    s.received = link.received;
    s.lastError = link.lastError;
    return s;
}

void Backend::setLinkListener(std::function<void()> listener)
{
    if (m_link)
        m_link->setListener([listener = std::move(listener)](const sync::LinkState&) {
            if (listener)
                listener();
        });
}

BackendStatus Backend::status() const
{
    BackendStatus s = linkStatus();
    if (!m_writer)
        return s;
    // Counted on the replica now: the link's figure is as old as its last round trip.
    s.pending = m_writer->pending();
    s.held = static_cast<std::int64_t>(m_replica->heldEvents().size());
    if (s.lastError.empty() && !s.online)
        s.lastError = m_lastError;
    return s;
}

} // namespace ow::client
