// "My work": the cases assigned to the logged-in user that are not finished, overdue
// first (the store orders by deadline), with counters for overdue, due today, awaiting
// correction and in review. Enter or a double click opens the case.
#pragma once

#include "CaseListModel.h"
#include "Shell.h"

#include <wx/panel.h>

class wxDataViewCtrl;
class wxStaticText;

namespace ow::gui {

class WorkListPanel : public wxPanel {
public:
    WorkListPanel(wxWindow* parent, Shell& shell);
    void reload();
    void focusList();
    unsigned int rowCount() const { return m_model->size(); }

private:
    void show(std::vector<db::CaseSummary> rows);

    Shell& m_shell;
    wxObjectDataPtr<CaseListModel> m_model;
    wxDataViewCtrl* m_view = nullptr;
    wxStaticText* m_counters = nullptr;
    Liveness m_liveness;
};

} // namespace ow::gui
