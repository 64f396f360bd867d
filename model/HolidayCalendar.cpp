#include "model/HolidayCalendar.h"

#include "model/Error.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>
#include <utility>

namespace ow::model {

namespace {

[[noreturn]] void parseError(const std::string& file, int line, std::string_view reason, Facts facts = {})
{
    facts["file"] = file;
    facts["line"] = std::to_string(line);
    facts["reason"] = std::string(reason);
    throw DomainError("calendar.parse", std::move(facts));
}

bool isBlank(char c)
{
    return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    while (!s.empty() && isBlank(s.back()))
        s.remove_suffix(1);
    return s;
}

// Splits off the first blank-separated token; `rest` keeps what follows, trimmed.
std::string_view nextToken(std::string_view s, std::string_view& rest)
{
    s = trim(s);
    std::size_t end = 0;
    while (end < s.size() && !isBlank(s[end]))
        ++end;
    rest = trim(s.substr(end));
    return s.substr(0, end);
}

// Names end up in ledgers, events and printed notices; reject bytes that are not UTF-8
// here rather than let them corrupt canonical JSON later.
bool isValidUtf8(std::string_view s)
{
    std::size_t i = 0;
    while (i < s.size()) {
        auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        std::size_t len = 0;
        std::uint32_t cp = 0;
        if ((c & 0xE0) == 0xC0) {
            len = 2;
            cp = c & 0x1Fu;
        } else if ((c & 0xF0) == 0xE0) {
            len = 3;
            cp = c & 0x0Fu;
        } else if ((c & 0xF8) == 0xF0) {
            len = 4;
            cp = c & 0x07u;
        } else {
            return false;
        }
        if (i + len > s.size())
            return false;
        for (std::size_t k = 1; k < len; ++k) {
            auto cc = static_cast<unsigned char>(s[i + k]);
            if ((cc & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (cc & 0x3Fu);
        }
        static constexpr std::uint32_t minForLen[] = {0, 0, 0x80, 0x800, 0x10000};
        if (cp < minForLen[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += len;
    }
    return true;
}

bool isFourDigits(std::string_view s)
{
    return s.size() == 4 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace

std::string_view toToken(DayType type)
{
    switch (type) {
    case DayType::WorkingDay:
        return "working";
    case DayType::Weekend:
        return "weekend";
    case DayType::Holiday:
        return "holiday";
    case DayType::MakeUpWorkingDay:
        return "makeup";
    }
    return "unknown";
}

HolidayCalendar::YearData HolidayCalendar::parse(std::string_view text, const std::string& file)
{
    static constexpr std::string_view bom = "\xEF\xBB\xBF";
    if (text.starts_with(bom))
        text.remove_prefix(bom.size());

    YearData data;
    data.source = file;
    bool haveYear = false;
    int lineNo = 0;

    while (!text.empty()) {
        ++lineNo;
        std::size_t nl = text.find('\n');
        std::string_view raw = text.substr(0, nl);
        text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
        if (!raw.empty() && raw.back() == '\r')
            raw.remove_suffix(1);

        if (!isValidUtf8(raw))
            parseError(file, lineNo, "bad_utf8");
        std::string_view line = trim(raw);
        if (line.empty() || line.front() == '#')
            continue;

        std::string_view rest;
        std::string_view keyword = nextToken(line, rest);

        if (keyword == "year") {
            if (haveYear)
                parseError(file, lineNo, "duplicate_year", {{"first_line", std::to_string(data.yearLine)}});
            if (!isFourDigits(rest))
                parseError(file, lineNo, "bad_year", {{"text", std::string(rest)}});
            data.year = std::stoi(std::string(rest));
            data.yearLine = lineNo;
            haveYear = true;
            continue;
        }
        if (keyword != "off" && keyword != "work")
            parseError(file, lineNo, "unknown_keyword", {{"keyword", std::string(keyword)}});
        // Every date is checked against the year, so the header has to come first.
        if (!haveYear)
            parseError(file, lineNo, "missing_year");

        const bool off = keyword == "off";
        std::string_view name;
        std::string_view spec = nextToken(rest, name);
        if (spec.empty())
            parseError(file, lineNo, "bad_date", {{"text", ""}});

        std::string_view fromText = spec;
        std::string_view toText = spec;
        if (auto dots = spec.find(".."); dots != std::string_view::npos) {
            if (!off)
                parseError(file, lineNo, "work_range", {{"text", std::string(spec)}});
            fromText = spec.substr(0, dots);
            toText = spec.substr(dots + 2);
        }
        auto from = Date::fromIso(fromText);
        if (!from)
            parseError(file, lineNo, "bad_date", {{"text", std::string(fromText)}});
        auto to = Date::fromIso(toText);
        if (!to)
            parseError(file, lineNo, "bad_date", {{"text", std::string(toText)}});
        for (Date d : {*from, *to})
            if (d.year() != data.year)
                parseError(file, lineNo, "date_outside_year",
                    {{"day", d.iso()}, {"year", std::to_string(data.year)}});
        if (*to < *from)
            parseError(file, lineNo, "range_reversed", {{"from", from->iso()}, {"to", to->iso()}});
        if (name.empty())
            parseError(file, lineNo, "missing_name");
        // A make-up day on a weekday changes nothing: it is almost surely a typo.
        if (!off && !from->isWeekend())
            parseError(file, lineNo, "work_on_weekday", {{"day", from->iso()}});

        for (Date d = *from; d <= *to; d = d.addDays(1)) {
            Entry entry{off ? DayType::Holiday : DayType::MakeUpWorkingDay, std::string(name), lineNo};
            auto [it, inserted] = data.days.emplace(d.days(), std::move(entry));
            if (!inserted)
                parseError(file, lineNo, "duplicate_day",
                    {{"day", d.iso()}, {"first_line", std::to_string(it->second.line)}});
        }
    }

    if (!haveYear)
        parseError(file, 0, "missing_year");
    // A file with a year header but no days would turn provisional guesses into firm
    // deadlines without adding any knowledge.
    if (data.days.empty())
        parseError(file, data.yearLine, "no_days");
    return data;
}

int HolidayCalendar::loadYear(std::string_view text, std::string sourceName)
{
    YearData data = parse(text, sourceName);
    if (hasYear(data.year))
        parseError(sourceName, data.yearLine, "year_already_loaded",
            {{"year", std::to_string(data.year)}, {"first_file", m_years.at(data.year).source}});
    const int year = data.year;
    m_years.emplace(year, std::move(data));
    return year;
}

std::vector<int> HolidayCalendar::loadDirectory(const std::filesystem::path& dir)
{
    namespace fs = std::filesystem;
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw DomainError("calendar.io", {{"path", dir.string()}, {"reason", "not_a_directory"}});

    std::vector<fs::path> files;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        if (it->path().extension() == ".cal" && it->is_regular_file(ec))
            files.push_back(it->path());
    if (ec)
        throw DomainError("calendar.io", {{"path", dir.string()}, {"reason", "unreadable"}});
    std::sort(files.begin(), files.end());

    std::map<int, YearData> parsed;
    for (const auto& path : files) {
        std::ifstream in(path, std::ios::binary);
        std::string text;
        if (in)
            text.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
        if (!in || in.bad())
            throw DomainError("calendar.io", {{"path", path.string()}, {"reason", "unreadable"}});
        YearData data = parse(text, path.string());
        const YearData* earlier = hasYear(data.year) ? &m_years.at(data.year)
            : parsed.contains(data.year)             ? &parsed.at(data.year)
                                                     : nullptr;
        if (earlier)
            parseError(path.string(), data.yearLine, "year_already_loaded",
                {{"year", std::to_string(data.year)}, {"first_file", earlier->source}});
        const int year = data.year;
        parsed.emplace(year, std::move(data));
    }

    std::vector<int> loaded;
    for (auto& [year, data] : parsed) {
        loaded.push_back(year);
        m_years.emplace(year, std::move(data));
    }
    return loaded;
}

std::vector<int> HolidayCalendar::years() const
{
    std::vector<int> out;
    for (const auto& entry : m_years)
        out.push_back(entry.first);
    return out;
}

const HolidayCalendar::Entry* HolidayCalendar::find(Date day) const
{
    auto year = m_years.find(day.year());
    if (year == m_years.end())
        return nullptr;
    auto it = year->second.days.find(day.days());
    return it == year->second.days.end() ? nullptr : &it->second;
}

DayType HolidayCalendar::dayType(Date day) const
{
    if (const Entry* entry = find(day))
        return entry->type;
    return day.isWeekend() ? DayType::Weekend : DayType::WorkingDay;
}

bool HolidayCalendar::isWorkingDay(Date day) const
{
    DayType type = dayType(day);
    return type == DayType::WorkingDay || type == DayType::MakeUpWorkingDay;
}

std::string HolidayCalendar::holidayName(Date day) const
{
    const Entry* entry = find(day);
    return entry ? entry->name : std::string();
}

} // namespace ow::model
