#include "DashboardTab.h"

#include "model/Error.h"

#include "Chart.h"
#include "Text.h"
#include "client/report/KpiExport.h"

#include <algorithm>
#include <set>
#include <spdlog/spdlog.h>
#include <tuple>
#include <wx/button.h>
#include <wx/choice.h>
#include <wx/datectrl.h>
#include <wx/dateevt.h>
#include <wx/dcclient.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/intl.h>
#include <wx/notebook.h>
#include <wx/panel.h>
#include <wx/settings.h>
#include <wx/sizer.h>
#include <wx/stattext.h>
#include <wx/stdpaths.h>
#include <wx/tglbtn.h>
#include <wx/wrapsizer.h>

namespace ow::gui {

namespace {

using model::Date;

const wxColour kMutedText(92, 99, 108);
const wxColour kTileBorder(210, 215, 222);
const wxColour kProblemText(140, 0, 20);
const wxColour kDoneText(0, 90, 30);
const wxColour kAlarmText(176, 0, 32);

// The headline figures, in the order of the tiles.
enum TileIndex {
    TileIssued,
    TileServed,
    TileMeanWait,
    TileP90Wait,
    TileSatisfaction,
    TileOpenFollowUps,
    TileOnTime,
    TileImmediate,
    TileAtMostOnce,
    TileCompression,
    TileCoverage,
    TileOverdueFollowUps,
    TileCount
};

enum TicketColumn {
    TkKey,
    TkIssued,
    TkCalled,
    TkServed,
    TkNoShow,
    TkCancelled,
    TkWaitMean,
    TkWaitMedian,
    TkWaitP90,
    TkServeMean,
    TkServeMedian,
    TkServeP90,
    TicketColumns
};

enum RatingColumn {
    RaWindow,
    RaRatings,
    RaLevel5,
    RaLevel4,
    RaLevel3,
    RaLevel2,
    RaLevel1,
    RaAppealsUpheld,
    RaSatisfaction,
    RaBad,
    RaCallbackRate,
    RaRectificationRate,
    RaOpen,
    RaOverdue,
    RatingColumns
};

enum CaseColumn {
    CsDepartment,
    CsAccepted,
    CsConcluded,
    CsConcludedLate,
    CsRunningOverdue,
    CsOverdue,
    CsOnTimeRate,
    CsImmediate,
    CsImmediateRate,
    CsCompression,
    CsVisitsPerCase,
    CsAtMostOnceRate,
    CsMatters,
    CsCoverage,
    CaseColumns
};

wxStaticText* namedLabel(wxWindow* parent, const wxString& text, const char* name)
{
    auto* label = new wxStaticText(parent, wxID_ANY, text);
    label->SetName(name);
    return label;
}

wxString dash()
{
    return wxString::FromUTF8("—");
}

wxString count(std::int64_t n)
{
    return wxString::Format("%lld", static_cast<long long>(n));
}

wxString duration(const std::optional<double>& seconds)
{
    return seconds ? durationText(*seconds) : dash();
}

wxString percent(const std::optional<double>& fraction)
{
    return fraction ? percentText(*fraction) : dash();
}

wxDateTime toWx(Date d)
{
    return wxDateTime(static_cast<wxDateTime::wxDateTime_t>(d.day()),
        static_cast<wxDateTime::Month>(d.month() - 1), d.year());
}

Date fromWx(const wxDateTime& t)
{
    return Date(t.GetYear(), static_cast<unsigned>(t.GetMonth()) + 1, t.GetDay());
}

// "A General (every matter)" / "A 综合".
wxString categoryLabel(const DashboardData& d, const std::string& code)
{
    for (const auto& c : d.categories)
        if (c.code == code) {
            const wxString name = localName(c.nameZh, c.nameEn);
            return name.empty() ? wx(code) : wx(code) + " " + name;
        }
    return wx(code);
}

// "W01 1号窗口".
wxString windowLabel(const DashboardData& d, const std::string& code)
{
    for (const auto& w : d.windows)
        if (w.code == code && !w.nameZh.empty())
            return wx(code) + " " + wx(w.nameZh);
    return wx(code);
}

wxString levelLabel(int level)
{
    switch (level) {
    case 5:
        return _("Very satisfied");
    case 4:
        return _("Satisfied");
    case 3:
        return _("Fairly satisfied");
    case 2:
        return _("Dissatisfied");
    default:
        return _("Very dissatisfied");
    }
}

TableRow ticketRow(const wxString& label, const model::TicketFigures& f, bool total)
{
    TableRow r;
    r.key = total ? "all" : f.key;
    r.bold = total;
    r.cells.resize(TicketColumns);
    r.cells[TkKey] = label;
    r.cells[TkIssued] = count(f.issued);
    r.cells[TkCalled] = count(f.called);
    r.cells[TkServed] = count(f.served);
    r.cells[TkNoShow] = count(f.noShow);
    r.cells[TkCancelled] = count(f.cancelled);
    r.cells[TkWaitMean] = duration(f.waiting.mean);
    r.cells[TkWaitMedian] = duration(f.waiting.median);
    r.cells[TkWaitP90] = duration(f.waiting.p90);
    r.cells[TkServeMean] = duration(f.serving.mean);
    r.cells[TkServeMedian] = duration(f.serving.median);
    r.cells[TkServeP90] = duration(f.serving.p90);
    return r;
}

TableRow ratingRow(const wxString& label, const model::RatingFigures& f, bool total)
{
    TableRow r;
    r.key = total ? "all" : f.window;
    r.bold = total;
    r.cells.resize(RatingColumns);
    r.cells[RaWindow] = label;
    r.cells[RaRatings] = count(f.ratings);
    for (int level = 5; level >= 1; --level)
        r.cells[static_cast<std::size_t>(RaLevel5 + (5 - level))]
            = count(f.byLevel[static_cast<std::size_t>(level - 1)]);
    r.cells[RaAppealsUpheld] = count(f.appealsUpheld);
    r.cells[RaSatisfaction] = percent(f.satisfactionRate);
    r.cells[RaBad] = count(f.bad);
    r.cells[RaCallbackRate] = percent(f.callbackRate);
    r.cells[RaRectificationRate] = percent(f.rectificationRate);
    r.cells[RaOpen] = count(f.openFollowUps);
    r.cells[RaOverdue] = count(f.overdueFollowUps);
    if (f.overdueFollowUps > 0 && !total)
        r.tone = TableRow::Tone::Bad;
    return r;
}

TableRow caseRow(const wxString& label, const model::CaseFigures& f, bool total)
{
    TableRow r;
    r.key = total ? "all" : f.department;
    r.bold = total;
    r.cells.resize(CaseColumns);
    r.cells[CsDepartment] = label;
    r.cells[CsAccepted] = count(f.accepted);
    r.cells[CsConcluded] = count(f.concluded);
    r.cells[CsConcludedLate] = count(f.concludedLate);
    r.cells[CsRunningOverdue] = count(f.runningOverdue);
    r.cells[CsOverdue] = count(f.overdue());
    r.cells[CsOnTimeRate] = percent(f.onTimeRate);
    r.cells[CsImmediate] = count(f.immediate);
    r.cells[CsImmediateRate] = percent(f.immediateRate);
    r.cells[CsCompression] = percent(f.timeCompression);
    r.cells[CsVisitsPerCase] = f.visitsPerCase ? wxString::Format("%.2f", *f.visitsPerCase) : dash();
    r.cells[CsAtMostOnceRate] = percent(f.atMostOnceRate);
    r.cells[CsMatters] = count(f.matters);
    r.cells[CsCoverage] = percent(f.coverage);
    return r;
}

// Waiting (the accent: what the applicant bears) and service (neutral), mean full, p90 light.
std::vector<ChartSeries> timeSeries()
{
    return {{_("Mean wait"), chart::kAccent}, {_("90th percentile wait"), chart::kAccentLight},
        {_("Mean service"), chart::kNeutral}, {_("90th percentile service"), chart::kNeutralLight}};
}

ChartGroup timeGroup(const wxString& label, const model::TicketFigures& f)
{
    return {label, {f.waiting.mean, f.waiting.p90, f.serving.mean, f.serving.p90}, {}};
}

} // namespace

std::pair<Date, Date> presetRange(DashboardPreset preset, Date today)
{
    switch (preset) {
    case DashboardPreset::Today:
        return {today, today};
    case DashboardPreset::ThisWeek:
        return {today.addDays(-((static_cast<int>(today.weekday()) + 6) % 7)), today};
    case DashboardPreset::ThisMonth:
        return {Date(today.year(), today.month(), 1), today};
    case DashboardPreset::Last30Days:
        return {today.addDays(-29), today};
    case DashboardPreset::ThisYear:
        return {Date(today.year(), 1, 1), today};
    case DashboardPreset::Custom:
        break;
    }
    return {today, today};
}

DashboardTab::DashboardTab(wxWindow* parent, Shell& shell)
    : Tab(parent, shell)
    , m_categoryTable(new CaseTableModel(TicketColumns))
    , m_windowTable(new CaseTableModel(TicketColumns))
    , m_ratingTable(new CaseTableModel(RatingColumns))
    , m_caseTable(new CaseTableModel(CaseColumns))
{
    SetName("dashboard");
    m_exportDir = wxStandardPaths::Get().GetDocumentsDir();
    auto* top = new wxBoxSizer(wxVERTICAL);
    buildRangeBar(top);
    buildTiles(top);
    buildPages(top);
    SetSizer(top);

    m_changes.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { reload(); });
    m_edits.Bind(wxEVT_TIMER, [this](wxTimerEvent&) { reload(); });
    Bind(wxEVT_SIZE, [this](wxSizeEvent& e) {
        fitTileColumns();
        e.Skip();
    });

