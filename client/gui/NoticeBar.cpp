#include "NoticeBar.h"

#include <wx/button.h>
#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::gui {

NoticeBar::NoticeBar(wxWindow* parent)
    : wxPanel(parent, wxID_ANY)
{
    SetName("notice");
    // The colour of a warning that waits for a decision, not of an error.
    SetBackgroundColour(wxColour(0xFF, 0xF4, 0xCE));
    m_text = new wxStaticText(this, wxID_ANY, wxString());
    m_text->SetName("notice.text");
    m_text->SetForegroundColour(wxColour(0x40, 0x30, 0x00));
    m_action = new wxButton(this, wxID_ANY, wxString());
    m_action->SetName("notice.action");
    m_close = new wxButton(this, wxID_ANY, _("Dismiss"));
    m_close->SetName("notice.close");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(m_text, wxSizerFlags(1).Align(wxALIGN_CENTER_VERTICAL).Border(wxLEFT | wxRIGHT, 10));
    row->Add(m_action, wxSizerFlags().Border(wxALL, 4));
    row->Add(m_close, wxSizerFlags().Border(wxALL, 4));
    SetSizer(row);
    m_action->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        auto action = m_onAction;
        if (m_dismissed)
            m_dismissed();
        if (action)
            action();
    });
    m_close->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (m_dismissed)
            m_dismissed();
    });
}

void NoticeBar::set(const wxString& text, const wxString& action, std::function<void()> onAction)
{
    m_text->SetLabel(text);
    m_text->SetToolTip(text);
    m_action->SetLabel(action);
    m_action->Show(!action.empty());
    m_onAction = std::move(onAction);
    Layout();
}

} // namespace ow::gui
