// The one replicator (DESIGN: "One replicator, three places"): moves events between two
// event stores, whatever carries them. It reads the source's changes since a checkpoint,
// asks the target which events it lacks, sends those in batches (one target transaction
// each) and moves the checkpoint only after the target committed. Sending again is
// harmless: stores take events idempotently by id.
#pragma once

#include "db/Store.h"

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ow::sync {

// One side of a replication, as the engine sees it. StoreEndpoint adapts a db::Store;
// sync/net/HttpEndpoint another onewindowd over HTTP(S).
class Endpoint {
public:
    virtual ~Endpoint() = default;
    // A stable identity of this side, naming its checkpoints on the other side.
    virtual std::string id() const = 0;
    virtual std::vector<db::Change> changesSince(std::int64_t cursor, std::size_t limit) = 0;
    // The same, read for a target that takes documents as they are (takesDocuments): only
    // each event's id and `doc` are used. By default the changes themselves.
    virtual std::vector<db::Change> documentsSince(std::int64_t cursor, std::size_t limit)
    {
        return changesSince(cursor, limit);
    }
    // receiveChanges sends each change's document text as it is, and reads nothing of its
    // event but the id (a peer over HTTP, which checks every document itself).
    virtual bool takesDocuments() const { return false; }
    // Which of these ids this side does not hold, in the order given.
    virtual std::vector<std::string> lacking(const std::vector<std::string>& ids) = 0;
    // The same for changes read from the other side. By default asks by id; a CouchDB
    // peer is asked by id and revision (_revs_diff), which only the events can tell.
    virtual std::vector<std::string> lackingOf(const std::vector<db::Change>& changes);
    virtual std::size_t receive(const std::vector<model::Event>& events) = 0;
    // The same for changes read from the other side, whose document texts (when they
    // have them) are stored or sent as they are. By default their events are received.
    virtual std::size_t receiveChanges(std::vector<db::Change> changes);
    virtual std::optional<std::int64_t> checkpoint(const std::string& key) = 0;
    virtual void setCheckpoint(const std::string& key, std::int64_t value) = 0;
    // Up to `n` further connections to this side, for batches sent while this one is busy
    // (the replicator's send-ahead), kept by this endpoint and stopped with it; none when
    // this side has only the one. Each is used from a thread of its own, one call at a
    // time, for receive and receiveChanges alone.
    virtual std::vector<Endpoint*> moreConnections(std::size_t /*n*/) { return {}; }
    // The pass that used them is over: their connections are closed until they are used
    // again (a peer serving each connection with a thread of its own would otherwise
    // hold one per idle connection between passes).
    virtual void closeMoreConnections() { }
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
    std::vector<db::Change> documentsSince(std::int64_t cursor, std::size_t limit) override
    {
        return m_store.documentsSince(cursor, limit);
    }
    std::vector<std::string> lacking(const std::vector<std::string>& ids) override
    {
        return m_store.lacking(ids);
    }
    std::size_t receive(const std::vector<model::Event>& events) override { return m_store.receive(events); }
    std::size_t receiveChanges(std::vector<db::Change> changes) override;
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

    // Opt-in, for centre-to-centre replication as the CouchDB protocol does it: after each
    // batch the target committed, the checkpoint is written on the target and then on the
    // source too, and a pass starts from the lower of the two (0 when either side has
    // none). A side restored from a backup, or one that lost its checkpoint, then makes
    // the pass start early enough instead of skipping what that side no longer holds;
    // starting early only re-reads changes, which the target reports as present. The
    // workstation's replica writer keeps the default: the target's checkpoint alone.
    void setCheckpointBothSides(bool on) { m_bothSides = on; }
    // Opt-in: the next batch is read from the source while the target stores the current
    // one (the source endpoint is then used from a second thread, one call at a time).
    void setPrefetch(bool on) { m_prefetch = on; }
    // Opt-in: up to `batches` batches are sent at once, each over a connection of its own
    // from the target's moreConnections(), so that the target checks the next batch
    // while it stores this one. Checkpoints still move in order, each only after its batch
    // and every earlier one were committed. Without such connections (a local store) it
    // has no effect; 1 (the default) sends a batch only after the last one was stored.
    void setBatchesInFlight(std::size_t batches) { m_inFlight = std::max<std::size_t>(batches, 1); }
    // Asked after each committed batch: true ends the pass there (a stopping daemon).
    void setStopRequested(std::function<bool()> stop) { m_stopRequested = std::move(stop); }

    // One pass: everything the source has that arrived after the checkpoint kept for
    // this source → target pair, until the source has nothing newer. `committed` hears
    // the source cursor after each batch the target committed and checkpointed.
    ReplicationResult replicate(
        Endpoint& source, Endpoint& target, const std::function<void(std::int64_t)>& committed = {});

    // The checkpoint key a target keeps for a source (exposed for status reports).
    static std::string checkpointKey(const Endpoint& source, const Endpoint& target);

private:
    // The source's next batch after `from`, read as the target takes it.
    std::vector<db::Change> read(Endpoint& source, const Endpoint& target, std::int64_t from) const;
    ReplicationResult sendAhead(Endpoint& source, Endpoint& target, const std::vector<Endpoint*>& senders,
        const std::string& key, ReplicationResult result, const std::function<void(std::int64_t)>& committed);

    std::size_t m_batchSize;
    bool m_bothSides = false;
    bool m_prefetch = false;
    std::size_t m_inFlight = 1;
    std::function<bool()> m_stopRequested;
};

} // namespace ow::sync
