#include "CaseTab.h"

#include "Text.h"

#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::gui {

CaseTab::CaseTab(wxWindow* parent, Shell& shell, std::string number)
    : Tab(parent, shell)
    , m_number(std::move(number))
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    m_header = new wxStaticText(this, wxID_ANY, _("Loading…"));
    top->Add(m_header, wxSizerFlags().Expand().Border());
    SetSizer(top);
    load();
}

wxString CaseTab::title() const
{
    if (!m_state || m_state->applicant.name.empty())
        return wx(m_number);
    // The surname: the first character of a Chinese name, else the first word.
    wxString name = wx(m_state->applicant.name);
    wxString surname = name.IsAscii() ? name.BeforeFirst(' ') : name.Left(1);
    return wx(m_number) + " " + surname;
}

void CaseTab::load()
{
    runAsync<std::optional<model::CaseState>>(
        session(), liveness(), [number = m_number](client::Backend& b) { return b.findCase(number); },
        [this](std::optional<model::CaseState> state) {
            if (!state || state->status == model::CaseStatus::None) {
                m_header->SetLabel(wxString::Format(_("There is no case %s."), wx(m_number)));
                return;
            }
            m_state = std::move(state);
            show(*m_state);
            shell().retitle(*this);
        },
        [this](const std::string& message) { m_header->SetLabel(wx(message)); });
}

void CaseTab::show(const model::CaseState& state)
{
    m_header->SetLabel(wx(state.number) + "  " + statusLabel(state.status));
}

} // namespace ow::gui
