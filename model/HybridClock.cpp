#include "model/HybridClock.h"

#include <algorithm>
#include <chrono>

namespace ow::model {

PhysicalClock systemPhysicalClock()
{
    return [] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
    };
}

HybridClock::HybridClock(PhysicalClock physical, Hlc highWater)
    : m_physical(std::move(physical))
    , m_last(highWater)
{
}

Hlc HybridClock::advance(Hlc floor)
{
    // Next timestamp strictly above `floor` and not below the wall clock.
    Hlc wall = makeHlc(m_physical(), 0);
    Hlc next = std::max(wall, floor + 1);
    // A counter overflow carries into the millisecond part by construction of the encoding.
    m_last = next;
    return next;
}

Hlc HybridClock::tick()
{
    std::lock_guard lock(m_mutex);
    return advance(m_last);
}

Hlc HybridClock::observe(Hlc remote)
{
    std::lock_guard lock(m_mutex);
    return advance(std::max(m_last, remote));
}

Hlc HybridClock::highWater() const
{
    std::lock_guard lock(m_mutex);
    return m_last;
}

bool HybridClock::tooFarAhead(Hlc remote, std::int64_t maxSkewMs) const
{
    return hlcWallMs(remote) > m_physical() + maxSkewMs;
}

} // namespace ow::model
