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

ReplicaWriter::ReplicaWriter(
    db::Store& replica, std::function<db::Store&()> shared, std::function<void()> lost, std::size_t batchSize)
    : m_replica(replica)
    , m_shared(std::move(shared))
    , m_lost(std::move(lost))
    , m_replicator(batchSize)
{
}

bool ReplicaWriter::withShared(const std::function<void(db::Store&)>& work) const
{
    // A connection problem (db.*) means offline: what was not acknowledged stays pending
    // and is sent again. Anything else is a real error and goes to the caller.
    if (m_gate && !m_gate()) {
        m_online = false;
        return false;
    }
    try {
        db::Store& shared = m_shared();
        work(shared);
        m_online = true;
        return true;
    } catch (const model::DomainError& e) {
        if (!isConnectionProblem(e))
            throw;
        m_online = false;
        m_lastError = e.what();
        if (m_lost)
            m_lost(); // the connection may be dead: the next attempt opens a new one
        return false;
    }
}

std::optional<model::Staff> ReplicaWriter::findStaff(const std::string& id) const
{
    std::optional<model::Staff> staff;
    if (withShared([&](db::Store& shared) { staff = shared.findStaff(id); }))
        return staff;
    return m_replica.findStaff(id);
}

bool ReplicaWriter::push()
{
    return withShared([this](db::Store& shared) {
        StoreEndpoint from(m_replica);
        StoreEndpoint to(shared);
        // Acknowledged batch by batch: the shared store committed everything up to there,
        // so a push cut in a later batch leaves only the rest pending.
        const auto acknowledge = [this](std::int64_t cursor) {
            const std::string value = std::to_string(cursor);
            if (m_replica.setting(kPushedKey) != value)
                m_replica.setSetting(kPushedKey, value);
        };
        m_lastPush = {};
        const auto result = m_replicator.replicate(from, to, acknowledge);
        m_lastPush = result;
        // Also when nothing was sent: the shared store's checkpoint may already cover
        // events a writer pushed before it died without noting the acknowledgement.
        acknowledge(result.toCursor);
    });
}

std::vector<model::Event> ReplicaWriter::append(const std::vector<model::NewEvent>& events)
{
    auto stored = m_replica.append(events); // durable locally before anything else
    if (m_afterAppend)
        m_afterAppend(stored.size());
    else
        push();
    return stored;
}

bool ReplicaWriter::sync()
{
    m_lastPush = m_lastPull = {};
    const bool synced = push() && withShared([this](db::Store& shared) {
        StoreEndpoint from(shared);
        StoreEndpoint to(m_replica);
        m_lastPull = {};
        m_lastPull = m_replicator.replicate(from, to);
    });
    // Held events are looked at again even when nothing new came down: one held because
    // its clock was ahead applies once this clock has caught up.
    if (synced && !m_replica.heldEvents().empty())
        m_replica.receive(std::vector<model::Event>{});
    return synced;
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
    std::vector<model::Event> events;
    withShared([&](db::Store& shared) { events = shared.caseEvents(caseNumber); });
    return events.empty() ? m_replica.caseEvents(caseNumber) : events;
}

std::optional<model::CaseState> ReplicaWriter::findCase(const std::string& caseNumber) const
{
    // The replica's own unpushed events would be missing from the shared store's view:
    // read there only when nothing is pending.
    std::optional<model::CaseState> state;
    if (pending() == 0)
        withShared([&](db::Store& shared) { state = shared.findCase(caseNumber); });
    return state ? state : m_replica.findCase(caseNumber);
}

} // namespace ow::sync
