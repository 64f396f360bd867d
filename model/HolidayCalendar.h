// Official days off and make-up working days (调休), one data file per year.
// Format of the files: docs/CALENDARS.md.
#pragma once

#include "model/Date.h"

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace ow::model {

enum class DayType {
    WorkingDay, // an ordinary Monday-Friday
    Weekend, // an ordinary Saturday/Sunday
    Holiday, // an official day off, whatever the weekday
    MakeUpWorkingDay, // a Saturday/Sunday worked in exchange for a holiday (调休)
};

// Stable ASCII tokens for logs and ledgers: "working", "weekend", "holiday", "makeup".
std::string_view toToken(DayType type);

// Loading is all-or-nothing and a loaded year never changes, so a deadline computed once
// stays reproducible. Const queries may run concurrently; loading must not overlap them.
class HolidayCalendar {
public:
    // Parses one year's file. `sourceName` is only reported in errors (fact "file").
    // Throws DomainError "calendar.parse" (facts file, line, reason, ...) on any bad line
    // and when the year is already loaded; nothing is loaded then. Returns the year.
    int loadYear(std::string_view text, std::string sourceName);

    // Loads every regular "*.cal" file of `dir`, in file-name order, all or nothing.
    // Throws "calendar.parse" as above, or "calendar.io" (facts path, reason:
    // "not_a_directory", "unreadable"). Returns the years loaded, ascending.
    std::vector<int> loadDirectory(const std::filesystem::path& dir);

    bool hasYear(int year) const { return m_years.contains(year); }
    std::vector<int> years() const;

    // A year without a file counts Monday-Friday as working days.
    DayType dayType(Date day) const;
    bool isWorkingDay(Date day) const;
    // The name given in the file for a holiday or make-up day (e.g. 春节), else empty.
    std::string holidayName(Date day) const;
    // True when the day's year has no file: answers for it are guesses.
    bool isProvisional(Date day) const { return !hasYear(day.year()); }

private:
    struct Entry {
        DayType type;
        std::string name;
        int line;
    };
    struct YearData {
        int year = 0;
        int yearLine = 0;
        std::string source;
        std::map<std::int64_t, Entry> days; // key: Date::days()
    };

    static YearData parse(std::string_view text, const std::string& sourceName);
    const Entry* find(Date day) const;

    std::map<int, YearData> m_years;
};

} // namespace ow::model
