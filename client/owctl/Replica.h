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
    const std::string& sharedName() const { return m_sharedName; } // redacted
    const std::string& replicaName() const { return m_replicaName; } // redacted

private:
    db::Store& openShared();

    std::string m_sharedConnection;
    std::string m_sharedName;
    std::string m_replicaName;
    std::unique_ptr<db::Store> m_replica;
    std::unique_ptr<db::Store> m_shared;
    std::optional<model::DomainError> m_sharedError;
    std::unique_ptr<sync::ReplicaWriter> m_writer;
};

// Case numbers while the shared store does not answer: the workstation fallback
// <centre>-<date>-<workstation>-NNNN, its last sequence kept in the replica's setting
// "casenumber/fallback" ("YYYY-MM-DD N") so that no number is handed out twice.
class FallbackCaseNumberSource : public model::CaseNumberSource {
public:
    FallbackCaseNumberSource(db::Store& replica, const std::string& centre, const std::string& workstation);
    model::CaseNumber nextCaseNumber(model::Date date) override;

private:
    db::Store& m_replica;
    model::CaseNumberAllocator m_allocator;
};

} // namespace ow::owctl
