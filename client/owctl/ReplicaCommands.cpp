// The replica commands (--replica): sync and status, and the replica session that
// intake writes through.
#include "model/Error.h"
#include "model/Json.h"

#include "Messages.h"
#include "Replica.h"

namespace ow::owctl {

namespace {

const char* kFallbackKey = "casenumber/fallback";

std::string redactedName(const std::string& connection)
{
    try {
        return db::ConnectionInfo::parse(connection).redacted();
    } catch (const model::DomainError&) {
        return connection; // openDatabase reports the malformed string
    }
}

} // namespace

ReplicaSession::ReplicaSession(const Context& ctx)
    : m_sharedConnection(ctx.connectionString())
    , m_sharedName(redactedName(m_sharedConnection))
    , m_replicaName(redactedName(ctx.globals().replica))
    , m_replica(openDatabase("cannot open replica", ctx.globals().replica, storeOptions(true, true)))
    , m_writer(
          std::make_unique<sync::ReplicaWriter>(*m_replica, [this]() -> db::Store& { return openShared(); }))
{
    if (m_replica->centre().empty())
        if (db::Store* s = shared(); s && !s->centre().empty())
            m_replica->initialise(s->centre());
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

std::string ReplicaSession::offlineReason() const
{
    if (m_sharedError)
        return explain(*m_sharedError);
    return m_writer->lastError();
}

FallbackCaseNumberSource::FallbackCaseNumberSource(
    db::Store& replica, const std::string& centre, const std::string& workstation)
    : m_replica(replica)
    , m_allocator(centre, workstation)
{
    if (auto saved = m_replica.setting(kFallbackKey)) {
        auto space = saved->find(' ');
        auto date = model::Date::fromIso(saved->substr(0, space));
        if (date && space != std::string::npos)
            m_allocator.setFallbackState(*date, std::stoll(saved->substr(space + 1)));
    }
}

model::CaseNumber FallbackCaseNumberSource::nextCaseNumber(model::Date date)
{
    model::CaseNumber n = m_allocator.next(date);
    // Kept before the number is used: a crash afterwards skips a number, never repeats one.
    m_replica.setSetting(kFallbackKey,
        m_allocator.fallbackDate().iso() + " " + std::to_string(m_allocator.fallbackSequence()));
    return n;
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
    const std::int64_t sharedBefore = shared->eventCount();
    if (!session.writer().sync())
        throw Failure("sync",
            "the shared database " + session.sharedName()
                + " does not answer: " + session.writer().lastError());
    if (replica.centre().empty() && !shared->centre().empty())
        replica.initialise(shared->centre());
    const std::int64_t up = shared->eventCount() - sharedBefore;
    const std::int64_t down = replica.eventCount() - replicaBefore;
    const std::int64_t pending = session.writer().pending();
    const auto held = static_cast<std::int64_t>(replica.heldEvents().size());
    if (up == 0 && down == 0)
        throw NothingToDo("the replica " + session.replicaName() + " and the shared database "
            + session.sharedName() + " hold the same events");
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
