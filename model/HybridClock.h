// Hybrid logical clock: 48 bits of wall-clock milliseconds and a 16-bit counter in one
// int64, so timestamps order causally even when wall clocks disagree a little.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>

namespace ow::model {

using Hlc = std::int64_t;

constexpr Hlc makeHlc(std::int64_t wallMs, std::int64_t counter)
{
    return (wallMs << 16) | (counter & 0xFFFF);
}
constexpr std::int64_t hlcWallMs(Hlc h)
{
    return h >> 16;
}
constexpr std::int64_t hlcCounter(Hlc h)
{
    return h & 0xFFFF;
}

// Milliseconds since the Unix epoch; injectable so tests and skew faults control time.
using PhysicalClock = std::function<std::int64_t()>;
PhysicalClock systemPhysicalClock();

class HybridClock {
public:
    // `highWater` is the largest timestamp this node ever issued or saw, persisted by its
    // store, so a restarted node never goes back in time even if its wall clock did.
    explicit HybridClock(PhysicalClock physical, Hlc highWater = 0);

    // Timestamp for a local event; strictly greater than everything issued or seen before.
    Hlc tick();
    // Merge a timestamp received from another node (after it passed tooFarAhead).
    Hlc observe(Hlc remote);
    Hlc highWater() const;

    // A remote timestamp further ahead of our wall clock than `maxSkewMs` is held, not
    // merged: merging it would drag this node's clock into the future.
    bool tooFarAhead(Hlc remote, std::int64_t maxSkewMs) const;

    static constexpr std::int64_t defaultMaxSkewMs = 10 * 60 * 1000;

private:
    Hlc advance(Hlc floor);

    PhysicalClock m_physical;
    mutable std::mutex m_mutex;
    Hlc m_last;
};

} // namespace ow::model
