#include "model/HybridClock.h"

#include "model/Log.h"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <spdlog/spdlog.h>
#include <stdexcept>
#include <string>

namespace ow::model {

namespace {

// The fault suite's clock-skew hook (docs/FAULTS.md): OW_CLOCK_OFFSET_MS shifts this
// process's wall clock by that many milliseconds (negative: behind). Read once, here and
// nowhere else, so the hybrid clock and everything it feeds see one consistent skewed time;
// the pure code paths keep taking their clock as a parameter.
std::int64_t wallClockOffsetMs()
{
    static const std::int64_t offset = [] {
        const char* text = std::getenv("OW_CLOCK_OFFSET_MS");
        if (!text || !*text)
            return std::int64_t{0};
        constexpr std::int64_t limit = 10LL * 366 * 24 * 3600 * 1000; // ten years
        std::int64_t value = 0;
        const char* end = text + std::strlen(text);
        auto [ptr, ec] = std::from_chars(text, end, value);
        if (ec != std::errc() || ptr != end || value < -limit || value > limit)
            throw std::invalid_argument(
                "OW_CLOCK_OFFSET_MS must be a whole number of milliseconds within ten years "
                "either way, got '"
                + std::string(text) + "'");
        if (value != 0)
            logger()->warn(
                "the wall clock is offset by {} ms (OW_CLOCK_OFFSET_MS): for fault tests only", value);
        return value;
    }();
    return offset;
}

} // namespace

PhysicalClock systemPhysicalClock()
{
    const std::int64_t offset = wallClockOffsetMs();
    return [offset] {
        using namespace std::chrono;
        return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count() + offset;
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
