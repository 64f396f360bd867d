// One case in a tab: header (number, masked applicant, matters, status, deadline
// countdown, conflict banner), timeline, materials, steps, the clock ledger, and the
// actions the user's role and the case's state allow.
#pragma once

#include "model/CaseState.h"

#include "Shell.h"

#include <optional>

class wxStaticText;

namespace ow::gui {

class CaseTab : public Tab {
public:
    CaseTab(wxWindow* parent, Shell& shell, std::string number);
    wxString title() const override;
    std::string caseNumber() const override { return m_number; }
    void onDataChanged() override { load(); }

private:
    void load();
    void show(const model::CaseState& state);

    std::string m_number;
    std::optional<model::CaseState> m_state;
    wxStaticText* m_header = nullptr;
};

} // namespace ow::gui
