// A workstation for service tests: an in-memory store under origin ws01 with a wall clock
// the test moves, the demo catalogue, the shipped calendars, one account per role and an
// inactive former clerk.
#pragma once

#include "model/BuiltinCalendars.h"
#include "model/CaseWorkService.h"
#include "model/Catalogue.h"
#include "model/Error.h"
#include "model/InMemoryRepositories.h"
#include "model/IntakeService.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <set>

namespace ow::test {

// 12:00 China Standard Time on `d`, in milliseconds since the epoch.
inline std::int64_t noonMs(model::Date d)
{
    return d.days() * 86'400'000 + 4 * 3'600'000;
}

inline std::optional<model::DomainError> errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const model::DomainError& e) {
        return e;
    }
    return std::nullopt;
}

struct ServiceWorld {
    // `formerClerkRoles`: the roles the inactive account clerk02 still holds.
    ServiceWorld(model::Date day, std::set<model::Role> formerClerkRoles)
        : nowMs(noonMs(day))
        , clock(day)
    {
        using model::Role;
        staff.put({"clerk01", "\xE6\x9D\x8E\xE5\xBC\xBA", {Role::WindowStaff}, "330102", true}); // 李强
        staff.put({"reviewer01", "\xE5\xBC\xA0\xE4\xB8\x89", {Role::Reviewer}, "330102", true}); // 张三
        staff.put({"manager01", "\xE8\xB5\xB5\xE6\x95\x8F", {Role::QueueManager}, "330102", true}); // 赵敏
        staff.put({"admin01", "\xE9\x92\xB1\xE7\xBA\xA2", {Role::Administrator}, "330102", true}); // 钱红
        staff.put(
            {"clerk02", "\xE5\x91\xA8\xE6\x9E\x97", std::move(formerClerkRoles), "330102", false}); // 周林
    }
    ServiceWorld(const ServiceWorld&) = delete;
    ServiceWorld& operator=(const ServiceWorld&) = delete;

    void setDay(model::Date d)
    {
        clock.set(d);
        nowMs = noonMs(d);
    }
    std::size_t eventCount() const { return store.allEvents().size(); }

    std::int64_t nowMs;
    model::InMemoryEventStore store{"ws01", [this] { return nowMs; }};
    model::Catalogue catalogue = model::demoCatalogue();
    model::HolidayCalendar calendar = model::builtinCalendar();
    model::InMemoryStaffDirectory staff;
    model::InMemoryCaseNumberSource numbers{"330102", "W03"};
    model::FixedClock clock;
    model::ServiceContext ctx{store, catalogue, calendar, staff, numbers, clock, "330102"};
    model::IntakeService intake{ctx};
    model::CaseWorkService work{ctx};
};

} // namespace ow::test
