// The replica commands (--replica): sync and status, and the replica session that
// intake writes through.
#include "model/Error.h"
#include "model/Json.h"

#include "Messages.h"
#include "Replica.h"
#include "sync/ReplicaCaseNumbers.h"

#include <algorithm>
#include <cstdlib>
#include <iostream>

namespace ow::owctl {

namespace {

// Block case numbers a workstation keeps in hand for an outage.
constexpr std::int64_t kCaseNumberReserve = 5;

std::string redactedName(const std::string& connection)
{
    try {
        return db::ConnectionInfo::parse(connection).redacted();
    } catch (const model::DomainError&) {
        return connection; // openDatabase reports the malformed string
    }
}

// Events per replication batch: OW_SYNC_BATCH (1 to 100000) or the replicator's default.
std::size_t batchSize()
{
    if (const char* text = std::getenv("OW_SYNC_BATCH"); text && *text) {
        char* end = nullptr;
        const long long n = std::strtoll(text, &end, 10);
        if (*end == '\0' && n >= 1 && n <= 100000)
            return static_cast<std::size_t>(n);
        throw UsageError(
            "OW_SYNC_BATCH must be a whole number from 1 to 100000, got '" + std::string(text) + "'");
    }
    return sync::Replicator::kDefaultBatch;
}

} // namespace

ReplicaSession::ReplicaSession(const Context& ctx)
    : m_sharedConnection(ctx.connectionString())
    , m_sharedName(redactedName(m_sharedConnection))
    , m_replicaName(redactedName(ctx.globals().replica))
    , m_replica(openDatabase("cannot open replica", ctx.globals().replica, storeOptions(true, true)))
    , m_writer(std::make_unique<sync::ReplicaWriter>(
          *m_replica, [this]() -> db::Store& { return openShared(); }, [this] { connectionLost(); },
          batchSize()))
{
    if (m_replica->centre().empty())
        if (db::Store* s = shared(); s && !s->centre().empty())
            m_replica->initialise(s->centre());
}

void ReplicaSession::connectionLost()
{
    // The connection may be dead: the rest of this run works on the replica alone, and
    // what was not acknowledged stays pending.
    if (!m_sharedError)
        m_sharedError = model::DomainError("db.unreachable", {{"reason", m_writer->lastError()}});
}

db::Store& ReplicaSession::openShared()
{
    if (m_shared)
        return *m_shared;
    if (m_sharedError)
        throw *m_sharedError; // asked once per run: an unreachable server costs one timeout
    try {
        m_shared = db::Store::open(m_sharedConnection, storeOptions(false, true));
    } catch (const model::DomainError& e) {
        m_sharedError = e;
        throw;
    }
    return *m_shared;
}

db::Store* ReplicaSession::shared()
{
    try {
        return &openShared();
    } catch (const model::DomainError& e) {
        if (e.code().rfind("db.", 0) != 0)
            throw;
        return nullptr;
    }
}

bool ReplicaSession::syncBothWays()
{
    db::Store* s = shared();
    if (!s || !m_writer->sync())
        return false;
    if (m_replica->centre().empty() && !s->centre().empty())
        m_replica->initialise(s->centre());
    if (!s->centre().empty())
        sync::ReplicaCaseNumberSource(*m_writer, s->centre())
            .topUp(model::SystemClock().today(), kCaseNumberReserve);
    return true;
}

std::string ReplicaSession::offlineReason() const
{
    if (m_sharedError)
        return explain(*m_sharedError);
    return m_writer->lastError();
}

WriteSession::WriteSession(const Context& ctx)
{
    if (ctx.globals().replica.empty())
        m_direct = ctx.openStore();
    else
        m_session = std::make_unique<ReplicaSession>(ctx);
}

model::EventStore& WriteSession::events()
{
    if (m_direct)
        return *m_direct;
    return m_session->writer();
}

db::Store& WriteSession::target()
{
    return m_direct ? *m_direct : m_session->replica();
}

db::Store& WriteSession::reference()
{
    if (m_direct)
        return *m_direct;
    db::Store* shared = m_session->shared();
    return shared ? *shared : m_session->replica();
}

void WriteSession::refresh()
{
    if (m_session)
        m_session->syncBothWays();
}

void WriteSession::requireReference(const std::string& subject, bool catalogue)
{
    if (m_direct || m_session->shared())
        return;
    db::Store& replica = m_session->replica();
    if (replica.centre().empty() || (catalogue && replica.catalogue().matters().empty()))
        throw Failure(subject,
            "the shared database " + m_session->sharedName() + " does not answer ("
                + m_session->offlineReason() + ") and the replica " + m_session->replicaName()
                + " has never been synced; run 'owctl sync' with both once while it answers");
}

model::StaffDirectory& WriteSession::staff()
{
    if (m_direct)
        return *m_direct;
    return m_session->writer();
}

std::unique_ptr<model::CaseNumberSource> WriteSession::caseNumbers(
    const std::string& centre, const std::string& workstation)
{
    if (m_direct)
        return std::make_unique<db::StoreCaseNumberSource>(*m_direct, centre, workstation, 1);
    return std::make_unique<sync::ReplicaCaseNumberSource>(m_session->writer(), centre, workstation);
}

void WriteSession::finish()
{
    if (!m_session)
        return;
    m_session->syncBothWays();
    if (const std::int64_t pending = m_session->writer().pending(); pending > 0)
        std::cerr << "owctl: note: the shared database " << m_session->sharedName() << " does not answer; "
                  << pending << " event" << (pending == 1 ? "" : "s") << " wait in the replica "
                  << m_session->replicaName() << " for 'owctl sync'\n";
}

int runSync(Context& ctx)
{
    ReplicaSession session(ctx);
    db::Store& replica = session.replica();
    db::Store* shared = session.shared();
    if (!shared)
        throw Failure("sync",
            "the shared database " + session.sharedName() + " does not answer: " + session.offlineReason());
    const std::int64_t replicaBefore = replica.eventCount();
    const auto heldBefore = static_cast<std::int64_t>(replica.heldEvents().size());
    const std::int64_t sharedBefore = shared->eventCount();
    const std::int64_t pendingBefore = session.writer().pending();
    if (!session.syncBothWays())
        throw Failure("sync",
            "the shared database " + session.sharedName()
                + " does not answer: " + session.writer().lastError());
    const std::int64_t down = replica.eventCount() - replicaBefore;
    const std::int64_t pending = session.writer().pending();
    // Events the shared database stored now, or had committed before without a
    // checkpoint (a commit whose acknowledgement was lost): both were pending.
    const std::int64_t up = std::max(shared->eventCount() - sharedBefore, pendingBefore - pending);
    const auto held = static_cast<std::int64_t>(replica.heldEvents().size());
    // Events that came down to be held are something done.
    if (up == 0 && down == 0 && held == heldBefore)
        throw NothingToDo("the replica " + session.replicaName() + " and the shared database "
            + session.sharedName() + " hold the same events"
            + (held > 0 ? " (" + std::to_string(held)
                        + " of them held in the replica until they can apply: owctl held)"
                        : ""));
    if (ctx.json()) {
        model::Json j = model::Json::object();
        j["up"] = up;
        j["down"] = down;
        j["pending"] = pending;
        j["held"] = held;
        ctx.out() << j.canonical() << "\n";
    } else {
        ctx.out() << "synced " << session.replicaName() << " with " << session.sharedName() << ": " << up
                  << " events up, " << down << " events down, " << pending << " pending, " << held
                  << " held\n";
    }
    return kExitOk;
}

int runStatus(Context& ctx)
{
    ReplicaSession session(ctx);
    const bool online = session.shared() != nullptr;
    const std::int64_t pending = session.writer().pending();
    const auto held = static_cast<std::int64_t>(session.replica().heldEvents().size());
    if (ctx.json()) {
        model::Json j = model::Json::object();
        j["online"] = online;
        j["pending"] = pending;
        j["held"] = held;
        ctx.out() << j.canonical() << "\n";
        return kExitOk;
    }
    ctx.out() << "online " << (online ? "yes" : "no") << "\n"
              << "pending " << pending << "\n"
              << "held " << held << "\n";
    if (!online)
        ctx.out() << "last error " << oneLine(session.offlineReason()) << "\n";
    return kExitOk;
}

} // namespace ow::owctl