    choosePreset(m_preset);
    CallAfter([this] {
        for (auto& [preset, button] : m_presets)
            if (preset == m_preset)
                button->SetFocus();
    });
}

void DashboardTab::buildRangeBar(wxSizer* top)
{
    const int gap = FromDIP(8);
    // First line: the periods and the days (wrapping when the tab is narrow).
    auto* range = new wxWrapSizer(wxHORIZONTAL);
    auto* presets = new wxBoxSizer(wxHORIZONTAL);
    const std::pair<DashboardPreset, wxString> choices[] = {
        // TRANSLATORS: a period of the dashboard (the range bar's presets).
        {DashboardPreset::Today, _("&Today")},
        {DashboardPreset::ThisWeek, _("This &week")},
        {DashboardPreset::ThisMonth, _("This &month")},
        {DashboardPreset::Last30Days, _("&Last 30 days")},
        {DashboardPreset::ThisYear, _("This &year")},
    };
    const char* names[] = {"today", "week", "month", "last30", "year"};
    int i = 0;
    for (const auto& [preset, label] : choices) {
        auto* button
            = new wxToggleButton(this, wxID_ANY, label, wxDefaultPosition, wxDefaultSize, wxBU_EXACTFIT);
        button->SetName(wxString("dashboard.preset.") + names[i++]);
        button->SetMinSize(wxSize(button->GetBestSize().x + FromDIP(8), -1));
        presets->Add(button, wxSizerFlags().CentreVertical().Border(wxRIGHT, FromDIP(2)));
        m_presets.emplace_back(preset, button);
        button->Bind(wxEVT_TOGGLEBUTTON, [this, preset = preset](wxCommandEvent&) { choosePreset(preset); });
    }
    range->Add(presets, wxSizerFlags().CentreVertical().Border(wxRIGHT | wxBOTTOM, gap));

    auto* days = new wxBoxSizer(wxHORIZONTAL);
    // TRANSLATORS: the first day of the dashboard's range: "From [date] to [date]".
    days->Add(namedLabel(this, _("&From"), "dashboard.from.label"), wxSizerFlags().CentreVertical());
    m_from = new wxDatePickerCtrl(this, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
        wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    m_from->SetName("dashboard.from");
    m_from->SetToolTip(_("The first day counted"));
    days->Add(m_from, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(6)));
    // TRANSLATORS: the last day of the dashboard's range: "From [date] to [date]".
    days->Add(namedLabel(this, _("t&o"), "dashboard.to.label"),
        wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(6)));
    m_to = new wxDatePickerCtrl(this, wxID_ANY, wxDefaultDateTime, wxDefaultPosition, wxDefaultSize,
        wxDP_DROPDOWN | wxDP_SHOWCENTURY);
    m_to->SetName("dashboard.to");
    m_to->SetToolTip(_("The last day counted; running cases and open follow-ups are judged on it"));
    days->Add(m_to, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(6)));
    range->Add(days, wxSizerFlags().CentreVertical().Border(wxBOTTOM, gap));
    top->Add(range, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    // Second line: the department, Refresh, and the exports on the right.
    auto* line = new wxBoxSizer(wxHORIZONTAL);
    line->Add(
        namedLabel(this, _("&Department"), "dashboard.department.label"), wxSizerFlags().CentreVertical());
    m_department = new wxChoice(this, wxID_ANY);
    m_department->SetName("dashboard.department");
    m_department->Append(_("All departments"));
    m_department->SetSelection(0);
    m_department->SetMinSize(wxSize(FromDIP(170), -1));
    m_department->SetToolTip(
        _("Only the cases with a matter of this department, and their tickets and ratings"));
    line->Add(m_department, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(6)));
    m_refresh = new wxButton(this, wxID_ANY, _("&Refresh"));
    m_refresh->SetName("dashboard.refresh");
    line->Add(m_refresh, wxSizerFlags().CentreVertical().Border(wxLEFT, gap));
    // What the last export did, beside the export buttons.
    m_message = new wxStaticText(this, wxID_ANY, wxString(), wxDefaultPosition, wxDefaultSize,
        wxST_ELLIPSIZE_MIDDLE | wxALIGN_RIGHT | wxST_NO_AUTORESIZE);
    m_message->SetName("dashboard.message");
    m_message->SetMinSize(wxSize(FromDIP(40), -1));
    line->Add(m_message, wxSizerFlags(1).CentreVertical().Border(wxLEFT, gap * 2));
    // TRANSLATORS: a button of the dashboard: save the figures shown as an Excel workbook.
    m_exportXlsx = new wxButton(this, wxID_ANY, _("Export &XLSX…"));
    m_exportXlsx->SetName("dashboard.export-xlsx");
    m_exportXlsx->SetToolTip(_("Save the figures shown as an Excel workbook of five sheets."));
    // TRANSLATORS: a button of the dashboard: save the figures shown as a CSV file.
    m_exportCsv = new wxButton(this, wxID_ANY, _("Export C&SV…"));
    m_exportCsv->SetName("dashboard.export-csv");
    m_exportCsv->SetToolTip(
        _("Save the figures shown as one CSV file (UTF-8), the five sheets one after another."));
    line->Add(m_exportXlsx, wxSizerFlags().CentreVertical().Border(wxLEFT, gap));
    line->Add(m_exportCsv, wxSizerFlags().CentreVertical().Border(wxLEFT, FromDIP(4)));
    top->Add(line, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT, gap));

    // Third line: what the figures cover.
    m_info = new wxStaticText(
        this, wxID_ANY, _("Loading…"), wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    m_info->SetName("dashboard.info");
    m_info->SetForegroundColour(kMutedText);
    m_info->SetMinSize(wxSize(FromDIP(80), -1));
    top->Add(m_info, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    m_from->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { datesEdited(); });
    m_to->Bind(wxEVT_DATE_CHANGED, [this](wxDateEvent&) { datesEdited(); });
    m_department->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { reload(); });
    m_refresh->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { reload(); });
    m_exportXlsx->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { exportReport(true); });
    m_exportCsv->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { exportReport(false); });
}

