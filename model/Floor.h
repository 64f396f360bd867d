// The hall at a glance, for the queue manager's console and the benchmarks: each
// window (who serves there, the current ticket and for how long, or idle since when),
// each category's waiting tickets with the longest wait and a predicted wait for a
// newcomer, and the waiting tickets themselves in the order they will be called.
#pragma once

#include "model/CentreSetup.h"
#include "model/Queue.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ow::model {

struct FloorWindow {
    ServiceWindow window;
    std::string staff; // serving now, or the last one who served here today
    std::optional<Ticket> current;
    std::int64_t servingMs = 0; // the current ticket's service so far
    std::int64_t idleMs = 0; // without a ticket since the last one ended (or all day)
    int served = 0; // tickets ended here today
};

struct FloorCategory {
    QueueCategory category;
    int waiting = 0;
    std::int64_t longestWaitMs = 0;
    std::int64_t meanServingMs = 0; // of today's ended tickets; the default when none
    int windowsServing = 0; // active windows that serve it
    std::int64_t predictedWaitMs = 0; // for a ticket taken now
};

struct FloorView {
    std::vector<FloorWindow> windows;
    std::vector<FloorCategory> categories;
    std::vector<Ticket> waiting; // directed first, then priority classes, then by queue time
};

// `today`: the day's tickets; `defaultServingMs` stands in for a category nobody has been
// served in yet today.
FloorView summariseFloor(const std::vector<Ticket>& today, const std::vector<ServiceWindow>& windows,
    const std::vector<QueueCategory>& categories, std::int64_t nowMs,
    std::int64_t defaultServingMs = 5 * 60'000);

} // namespace ow::model
