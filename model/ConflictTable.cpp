#include "model/ConflictTable.h"

#include <map>

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

std::string field(const Event& e, const char* key)
{
    const Json* v = e.body.get(key);
    return v && v->isString() ? v->asString() : std::string();
}

} // namespace

std::string conflictValue(const Event& e)
{
    if (e.type == EventType::Assigned)
        return field(e, "assignee");
    if (e.type == EventType::Transferred)
        return field(e, "toCentre");
    if (e.type == EventType::Concluded)
        return e.type + ":" + field(e, "outcome");
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