DashboardTab::Tile& DashboardTab::addTile(const wxString& caption, const wxString& tip, const char* name)
{
    Tile t;
    t.panel = new wxPanel(this, wxID_ANY);
    t.panel->SetName(wxString("dashboard.tile.") + name);
    t.panel->SetBackgroundColour(wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOW));
    t.panel->Bind(wxEVT_PAINT, [panel = t.panel](wxPaintEvent&) {
        wxPaintDC dc(panel);
        dc.SetPen(wxPen(kTileBorder));
        dc.SetBrush(*wxTRANSPARENT_BRUSH);
        dc.DrawRectangle(panel->GetClientRect());
    });
    auto* box = new wxBoxSizer(wxVERTICAL);
    const int pad = FromDIP(8);
    t.caption
        = new wxStaticText(t.panel, wxID_ANY, caption, wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    t.caption->SetName(wxString("dashboard.") + name + ".caption");
    t.caption->SetForegroundColour(kMutedText);
    t.caption->SetToolTip(tip);
    t.caption->SetMinSize(wxSize(FromDIP(40), -1));
    t.value = new wxStaticText(t.panel, wxID_ANY, dash());
    t.value->SetName(wxString("dashboard.") + name);
    t.value->SetFont(GetFont().Scaled(1.6f).Bold());
    t.value->SetToolTip(tip);
    // The detail beside the figure, on its baseline side: one line less per row of tiles.
    t.detail = new wxStaticText(t.panel, wxID_ANY, " ", wxDefaultPosition, wxDefaultSize, wxST_ELLIPSIZE_END);
    t.detail->SetName(wxString("dashboard.") + name + ".detail");
    t.detail->SetForegroundColour(kMutedText);
    t.detail->SetFont(GetFont().Scaled(0.9f));
    t.detail->SetMinSize(wxSize(FromDIP(30), -1));
    auto* figures = new wxBoxSizer(wxHORIZONTAL);
    figures->Add(t.value, wxSizerFlags().Bottom());
    figures->Add(t.detail, wxSizerFlags(1).Bottom().Border(wxLEFT | wxBOTTOM, FromDIP(6)));
    box->Add(t.caption, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, pad));
    box->Add(figures, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, pad));
    t.panel->SetSizer(box);
    m_tileGrid->Add(t.panel, wxSizerFlags().Expand());
    m_tiles.push_back(t);
    return m_tiles.back();
}

