#include "DiagnosticsPanel.h"

#include "Text.h"
#include "client/core/LogRing.h"

#include <wx/intl.h>
#include <wx/listctrl.h>
#include <wx/sizer.h>

namespace ow::gui {

DiagnosticsPanel::DiagnosticsPanel(wxWindow* parent)
    : wxPanel(parent, wxID_ANY)
    , m_timer(this)
{
    m_list = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    m_list->SetName("diagnostics");
    m_list->AppendColumn(_("Time"), wxLIST_FORMAT_LEFT, 100);
    m_list->AppendColumn(_("Level"), wxLIST_FORMAT_LEFT, 70);
    m_list->AppendColumn(_("Source"), wxLIST_FORMAT_LEFT, 80);
    m_list->AppendColumn(_("Message"), wxLIST_FORMAT_LEFT, 800);
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(m_list, wxSizerFlags(1).Expand());
    SetSizer(top);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) {
        if (IsShownOnScreen())
            refresh();
    });
    m_timer.Start(1000);
}

void DiagnosticsPanel::refresh()
{
    auto lines = client::logLinesSince(m_last);
    if (lines.empty())
        return;
    m_list->Freeze();
    for (const auto& l : lines) {
        long i = m_list->InsertItem(m_list->GetItemCount(), wx(l.time));
        m_list->SetItem(i, 1, wx(l.level));
        m_list->SetItem(i, 2, wx(l.logger));
        m_list->SetItem(i, 3, wx(l.text));
        m_last = l.serial;
    }
    while (m_list->GetItemCount() > 2000)
        m_list->DeleteItem(0);
    m_list->EnsureVisible(m_list->GetItemCount() - 1);
    m_list->Thaw();
}

} // namespace ow::gui
