#include "sync/Replicator.h"

#include "model/Error.h"

#include <algorithm>
#include <charconv>

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
    while (true) {
        auto changes = source.changesSince(cursor, m_batchSize);
        if (changes.empty())
            break;
        result.read += changes.size();
        auto missing = target.lackingOf(changes);
        if (!missing.empty()) {
            std::vector<model::Event> batch;
            std::size_t next = 0;
            for (auto& c : changes)
                if (next < missing.size() && c.event.id() == missing[next]) {
                    batch.push_back(std::move(c.event));
                    ++next;
                }
            result.sent += batch.size();
            result.stored += target.receive(batch); // one transaction on the target
            ++result.batches;
        }
        // Only after the target committed: a crash before this line resends the batch,
        // which the target takes idempotently.
        cursor = changes.back().arrival;
        target.setCheckpoint(key, cursor);
        if (m_bothSides)
            source.setCheckpoint(key, cursor);
        if (committed)
            committed(cursor);
        if (m_stopRequested && m_stopRequested())
            break;
    }
    result.toCursor = cursor;
    return result;
}

} // namespace ow::sync
