#include "model/HybridClock.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <vector>

using namespace ow::model;

namespace {

constexpr std::int64_t kNow = 1764300000000; // 2025-11-28, in ms since the epoch
constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kDay = 24 * 60 * kMinute;

// A wall clock the test sets by hand.
struct ManualClock {
    std::int64_t ms = kNow;
    PhysicalClock fn()
    {
        return [this] { return ms; };
    }
};

} // namespace

TEST_CASE("hlc: the encoding packs milliseconds and a 10-bit counter below 2^53", "[hlc]")
{
    constexpr Hlc h = makeHlc(kNow, 5);
    STATIC_REQUIRE(hlcWallMs(h) == kNow);
    STATIC_REQUIRE(hlcCounter(h) == 5);
    STATIC_REQUIRE(makeHlc(kNow, 1023) + 1 == makeHlc(kNow + 1, 0));
    CHECK(makeHlc(kNow, 1) > makeHlc(kNow, 0));
    CHECK(makeHlc(kNow + 1, 0) > makeHlc(kNow, 1023));
    CHECK(hlcCounter(makeHlc(kNow, 1024 + 7)) == 7); // the counter is masked
    // A JavaScript number holds every timestamp exactly until the year 2248
    // (2248-01-01 is 8,770,060,800,000 ms after the epoch).
    CHECK(makeHlc(8770060800000, 1023) <= kHlcJsSafeMax);
    CHECK(makeHlc(kNow, 1023) < kHlcJsSafeMax / 4);
    // Year 4000 still fits in the int64.
    CHECK(hlcWallMs(makeHlc(64060588800000, 1023)) == 64060588800000);
    CHECK(makeHlc(64060588800000, 1023) > 0);
}

TEST_CASE("hlc: the system clock reads milliseconds since the epoch", "[hlc]")
{
    auto clock = systemPhysicalClock();
    const std::int64_t ms = clock();
    CHECK(ms > 1700000000000); // after 2023-11
    CHECK(ms < (std::int64_t{1} << 47));
}

TEST_CASE("hlc: timestamps are monotonic when the wall clock goes backwards", "[hlc]")
{
    ManualClock wall;
    HybridClock clock(wall.fn());
    const Hlc t1 = clock.tick();
    CHECK(t1 == makeHlc(kNow, 0));

    wall.ms = kNow - 100; // NTP steps the clock back
    const Hlc t2 = clock.tick();
    CHECK(t2 > t1);
    CHECK(t2 == makeHlc(kNow, 1));
    wall.ms = kNow - 5000;
    const Hlc t3 = clock.tick();
    CHECK(t3 == makeHlc(kNow, 2));

    // Once the wall clock catches up, it leads again with a fresh counter.
    wall.ms = kNow + 1;
    CHECK(clock.tick() == makeHlc(kNow + 1, 0));

    // Whatever the wall clock does, every tick is strictly above the last.
    std::vector<std::int64_t> walk = {10, -30, 0, 0, -1, 2, -500, 0, 700, -700, 1};
    Hlc last = clock.highWater();
    for (auto step : walk) {
        wall.ms += step;
        Hlc t = clock.tick();
        CHECK(t > last);
        CHECK(hlcWallMs(t) >= wall.ms);
        last = t;
    }
    CHECK(clock.highWater() == last);
}

TEST_CASE("hlc: the counter increments within one millisecond", "[hlc]")
{
    ManualClock wall;
    HybridClock clock(wall.fn());
    for (std::int64_t i = 0; i < 10; ++i) {
        Hlc t = clock.tick();
        CHECK(hlcWallMs(t) == kNow);
        CHECK(hlcCounter(t) == i);
    }
    wall.ms = kNow + 2;
    Hlc t = clock.tick();
    CHECK(hlcWallMs(t) == kNow + 2);
    CHECK(hlcCounter(t) == 0);
}

TEST_CASE("hlc: observe() merges a remote timestamp", "[hlc]")
{
    ManualClock wall;
    HybridClock clock(wall.fn());
    CHECK(clock.tick() == makeHlc(kNow, 0));

    SECTION("a remote timestamp ahead of us is passed")
    {
        const Hlc remote = makeHlc(kNow + 3000, 7);
        const Hlc merged = clock.observe(remote);
        CHECK(merged > remote);
        CHECK(merged == makeHlc(kNow + 3000, 8));
        CHECK(clock.highWater() == merged);
        // Local events after it are ordered after it although our wall clock is behind.
        CHECK(clock.tick() == makeHlc(kNow + 3000, 9));
        wall.ms = kNow + 3001;
        CHECK(clock.tick() == makeHlc(kNow + 3001, 0));
    }
    SECTION("a remote timestamp behind us changes nothing but the counter")
    {
        const Hlc merged = clock.observe(makeHlc(kNow - 2000, 500));
        CHECK(merged == makeHlc(kNow, 1));
        CHECK(clock.tick() == makeHlc(kNow, 2));
    }
    SECTION("a remote timestamp in the same millisecond with a larger counter")
    {
        const Hlc merged = clock.observe(makeHlc(kNow, 40));
        CHECK(merged == makeHlc(kNow, 41));
    }
    SECTION("observing is monotonic too")
    {
        Hlc last = clock.highWater();
        for (Hlc remote :
            {makeHlc(kNow + 10, 0), makeHlc(kNow + 5, 3), makeHlc(kNow + 10, 0), makeHlc(0, 0)}) {
            Hlc merged = clock.observe(remote);
            CHECK(merged > last);
            CHECK(merged > remote);
            last = merged;
        }
    }
}

