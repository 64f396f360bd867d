#include "IntakeTab.h"

#include <wx/intl.h>
#include <wx/sizer.h>
#include <wx/stattext.h>

namespace ow::gui {

IntakeTab::IntakeTab(wxWindow* parent, Shell& shell)
    : Tab(parent, shell)
{
    auto* top = new wxBoxSizer(wxVERTICAL);
    top->Add(new wxStaticText(this, wxID_ANY, _("New intake")), wxSizerFlags().Border());
    SetSizer(top);
}

wxString IntakeTab::title() const
{
    return _("New intake");
}

} // namespace ow::gui
