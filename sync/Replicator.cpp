#include "sync/Replicator.h"

#include "model/Error.h"

#include <algorithm>
#include <charconv>
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
    return checked ? m_store.receive(events, docs) : m_store.receive(events);
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
    // With prefetching, the next batch is read from the source on a thread of its own while
    // the target stores this one; the source is not used otherwise until that read is
    // back (its checkpoint is written after it).
    std::future<std::vector<db::Change>> prefetched;
    const auto read = [&](std::int64_t from) { return source.changesSince(from, m_batchSize); };
    auto changes = read(cursor);
    while (!changes.empty()) {
        result.read += changes.size();
        auto missing = target.lackingOf(changes);
        const std::int64_t last = changes.back().arrival;
        if (m_prefetch)
            prefetched = std::async(std::launch::async, read, last);
        if (!missing.empty()) {
            std::vector<db::Change> batch;
            std::size_t next = 0;
            for (auto& c : changes)
                if (next < missing.size() && c.event.id() == missing[next]) {
                    batch.push_back(std::move(c));
                    ++next;
                }
            changes.clear();
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
            changes = read(cursor);
    }
    result.toCursor = cursor;
    return result;
}

} // namespace ow::sync