void DashboardTab::buildTiles(wxSizer* top)
{
    const int gap = FromDIP(8);
    m_tileGrid = new wxGridSizer(6, FromDIP(6), gap);
    m_tiles.reserve(TileCount);
    // TRANSLATORS: a headline figure of the dashboard (取号数).
    addTile(_("Tickets issued"), _("Tickets issued for the days of the range"), "issued");
    // TRANSLATORS: a headline figure of the dashboard (办理完成数).
    addTile(_("Tickets served"), _("Tickets whose service was finished at a window"), "served");
    // TRANSLATORS: a headline figure of the dashboard (平均等候时长), in minutes:seconds.
    addTile(
        _("Mean wait"), _("Mean time a called ticket waited in the queue (minutes:seconds)"), "wait-mean");
    // TRANSLATORS: a headline figure of the dashboard (等候时长90分位), in minutes:seconds.
    addTile(_("90th percentile wait"),
        _("Nine in ten called tickets waited at most this long (minutes:seconds)"), "wait-p90");
    // TRANSLATORS: a headline figure of the dashboard (满意率).
    addTile(_("Satisfaction rate"),
        _("Ratings of level 3 (fairly satisfied) or better among the ratings counted"), "satisfaction");
    // TRANSLATORS: a headline figure of the dashboard (未办结差评数).
    addTile(_("Open follow-ups"), _("Bad ratings whose follow-up was not closed by the last day"),
        "open-follow-ups");
    // TRANSLATORS: a headline figure of the dashboard (按时办结率).
    addTile(_("On-time rate"), _("Cases concluded by their promised deadline among the cases concluded"),
        "on-time");
    // TRANSLATORS: a headline figure of the dashboard (即办件率).
    addTile(_("Immediate-case rate"), _("Cases decided on the day of acceptance among the cases accepted"),
        "immediate");
    // TRANSLATORS: a headline figure of the dashboard (最多跑一次实现率).
    addTile(_("At-most-once rate"), _("Cases concluded within the visits promised among the cases concluded"),
        "at-most-once");
    // TRANSLATORS: a headline figure of the dashboard (承诺时限压缩比).
    addTile(_("Time compression"),
        _("How much shorter the promised time limits are than the statutory ones (below: promised and "
          "statutory working days, summed over the cases accepted)"),
        "compression");
    // TRANSLATORS: a headline figure of the dashboard (最多跑一次事项覆盖率).
    addTile(_("At-most-once coverage"), _("Matters of the catalogue promised at most once"), "coverage");
    // TRANSLATORS: a headline figure of the dashboard (超期未办结差评数).
    addTile(_("Overdue follow-ups"), _("Open follow-ups due before the last day"), "overdue-follow-ups");
    top->Add(m_tileGrid, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));
}

