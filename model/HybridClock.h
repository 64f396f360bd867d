// Hybrid logical clock: wall-clock milliseconds and a 10-bit counter in one int64, so
// timestamps order causally even when wall clocks disagree a little. The value stays
// below 2^53 until the year 2248: the event documents carry it as a JSON number, and a
// JavaScript peer (PouchDB) keeps every integer up to 2^53 exact and no larger one.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>

namespace ow::model {

using Hlc = std::int64_t;

inline constexpr int kHlcCounterBits = 10; // 1,024 timestamps per millisecond, then the ms carries
inline constexpr std::int64_t kHlcCounterMask = (std::int64_t{1} << kHlcCounterBits) - 1;
// The largest timestamp a JavaScript number holds exactly.
inline constexpr Hlc kHlcJsSafeMax = (std::int64_t{1} << 53) - 1;

constexpr Hlc makeHlc(std::int64_t wallMs, std::int64_t counter)
{
    return (wallMs << kHlcCounterBits) | (counter & kHlcCounterMask);
}
constexpr std::int64_t hlcWallMs(Hlc h)
{
    return h >> kHlcCounterBits;
}
constexpr std::int64_t hlcCounter(Hlc h)
{
    return h & kHlcCounterMask;
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
