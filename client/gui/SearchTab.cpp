#include "SearchTab.h"

#include "Text.h"

#include <wx/dataview.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/srchctrl.h>
#include <wx/stattext.h>

namespace ow::gui {

SearchTab::SearchTab(wxWindow* parent, Shell& shell)
    : Tab(parent, shell)
    , m_model(new CaseListModel)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(new wxStaticText(this, wxID_ANY, _("&Find:")), wxSizerFlags().CentreVertical().Border(wxRIGHT));
    m_query = new wxSearchCtrl(
        this, wxID_ANY, wxString(), wxDefaultPosition, wxSize(420, -1), wxTE_PROCESS_ENTER);
    m_query->SetName("query");
    m_query->SetDescriptiveText(_("case number, ID number, phone or the beginning of a name"));
    row->Add(m_query, wxSizerFlags(1));
    top->Add(row, wxSizerFlags().Expand().Border());
    m_summary = new wxStaticText(this, wxID_ANY, wxString());
    top->Add(m_summary, wxSizerFlags().Expand().Border(wxLEFT | wxRIGHT | wxBOTTOM));
    m_view
        = new wxDataViewCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxDV_ROW_LINES | wxDV_SINGLE);
    m_view->SetName("results");
    m_view->AssociateModel(m_model.get());
    CaseListModel::addColumns(m_view);
    top->Add(m_view, wxSizerFlags(1).Expand());
    SetSizer(top);

    m_query->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { run(); });
    m_query->Bind(wxEVT_SEARCHCTRL_SEARCH_BTN, [this](wxCommandEvent&) { run(); });
    m_view->Bind(wxEVT_DATAVIEW_ITEM_ACTIVATED, [this](wxDataViewEvent& e) {
        if (auto r = m_model->row(m_model->GetRow(e.GetItem())))
            this->shell().openCase(r->number);
    });
    CallAfter([this] { m_query->SetFocus(); });
}

wxString SearchTab::title() const
{
    if (m_all)
        return _("All cases");
    return m_lastQuery.empty() ? wxString(_("Search")) : wxString::Format(_("Search: %s"), m_lastQuery);
}

void SearchTab::showAll()
{
    m_all = true;
    shell().retitle(*this);
    m_summary->SetLabel(_("Counting…"));
    runAsync<std::int64_t>(
        session(), liveness(), [](client::Backend& b) { return b.countCases(""); },
        [this](std::int64_t count) {
            const auto n = static_cast<std::size_t>(count);
            m_model->setPaged(session(), n, [](client::Backend& b, std::size_t offset, std::size_t limit) {
                return b.listCases("", limit, offset);
            });
            // TRANSLATORS: the number of cases in the whole centre, above the list of all cases.
            m_summary->SetLabel(
                wxString::Format(wxPLURAL("%u case in the centre, newest first.",
                                     "%u cases in the centre, newest first.", static_cast<unsigned>(n)),
                    static_cast<unsigned>(n)));
            if (n > 0) {
                m_view->Select(m_model->GetItem(0));
                m_view->SetFocus();
            }
        },
        [this](const std::string& message) { m_summary->SetLabel(wx(message)); });
}

void SearchTab::run()
{
    const wxString query = m_query->GetValue().Strip(wxString::both);
    if (query.empty())
        return;
    m_lastQuery = query;
    m_all = false;
    shell().retitle(*this);
    m_summary->SetLabel(_("Searching…"));
    runAsync<std::vector<db::CaseSummary>>(
        session(), liveness(), [text = utf8(query)](client::Backend& b) { return b.search(text, 500); },
        [this](std::vector<db::CaseSummary> rows) {
            const auto n = rows.size();
            m_model->setRows(std::move(rows));
            m_summary->SetLabel(n == 0
                    ? wxString(_("Nothing found."))
                    : wxString::Format(
                        wxPLURAL("%zu case found; Enter opens it.",
                            "%zu cases found; Enter opens the selected one.", static_cast<unsigned>(n)),
                        n));
            if (n > 0) {
                m_view->Select(m_model->GetItem(0));
                m_view->SetFocus();
            }
        },
        [this](const std::string& message) { m_summary->SetLabel(wx(message)); });
}

} // namespace ow::gui
