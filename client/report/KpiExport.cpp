#include "KpiExport.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <unistd.h>
#include <xlsxwriter.h>

namespace ow::report {

namespace {

using model::CaseFigures;
using model::DurationStats;
using model::RatingFigures;
using model::TicketFigures;

Cell text(std::string s)
{
    return {CellKind::Text, std::move(s), 0};
}
Cell count(std::int64_t n)
{
    return {CellKind::Count, {}, static_cast<double>(n)};
}
Cell optional(const std::optional<double>& v, CellKind kind)
{
    if (!v)
        return {CellKind::Missing, "n/a", 0};
    return {kind, {}, *v};
}
Cell seconds(const std::optional<double>& v)
{
    return optional(v, CellKind::Seconds);
}
Cell rate(const std::optional<double>& v)
{
    return optional(v, CellKind::Rate);
}

std::vector<std::string> ticketColumns(const char* key)
{
    return {key, "issued", "called", "served", "no_show", "cancelled", "waiting_mean_s", "waiting_median_s",
        "waiting_p90_s", "serving_mean_s", "serving_median_s", "serving_p90_s"};
}

std::vector<Cell> ticketRow(const std::string& key, const TicketFigures& t)
{
    return {text(key), count(t.issued), count(t.called), count(t.served), count(t.noShow), count(t.cancelled),
        seconds(t.waiting.mean), seconds(t.waiting.median), seconds(t.waiting.p90), seconds(t.serving.mean),
        seconds(t.serving.median), seconds(t.serving.p90)};
}

std::vector<Cell> caseRow(const std::string& key, const CaseFigures& c)
{
    return {text(key), count(c.accepted), count(c.concluded), count(c.concludedLate), count(c.runningOverdue),
        count(c.overdue()), rate(c.onTimeRate), count(c.immediate), rate(c.immediateRate),
        count(c.statutoryDays), count(c.promisedDays), rate(c.timeCompression), count(c.visits),
        optional(c.visitsPerCase, CellKind::Decimal), count(c.withinPromisedVisits), rate(c.atMostOnceRate),
        count(c.matters), count(c.atMostOnceMatters), rate(c.coverage)};
}

std::vector<Cell> ratingRow(const std::string& key, const RatingFigures& r)
{
    std::vector<Cell> row{text(key), count(r.ratings)};
    for (int level = 5; level >= 1; --level)
        row.push_back(count(r.byLevel[static_cast<std::size_t>(level - 1)]));
    for (Cell c : {count(r.appealsUpheld), count(r.counting), count(r.satisfied), rate(r.satisfactionRate),
             count(r.bad), count(r.callbacks), rate(r.callbackRate), count(r.rectified),
             rate(r.rectificationRate), count(r.openFollowUps), count(r.overdueFollowUps)})
        row.push_back(std::move(c));
    return row;
}

// A Summary row: the figure's key, its names, its value.
std::vector<Cell> summaryRow(const char* key, Cell value)
{
    const Heading& h = heading(key);
    return {text(h.key), text(h.en), text(h.zh), std::move(value)};
}

std::string formatNumber(const Cell& c)
{
    char buf[64];
    switch (c.kind) {
    case CellKind::Count:
        std::snprintf(buf, sizeof buf, "%.0f", c.number);
        break;
    case CellKind::Seconds:
        std::snprintf(buf, sizeof buf, "%.1f", c.number);
        break;
    case CellKind::Rate:
        std::snprintf(buf, sizeof buf, "%.4f", c.number);
        break;
    case CellKind::Decimal:
        std::snprintf(buf, sizeof buf, "%.2f", c.number);
        break;
    case CellKind::Text:
    case CellKind::Missing:
        return c.text;
    }
    return buf;
}

// RFC 4180: quoted when it holds a comma, a quote or a line break; quotes doubled.
std::string csvField(const std::string& s)
{
    if (s.find_first_of(",\"\r\n") == std::string::npos)
        return s;
    std::string out = "\"";
    for (char c : s) {
        if (c == '"')
            out += '"';
        out += c;
    }
    return out + "\"";
}

void csvRecord(std::string& out, const std::vector<std::string>& fields, std::size_t width)
{
    for (std::size_t i = 0; i < width; ++i) {
        if (i)
            out += ',';
        if (i < fields.size())
            out += csvField(fields[i]);
    }
    out += "\r\n";
}

std::string xlsxError(const std::string& path, lxw_error error)
{
    return "cannot write " + path + ": " + lxw_strerror(error);
}

} // namespace

const std::vector<Heading>& headings()
{
    static const std::vector<Heading> list = {
        // Sheets
        {"sheet_summary", "Summary", "概要"},
        {"sheet_tickets_by_category", "Tickets by category", "号票（按类别）"},
        {"sheet_tickets_by_window", "Tickets by window", "号票（按窗口）"},
        {"sheet_cases", "Cases", "办件"},
        {"sheet_ratings", "Ratings", "好差评"},
        // Summary columns
        {"figure", "Figure key", "指标代码"},
        {"name", "Figure", "指标（英文）"},
        {"name_zh", "Figure (Chinese)", "指标"},
        {"value", "Value", "数值"},
        // Row keys of the breakdowns
        {"category", "Category", "类别"},
        {"window", "Window", "窗口"},
        {"department", "Department", "部门"},
        // The query
        {"period_from", "From", "统计起始日"},
        {"period_to", "To", "统计截止日"},
        {"centre", "Centre", "中心"},
        {"all", "all", "全部"},
        // Tickets
        {"issued", "Tickets", "取号数"},
        {"called", "Called", "叫号数"},
        {"served", "Served", "办理完成数"},
        {"no_show", "No-shows", "过号数"},
        {"cancelled", "Cancelled", "取消数"},
        {"waiting_mean_s", "Mean wait (s)", "平均等候时长（秒）"},
        {"waiting_median_s", "Median wait (s)", "等候时长中位数（秒）"},
        {"waiting_p90_s", "90th percentile wait (s)", "等候时长90分位（秒）"},
        {"serving_mean_s", "Mean service (s)", "平均办理时长（秒）"},
        {"serving_median_s", "Median service (s)", "办理时长中位数（秒）"},
        {"serving_p90_s", "90th percentile service (s)", "办理时长90分位（秒）"},
        // Cases
        {"accepted", "Cases accepted", "受理件数"},
        {"concluded", "Cases concluded", "办结件数"},
        {"concluded_late", "Concluded late", "超期办结件数"},
        {"running_overdue", "Running overdue", "在办超期件数"},
        {"overdue", "Overdue", "超期件数"},
        {"on_time_rate", "On-time rate", "按时办结率"},
        {"immediate", "Immediate cases", "即办件数"},
        {"immediate_rate", "Immediate-case rate", "即办件率"},
        {"statutory_days", "Statutory working days", "法定时限（工作日）"},
        {"promised_days", "Promised working days", "承诺时限（工作日）"},
        {"time_compression", "Time compression", "承诺时限压缩比"},
        {"visits", "Visits", "跑动次数"},
        {"visits_per_case", "Visits per case", "件均跑动次数"},
        {"within_promised_visits", "Within promised visits", "跑动次数未超承诺件数"},
        {"at_most_once_rate", "At-most-once rate", "最多跑一次实现率"},
        {"matters", "Matters", "事项数"},
        {"at_most_once_matters", "At-most-once matters", "最多跑一次事项数"},
        {"coverage", "At-most-once coverage", "最多跑一次事项覆盖率"},
        // Ratings
        {"ratings", "Ratings", "评价数"},
        {"level_5", "Very satisfied", "非常满意"},
        {"level_4", "Satisfied", "满意"},
        {"level_3", "Fairly satisfied", "基本满意"},
        {"level_2", "Dissatisfied", "不满意"},
        {"level_1", "Very dissatisfied", "非常不满意"},
        {"appeals_upheld", "Appeals upheld", "申诉成立数"},
        {"counting", "Ratings counted", "有效评价数"},
        {"satisfied", "Satisfied ratings", "满意评价数"},
        {"satisfaction_rate", "Satisfaction rate", "满意率"},
        {"bad", "Bad ratings", "差评数"},
        {"callbacks", "Called back", "已回访差评数"},
        {"callback_rate", "Callback rate", "差评回访率"},
        {"rectified", "Rectified", "已整改差评数"},
        {"rectification_rate", "Rectification rate", "差评整改率"},
        {"open_follow_ups", "Open follow-ups", "未办结差评数"},
        {"overdue_follow_ups", "Overdue follow-ups", "超期未办结差评数"},
        // Summary figures named apart from the columns they repeat
        {"tickets_issued", "Tickets issued", "取号数"},
        {"tickets_served", "Tickets served", "办理完成数"},
        {"tickets_no_show", "No-shows", "过号数"},
        {"tickets_cancelled", "Tickets cancelled", "取消数"},
        {"bad_ratings", "Bad ratings", "差评数"},
    };
    return list;
}

const Heading& heading(std::string_view key)
{
    for (const auto& h : headings())
        if (key == h.key)
            return h;
    throw std::out_of_range("no heading '" + std::string(key) + "'");
}

std::vector<Sheet> sheets(const model::KpiReport& r)
{
    std::vector<Sheet> out;

    Sheet summary{"sheet_summary", {"figure", "name", "name_zh", "value"}, {}};
    const auto& t = r.tickets;
    const auto& c = r.cases;
    const auto& g = r.ratings;
    const std::string all = heading("all").en;
    for (auto row :
        {summaryRow("period_from", text(r.query.from.iso())), summaryRow("period_to", text(r.query.to.iso())),
            summaryRow("centre", text(r.query.centre.empty() ? all : r.query.centre)),
            summaryRow("department", text(r.query.department.empty() ? all : r.query.department)),
            summaryRow("tickets_issued", count(t.issued)), summaryRow("tickets_served", count(t.served)),
            summaryRow("tickets_no_show", count(t.noShow)),
            summaryRow("tickets_cancelled", count(t.cancelled)),
            summaryRow("waiting_mean_s", seconds(t.waiting.mean)),
            summaryRow("waiting_median_s", seconds(t.waiting.median)),
            summaryRow("waiting_p90_s", seconds(t.waiting.p90)),
            summaryRow("serving_mean_s", seconds(t.serving.mean)),
            summaryRow("serving_median_s", seconds(t.serving.median)),
            summaryRow("serving_p90_s", seconds(t.serving.p90)), summaryRow("accepted", count(c.accepted)),
            summaryRow("concluded", count(c.concluded)), summaryRow("overdue", count(c.overdue())),
            summaryRow("on_time_rate", rate(c.onTimeRate)),
            summaryRow("immediate_rate", rate(c.immediateRate)),
            summaryRow("time_compression", rate(c.timeCompression)),
            summaryRow("visits_per_case", optional(c.visitsPerCase, CellKind::Decimal)),
            summaryRow("at_most_once_rate", rate(c.atMostOnceRate)), summaryRow("ratings", count(g.ratings)),
            summaryRow("satisfaction_rate", rate(g.satisfactionRate)),
            summaryRow("bad_ratings", count(g.bad)), summaryRow("callback_rate", rate(g.callbackRate)),
            summaryRow("rectification_rate", rate(g.rectificationRate)),
            summaryRow("open_follow_ups", count(g.openFollowUps)),
            summaryRow("overdue_follow_ups", count(g.overdueFollowUps)),
            summaryRow("coverage", rate(c.coverage))})
        summary.rows.push_back(std::move(row));
    out.push_back(std::move(summary));

    Sheet byCategory{"sheet_tickets_by_category", ticketColumns("category"), {ticketRow(all, t)}};
    for (const auto& x : r.ticketsByCategory)
        byCategory.rows.push_back(ticketRow(x.key, x));
    out.push_back(std::move(byCategory));

    Sheet byWindow{"sheet_tickets_by_window", ticketColumns("window"), {}};
    for (const auto& x : r.ticketsByWindow)
        byWindow.rows.push_back(ticketRow(x.key, x));
    out.push_back(std::move(byWindow));

    Sheet cases{"sheet_cases",
        {"department", "accepted", "concluded", "concluded_late", "running_overdue", "overdue",
            "on_time_rate", "immediate", "immediate_rate", "statutory_days", "promised_days",
            "time_compression", "visits", "visits_per_case", "within_promised_visits", "at_most_once_rate",
            "matters", "at_most_once_matters", "coverage"},
        {caseRow(all, c)}};
    for (const auto& x : r.casesByDepartment)
        cases.rows.push_back(caseRow(x.department, x));
    out.push_back(std::move(cases));

    Sheet ratings{"sheet_ratings",
        {"window", "ratings", "level_5", "level_4", "level_3", "level_2", "level_1", "appeals_upheld",
            "counting", "satisfied", "satisfaction_rate", "bad", "callbacks", "callback_rate", "rectified",
            "rectification_rate", "open_follow_ups", "overdue_follow_ups"},
        {ratingRow(all, g)}};
    for (const auto& x : r.ratingsByWindow)
        ratings.rows.push_back(ratingRow(x.window, x));
    out.push_back(std::move(ratings));
    return out;
}

std::string toCsv(const model::KpiReport& report)
{
    const auto all = sheets(report);
    std::size_t width = 2;
    for (const auto& s : all)
        width = std::max(width, s.columns.size());
    std::string out = "\xEF\xBB\xBF"; // UTF-8 byte-order mark
    bool first = true;
    for (const auto& s : all) {
        if (!first)
            csvRecord(out, {}, width);
        first = false;
        const Heading& name = heading(s.key);
        csvRecord(out, {name.en, name.zh}, width);
        std::vector<std::string> en, zh;
        for (const auto& key : s.columns) {
            en.push_back(heading(key).en);
            zh.push_back(heading(key).zh);
        }
        csvRecord(out, en, width);
        csvRecord(out, zh, width);
        for (const auto& row : s.rows) {
            std::vector<std::string> fields;
            for (const auto& cell : row)
                fields.push_back(formatNumber(cell));
            csvRecord(out, fields, width);
        }
    }
    return out;
}

std::string toJsonText(const model::KpiReport& report)
{
    return report.toJson().pretty() + "\n";
}

void writeFileAtomically(const std::string& path, const std::string& bytes)
{
    const std::string temp = path + ".tmp-" + std::to_string(::getpid());
    {
        std::ofstream f(temp, std::ios::binary | std::ios::trunc);
        if (!f)
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
        f.flush();
        if (!f) {
            std::remove(temp.c_str());
            throw std::runtime_error("cannot write " + path + ": " + std::strerror(errno));
        }
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + ec.message());
    }
}