void DashboardTab::buildPages(wxSizer* top)
{
    const int gap = FromDIP(8);
    m_pages = new wxNotebook(this, wxID_ANY);
    m_pages->SetName("dashboard.pages");

    auto page = [&](const wxString& title, const char* name, BarChart*& chart, CaseTableModel* model,
                    const std::vector<TableColumn>& columns) {
        auto* panel = new wxPanel(m_pages, wxID_ANY);
        panel->SetName(wxString("dashboard.page.") + name);
        auto* box = new wxBoxSizer(wxVERTICAL);
        chart = new BarChart(panel, wxString("dashboard.chart.") + name);
        box->Add(chart, wxSizerFlags(3).Expand().Border(wxALL, FromDIP(6)));
        // Each column at least as wide as its (bold) heading, so that no heading is cut.
        std::vector<TableColumn> fitted = columns;
        wxClientDC dc(panel);
        dc.SetFont(panel->GetFont().Bold());
        for (auto& c : fitted)
            c.width = std::max(c.width, panel->ToDIP(dc.GetTextExtent(c.title).x) + 28);
        auto* table = makeCaseTable(panel, model, fitted, wxString("dashboard.table.") + name);
        chart->SetMinSize(FromDIP(wxSize(240, 150)));
        table->SetMinSize(FromDIP(wxSize(240, 110)));
        box->Add(table, wxSizerFlags(2).Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM, FromDIP(6)));
        panel->SetSizer(box);
        m_pages->AddPage(panel, title);
    };

    auto ticketColumns = [](const wxString& key) -> std::vector<TableColumn> {
        return {{key, 190}, {_("Tickets"), 64}, {_("Called"), 64}, {_("Served"), 64}, {_("No-shows"), 76},
            {_("Cancelled"), 76}, {_("Mean wait"), 84}, {_("Median wait"), 96}, {_("90th pct. wait"), 104},
            {_("Mean service"), 100}, {_("Median service"), 110}, {_("90th pct. service"), 120}};
    };
    // TRANSLATORS: a page of the dashboard: waiting and service times per queue category.
    page(_("Tickets by category"), "category", m_categoryChart, m_categoryTable.get(),
        ticketColumns(_("Category")));
    // TRANSLATORS: a page of the dashboard: waiting and service times per window.
    page(_("Tickets by window"), "window", m_windowChart, m_windowTable.get(), ticketColumns(_("Window")));
    // TRANSLATORS: a page of the dashboard: the ratings (好差评) by level and by window.
    page(_("Ratings"), "ratings", m_ratingChart, m_ratingTable.get(),
        {{_("Window"), 130}, {_("Ratings given"), 64}, {_("Very satisfied"), 96}, {_("Satisfied"), 76},
            {_("Fairly satisfied"), 104}, {_("Dissatisfied"), 90}, {_("Very dissatisfied"), 116},
            {_("Appeals upheld"), 110}, {_("Satisfaction rate"), 120}, {_("Bad ratings"), 90},
            {_("Callback rate"), 100}, {_("Rectification rate"), 126}, {_("Open follow-ups"), 116},
            {_("Overdue follow-ups"), 130}});
    // TRANSLATORS: a page of the dashboard: the cases (办件) per department.
    page(_("Cases by department"), "cases", m_caseChart, m_caseTable.get(),
        {{_("Department"), 200}, {_("Accepted"), 76}, {_("Concluded"), 84}, {_("Concluded late"), 110},
            {_("Running overdue"), 116}, {_("Overdue"), 70}, {_("On-time rate"), 96}, {_("Immediate"), 80},
            {_("Immediate-case rate"), 140}, {_("Time compression"), 124}, {_("Visits per case"), 110},
            {_("At-most-once rate"), 124}, {_("Matters"), 70}, {_("At-most-once coverage"), 80}});
    top->Add(m_pages, wxSizerFlags(1).Expand().Border(wxLEFT | wxRIGHT | wxTOP, gap));

    const wxString time = _("Time (minutes:seconds)");
    m_categoryChart->setTitle(_("Waiting and service time by category"));
    m_categoryChart->setAxisTitles(_("Queue category"), time);
    m_categoryChart->setScale(ChartScale::Seconds);
    m_categoryChart->setSeries(timeSeries());
    m_categoryChart->setEmptyText(_("No tickets in this period."));
    m_windowChart->setTitle(_("Waiting and service time by window"));
    // TRANSLATORS: the axis under the dashboard's chart by window; waiting counts where the ticket was
    // served.
    m_windowChart->setAxisTitles(_("Window that served the ticket"), time);
    m_windowChart->setScale(ChartScale::Seconds);
    m_windowChart->setSeries(timeSeries());
    m_windowChart->setEmptyText(_("No ticket was called in this period."));
    m_ratingChart->setTitle(_("Ratings by level"));
    m_ratingChart->setAxisTitles(_("Level"), _("Ratings given"));
    m_ratingChart->setScale(ChartScale::Count);
    m_ratingChart->setSeries({{_("Ratings given"), chart::kNeutral}});
    // TRANSLATORS: the legend of the dashboard's ratings chart: levels 3 to 5 count as satisfied.
    m_ratingChart->setLegend({{_("Satisfied (levels 3–5)"), chart::kNeutral},
        // TRANSLATORS: the legend of the dashboard's ratings chart: levels 1 and 2 are bad and followed up.
        {_("Bad (levels 1–2)"), chart::kAccent}});
    m_ratingChart->setEmptyText(_("No ratings in this period."));
    m_caseChart->setTitle(_("Cases by department"));
    m_caseChart->setAxisTitles(_("Department (those with cases in the period)"), _("Cases"));
    m_caseChart->setScale(ChartScale::Count);
    m_caseChart->setSeries({{_("Accepted"), chart::kNeutralLight}, {_("Concluded"), chart::kNeutral},
        {_("Overdue"), chart::kAccent}});
    m_caseChart->setEmptyText(_("No cases in this period."));
}

