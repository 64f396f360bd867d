// The holiday calendars shipped with this build (model/calendars/*.cal, compiled in).
#pragma once

#include "model/HolidayCalendar.h"

#include <string>
#include <vector>

namespace ow::model {

struct EmbeddedCalendar {
    const char* fileName;
    const char* text;
};

const std::vector<EmbeddedCalendar>& embeddedCalendars();

// A calendar with every shipped year loaded.
HolidayCalendar builtinCalendar();

} // namespace ow::model
