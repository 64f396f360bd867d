// The one replicator (DESIGN: "One replicator, three places"): moves events between two
// event stores, whatever carries them. It reads the source's changes since a checkpoint,
// asks the target which events it lacks, sends those in batches (one target transaction
// each) and moves the checkpoint only after the target committed. Sending again is
// harmless: stores take events idempotently by id.
#pragma once

#include "db/Store.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::sync {

// One side of a replication, as the engine sees it. StoreEndpoint adapts a db::Store;
// the HTTP transport of the centre-sync will be another.
class Endpoint {
public:
    virtual ~Endpoint() = default;
    // A stable identity of this side, naming its checkpoints on the other side.
    virtual std::string id() const = 0;
    virtual std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) = 0;
    virtual std::vector<std::string> lacking(const std::vector<std::string>& ids) = 0;
    virtual std::size_t receive(const std::vector<model::Event>& events) = 0;
    virtual std::optional<std::int64_t> checkpoint(const std::string& key) = 0;
    virtual void setCheckpoint(const std::string& key, std::int64_t value) = 0;
};

class StoreEndpoint : public Endpoint {
public:
    explicit StoreEndpoint(db::Store& store)
        : m_store(store)
    {
    }
    std::string id() const override { return m_store.origin(); }
    std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) override
    {
        return m_store.changesSince(cursor, limit);
    }
    std::vector<std::string> lacking(const std::vector<std::string>& ids) override
    {
        return m_store.lacking(ids);
    }
    std::size_t receive(const std::vector<model::Event>& events) override { return m_store.receive(events); }
    std::optional<std::int64_t> checkpoint(const std::string& key) override;
    void setCheckpoint(const std::string& key, std::int64_t value) override;

private:
    db::Store& m_store;
};

struct ReplicationResult {
    std::int64_t fromCursor = 0;
    std::int64_t toCursor = 0;
    std::size_t read = 0; // changes read from the source
    std::size_t sent = 0; // events the target lacked and was sent
    std::size_t stored = 0; // events the target stored as new
    std::size_t batches = 0;
};

class Replicator {
public:
    // 1000 measured best for a workstation's push to PostgreSQL (bench/BenchReconcile.cpp):
    // smaller batches pay more round trips, larger ones hold the arrival counter longer.
    static constexpr std::size_t kDefaultBatch = 1000;
    explicit Replicator(std::size_t batchSize = kDefaultBatch)
        : m_batchSize(batchSize)
    {
    }

    // One pass: everything the source has that arrived after the checkpoint kept for
    // this source → target pair, until the source has nothing newer. `committed` hears
    // the source cursor after each batch the target committed and checkpointed.
    ReplicationResult replicate(
        Endpoint& source, Endpoint& target, const std::function<void(std::int64_t)>& committed = {});

    // The checkpoint key a target keeps for a source (exposed for status reports).
    static std::string checkpointKey(const Endpoint& source, const Endpoint& target);

private:
    std::size_t m_batchSize;
};

} // namespace ow::sync
