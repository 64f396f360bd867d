#include "sync/Replicator.h"

#include "model/Error.h"

#include <algorithm>
#include <charconv>
#include <deque>
#include <future>

namespace ow::sync {

std::optional<std::int64_t> StoreEndpoint::checkpoint(const std::string& key)
{
    auto text = m_store.setting(key);
    if (!text)
        return std::nullopt;
    std::int64_t value = 0;
    auto [p, ec] = std::from_chars(text->data(), text->data() + text->size(), value);
    if (ec != std::errc() || p != text->data() + text->size() || value < 0)
        throw model::DomainError("sync.checkpoint_invalid", {{"key", key}, {"value", *text}});
    return value;
}

void StoreEndpoint::setCheckpoint(const std::string& key, std::int64_t value)
{
    m_store.setSetting(key, std::to_string(value));
}

std::vector<std::string> Endpoint::lackingOf(const std::vector<db::Change>& changes)
{
    std::vector<std::string> ids;
    ids.reserve(changes.size());
    for (const auto& c : changes)
        ids.push_back(c.event.id());
    return lacking(ids);
}

std::size_t Endpoint::receiveChanges(std::vector<db::Change> changes)
{
    std::vector<model::Event> events;
    events.reserve(changes.size());
    for (auto& c : changes)
        events.push_back(std::move(c.event));
    return receive(events);
}

std::size_t StoreEndpoint::receiveChanges(std::vector<db::Change> changes)
{
    std::vector<model::Event> events;
    std::vector<std::string> docs;
    events.reserve(changes.size());
    docs.reserve(changes.size());
    // Texts read back from a store are not checked: the store then checks each hash itself.
    const bool checked
        = std::all_of(changes.begin(), changes.end(), [](const db::Change& c) { return c.docChecked; });
    for (auto& c : changes) {
        events.push_back(std::move(c.event));
        docs.push_back(std::move(c.doc));
    }
    return checked ? m_store.receive(std::move(events), std::move(docs)) : m_store.receive(std::move(events));
}

namespace {

// The changes the target said it lacks (`missing`, in the order of `changes`), moved out.
std::vector<db::Change> takeMissing(std::vector<db::Change>& changes, const std::vector<std::string>& missing)
{
    std::vector<db::Change> batch;
    std::size_t next = 0;
    for (auto& c : changes)
        if (next < missing.size() && c.event.id() == missing[next]) {
            batch.push_back(std::move(c));
            ++next;
        }
    changes.clear();
    return batch;
}

} // namespace

std::vector<db::Change> Replicator::read(Endpoint& source, const Endpoint& target, std::int64_t from) const
{
    return target.takesDocuments() ? source.documentsSince(from, m_batchSize)
                                   : source.changesSince(from, m_batchSize);
}

std::string Replicator::checkpointKey(const Endpoint& source, const Endpoint& target)
{
    return "replication/" + source.id() + "->" + target.id();
}

ReplicationResult Replicator::replicate(
    Endpoint& source, Endpoint& target, const std::function<void(std::int64_t)>& committed)
{
    ReplicationResult result;
    // The target keeps the checkpoint: it is the side that knows what it committed.
    const std::string key = checkpointKey(source, target);
    std::int64_t cursor = target.checkpoint(key).value_or(0);
    if (m_bothSides && cursor > 0)
        cursor = std::min(cursor, source.checkpoint(key).value_or(0));
    result.fromCursor = cursor;
    if (m_inFlight > 1) {
        const auto senders = target.moreConnections(m_inFlight);
        if (senders.size() > 1) {
            struct Release {
                Endpoint& target;
                ~Release() { target.closeMoreConnections(); }
            } release{target};
            return sendAhead(source, target, senders, key, result, committed);
        }
    }
    // With prefetching, the next batch is read from the source on a thread of its own while
    // the target stores this one; the source is not used otherwise until that read is
    // back (its checkpoint is written after it).
    std::future<std::vector<db::Change>> prefetched;
    const auto readFrom = [&](std::int64_t from) { return read(source, target, from); };
    auto changes = readFrom(cursor);
    while (!changes.empty()) {
        result.read += changes.size();
        auto missing = target.lackingOf(changes);
        const std::int64_t last = changes.back().arrival;
        if (m_prefetch)
            prefetched = std::async(std::launch::async, readFrom, last);
        if (!missing.empty()) {
            auto batch = takeMissing(changes, missing);
            result.sent += batch.size();
            result.stored += target.receiveChanges(std::move(batch)); // one transaction on the target
            ++result.batches;
        }
        // Only after the target committed: a crash before this line resends the batch,
        // which the target takes idempotently.
        cursor = last;
        target.setCheckpoint(key, cursor);
        changes = m_prefetch ? prefetched.get() : std::vector<db::Change>{};
        if (m_bothSides)
            source.setCheckpoint(key, cursor);
        if (committed)
            committed(cursor);
        if (m_stopRequested && m_stopRequested())
            break;
        if (!m_prefetch)
            changes = readFrom(cursor);
    }
    result.toCursor = cursor;
    return result;
}

// Batches go out over the senders in turn while the main thread reads the next one and asks
// the target which of its events it lacks; at most one batch per sender is in flight, and
// they are checkpointed in the order sent. A batch's checkpoint is written after the next
// batch went out: on a target with one writer, the checkpoint waits for the batch being
// stored, and the next batch is checked meanwhile. A failed batch ends the pass with its
// error once the batches sent before it were checkpointed; those sent after it may have
// been stored, which the next pass finds (the target takes them idempotently).
ReplicationResult Replicator::sendAhead(Endpoint& source, Endpoint& target,
    const std::vector<Endpoint*>& senders, const std::string& key, ReplicationResult result,
    const std::function<void(std::int64_t)>& committed)
{
    struct Sent {
        std::future<std::size_t> stored;
        std::int64_t last = 0;
    };
    // A future of std::async waits for its batch when destroyed: an error leaves no batch
    // behind in flight.
    std::deque<Sent> sent;
    std::int64_t cursor = result.fromCursor;
    bool stop = false;
    // The oldest batch in flight, once the target committed it: its source cursor.
    const auto awaitOldest = [&] {
        Sent oldest = std::move(sent.front());
        sent.pop_front();
        result.stored += oldest.stored.get();
        return oldest.last;
    };
    const auto checkpoint = [&](std::int64_t last) {
        cursor = last;
        target.setCheckpoint(key, cursor);
        if (m_bothSides)
            source.setCheckpoint(key, cursor);
        if (committed)
            committed(cursor);
        if (m_stopRequested && m_stopRequested())
            stop = true;
    };
    std::size_t next = 0;
    auto changes = read(source, target, cursor);
    while (!changes.empty() && !stop) {
        result.read += changes.size();
        const auto missing = target.lackingOf(changes);
        const std::int64_t last = changes.back().arrival;
        auto batch = takeMissing(changes, missing);
        std::optional<std::int64_t> done;
        if (sent.size() == senders.size())
            done = awaitOldest();
        Sent s;
        s.last = last;
        if (batch.empty()) {
            std::promise<std::size_t> none;
            none.set_value(0);
            s.stored = none.get_future();
        } else {
            result.sent += batch.size();
            ++result.batches;
            Endpoint& via = *senders[next++ % senders.size()];
            s.stored = std::async(std::launch::async,
                [&via, b = std::move(batch)]() mutable { return via.receiveChanges(std::move(b)); });
        }
        sent.push_back(std::move(s));
        if (done)
            checkpoint(*done);
        if (!stop)
            changes = read(source, target, last);
    }
    // A stop still lets the batches in flight finish, and checkpoints them.
    while (!sent.empty())
        checkpoint(awaitOldest());
    result.toCursor = cursor;
    return result;
}

} // namespace ow::sync
