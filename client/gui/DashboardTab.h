// "Dashboard": the KPIs of a range of days (docs/KPIS.md) for queue managers and centre
// administrators. A range bar (Today, This week, This month, Last 30 days, This year, or
// any first and last day; all departments or one), the headline figures as large labelled
// numbers, then four pages — tickets by category, tickets by window, ratings, cases by
// department — each a bar chart over the full table of its figures; Export XLSX… and
// Export CSV… write what is on screen through client/report. The report is computed on
// the worker and the charts draw what was loaded; while the range includes today the tab
// follows the database's changes, a couple of seconds behind.
#pragma once

#include "model/CentreSetup.h"
#include "model/Kpi.h"

#include "CaseTable.h"
#include "Shell.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>
#include <wx/timer.h>

class wxButton;
class wxChoice;
class wxDataViewCtrl;
class wxDatePickerCtrl;
class wxGridSizer;
class wxNotebook;
class wxPanel;
class wxStaticText;
class wxToggleButton;

namespace ow::gui {

class BarChart;

// The periods of the range bar; Custom: the days picked by hand.
enum class DashboardPreset { Today, ThisWeek, ThisMonth, Last30Days, ThisYear, Custom };
// A preset's first and last day seen on `today` (the last is today; weeks start on Monday).
std::pair<model::Date, model::Date> presetRange(DashboardPreset preset, model::Date today);

// What one load brings from the worker.
struct DashboardData {
    model::KpiReport report; // its query: the days, centre and department it covers
    model::Date today;
    std::vector<std::string> departments; // of the catalogue, sorted
    std::vector<model::QueueCategory> categories;
    std::vector<model::ServiceWindow> windows;
};

class DashboardTab : public Tab {
public:
    DashboardTab(wxWindow* parent, Shell& shell);
    wxString title() const override;
    void onDataChanged() override;

private:
    struct Tile {
        wxPanel* panel = nullptr;
        wxStaticText* caption = nullptr;
        wxStaticText* value = nullptr;
        wxStaticText* detail = nullptr;
    };

    void buildRangeBar(wxSizer* top);
    void buildTiles(wxSizer* top);
    void buildPages(wxSizer* top);
    Tile& addTile(const wxString& caption, const wxString& tip, const char* name);
    void choosePreset(DashboardPreset preset);
    void datesEdited();
    void reload();
    void show(DashboardData data);
    void showTiles();
    void showCharts();
    void showTables();
    void fitTileColumns();
    bool rangeIncludesToday() const;
    void exportReport(bool xlsx);
    void say(const wxString& text, bool problem);

    std::optional<DashboardData> m_data;
    DashboardPreset m_preset = DashboardPreset::ThisMonth;
    LoadGate m_gate;
    bool m_exporting = false;
    wxString m_exportDir;
    wxTimer m_changes; // debounces the database's changes
    wxTimer m_edits; // debounces typing in the date fields

    std::vector<std::pair<DashboardPreset, wxToggleButton*>> m_presets;
    wxDatePickerCtrl* m_from = nullptr;
    wxDatePickerCtrl* m_to = nullptr;
    wxChoice* m_department = nullptr;
    wxButton* m_refresh = nullptr;
    wxStaticText* m_info = nullptr;
    wxGridSizer* m_tileGrid = nullptr;
    std::vector<Tile> m_tiles;
    wxNotebook* m_pages = nullptr;
    BarChart* m_categoryChart = nullptr;
    BarChart* m_windowChart = nullptr;
    BarChart* m_ratingChart = nullptr;
    BarChart* m_caseChart = nullptr;
    wxObjectDataPtr<CaseTableModel> m_categoryTable;
    wxObjectDataPtr<CaseTableModel> m_windowTable;
    wxObjectDataPtr<CaseTableModel> m_ratingTable;
    wxObjectDataPtr<CaseTableModel> m_caseTable;
    wxButton* m_exportXlsx = nullptr;
    wxButton* m_exportCsv = nullptr;
    wxStaticText* m_message = nullptr;
};

} // namespace ow::gui