TEST_CASE("hlc: a counter overflow carries into the milliseconds", "[hlc]")
{
    ManualClock wall;
    SECTION("on tick")
    {
        HybridClock clock(wall.fn(), makeHlc(kNow, 1022));
        CHECK(clock.tick() == makeHlc(kNow, 1023));
        const Hlc carried = clock.tick();
        CHECK(carried == makeHlc(kNow + 1, 0));
        CHECK(hlcWallMs(carried) == kNow + 1);
        CHECK(hlcCounter(carried) == 0);
        CHECK(clock.tick() == makeHlc(kNow + 1, 1));
    }
    SECTION("on observe")
    {
        HybridClock clock(wall.fn());
        const Hlc merged = clock.observe(makeHlc(kNow + 50, 1023));
        CHECK(merged == makeHlc(kNow + 51, 0));
        CHECK(clock.tick() == makeHlc(kNow + 51, 1));
    }
    SECTION("a burst of more than 1024 events in one millisecond stays ordered")
    {
        HybridClock clock(wall.fn());
        Hlc last = 0;
        bool increasing = true;
        for (int i = 0; i < 70000; ++i) {
            Hlc t = clock.tick();
            increasing = increasing && t > last;
            last = t;
        }
        CHECK(increasing);
        // 70,000 timestamps: 68 whole milliseconds of 1,024 and 368 more.
        CHECK(last == makeHlc(kNow + 68, 70000 - 68 * 1024 - 1));
    }
}

TEST_CASE("hlc: a restarted node resumes above its persisted high-water mark", "[hlc]")
{
    ManualClock wall;
    Hlc persisted = 0;
    {
        HybridClock before(wall.fn());
        wall.ms = kNow + 10 * kMinute;
        before.tick();
        before.observe(makeHlc(kNow + 20 * kMinute, 3));
        persisted = before.highWater();
    }
    CHECK(persisted == makeHlc(kNow + 20 * kMinute, 4));

    // The machine reboots with its clock an hour behind.
    wall.ms = kNow - 60 * kMinute;
    HybridClock after(wall.fn(), persisted);
    CHECK(after.highWater() == persisted);
    const Hlc t = after.tick();
    CHECK(t > persisted);
    CHECK(t == makeHlc(kNow + 20 * kMinute, 5));

    // Without the mark it would have gone back in time: that is why it is persisted.
    HybridClock amnesiac(wall.fn());
    CHECK(amnesiac.tick() < persisted);
}

TEST_CASE("hlc: tooFarAhead holds timestamps beyond the allowed skew", "[hlc]")
{
    ManualClock wall;
    HybridClock clock(wall.fn());
    const auto maxSkew = HybridClock::defaultMaxSkewMs;
    CHECK(maxSkew == 10 * kMinute);

    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow, 0), maxSkew));
    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow - kDay, 0), maxSkew));
    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow + 5 * kMinute, 0), maxSkew));
    CHECK(clock.tooFarAhead(makeHlc(kNow + kDay, 0), maxSkew));
    // The boundary: exactly the allowed skew is still accepted, one ms more is not.
    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow + maxSkew, 1023), maxSkew));
    CHECK(clock.tooFarAhead(makeHlc(kNow + maxSkew + 1, 0), maxSkew));
    // Other limits.
    CHECK(clock.tooFarAhead(makeHlc(kNow + 5 * kMinute, 0), kMinute));
    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow + kDay, 0), 2 * kDay));

    // It judges against the wall clock, not against what the clock has already seen.
    clock.observe(makeHlc(kNow + 9 * kMinute, 0));
    CHECK(clock.tooFarAhead(makeHlc(kNow + 11 * kMinute, 0), maxSkew));
    // And it only asks: nothing is merged.
    const Hlc before = clock.highWater();
    CHECK(clock.tooFarAhead(makeHlc(kNow + kDay, 0), maxSkew));
    CHECK(clock.highWater() == before);

    // Our own wall clock moving forward brings the timestamp into range.
    wall.ms = kNow + kDay - 5 * kMinute;
    CHECK_FALSE(clock.tooFarAhead(makeHlc(kNow + kDay, 0), maxSkew));
}
