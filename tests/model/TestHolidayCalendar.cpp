#include "model/Error.h"
#include "model/HolidayCalendar.h"

#include <catch2/catch.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <utility>
#include <vector>

using namespace ow::model;

namespace {

Date d(const char* iso)
{
    return *Date::fromIso(iso);
}

const HolidayCalendar& officialCalendar()
{
    static const HolidayCalendar calendar = [] {
        HolidayCalendar c;
        c.loadDirectory(OW_CALENDAR_DIR);
        return c;
    }();
    return calendar;
}

// The official arrangement as written in DESIGN.md, kept independent of the data files.
struct Official {
    std::vector<std::pair<const char*, const char*>> off;
    std::vector<const char*> work;
};

Official official(int year)
{
    if (year == 2025)
        return {{{"2025-01-01", "2025-01-01"}, {"2025-01-28", "2025-02-04"}, {"2025-04-04", "2025-04-06"},
                    {"2025-05-01", "2025-05-05"}, {"2025-05-31", "2025-06-02"}, {"2025-10-01", "2025-10-08"}},
            {"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"}};
    return {{{"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"}, {"2026-04-04", "2026-04-06"},
                {"2026-05-01", "2026-05-05"}, {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
                {"2026-10-01", "2026-10-07"}},
        {"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"}};
}

// Runs loadYear and returns the error it throws (fails the test if it throws none).
DomainError parseFailure(const std::string& text)
{
    HolidayCalendar c;
    try {
        c.loadYear(text, "test.cal");
    } catch (const DomainError& e) {
        CHECK_FALSE(c.hasYear(2026)); // all or nothing
        return e;
    }
    FAIL("no error for:\n" << text);
    return DomainError("none");
}

} // namespace

TEST_CASE("calendar: official files load both years", "[calendar]")
{
    const auto& c = officialCalendar();
    CHECK(c.years() == std::vector<int>{2025, 2026});
    CHECK(c.hasYear(2025));
    CHECK(c.hasYear(2026));
    CHECK_FALSE(c.hasYear(2027));
}

TEST_CASE("calendar: every day of 2025 and 2026 has the official type", "[calendar]")
{
    const auto& c = officialCalendar();
    for (int year : {2025, 2026}) {
        Official o = official(year);
        std::set<Date> off;
        std::set<Date> work;
        for (auto [from, to] : o.off)
            for (Date x = d(from); x <= d(to); x = x.addDays(1))
                off.insert(x);
        for (const char* w : o.work)
            work.insert(d(w));
        for (Date x(year, 1, 1); x.year() == year; x = x.addDays(1)) {
            INFO(x.iso());
            DayType expected = off.contains(x) ? DayType::Holiday
                : work.contains(x)             ? DayType::MakeUpWorkingDay
                : x.isWeekend()                ? DayType::Weekend
                                               : DayType::WorkingDay;
            CHECK(c.dayType(x) == expected);
            CHECK(c.isWorkingDay(x)
                == (expected == DayType::WorkingDay || expected == DayType::MakeUpWorkingDay));
            CHECK(c.holidayName(x).empty()
                == (expected == DayType::WorkingDay || expected == DayType::Weekend));
            CHECK_FALSE(c.isProvisional(x));
        }
        // Make-up days are weekend days by definition.
        for (Date w : work)
            CHECK(w.isWeekend());
    }
}

TEST_CASE("calendar: spot checks and names", "[calendar]")
{
    const auto& c = officialCalendar();
    CHECK(c.dayType(d("2026-02-14")) == DayType::MakeUpWorkingDay); // Sat
    CHECK(c.isWorkingDay(d("2026-02-14")));
    CHECK(c.dayType(d("2026-02-16")) == DayType::Holiday); // Mon
    CHECK_FALSE(c.isWorkingDay(d("2026-02-16")));
    CHECK(c.holidayName(d("2026-02-16")) == "春节");
    CHECK(c.holidayName(d("2026-02-14")) == "春节调休");
    CHECK(c.holidayName(d("2025-10-08")) == "国庆节、中秋节");
    CHECK(c.holidayName(d("2026-09-25")) == "中秋节");
    CHECK(c.dayType(d("2026-02-24")) == DayType::WorkingDay);
    CHECK(c.dayType(d("2026-02-21")) == DayType::Holiday); // a Saturday inside the festival
    CHECK(c.dayType(d("2026-03-07")) == DayType::Weekend);
    CHECK(c.holidayName(d("2026-03-07")).empty());
}

TEST_CASE("calendar: a year without a file counts weekdays and is provisional", "[calendar]")
{
    const auto& c = officialCalendar();
    CHECK(c.isProvisional(d("2027-01-01")));
    CHECK(c.dayType(d("2027-01-01")) == DayType::WorkingDay); // Fri; really a holiday, hence provisional
    CHECK(c.dayType(d("2027-01-02")) == DayType::Weekend);
    CHECK(c.holidayName(d("2027-01-01")).empty());
    CHECK(c.isProvisional(d("2024-12-31")));
}

TEST_CASE("calendar: loadYear accepts comments, blanks, CRLF, BOM and single-day ranges", "[calendar]")
{
    HolidayCalendar c;
    std::string text = "\xEF\xBB\xBF# header\r\n\r\n  year 2026  \r\n"
                       "off 2026-01-01..2026-01-01 元旦 假期\r\n"
                       "\t# indented comment\n"
                       "work 2026-01-04 元旦调休";
    CHECK(c.loadYear(text, "inline") == 2026);
    CHECK(c.dayType(d("2026-01-01")) == DayType::Holiday);
    CHECK(c.holidayName(d("2026-01-01")) == "元旦 假期");
    CHECK(c.dayType(d("2026-01-04")) == DayType::MakeUpWorkingDay);
    CHECK(c.dayType(d("2026-01-02")) == DayType::WorkingDay);
}

TEST_CASE("calendar: every parse error reason with its line number", "[calendar]")
{
    struct Case {
        const char* text;
        const char* reason;
        int line;
    };
    const Case cases[] = {
        {"year 2026\noff 2026-13-01 x\n", "bad_date", 2},
        {"year 2026\noff 2026-1-1 x\n", "bad_date", 2},
        {"year 2026\noff 2026-02-30 x\n", "bad_date", 2},
        {"year 2026\noff 2026-02-01..2026-02-31 x\n", "bad_date", 2},
        {"year 2026\n\noff\n", "bad_date", 3},
        {"year 2026\n# c\noff 2025-12-31 x\n", "date_outside_year", 3},
        {"year 2026\noff 2026-12-30..2027-01-02 x\n", "date_outside_year", 2},
        {"year 2026\nholiday 2026-01-01 x\n", "unknown_keyword", 2},
        {"year 2026\nOFF 2026-01-01 x\n", "unknown_keyword", 2},
        {"year 2026\noff 2026-02-23..2026-02-15 x\n", "range_reversed", 2},
        {"year 2026\noff 2026-01-01 x\noff 2026-01-01 y\n", "duplicate_day", 3},
        {"year 2026\noff 2026-02-15..2026-02-23 x\noff 2026-02-20 y\n", "duplicate_day", 3},
        {"year 2026\nwork 2026-02-14 x\noff 2026-02-13..2026-02-15 y\n", "duplicate_day", 3},
        {"year 2026\noff 2026-02-14 x\nwork 2026-02-14 y\n", "duplicate_day", 3},
        {"# no header\noff 2026-01-01 x\n", "missing_year", 2},
        {"# only comments\n", "missing_year", 0},
        {"", "missing_year", 0},
        {"year 26\n", "bad_year", 1},
        {"year\n", "bad_year", 1},
        {"year 2026 2027\n", "bad_year", 1},
        {"year 2026\nyear 2026\n", "duplicate_year", 2},
        {"year 2026\noff 2026-01-01\n", "missing_name", 2},
        {"year 2026\nwork 2026-02-16 x\n", "work_on_weekday", 2},
        {"year 2026\nwork 2026-02-14..2026-02-15 x\n", "work_range", 2},
        {"year 2026\noff 2026-01-01 \xE6\x98\n", "bad_utf8", 2},
        {"year 2026\noff 2026-01-01 \xC0\xAF\n", "bad_utf8", 2},
        {"year 2026\n# nothing\n", "no_days", 1},
    };
    for (const Case& k : cases) {
        INFO(k.text);
        DomainError e = parseFailure(k.text);
        CHECK(e.code() == "calendar.parse");
        CHECK(e.fact("reason") == k.reason);
        CHECK(e.fact("line") == std::to_string(k.line));
        CHECK(e.fact("file") == "test.cal");
    }
}

TEST_CASE("calendar: duplicate_day names the day and the first line", "[calendar]")
{
    DomainError e = parseFailure("year 2026\n\noff 2026-02-15..2026-02-23 x\nwork 2026-02-21 y\n");
    CHECK(e.fact("reason") == "duplicate_day");
    CHECK(e.fact("line") == "4");
    CHECK(e.fact("day") == "2026-02-21");
    CHECK(e.fact("first_line") == "3");
}

TEST_CASE("calendar: a loaded year cannot be loaded again", "[calendar]")
{
    HolidayCalendar c;
    c.loadYear("year 2026\noff 2026-01-01 元旦\n", "a.cal");
    try {
        c.loadYear("# again\nyear 2026\noff 2026-01-02 x\n", "b.cal");
        FAIL("loaded twice");
    } catch (const DomainError& e) {
        CHECK(e.code() == "calendar.parse");
        CHECK(e.fact("reason") == "year_already_loaded");
        CHECK(e.fact("line") == "2");
        CHECK(e.fact("file") == "b.cal");
        CHECK(e.fact("first_file") == "a.cal");
    }
    // Unchanged by the refused load.
    CHECK(c.dayType(d("2026-01-02")) == DayType::WorkingDay);
    CHECK_THROWS_AS(c.loadDirectory(OW_CALENDAR_DIR), DomainError);
    CHECK_FALSE(c.hasYear(2025)); // loadDirectory is all or nothing
}

TEST_CASE("calendar: loadDirectory errors", "[calendar]")
{
    namespace fs = std::filesystem;
    HolidayCalendar c;
    try {
        c.loadDirectory("/nonexistent/ow-calendars");
        FAIL("no error");
    } catch (const DomainError& e) {
        CHECK(e.code() == "calendar.io");
        CHECK(e.fact("reason") == "not_a_directory");
    }

    fs::path dir = fs::temp_directory_path()
        / ("ow-cal-test-" + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count()));
    fs::create_directories(dir);
    auto write
        = [&](const char* name, const char* text) { std::ofstream(dir / name, std::ios::binary) << text; };
    write("a.cal", "year 2030\noff 2030-01-01 元旦\n");
    write("b.cal", "year 2031\noff 2031-01-01 元旦\n");
    write("notes.txt", "not a calendar");
    CHECK(c.loadDirectory(dir) == std::vector<int>{2030, 2031});

    HolidayCalendar other;
    write("c.cal", "year 2030\noff 2030-01-02 x\n");
    try {
        other.loadDirectory(dir);
        FAIL("no error");
    } catch (const DomainError& e) {
        CHECK(e.fact("reason") == "year_already_loaded");
        CHECK(e.fact("file") == (dir / "c.cal").string());
    }
    CHECK(other.years().empty());
    fs::remove_all(dir);
}
