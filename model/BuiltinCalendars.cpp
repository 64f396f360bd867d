#include "model/BuiltinCalendars.h"

namespace ow::model {

HolidayCalendar builtinCalendar()
{
    HolidayCalendar calendar;
    for (const auto& file : embeddedCalendars())
        calendar.loadYear(file.text, file.fileName);
    return calendar;
}

} // namespace ow::model
