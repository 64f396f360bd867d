// The workstation's writer (DESIGN: "Offline workstation"): every event goes to the local
// replica first, under the replica's own origin, and is pushed to the shared database at
// once while that answers, or by a later push. Reads go to the shared database while it
// answers and to the replica when it does not.
#pragma once

#include "sync/Replicator.h"

#include <functional>
#include <string>

namespace ow::sync {

class ReplicaWriter : public model::EventStore, public model::StaffDirectory {
public:
    // `shared` gives the shared store, or throws DomainError (db.*) while it is
    // unreachable; it is asked again on every push and read. `lost` (optional) hears of
    // every connection problem, so that the owner can drop a connection that may be dead.
    ReplicaWriter(db::Store& replica, std::function<db::Store&()> shared, std::function<void()> lost = {},
        std::size_t batchSize = Replicator::kDefaultBatch);

    std::vector<model::Event> append(const std::vector<model::NewEvent>& events) override;
    std::vector<model::Event> caseEvents(const std::string& caseNumber) const override;
    std::optional<model::CaseState> findCase(const std::string& caseNumber) const override;
    std::string origin() const override { return m_replica.origin(); }
    // model::StaffDirectory: the shared store's accounts while it answers, else the replica's.
    std::optional<model::Staff> findStaff(const std::string& id) const override;

    // Sends what the shared store lacks and brings down what the replica lacks, then
    // looks again at the replica's held events (a clock that has caught up releases
    // them). Returns false (and stays offline) when the shared store does not answer.
    bool sync();
    // Sends what the shared store lacks of the replica's events; false while offline.
    bool push();
    bool online() const { return m_online; }
    // Replica events not yet acknowledged by the shared store.
    std::int64_t pending() const;
    const std::string& lastError() const { return m_lastError; }
    // What the last push and the last pull moved.
    const ReplicationResult& lastPush() const { return m_lastPush; }
    const ReplicationResult& lastPull() const { return m_lastPull; }

    // Runs `work` on the shared store; false (offline) when that does not answer. The one
    // place that decides what counts as a connection problem.
    bool withShared(const std::function<void(db::Store&)>& work) const;
    db::Store& replica() const { return m_replica; }

    // Asked before every use of the shared store: while it returns false the shared store
    // counts as unreachable without being tried, so nothing waits on a dead connection
    // (the client's ReplicaLink decides). Unset: always tried.
    void setGate(std::function<bool()> reachable) { m_gate = std::move(reachable); }
    // Called with the number of events after every append, instead of pushing at once
    // (the client's ReplicaLink pushes on its own thread). Unset: append pushes itself.
    void setAfterAppend(std::function<void(std::size_t)> appended) { m_afterAppend = std::move(appended); }

private:
    db::Store& m_replica;
    std::function<db::Store&()> m_shared;
    std::function<void()> m_lost;
    std::function<bool()> m_gate;
    std::function<void(std::size_t)> m_afterAppend;
    Replicator m_replicator;
    ReplicationResult m_lastPush;
    ReplicationResult m_lastPull;
    mutable bool m_online = false;
    mutable std::string m_lastError;
};

} // namespace ow::sync
