#include "CaseTable.h"

namespace ow::gui {

namespace {

wxColour foreground(TableRow::Tone tone)
{
    using T = TableRow::Tone;
    switch (tone) {
    case T::Muted:
        return wxColour(110, 110, 110);
    case T::Good:
        return wxColour(0, 110, 40);
    case T::Warning:
        return wxColour(150, 85, 0);
    case T::Bad:
        return wxColour(176, 0, 32);
    case T::Normal:
    case T::Highlight:
        break;
    }
    return wxNullColour;
}

} // namespace

CaseTableModel::CaseTableModel(unsigned int columns)
    : wxDataViewVirtualListModel(0)
    , m_columns(columns)
{
}

void CaseTableModel::setRows(std::vector<TableRow> rows)
{
    for (auto& r : rows)
        r.cells.resize(m_columns);
    const std::size_t common = std::min(rows.size(), m_rows.size());
    std::vector<unsigned int> changed;
    for (std::size_t i = 0; i < common; ++i)
        if (!(rows[i] == m_rows[i]))
            changed.push_back(static_cast<unsigned int>(i));
    const std::size_t before = m_rows.size();
    m_rows = std::move(rows);
    // Surplus rows go from the end, so that the indexes of the others stay valid.
    for (std::size_t i = before; i > m_rows.size(); --i)
        RowDeleted(static_cast<unsigned int>(i - 1));
    for (auto i : changed)
        RowChanged(i);
    for (std::size_t i = before; i < m_rows.size(); ++i)
        RowAppended();
}

const TableRow* CaseTableModel::row(unsigned int index) const
{
    return index < m_rows.size() ? &m_rows[index] : nullptr;
}

void CaseTableModel::GetValueByRow(wxVariant& value, unsigned int row, unsigned int col) const
{
    value = row < m_rows.size() && col < m_columns ? m_rows[row].cells[col] : wxString();
}

bool CaseTableModel::GetAttrByRow(unsigned int row, unsigned int, wxDataViewItemAttr& attr) const
{
    if (row >= m_rows.size())
        return false;
    const TableRow& r = m_rows[row];
    bool set = false;
    if (auto colour = foreground(r.tone); colour.IsOk()) {
        attr.SetColour(colour);
        set = true;
    }
    if (r.tone == TableRow::Tone::Highlight) {
        attr.SetBackgroundColour(wxColour(255, 236, 179));
        set = true;
    }
    if (r.bold) {
        attr.SetBold(true);
        set = true;
    }
    return set;
}

wxDataViewCtrl* makeCaseTable(
    wxWindow* parent, CaseTableModel* model, const std::vector<TableColumn>& columns, const wxString& name)
{
    auto* view = new wxDataViewCtrl(
        parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_ROW_LINES | wxDV_SINGLE | wxDV_VERT_RULES);
    view->SetName(name);
    view->AssociateModel(model);
    for (unsigned int i = 0; i < columns.size(); ++i) {
        auto* column = view->AppendTextColumn(columns[i].title, i, wxDATAVIEW_CELL_INERT,
            view->FromDIP(columns[i].width), wxALIGN_NOT, wxDATAVIEW_COL_RESIZABLE);
        // A long note ends in "…" in the list; the full text is shown beside it.
        column->GetRenderer()->EnableEllipsize(wxELLIPSIZE_END);
    }
    return view;
}

std::string selectedKey(wxDataViewCtrl* view, const CaseTableModel& model)
{
    const wxDataViewItem item = view->GetSelection();
    if (!item.IsOk())
        return {};
    const TableRow* r = model.row(model.GetRow(item));
    return r ? r->key : std::string();
}

} // namespace ow::gui
