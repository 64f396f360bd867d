// Search (Ctrl+F): exact case number, ID number or phone, or the beginning of a name;
// the results in a virtual list, Enter opens the case in its own tab.
#pragma once

#include "CaseListModel.h"
#include "Shell.h"

class wxDataViewCtrl;
class wxSearchCtrl;
class wxStaticText;

namespace ow::gui {

class SearchTab : public Tab {
public:
    SearchTab(wxWindow* parent, Shell& shell);
    wxString title() const override;

private:
    void run();

    wxSearchCtrl* m_query = nullptr;
    wxStaticText* m_summary = nullptr;
    wxDataViewCtrl* m_view = nullptr;
    wxObjectDataPtr<CaseListModel> m_model;
    wxString m_lastQuery;
};

} // namespace ow::gui
