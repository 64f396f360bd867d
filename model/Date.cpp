#include "model/Date.h"

#include <charconv>
#include <cstdio>
#include <stdexcept>

namespace ow::model {

namespace chr = std::chrono;

namespace {

chr::year_month_day ymd(std::int64_t days)
{
    return chr::year_month_day{chr::sys_days{chr::days{days}}};
}

bool parseUnsigned(std::string_view s, unsigned& out)
{
    if (s.empty())
        return false;
    for (char c : s)
        if (c < '0' || c > '9')
            return false;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

bool Date::isValid(int year, unsigned month, unsigned day)
{
    return chr::year_month_day{chr::year{year}, chr::month{month}, chr::day{day}}.ok();
}

Date::Date(int year, unsigned month, unsigned day)
{
    chr::year_month_day d{chr::year{year}, chr::month{month}, chr::day{day}};
    if (!d.ok())
        throw std::invalid_argument("impossible calendar date");
    m_days = chr::sys_days{d}.time_since_epoch().count();
}

Date Date::fromDays(std::int64_t daysSinceEpoch)
{
    Date d;
    d.m_days = daysSinceEpoch;
    return d;
}

std::optional<Date> Date::fromIso(std::string_view text)
{
    if (text.size() != 10 || text[4] != '-' || text[7] != '-')
        return std::nullopt;
    unsigned y = 0, m = 0, d = 0;
    if (!parseUnsigned(text.substr(0, 4), y) || !parseUnsigned(text.substr(5, 2), m)
        || !parseUnsigned(text.substr(8, 2), d))
        return std::nullopt;
    if (!isValid(static_cast<int>(y), m, d))
        return std::nullopt;
    return Date(static_cast<int>(y), m, d);
}

std::optional<Date> Date::fromCompact(std::string_view text)
{
    if (text.size() != 8)
        return std::nullopt;
    unsigned y = 0, m = 0, d = 0;
    if (!parseUnsigned(text.substr(0, 4), y) || !parseUnsigned(text.substr(4, 2), m)
        || !parseUnsigned(text.substr(6, 2), d))
        return std::nullopt;
    if (!isValid(static_cast<int>(y), m, d))
        return std::nullopt;
    return Date(static_cast<int>(y), m, d);
}

int Date::year() const
{
    return static_cast<int>(ymd(m_days).year());
}
unsigned Date::month() const
{
    return static_cast<unsigned>(ymd(m_days).month());
}
unsigned Date::day() const
{
    return static_cast<unsigned>(ymd(m_days).day());
}

Weekday Date::weekday() const
{
    return static_cast<Weekday>(chr::weekday{chr::sys_days{chr::days{m_days}}}.c_encoding());
}

bool Date::isWeekend() const
{
    auto w = weekday();
    return w == Weekday::Saturday || w == Weekday::Sunday;
}

std::string Date::iso() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", year(), month(), day());
    return buf;
}

std::string Date::compact() const
{
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d%02u%02u", year(), month(), day());
    return buf;
}

int Date::yearsUntil(Date on) const
{
    int years = on.year() - year();
    if (on.month() < month() || (on.month() == month() && on.day() < day()))
        --years;
    return years;
}

} // namespace ow::model
