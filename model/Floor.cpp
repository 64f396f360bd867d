#include "model/Floor.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace ow::model {

FloorView summariseFloor(const std::vector<Ticket>& today, const std::vector<ServiceWindow>& windows,
    const std::vector<QueueCategory>& categories, std::int64_t nowMs, std::int64_t defaultServingMs)
{
    FloorView view;
    std::map<std::string, std::size_t> windowIndex;
    for (const auto& w : windows) {
        if (!w.active)
            continue;
        windowIndex.emplace(w.code, view.windows.size());
        FloorWindow row;
        row.window = w;
        view.windows.push_back(std::move(row));
    }
    std::map<std::string, std::int64_t> lastEnd; // window → when its last ticket ended
    struct Serving {
        std::int64_t total = 0;
        int count = 0;
    };
    std::map<std::string, Serving> serving; // category → ended tickets' service
    for (const auto& t : today) {
        auto w = windowIndex.find(t.window);
        if (t.status == TicketStatus::Waiting) {
            view.waiting.push_back(t);
            continue;
        }
        if (t.status == TicketStatus::Ended) {
            serving[t.category].total += t.servingMs;
            ++serving[t.category].count;
        }
        if (w == windowIndex.end())
            continue;
        FloorWindow& row = view.windows[w->second];
        if (t.status == TicketStatus::Called) {
            row.current = t;
            row.staff = t.staff;
            row.servingMs
                = t.servingMs + (t.servingSince > 0 ? std::max<std::int64_t>(0, nowMs - t.servingSince) : 0);
        } else if (t.status == TicketStatus::Ended || t.status == TicketStatus::NoShow) {
            row.served += t.status == TicketStatus::Ended ? 1 : 0;
            if (t.endedAt > lastEnd[t.window]) {
                lastEnd[t.window] = t.endedAt;
                if (!row.current)
                    row.staff = t.staff;
            }
        }
    }
    for (auto& row : view.windows)
        if (!row.current) {
            auto end = lastEnd.find(row.window.code);
            row.idleMs = end == lastEnd.end() ? 0 : std::max<std::int64_t>(0, nowMs - end->second);
        }
    // The order windows will call them in: as chooseNextTicket ranks them.
    std::sort(view.waiting.begin(), view.waiting.end(), [](const Ticket& a, const Ticket& b) {
        auto key = [](const Ticket& t) {
            const int rank = t.directed() ? 0 : (t.priority != TicketPriority::Normal ? 1 : 2);
            return std::make_tuple(rank, t.queuedAt, t.number, t.id);
        };
        return key(a) < key(b);
    });
    for (const auto& c : categories) {
        FloorCategory row;
        row.category = c;
        for (const auto& t : view.waiting)
            if (t.category == c.code) {
                ++row.waiting;
                row.longestWaitMs
                    = std::max(row.longestWaitMs, std::max<std::int64_t>(0, nowMs - t.queuedAt));
            }
        const Serving& s = serving[c.code];
        row.meanServingMs = s.count > 0 ? s.total / s.count : defaultServingMs;
        for (const auto& w : view.windows)
            row.windowsServing += windowServesCategory(w.window, c.code) ? 1 : 0;
        row.predictedWaitMs = predictedWaitMs(row.waiting, row.meanServingMs, row.windowsServing);
        view.categories.push_back(std::move(row));
    }
    return view;
}

} // namespace ow::model
