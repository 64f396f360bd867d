// The workstation replica of one owctl run (--replica): the local store, created when
// missing, and a sync::ReplicaWriter in front of it whose shared store (--db) is opened
// lazily and, when it does not answer, left alone for the rest of the run.
#pragma once

#include "model/CaseNumber.h"

#include "Commands.h"
#include "sync/ReplicaWriter.h"

#include <memory>
#include <optional>
#include <string>

namespace ow::owctl {

class ReplicaSession {
public:
    // Opens (or creates) the replica; a fresh replica takes the shared store's centre
    // when that answers.
    explicit ReplicaSession(const Context& ctx);
    ReplicaSession(const ReplicaSession&) = delete; // the writer holds `this`
    ReplicaSession& operator=(const ReplicaSession&) = delete;

    db::Store& replica() { return *m_replica; }
    sync::ReplicaWriter& writer() { return *m_writer; }
    // The shared store, or nullptr while it does not answer (reason: offlineReason()).
    db::Store* shared();
    std::string offlineReason() const;
    // Online: the replica's events up, the centre's down, the replica's centre set and its
    // block of case numbers topped up for the next outage. False while offline.
    bool syncBothWays();
    const std::string& sharedName() const { return m_sharedName; } // redacted
    const std::string& replicaName() const { return m_replicaName; } // redacted

private:
    db::Store& openShared();
    void connectionLost();

    std::string m_sharedConnection;
    std::string m_sharedName;
    std::string m_replicaName;
    std::unique_ptr<db::Store> m_replica;
    std::unique_ptr<db::Store> m_shared;
    std::optional<model::DomainError> m_sharedError;
    std::unique_ptr<sync::ReplicaWriter> m_writer;
};

// Where a writing command writes. Without --replica: straight into --db. With it: into
// the replica first under the replica's origin, pushed to --db at once while that
// answers and left pending otherwise; reference data (catalogue, staff, centre) and case
// numbers come from --db while it answers, else from the replica.
class WriteSession {
public:
    explicit WriteSession(const Context& ctx);

    // The events of case work go here.
    model::EventStore& events();
    // The store that takes reference-data writes first: --db, or the replica.
    db::Store& target();
    // Catalogue and centre to decide with: --db while it answers, else the replica.
    db::Store& reference();
    // Staff accounts: --db while it answers (also if it stops mid-command), else the replica.
    model::StaffDirectory& staff();
    bool throughReplica() const { return m_session != nullptr; }
    // With a replica and --db answering: brings the replica up to date first, so that a
    // reference-data write is decided on the centre's current data.
    void refresh();
    // With a replica that is offline and has never been synced, nothing can be decided:
    // a Failure naming both databases.
    // `catalogue`: the command needs the catalogue too, not just centre and staff.
    void requireReference(const std::string& subject, bool catalogue = true);
    // Case numbers: --db blocks directly, or replica blocks with the workstation fallback.
    std::unique_ptr<model::CaseNumberSource> caseNumbers(
        const std::string& centre, const std::string& workstation);
    // After the command wrote: pushes what the replica holds, and says on stderr when
    // events stay pending because --db does not answer.
    void finish();

private:
    std::unique_ptr<db::Store> m_direct;
    std::unique_ptr<ReplicaSession> m_session;
};

} // namespace ow::owctl