wxString DashboardTab::title() const
{
    // TRANSLATORS: the title of the tab of KPIs (统计报表) for queue managers and administrators.
    return _("Dashboard");
}

void DashboardTab::onDataChanged()
{
    // Past days do not change under the floor's work; a range reaching today does.
    if (!m_data || !rangeIncludesToday())
        return;
    if (!m_changes.IsRunning())
        m_changes.StartOnce(2000);
}

bool DashboardTab::rangeIncludesToday() const
{
    return m_data && m_data->report.query.from <= m_data->today && m_data->today <= m_data->report.query.to;
}

void DashboardTab::choosePreset(DashboardPreset preset)
{
    m_preset = preset;
    for (auto& [p, button] : m_presets)
        button->SetValue(p == preset);
    reload();
}

void DashboardTab::datesEdited()
{
    m_preset = DashboardPreset::Custom;
    for (auto& [p, button] : m_presets)
        button->SetValue(false);
    if (fromWx(m_from->GetValue()) > fromWx(m_to->GetValue())) {
        say(_("The first day is after the last day: nothing to count."), true);
        return;
    }
    say(wxString(), false);
    // Typing a date changes it once per key: wait for a pause.
    m_edits.StartOnce(400);
}

void DashboardTab::reload()
{
    m_edits.Stop();
    m_changes.Stop();
    if (!m_gate.begin())
        return;
    const DashboardPreset preset = m_preset;
    const Date from = fromWx(m_from->GetValue().IsValid() ? m_from->GetValue() : wxDateTime::Today());
    const Date to = fromWx(m_to->GetValue().IsValid() ? m_to->GetValue() : wxDateTime::Today());
    if (preset == DashboardPreset::Custom && from > to) {
        m_gate.end();
        say(_("The first day is after the last day: nothing to count."), true);
        return;
    }
    const int selected = m_department->GetSelection();
    const std::string department
        = selected > 0 ? utf8(m_department->GetString(static_cast<unsigned>(selected))) : "";
    runAsync<DashboardData>(
        session(), liveness(),
        [preset, from, to, department](client::Backend& b) {
            DashboardData d;
            d.today = b.today();
            model::KpiQuery query;
            if (preset == DashboardPreset::Custom) {
                query.from = from;
                query.to = to;
            } else {
                std::tie(query.from, query.to) = presetRange(preset, d.today);
            }
            query.centre = b.centre();
            query.department = department;
            d.report = b.kpiReport(query);
            std::set<std::string> departments;
            for (const auto& [code, matter] : b.catalogue().matters())
                if (!matter.department.empty())
                    departments.insert(matter.department);
            d.departments.assign(departments.begin(), departments.end());
            d.categories = b.categories();
            d.windows = b.windows();
            return d;
        },
        [this](DashboardData data) {
            if (m_gate.end()) {
                // The range changed while this one was computed: show the newer one only.
                reload();
                return;
            }
            show(std::move(data));
        },
        [this](const std::string& message) {
            m_gate.end();
            m_info->SetForegroundColour(kProblemText);
            m_info->SetLabel(wx(message));
            say(wx(message), true);
        });
}

void DashboardTab::show(DashboardData data)
{
    m_data = std::move(data);
    const auto& q = m_data->report.query;
    if (m_preset != DashboardPreset::Custom) {
        m_from->SetValue(toWx(q.from));
        m_to->SetValue(toWx(q.to));
    }

    // The department list follows the catalogue; the choice stays on its department.
    std::vector<std::string> listed;
    for (unsigned i = 1; i < m_department->GetCount(); ++i)
        listed.push_back(utf8(m_department->GetString(i)));
    std::vector<std::string> wanted = m_data->departments;
    if (!q.department.empty() && std::find(wanted.begin(), wanted.end(), q.department) == wanted.end())
        wanted.push_back(q.department);
    if (listed != wanted) {
        m_department->Freeze();
        while (m_department->GetCount() > 1)
            m_department->Delete(m_department->GetCount() - 1);
        int selection = 0;
        for (const auto& d : wanted) {
            const int at = m_department->Append(wx(d));
            if (d == q.department)
                selection = at;
        }
        m_department->SetSelection(selection);
        m_department->Thaw();
    }

    const wxString period = q.from == q.to
        ? wx(q.from.iso()) + " " + weekdayLabel(q.from)
        // TRANSLATORS: the days of the dashboard's figures, e.g. "2026-11-01 to 2026-11-29".
        : wxString::Format(_("%s to %s"), wx(q.from.iso()), wx(q.to.iso()));
    const wxString department = q.department.empty() ? wxString(_("all departments")) : wx(q.department);
    // TRANSLATORS: under the dashboard's range bar: the days, the department, the centre and when the
    // figures were computed, e.g. "Figures of 2026-11-29 Sun · all departments · centre 330102 · as of
    // 14:05:09".
    const wxString info = wxString::Format(_("Figures of %s · %s · centre %s · as of %s"), period, department,
        q.centre.empty() ? wxString(_("all centres")) : wx(q.centre), wxDateTime::Now().FormatISOTime());
    m_info->SetForegroundColour(kMutedText);
    m_info->SetLabel(info);
    m_info->SetToolTip(info);

    Freeze();
    showTiles();
    showCharts();
    showTables();
    Layout();
    Thaw();
}

