// Civil dates (proleptic Gregorian) for deadlines, birth dates and case numbers.
#pragma once

#include <chrono>
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ow::model {

enum class Weekday { Sunday = 0, Monday, Tuesday, Wednesday, Thursday, Friday, Saturday };

// A calendar day without time zone. Cheap to copy; ordered; arithmetic in days.
class Date {
public:
    Date() = default; // 1970-01-01
    Date(int year, unsigned month, unsigned day); // throws std::invalid_argument on an impossible date

    static std::optional<Date> fromIso(std::string_view text); // "2026-11-28" only
    static std::optional<Date> fromCompact(std::string_view text); // "20261128" only
    static Date fromDays(std::int64_t daysSinceEpoch);
    static bool isValid(int year, unsigned month, unsigned day);

    int year() const;
    unsigned month() const;
    unsigned day() const;
    Weekday weekday() const;
    bool isWeekend() const;
    std::int64_t days() const { return m_days; } // days since 1970-01-01

    std::string iso() const; // 2026-11-28
    std::string compact() const; // 20261128

    Date addDays(std::int64_t n) const { return fromDays(m_days + n); }
    std::int64_t daysUntil(Date later) const { return later.m_days - m_days; }
    // Whole years from this date (a birth date) to `on`, as people count age.
    int yearsUntil(Date on) const;

    auto operator<=>(const Date&) const = default;

private:
    std::int64_t m_days = 0;
};

} // namespace ow::model
