// A new application (F3): applicant, matters, the merged materials checklist, the
// decision, and the documents for that decision.
#pragma once

#include "Shell.h"

namespace ow::gui {

class IntakeTab : public Tab {
public:
    IntakeTab(wxWindow* parent, Shell& shell);
    wxString title() const override;
};

} // namespace ow::gui