void DashboardTab::showTiles()
{
    const auto& r = m_data->report;
    const auto& t = r.tickets;
    const auto& c = r.cases;
    const auto& v = r.ratings;
    auto set = [this](TileIndex index, const wxString& value, const wxString& detail, bool alarm = false) {
        Tile& tile = m_tiles[index];
        if (tile.value->GetLabel() != value)
            tile.value->SetLabel(value);
        tile.value->SetForegroundColour(
            alarm ? kAlarmText : wxSystemSettings::GetColour(wxSYS_COLOUR_WINDOWTEXT));
        const wxString shown = detail.empty() ? wxString(" ") : detail;
        if (tile.detail->GetLabel() != shown)
            tile.detail->SetLabel(shown);
        tile.detail->SetToolTip(detail);
    };
    // TRANSLATORS: under the dashboard's "Tickets issued": how many of them were called.
    set(TileIssued, count(t.issued), wxString::Format(_("%lld called"), static_cast<long long>(t.called)));
    // TRANSLATORS: under the dashboard's "Tickets served": no-shows and cancelled tickets.
    set(TileServed, count(t.served),
        wxString::Format(wxPLURAL("%lld no-show", "%lld no-shows", static_cast<unsigned>(t.noShow)),
            static_cast<long long>(t.noShow))
            + wxString::FromUTF8(" · ")
            + wxString::Format(
                wxPLURAL("%lld cancelled", "%lld cancelled", static_cast<unsigned>(t.cancelled)),
                static_cast<long long>(t.cancelled)));
    // TRANSLATORS: under the dashboard's "Mean wait": the median wait, minutes:seconds.
    set(TileMeanWait, duration(t.waiting.mean),
        t.waiting.median ? wxString::Format(_("median %s"), durationText(*t.waiting.median)) : wxString());
    // TRANSLATORS: under the dashboard's "90th percentile wait": the mean service time, minutes:seconds.
    set(TileP90Wait, duration(t.waiting.p90),
        t.serving.mean ? wxString::Format(_("mean service %s"), durationText(*t.serving.mean)) : wxString());
    // TRANSLATORS: under the dashboard's "Satisfaction rate": satisfied ratings of the ratings counted.
    set(TileSatisfaction, percent(v.satisfactionRate),
        wxString::Format(_("%lld of %lld ratings"), static_cast<long long>(v.satisfied),
            static_cast<long long>(v.counting)));
    // TRANSLATORS: under the dashboard's "Open follow-ups": the bad ratings of the period.
    set(TileOpenFollowUps, count(v.openFollowUps),
        wxString::Format(wxPLURAL("%lld bad rating in the period", "%lld bad ratings in the period",
                             static_cast<unsigned>(v.bad)),
            static_cast<long long>(v.bad)));
    // TRANSLATORS: under the dashboard's "On-time rate": cases concluded on time of those concluded.
    set(TileOnTime, percent(c.onTimeRate),
        wxString::Format(_("%lld of %lld concluded"), static_cast<long long>(c.concluded - c.concludedLate),
            static_cast<long long>(c.concluded)));
    // TRANSLATORS: under the dashboard's "Immediate-case rate": immediate cases of those accepted.
    set(TileImmediate, percent(c.immediateRate),
        wxString::Format(_("%lld of %lld accepted"), static_cast<long long>(c.immediate),
            static_cast<long long>(c.accepted)));
    // TRANSLATORS: under the dashboard's "At-most-once rate": visits per concluded case.
    set(TileAtMostOnce, percent(c.atMostOnceRate),
        c.visitsPerCase ? wxString::Format(_("%.2f visits/case"), *c.visitsPerCase) : wxString());
    // TRANSLATORS: under the dashboard's "Time compression": promised and statutory working days summed.
    set(TileCompression, percent(c.timeCompression),
        wxString::Format(_("%lld of %lld days"), static_cast<long long>(c.promisedDays),
            static_cast<long long>(c.statutoryDays)));
    // TRANSLATORS: under the dashboard's "At-most-once coverage": matters promised at most once.
    set(TileCoverage, percent(c.coverage),
        wxString::Format(_("%lld of %lld matters"), static_cast<long long>(c.atMostOnceMatters),
            static_cast<long long>(c.matters)));
    // TRANSLATORS: under the dashboard's "Overdue follow-ups": how many follow-ups are open.
    set(TileOverdueFollowUps, count(v.overdueFollowUps),
        wxString::Format(_("of %lld open"), static_cast<long long>(v.openFollowUps)), v.overdueFollowUps > 0);
}

