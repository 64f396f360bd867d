#include "sync/ReplicaWriter.h"

#include "model/Error.h"

namespace ow::sync {

namespace {

// The replica remembers how far the shared store acknowledged its events, so that the
// pending count is known while the shared store is down.
const char* kPushedKey = "replica/pushed";

bool isConnectionProblem(const model::DomainError& e)
{
    return e.code().rfind("db.", 0) == 0;
}

} // namespace

ReplicaWriter::ReplicaWriter(db::Store& replica, std::function<db::Store&()> shared)
    : m_replica(replica)
    , m_shared(std::move(shared))
{
}

db::Store* ReplicaWriter::sharedOrNull() const
{
    try {
        db::Store& s = m_shared();
        m_online = true;
        return &s;
    } catch (const model::DomainError& e) {
        if (!isConnectionProblem(e))
            throw;
        m_online = false;
        m_lastError = e.what();
        return nullptr;
    }
}

bool ReplicaWriter::push()
{
    db::Store* shared = sharedOrNull();
    if (!shared)
        return false;
    try {
        StoreEndpoint from(m_replica);
        StoreEndpoint to(*shared);
        auto result = m_replicator.replicate(from, to);
        // Acknowledged: the shared store committed everything up to here.
        m_replica.setSetting(kPushedKey, std::to_string(result.toCursor));
        return true;
    } catch (const model::DomainError& e) {
        if (!isConnectionProblem(e))
            throw;
        // A COMMIT that was never acknowledged stays pending and is sent again.
        m_online = false;
        m_lastError = e.what();
        return false;
    }
}

std::vector<model::Event> ReplicaWriter::append(const std::vector<model::NewEvent>& events)
{
    auto stored = m_replica.append(events); // durable locally before anything else
    push();
    return stored;
}

bool ReplicaWriter::sync()
{
    if (!push())
        return false;
    db::Store* shared = sharedOrNull();
    if (!shared)
        return false;
    try {
        StoreEndpoint from(*shared);
        StoreEndpoint to(m_replica);
        m_replicator.replicate(from, to);
        return true;
    } catch (const model::DomainError& e) {
        if (!isConnectionProblem(e))
            throw;
        m_online = false;
        m_lastError = e.what();
        return false;
    }
}

std::int64_t ReplicaWriter::pending() const
{
    std::int64_t pushed = 0;
    if (auto text = m_replica.setting(kPushedKey))
        pushed = std::stoll(*text);
    return m_replica.countOwnSince(pushed);
}

std::vector<model::Event> ReplicaWriter::caseEvents(const std::string& caseNumber) const
{
    if (db::Store* shared = sharedOrNull()) {
        try {
            auto events = shared->caseEvents(caseNumber);
            if (!events.empty())
                return events;
        } catch (const model::DomainError& e) {
            if (!isConnectionProblem(e))
                throw;
            m_online = false;
        }
    }
    return m_replica.caseEvents(caseNumber);
}

std::optional<model::CaseState> ReplicaWriter::findCase(const std::string& caseNumber) const
{
    // The replica's own unpushed events would be missing from the shared store's view:
    // read there only when nothing is pending.
    if (pending() == 0) {
        if (db::Store* shared = sharedOrNull()) {
            try {
                if (auto state = shared->findCase(caseNumber))
                    return state;
            } catch (const model::DomainError& e) {
                if (!isConnectionProblem(e))
                    throw;
                m_online = false;
            }
        }
    }
    return m_replica.findCase(caseNumber);
}

} // namespace ow::sync
