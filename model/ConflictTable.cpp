#include "model/ConflictTable.h"

#include <algorithm>
#include <map>
#include <vector>

namespace ow::model {

std::optional<std::string> conflictGroup(const std::string& type)
{
    static const std::map<std::string, std::string> groups = {
        {EventType::Accepted, ConflictGroup::Decision},
        {EventType::AcceptedDeficient, ConflictGroup::Decision},
        {EventType::NoticeIssued, ConflictGroup::Decision},
        {EventType::Refused, ConflictGroup::Decision},
        {EventType::Concluded, ConflictGroup::Decision},
        {EventType::Withdrawn, ConflictGroup::Decision},
        {EventType::Terminated, ConflictGroup::Decision},
        {EventType::Assigned, ConflictGroup::Assignment},
        {EventType::Transferred, ConflictGroup::Transfer},
        {EventType::Suspended, ConflictGroup::Suspension},
        {EventType::Resumed, ConflictGroup::Suspension},
        {EventType::Extended, ConflictGroup::Suspension},
        {EventType::Corrected, ConflictGroup::Completion},
        {EventType::Delivered, ConflictGroup::Completion},
        {EventType::Closed, ConflictGroup::Completion},
    };
    auto it = groups.find(type);
    if (it == groups.end())
        return std::nullopt;
    return it->second;
}

namespace {

std::string text(const Event& e, const char* key)
{
    const Json* v = e.body.isObject() ? e.body.get(key) : nullptr;
    return v && v->isString() ? v->asString() : std::string();
}

// A list compared as a set: the order items were ticked in says nothing.
std::string sortedList(const Event& e, const char* key)
{
    std::vector<std::string> items;
    const Json* v = e.body.isObject() ? e.body.get(key) : nullptr;
    if (v && v->isArray())
        for (const auto& x : v->asArray())
            if (x.isString())
                items.push_back(x.asString());
    std::sort(items.begin(), items.end());
    std::string out;
    for (const auto& i : items)
        out += (out.empty() ? "" : ",") + i;
    return out;
}

} // namespace

std::string conflictValue(const Event& e)
{
    // What the event decides, shown side by side in the conflicts inbox. Free-text
    // reasons are not part of it: two clerks suspending for differently worded reasons
    // made the same decision.
    if (e.type == EventType::Assigned) {
        std::string window = text(e, "window");
        return text(e, "assignee") + (window.empty() ? "" : " @ " + window);
    }
    if (e.type == EventType::Transferred)
        return text(e, "toCentre");
    if (e.type == EventType::Concluded)
        return e.type + ":" + text(e, "outcome");
    if (e.type == EventType::Extended)
        return e.type + ":" + text(e, "limit");
    if (e.type == EventType::AcceptedDeficient)
        return e.type + ":" + sortedList(e, "missing") + " by " + text(e, "commitmentDue");
    if (e.type == EventType::NoticeIssued)
        return e.type + ":" + sortedList(e, "items");
    return e.type;
}

bool groupCanConflict(const std::string& group)
{
    return group != ConflictGroup::Completion;
}

bool eventsConflict(const Event& a, const Event& b)
{
    auto ga = conflictGroup(a.type);
    auto gb = conflictGroup(b.type);
    if (!ga || !gb || *ga != *gb || !groupCanConflict(*ga))
        return false;
    return conflictValue(a) != conflictValue(b);
}

} // namespace ow::model