void DashboardTab::showCharts()
{
    const DashboardData& d = *m_data;
    const auto& r = d.report;
    std::vector<ChartGroup> groups;
    for (const auto& f : r.ticketsByCategory)
        groups.push_back(timeGroup(categoryLabel(d, f.key), f));
    m_categoryChart->setGroups(std::move(groups));

    groups.clear();
    for (const auto& f : r.ticketsByWindow)
        groups.push_back(timeGroup(windowLabel(d, f.key), f));
    m_windowChart->setGroups(std::move(groups));

    groups.clear();
    for (int level = 5; level >= 1; --level) {
        ChartGroup g;
        g.label = levelLabel(level);
        if (r.ratings.ratings > 0)
            g.values.push_back(static_cast<double>(r.ratings.byLevel[static_cast<std::size_t>(level - 1)]));
        else
            g.values.push_back(std::nullopt);
        g.colours.push_back(level <= 2 ? chart::kAccent : chart::kNeutral);
        groups.push_back(std::move(g));
    }
    m_ratingChart->setGroups(std::move(groups));

    groups.clear();
    for (const auto& f : r.casesByDepartment) {
        if (f.accepted == 0 && f.concluded == 0 && f.overdue() == 0)
            continue;
        groups.push_back({wx(f.department),
            {static_cast<double>(f.accepted), static_cast<double>(f.concluded),
                static_cast<double>(f.overdue())},
            {}});
    }
    m_caseChart->setGroups(std::move(groups));
}

void DashboardTab::showTables()
{
    const DashboardData& d = *m_data;
    const auto& r = d.report;
    // TRANSLATORS: the first row of a dashboard table: the figures of everything together.
    const wxString all = _("All");
    std::vector<TableRow> rows{ticketRow(all, r.tickets, true)};
    for (const auto& f : r.ticketsByCategory)
        rows.push_back(ticketRow(categoryLabel(d, f.key), f, false));
    m_categoryTable->setRows(std::move(rows));

    rows.clear();
    for (const auto& f : r.ticketsByWindow)
        rows.push_back(ticketRow(windowLabel(d, f.key), f, false));
    m_windowTable->setRows(std::move(rows));

    rows = {ratingRow(all, r.ratings, true)};
    for (const auto& f : r.ratingsByWindow)
        rows.push_back(ratingRow(windowLabel(d, f.window), f, false));
    m_ratingTable->setRows(std::move(rows));

    rows = {caseRow(all, r.cases, true)};
    for (const auto& f : r.casesByDepartment)
        rows.push_back(caseRow(wx(f.department), f, false));
    m_caseTable->setRows(std::move(rows));
}

void DashboardTab::fitTileColumns()
{
    if (!m_tileGrid || m_tiles.empty())
        return;
    // As many tiles a row as fit with their captions whole: 6, 4 or 3 (12 tiles, full rows).
    int widest = FromDIP(110);
    for (const auto& t : m_tiles)
        widest = std::max(widest, t.caption->GetTextExtent(t.caption->GetLabel()).x + FromDIP(24));
    const int gap = FromDIP(8);
    const int width = GetClientSize().x - 2 * gap;
    int columns = 3;
    for (int c : {6, 4})
        if (c * widest + (c - 1) * gap <= width) {
            columns = c;
            break;
        }
    if (m_tileGrid->GetCols() != columns) {
        m_tileGrid->SetCols(columns);
        CallAfter([this] { Layout(); });
    }
}

void DashboardTab::exportReport(bool xlsx)
{
    if (m_exporting)
        return;
    if (!m_data) {
        say(_("Nothing to export yet: the figures are still loading."), true);
        return;
    }
    const auto& q = m_data->report.query;
    const wxString extension = xlsx ? "xlsx" : "csv";
    wxString name = "kpi-";
    if (!q.centre.empty())
        name += wx(q.centre) + "-";
    name += wx(q.from.compact()) + "-" + wx(q.to.compact()) + "." + extension;
    wxFileDialog dialog(this,
        xlsx ? _("Export the figures as an Excel workbook") : _("Export the figures as CSV"), m_exportDir,
        name, xlsx ? _("Excel workbooks (*.xlsx)|*.xlsx") : _("CSV files (*.csv)|*.csv"),
        wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (dialog.ShowModal() != wxID_OK)
        return;
    wxString path = dialog.GetPath();
    if (wxFileName(path).GetExt().empty())
        path += "." + extension;
    m_exportDir = wxFileName(path).GetPath();
    const model::KpiReport kpis = m_data->report;
    const std::string file = utf8(path);
    m_exporting = true;
    say(_("Saving…"), false);
    runAsync<std::string>(
        session(), liveness(),
        [kpis, file, xlsx](client::Backend&) -> std::string {
            try {
                if (xlsx)
                    ow::report::writeXlsx(kpis, file);
                else
                    ow::report::writeFileAtomically(file, ow::report::toCsv(kpis));
                spdlog::info("dashboard: exported {}", file);
                return {};
            } catch (const model::DomainError&) {
                throw; // described by the client's sentences
            } catch (const std::exception& e) {
                spdlog::warn("dashboard: export to {} failed: {}", file, e.what());
                return e.what();
            }
        },
        [this, path](std::string error) {
            m_exporting = false;
            if (error.empty())
                // TRANSLATORS: after exporting the dashboard's figures; the file's full path.
                say(wxString::Format(_("Saved to %s"), path), false);
            else
                // TRANSLATORS: exporting the dashboard's figures failed; the reason the file system gave.
                say(wxString::Format(_("The figures were not saved: %s"), wx(error)), true);
        },
        [this](const std::string& message) {
            m_exporting = false;
            say(wx(message), true);
        });
}

void DashboardTab::say(const wxString& text, bool problem)
{
    m_message->SetForegroundColour(problem ? kProblemText : kDoneText);
    m_message->SetLabel(text);
    m_message->SetToolTip(text);
    if (!text.empty())
        shell().showStatus(text);
    Layout();
}

} // namespace ow::gui
