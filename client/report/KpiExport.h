// The KPI report (model/Kpi.h) as files: the same five sheets — Summary, Tickets by
// category, Tickets by window, Cases, Ratings — as an XLSX workbook (libxlsxwriter) or as
// one CSV file, and the report's JSON. The model has no translations, so the names of the
// sheets, columns and figures in English and Chinese live here, in one table
// (headings()); docs/KPIS.md describes the layout and each figure.
#pragma once

#include "model/Kpi.h"

#include <string>
#include <string_view>
#include <vector>

namespace ow::report {

// A column or a figure: a stable key (what scripts match) and its names for people.
struct Heading {
    const char* key; // "on_time_rate"
    const char* en; // "On-time rate"
    const char* zh; // "按时办结率"
};
// Every heading, sheet names included (keys "sheet_summary", …).
const std::vector<Heading>& headings();
// Throws std::out_of_range for a key the table does not have.
const Heading& heading(std::string_view key);

enum class CellKind {
    Text,
    Count, // whole number
    Seconds, // a duration in seconds, shown with one decimal
    Rate, // a fraction 0–1, shown as a percentage in XLSX, with four decimals in CSV
    Decimal, // a ratio such as visits per case, two decimals
    Missing, // n/a: the set it is computed over is empty
};

struct Cell {
    CellKind kind = CellKind::Text;
    std::string text; // Text
    double number = 0; // Count, Seconds, Rate, Decimal
};

struct Sheet {
    std::string key; // heading key of the sheet, e.g. "sheet_summary"
    std::vector<std::string> columns; // heading keys
    std::vector<std::vector<Cell>> rows; // first cell: the row's key (figure, category, …)
};

// The sheets in their order. The rows of Tickets by category, Cases and Ratings start with
// the total, keyed "all"; Tickets by window has none (tickets never called have no window).
std::vector<Sheet> sheets(const model::KpiReport& report);

// One CSV file of every sheet: UTF-8 with a byte-order mark (so that Excel reads the
// Chinese right), CRLF line ends, fields quoted as RFC 4180 says when they hold a comma,
// a quote or a line break; every record as wide as the widest. Each sheet is a section:
// a record with its English and Chinese name, one of its English column names, one of its
// Chinese column names, its rows, then an empty record.
std::string toCsv(const model::KpiReport& report);

// The workbook, written beside `path` and renamed over it. Throws std::runtime_error
// with libxlsxwriter's reason or the file system's.
void writeXlsx(const model::KpiReport& report, const std::string& path);

// The report's JSON (KpiReport::toJson), indented, with a final newline.
std::string toJsonText(const model::KpiReport& report);

// Writes `bytes` to a file beside `path` and renames it over `path`, so that nobody
// opens half a report. Throws std::runtime_error naming the file and the reason.
void writeFileAtomically(const std::string& path, const std::string& bytes);

} // namespace ow::report
