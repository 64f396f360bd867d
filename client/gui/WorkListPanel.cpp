#include "WorkListPanel.h"

#include "Text.h"

#include <wx/dataview.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::gui {

WorkListPanel::WorkListPanel(wxWindow* parent, Shell& shell)
    : wxPanel(parent, wxID_ANY)
    , m_shell(shell)
    , m_model(new CaseListModel)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_counters = new wxStaticText(this, wxID_ANY, _("Loading…"));
    top->Add(m_counters, wxSizerFlags().Expand().Border(wxALL, 6));
    m_view = new wxDataViewCtrl(
        this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_ROW_LINES | wxDV_SINGLE | wxDV_VERT_RULES);
    m_view->SetName("worklist");
    m_view->AssociateModel(m_model.get());
    m_view->AppendTextColumn(_("Case number"), CaseListModel::Number, wxDATAVIEW_CELL_INERT, 175);
    m_view->AppendTextColumn(_("Applicant"), CaseListModel::Applicant, wxDATAVIEW_CELL_INERT, 70);
    m_view->AppendTextColumn(_("Status"), CaseListModel::Status, wxDATAVIEW_CELL_INERT, 100);
    m_view->AppendTextColumn(_("Deadline"), CaseListModel::Deadline, wxDATAVIEW_CELL_INERT, 130);
    top->Add(m_view, wxSizerFlags(1).Expand());
    SetSizer(top);

    m_view->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent& e) {
        if (auto row = m_model->row(m_model->GetRow(e.GetItem())))
            m_shell.openCase(row->number);
    });
}

void WorkListPanel::focusList()
{
    m_view->SetFocus();
    if (m_model->size() > 0 && !m_view->GetSelection().IsOk())
        m_view->Select(m_model->GetItem(0));
}

void WorkListPanel::reload()
{
    runAsync<std::vector<db::CaseSummary>>(
        m_shell.session(), m_liveness, [](client::Backend& b) { return b.workList(); },
        [this](std::vector<db::CaseSummary> rows) { show(std::move(rows)); },
        [this](const std::string& message) { m_counters->SetLabel(wx(message)); });
}

void WorkListPanel::show(std::vector<db::CaseSummary> rows)
{
    int overdue = 0, dueToday = 0, correction = 0, review = 0;
    for (const auto& r : rows) {
        if (auto d = daysUntil(r.deadline)) {
            overdue += *d < 0;
            dueToday += *d == 0;
        }
        correction += r.status == "awaiting_correction";
        review += r.status == "in_review";
    }
    // Keep the selected case selected across a reload.
    std::string selected;
    if (auto item = m_view->GetSelection(); item.IsOk())
        if (auto row = m_model->row(m_model->GetRow(item)))
            selected = row->number;
    const auto count = rows.size();
    m_model->setRows(std::move(rows));
    for (unsigned int i = 0; i < m_model->size() && !selected.empty(); ++i)
        if (auto r = m_model->row(i); r && r->number == selected)
            m_view->Select(m_model->GetItem(i));
    // TRANSLATORS: the first part of the counters above the work list.
    wxString cases = wxString::Format(
        wxPLURAL("%u case", "%u cases", static_cast<unsigned>(count)), static_cast<unsigned>(count));
    m_counters->SetLabel(cases
        + wxString::Format(
            // TRANSLATORS: the counters above the work list, after the number of cases.
            _(" · overdue %d · due today %d · awaiting correction %d · in review %d"), overdue, dueToday,
            correction, review));
    m_counters->SetForegroundColour(overdue > 0 ? wxColour(176, 0, 32) : GetForegroundColour());
}

} // namespace ow::gui
