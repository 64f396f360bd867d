// A small read-only table for the sections of a case tab (timeline, materials, steps,
// clock ledger): rows of text with a tone per row. New rows are applied in place —
// changed rows redrawn, added ones appended, surplus ones removed — so that a reload
// keeps the user's scroll position and selection.
#pragma once

#include <string>
#include <vector>
#include <wx/dataview.h>

namespace ow::gui {

struct TableRow {
    // Colour only for deadlines and state: the tones map to a few fixed colours.
    enum class Tone { Normal, Muted, Good, Warning, Bad, Highlight };

    std::vector<wxString> cells;
    Tone tone = Tone::Normal;
    bool bold = false;
    std::string key; // what the row stands for (an event id, a step id), for selections

    bool operator==(const TableRow&) const = default;
};

class CaseTableModel : public wxDataViewVirtualListModel {
public:
    explicit CaseTableModel(unsigned int columns);

    void setRows(std::vector<TableRow> rows);
    const TableRow* row(unsigned int index) const;
    unsigned int size() const { return static_cast<unsigned int>(m_rows.size()); }

    // wxDataViewVirtualListModel
    unsigned int GetColumnCount() const override { return m_columns; }
    wxString GetColumnType(unsigned int) const override { return "string"; }
    void GetValueByRow(wxVariant& value, unsigned int row, unsigned int col) const override;
    bool SetValueByRow(const wxVariant&, unsigned int, unsigned int) override { return false; }
    bool GetAttrByRow(unsigned int row, unsigned int col, wxDataViewItemAttr& attr) const override;

private:
    unsigned int m_columns;
    std::vector<TableRow> m_rows;
};

struct TableColumn {
    wxString title;
    int width; // device-independent pixels; the last column also takes what is left
};

// A read-only list view over `model` with these columns; `name` is its accessible name.
wxDataViewCtrl* makeCaseTable(
    wxWindow* parent, CaseTableModel* model, const std::vector<TableColumn>& columns, const wxString& name);

// The key of the selected row, or "".
std::string selectedKey(wxDataViewCtrl* view, const CaseTableModel& model);

} // namespace ow::gui