void writeXlsx(const model::KpiReport& report, const std::string& path)
{
    const std::string temp = path + ".tmp-" + std::to_string(::getpid()) + ".xlsx";
    lxw_workbook* workbook = workbook_new(temp.c_str());
    if (!workbook)
        throw std::runtime_error("cannot write " + path + ": cannot create the workbook");
    // libxlsxwriter takes the properties as char* (and copies them).
    std::string title = "OneWindow KPI report " + report.query.from.iso() + " – " + report.query.to.iso();
    std::string subject = "KPIs / 统计报表";
    lxw_doc_properties properties{};
    properties.title = title.data();
    properties.subject = subject.data();
    workbook_set_properties(workbook, &properties);

    lxw_format* header = workbook_add_format(workbook);
    format_set_bold(header);
    format_set_bottom(header, LXW_BORDER_THIN);
    format_set_text_wrap(header);
    lxw_format* secondsFormat = workbook_add_format(workbook);
    format_set_num_format(secondsFormat, "0.0");
    lxw_format* rateFormat = workbook_add_format(workbook);
    format_set_num_format(rateFormat, "0.0%");
    lxw_format* decimalFormat = workbook_add_format(workbook);
    format_set_num_format(decimalFormat, "0.00");
    lxw_format* missing = workbook_add_format(workbook);
    format_set_align(missing, LXW_ALIGN_RIGHT);
    format_set_font_color(missing, LXW_COLOR_GRAY);

    for (const auto& sheet : sheets(report)) {
        lxw_worksheet* ws = workbook_add_worksheet(workbook, heading(sheet.key).en);
        if (!ws) {
            workbook_close(workbook);
            std::remove(temp.c_str());
            throw std::runtime_error(
                "cannot write " + path + ": cannot add the sheet " + heading(sheet.key).en);
        }
        // Two heading rows, English then Chinese; the key column and the headings stay in view.
        for (std::size_t col = 0; col < sheet.columns.size(); ++col) {
            const Heading& h = heading(sheet.columns[col]);
            const auto c = static_cast<lxw_col_t>(col);
            worksheet_write_string(ws, 0, c, h.en, header);
            worksheet_write_string(ws, 1, c, h.zh, header);
        }
        const bool summary = sheet.key == "sheet_summary";
        worksheet_set_column(ws, 0, 0, summary ? 22 : 24, nullptr);
        worksheet_set_column(
            ws, 1, static_cast<lxw_col_t>(sheet.columns.size() - 1), summary ? 30 : 14, nullptr);
        if (summary)
            worksheet_set_column(ws, 3, 3, 14, nullptr);
        worksheet_freeze_panes(ws, 2, 1);
        lxw_row_t row = 2;
        for (const auto& cells : sheet.rows) {
            for (std::size_t col = 0; col < cells.size(); ++col) {
                const Cell& cell = cells[col];
                const auto c = static_cast<lxw_col_t>(col);
                switch (cell.kind) {
                case CellKind::Text:
                    worksheet_write_string(ws, row, c, cell.text.c_str(), nullptr);
                    break;
                case CellKind::Missing:
                    worksheet_write_string(ws, row, c, cell.text.c_str(), missing);
                    break;
                case CellKind::Count:
                    worksheet_write_number(ws, row, c, cell.number, nullptr);
                    break;
                case CellKind::Seconds:
                    worksheet_write_number(ws, row, c, cell.number, secondsFormat);
                    break;
                case CellKind::Rate:
                    worksheet_write_number(ws, row, c, cell.number, rateFormat);
                    break;
                case CellKind::Decimal:
                    worksheet_write_number(ws, row, c, cell.number, decimalFormat);
                    break;
                }
            }
            ++row;
        }
    }
    const lxw_error error = workbook_close(workbook);
    if (error != LXW_NO_ERROR) {
        std::remove(temp.c_str());
        throw std::runtime_error(xlsxError(path, error));
    }
    std::error_code ec;
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::remove(temp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + ec.message());
    }
}

} // namespace ow::report
